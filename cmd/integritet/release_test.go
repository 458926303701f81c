package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
	"github.com/integritet/integritet/site"
)

// TestRepositoryIsReleased checks that FRAMSTEGET's content reads exactly
// as its released version: `integritet build` on the repository stays
// green. When a change of content, theme or UI strings alters what a
// visitor reads, this fails with what changed: release it as a new version
// (README, "release it").
func TestRepositoryIsReleased(t *testing.T) {
	t.Parallel()
	if _, err := site.Render(context.Background(), "../..", siteOptions("default")); err != nil {
		t.Fatalf("integritet build on the repository: %v", err)
	}
}

// TestArchiveHoldsWhatWasReleased checks every committed release: its
// archived pages and banner texts, read back from releases/VERSION/site,
// have exactly the digest the release recorded, with the archived content.
func TestArchiveHoldsWhatWasReleased(t *testing.T) {
	t.Parallel()
	rs, err := notice.ReadReleases("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("the repository has no releases")
	}
	for _, r := range rs {
		dir := filepath.Join("../..", notice.ReleasesDir, r.Version)
		n, err := notice.Load(dir)
		if err != nil {
			t.Fatalf("%s: archived content: %v", r.Version, err)
		}
		files := map[string][]byte{}
		root := filepath.Join(dir, "site")
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			files[filepath.ToSlash(rel)] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := release.Digest(n, files); got != r.Digest {
			t.Errorf("%s: archived pages have digest %s, the release recorded %s", r.Version, got, r.Digest)
		}
	}
}

// TestRecordNamesItsArchivedText checks the way from a consent record to
// the text it was given on: the endpoint stores the digest of the current
// release with the record, `consent export -source` names its archived
// page, that page is in the archive with that digest, and `consent verify
// -source` counts the record under its released version.
func TestRecordNamesItsArchivedText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	policy, err := loadPolicy(ctx, "../..", nil)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := notice.ReadReleases("../..")
	if err != nil {
		t.Fatal(err)
	}
	rel, ok := notice.ReleaseByDigest(rs, policy.Digest)
	if !ok {
		t.Fatalf("the endpoint's digest %s is no release's", policy.Digest)
	}
	db := "sqlite:" + filepath.Join(t.TempDir(), "consent.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	h := consent.NewServer(nil, st, policy, consent.Options{Rate: -1})
	body := `{"revision":"` + policy.Revision + `","version":"` + policy.Version + `","language":"en","method":"reject-all","choices":{"statistics":false,"marketing":false}}`
	req := httptest.NewRequest("POST", "/api/consent", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://framsteget.net")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 201 {
		t.Fatalf("POST: %d %s", w.Code, w.Body)
	}
	st.Close()

	var out, errb bytes.Buffer
	if err := run(ctx, []string{"consent", "export", "-db", db, "-source", "../.."}, &out, &errb); err != nil {
		t.Fatalf("consent export: %v\n%s", err, errb.String())
	}
	var e consent.ExportRecord
	if err := json.Unmarshal(out.Bytes(), &e); err != nil {
		t.Fatalf("export %s: %v", out.String(), err)
	}
	want := "https://framsteget.net/" + release.ArchivedPages("../..", rel.Version)["en"]
	if e.NoticeDigest != rel.Digest || e.NoticeArchive != want || want != "https://framsteget.net/releases/"+rel.Version+"/en/privacy-notice/" {
		t.Errorf("exported notice_digest %s notice_archive %s, want %s at %s", e.NoticeDigest, e.NoticeArchive, rel.Digest, want)
	}
	if _, err := os.Stat(filepath.Join("../..", notice.ReleasesDir, rel.Version, "site", "en", "privacy-notice", "index.html")); err != nil {
		t.Errorf("the archived page is not in the archive: %v", err)
	}

	out.Reset()
	if err := run(ctx, []string{"consent", "verify", "-db", db, "-source", "../.."}, &out, &errb); err != nil {
		t.Fatalf("consent verify: %v\n%s", err, errb.String())
	}
	if line := "records given on released version " + rel.Version + " (" + rel.Digest + "), archived at https://framsteget.net/releases/" + rel.Version + "/sv/integritetspolicy/: 1"; !strings.Contains(out.String(), line) {
		t.Errorf("verify says:\n%s\nwant the line %q", out.String(), line)
	}
}
