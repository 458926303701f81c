package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

// copySite copies ../../content into a temp site root, applying edits
// (file → old → new).
func copySite(t *testing.T, edits map[string][2]string) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob("../../content/*.toml")
	if len(files) == 0 {
		t.Fatal("no ../../content/*.toml")
	}
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := edits[filepath.Base(f)]; ok {
			if !bytes.Contains(b, []byte(e[0])) {
				t.Fatalf("%s: %q not found", f, e[0])
			}
			b = bytes.Replace(b, []byte(e[0]), []byte(e[1]), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, "content", filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDiffNamesMaterialChangesAndRevision(t *testing.T) {
	t.Parallel()
	old := copySite(t, nil)
	tests := []struct {
		name  string
		edits map[string][2]string
		want  []string
	}{
		{"retention only", map[string][2]string{"retention.toml": {`duration = "P18M"`, `duration = "P24M"`}},
			[]string{"material  retention[paid-invoice].duration: P18M → P24M", "sv: 18 månader → 24 månader", "Visitors must be asked again: no"}},
		{"cookie lifetime", map[string][2]string{"cookies.toml": {`lifetime = "P6M"`, `lifetime = "P12M"`}},
			[]string{"material  cookie[framsteget_consent].lifetime: P6M → P12M", "Visitors must be asked again: yes", "+ cookie framsteget_consent: category necessary, provider FRAMSTEGET, lifetime P12M, path /"}},
		{"wording only", map[string][2]string{"notice.toml": {`Integritetspolicy"`, `Integritetspolicyn"`}},
			[]string{"editorial notice.title: wording changed", "sv: [-Integritetspolicy-] {+Integritetspolicyn+}", "Visitors must be asked again: no"}},
		{"banner text wording", map[string][2]string{"cookies.toml": {`description = {sv = "Hjälper oss att förstå hur webbplatsen används så att vi kan förbättra den."`, `description = {sv = "Delar din surfhistorik med annonsnätverk."`}},
			[]string{"material  consent_category[statistics].description: wording changed", "Visitors must be asked again: unless editorial"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			if err := run(context.Background(), []string{"diff", old, copySite(t, tt.edits)}, &out, &errOut); err != nil {
				t.Fatalf("diff: %v\n%s", err, errOut.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// diffJSON is what the tests read of `diff -format json`.
type diffJSON struct {
	Old, New struct{ Version, Revision, Digest string }
	Changes  []struct {
		Path string `json:"path"`
	}
	Editorial   string
	SameVersion bool `json:"same_version"`
	SameText    bool `json:"same_text"`
}

// TestDiffBetweenArchivesSeesWhatTheRevisionCovers: diff between two
// archived versions compares them as they were released, the banner's
// texts included, so the revisions it names are the recorded ones, and a
// change of revision comes with the changes that made it.
func TestDiffBetweenArchivesSeesWhatTheRevisionCovers(t *testing.T) {
	t.Parallel()
	rs, err := notice.ReadReleases("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 2 {
		t.Fatal("the repository has fewer than two releases")
	}
	covered := regexp.MustCompile(`^(consent_category|cookie|banner_text|purpose)\[`)
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		var out, errOut bytes.Buffer
		args := []string{"diff", "-format", "json", filepath.Join("../..", notice.ReleasesDir, a.Version), filepath.Join("../..", notice.ReleasesDir, b.Version)}
		if err := run(context.Background(), args, &out, &errOut); err != nil {
			t.Fatalf("diff %s %s: %v\n%s", a.Version, b.Version, err, errOut.String())
		}
		var d diffJSON
		if err := json.Unmarshal(out.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		if d.Old.Revision != a.Revision || d.New.Revision != b.Revision {
			t.Errorf("%s → %s: diff names revisions %s → %s, the releases recorded %s → %s", a.Version, b.Version, d.Old.Revision, d.New.Revision, a.Revision, b.Revision)
		}
		if d.Old.Digest != a.Digest || d.New.Digest != b.Digest {
			t.Errorf("%s → %s: diff names digests %s → %s, the releases recorded %s → %s", a.Version, b.Version, d.Old.Digest, d.New.Digest, a.Digest, b.Digest)
		}
		if a.Revision != b.Revision {
			var why []string
			for _, c := range d.Changes {
				if covered.MatchString(c.Path) {
					why = append(why, c.Path)
				}
			}
			if len(why) == 0 {
				t.Errorf("%s → %s: the revision changed, but diff lists nothing it covers:\n%s", a.Version, b.Version, out.String())
			}
			if b.Editorial != "" && d.Editorial != b.Editorial {
				t.Errorf("%s → %s: diff does not say the release was editorial (%q)", a.Version, b.Version, d.Editorial)
			}
		}
	}
	// FRAMSTEGET's 2026.2 added the texts of the cookies per category and
	// of the placeholders to the banner.
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"diff", "-color", "never", "../../releases/2026.1", "../../releases/2026.2"}, &out, &errOut); err != nil {
		t.Fatalf("diff: %v\n%s", err, errOut.String())
	}
	for _, w := range []string{
		"material  banner_text[cookies]: added (en: Cookies and similar storage; sv: Cookies och liknande lagring)",
		"Visitors must be asked again: no, 2026.2 was released as editorial (consent revision 9468fcbc33301e28 → 8d9411d793628b2b",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("diff 2026.1 2026.2 lacks %q:\n%s", w, out.String())
		}
	}
}

// TestDiffAndBuildAgreeOnWhatNeedsARelease: under the same version, diff
// warns that a release is needed exactly when the build refuses the
// content, for edits visitors read and edits they do not.
func TestDiffAndBuildAgreeOnWhatNeedsARelease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name    string
		file    string
		old     string
		new     string
		release bool
	}{
		{"base_url moves to a path", "notice.toml", `base_url = "https://framsteget.net"`, `base_url = "https://example.se/legal/"`, false},
		{"base_url moves to another host", "notice.toml", `base_url = "https://framsteget.net"`, `base_url = "https://www.framsteget.se"`, false},
		{"the history's summary", "notice.toml", `summary = {sv = "Första versionen i integritet`, `summary = {sv = "Den första versionen i integritet`, false},
		{"a retention period", "retention.toml", `duration = "P18M"`, `duration = "P2Y"`, true},
		{"the notice's title (editorial, but read)", "notice.toml", `Integritetspolicy"`, `Integritetspolicyn"`, true},
		{"punctuation in a category", "cookies.toml", "används så att vi", "används, så att vi", true},
	}
	last := lastRelease(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			copyDir(t, "../../content", filepath.Join(dir, "content"))
			copyDir(t, "../../releases", filepath.Join(dir, "releases"))
			editFile(t, filepath.Join(dir, "content", tt.file), tt.old, tt.new)
			var out, errOut bytes.Buffer
			if err := run(ctx, []string{"diff", "-format", "json", filepath.Join(dir, "releases", last.Version), dir}, &out, &errOut); err != nil {
				t.Fatalf("diff: %v\n%s", err, errOut.String())
			}
			var d diffJSON
			if err := json.Unmarshal(out.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			if len(d.Changes) == 0 {
				t.Fatalf("diff sees no change:\n%s", out.String())
			}
			errOut.Reset()
			err := run(ctx, []string{"build", "-source", dir, "-out", filepath.Join(dir, "public")}, &out, &errOut)
			refused := err != nil
			if refused && !strings.Contains(errOut.String(), "reads differently from its released version "+last.Version) {
				t.Fatalf("build: %v\n%s", err, errOut.String())
			}
			if d.SameVersion != refused || refused != tt.release {
				t.Errorf("diff same_version = %v, build refused = %v; want both %v", d.SameVersion, refused, tt.release)
			}
			if d.SameText == tt.release {
				t.Errorf("diff same_text = %v, want %v", d.SameText, !tt.release)
			}
		})
	}
}

// TestChangesPageSpeaksThePageLanguage: the page of what changed that the
// build publishes beside each archived version says, in the page's
// language, the text before and the text now; it shows no key path and no
// other language's text.
func TestChangesPageSpeaksThePageLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	copyDir(t, "../../releases/2026.1/content", filepath.Join(dir, "content"))
	mustRun(t, ctx, "release", "-source", dir)
	nextVersion(t, dir, "2026.1", "2026.2", "", `{sv = "Betalda fakturor sparas i 2 år.", en = "Paid invoices are kept for 2 years."}`)
	// Swedish and English change together; the English introduction alone.
	editFile(t, filepath.Join(dir, "content", "notice.toml"), "When you make a purchase from us, you provide", "When you buy from us, you give")
	editFile(t, filepath.Join(dir, "content", "retention.toml"), `duration = "P18M"`, `duration = "P2Y"`)
	mustRun(t, ctx, "release", "-source", dir)
	out := filepath.Join(dir, "public")
	mustRun(t, ctx, "build", "-source", dir, "-out", out)

	keyPath := regexp.MustCompile(`[a-z_]+\[[a-z0-9-]+\]|\b(retention|purpose|notice)\.[a-z_]+`)
	pages := []struct {
		path      string
		want, not []string
	}{
		{"releases/2026.2/sv/integritetspolicy/changes/index.html",
			[]string{`lang="sv"`, "Betalda fakturor sparas i 2 år.", "<del>18 månader</del>", "<ins>2 år</ins>", "Tidigare:", "Nu:"},
			[]string{"18 months", "2 years", "buy from us", "Paid invoices", "Before:", "<code>"}},
		{"releases/2026.2/en/privacy-notice/changes/index.html",
			[]string{`lang="en"`, "Paid invoices are kept for 2 years.", "<del>18 months</del>", "<ins>2 years</ins>", "<ins>buy</ins>", "<ins>give</ins>", "Before:", "Now:"},
			[]string{"månader", "Betalda", "Tidigare:", "<code>"}},
	}
	for _, p := range pages {
		b := readFile(t, filepath.Join(out, p.path))
		for _, w := range p.want {
			if !strings.Contains(b, w) {
				t.Errorf("%s lacks %q", p.path, w)
			}
		}
		for _, w := range p.not {
			if strings.Contains(b, w) {
				t.Errorf("%s shows %q", p.path, w)
			}
		}
		if m := keyPath.FindString(b); m != "" {
			t.Errorf("%s shows the key path %q", p.path, m)
		}
	}
	// The repository's own changes page, for an archive written by an
	// earlier integritet: in Swedish only.
	pub := filepath.Join(t.TempDir(), "public")
	mustRun(t, ctx, "build", "-source", "../..", "-out", pub)
	b := readFile(t, filepath.Join(pub, "releases/2026.2/sv/integritetspolicy/changes/index.html"))
	for _, w := range []string{"The cookie settings show", "Cookies and similar storage", "banner_text", "<code>"} {
		if strings.Contains(b, w) {
			t.Errorf("FRAMSTEGET's Swedish changes page for 2026.2 shows %q", w)
		}
	}
	if !strings.Contains(b, "Cookies och liknande lagring") {
		t.Error("FRAMSTEGET's Swedish changes page for 2026.2 does not show the new settings text")
	}
}

// TestChangesPageSaysDatesAsThePage: a language that writes dates its
// own way (German: 01.11.2026) gets them so on the page of what changed,
// and the version line of the notice's head ("Version 2026.2 · Zuletzt
// aktualisiert 01.11.2026") is not listed as a change: only the period
// that changed is.
func TestChangesPageSaysDatesAsThePage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	copyDir(t, "../../examples/webshop/content", filepath.Join(dir, "content"))
	mustRun(t, ctx, "release", "-source", dir)
	nextVersion(t, dir, "2026.2", "2026.3", "2026-12-01", `{sv = "Ny.", en = "New.", de = "Neu."}`)
	editFile(t, filepath.Join(dir, "content", "retention.toml"), `duration = "P3Y"`, `duration = "P2Y"`)
	mustRun(t, ctx, "release", "-source", dir)
	out := filepath.Join(dir, "public")
	mustRun(t, ctx, "build", "-source", dir, "-out", out)
	b := readFile(t, filepath.Join(out, "releases/2026.3/de/datenschutz/changes/index.html"))
	main := b[strings.Index(b, "<main"):strings.Index(b, "</main>")]
	for _, w := range []string{">01.11.2026</time>", ">01.12.2026</time>", "<del>3</del>", "<ins>2</ins>"} {
		if !strings.Contains(main, w) {
			t.Errorf("the German changes page lacks %q:\n%s", w, main)
		}
	}
	for _, w := range []string{">2026-11-01<", "Zuletzt aktualisiert"} {
		if strings.Contains(main, w) {
			t.Errorf("the German changes page shows %q:\n%s", w, main)
		}
	}
}

// TestDiffOfTheRepositoryAgainstItsRelease: the repository's root, which
// has a folder named site of its own (a Go package), is a site root, not
// an archive: it reads exactly as its current release.
func TestDiffOfTheRepositoryAgainstItsRelease(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	last := lastRelease(t)
	if err := run(context.Background(), []string{"diff", "-color", "never", "../../releases/" + last.Version, "../.."}, &out, &errOut); err != nil {
		t.Fatalf("diff: %v\n%s", err, errOut.String())
	}
	for _, w := range []string{"\nNo changes.\n", "Visitors must be asked again: no (consent revision " + last.Revision + ")"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("diff lacks %q:\n%s", w, out.String())
		}
	}
}

// TestDiffSeesConsentKeptByAnEarlierEditorialRelease: a release after an
// editorial one, with the same consent revision, keeps valid what that one
// kept valid (the endpoint accepts it, its changes page says so); diff from
// a version before the editorial release says so too, naming the release
// that recorded why, instead of offering to release it as editorial.
func TestDiffSeesConsentKeptByAnEarlierEditorialRelease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := framsteget(t)
	nextVersion(t, dir, "2026.3", "2026.4", "", `{sv = "Ny lagringstid.", en = "A new retention period."}`)
	editFile(t, filepath.Join(dir, "content", "retention.toml"), `duration = "P18M"`, `duration = "P2Y"`)
	mustRun(t, ctx, "release", "-source", dir)
	rs, err := notice.ReadReleases(dir)
	if err != nil {
		t.Fatal(err)
	}
	// FRAMSTEGET's 2026.3 is editorial: it keeps 2026.2's consent valid.
	r1, _ := notice.FindRelease(rs, "2026.2")
	r2, _ := notice.FindRelease(rs, "2026.3")
	r3, _ := notice.FindRelease(rs, "2026.4")
	if r3.Editorial != "" || r3.Revision != r2.Revision || !slices.Contains(r3.Accepts, r1.Revision) {
		t.Fatalf("2026.4 was released as %+v, want 2026.3's revision and what it accepts", r3)
	}
	want := "Visitors must be asked again: no, 2026.3 was released as editorial (consent revision " + r1.Revision + " → " + r2.Revision + "; consent given under " + r1.Revision + " stays valid): " + r2.Editorial
	for _, newer := range []string{filepath.Join(dir, "releases", "2026.4"), dir} {
		var out, errOut bytes.Buffer
		if err := run(ctx, []string{"diff", "-color", "never", filepath.Join(dir, "releases", "2026.2"), newer}, &out, &errOut); err != nil {
			t.Fatalf("diff: %v\n%s", err, errOut.String())
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("diff 2026.2 %s says\n%s\nwant %q", newer, out.String(), want)
		}
		out.Reset()
		if err := run(ctx, []string{"diff", "-format", "json", filepath.Join(dir, "releases", "2026.2"), newer}, &out, &errOut); err != nil {
			t.Fatalf("diff: %v\n%s", err, errOut.String())
		}
		var d diffJSON
		if err := json.Unmarshal(out.Bytes(), &d); err != nil || d.Editorial != r2.Editorial {
			t.Errorf("diff -format json 2026.1 %s: editorial %q (%v), want %q", newer, d.Editorial, err, r2.Editorial)
		}
	}
}

// nextVersion moves the notice of the site at dir from version from to
// version to, with a [[history]] entry saying summary (a TOML inline
// table). With a date, the new version takes effect on it; without one,
// its entry is dated 2026-12-15 and effective_date stays.
// lastRelease is the repository's latest release.
func lastRelease(t *testing.T) notice.Release {
	t.Helper()
	rs, err := notice.ReadReleases("../..")
	if err != nil || len(rs) == 0 {
		t.Fatalf("read the repository's releases: %v", err)
	}
	return rs[len(rs)-1]
}

func nextVersion(t *testing.T, dir, from, to, date, summary string) {
	t.Helper()
	n := filepath.Join(dir, "content", "notice.toml")
	editFile(t, n, `version = "`+from+`"`, `version = "`+to+`"`)
	entry := "2026-12-15"
	if date != "" {
		src := regexp.MustCompile(`(?m)^effective_date = .*$`).ReplaceAllString(readFile(t, n), "effective_date = "+date)
		writeFile(t, n, src)
		entry = date
	}
	writeFile(t, n, readFile(t, n)+"\n[[history]]\nversion = \""+to+"\"\ndate = "+entry+"\nsummary = "+summary+"\n")
}
