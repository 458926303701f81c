package dpv

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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

// TestProjectNamesOnlyDPVTerms scans the repository's Go sources (tests
// aside) and every TOML file for DPV-prefixed literals: each must be a term
// of DPV 2.3, so no rule or export compares with, or writes, a term that
// does not exist.
func TestProjectNamesOnlyDPVTerms(t *testing.T) {
	t.Parallel()
	lit := regexp.MustCompile(`"((?:dpv|pd|eu-gdpr|legal-[a-z]{2}):[A-Za-z0-9_-]*[A-Za-z0-9])"`)
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != root || d.Name() == "fuzz") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(p, "_test.go") || filepath.Base(p) == "gen.go" || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".toml")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			n++
			if !Known(m[1]) {
				t.Errorf("%s: %q is not a DPV 2.3 term", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("only %d DPV literals found: the scan is broken", n)
	}
}
