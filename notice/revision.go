package notice

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Revision identifies what a visitor consents to: a hash over the consent
// categories, the cookies and the consent-based purposes (keys, categories,
// lifetimes; not their wording). When it changes the banner asks again, so
// nobody has to remember to bump a number. 16 lowercase hex characters.
func (n *Notice) Revision() string {
	type cookie struct{ Name, Provider, Category, Lifetime, Domain, Path, Kind string }
	type purpose struct {
		Key, Consent   string
		DataCategories []string
	}
	var v struct {
		Categories []string
		Necessary  string
		Cookies    []cookie
		Purposes   []purpose
	}
	for _, c := range n.ConsentCategories {
		if c.Necessary {
			v.Necessary = c.Key
		}
		v.Categories = append(v.Categories, c.Key)
	}
	for _, c := range n.Cookies {
		v.Cookies = append(v.Cookies, cookie{c.Name, c.Provider, c.Category, c.LifetimeText, c.Domain, c.Path, c.Kind})
	}
	for _, p := range n.Purposes {
		if p.Basis.Has("consent") && p.Consent != "" {
			v.Purposes = append(v.Purposes, purpose{p.Key, p.Consent, p.DataCategories})
		}
	}
	b, _ := json.Marshal(v) // fixed struct of strings: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
