package site

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPageSaysWhatTheModelSays renders a notice that uses the model's
// general facts (testdata/model) and checks that each stands on the page
// as the notice states it, in both languages.
func TestPageSaysWhatTheModelSays(t *testing.T) {
	t.Parallel()
	out := render(t, "testdata/model", false)
	tests := []struct {
		page string
		want []string
	}{
		{"en/privacy/index.html", []string{
			"Legal basis Performance of a contract Legitimate interest",
			"Condition for special categories of data Explicit consent (Article 9(2)(a) GDPR)",
			"allergies data concerning health",
			"How you give your consent You tick the box at checkout.",
			"How you withdraw your consent Click the link in every newsletter.",
			"Consent You give and withdraw your consent in the category Statistics of our cookie settings.",
			"Data we collect about you",
			"Data that arises when you use our services",
			// Retention as stated: no invented start, "at most" kept,
			// the item rule names its item only.
			"Account data: IP address 72 hours from collection",
			"Usage at most 6 months –",
			// A reason where the notice gives one; no law column, since
			// no law sets a period here.
			"Account data indefinitely (no time limit) – Reviews are public.",
			"Account data until you withdraw your consent – –",
			"until you delete your account",
			// Storage kinds, party and sub-day lifetimes.
			"cart Local storage (localStorage) Exempel AB this website (first party)",
			"_stat Cookie Statistik Ltd stats.example.net (third party) Statistics 30 minutes",
			"Our services are not directed at children under 16.",
			"How we check age We ask for your age when you create an account.",
			"What this notice covers The web shop and customer service.",
		}},
		{"sv/integritet/index.html", []string{
			"Rättslig grund Fullgörande av avtal Berättigat intresse",
			"Undantag för känsliga personuppgifter Uttryckligt samtycke (artikel 9.2 a GDPR)",
			"Så lämnar du ditt samtycke Du kryssar i rutan i kassan.",
			"Kontouppgifter: IP-adress 72 timmar från insamlingen",
			"Användning högst 6 månader –",
			"_stat Cookie Statistik Ltd stats.example.net (tredjepart) Statistik 30 minuter",
			"Våra tjänster riktar sig inte till barn under 16 år.",
		}},
		{"en/privacy/history/index.html", []string{"March 2025"}},
	}
	for _, tt := range tests {
		text := pageText(out.Files[tt.page])
		for _, w := range tt.want {
			if !strings.Contains(text, norm(w)) {
				t.Errorf("%s lacks %q", tt.page, w)
			}
		}
	}
	// The newsletter's consent is not asked for in the cookie banner.
	cfg := string(out.Files["assets/consent-config.en.json"])
	if strings.Contains(cfg, "Newsletter") || !strings.Contains(cfg, `"key":"statistics"`) {
		t.Errorf("banner config: %s", cfg)
	}
}

// TestExtraSectionsTakeTheirPlace checks the contents: "scope" after the
// data section, "changes" (no after) at the end, "children" in its place.
func TestExtraSectionsTakeTheirPlace(t *testing.T) {
	t.Parallel()
	out := render(t, "testdata/model", false)
	page := string(out.Files["en/privacy/index.html"])
	toc := page[strings.Index(page, `<nav class="toc"`):]
	toc = toc[:strings.Index(toc, "</nav>")]
	var ids []string
	for _, part := range strings.Split(toc, `href="#`)[1:] {
		ids = append(ids, part[:strings.IndexByte(part, '"')])
	}
	want := "data section-scope purposes retention children cookies contact section-changes"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("contents = %s\nwant       %s", got, want)
	}
}

// modelWith copies testdata/model into a temporary site with the edits
// (old → new) applied to its notice.toml.
func modelWith(t *testing.T, edits ...string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/model/content/notice.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(s, edits[i]) {
			t.Fatalf("edit %q not applied", edits[i])
		}
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "notice.toml"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestNoConsentToAskNoBanner: a notice whose only consent category is the
// necessary one ships no banner script, stylesheet, configuration, snippet
// or "Cookie settings" link, and no gpc.json.
func TestNoConsentToAskNoBanner(t *testing.T) {
	t.Parallel()
	dir := modelWith(t,
		"[[consent_category]]\nkey = \"statistics\"", "[[consent_category_]]\nkey = \"statistics\"",
	)
	// Remove the statistics category, its cookie and its purpose.
	b, _ := os.ReadFile(filepath.Join(dir, "content", "notice.toml"))
	s := string(b)
	s = s[:strings.Index(s, "[[consent_category_]]")] + s[strings.Index(s, "[[cookie]]"):]
	s = s[:strings.Index(s, "[[cookie]]\nname = \"_stat\"")]
	s = strings.Replace(s, s[strings.Index(s, "[[purpose]]\nkey = \"statistics\""):strings.Index(s, "[banner]")], "", 1)
	if err := os.WriteFile(filepath.Join(dir, "content", "notice.toml"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := Render(context.Background(), dir, buildOptions(false))
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range out.Files {
		switch {
		case strings.Contains(p, "consent.") || strings.Contains(p, "snippet") || strings.Contains(p, "consent-config"):
			t.Errorf("banner file %s shipped", p)
		case p == ".well-known/gpc.json":
			t.Errorf("gpc.json shipped without a banner")
		case strings.HasSuffix(p, ".html"):
			for _, bad := range []string{"data-consent-open", "integritet-config", "consent."} {
				if strings.Contains(string(b), bad) {
					t.Errorf("%s holds %q", p, bad)
				}
			}
		}
	}
	// The necessary cookie is still declared on the page.
	if page := pageText(out.Files["en/privacy/index.html"]); !strings.Contains(page, "shop_consent") {
		t.Error("the necessary cookie is not declared")
	}
}

// TestPublishedUnderAPath builds a notice whose base_url has a path, serves
// the output under that path, and follows every link, asset and reference
// of every page: each resolves under the path.
func TestPublishedUnderAPath(t *testing.T) {
	t.Parallel()
	dir := modelWith(t, `base_url = "https://shop.example.org"`, `base_url = "https://shop.example.org/legal/"`)
	out, err := Render(context.Background(), dir, buildOptions(true))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/legal/", http.StripPrefix("/legal", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		b, ok := out.Files[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	})))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	refRE := regexp.MustCompile(`(?:href|src|content)="?([^" >]+)|"notice":"([^"]+)"|url=([^" >]+)`)
	checked := 0
	for p, b := range out.Files {
		if !strings.HasSuffix(p, ".html") && !strings.HasSuffix(p, ".json") {
			continue
		}
		for _, m := range refRE.FindAllStringSubmatch(string(b), -1) {
			ref := m[1] + m[2] + m[3]
			if strings.HasPrefix(ref, "https://shop.example.org/") {
				ref = strings.TrimPrefix(ref, "https://shop.example.org")
			}
			if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "/api/") {
				continue // external, mailto:, a fragment, or the consent endpoint
			}
			if !strings.HasPrefix(ref, "/legal/") {
				t.Errorf("%s: %q is not under /legal/", p, ref)
				continue
			}
			u := ref
			if i := strings.IndexByte(u, '#'); i >= 0 {
				u = u[:i]
			}
			resp, err := http.Get(srv.URL + u)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %s answers %d", p, ref, resp.StatusCode)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("only %d references checked: the scan is broken", checked)
	}
}

// TestSiteStringsOverrideKeyByKey: a site's i18n file replaces only the
// strings it has; every other string comes from the built-in file, so a
// string added in a later release never breaks an older site.
func TestSiteStringsOverrideKeyByKey(t *testing.T) {
	t.Parallel()
	dir := modelWith(t)
	if err := os.MkdirAll(filepath.Join(dir, "i18n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "i18n", "en.toml"), []byte("toc = \"On this page\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := Render(context.Background(), dir, buildOptions(false))
	if err != nil {
		t.Fatal(err)
	}
	page := pageText(out.Files["en/privacy/index.html"])
	for _, w := range []string{"On this page", "How long is the data kept?", "Legal basis"} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(page, "Contents") {
		t.Error("the built-in string the site overrides is still there")
	}
	// A broken site file is reported by its own name.
	if err := os.WriteFile(filepath.Join(dir, "i18n", "en.toml"), []byte("toc = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Render(context.Background(), dir, buildOptions(false)); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "i18n", "en.toml")) {
		t.Errorf("err = %v", err)
	}
}
