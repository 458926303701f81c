package export

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

// TestExportsStateConditionsSubjectsAndErasure checks what the German
// company's page says of conditional bases, data subjects, retention
// exceptions, the ePrivacy rule and cookies without names, in the exports:
// the record of processing (erasure limits per category of data, Art.
// 30(1)(f)), the JSON-LD (one sub-process per case of a basis), the cookie
// declaration (with its purpose column) and the consent categories.
func TestExportsStateConditionsSubjectsAndErasure(t *testing.T) {
	t.Parallel()
	n, err := notice.Load("../notice/testdata/gmbh")
	if err != nil {
		t.Fatal(err)
	}
	files, err := All(n, revision(t, "../notice/testdata/gmbh", n))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ file, want string }{
		{"record-of-processing.csv", "consent (Article 6(1)(a) GDPR) where storage (§ 25 Abs. 1 TDDDG); legitimate-interests (Article 6(1)(f) GDPR) otherwise"},
		{"record-of-processing.csv", "contract (Article 6(1)(b) GDPR) where pre-contract; legitimate-interests (Article 6(1)(f) GDPR) otherwise"},
		{"record-of-processing.csv", "Kunden und ihre Ansprechpartner (customer, business-contact)"},
		{"record-of-processing.csv", "prospect, customer, business-contact"},
		{"record-of-processing.csv", "Kontaktdaten: enquiries: at most P30D after no-longer-needed unless legal-requirement; crm: at most P30D after processor-contract-end"},
		{"record-of-processing.csv", "Kontaktdaten: customer: until contract-end unless legal-requirement. Vertragsdaten: customer: until contract-end unless legal-requirement; invoices: P8Y after calendar-year-end (§ 147 Abs. 1 Nr. 4, Abs. 3 und 4 AO)"},
		{"record-of-processing.md", "## Time limits for erasure by category of data (Art. 30(1)(f))"},
		{"record-of-processing.md", "| Vertragsdaten (`contract`) | customer: until contract-end unless legal-requirement; invoices: P8Y after calendar-year-end (§ 147 Abs. 1 Nr. 4, Abs. 3 und 4 AO) | contracts, bookkeeping |"},
		{"retention.csv", "enquiries,contact,,enquiries,bound,no-longer-needed,P30D,,,legal-requirement"},
		{"retention.json", `"unless": [`},
		{"cookies.csv", "name,pattern,kind,provider,category,lifetime,domain,party,path,purpose,storage_basis"},
		{"cookies.csv", "bs_consent,false,cookie,Beispiel Software GmbH,necessary,P12M,,first,,Speichert Ihre Cookie-Auswahl.,strictly-necessary"},
		{"cookies.csv", ",false,cookie,Zählwerk Analytics GmbH,statistics,P13M,zaehlwerk.example,third,,Erkennt wiederkehrende Besucher.,consent"},
		{"consent-categories.json", `"law": "§ 25 Abs. 2 Nr. 2 TDDDG"`},
		{"consent-categories.json", `"law": "§ 25 Abs. 1 TDDDG"`},
		{"consent-categories.json", "\"described\": [\n        \"Zählwerk Analytics GmbH\"\n      ]"},
		{"notice.jsonld", `"@id": "dpv:Customer"`},
		{"notice.jsonld", `"dct:identifier": "prospect"`},
	}
	for _, tt := range tests {
		if got := string(files[tt.file]); !strings.Contains(got, tt.want) {
			t.Errorf("%s lacks %q:\n%s", tt.file, tt.want, got)
		}
	}

	// The described cookie has no name in cookies.json.
	var cj struct{ Cookies []map[string]any }
	if err := json.Unmarshal(files["cookies.json"], &cj); err != nil {
		t.Fatal(err)
	}
	if _, named := cj.Cookies[1]["name"]; named || cj.Cookies[1]["provider"] != "Zählwerk Analytics GmbH" {
		t.Errorf("described cookie = %v", cj.Cookies[1])
	}

	// In the JSON-LD a conditional purpose has no bases of its own that
	// would read as applying together: one sub-process per case.
	var doc struct {
		Processes []map[string]any `json:"dpv:hasProcess"`
	}
	if err := json.Unmarshal(files["notice.jsonld"], &doc); err != nil {
		t.Fatal(err)
	}
	var analytics map[string]any
	for _, p := range doc.Processes {
		if strings.HasSuffix(p["@id"].(string), "#purpose-analytics") {
			analytics = p
		}
	}
	if _, both := analytics["dpv:hasLegalBasis"]; both {
		t.Errorf("analytics states its bases together: %v", analytics["dpv:hasLegalBasis"])
	}
	subs, _ := json.Marshal(analytics["dpv:hasProcess"])
	want := `[{"@id":"https://www.beispiel-software.example/de/datenschutz/#purpose-analytics-consent","@type":"dpv:Process","dct:description":"where storage (§ 25 Abs. 1 TDDDG)","dpv:hasLegalBasis":{"@id":"eu-gdpr:A6-1-a"}},{"@id":"https://www.beispiel-software.example/de/datenschutz/#purpose-analytics-legitimate-interests","@type":"dpv:Process","dct:description":"otherwise","dpv:hasLegalBasis":{"@id":"eu-gdpr:A6-1-f"}}]`
	if string(subs) != want {
		t.Errorf("analytics sub-processes:\n%s\nwant\n%s", subs, want)
	}
}

// TestChangesNameConditionsSubjectsAndExceptions checks that diff sees the
// new facts: it walks the model, so a condition, a category of data
// subjects, an exception, the stated ePrivacy rule, a storage exemption
// and a cookie without a name are each a change of their own.
func TestChangesNameConditionsSubjectsAndExceptions(t *testing.T) {
	t.Parallel()
	load := func() *notice.Notice {
		n, err := notice.Load("../notice/testdata/gmbh")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	a, b := load(), load()
	b.Meta.EPrivacy = "AT"
	b.Purposes[1].BasisConditions[0].When = "customer"
	b.Purposes[2].SubjectTypes = b.Purposes[2].SubjectTypes[:1]
	b.Retention[2].Unless = nil
	b.ConsentCategories[0].Exemption = "transmission"
	b.Cookies[1].Lifetime, b.Cookies[1].LifetimeText = notice.Duration{Months: 6}, "P6M"
	var got []string
	for _, c := range Changes(a, b, nil) {
		got = append(got, c.String())
	}
	want := []string{
		`notice.eprivacy: DE → AT`,
		`purpose[analytics].basis_conditions[0].when: storage → customer`,
		`purpose[enquiries].subject_types: prospect, customer, business-contact → prospect`,
		`retention[enquiries].unless: legal-requirement → none`,
		`consent_category[necessary].exemption: none → transmission`,
		`cookie[Erkennt wiederkehrende Besucher].lifetime: P13M → P6M`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
