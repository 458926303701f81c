package notice

import "testing"

// TestCiteInEachLanguageAndJurisdiction checks the citation forms a lawyer
// reading each language expects, under the EU GDPR and the UK GDPR.
func TestCiteInEachLanguageAndJurisdiction(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ jur, lang, art, want string }{
		{"EU", "en", "6(1)(f)", "Article 6(1)(f) GDPR"},
		{"UK", "en", "6(1)(f)", "Article 6(1)(f) UK GDPR"},
		{"UK", "en-GB", "15", "Article 15 UK GDPR"},
		{"EU", "de", "6(1)(f)", "Art. 6 Abs. 1 lit. f DSGVO"},
		{"EU", "de-AT", "7(3)", "Art. 7 Abs. 3 DSGVO"},
		{"UK", "de", "15", "Art. 15 UK GDPR"},
		{"EU", "sv", "6(1)(f)", "artikel 6.1 f GDPR"},
		{"EU", "sv", "7(3)", "artikel 7.3 GDPR"},
		{"EU", "sv", "46(2)(b), 47", "artiklarna 46.2 b och 47 GDPR"},
		{"EU", "en", "46(2)(b), 47", "Articles 46(2)(b) and 47 GDPR"},
		{"EU", "de", "28(2), 28(4)", "Art. 28 Abs. 2 und 28 Abs. 4 DSGVO"},
		{"EU", "en", "49(1) second subparagraph", "Article 49(1) second subparagraph GDPR"},
		{"EU", "de", "49(1) second subparagraph", "Art. 49 Abs. 1 UAbs. 2 DSGVO"},
		{"EU", "sv", "49(1) second subparagraph", "artikel 49.1 andra stycket GDPR"},
		{"EU", "fr", "6(1)(f)", "Art. 6(1)(f) GDPR"},
		{"UK", "cy", "46(2)(b), 47", "Art. 46(2)(b), 47 UK GDPR"},
		// The UK GDPR approves transfers by regulations under Art. 45A
		// since the Data (Use and Access) Act 2025 omitted Art. 45.
		{"UK", "en", "45(3)", "Article 45A UK GDPR"},
		{"UK", "de", "45(3)", "Art. 45A UK GDPR"},
		{"EU", "en", "45(3)", "Article 45(3) GDPR"},
		{"UK", "en", "46(2)(d)", "Article 46(2)(d) UK GDPR"},
	} {
		n := &Notice{Meta: Meta{Jurisdiction: c.jur}}
		if got := n.Cite(c.lang, c.art); got != c.want {
			t.Errorf("%s %s Cite(%q) = %q, want %q", c.jur, c.lang, c.art, got, c.want)
		}
	}
	if got := (&Notice{}).LawName("de"); got != "DSGVO" {
		t.Errorf("LawName(de) = %q", got)
	}
}
