package export

import (
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

// model is the notice that uses the model's general facts (shared with the
// site package's page tests).
func model(t *testing.T) *notice.Notice {
	t.Helper()
	n, err := notice.Load("../site/testdata/model")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestExportsStateTheGeneralFacts checks that what the page shows of
// special categories, Art. 9(2) conditions, several bases, retention shapes
// and storage kinds also reaches the exports.
func TestExportsStateTheGeneralFacts(t *testing.T) {
	t.Parallel()
	files, err := All(model(t), revision(t, "../site/testdata/model", model(t)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ file, want string }{
		{"notice.jsonld", `"@id": "eu-gdpr:A6-1-b"`},
		{"notice.jsonld", `"@id": "eu-gdpr:A6-1-f"`},
		{"notice.jsonld", `"@id": "eu-gdpr:A9-2-a"`},
		{"notice.jsonld", `"@id": "pd:Health"`},
		{"notice.jsonld", `"@type": "dpv:IndeterminateDuration"`},
		{"notice.jsonld", `"@value": "PT72H"`},
		{"retention.csv", "usage,usage,,orders;statistics,bound,,P6M,,"},
		{"retention.csv", "ip,account,ip,orders,period,collection,PT72H,,"},
		{"retention.csv", "reviews,account,,orders,indefinite,,,,"},
		{"cookies.csv", "_stat,false,cookie,Statistik Ltd,statistics,PT30M,stats.example.net,third,"},
		{"cookies.csv", "cart,false,local-storage,Exempel AB,necessary,session,,first,"},
		{"record-of-processing.csv", "contract (Article 6(1)(b) GDPR); legitimate-interests (Article 6(1)(f) GDPR); explicit-consent (Article 9(2)(a) GDPR)"},
		{"record-of-processing.csv", "Dietary preferences (special categories: health)"},
	}
	for _, tt := range tests {
		got, ok := files[tt.file]
		if !ok {
			t.Fatalf("no %s in %v", tt.file, keys(files))
		}
		if !strings.Contains(string(got), tt.want) {
			t.Errorf("%s lacks %q:\n%s", tt.file, tt.want, got)
		}
	}
}

// TestChangesNameTheGeneralFacts checks that diff sees the new facts.
func TestChangesNameTheGeneralFacts(t *testing.T) {
	t.Parallel()
	a, b := model(t), model(t)
	b.Purposes[0].Special = nil
	b.Purposes[0].Law = "Lag (2026:1)"
	b.Purposes[1].ConsentGiven = nil
	b.DataCategories[1].Examples[1].Special = ""
	b.Cookies[1].Kind = "cookie"
	b.Children.MinAge = 13
	b.Retention[1].Items = nil
	var got []string
	for _, c := range Changes(a, b, nil) {
		got = append(got, c.String())
	}
	want := []string{
		`data_category[diet].examples[allergies].special: health → none`,
		`purpose[orders].law: none → Lag (2026:1)`,
		`purpose[orders].special_conditions: explicit-consent → none`,
		`purpose[newsletter].consent_given: wording changed`,
		`retention[ip].items: ip → none`,
		`children.min_age: 16 → 13`,
		`cookie[cart].kind: local-storage → cookie`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
