package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
	"github.com/integritet/integritet/notice"
)

// editFile replaces the first old in the file at path by new.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestEndpointTakesTheReleasesItKeptValid releases the repository's notice
// as 2026.1, changes a category's wording and releases 2026.2 as
// editorial, as release_editorial.txtar does. The endpoint on 2026.2 then
// takes decisions from pages of both versions, records each with the
// digest of the version its page showed (so that `consent export -source`
// names that version's archived page), and refuses other pairs with 409.
func TestEndpointTakesTheReleasesItKeptValid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	// FRAMSTEGET as first released (2026.1): the steps count versions from it.
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../releases/2026.1/content")); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"release", "-source", dir}, &out, &errb); err != nil {
		t.Fatalf("release 2026.1: %v\n%s", err, errb.String())
	}
	editFile(t, filepath.Join(dir, "content", "cookies.toml"), "används så att vi", "används, så att vi")
	editFile(t, filepath.Join(dir, "content", "notice.toml"), `version = "2026.1"`, `version = "2026.2"`)
	if err := os.WriteFile(filepath.Join(dir, "content", "history.toml"), []byte(`[[history]]
version = "2026.2"
date = 2026-12-01
summary = {sv = "Kommatering i kakinställningarna.", en = "Punctuation in the cookie settings."}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"release", "-source", dir, "-editorial", "Kommatering; samma innebörd."}, &out, &errb); err != nil {
		t.Fatalf("release 2026.2: %v\n%s", err, errb.String())
	}
	rs, err := notice.ReadReleases(dir)
	if err != nil || len(rs) != 2 || rs[0].Revision == rs[1].Revision {
		t.Fatalf("releases %+v %v", rs, err)
	}
	policy, err := loadPolicy(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []consent.Release{{Version: "2026.1", Revision: rs[0].Revision, Digest: rs[0].Digest}}
	if policy.Version != "2026.2" || policy.Revision != rs[1].Revision || policy.Digest != rs[1].Digest ||
		len(policy.Earlier) != 1 || policy.Earlier[0] != want[0] {
		t.Fatalf("policy %s %s %s, earlier %+v; want 2026.2 %s %s, earlier %+v", policy.Version, policy.Revision, policy.Digest, policy.Earlier, rs[1].Revision, rs[1].Digest, want)
	}

	db := "sqlite:" + filepath.Join(t.TempDir(), "consent.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	h := consent.NewServer(nil, st, policy, consent.Options{Rate: -1})
	post := func(revision, version string) int {
		body := `{"revision":"` + revision + `","version":"` + version + `","language":"sv","method":"reject-all","choices":{"statistics":false,"marketing":false}}`
		req := httptest.NewRequest("POST", "/api/consent", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		req.Header.Set("Origin", "https://framsteget.net")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	for _, tc := range []struct {
		revision, version string
		status            int
	}{
		{rs[0].Revision, "2026.1", 201}, // a page cached from 2026.1
		{rs[1].Revision, "2026.2", 201},
		{rs[0].Revision, "2026.2", 409},
		{rs[1].Revision, "2026.3", 409}, // the site rebuilt, the endpoint not restarted
	} {
		if got := post(tc.revision, tc.version); got != tc.status {
			t.Errorf("revision %s version %s: %d, want %d", tc.revision, tc.version, got, tc.status)
		}
	}
	st.Close()

	out.Reset()
	if err := run(ctx, []string{"consent", "export", "-db", db, "-source", dir}, &out, &errb); err != nil {
		t.Fatalf("consent export: %v\n%s", err, errb.String())
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var e consent.ExportRecord
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		got = append(got, e.NoticeVersion+" "+e.NoticeDigest+" "+e.NoticeArchive)
	}
	wantExport := []string{
		"2026.1 " + rs[0].Digest + " https://framsteget.net/releases/2026.1/sv/integritetspolicy/",
		"2026.2 " + rs[1].Digest + " https://framsteget.net/releases/2026.2/sv/integritetspolicy/",
	}
	if strings.Join(got, "\n") != strings.Join(wantExport, "\n") {
		t.Errorf("exported\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantExport, "\n"))
	}
}

func TestEarlierReleasesAreThoseTheCurrentOneKeepsValid(t *testing.T) {
	t.Parallel()
	d := func(c string) string { return "sha256:" + strings.Repeat(c, 64) }
	rs := []notice.Release{
		{Version: "1", Revision: "000000000000000a", Digest: d("1")},
		{Version: "2", Revision: "000000000000000b", Digest: d("2")},                                                            // a new revision: consent asked again
		{Version: "3", Revision: "000000000000000c", Digest: d("3"), Accepts: []string{"000000000000000b"}},                     // editorial
		{Version: "4", Revision: "000000000000000c", Digest: d("4")},                                                            // wording outside consent
		{Version: "5", Revision: "000000000000000d", Digest: d("5"), Accepts: []string{"000000000000000b", "000000000000000c"}}, // editorial
	}
	names := func(es []consent.Release) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Version+"="+e.Digest[7:8])
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name, version, revision, digest, want string
	}{
		{"current release", "5", "000000000000000d", d("5"), "2=2 3=3 4=4"},
		{"same revision, no editorial", "4", "000000000000000c", d("4"), "3=3"},
		{"content edited after its release", "5", "000000000000000d", d("9"), ""},
		{"a draft with a released revision", "6", "000000000000000c", d("6"), "3=3 4=4"},
		{"first release", "1", "000000000000000a", d("1"), ""},
	}
	for _, tc := range tests {
		if got := names(earlierReleases(rs, tc.version, tc.revision, tc.digest)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
