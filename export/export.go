// Package export writes the notice's facts for other systems: the retention
// schedule for deletion jobs, the cookie declaration for scanners and tag
// managers, the consent categories the banner and the endpoint accept, a
// W3C DPV JSON-LD document of the whole notice, the Art. 30 record of
// processing, and /.well-known/gpc.json. Every export is a view of the same
// loaded notice, so a change in TOML changes them all at once. Output is
// byte-for-byte deterministic.
package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/integritet/integritet/notice"
)

// Public returns the exports the site publishes, by path under public/;
// revision is the notice's consent revision (site.Revision).
func Public(n *notice.Notice, revision string) (map[string][]byte, error) {
	ret := retentionRows(n)
	files := []struct {
		path string
		make func() ([]byte, error)
	}{
		{"exports/retention.json", func() ([]byte, error) { return marshal(retentionJSON(n, revision, ret)) }},
		{"exports/retention.csv", func() ([]byte, error) { return retentionCSV(ret) }},
		{"exports/cookies.json", func() ([]byte, error) { return marshal(cookiesJSON(n, revision)) }},
		{"exports/cookies.csv", func() ([]byte, error) { return cookiesCSV(n) }},
		{"exports/consent-categories.json", func() ([]byte, error) { return marshal(categoriesJSON(n, revision)) }},
		{"exports/notice.jsonld", func() ([]byte, error) { return JSONLD(n, "") }},
	}
	// Only a site that says it honours GPC, and has a banner to honour it
	// with, publishes that it does.
	if n.Banner.GPC != nil && *n.Banner.GPC && n.AsksConsent() {
		files = append(files, struct {
			path string
			make func() ([]byte, error)
		}{".well-known/gpc.json", func() ([]byte, error) { return marshal(gpcJSON(n)) }})
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := f.make()
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", f.path, err)
		}
		out[f.path] = b
	}
	return out, nil
}

// All returns every export, the public ones and the Art. 30 record of
// processing (which is not published), by path under the export folder.
func All(n *notice.Notice, revision string) (map[string][]byte, error) {
	pub, err := Public(n, revision)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for p, b := range pub {
		out[strings.TrimPrefix(p, "exports/")] = b
	}
	csvb, err := RecordCSV(n)
	if err != nil {
		return nil, fmt.Errorf("export record-of-processing.csv: %w", err)
	}
	out["record-of-processing.csv"] = csvb
	out["record-of-processing.md"] = RecordMarkdown(n)
	return out, nil
}

func marshal(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func writeCSV(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// texts returns t restricted to the notice's languages (all when lang is
// empty), as a map that encoding/json writes with sorted keys.
func texts(n *notice.Notice, t notice.Text) map[string]string {
	if len(t) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, l := range n.Meta.Languages {
		if s := t[l]; s != "" {
			out[l] = s
		}
	}
	return out
}

// head is the notice identification every export starts with.
type head struct {
	Controller    string `json:"controller"`
	Version       string `json:"version"`
	EffectiveDate string `json:"effective_date,omitempty"`
	Revision      string `json:"revision"`
}

func headOf(n *notice.Notice, revision string) head {
	return head{n.Controller.Name, n.Meta.Version, n.Meta.EffectiveDate.String(), revision}
}

// ---- retention ----

type retentionRow struct {
	Rule           string            `json:"rule"`
	DataCategory   string            `json:"data_category"`
	DataTitle      map[string]string `json:"data_category_title,omitempty"`
	Purposes       []string          `json:"purposes"`
	Items          []string          `json:"items,omitempty"`
	Shape          string            `json:"shape"`
	Anchor         string            `json:"anchor,omitempty"`
	Duration       string            `json:"duration,omitempty"`
	AtMost         bool              `json:"at_most,omitempty"`
	Until          string            `json:"until,omitempty"`
	Unless         []string          `json:"unless,omitempty"`
	UnlessText     map[string]string `json:"unless_text,omitempty"`
	Law            string            `json:"law,omitempty"`
	Reason         map[string]string `json:"reason,omitempty"`
	DataCategories []string          `json:"-"`
}

// retentionRows is one row per retention rule and data category (a rule
// without data categories gets one row with none), in declaration order.
func retentionRows(n *notice.Notice) []retentionRow {
	var out []retentionRow
	for _, r := range n.Retention {
		purposes := []string{}
		for _, p := range n.Purposes {
			for _, k := range p.Retention {
				if k == r.Key {
					purposes = append(purposes, p.Key)
				}
			}
		}
		cats := r.DataCategories
		if len(cats) == 0 {
			cats = []string{""}
		}
		for _, c := range cats {
			row := retentionRow{Rule: r.Key, DataCategory: c, Items: r.Items, Purposes: purposes, Shape: r.Shape(), Anchor: r.Anchor,
				Duration: r.Duration.String(), AtMost: r.AtMost, Until: r.Until, Unless: r.Unless, UnlessText: texts(n, r.UnlessText), Law: r.Law, Reason: texts(n, r.Reason)}
			if d, ok := n.DataCategory(c); ok {
				row.DataTitle = texts(n, d.Title)
			}
			out = append(out, row)
		}
	}
	return out
}

func retentionJSON(n *notice.Notice, revision string, rows []retentionRow) any {
	if rows == nil {
		rows = []retentionRow{}
	}
	return struct {
		head
		Schedule []retentionRow `json:"schedule"`
	}{headOf(n, revision), rows}
}

func retentionCSV(rows []retentionRow) ([]byte, error) {
	out := [][]string{{"rule", "data_category", "items", "purposes", "shape", "anchor", "duration", "until", "law", "unless"}}
	for _, r := range rows {
		unless := slices.Clone(r.Unless)
		if len(r.UnlessText) > 0 {
			unless = append(unless, "stated")
		}
		out = append(out, []string{r.Rule, r.DataCategory, strings.Join(r.Items, ";"), strings.Join(r.Purposes, ";"), r.Shape, r.Anchor, r.Duration, r.Until, r.Law, strings.Join(unless, ";")})
	}
	return writeCSV(out)
}

// ---- cookies ----

// cookieOut is one declared cookie. Name is left out for cookies the
// notice describes without naming them: provider and purpose say them.
// StorageBasis is its category's ground for storing on the device (a key
// of notice.StorageBases).
type cookieOut struct {
	Name         string            `json:"name,omitempty"`
	Pattern      bool              `json:"pattern,omitempty"`
	Kind         string            `json:"kind"`
	Provider     string            `json:"provider"`
	Category     string            `json:"category"`
	StorageBasis string            `json:"storage_basis"`
	Lifetime     string            `json:"lifetime"`
	Domain       string            `json:"domain"`
	Party        string            `json:"party"`
	Path         string            `json:"path"`
	Purpose      map[string]string `json:"purpose"`
}

// storageBasis is the storage basis of the consent category of cookie c.
func storageBasis(n *notice.Notice, c notice.Cookie) string {
	cat, _ := n.ConsentCategory(c.Category)
	return cat.StorageBasis()
}

func party(n *notice.Notice, c notice.Cookie) string {
	if n.ThirdParty(c) {
		return "third"
	}
	return "first"
}

func lifetime(c notice.Cookie) string {
	switch {
	case c.Session():
		return "session"
	case c.LifetimeText == "":
		return "none"
	}
	return c.Lifetime.String()
}

func cookiesJSON(n *notice.Notice, revision string) any {
	cs := []cookieOut{}
	for _, c := range n.Cookies {
		cs = append(cs, cookieOut{c.Name, c.Pattern, c.KindKey(), c.Provider, c.Category, storageBasis(n, c), lifetime(c), c.Domain, party(n, c), c.Path, texts(n, c.Purpose)})
	}
	return struct {
		head
		Cookies []cookieOut `json:"cookies"`
	}{headOf(n, revision), cs}
}

func cookiesCSV(n *notice.Notice) ([]byte, error) {
	// purpose is in the notice's default language; cookies.json has every
	// language. A cookie described without a name has an empty name.
	out := [][]string{{"name", "pattern", "kind", "provider", "category", "lifetime", "domain", "party", "path", "purpose", "storage_basis"}}
	for _, c := range n.Cookies {
		out = append(out, []string{c.Name, fmt.Sprint(c.Pattern), c.KindKey(), c.Provider, c.Category, lifetime(c), c.Domain, party(n, c), c.Path, c.Purpose[n.Meta.DefaultLanguage], storageBasis(n, c)})
	}
	return writeCSV(out)
}

// ---- consent categories ----

type categoryOut struct {
	Key         string            `json:"key"`
	Necessary   bool              `json:"necessary"`
	Title       map[string]string `json:"title"`
	Description map[string]string `json:"description"`
	DPV         string            `json:"dpv,omitempty"`
	// StorageBasis is the category's ground for storing on the device (a
	// key of notice.StorageBases), Law its provision in the ePrivacy rule
	// the notice states.
	StorageBasis string   `json:"storage_basis"`
	Law          string   `json:"law,omitempty"`
	Cookies      []string `json:"cookies"`
	// Described are the providers of cookies the notice describes without
	// naming them.
	Described []string `json:"described,omitempty"`
	Purposes  []string `json:"purposes"`
}

func categoriesJSON(n *notice.Notice, revision string) any {
	cats := []categoryOut{}
	for _, c := range n.ConsentCategories {
		o := categoryOut{Key: c.Key, Necessary: c.Necessary, Title: texts(n, c.Title), Description: texts(n, c.Description), DPV: c.DPV, StorageBasis: c.StorageBasis(), Cookies: []string{}, Purposes: []string{}}
		if r, ok := n.EPrivacyStated(); ok {
			o.Law = r.Cite(c.StorageBasis())
		}
		for _, k := range n.CookiesIn(c.Key) {
			if k.Named() {
				o.Cookies = append(o.Cookies, k.Name)
			} else if !slices.Contains(o.Described, k.Provider) {
				o.Described = append(o.Described, k.Provider)
			}
		}
		for _, p := range n.Purposes {
			if p.Basis.Has("consent") && p.Consent == c.Key {
				o.Purposes = append(o.Purposes, p.Key)
			}
		}
		cats = append(cats, o)
	}
	optional := n.OptionalCategories()
	if optional == nil {
		optional = []string{}
	}
	return struct {
		head
		// Choices are the keys a consent decision must cover, each true or false.
		Choices     []string            `json:"choices"`
		GPC         bool                `json:"gpc"`
		ConsentMode map[string][]string `json:"consent_mode,omitempty"`
		Categories  []categoryOut       `json:"categories"`
	}{headOf(n, revision), optional, n.Banner.HonoursGPC(), n.Banner.ConsentMode, cats}
}

// ---- GPC ----

// gpcJSON is the Global Privacy Control well-known resource.
func gpcJSON(n *notice.Notice) any {
	return struct {
		GPC        bool   `json:"gpc"`
		LastUpdate string `json:"lastUpdate,omitempty"`
	}{true, n.Meta.EffectiveDate.String()}
}
