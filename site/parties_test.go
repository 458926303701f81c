package site

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/integritet/integritet/notice"
)

// ukSite is the UK notice fixture: jurisdiction UK, the ICO, named
// processors abroad, a DPO given by email only, a representative and a
// joint controller.
var ukSite = filepath.Join("..", "notice", "testdata", "uk")

// TestRecipientsTable checks the recipients table row by row: name, role,
// country and safeguard, in the words of the UK notice.
func TestRecipientsTable(t *testing.T) {
	t.Parallel()
	out := render(t, ukSite, false)
	page := string(out.Files["en/privacy/index.html"])
	table := regexp.MustCompile(`(?s)<caption id="recipient-table">.*?</table>`).FindString(page)
	if table == "" {
		t.Fatal("no recipients table on the page")
	}
	var rows []string
	for _, m := range regexp.MustCompile(`(?s)<tr id="recipient-row-[^"]+">(.*?)</tr>`).FindAllStringSubmatch(table, -1) {
		rows = append(rows, pageText([]byte(m[1])))
	}
	want := []string{
		"Cloudhost Ltd Processor United Kingdom Not needed (within the UK)",
		"PayFast, Inc. Processor United States Adequacy regulations (Article 45A UK GDPR), certified under the UK Extension to the EU-US Data Privacy Framework",
		"Helpdesk Software, Inc. Processor United States, India UK Addendum to the EU standard contractual clauses (Article 46(2)(d) UK GDPR)",
		"Example Events Ltd Joint controller United Kingdom Not needed (within the UK)",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	text := pageText([]byte(page))
	for _, fact := range []string{
		// Under each purpose, who receives its data.
		"Recipients Cloudhost Ltd, PayFast, Inc.",
		"Recipients Helpdesk Software, Inc.",
		// The DPO renders from its email alone; "none appointed" does not.
		"Data protection officer Jane Doe Our data protection officer answers questions about this notice. E-mail dpo@northwind.example",
		"Our representative in the UK Representative Northwind UK Representative Ltd",
		"Joint controllers Example Events Ltd Processing decided jointly Newsletter Responsible for Sends the newsletter and answers requests about it. We are responsible for Deciding what the newsletter says",
		"Supervisory authority Information Commissioner's Office (ICO)",
		"Copy of the safeguards Ask our DPO",
		"Their privacy notice https //events.example/privacy",
	} {
		if !strings.Contains(text, norm(fact)) {
			t.Errorf("page lacks %q", fact)
		}
	}
	for _, bad := range []string{"We have not appointed", "EU/EEA", "Our representative in the EU"} {
		if strings.Contains(text, bad) {
			t.Errorf("page says %q", bad)
		}
	}
	if !strings.Contains(page, `<a href="https://ico.org.uk">`) {
		t.Error("the authority does not link to its web address")
	}
}

// TestGoldenUKPage compares the UK notice's page with its golden file.
func TestGoldenUKPage(t *testing.T) {
	t.Parallel()
	got := render(t, ukSite, false).Files["en/privacy/index.html"]
	golden := filepath.Join("testdata", "golden", "uk_en_privacy_index.html")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./site -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test ./site -update and review the diff)", golden)
	}
}

// TestFramstegetRecipientsStayAsTheSeedHasThem keeps FRAMSTEGET's three
// recipient groups in seed order and wording, with no invented country.
func TestFramstegetRecipientsStayAsTheSeedHasThem(t *testing.T) {
	t.Parallel()
	out := render(t, root, false)
	page := string(out.Files["sv/integritetspolicy/index.html"])
	var heads []string
	for _, m := range regexp.MustCompile(`<h3 id="recipient-[^"]+">([^<]*)</h3>`).FindAllStringSubmatch(page, -1) {
		heads = append(heads, m[1])
	}
	want := []string{"Leverantörer och andra personuppgiftsbiträden som behandlar personuppgifter för vår räkning", "Myndigheter och Räddningstjänst", "Rättighetsinnehavare enligt upphovsrättslagstiftningen"}
	if strings.Join(heads, "|") != strings.Join(want, "|") {
		t.Errorf("recipient headings %q, want %q", heads, want)
	}
	table := pageText([]byte(regexp.MustCompile(`(?s)<caption id="recipient-table">.*?</table>`).FindString(page)))
	if strings.Count(table, "Inte angivet") != 3 {
		t.Errorf("recipients table should say 'Inte angivet' for each country: %s", table)
	}
	for _, country := range []string{"Sverige", "USA", "Storbritannien"} {
		if strings.Contains(table, country) {
			t.Errorf("recipients table names %s, which the seed does not", country)
		}
	}
}

// TestVocabularyMessagesExist checks that every term of the party
// vocabularies has its name in every shipped language.
func TestVocabularyMessagesExist(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"sv", "en"} {
		src := source{}
		b, err := loadBundle(src, &notice.Notice{Meta: notice.Meta{Languages: []string{lang}, DefaultLanguage: lang}})
		if err != nil {
			t.Fatal(err)
		}
		tag, _ := language.Parse(lang)
		loc := i18n.NewLocalizer(b, tag.String())
		for _, v := range []notice.Vocab{notice.RecipientKinds, notice.Mechanisms, notice.Jurisdictions} {
			for _, tm := range v {
				if _, err := loc.Localize(&i18n.LocalizeConfig{MessageID: tm.Msg}); err != nil {
					t.Errorf("%s: no message %q for %s", lang, tm.Msg, tm.Key)
				}
			}
		}
	}
}

// TestCustomAuthority: an authority outside the built-in table, with no
// key, renders with its own name and address.
func TestCustomAuthority(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(ukSite, "content", "*.toml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(f) == "notice.toml" {
			b = bytes.Replace(b, []byte(`key = "ico"`), []byte(`name = {en = "Gibraltar Regulatory Authority"}`+"\n"+`url = "https://www.gra.gi"`), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, "content", filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page := string(render(t, dir, false).Files["en/privacy/index.html"])
	if !strings.Contains(page, `<h3 id="authority">Supervisory authority</h3><p><a href="https://www.gra.gi">Gibraltar Regulatory Authority</a></p>`) {
		t.Errorf("custom authority not rendered:\n%s", regexp.MustCompile(`(?s)<h3 id="authority">.*?</p>`).FindString(page))
	}
}

// TestPurposeRetentionNamesOnlyItsData checks that a purpose's retention
// names the data a rule keeps only among the purpose's own: the UK
// notice's account rule also covers support requests, which "Providing
// the service" does not process, so its line names account data alone,
// and the newsletter, whose one category the rule covers whole, names
// none.
func TestPurposeRetentionNamesOnlyItsData(t *testing.T) {
	t.Parallel()
	text := pageText(render(t, ukSite, false).Files["en/privacy/index.html"])
	for _, w := range []string{
		"Account data, Payment data Retention 2 years after the contract has ended, unless we need the data to establish, exercise or defend legal claims (Account data) 6 years",
		"Personal data Account data Retention 2 years after the contract has ended, unless we need the data to establish, exercise or defend legal claims Recipients Example Events Ltd",
	} {
		if !strings.Contains(text, norm(w)) {
			t.Errorf("page lacks %q", w)
		}
	}
	// The retention table still names all the data each rule covers.
	if w := "Account data, Support requests 2 years after the contract has ended"; !strings.Contains(text, norm(w)) {
		t.Errorf("retention table lacks %q", w)
	}
}
