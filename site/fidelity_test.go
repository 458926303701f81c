package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedPath is FRAMSTEGET's notice as they published it.
var seedPath = filepath.Join("..", "..", "shared", "seed", "integritetspolicy.txt")

// rendered maps a seed line to what the page says instead, where the fact
// is rendered from data rather than copied as prose. Each entry is a fact
// kept, in the words the data renders; none drops a fact.
var rendered = map[string][]string{
	// The legal basis is data (basis = "contract", in the seed's own words
	// with basis_name), rendered under its label; the data category in
	// brackets is the purpose's data_categories.
	"Rättslig grund: Fullgörande av ingångna avtal":         {"Rättslig grund Fullgörande av ingångna avtal"},
	"Rättslig grund: Fullgörande av avtal (Kunduppgifter).": {"Rättslig grund Fullgörande av avtal Personuppgifter Kunduppgifter"},
	"Rättslig grund: Rättslig förpliktelse.":                {"Rättslig grund Rättslig förpliktelse"},
	// "Kunduppgifter:" labels the category; the title renders it.
	"Kunduppgifter: Kunduppgifter är sådana uppgifter som exempelvis namn, adress, e-postadress, telefonnummer, IP-adress samt information om vilka tjänster du har och hur du använder dem. Därutöver behandlar vi även annan information som du lämnat vid dina kontakter med oss.": {
		"Kunduppgifter Kunduppgifter är sådana uppgifter som exempelvis namn, adress, e-postadress, telefonnummer, IP-adress samt information om vilka tjänster du har och hur du använder dem. Därutöver behandlar vi även annan information som du lämnat vid dina kontakter med oss."},
	// The e-mail address is the controller's, rendered under its label.
	"E-post: info@framsteget.net": {"E-post info@framsteget.net"},
}

// TestSeedFidelity checks that every heading, paragraph and list item of
// the seed appears in the text of the Swedish page.
func TestSeedFidelity(t *testing.T) {
	t.Parallel()
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatalf("%v (the seed sits in ../shared beside the repository)", err)
	}
	out := render(t, root, false)
	page := pageText(out.Files["sv/integritetspolicy/index.html"])
	for i, line := range strings.Split(string(seed), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		wants, ok := rendered[line]
		if !ok {
			l := strings.TrimPrefix(line, "- ")
			l = strings.ReplaceAll(l, "*", "") // Markdown emphasis in the seed
			wants = []string{l}
		}
		for _, w := range wants {
			if !strings.Contains(page, norm(w)) {
				t.Errorf("seed line %d not on the Swedish page: %q", i+1, w)
			}
		}
	}
	// Facts that must stand as data, not only as prose.
	for _, fact := range []string{"18 månader", "12 månader", "3 månader", "6 månader", "3 veckor", "690715-6209", "Datainspektionen", "info@framsteget.net", "Se aktuell adress på hemsida."} {
		if !strings.Contains(page, fact) {
			t.Errorf("fact %q not on the Swedish page", fact)
		}
	}
}

// TestEnglishCarriesTheSameFacts checks the English page renders the same
// data: every period, number and name.
func TestEnglishCarriesTheSameFacts(t *testing.T) {
	t.Parallel()
	out := render(t, root, false)
	page := pageText(out.Files["en/privacy-notice/index.html"])
	for _, fact := range []string{"18 months", "12 months", "3 months", "6 months", "3 weeks", "690715-6209", "Datainspektionen", "info@framsteget.net", "Performance of a contract", "Legitimate interest", "Legal obligation", "IPRED"} {
		if !strings.Contains(page, fact) {
			t.Errorf("fact %q not on the English page", fact)
		}
	}
}
