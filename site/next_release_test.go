package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// framstegetNext are the edits of FRAMSTEGET's content that state the facts
// of issue 22 (items 1-5) where they apply, released in 2026.3: the
// Swedish ePrivacy rule, the categories of data subjects, the seed's
// "unless the law requires longer" on three rules, and the consent records'
// three years as kept for a reason (GDPR art. 7(1), now the purpose's law),
// not as a period a law sets. An edit already in the content is skipped, so
// the test checks the released content itself; on an older copy of the
// content (the archives of 2026.1 and 2026.2) it renders the edits on a copy.
var framstegetNext = []struct{ file, old, new string }{
	{"notice.toml", "default_language = \"sv\"\n", "default_language = \"sv\"\n# The Swedish rule on cookies and similar storage: LEK 9 kap. 28 §.\neprivacy = \"SE\"\n"},
	{"purposes.toml", "key = \"service-provision\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\n", "key = \"service-provision\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\nsubject_types = [\"customer\"]\n"},
	{"purposes.toml", "key = \"communication\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\n", "key = \"communication\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\nsubject_types = [\"customer\"]\n"},
	{"purposes.toml", "key = \"service-development\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\n", "key = \"service-development\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\nsubject_types = [\"customer\"]\n"},
	{"purposes.toml", "key = \"direct-marketing\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\n", "key = \"direct-marketing\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\nsubject_types = [\"customer\"]\n"},
	{"purposes.toml", "key = \"security\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\n", "key = \"security\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\nsubject_types = [\"customer\"]\n"},
	{"purposes.toml", "key = \"legal-compliance\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\n", "key = \"legal-compliance\"\ndata_subjects = {sv = \"kunder\", en = \"customers\"}\nsubject_types = [\"customer\"]\n"},
	{"purposes.toml", "data_subjects = {sv = \"besökare på webbplatsen\", en = \"visitors to the website\"}\nbasis = \"legal-obligation\"\n", "data_subjects = {sv = \"besökare på webbplatsen\", en = \"visitors to the website\"}\nsubject_types = [\"visitor\"]\nbasis = \"legal-obligation\"\n# The obligation to be able to show consent; it sets no retention period.\nlaw = \"GDPR (EU) 2016/679, art. 7(1)\"\n"},
	{"retention.toml", "until = \"end-of-relationship\"\n", "until = \"end-of-relationship\"\n# \"Vi kan även enligt lag vara skyldiga att spara dem under en längre tid\".\nunless = [\"legal-requirement\"]\n"},
	{"retention.toml", "duration = \"P18M\"\n", "duration = \"P18M\"\n# \"förutom de uppgifter som krävs för att följa lagkrav enligt bokföringslagen\".\nunless = [\"legal-requirement\"]\n"},
	{"retention.toml", "duration = \"P12M\"\nat_most = true\n", "duration = \"P12M\"\nat_most = true\n# \"förutom då vi enligt lag är skyldiga att spara dem under en längre tid\".\nunless = [\"legal-requirement\"]\n"},
	{"retention.toml", "law = \"GDPR (EU) 2016/679, art. 7(1)\"\nanchor = \"decision\"\nduration = \"P3Y\"\n", "# No law sets the three years: GDPR art. 7(1) makes the records necessary\n# (the purpose's law), so it is the reason, not a statutory period.\nanchor = \"decision\"\nduration = \"P3Y\"\nreason = {sv = \"Som bevis på att vi har ditt samtycke (artikel 7.1 i dataskyddsförordningen).\", en = \"As proof that we have your consent (Article 7(1) of the GDPR).\"}\n"},
}

// framstegetNextSite writes FRAMSTEGET's content with framstegetNext
// applied (where not already) into a new site folder, without the
// releases: a draft.
func framstegetNextSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	for _, e := range framstegetNext {
		p := filepath.Join(dir, "content", e.file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), e.new) {
			continue
		}
		if !strings.Contains(string(b), e.old) {
			t.Fatalf("%s: %q is no longer in FRAMSTEGET's content: update framstegetNext", e.file, e.old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), e.old, e.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestFramstegetNextStatesTheNewFacts renders FRAMSTEGET's next release:
// every line of the seed is still on the Swedish page; the cookie
// categories cite LEK 9 kap. 28 §; each purpose says whose data it is; the
// retention table gives the seed's exceptions in a column of their own,
// the consent records' reason, and no law column, since no law sets any of
// its periods.
func TestFramstegetNextStatesTheNewFacts(t *testing.T) {
	t.Parallel()
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, framstegetNextSite(t), false)
	sv := string(out.Files["sv/integritetspolicy/index.html"])
	seedFidelity(t, string(seed), pageText([]byte(sv)), rendered)

	text := pageText([]byte(sv))
	for _, w := range []string{
		"Kan inte stängas av. Information lagras i eller hämtas från din enhet utan ditt samtycke bara i den mån det är nödvändigt för att tillhandahålla en tjänst som du uttryckligen har begärt (9 kap. 28 § andra stycket LEK).",
		"så att vi kan förbättra den. Information lagras i eller hämtas från din enhet bara med ditt samtycke (9 kap. 28 § första stycket LEK).",
		"Rättslig grund Fullgörande av ingångna avtal Registrerade kunder Personuppgifter",
		"Rättslig grund Fullgörande av avtal Registrerade kunder Personuppgifter Kunduppgifter",
		"Rättslig grund Rättslig förpliktelse Lag GDPR (EU) 2016/679, art. 7(1) Registrerade besökare på webbplatsen",
		"Lagringstid så länge du är kund, om inte en lag kräver att vi sparar uppgifterna längre",
		"18 månader efter att fakturan har betalats, om inte en lag kräver att vi sparar uppgifterna längre",
	} {
		if !strings.Contains(text, norm(w)) {
			t.Errorf("the Swedish page lacks %q", w)
		}
	}

	rows := map[string]string{}
	for _, part := range strings.Split(sv, `<tr id="retention-`)[1:] {
		id := part[:strings.IndexByte(part, '"')]
		rows[id] = pageText([]byte(part[strings.IndexByte(part, '>')+1 : strings.Index(part, "</tr>")]))
	}
	table := sv[strings.Index(sv, `<caption id="retention-table">`):]
	if head, want := pageText([]byte(table[:strings.Index(table, "</thead>")])), "Lagringstider i sammanfattning Uppgifter Lagringstid Räknas från Om inte Skäl"; head != want {
		t.Errorf("retention table head = %q, want %q", head, want)
	}
	const unless = "en lag kräver att vi sparar uppgifterna längre"
	tests := []struct {
		rule, row string
		seed      []string // the seed's words the row rests on
	}{
		{"customer-data-while-customer", "Kunduppgifter så länge du är kund – " + unless + " –", []string{"sparar vi de flesta av dina Kunduppgifter så länge som du är kund hos oss", "Vi kan även enligt lag vara skyldiga att spara dem under en längre tid"}},
		{"unpaid-invoice", "Kunduppgifter tills fordran är reglerad – – –", []string{"När det gäller en obetald faktura sparas uppgifterna till dess att fordran är reglerad"}},
		{"paid-invoice", "Kunduppgifter 18 månader efter att fakturan har betalats " + unless + " –", []string{"När fakturan är betald raderas uppgifterna efter 18 månader", "förutom de uppgifter som krävs för att följa lagkrav enligt bokföringslagen"}},
		{"credit-information", "Kreditupplysningsinformation högst 3 månader från inhämtande – –", []string{"Kreditupplysningsinformation raderas efter maximalt 3 månader från inhämtande"}},
		{"troubleshooting", "Kunduppgifter högst 6 månader – – –", []string{"sparar vi uppgifter i maximalt 6 månader"}},
		{"fraud-ip", "Kunduppgifter: IP-adress 3 veckor – – –", []string{"sparar vi i tre veckor IP-adresser"}},
		{"legal-obligation", "Kunduppgifter så länge lagen kräver – – –", []string{"sparas så länge som den aktuella lagen kräver"}},
		{"customer-data-after-contract", "Kunduppgifter högst 12 månader efter att avtalet har upphört " + unless + " –", []string{"När avtalet mellan oss har upphört raderas de (eller anonymiseras) inom 12 månader", "förutom då vi enligt lag är skyldiga att spara dem under en längre tid"}},
		// Not in the seed: the consent records this project itself keeps,
		// for a reason (Art. 7(1)), not for a period a law sets.
		{"consent-records", "Dina cookieval 3 år efter beslutet – Som bevis på att vi har ditt samtycke (artikel 7.1 i dataskyddsförordningen).", nil},
	}
	for _, tt := range tests {
		for _, s := range tt.seed {
			if !strings.Contains(string(seed), s) {
				t.Errorf("%s: the seed does not say %q", tt.rule, s)
			}
		}
		if got := rows[tt.rule]; got != norm(tt.row) {
			t.Errorf("row %s = %q, want %q", tt.rule, got, tt.row)
		}
		delete(rows, tt.rule)
	}
	for id, r := range rows {
		t.Errorf("row %s (%q) is not accounted for", id, r)
	}
	en := pageText(out.Files["en/privacy-notice/index.html"])
	for _, w := range []string{"(9 kap. 28 § första stycket LEK)", "Data subjects customers", "18 months after the invoice has been paid, unless a law requires us to keep the data longer"} {
		if !strings.Contains(en, norm(w)) {
			t.Errorf("the English page lacks %q", w)
		}
	}
}
