package notice

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestClosestSuggestsOnlyWhatIsClose(t *testing.T) {
	t.Parallel()
	keys := []string{"basis", "basis_name", "retention", "data_categories", "description", "key", "title", "interests"}
	tests := []struct {
		word       string
		candidates []string
		want       []string
	}{
		{"basiss", keys, []string{"basis"}},                   // one insertion
		{"retnetion", keys, []string{"retention"}},            // one swap
		{"Description", keys, []string{"description"}},        // case only
		{"data_categries", keys, []string{"data_categories"}}, // one deletion
		{"data-categories", keys, []string{"data_categories"}},
		{"kye", keys, []string{"key"}},
		{"colour", keys, nil}, // nothing near
		{"x", keys, nil},      // too short to guess
		{"interest", keys, []string{"interests"}},
		{"basis_nme", keys, []string{"basis_name"}},
		{"tilte", []string{"title", "tilt", "tile"}, []string{"tile", "tilt", "title"}}, // ties, sorted
		{"lägg", []string{"lagg", "lägga"}, []string{"lagg", "lägga"}},                  // runes, not bytes
		{"basis", keys, nil},                                                            // a known word is not misspelt
	}
	for _, tt := range tests {
		if got := closest(tt.word, tt.candidates); !slices.Equal(got, tt.want) {
			t.Errorf("closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := didYouMean("tilte", []string{"title", "tilt", "tile"}); got != `; did you mean "tile", "tilt" or "title"?` {
		t.Errorf("three suggestions worded %q", got)
	}
}

// Every key of every table of the schema is suggested for itself with a
// letter missing: the suggestions come from the schema Load decodes, the
// one docs/reference.md is generated from, at every depth.
func TestEveryKeyOfTheSchemaIsSuggested(t *testing.T) {
	t.Parallel()
	tables, keys := schemaKeys()
	n := 0
	for _, tb := range tables {
		name, _, _ := strings.Cut(tb, "\x00")
		if got := closest(name[:len(name)-1], keysAt(reflect.TypeOf(document{}), nil)); !slices.Contains(got, name) {
			t.Errorf("table %q missing its last letter: suggested %q", name, got)
		}
		for _, k := range keys[name] {
			path := append([]string{name}, strings.Split(k[0], ".")...)
			key := path[len(path)-1]
			if len(key) < 4 {
				continue // a three-letter key less a letter is too short to guess
			}
			n++
			if got := closest(key[1:], keysAt(reflect.TypeOf(document{}), path[:len(path)-1])); !slices.Contains(got, key) {
				t.Errorf("%s missing its first letter: suggested %q from %q", strings.Join(path, "."), got, keysAt(reflect.TypeOf(document{}), path[:len(path)-1]))
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d keys checked", n)
	}
}

// TestLoadSuggestsKeysAndTerms: an unknown key or a misspelt DPV term is
// still an error at its file:line:col, now with what was probably meant,
// from the schema and from the embedded DPV 2.3 lists; nothing when
// nothing is close.
func TestLoadSuggestsKeysAndTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, old, new, want string
	}{
		{"a key of [notice]", "notice", `effective_date = 2026-11-24`, `efective_date = 2026-11-24`,
			`content/notice.toml:3:1: unknown key "efective_date"; did you mean "effective_date"?`},
		{"a key of [[purpose]]", "purposes", `basis = "contract"`, `basis = "contract"` + "\nretension = [\"r\"]",
			`content/purposes.toml:15:1: unknown key "retension"; did you mean "retention"?`},
		{"a key in a table of [[data_category]]", "purposes", `title = {sv = "Kunduppgifter", en = "Customer data"}`, `title = {sv = "Kunduppgifter", en = "Customer data"}` + "\n[[data_category.examples]]\ntext = {sv = \"t\", en = \"t\"}\ndvp = \"pd:Name\"",
			`content/purposes.toml:6:1: unknown key "dvp"; did you mean "dpv"?`},
		{"a DPV term in a [[data_category.examples]] table", "purposes", `title = {sv = "Kunduppgifter", en = "Customer data"}`, `title = {sv = "Kunduppgifter", en = "Customer data"}` + "\n[[data_category.examples]]\ntext = {sv = \"t\", en = \"t\"}\ndpv = \"pd:EmailAdress\"",
			`content/purposes.toml:6:7: "pd:EmailAdress" is not a term of DPV 2.3 (see https://w3id.org/dpv): check its spelling; did you mean "pd:EmailAddress"?`},
		{"a misspelt table", "purposes", `[[purpose]]`, `[[purposes]]`,
			`content/purposes.toml:10:1: unknown key "purposes"; did you mean "purpose"?`},
		{"a key nothing is like", "purposes", `basis = "contract"`, `basis = "contract"` + "\ncolour = \"blue\"",
			`content/purposes.toml:15:1: unknown key "colour"`},
		{"a DPV term in the wrong case", "purposes", `retention = ["r"]`, `retention = ["r"]` + "\ndpv = [\"dpv:serviceprovision\"]",
			`content/purposes.toml:17:7: "dpv:serviceprovision" is not a term of DPV 2.3 (see https://w3id.org/dpv): check its spelling; did you mean "dpv:ServiceProvision"?`},
		{"a DPV term under another prefix", "purposes", `retention = ["r"]`, `retention = ["r"]` + "\ndpv = [\"dpv:EmailAddress\"]",
			`content/purposes.toml:17:7: "dpv:EmailAddress" is not a term of DPV 2.3 (see https://w3id.org/dpv): check its spelling; did you mean "pd:EmailAddress"?`},
		{"a DPV term without its prefix", "purposes", `retention = ["r"]`, `retention = ["r"]` + "\ndpv = [\"ServiceProvision\"]",
			`content/purposes.toml:17:7: DPV term "ServiceProvision" is not prefix:Term with a known prefix (dpv, pd, eu-gdpr, legal-XX); did you mean "dpv:ServiceProvision"?`},
		{"a DPV term nothing is like", "purposes", `retention = ["r"]`, `retention = ["r"]` + "\ndpv = [\"dpv:Frobnication\"]",
			`content/purposes.toml:17:7: "dpv:Frobnication" is not a term of DPV 2.3 (see https://w3id.org/dpv): check its spelling`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"notice": minimal, "purposes": purposes}
			if !strings.Contains(files[tt.file], tt.old) {
				t.Fatalf("%s has no %q", tt.file, tt.old)
			}
			files[tt.file] = strings.Replace(files[tt.file], tt.old, tt.new, 1)
			src := map[string][]byte{}
			for k, v := range files {
				src["content/"+k+".toml"] = []byte(v)
			}
			_, err := Parse(src)
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("err = %v, want Diagnostics", err)
			}
			if got := ds.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// The unknown keys of releases/releases.toml: suggestions from its own
// schema, not the notice's; a key written in several elements of an array
// of tables named once at each place (not once per element at every
// place).
func TestReleasesNameTheirUnknownKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		want      []string
	}{
		{"its own schema", "[[release]]\nverison = \"2026.1\"\n\n[[releases]]\nversion = \"2026.2\"\n", []string{
			`releases/releases.toml:2:1: unknown key "verison"; did you mean "version"?`,
			`releases/releases.toml:4:1: unknown key "releases"; did you mean "release"?`,
		}},
		{"one key in two elements", "[[release]]\nversion = \"2026.1\"\nrevison = \"a\"\n\n[[release]]\nversion = \"2026.2\"\nrevison = \"b\"\n", []string{
			`releases/releases.toml:3:1: unknown key "revison"; did you mean "revision"?`,
			`releases/releases.toml:7:1: unknown key "revison"; did you mean "revision"?`,
		}},
	}
	for _, tt := range tests {
		_, err := parseReleases("releases/releases.toml", tt.src)
		var ds Diagnostics
		if !errors.As(err, &ds) {
			t.Fatalf("%s: error %v is not Diagnostics", tt.name, err)
		}
		var got []string
		for _, d := range ds {
			if strings.Contains(d.Message, "unknown key") {
				got = append(got, d.String())
			}
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}
