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
				Duration: r.Duration.String(), AtMost: r.AtMost, Until: r.Until, Law: r.Law, Reason: texts(n, r.Reason)}
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
	out := [][]string{{"rule", "data_category", "items", "purposes", "shape", "anchor", "duration", "until", "law"}}
	for _, r := range rows {
		out = append(out, []string{r.Rule, r.DataCategory, strings.Join(r.Items, ";"), strings.Join(r.Purposes, ";"), r.Shape, r.Anchor, r.Duration, r.Until, r.Law})
	}
	return writeCSV(out)
}

// ---- cookies ----

type cookieOut struct {
	Name     string            `json:"name"`
	Pattern  bool              `json:"pattern,omitempty"`
	Kind     string            `json:"kind"`
	Provider string            `json:"provider"`
	Category string            `json:"category"`
	Lifetime string            `json:"lifetime"`
	Domain   string            `json:"domain"`
	Party    string            `json:"party"`
	Path     string            `json:"path"`
	Purpose  map[string]string `json:"purpose"`
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
		cs = append(cs, cookieOut{c.Name, c.Pattern, c.KindKey(), c.Provider, c.Category, lifetime(c), c.Domain, party(n, c), c.Path, texts(n, c.Purpose)})
	}
	return struct {
		head
		Cookies []cookieOut `json:"cookies"`
	}{headOf(n, revision), cs}
}

func cookiesCSV(n *notice.Notice) ([]byte, error) {
	out := [][]string{{"name", "pattern", "kind", "provider", "category", "lifetime", "domain", "party", "path"}}
	for _, c := range n.Cookies {
		out = append(out, []string{c.Name, fmt.Sprint(c.Pattern), c.KindKey(), c.Provider, c.Category, lifetime(c), c.Domain, party(n, c), c.Path})
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
	Cookies     []string          `json:"cookies"`
	Purposes    []string          `json:"purposes"`
}

func categoriesJSON(n *notice.Notice, revision string) any {
	cats := []categoryOut{}
	for _, c := range n.ConsentCategories {
		o := categoryOut{Key: c.Key, Necessary: c.Necessary, Title: texts(n, c.Title), Description: texts(n, c.Description), DPV: c.DPV, Cookies: []string{}, Purposes: []string{}}
		for _, k := range n.CookiesIn(c.Key) {
			o.Cookies = append(o.Cookies, k.Name)
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
