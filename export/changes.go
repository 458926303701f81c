package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/integritet/integritet/notice"
)

// Change is one material change between two versions of a notice.
type Change struct {
	// Kind is what changed: "purpose", "retention", "recipient", "cookie",
	// "data_category", "children", "consent_category".
	Kind string
	Key  string
	// What says it in words: "added", "removed", "basis contract → consent".
	What string
}

func (c Change) String() string { return fmt.Sprintf("%s %q: %s", c.Kind, c.Key, c.What) }

// Changes lists the material changes from old to new: purposes and their
// bases, data, recipients and retention; retention rules; recipients (kind,
// legal name, data, countries, transfer mechanism, DPF certification);
// transfers, jurisdiction, representative, joint controllers, DPO and
// authority; cookies; consent categories. Wording changes are not material.
func Changes(old, new *notice.Notice) []Change {
	var out []Change
	add := func(kind, key, format string, args ...any) {
		out = append(out, Change{kind, key, fmt.Sprintf(format, args...)})
	}
	list := func(s []string) string {
		if len(s) == 0 {
			return "none"
		}
		return strings.Join(s, ", ")
	}
	field := func(kind, key, name, a, b string) {
		if a != b {
			if a == "" {
				a = "none"
			}
			if b == "" {
				b = "none"
			}
			add(kind, key, "%s %s → %s", name, a, b)
		}
	}

	diffKeys(old.Purposes, new.Purposes, func(p notice.Purpose) string { return p.Key },
		func(p notice.Purpose) { add("purpose", p.Key, "added (basis %s)", list(p.Basis)) },
		func(p notice.Purpose) { add("purpose", p.Key, "removed") },
		func(a, b notice.Purpose) {
			field("purpose", a.Key, "basis", list(a.Basis), list(b.Basis))
			field("purpose", a.Key, "consent category", a.Consent, b.Consent)
			field("purpose", a.Key, "consent given outside the banner", fmt.Sprint(len(a.ConsentGiven) > 0), fmt.Sprint(len(b.ConsentGiven) > 0))
			field("purpose", a.Key, "Art. 9(2) conditions", list(a.Special), list(b.Special))
			field("purpose", a.Key, "law", a.Law, b.Law)
			field("purpose", a.Key, "data categories", list(a.DataCategories), list(b.DataCategories))
			field("purpose", a.Key, "recipients", list(a.Recipients), list(b.Recipients))
			field("purpose", a.Key, "retention", list(a.Retention), list(b.Retention))
		})
	diffKeys(old.Retention, new.Retention, func(r notice.Retention) string { return r.Key },
		func(r notice.Retention) { add("retention", r.Key, "added (%s)", retentionSummary(r)) },
		func(r notice.Retention) { add("retention", r.Key, "removed") },
		func(a, b notice.Retention) {
			field("retention", a.Key, "period", a.Summary(), b.Summary())
			field("retention", a.Key, "law", a.Law, b.Law)
			field("retention", a.Key, "data categories", list(a.DataCategories), list(b.DataCategories))
			field("retention", a.Key, "items", list(a.Items), list(b.Items))
		})
	diffKeys(old.Recipients, new.Recipients, func(r notice.Recipient) string { return r.Key },
		func(r notice.Recipient) { add("recipient", r.Key, "added (%s)", recipientFacts(r)) },
		func(r notice.Recipient) { add("recipient", r.Key, "removed") },
		func(a, b notice.Recipient) { recipientChanges(a, b, field, list) })
	partyChanges(old, new, add, field)
	diffKeys(old.Cookies, new.Cookies, func(c notice.Cookie) string { return c.Name },
		func(c notice.Cookie) { add("cookie", c.Name, "added (%s, %s)", c.Category, lifetime(c)) },
		func(c notice.Cookie) { add("cookie", c.Name, "removed") },
		func(a, b notice.Cookie) {
			field("cookie", a.Name, "category", a.Category, b.Category)
			field("cookie", a.Name, "lifetime", lifetime(a), lifetime(b))
			field("cookie", a.Name, "provider", a.Provider, b.Provider)
			field("cookie", a.Name, "domain", a.Domain, b.Domain)
			field("cookie", a.Name, "kind", a.KindKey(), b.KindKey())
		})
	diffKeys(old.DataCategories, new.DataCategories, func(d notice.DataCategory) string { return d.Key },
		func(d notice.DataCategory) { add("data_category", d.Key, "added") },
		func(d notice.DataCategory) { add("data_category", d.Key, "removed") },
		func(a, b notice.DataCategory) {
			field("data_category", a.Key, "special categories", list(a.Specials()), list(b.Specials()))
			field("data_category", a.Key, "origin", a.OriginKey(), b.OriginKey())
		})
	age := func(a int) string {
		if a == 0 {
			return ""
		}
		return fmt.Sprint(a)
	}
	field("children", "children", "minimum age", age(old.Children.MinAge), age(new.Children.MinAge))
	diffKeys(old.ConsentCategories, new.ConsentCategories, func(c notice.ConsentCategory) string { return c.Key },
		func(c notice.ConsentCategory) { add("consent_category", c.Key, "added") },
		func(c notice.ConsentCategory) { add("consent_category", c.Key, "removed") },
		func(a, b notice.ConsentCategory) {
			field("consent_category", a.Key, "necessary", fmt.Sprint(a.Necessary), fmt.Sprint(b.Necessary))
		})
	return out
}

// diffKeys calls added, removed and both for the elements of a and b by
// key: removed and changed in a's order, then added in b's.
func diffKeys[T any](a, b []T, key func(T) string, added, removed func(T), both func(T, T)) {
	bk := make([]string, len(b))
	for i, e := range b {
		bk[i] = key(e)
	}
	var ak []string
	for _, e := range a {
		k := key(e)
		ak = append(ak, k)
		if i := slices.Index(bk, k); i >= 0 {
			both(e, b[i])
		} else {
			removed(e)
		}
	}
	for _, e := range b {
		if !slices.Contains(ak, key(e)) {
			added(e)
		}
	}
}
