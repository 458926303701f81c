package dpv

import (
	"strings"
	"testing"
)

func TestKnown(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		term string
		want bool
	}{
		{"dpv:DataProcessor", true},
		{"dpv:ServiceProvision", true},
		{"pd:ServiceConsumptionBehaviour", true},
		{"eu-gdpr:A46-2-c", true},
		{"eu-gdpr:A6-1-a", true},
		{"legal-se:DPA-SE", true},
		{"legal-gb:DPA-GB", true},
		{"legal-eu:Adequacy-EU-JP", true},
		// Not DPV 2.3 terms, though they look like it.
		{"dpv:SupervisoryAuthority", false},
		{"eu-gdpr:A82", false},
		{"pd:ServiceConsumptionBehavior", false},
		{"dpv:", false},
		{"DataProcessor", false},
		{"dpv:DataProcessor\ndpv:X", false},
		{"", false},
	} {
		if got := Known(tt.term); got != tt.want {
			t.Errorf("Known(%q) = %v, want %v", tt.term, got, tt.want)
		}
	}
}

func TestEveryTermHasANamespace(t *testing.T) {
	t.Parallel()
	n := 0
	for _, l := range strings.Split(terms, "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		n++
		if _, ok := Namespace(Prefix(l)); !ok {
			t.Errorf("term %q: no namespace for its prefix", l)
		}
	}
	if n < 1500 {
		t.Errorf("only %d terms embedded", n)
	}
}
