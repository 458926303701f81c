package export

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/dpv"
)

// loadEdited loads testdata/site with old replaced by new in one file.
func loadEdited(t *testing.T, edits ...[3]string) *notice.Notice {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/site/content/*.toml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, e := range edits {
			if e[0] == filepath.Base(f) {
				if !strings.Contains(s, e[1]) {
					t.Fatalf("%s: %q not found", f, e[1])
				}
				s = strings.Replace(s, e[1], e[2], 1)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "content", filepath.Base(f)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n, err := notice.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// helpdesk is a US recipient under SCCs that only the marketing purpose uses.
var helpdesk = [][3]string{
	{"notice.toml", "[transfers]\nnone = true\n", "[transfers]\nsafeguards = {sv = \"Be oss om en kopia.\", en = \"Ask us for a copy.\"}\n"},
	{"purposes.toml", "[[purpose]]\nkey = \"service\"", "[[recipient]]\nkey = \"helpdesk\"\nkind = \"processor\"\nname = \"Helpdesk, Inc.\"\ncountry = \"US\"\nmechanism = \"standard-contractual-clauses\"\n\n[[purpose]]\nkey = \"service\""},
	{"purposes.toml", "retention = [\"after-contract\"]\ndpv = [\"dpv:DirectMarketing\"]", "retention = [\"after-contract\"]\nrecipients = [\"helpdesk\"]\ndpv = [\"dpv:DirectMarketing\"]"},
}

// TestRecordListsATransferOnlyForItsPurpose: a US recipient under SCCs used
// by one purpose appears in that purpose's Art. 30 row, and in no other.
func TestRecordListsATransferOnlyForItsPurpose(t *testing.T) {
	t.Parallel()
	n := loadEdited(t, helpdesk...)
	b, err := RecordCSV(n)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	seen := 0
	for _, r := range rows[1:] {
		purpose, recs, tr := r[col["purpose"]], r[col["recipients"]], r[col["third_country_transfers"]]
		if purpose == "marketing" {
			seen++
			if recs != "Helpdesk, Inc. (processor; US)" {
				t.Errorf("marketing recipients = %q", recs)
			}
			if tr != "Helpdesk, Inc.: US (standard-contractual-clauses, Article 46(2)(c) GDPR)" {
				t.Errorf("marketing transfers = %q", tr)
			}
			continue
		}
		if strings.Contains(strings.Join(r, ","), "Helpdesk") || strings.Contains(tr, "US") {
			t.Errorf("purpose %s names the helpdesk transfer: %q", purpose, r)
		}
	}
	if seen != 1 {
		t.Errorf("%d marketing rows", seen)
	}
	md := string(RecordMarkdown(n))
	if strings.Count(md, "Helpdesk, Inc.: US") != 1 {
		t.Errorf("Markdown record names the transfer %d times:\n%s", strings.Count(md, "Helpdesk, Inc.: US"), md)
	}
}

// TestRecordStatesControllerSide covers Art. 30(1)(a): representative,
// DPO by email alone, joint controllers per purpose, on the UK notice.
func TestRecordStatesControllerSide(t *testing.T) {
	t.Parallel()
	n, err := notice.Load("../notice/testdata/uk")
	if err != nil {
		t.Fatal(err)
	}
	b, err := RecordCSV(n)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	want := map[string][2]string{
		"service":    {"PayFast, Inc.: US (adequacy, Article 45A UK GDPR, DPF certified)", ""},
		"support":    {"Helpdesk Software, Inc.: US, IN (uk-addendum, Article 46(2)(d) UK GDPR)", ""},
		"newsletter": {"none", "Example Events Ltd"},
	}
	for _, r := range rows[1:] {
		p := r[col["purpose"]]
		if got := [2]string{r[col["third_country_transfers"]], r[col["joint_controllers"]]}; got != want[p] {
			t.Errorf("%s: transfers, joint = %q, want %q", p, got, want[p])
		}
		// The legal basis is cited in the notice's law: the UK GDPR.
		if b := r[col["legal_basis"]]; !strings.Contains(b, " UK GDPR)") || strings.Contains(b, "(Article 6(1)(b) GDPR)") || strings.Contains(b, "(Article 6(1)(f) GDPR)") {
			t.Errorf("%s: legal basis %q is not cited in the UK GDPR", p, b)
		}
		if r[col["representative"]] != "Northwind UK Representative Ltd, uk-rep@northwind.example, 1 Example Row, London EC1A 1AA, GB" || r[col["dpo"]] != "Jane Doe dpo@northwind.example" {
			t.Errorf("%s: representative %q, dpo %q", p, r[col["representative"]], r[col["dpo"]])
		}
	}
	md := string(RecordMarkdown(n))
	for _, want := range []string{
		"- Representative (Art. 27): Northwind UK Representative Ltd, uk-rep@northwind.example",
		"- Joint controller (Art. 26): Example Events Ltd, privacy@events.example, GB: Sends the newsletter and answers requests about it.; we: Deciding what the newsletter says and keeping the list of subscribers.",
		"- Data protection officer: Jane Doe dpo@northwind.example",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown record lacks %q:\n%s", want, md)
		}
	}
}

// TestEveryJSONLDTermIsDPV walks the JSON-LD of FRAMSTEGET, the export
// fixture (with a US transfer) and the UK notice: every compact IRI and
// property in a DPV namespace is a DPV 2.3 term, and every other IRI is the
// notice's own, a mailto: or a Dublin Core / XSD name.
func TestEveryJSONLDTermIsDPV(t *testing.T) {
	t.Parallel()
	framsteget, err := notice.Load("..")
	if err != nil {
		t.Fatal(err)
	}
	uk, err := notice.Load("../notice/testdata/uk")
	if err != nil {
		t.Fatal(err)
	}
	gmbh, err := notice.Load("../notice/testdata/gmbh")
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]*notice.Notice{"framsteget": framsteget, "export": loadEdited(t, helpdesk...), "uk": uk, "gmbh": gmbh} {
		b, err := JSONLD(n, "")
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		ctx, _ := doc["@context"].(map[string]any)
		terms := 0
		check := func(s string) {
			pre, _, ok := strings.Cut(s, ":")
			switch {
			case !ok:
				t.Errorf("%s: %q is no IRI", name, s)
			case pre == "https" && strings.HasPrefix(s, strings.TrimRight(n.Meta.BaseURL, "/")+"/"), pre == "mailto", pre == "dct", pre == "xsd":
			case pre == "https" || pre == "http":
				if s != n.AuthorityURL() {
					t.Errorf("%s: foreign IRI %q", name, s)
				}
			default:
				terms++
				if !dpv.Known(s) {
					t.Errorf("%s: %q is not a DPV 2.3 term", name, s)
				}
				if ns, _ := dpv.Namespace(pre); ctx[pre] != ns {
					t.Errorf("%s: @context %s = %v, want %s", name, pre, ctx[pre], ns)
				}
			}
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					if k == "@context" {
						continue
					}
					if !strings.HasPrefix(k, "@") {
						check(k)
					}
					if s, ok := e.(string); ok && (k == "@id" || k == "@type") {
						check(s)
					}
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(doc)
		if terms < 20 {
			t.Errorf("%s: only %d DPV terms checked", name, terms)
		}
		s := string(b)
		for _, want := range map[string][]string{
			"export":     {`"dpv:ThirdCountry"`, `"eu-gdpr:A46-2-c"`, `"dpv:DataProcessor"`, `"dpv:DataProtectionAuthority"`},
			"uk":         {`"legal-gb:DPA-GB"`, `"legal-gb:law-GDPR"`, `"dpv:Representative"`, `"dpv:DataProtectionOfficer"`, `"dpv:JointDataControllers"`, `"eu-gdpr:A45-3"`},
			"framsteget": {`"legal-se:DPA-SE"`, `"pd:ServiceConsumptionBehaviour"`},
			"gmbh":       {`"dpv:hasDataSubject"`, `"dpv:Visitor"`, `"dpv:hasJustification"`, `"legal-de:DPA-DE-NW"`},
		}[name] {
			if !strings.Contains(s, want) {
				t.Errorf("%s: JSON-LD lacks %s", name, want)
			}
		}
	}
}

// TestChangesNameRecipientsCountriesAndMechanisms is the diff of issue 10:
// added, removed and changed recipients, countries and mechanisms.
func TestChangesNameRecipientsCountriesAndMechanisms(t *testing.T) {
	t.Parallel()
	base := loadEdited(t, helpdesk...)
	tests := []struct {
		name  string
		edits [][3]string
		want  []string
	}{
		{"same", nil, nil},
		{"recipient added", [][3]string{{"purposes.toml", "[[recipient]]\nkey = \"bureau\"", "[[recipient]]\nkey = \"crm\"\nkind = \"processor\"\nname = \"CRM Ltd\"\ncountry = \"IE\"\n\n[[recipient]]\nkey = \"bureau\""}},
			[]string{`recipient[crm]: added (CRM Ltd)`}},
		{"recipient removed", [][3]string{{"purposes.toml", "recipients = [\"helpdesk\"]\n", ""}, {"purposes.toml", "[[recipient]]\nkey = \"helpdesk\"\nkind = \"processor\"\nname = \"Helpdesk, Inc.\"\ncountry = \"US\"\nmechanism = \"standard-contractual-clauses\"\n", ""}},
			[]string{`purpose[marketing].recipients: helpdesk → none`, `recipient[helpdesk]: removed (Helpdesk, Inc.)`}},
		{"country and mechanism changed", [][3]string{{"purposes.toml", "country = \"US\"\nmechanism = \"standard-contractual-clauses\"", "countries = [\"US\", \"IN\"]\nmechanism = \"binding-corporate-rules\""}},
			[]string{`recipient[helpdesk].mechanism: standard-contractual-clauses → binding-corporate-rules`, `recipient[helpdesk].countries: US → US, IN`}},
		{"DPF certification", [][3]string{{"purposes.toml", "mechanism = \"standard-contractual-clauses\"", "mechanism = \"adequacy\"\ndpf = true"}},
			[]string{`recipient[helpdesk].dpf: false → true`, `recipient[helpdesk].mechanism: standard-contractual-clauses → adequacy`}},
		{"transfers none", [][3]string{{"notice.toml", "safeguards = {sv = \"Be oss om en kopia.\", en = \"Ask us for a copy.\"}\n", "none = false\nsafeguards = {sv = \"Be oss om en kopia.\", en = \"Ask us for a copy.\"}\n"}},
			[]string{`transfers.none: not stated → false`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, c := range Changes(base, loadEdited(t, append(append([][3]string{}, helpdesk...), tt.edits...)...), nil) {
				got = append(got, c.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestRecordAndJSONLDNameTheCertifiedEntity: the example shop's Irish
// recipients are certified under the Data Privacy Framework through their
// US parents; the record says which, and the JSON-LD carries the address.
func TestRecordAndJSONLDNameTheCertifiedEntity(t *testing.T) {
	t.Parallel()
	n, err := notice.Load("../examples/webshop")
	if err != nil {
		t.Fatal(err)
	}
	b, err := RecordCSV(n)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Google Ireland Limited: US (adequacy, Article 45(3) GDPR, DPF certified as Google LLC)"; !strings.Contains(string(b), want) {
		t.Errorf("record lacks %q:\n%s", want, b)
	}
	ld, err := JSONLD(n, "en")
	if err != nil {
		t.Fatal(err)
	}
	if want := `"dpv:hasAddress"`; !strings.Contains(string(ld), want) || !strings.Contains(string(ld), "Gordon House, Barrow Street, Dublin 4, Ireland") {
		t.Errorf("JSON-LD lacks the recipient's address")
	}
}
