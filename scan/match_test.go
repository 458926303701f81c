package scan

import (
	"bytes"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/integritet/integritet/notice"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// loadNotice loads FRAMSTEGET's content plus one extra file.
func loadNotice(t testing.TB, extra string) *notice.Notice {
	t.Helper()
	srcs := map[string][]byte{}
	files, err := filepath.Glob(filepath.Join(repoRoot, "content", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no content: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs["content/"+filepath.Base(f)] = b
	}
	if extra != "" {
		srcs["content/zz-test.toml"] = []byte(extra)
	}
	n, err := notice.Parse(srcs)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return n
}

func TestDeclarationMatches(t *testing.T) {
	t.Parallel()
	const site = "www.example.se"
	tests := []struct {
		name             string
		decl             notice.Cookie
		kind, item, host string
		want             bool
	}{
		{"same name, site's host", notice.Cookie{Name: "sid"}, kindCookie, "sid", "www.example.se", true},
		{"same name, parent domain of the site", notice.Cookie{Name: "sid"}, kindCookie, "sid", ".example.se", true},
		{"other name", notice.Cookie{Name: "sid"}, kindCookie, "sid2", "www.example.se", false},
		{"pattern prefix", notice.Cookie{Name: "_pk_id.*", Pattern: true}, kindCookie, "_pk_id.1.abcd", "www.example.se", true},
		{"pattern needs its prefix", notice.Cookie{Name: "_pk_id.*", Pattern: true}, kindCookie, "_pk_ses.1", "www.example.se", false},
		{"first-party declaration, third-party cookie", notice.Cookie{Name: "IDE"}, kindCookie, "IDE", ".doubleclick.net", false},
		{"declared domain", notice.Cookie{Name: "IDE", Domain: ".doubleclick.net"}, kindCookie, "IDE", ".doubleclick.net", true},
		{"declared domain covers subdomains", notice.Cookie{Name: "IDE", Domain: "doubleclick.net"}, kindCookie, "IDE", "ad.doubleclick.net", true},
		{"declared domain is not a suffix match", notice.Cookie{Name: "IDE", Domain: "click.net"}, kindCookie, "IDE", "doubleclick.net", false},
		{"a cookie declaration does not cover local storage", notice.Cookie{Name: "theme"}, kindLocalStorage, "theme", "www.example.se", false},
		{"a local-storage declaration does", notice.Cookie{Name: "theme", Kind: "local-storage"}, kindLocalStorage, "theme", "www.example.se", true},
		{"kind cookie written out is a cookie", notice.Cookie{Name: "sid", Kind: "cookie"}, kindCookie, "sid", "www.example.se", true},
		{"case of the host does not matter", notice.Cookie{Name: "IDE", Domain: "DoubleClick.net"}, kindCookie, "IDE", "AD.doubleclick.NET", true},
		{"no name: any item of its domain", notice.Cookie{Provider: "Meta", Domain: "facebook.com"}, kindCookie, "fr", ".facebook.com", true},
		{"no name: only its domain", notice.Cookie{Provider: "Meta", Domain: "facebook.com"}, kindCookie, "fr", "www.example.se", false},
		{"no name: only its kind", notice.Cookie{Provider: "Meta", Domain: "facebook.com"}, kindLocalStorage, "fr", "facebook.com", false},
		{"no name, no domain: not the site's own items", notice.Cookie{Provider: "Meta"}, kindCookie, "sid", "www.example.se", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, domain := declOf(tt.decl)
			d := decl{kind: kind, domain: domain, name: strings.TrimSuffix(tt.decl.Name, "*"), pattern: tt.decl.Pattern, c: tt.decl}
			if got := d.matches(tt.kind, tt.item, tt.host, site); got != tt.want {
				t.Errorf("matches(%s %q on %s) = %v, want %v", tt.kind, tt.item, tt.host, got, tt.want)
			}
		})
	}
}

// The checks below run on evidence written by hand: what the browser would
// have recorded.
const checkNotice = `
[[cookie]]
name = "sid"
provider = "FRAMSTEGET"
category = "necessary"
lifetime = "session"
path = "/"
purpose = {sv = "Inloggning.", en = "Login."}

[[cookie]]
name = "_pk_id.*"
pattern = true
provider = "FRAMSTEGET (Matomo)"
category = "statistics"
lifetime = "P13M"
path = "/"
purpose = {sv = "Statistik.", en = "Statistics."}

[[cookie]]
name = "fonts"
provider = "Font CDN"
category = "necessary"
lifetime = "P1D"
domain = "fonts.example.net"
path = "/"
purpose = {sv = "Typsnitt.", en = "Fonts."}

[[recipient]]
key = "video"
kind = "processor"
title = {sv = "Videotjänst", en = "Video service"}
text = {sv = "Visar filmer, se [deras villkor](https://video.example.com/terms).", en = "Shows videos, see [their terms](https://video.example.com/terms)."}
`

// pixelNotice declares a pixel, after checkNotice.
const pixelNotice = `
[[cookie]]
name = "Ads pixel"
kind = "pixel"
provider = "Ads AB"
category = "marketing"
domain = "ads.example.org"
purpose = {sv = "Mäter annonser.", en = "Measures ads."}
`

// TestCheckNamelessDeclarations: cookies the notice describes by provider,
// without names, cover what is stored for their domain (after any named
// declaration), and are reported by provider when nothing matched them.
func TestCheckNamelessDeclarations(t *testing.T) {
	t.Parallel()
	n := loadNotice(t, checkNotice+`
[[cookie]]
provider = "Video AB"
domain = "video.example.com"
category = "marketing"
lifetime = "P1Y"
purpose = {sv = "Videospelaren.", en = "The video player."}

[[cookie]]
provider = "Chat AB"
category = "necessary"
lifetime = "session"
purpose = {sv = "Chatten.", en = "The chat."}

[[cookie]]
name = "vid_pref"
provider = "Video AB"
domain = "video.example.com"
category = "necessary"
lifetime = "P1Y"
purpose = {sv = "Spelarens inställningar.", en = "The player's settings."}
`)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	site, page := "https://www.example.se", "https://www.example.se/"
	consent := Cookie{Name: "framsteget_consent", Domain: "www.example.se", Path: "/", Expires: now.AddDate(0, 6, 0), Page: page, Seen: now}
	base := []Cookie{{Name: "sid", Domain: "www.example.se", Page: page, Seen: now}, {Name: "fonts", Domain: "fonts.example.net", Seen: now}, {Name: "_pk_id.1", Domain: "www.example.se", Expires: now.Add(time.Hour), Seen: now}}
	video := []Cookie{{Name: "vid", Domain: ".video.example.com", ThirdParty: true, Expires: now.AddDate(0, 6, 0), Seen: now}, {Name: "vid_pref", Domain: ".video.example.com", ThirdParty: true, Expires: now.AddDate(0, 6, 0), Seen: now}}
	tests := []struct {
		name string
		ev   []Evidence
		want []string
	}{
		{"the video cookies after Accept all, one named, one not",
			[]Evidence{
				{Pass: Before, Cookies: base[:2], Hosts: []Host{{Host: "fonts.example.net", Count: 1}}},
				{Pass: Reject, Clicked: page, Cookies: []Cookie{consent}},
				{Pass: Accept, Clicked: page, Cookies: append(append([]Cookie{consent}, base[2]), video...), Hosts: []Host{{Host: "video.example.com", Count: 1}}},
			},
			[]string{"stale cookie  at content/zz-test.toml:41 []"}},
		{"the nameless video cookie before any choice; the named necessary one is fine",
			[]Evidence{
				{Pass: Before, Cookies: append(base[:2:2], video...), Hosts: []Host{{Host: "fonts.example.net", Count: 1}}},
				{Pass: Reject, Clicked: page, Cookies: []Cookie{consent}},
				{Pass: Accept, Clicked: page, Cookies: []Cookie{consent, base[2]}},
			},
			[]string{"before-choice cookie vid at content/zz-test.toml:34 [before]", "stale cookie  at content/zz-test.toml:41 []"}},
		{"nothing of the video player",
			[]Evidence{
				{Pass: Before, Cookies: base[:2], Hosts: []Host{{Host: "fonts.example.net", Count: 1}}},
				{Pass: Reject, Clicked: page, Cookies: []Cookie{consent}},
				{Pass: Accept, Clicked: page, Cookies: []Cookie{consent, base[2]}},
			},
			[]string{"stale cookie  at content/zz-test.toml:34 []", "stale cookie  at content/zz-test.toml:41 []", "stale cookie vid_pref at content/zz-test.toml:47 []"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got, msgs []string
			for _, f := range Check(n, &Result{Site: site, Start: page, Time: now, Passes: tt.ev}, nil) {
				got = append(got, brief(f))
				msgs = append(msgs, f.Message)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%s\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), strings.Join(msgs, "\n"))
			}
			for _, m := range msgs {
				if strings.Contains(m, `""`) {
					t.Errorf("a finding names a cookie by an empty name: %s", m)
				}
			}
		})
	}
}

func TestCheckFindings(t *testing.T) {
	t.Parallel()
	n := loadNotice(t, checkNotice)
	withPixel := loadNotice(t, checkNotice+pixelNotice)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	site := "https://www.example.se"
	page := site + "/"
	consent := Cookie{Name: "framsteget_consent", Domain: "www.example.se", Path: "/", Expires: now.AddDate(0, 6, 0), Page: page, Seen: now}
	pk := func(life time.Duration) Cookie {
		return Cookie{Name: "_pk_id.1", Domain: "www.example.se", Path: "/", Expires: now.Add(life), Page: page, Seen: now}
	}
	all := func(c ...Cookie) []Cookie { return c }
	tests := []struct {
		name   string
		passes []Evidence
		want   []string
	}{
		{"everything as declared",
			[]Evidence{
				{Pass: Before, Cookies: all(Cookie{Name: "sid", Domain: "www.example.se", Page: page, Seen: now}), Hosts: []Host{{Host: "fonts.example.net", URLs: []string{"https://fonts.example.net/a.woff2"}, Count: 1}}},
				{Pass: Reject, Clicked: page, Cookies: all(consent, Cookie{Name: "fonts", Domain: "fonts.example.net", ThirdParty: true, Seen: now})},
				{Pass: Accept, Clicked: page, Cookies: all(consent, pk(395*24*time.Hour)), Hosts: []Host{{Host: "video.example.com", URLs: []string{"https://video.example.com/embed"}, Count: 2}}},
			},
			nil},
		{"a statistics cookie before the choice and after refusal",
			[]Evidence{
				{Pass: Before, Cookies: all(pk(time.Hour))},
				{Pass: Reject, Clicked: page, Cookies: all(consent, pk(time.Hour))},
				{Pass: Accept, Clicked: page, Cookies: all(consent, pk(time.Hour))},
			},
			[]string{
				"stale cookie sid at content/zz-test.toml:2 []",
				"before-choice cookie _pk_id.1 at content/zz-test.toml:10 [before]",
				"after-refusal cookie _pk_id.1 at content/zz-test.toml:10 [reject]",
				"stale cookie fonts at content/zz-test.toml:19 []",
			}},
		{"lifetimes: within the slack, beyond it, persistent instead of session",
			[]Evidence{
				{Pass: Before, Cookies: all(Cookie{Name: "sid", Domain: "www.example.se", Expires: now.Add(48 * time.Hour), Seen: now}, Cookie{Name: "fonts", Domain: "fonts.example.net", Expires: now.Add(24*time.Hour + 23*time.Hour), Seen: now})},
				{Pass: Reject, Clicked: page, Cookies: all(consent)},
				{Pass: Accept, Clicked: page, Cookies: all(consent, pk(now.AddDate(0, 13, 2).Sub(now)))},
			},
			[]string{
				"lifetime cookie sid at content/zz-test.toml:2 [before]",
				"lifetime cookie _pk_id.1 at content/zz-test.toml:10 [accept]",
			}},
		{"a declared pixel fires before a choice; after Accept all it is expected",
			[]Evidence{
				{Pass: Before, Cookies: all(Cookie{Name: "sid", Seen: now, Domain: "www.example.se"}, Cookie{Name: "fonts", Domain: "fonts.example.net", Seen: now}), Hosts: []Host{{Host: "px.ads.example.org", URLs: []string{"https://px.ads.example.org/p.gif"}, Count: 1}}},
				{Pass: Reject, Clicked: page, Cookies: all(consent)},
				{Pass: Accept, Clicked: page, Cookies: all(consent, pk(time.Hour)), Hosts: []Host{{Host: "px.ads.example.org", URLs: []string{"https://px.ads.example.org/p.gif"}, Count: 1}}},
			},
			[]string{"before-choice host px.ads.example.org at content/zz-test.toml:34 [before]"}},
		{"a host under a recipient's notice domain is among the recipients",
			[]Evidence{
				{Pass: Before, Cookies: all(Cookie{Name: "sid", Seen: now, Domain: "www.example.se"}, Cookie{Name: "fonts", Domain: "fonts.example.net", Seen: now})},
				{Pass: Reject, Clicked: page, Cookies: all(consent)},
				{Pass: Accept, Clicked: page, Cookies: all(consent, pk(time.Hour)), Hosts: []Host{{Host: "script.heatmaps.example", URLs: []string{"https://script.heatmaps.example/h.js"}, Count: 1}, {Host: "heatmaps.example.org", URLs: []string{"https://heatmaps.example.org/h.js"}, Count: 1}}},
			},
			[]string{"unknown-host host heatmaps.example.org [accept]"}},
		{"no banner, a third party that nobody names, requested before a choice",
			[]Evidence{
				{Pass: Before, Cookies: all(Cookie{Name: "sid", Seen: now, Domain: "www.example.se"}, Cookie{Name: "fonts", Domain: "fonts.example.net", Seen: now}), Hosts: []Host{{Host: "tracker.example.org", URLs: []string{"https://tracker.example.org/p.gif"}, Count: 1}}},
				{Pass: Reject},
				{Pass: Accept, Clicked: page, Cookies: all(consent, pk(time.Hour))},
			},
			[]string{
				"before-choice host tracker.example.org [before]",
				"no-banner page " + page + " [reject]",
				"unknown-host host tracker.example.org [before]",
			}},
	}
	// A recipient's own notice names its domain.
	withNotice := loadNotice(t, checkNotice+`
[[recipient]]
key = "heatmaps"
kind = "processor"
name = "Heatmaps Ltd"
country = "SE"
notice = "https://www.heatmaps.example/privacy"
text = {sv = "Värmekartor.", en = "Heatmaps."}
`)
	// The banner posts to a consent endpoint on another host: necessary,
	// and no recipient needs to name it.
	n2 := loadNotice(t, checkNotice)
	n2.Banner.Endpoint = "https://consent.example.net/api/consent"
	tests = append(tests, struct {
		name   string
		passes []Evidence
		want   []string
	}{"the banner's own endpoint on another host",
		[]Evidence{
			{Pass: Before, Cookies: all(Cookie{Name: "sid", Domain: "www.example.se", Page: page, Seen: now}, Cookie{Name: "fonts", Domain: "fonts.example.net", Seen: now})},
			{Pass: Reject, Clicked: page, Cookies: all(consent), Hosts: []Host{{Host: "consent.example.net", URLs: []string{n2.Banner.Endpoint}, Count: 1}}},
			{Pass: Accept, Clicked: page, Cookies: all(consent, pk(time.Hour)), Hosts: []Host{{Host: "consent.example.net", URLs: []string{n2.Banner.Endpoint}, Count: 1}}},
		}, nil})
	for i, tt := range tests {
		n := n
		switch {
		case i == len(tests)-1:
			n = n2
		case strings.Contains(tt.name, "pixel"):
			n = withPixel
		case strings.Contains(tt.name, "recipient's notice"):
			n = withNotice
		}
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &Result{Site: site, Start: page, Time: now, Passes: tt.passes}
			var got []string
			for _, f := range Check(n, r, nil) {
				got = append(got, brief(f))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestOpenCookieDatabaseLookup(t *testing.T) {
	t.Parallel()
	db, err := OpenDB()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, platform, entry string
		ok                    bool
	}{
		{"_ga", "Google Analytics", "_ga", true},
		{"_ga_ABC123", "Google Analytics", "_ga_", true}, // wildcard, longest prefix
		{"_gali", "Google Analytics", "_gali", true},     // exact beats a prefix
		{"integritet-unknown", "", "", false},
	}
	for _, tt := range tests {
		e, ok := db.lookup(tt.name)
		if ok != tt.ok || e.Platform != tt.platform || e.Name != tt.entry {
			t.Errorf("Lookup(%q) = %q %q %v, want %q %q %v", tt.name, e.Name, e.Platform, ok, tt.entry, tt.platform, tt.ok)
		}
	}
	if !strings.Contains(License(), "Apache License") {
		t.Error("the embedded licence is not the Apache License")
	}
}

func TestRetentionISO(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"2 years": "P2Y", "13 months": "P13M", "1 Year": "P1Y", "30 days": "P30D", "2 weeks": "P2W", "Session": "session", "30 minutes": "", "forever": "", "0 days": ""} {
		got, ok := retentionISO(in)
		if got != want || ok != (want != "") {
			t.Errorf("retentionISO(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestDraftsLoadAndSayWhereTheyCameFrom(t *testing.T) {
	t.Parallel()
	n := loadNotice(t, "")
	db, err := OpenDB()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		it   draftItem
		want []string
	}{
		{"known, wildcard", draftItem{kind: kindCookie, name: "_ga_XYZ", domain: "127.0.0.1", lifetime: 400 * 24 * time.Hour, pass: Accept, setBy: "http://127.0.0.1/a.js:1:2"},
			[]string{`name = "_ga_*"`, "pattern = true", `provider = "Google"`, `category = "statistics"`, `lifetime = "P400D"`, "retention \"2 years\"", "set by http://127.0.0.1/a.js:1:2", `en = "TODO: review: ID used to identify users"`, `sv = "TODO: review and translate: ID used`}},
		{"known marketing cookie of a third party", draftItem{kind: kindCookie, name: "_fbp", domain: ".facebook.com", thirdParty: true, lifetime: 90 * 24 * time.Hour, pass: Accept},
			[]string{`category = "marketing"`, `domain = ".facebook.com"`, `lifetime = "P90D"`}},
		{"unknown session cookie", draftItem{kind: kindCookie, name: "x\"y\\z\n", session: true, pass: Before},
			[]string{`name = "x\"y\\z\n"`, `provider = "TODO: who sets it"`, `category = "statistics"`, `lifetime = "session"`, "Not in the Open Cookie Database", `en = "TODO: say what it is for."`}},
		{"local storage", draftItem{kind: kindLocalStorage, name: "theme", pass: Before},
			[]string{"\n[[cookie]]\nname = \"theme\"\nkind = \"local-storage\"\n", `lifetime = "P1Y"`, "P1Y is a placeholder"}},
		{"a cookie of half an hour", draftItem{kind: kindCookie, name: "_hjSession_1", lifetime: 30 * time.Minute, pass: Before},
			[]string{`lifetime = "PT30M"`, "rounded up to whole minutes"}},
		{"a cookie of a few hours", draftItem{kind: kindCookie, name: "x", lifetime: 2*time.Hour + time.Second, pass: Before},
			[]string{`lifetime = "PT3H"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := db.draft(n, tt.it)
			for _, w := range tt.want {
				if !strings.Contains(d, w) {
					t.Errorf("draft lacks %q:\n%s", w, d)
				}
			}
			n2 := parseWith(t, d)
			if n2 == nil {
				return
			}
			last := n2.Cookies[len(n2.Cookies)-1]
			if last.KindKey() != tt.it.kind {
				t.Errorf("draft declares kind %q, want %q", last.KindKey(), tt.it.kind)
			}
			if want := tt.it.name; !strings.HasSuffix(last.Name, "*") && last.Name != want {
				t.Errorf("draft declares %q, want %q", last.Name, want)
			}
		})
	}
}

// parseWith parses FRAMSTEGET's content with src appended to its cookies
// file; it fails the test when that does not load.
func parseWith(t testing.TB, src string) *notice.Notice {
	t.Helper()
	srcs := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join(repoRoot, "content", "*.toml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs["content/"+filepath.Base(f)] = b
	}
	srcs["content/cookies.toml"] = append(srcs["content/cookies.toml"], src...)
	n, err := notice.Parse(srcs)
	if err != nil {
		t.Errorf("the draft does not load: %v\n%s", err, src)
		return nil
	}
	return n
}

// FuzzDraft: whatever names and URLs a site uses, the draft is TOML that
// loads and declares exactly that name.
func FuzzDraft(f *testing.F) {
	n := loadNotice(f, "")
	db, err := OpenDB()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("_ga", "example.com", "http://example.com/a.js:1:1", int64(3600))
	f.Add("a\"b", ".x", "\n# [[cookie]]", int64(-1))
	f.Add("\x00\xff\u2028", "", "", int64(0))
	f.Fuzz(func(t *testing.T, name, domain, setBy string, life int64) {
		if name == "" || strings.HasSuffix(name, "*") {
			return // the browser has no such cookie; a declaration cannot say it
		}
		it := draftItem{kind: kindCookie, name: name, domain: domain, thirdParty: domain != "", setBy: setBy, pass: Accept, session: life <= 0, lifetime: time.Duration(life%(1<<40)) * time.Second}
		d := db.draft(n, it)
		var doc struct {
			Cookie []map[string]any `toml:"cookie"`
		}
		if _, err := toml.Decode(d, &doc); err != nil {
			t.Fatalf("draft is not TOML: %v\n%s", err, d)
		}
		if len(doc.Cookie) != 1 {
			t.Fatalf("draft has %d tables:\n%s", len(doc.Cookie), d)
		}
		got, _ := doc.Cookie[0]["name"].(string)
		if _, known := db.lookup(name); !known && got != string([]rune(name)) {
			t.Fatalf("draft declares %q, want %q", got, name)
		}
	})
}

func TestReportGolden(t *testing.T) {
	t.Parallel()
	n := loadNotice(t, checkNotice)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	page := "https://www.example.se/"
	r := &Result{Site: "https://www.example.se", Start: page, Time: now, Passes: []Evidence{
		{Pass: Before, Pages: []string{page}, Cookies: []Cookie{{Name: "_ga", Domain: ".example.se", Path: "/", Expires: now.AddDate(2, 0, 0), SameSite: "Lax", SetBy: "https://www.example.se/ga.js:1:20", Page: page, Seen: now}},
			Storage: []Storage{{Kind: kindLocalStorage, Origin: "https://www.example.se", Name: "theme", Page: page}},
			Hosts:   []Host{{Host: "tracker.example.org", URLs: []string{"https://tracker.example.org/p.gif?<x>"}, Types: []string{"Image"}, Count: 1, Page: page}}},
		{Pass: Reject, Pages: []string{page}, Clicked: page},
		{Pass: Accept, Pages: []string{page}, Clicked: page},
	}}
	db, err := OpenDB()
	if err != nil {
		t.Fatal(err)
	}
	rep := NewReport(r, Check(n, r, db))
	for _, g := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report.txt", func(b *bytes.Buffer) error { return rep.WriteText(b) }},
		{"report.html", func(b *bytes.Buffer) error { return rep.WriteHTML(b) }},
		{"report.json", func(b *bytes.Buffer) error { return rep.WriteJSON(b) }},
	} {
		var b bytes.Buffer
		if err := g.write(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", g.file)
		if *update {
			writeFile(t, path, b.Bytes())
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./scan -run Golden -update)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from the golden file (go test ./scan -run Golden -update to accept):\n%s", g.file, b.String())
		}
	}
}

// FuzzCookieFromWrite: whatever a page writes to document.cookie, reading
// its attributes never panics and keeps the name and the page's origin
// unless the write names a domain.
func FuzzCookieFromWrite(f *testing.F) {
	f.Add("_ga", " Path=/; Max-Age=63072000; SameSite=Lax", "http://127.0.0.1:8080")
	f.Add("x", "domain=.Example.COM; expires=Wed, 21 Oct 2015 07:28:00 GMT; secure", "https://www.example.com")
	f.Add("", ";;==;max-age=-1;max-age=99999999999999999999", "::")
	f.Fuzz(func(t *testing.T, name, attrs, origin string) {
		at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		c := cookieFromWrite(write{kind: kindCookie, name: name, attrs: attrs, origin: origin, at: at}, "example.com")
		if c.Name != name || !c.Transient || c.Seen != at {
			t.Fatalf("cookieFromWrite lost the write: %+v", c)
		}
		if !strings.Contains(strings.ToLower(attrs), "domain") && c.Domain != "" {
			if u, err := url.Parse(origin); err != nil || c.Domain != u.Hostname() {
				t.Fatalf("domain %q from origin %q", c.Domain, origin)
			}
		}
		if !c.Expires.IsZero() && c.Lifetime() < 0 && strings.Contains(strings.ToLower(attrs), "max-age") && !strings.Contains(strings.ToLower(attrs), "expires") {
			t.Fatalf("a positive max-age gave a cookie that expired before it was written: %+v", c)
		}
	})
}

func TestCookieFromWriteCapsAt400Days(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, attrs := range []string{"Max-Age=10000000000", "expires=Fri, 01 Jan 2100 00:00:00 GMT"} {
		c := cookieFromWrite(write{name: "x", attrs: attrs, origin: "http://127.0.0.1", at: at}, "127.0.0.1")
		if got := c.Lifetime(); got != 400*24*time.Hour {
			t.Errorf("%s: lifetime %s, want 400 days", attrs, got)
		}
	}
}

// What a gated script stores, the dialogs and the loops, checked from
// evidence alone (the browser tests in record_test.go produce it).
func TestCheckGatesDialogsAndLoops(t *testing.T) {
	t.Parallel()
	n := loadNotice(t, checkNotice)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	site := "https://www.example.se"
	page := site + "/"
	consent := Cookie{Name: "framsteget_consent", Domain: "www.example.se", Path: "/", Expires: now.AddDate(0, 6, 0), Page: page, Seen: now}
	base := []Cookie{{Name: "sid", Domain: "www.example.se", Page: page, Seen: now}, {Name: "fonts", Domain: "fonts.example.net", Seen: now}}
	stats := &Gate{Categories: "statistics", Script: site + "/tag.js"}
	tests := []struct {
		name   string
		passes []Evidence
		want   []string
		msg    string // a finding's message must hold this
	}{
		{"an item unknown to everyone, stored by a gated script before a choice and after a refusal",
			[]Evidence{
				{Pass: Before, Cookies: base, Storage: []Storage{{Kind: kindLocalStorage, Origin: site, Name: "wx_state", Page: page, Gate: stats}}},
				{Pass: Reject, Clicked: page, Cookies: []Cookie{consent}, Storage: []Storage{{Kind: kindLocalStorage, Origin: site, Name: "wx_state", Page: page, Gate: stats}}},
				{Pass: Accept, Clicked: page, Cookies: []Cookie{consent, {Name: "_pk_id.1", Domain: "www.example.se", Page: page, Seen: now, Gate: stats}}, Storage: []Storage{{Kind: kindLocalStorage, Origin: site, Name: "wx_state", Page: page, Gate: stats}}},
			},
			[]string{
				"undeclared local-storage wx_state [before,reject,accept]",
				"before-choice local-storage wx_state [before]",
				"after-refusal local-storage wx_state [reject]",
			},
			`local-storage "wx_state" was stored before any choice by a script the banner gates for "statistics" (https://www.example.se/tag.js)`},
		{"a declared necessary cookie, stored by a gated script",
			[]Evidence{
				{Pass: Before, Cookies: []Cookie{{Name: "sid", Domain: "www.example.se", Page: page, Seen: now, Gate: stats}, base[1]}},
				{Pass: Reject, Clicked: page, Cookies: []Cookie{consent}},
				{Pass: Accept, Clicked: page, Cookies: []Cookie{consent, {Name: "_pk_id.1", Domain: "www.example.se", Page: page, Seen: now}}},
			},
			[]string{"before-choice cookie sid at content/zz-test.toml:2 [before]"},
			`cookie "sid" (category "necessary") was stored before any choice by a script the banner gates for "statistics"`},
		{"a script gated as necessary gates nothing",
			[]Evidence{
				{Pass: Before, Cookies: []Cookie{{Name: "sid", Domain: "www.example.se", Page: page, Seen: now, Gate: &Gate{Categories: "necessary", Script: site + "/a.js"}}, base[1]}},
				{Pass: Reject, Clicked: page, Cookies: []Cookie{consent}},
				{Pass: Accept, Clicked: page, Cookies: []Cookie{consent, {Name: "_pk_id.1", Domain: "www.example.se", Page: page, Seen: now}}},
			},
			nil, ""},
		{"dialogs and loops are reported once, with the passes that met them; no banner says why",
			[]Evidence{
				{Pass: Before, Cookies: base, Dialogs: []Dialog{{Type: "alert", Message: "Hej\n  där!", Page: page, Count: 2}}, Loops: []Loop{{Page: site + "/a/", URLs: []string{site + "/a/", site + "/b/"}, Navigations: 11}}},
				{Pass: Reject, Loops: []Loop{{Page: site + "/a/", URLs: []string{site + "/a/", site + "/b/"}, Navigations: 11}}},
				{Pass: Accept, Clicked: page, Cookies: []Cookie{consent, {Name: "_pk_id.1", Domain: "www.example.se", Page: page, Seen: now}}, Dialogs: []Dialog{{Type: "alert", Message: "Hej\n  där!", Page: page, Count: 1}}},
			},
			[]string{
				"no-banner page " + page + " [reject]",
				"navigation-loop page " + site + "/a/ [before,reject]",
				"dialog dialog alert [before,accept]",
			},
			`the page opened alert("Hej där!"); the scan dismissed it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &Result{Site: site, Start: page, Time: now, Passes: tt.passes}
			var got []string
			found := tt.msg == ""
			for _, f := range Check(n, r, nil) {
				got = append(got, brief(f))
				found = found || strings.Contains(f.Message, tt.msg)
				if f.Rule == ruleNoBanner && f.Evidence != site+"/a/ kept navigating" {
					t.Errorf("no-banner evidence %q: want the loop", f.Evidence)
				}
				if f.Rule == ruleLoop && f.Evidence != site+"/a/ → "+site+"/b/ → …" {
					t.Errorf("loop evidence %q", f.Evidence)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if !found {
				t.Errorf("no finding says %q", tt.msg)
			}
		})
	}
}
