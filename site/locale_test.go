package site

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// siteWith copies the site at src (its content/*.toml) into a temporary
// folder with the edits (file, old, new, ...) applied.
func siteWith(t *testing.T, src string, edits ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(src, "content", "*.toml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for i := 0; i+2 < len(edits); i += 3 {
			if edits[i] != filepath.Base(f) {
				continue
			}
			if !strings.Contains(s, edits[i+1]) {
				t.Fatalf("%s: edit %q not applied", edits[i], edits[i+1])
			}
			s = strings.Replace(s, edits[i+1], edits[i+2], 1)
		}
		if err := os.WriteFile(filepath.Join(dir, "content", filepath.Base(f)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var webshop = filepath.Join("..", "examples", "webshop")

// TestLegalFormInEachLanguage checks that the standard texts cite the
// articles as each language does, under the notice's jurisdiction, and
// that dates read as each language writes them.
func TestLegalFormInEachLanguage(t *testing.T) {
	t.Parallel()
	uk := siteWith(t, webshop, "notice.toml", `default_language = "sv"`, `default_language = "sv"`+"\njurisdiction = \"UK\"",
		"notice.toml", `eprivacy = "SE"`, `eprivacy = "GB"`)
	for _, c := range []struct {
		site, page string
		want       []string
	}{
		{webshop, "de/datenschutz/index.html", []string{
			"eine Kopie davon (Art. 15 DSGVO)",
			"in den in Art. 17 DSGVO genannten Fällen",
			"(Art. 7 Abs. 3 DSGVO)",
			"Standardvertragsklauseln der Europäischen Kommission (Art. 46 Abs. 2 lit. c DSGVO)",
			"Zuletzt aktualisiert 01.11.2026",
		}},
		{webshop, "de/datenschutz/history/index.html", []string{"März 2026", "01.11.2026"}},
		{webshop, "en/privacy-notice/index.html", []string{
			"a copy of it (Article 15 GDPR)",
			"(Article 7(3) GDPR)",
			"Standard contractual clauses of the European Commission (Article 46(2)(c) GDPR)",
			"Last updated 1 November 2026",
		}},
		{webshop, "en/privacy-notice/history/index.html", []string{"March 2026", "1 November 2026"}},
		{webshop, "sv/integritetspolicy/index.html", []string{
			"kopia av dem (artikel 15 GDPR)",
			"(artikel 7.3 GDPR)",
			"Europeiska kommissionens standardavtalsklausuler (artikel 46.2 c GDPR)",
			"Senast uppdaterad 2026-11-01",
		}},
		{webshop, "sv/integritetspolicy/history/index.html", []string{"mars 2026", "2026-11-01"}},
		{uk, "en/privacy-notice/index.html", []string{
			"a copy of it (Article 15 UK GDPR)",
			"with a supervisory authority (Article 77 UK GDPR)",
		}},
		{uk, "de/datenschutz/index.html", []string{"eine Kopie davon (Art. 15 UK GDPR)"}},
		{uk, "sv/integritetspolicy/index.html", []string{"kopia av dem (artikel 15 UK GDPR)"}},
	} {
		// The UK variant is not a lawful UK notice (lint has its own
		// tests): render it as it stands.
		out, err := Render(context.Background(), c.site, Options{})
		if err != nil {
			t.Fatal(err)
		}
		text := pageText(out.Files[c.page])
		for _, w := range c.want {
			if !strings.Contains(text, norm(w)) {
				t.Errorf("%s %s lacks %q", c.site, c.page, w)
			}
		}
		if strings.Contains(text, "{{") {
			t.Errorf("%s %s has an unexpanded template", c.site, c.page)
		}
	}
}

// TestDateFormIsTheLanguageFile checks that a site writes dates its own
// way through i18n alone: the English long form from the template data.
func TestDateFormIsTheLanguageFile(t *testing.T) {
	t.Parallel()
	dir := siteWith(t, webshop)
	if err := os.MkdirAll(filepath.Join(dir, "i18n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "i18n", "en.toml"), []byte(`date = "{{.Day}} {{.MonthName}} {{.Year}}"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := Render(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if text := pageText(out.Files["en/privacy-notice/index.html"]); !strings.Contains(text, "Last updated 1 November 2026") {
		t.Errorf("en page: %s", text[:200])
	}
	if text := pageText(out.Files["de/datenschutz/index.html"]); !strings.Contains(text, "Zuletzt aktualisiert 01.11.2026") {
		t.Errorf("de page: %s", text[:200])
	}
}

// TestInformalRegisterSaysDu renders the web shop with register =
// "informal": the German page and banner say "du" from the built-in
// strings alone, the Swedish and English pages read as before, and a
// site's own strings still win over the built-in informal ones.
func TestInformalRegisterSaysDu(t *testing.T) {
	t.Parallel()
	informal := siteWith(t, webshop, "notice.toml", `default_language = "sv"`, `default_language = "sv"`+"\nregister = \"informal\"")
	formalOut, err := Render(context.Background(), webshop, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Render(context.Background(), informal, Options{})
	if err != nil {
		t.Fatal(err)
	}
	de := pageText(out.Files["de/datenschutz/index.html"])
	for _, w := range []string{
		"Deine Rechte",
		"Du hast das Recht auf eine Bestätigung, ob wir deine personenbezogenen Daten verarbeiten, und gegebenenfalls auf eine Kopie davon (Art. 15 DSGVO).",
		"bis du dein Konto löschst",
		"Zum Inhalt springen", // the same in both registers
	} {
		if !strings.Contains(de, norm(w)) {
			t.Errorf("informal de page lacks %q", w)
		}
	}
	if m := regexp.MustCompile(`Sie haben das Recht|Wir achten auf Ihre|So erteilen Sie`).FindString(de); m != "" {
		t.Errorf("informal de page says %q", m)
	}
	if cfg := string(out.Files["assets/consent-config.de.json"]); !strings.Contains(cfg, "Wir achten auf deine Privatsphäre") {
		t.Errorf("informal banner: %s", cfg)
	}
	for _, p := range []string{"sv/integritetspolicy/index.html", "en/privacy-notice/index.html"} {
		if pageText(out.Files[p]) != pageText(formalOut.Files[p]) {
			t.Errorf("%s reads differently in the informal register", p)
		}
	}
	// The site's own strings, formal or informal, override the built-in ones.
	if err := os.MkdirAll(filepath.Join(informal, "i18n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"de.toml":          "section_rights = \"Was du tun kannst\"\n",
		"de.informal.toml": "[banner_title]\nother = \"Hallo!\"\n",
	} {
		if err := os.WriteFile(filepath.Join(informal, "i18n", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err = Render(context.Background(), informal, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if de := pageText(out.Files["de/datenschutz/index.html"]); !strings.Contains(de, "Was du tun kannst") || !strings.Contains(de, "Du hast das Recht") {
		t.Errorf("the site's own de.toml does not win over the built-in informal strings")
	}
	if cfg := string(out.Files["assets/consent-config.de.json"]); !strings.Contains(cfg, `"title":"Hallo!"`) {
		t.Errorf("the site's own de.informal.toml is not used: %s", cfg)
	}
}
