package site

import (
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
			"Legal basis Performance of a contract; Legitimate interest",
			"Condition for special categories of data Explicit consent (Article 9(2)(a))",
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
			"Account data indefinitely (no time limit) – –",
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
			"Rättslig grund Fullgörande av avtal; Berättigat intresse",
			"Undantag för känsliga personuppgifter Uttryckligt samtycke (artikel 9(2)(a))",
			"Så lämnar du ditt samtycke Du kryssar i rutan i kassan.",
			"Kontouppgifter: IP-adress 72 timmar från insamlingen",
			"Användning högst 6 månader –",
			"_stat Cookie Statistik Ltd stats.example.net (tredjepart) Statistik 30 minuter",
			"Våra tjänster riktar sig inte till barn under 16 år.",
		}},
		{"en/privacy/history/index.html", []string{"2025-03"}},
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
