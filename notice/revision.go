package notice

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
)

// Revision identifies what a visitor consents to: a hash over the consent
// categories (keys, titles, descriptions), the cookies (name, provider,
// category, kind, lifetime, domain, path and purpose), the consent-based
// purposes (key, category, data categories) and the banner's own texts
// (ui: message key to text, per language, as the site's i18n files give
// them), in every language of the notice. When any of it changes, wording
// included, the banner asks again, so nobody has to remember to bump a
// number; a release may record that a change was editorial (see Release).
// 16 lowercase hex characters.
func (n *Notice) Revision(ui map[string]map[string]string) string {
	type cookie struct {
		Name, Provider, Category, Lifetime, Domain, Path, Kind string
		Purpose                                                map[string]string
	}
	type category struct {
		Key                string
		Title, Description map[string]string
	}
	type purpose struct {
		Key, Consent   string
		DataCategories []string
	}
	var v struct {
		Categories []string
		Necessary  string
		Cookies    []cookie
		Purposes   []purpose
		Texts      []category
		UI         [][3]string
	}
	lang := func(t Text) map[string]string {
		out := map[string]string{}
		for _, l := range n.Meta.Languages {
			out[l] = t[l]
		}
		return out
	}
	for _, c := range n.ConsentCategories {
		if c.Necessary {
			v.Necessary = c.Key
		}
		v.Categories = append(v.Categories, c.Key)
		v.Texts = append(v.Texts, category{c.Key, lang(c.Title), lang(c.Description)})
	}
	for _, c := range n.Cookies {
		v.Cookies = append(v.Cookies, cookie{c.Name, c.Provider, c.Category, c.LifetimeText, c.Domain, c.Path, c.Kind, lang(c.Purpose)})
	}
	for _, p := range n.Purposes {
		if p.Basis.Has("consent") && p.Consent != "" {
			v.Purposes = append(v.Purposes, purpose{p.Key, p.Consent, p.DataCategories})
		}
	}
	for _, l := range n.Meta.Languages {
		keys := make([]string, 0, len(ui[l]))
		for k := range ui[l] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v.UI = append(v.UI, [3]string{l, k, ui[l][k]})
		}
	}
	b, _ := json.Marshal(v) // strings, maps of strings: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
