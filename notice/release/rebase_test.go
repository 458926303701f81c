package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

// site is the notice of a site at base, in Swedish and English.
func site(t *testing.T, base string) *notice.Notice {
	t.Helper()
	return &notice.Notice{Meta: notice.Meta{BaseURL: base, Languages: []string{"sv", "en"}, DefaultLanguage: "sv",
		Slug: notice.Text{"sv": "integritetspolicy", "en": "privacy-notice"}}}
}

// archived is a page of 2026.1 as an archive holds it, rendered under
// prefix on framsteget.net.
func archived(prefix string) string {
	return `<!doctype html><html lang="sv"><head><link rel="canonical" href="https://framsteget.net` + prefix + `/releases/2026.1/sv/integritetspolicy/">` +
		`<link rel="alternate" hreflang="en" href="https://framsteget.net` + prefix + `/releases/2026.1/en/privacy-notice/">` +
		`<link rel=stylesheet href='` + prefix + `/releases/2026.1/assets/notice.css'>` +
		`<meta http-equiv="refresh" content="0; url=` + prefix + `/releases/2026.1/sv/integritetspolicy/"></head><body>` +
		`<a href="` + prefix + `/releases/2026.1/en/privacy-notice/?x=1&amp;y=2#cookies">English</a> <a href="#main">skip</a>` +
		`<a href="mailto:info@framsteget.net">mail</a> <a href="https://www.imy.se/releases/2026.1/">IMY</a>` +
		`<img srcset="` + prefix + `/releases/2026.1/assets/a.png 1x, ` + prefix + `/releases/2026.1/assets/b.png 2x" src="` + prefix + `/releases/2026.1/assets/a.png">` +
		`<p>See https://framsteget.net` + prefix + `/releases/2026.1/sv/integritetspolicy/ (text, not a link).</p>` +
		`<footer><a href="` + prefix + `/releases/2026.1/sv/integritetspolicy/history/">Versioner</a></footer>` +
		`<script type="application/ld+json">{"@id": "https://framsteget.net` + prefix + `/releases/2026.1/sv/integritetspolicy/#controller", "x": "https://w3id.org/dpv#"}</script>` +
		`</body></html>`
}

// TestRebaseMovesAnArchiveToAnyBase re-bases an archived page, rendered at
// the root or under a path, for sites at the root, under a path and on
// another host: references into the archive become relative, the
// archive's absolute URLs move to the current base_url, its history link
// goes to the current history page, and nothing else changes, its text
// least of all.
func TestRebaseMovesAnArchiveToAnyBase(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{
		"sv/integritetspolicy/index.html": nil, "en/privacy-notice/index.html": nil,
		"assets/notice.css": nil, "assets/a.png": nil, "assets/b.png": nil,
	}
	for _, prefix := range []string{"", "/old/path"} {
		for _, tt := range []struct {
			base, abs string
		}{
			{"https://framsteget.net", "https://framsteget.net/releases/2026.1/"},
			{"https://example.se/legal/", "https://example.se/legal/releases/2026.1/"},
			{"https://example.se/", "https://example.se/releases/2026.1/"},
		} {
			page := archived(prefix)
			rb := newRebaser("2026.1", map[string][]byte{"sv/integritetspolicy/index.html": []byte(page)}, site(t, tt.base))
			rb.files = files
			got := string(rb.file("sv/integritetspolicy/index.html", []byte(page)))
			for _, w := range []string{
				`<link rel="canonical" href="` + tt.abs + `sv/integritetspolicy/">`,
				`hreflang="en" href="` + tt.abs + `en/privacy-notice/">`,
				`<link rel=stylesheet href="../../assets/notice.css">`,
				`content="0; url=./"`,
				`<a href="../../en/privacy-notice/?x=1&amp;y=2#cookies">English</a>`,
				`<a href="#main">`, `<a href="mailto:info@framsteget.net">`, `<a href="https://www.imy.se/releases/2026.1/">`,
				`srcset="../../assets/a.png 1x, ../../assets/b.png 2x" src="../../assets/a.png"`,
				`<p>See https://framsteget.net` + prefix + `/releases/2026.1/sv/integritetspolicy/ (text, not a link).</p>`,
				`<a href="../../../../sv/integritetspolicy/history/">Versioner</a>`,
				`{"@id": "` + tt.abs + `sv/integritetspolicy/#controller", "x": "https://w3id.org/dpv#"}`,
			} {
				if !strings.Contains(got, w) {
					t.Errorf("prefix %q, base %s: lacks %s\n%s", prefix, tt.base, w, got)
				}
			}
			if VisibleText([]byte(got)) != VisibleText([]byte(page)) {
				t.Errorf("prefix %q, base %s: the visible text changed", prefix, tt.base)
			}
		}
	}
}

// TestRebaseSendsHistoryToALanguageTheSiteHas: the history link of an
// archived page in a language the notice has since dropped goes to the
// default language's history page; a slug renamed since is followed.
func TestRebaseSendsHistoryToALanguageTheSiteHas(t *testing.T) {
	t.Parallel()
	n := site(t, "https://example.se/")
	n.Meta.Slug = notice.Text{"sv": "dataskydd"}
	n.Meta.Languages = []string{"sv"}
	rb := newRebaser("1", nil, n)
	for ref, want := range map[string]string{
		"/releases/1/en/privacy-notice/history/":    "../../../../sv/dataskydd/history/",
		"/releases/1/sv/integritetspolicy/history/": "../../../../sv/dataskydd/history/",
	} {
		if got := rb.ref(ref, "en/privacy-notice/index.html", false); got != want {
			t.Errorf("%s → %s, want %s", ref, got, want)
		}
	}
}

func TestRelative(t *testing.T) {
	t.Parallel()
	for _, tt := range [][3]string{
		{"releases/1/sv/x", "releases/1/sv/x/", "./"},
		{"releases/1/sv/x", "releases/1/assets/a.css", "../../assets/a.css"},
		{"releases/1/sv/x", "releases/1/en/y/", "../../en/y/"},
		{"releases/1", "releases/1/sv/x/", "sv/x/"},
		{"releases/1/sv/x", "sv/x/history/", "../../../../sv/x/history/"},
		{"releases/1", "releases/1/a:b", "./a:b"},
	} {
		if got := relative(tt[0], tt[1]); got != tt[2] {
			t.Errorf("relative(%q, %q) = %q, want %q", tt[0], tt[1], got, tt[2])
		}
	}
}

// TestReadPublishesTheRepositoryArchivesAsReleased: FRAMSTEGET's archives,
// written by an earlier integritet, published re-based under a path, read
// exactly as their releases recorded (same digest), and the archived
// changes pages of the old format are left to the build.
func TestReadPublishesTheRepositoryArchivesAsReleased(t *testing.T) {
	t.Parallel()
	rs, err := notice.ReadReleases("../..")
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	n.Meta.BaseURL = "https://example.se/legal/"
	as, err := Read("../..", rs, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		old, err := notice.Load(filepath.Join("../..", notice.ReleasesDir, a.Release.Version))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		prefix := notice.ReleasesDir + "/" + a.Release.Version + "/"
		for p, b := range a.Files {
			files[strings.TrimPrefix(p, prefix)] = b
			if strings.Contains(p, "/changes/") {
				t.Errorf("%s: an archived changes page is published", p)
			}
			if strings.HasSuffix(p, ".html") && strings.Contains(string(b), `="/releases/`) {
				t.Errorf("%s still refers to /releases/ from the root", p)
			}
		}
		if got := Digest(old, files); got != a.Release.Digest {
			t.Errorf("%s: published, the archive reads %s; released %s", a.Release.Version, got, a.Release.Digest)
		}
		raw, err := os.ReadFile(filepath.Join("../..", notice.ReleasesDir, a.Release.Version, "site", "sv", "integritetspolicy", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), `href="../../assets/`) {
			t.Errorf("%s: the archive itself was rewritten", a.Release.Version)
		}
	}
}

// FuzzRebase: any archived page, however malformed, is re-based without
// a panic, and re-basing it again changes nothing. (That it reads the
// same is checked on real pages: VisibleText reads tags more simply than
// a browser, so on malformed markup the two disagree about what a tag is.)
func FuzzRebase(f *testing.F) {
	f.Add(archived(""))
	f.Add(archived("/legal"))
	if b, err := os.ReadFile("../../releases/2026.2/site/sv/integritetspolicy/index.html"); err == nil {
		f.Add(string(b))
	}
	f.Add(`<a href="/releases/2026.1/`)
	f.Add(`<a href='/releases/2026.1/x' href=/releases/2026.1/y><script>`)
	f.Add(`<meta http-equiv=refresh content="0;url='/releases/2026.1/'">`)
	f.Fuzz(func(t *testing.T, page string) {
		n := &notice.Notice{Meta: notice.Meta{BaseURL: "https://example.se/legal/", DefaultLanguage: "sv", Slug: notice.Text{"sv": "x"}}}
		once := newRebaser("2026.1", map[string][]byte{"sv/x/index.html": []byte(page)}, n).file("sv/x/index.html", []byte(page))
		twice := newRebaser("2026.1", map[string][]byte{"sv/x/index.html": once}, n).file("sv/x/index.html", once)
		if string(twice) != string(once) {
			t.Errorf("re-based twice:\n%q\n%q\n%q", page, once, twice)
		}
	})
}
