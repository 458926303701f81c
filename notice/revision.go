package notice

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// consentSubject is what a visitor consents to: the one definition that
// both the consent revision (Revision: all of it) and the rule for
// editorial releases (ConsentTerms: all of it but its wording) read.
//
// The field names, their order and their JSON encoding are what the
// revisions recorded in releases/releases.toml were hashed from: changing
// them changes every site's revision and asks every visitor again.
type consentSubject struct {
	Categories []string
	Necessary  string
	Cookies    []subjectCookie
	Purposes   []subjectPurpose
	// Texts and UI are the wording: the categories' titles and
	// descriptions, and the banner's own texts (language, key, text).
	Texts []subjectCategory
	UI    [][3]string
}

type subjectCookie struct {
	Name, Provider, Category, Lifetime, Domain, Path, Kind string
	// Purpose is wording.
	Purpose map[string]string
}

type subjectCategory struct {
	Key                string
	Title, Description map[string]string
}

type subjectPurpose struct {
	Key, Consent   string
	DataCategories []string
}

func (n *Notice) consentSubject(ui map[string]map[string]string) consentSubject {
	var v consentSubject
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
		v.Texts = append(v.Texts, subjectCategory{c.Key, lang(c.Title), lang(c.Description)})
	}
	for _, c := range n.Cookies {
		v.Cookies = append(v.Cookies, subjectCookie{c.Name, c.Provider, c.Category, c.LifetimeText, c.Domain, c.Path, c.Kind, lang(c.Purpose)})
	}
	for _, p := range n.Purposes {
		if p.Basis.Has("consent") && p.Consent != "" {
			v.Purposes = append(v.Purposes, subjectPurpose{p.Key, p.Consent, p.DataCategories})
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
	return v
}

// Revision identifies what a visitor consents to: a hash over the consent
// categories (keys, titles, descriptions), the cookies (name, provider,
// category, kind, lifetime, domain, path and purpose), the consent-based
// purposes (key, category, data categories) and the banner's own texts
// (ui: message key to text, per language, as the site's i18n files give
// them), in every language of the notice. When any of it changes, wording
// included, the banner asks again, so nobody has to remember to bump a
// number; a release may record that a change was editorial (see Release
// and ConsentTerms). 16 lowercase hex characters.
func (n *Notice) Revision(ui map[string]map[string]string) string {
	b, _ := json.Marshal(n.consentSubject(ui)) // strings, maps of strings: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// ConsentTerms is what the consent revision covers beyond wording, one
// line per fact in the notice's order: the categories a visitor chooses
// (the consent cookie holds one bit each, in this order), each cookie or
// storage item with its provider, category, lifetime, domain, path and
// kind (unset is a cookie), and each purpose that rests on consent given
// in the banner, with its category and data categories. Two versions with
// the same terms and another revision differ only in the wording of what
// visitors consent to, which legal may release as editorial; when the
// terms differ, visitors must be asked again.
func (n *Notice) ConsentTerms() []string {
	v := n.consentSubject(nil)
	out := []string{"categories " + strings.Join(v.Categories, ", ")}
	if v.Necessary != "" {
		out = append(out, "necessary category "+v.Necessary)
	}
	for _, c := range v.Cookies {
		line := fmt.Sprintf("%s %s: category %s", kindOr(c.Kind), c.Name, c.Category)
		for _, f := range [][2]string{{"provider", c.Provider}, {"lifetime", c.Lifetime}, {"domain", c.Domain}, {"path", c.Path}} {
			if f[1] != "" {
				line += ", " + f[0] + " " + f[1]
			}
		}
		out = append(out, line)
	}
	for _, p := range v.Purposes {
		out = append(out, fmt.Sprintf("purpose %s: consent in category %s for data %s", p.Key, p.Consent, strings.Join(p.DataCategories, ", ")))
	}
	return out
}

func kindOr(k string) string {
	if k == "" {
		return "cookie"
	}
	return k
}
