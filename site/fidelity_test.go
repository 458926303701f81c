package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedPath is FRAMSTEGET's notice as they published it, kept in the
// repository so the suite passes on a clone with nothing beside it.
var seedPath = filepath.Join("testdata", "seed", "integritetspolicy.txt")

// seedSHA256 is the SHA-256 of FRAMSTEGET's published notice, so that the
// copy is checked on a clone with nothing beside it too.
const seedSHA256 = "d629f5f55a7875c5177f74d5474542bd0ef4f58f9eae61c0c7cf2cf83f41abd5"

// TestSeedCopyIsTheSeed checks the copy against the seed's recorded digest,
// and against the shared original where one sits beside the repository.
func TestSeedCopyIsTheSeed(t *testing.T) {
	t.Parallel()
	cp, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(cp); hex.EncodeToString(sum[:]) != seedSHA256 {
		t.Errorf("%s has SHA-256 %x, not the published seed's %s", seedPath, sum, seedSHA256)
	}
	orig, err := os.ReadFile(filepath.Join("..", "..", "shared", "seed", "integritetspolicy.txt"))
	if errors.Is(err, fs.ErrNotExist) {
		return // a clone with nothing beside it: the digest above is the check
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(orig, cp) {
		t.Errorf("%s differs from the shared seed: copy it again", seedPath)
	}
}

// rendered maps a seed line to what the page says instead, where the fact
// is rendered from data rather than copied as prose. Each entry is a fact
// kept, in the words the data renders; none drops a fact.
var rendered = map[string][]string{
	// The legal basis is data (basis = "contract", in the seed's own words
	// with basis_name), rendered under its label; the data category in
	// brackets is the purpose's data_categories, under its own label (after
	// whose data it is, where the purpose names subject_types).
	"Rättslig grund: Fullgörande av ingångna avtal":         {"Rättslig grund Fullgörande av ingångna avtal"},
	"Rättslig grund: Fullgörande av avtal (Kunduppgifter).": {"Rättslig grund Fullgörande av avtal", "Personuppgifter Kunduppgifter"},
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
		t.Fatal(err)
	}
	out := render(t, root, false)
	seedFidelity(t, string(seed), pageText(out.Files["sv/integritetspolicy/index.html"]), rendered)
}

// seedFidelity checks that every line of the seed, or what rendered says
// the page says instead, is in the text of the Swedish page, and that the
// seed's facts stand as data.
func seedFidelity(t *testing.T, seed, page string, rendered map[string][]string) {
	t.Helper()
	for i, line := range strings.Split(seed, "\n") {
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
