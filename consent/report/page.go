package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
)

//go:embed report.html
var pageTemplate string

//go:embed report.css
var pageCSS []byte

// Files returns the report's files by name: index.html, report.css and
// NAME.csv for every table. The page has no script and no inline style,
// so it works offline under Content-Security-Policy: default-src 'self'.
func (r *Report) Files() (map[string][]byte, error) {
	tmpl, err := template.New("report").Funcs(template.FuncMap{
		"num":  func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
		"addf": func(a, b float64) float64 { return a + b },
	}).Parse(pageTemplate)
	if err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	files := map[string][]byte{"report.css": pageCSS}
	for _, t := range r.tables {
		b, err := t.csvBytes()
		if err != nil {
			return nil, fmt.Errorf("%s.csv: %w", t.Name, err)
		}
		files[t.Name+".csv"] = b
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, r.page()); err != nil {
		return nil, fmt.Errorf("report page: %w", err)
	}
	files["index.html"] = b.Bytes()
	return files, nil
}

type section struct {
	ID, Heading string
	Intro       string
	Chart       *chart
	Table       table
}

type pageData struct {
	Range, By, Generated string
	Verified             bool
	Verdict              string
	Counted              string
	MinCount             int
	Suppressed           bool
	Sections             []section
}

func (r *Report) rangeText() string {
	o := r.opts
	switch {
	case o.Since.IsZero() && o.Until.IsZero():
		return "all records"
	case o.Until.IsZero():
		return "from " + date(o.Since)
	case o.Since.IsZero():
		return "until " + date(o.Until.Add(-time.Millisecond))
	}
	return date(o.Since) + " to " + date(o.Until.Add(-time.Millisecond))
}

func (r *Report) page() pageData {
	by := r.opts.By
	if by == "" {
		by = ByWeek
	}
	d := pageData{Range: r.rangeText(), By: by, Generated: r.opts.Now.UTC().Format(consent.TimeFormat),
		Verified: r.Verify.Broken == nil, MinCount: MinCount, Counted: strconv.FormatInt(r.Counted, 10)}
	if hiddenCount(r.Counted) {
		d.Counted = suppressedText
	}
	d.Verdict = r.tables[len(r.tables)-1].Rows[0][1].Text
	for _, t := range r.tables {
		for _, row := range t.Rows {
			for _, c := range row {
				d.Suppressed = d.Suppressed || c.Suppressed
			}
		}
	}

	cols := make([]column, len(r.periods))
	for i, p := range r.periods {
		cols[i] = column{Label: p.label, Start: p.start, Values: p.counts[:len(r.methods)], Hidden: p.hidden[:len(r.methods)]}
	}
	// Every release in the chart's span is marked, with decisions or not;
	// a revision with no release is marked at its first decision.
	var marks []marker
	for _, m := range r.opts.Releases {
		marks = append(marks, marker{At: m.Date, Label: m.Version + " released"})
	}
	for _, m := range r.marks {
		if m.FromRecords {
			marks = append(marks, marker{At: m.Date, Label: m.Version + " first decision"})
		}
	}
	next := func(t time.Time) time.Time { return nextPeriod(t, by) }
	dec := stacked("decisions", "Decisions per "+by+" by method",
		fmt.Sprintf("Stacked columns, one per %s from %s, of the decisions recorded, split by method (%s); dashed lines mark when each revision of the notice was released. The table below gives every number.",
			by, d.Range, strings.Join(r.methods, ", ")),
		r.methods, cols, next, marks)

	var cbars []bar
	for _, c := range r.categories {
		cbars = append(cbars, bar{Label: c.version + " · " + c.category, Value: 100 * ratio(c.given, c.decisions),
			Hidden: c.hidden, Text: share(c.given, c.decisions)})
	}
	cat := hbars("categories", "Share of each category given, per revision",
		"Horizontal bars, one per revision and category, of the share of decisions under that revision that gave the category, from 0 to 100 percent. The table below gives every number and the release dates.",
		cbars, 100, "%")

	var wbars []bar
	for _, w := range r.withdrawal {
		wbars = append(wbars, bar{Label: w.label, Value: float64(w.n), Hidden: w.hidden, Text: strconv.FormatInt(w.n, 10)})
	}
	wd := hbars("withdrawals", "Withdrawals by time since the consent withdrawn",
		"Horizontal bars of the number of withdrawals, by how long after the visitor's latest decision that gave consent they came. The table below gives every number.",
		wbars, 0, "")

	var lbars []bar
	for _, l := range r.languages {
		lbars = append(lbars, bar{Label: l.label, Value: float64(l.n), Hidden: l.hidden, Text: strconv.FormatInt(l.n, 10)})
	}
	lang := hbars("languages", "Decisions by language of the notice",
		"Horizontal bars of the number of decisions by the language of the notice the visitor saw. The table below gives every number.",
		lbars, 0, "")

	d.Sections = []section{
		{ID: "decisions", Heading: "Decisions over time", Chart: &dec, Table: r.tables[0],
			Intro: "How many visitors accepted all, rejected all, chose per category (custom), withdrew, or were refused by Global Privacy Control (gpc), per " + by + "."},
		{ID: "categories", Heading: "Categories per revision", Chart: &cat, Table: r.tables[1],
			Intro: "Of the decisions under each revision of the notice, the share that gave each category. Withdrawals count as decisions that gave nothing. The release date comes from releases/releases.toml; a revision without a release is dated by its first decision."},
		{ID: "withdrawals", Heading: "Withdrawals", Chart: &wd, Table: r.tables[2],
			Intro: "Withdrawals in the range, by the time since the same visitor's latest decision that gave some category. The visitor's id is used during the count only and is not in the report."},
		{ID: "languages", Heading: "Languages", Chart: &lang, Table: r.tables[3],
			Intro: "Decisions by the language of the notice shown."},
		{ID: "chain", Heading: "Proof: the chain's verification", Table: r.tables[4],
			Intro: "Every record was read and its hash recomputed in the same pass that counted it; only records that link into the chain are counted."},
	}
	return d
}

func ratio(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
