// Package dpv holds the W3C Data Privacy Vocabulary (DPV) 2.3 terms that
// integritet accepts in TOML and writes in its JSON-LD: the term names of
// the core vocabulary (dpv:), personal data (pd:), GDPR (eu-gdpr:) and the
// per-country legal extensions (legal-se:, legal-gb:, ...), generated from
// the W3C term lists by gen.go. Licence: LICENSE.md (W3C Document License).
package dpv

import (
	_ "embed"
	"strings"
)

//go:embed terms.txt
var terms string

// Known reports whether t, a prefixed term such as "dpv:DataProcessor" or
// "eu-gdpr:A46-2-c", is a term of DPV 2.3.
func Known(t string) bool {
	if t == "" || strings.ContainsAny(t, "\n#") {
		return false
	}
	return strings.Contains(terms, "\n"+t+"\n")
}

// Namespace returns the IRI a prefix stands for: dpv, pd, eu-gdpr and
// legal-XX (a two-letter country or "eu").
func Namespace(prefix string) (string, bool) {
	switch prefix {
	case "dpv":
		return "https://w3id.org/dpv#", true
	case "pd":
		return "https://w3id.org/dpv/pd#", true
	case "eu-gdpr":
		return "https://w3id.org/dpv/legal/eu/gdpr#", true
	}
	if cc, ok := strings.CutPrefix(prefix, "legal-"); ok && len(cc) == 2 && cc[0] >= 'a' && cc[0] <= 'z' && cc[1] >= 'a' && cc[1] <= 'z' {
		return "https://w3id.org/dpv/legal/" + cc + "#", true
	}
	return "", false
}

// Prefix returns the prefix of a prefixed term ("legal-se" of
// "legal-se:DPA-SE").
func Prefix(t string) string {
	p, _, _ := strings.Cut(t, ":")
	return p
}

// Terms returns every term of DPV 2.3, prefixed, sorted.
func Terms() []string {
	var out []string
	for _, l := range strings.Split(terms, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}
