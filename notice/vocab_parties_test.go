package notice

import (
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/integritet/integritet/notice/dpv"
)

// TestEveryVocabularyNamesDPVTerms checks every IRI of the built-in tables
// against the DPV 2.3 term lists.
func TestEveryVocabularyNamesDPVTerms(t *testing.T) {
	t.Parallel()
	var all []Term
	for _, v := range []Vocab{LegalBases, Rights, Anchors, Untils, SpecialCategories, Art9Conditions, DataOrigins, StorageKinds} {
		all = append(all, v...)
	}
	all = append(all, RecipientKinds...)
	all = append(all, Mechanisms...)
	all = append(all, Jurisdictions...)
	all = append(all, AuthorityVocab()...)
	for _, c := range Countries() {
		all = append(all, c.Term)
	}
	for _, tm := range all {
		if tm.IRI != "" && !dpv.Known(tm.IRI) {
			t.Errorf("%s: %q is not a DPV 2.3 term", tm.Key, tm.IRI)
		}
	}
}

func TestCountriesAreISO3166(t *testing.T) {
	t.Parallel()
	cs := Countries()
	if len(cs) != 249 {
		t.Errorf("%d countries, want the 249 of ISO 3166-1", len(cs))
	}
	eea, seen := 0, map[string]bool{}
	for _, c := range cs {
		r, err := language.ParseRegion(c.Key)
		if err != nil || !r.IsCountry() || seen[c.Key] {
			t.Errorf("%s: not a country code, or listed twice", c.Key)
		}
		seen[c.Key] = true
		if k, ok := LookupCountry(c.Key); !ok || k != c {
			t.Errorf("LookupCountry(%s) = %+v, %v", c.Key, k, ok)
		}
		if c.EEA {
			eea++
			if c.UKAdequacy != AdequacyFull {
				t.Errorf("%s: EEA state without UK adequacy", c.Key)
			}
		}
	}
	if eea != 30 {
		t.Errorf("%d EEA states, want 30", eea)
	}
	for _, tt := range []struct{ code, eu, uk string }{
		{"US", AdequacyDPF, AdequacyDPF}, {"JP", AdequacyFull, AdequacyFull}, {"KR", AdequacyFull, AdequacyFull},
		{"GB", AdequacyFull, AdequacyNone}, {"GI", AdequacyNone, AdequacyFull}, {"IN", AdequacyNone, AdequacyNone},
		{"CA", AdequacyScope, AdequacyScope}, {"SE", AdequacyNone, AdequacyFull},
	} {
		c, ok := LookupCountry(tt.code)
		if !ok || c.EUAdequacy != tt.eu || c.UKAdequacy != tt.uk {
			t.Errorf("%s: EU %q UK %q, want %q %q", tt.code, c.EUAdequacy, c.UKAdequacy, tt.eu, tt.uk)
		}
	}
	for _, bad := range []string{"", "uk", "UK", "EU", "D ", "XK", "SEE"} {
		if _, ok := LookupCountry(bad); ok {
			t.Errorf("LookupCountry(%q) found a country", bad)
		}
	}
}

func TestAuthoritiesCoverTheEEAAndUKAndSwitzerland(t *testing.T) {
	t.Parallel()
	have := map[string]bool{}
	keys := map[string]bool{}
	for _, a := range Authorities() {
		have[a.Country] = true
		if keys[a.Key] || a.Names["en"] == "" || a.Names[a.Official] == "" || !strings.HasPrefix(a.URL, "https://") {
			t.Errorf("authority %q: want a unique key, an English name and an https address", a.Key)
		}
		keys[a.Key] = true
	}
	for _, c := range append(strings.Fields(eeaStates), "GB", "CH") {
		if !have[c] {
			t.Errorf("no authority for %s", c)
		}
	}
	if n := (&Notice{Authority: Authority{Key: "imy"}}); n.AuthorityName("sv") != "Integritetsskyddsmyndigheten (IMY)" || n.AuthorityName("en") != "Swedish Authority for Privacy Protection (IMY)" || n.AuthorityName("de") != "Integritetsskyddsmyndigheten (IMY)" {
		// A language the table has no name in gets the official name,
		// not the English one.
		t.Errorf("imy names: %q, %q, %q", n.AuthorityName("sv"), n.AuthorityName("en"), n.AuthorityName("de"))
	}
}
