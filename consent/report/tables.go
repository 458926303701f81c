package report

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/integritet/integritet/consent"
)

// suppressedText is what a suppressed cell shows, in the page and in CSV.
var suppressedText = "<" + strconv.Itoa(MinCount)

// cell is one cell of a table.
type cell struct {
	Text       string
	Count      bool // a number, right-aligned
	Suppressed bool
}

// table is one table of the report, written to the page and to Name.csv.
type table struct {
	Name    string // file name without .csv
	Caption string
	Columns []string
	Rows    [][]cell
}

// Report is the outcome of Build.
type Report struct {
	opts    Options
	Verify  consent.VerifyResult
	Counted int64   // records in the range
	outside int64   // records of the chain outside the range
	tables  []table // decisions, categories, withdrawals, languages, chain
	marks   []releaseMark
	// series for the charts
	periods    []periodRow
	categories []categoryRow
	withdrawal []countRow
	languages  []countRow
	methods    []string
}

type periodRow struct {
	start  time.Time
	label  string
	counts []int64 // per method, then total
	hidden []bool
}

type categoryRow struct {
	revision, version, category string
	released, first, last       time.Time
	decisions, given            int64
	hidden                      bool // given and share are not shown
	rowHidden                   bool // decisions not shown
}

type countRow struct {
	label  string
	n      int64
	hidden bool
}

type releaseMark struct {
	Version, Revision string
	Date              time.Time
	FromRecords       bool // no release known: the first record of the revision
}

// suppress says which of counts to hide. A count from 1 to MinCount-1 is
// hidden (primary suppression). When total is shown beside them, a single
// hidden count could be worked out as total minus the others, so the
// smallest other non-zero count is hidden too (secondary suppression).
// A row whose total is under MinCount hides every count, zeros too: "0
// refused" of 3 decisions says what each of the 3 chose.
func suppress(counts []int64, total int64, withTotal bool) []bool {
	hide := make([]bool, len(counts))
	if withTotal && total > 0 && total < MinCount {
		for i := range hide {
			hide[i] = true
		}
		return hide
	}
	n := 0
	for i, c := range counts {
		if c > 0 && c < MinCount {
			hide[i] = true
			n++
		}
	}
	if withTotal && n == 1 {
		best := -1
		for i, c := range counts {
			if !hide[i] && c > 0 && (best < 0 || c < counts[best]) {
				best = i
			}
		}
		if best >= 0 {
			hide[best] = true
		}
	}
	return hide
}

// suppressGrid hides the cells of a table of counts whose last column is
// the row's total: suppress on each row, then, until nothing changes, a
// second cell in every row and every count column that hides only one, so
// that no hidden count can be worked out from the row's total or from a
// column's sum (which other tables give: withdrawals, languages, the
// number of decisions in the range).
func suppressGrid(rows [][]int64) [][]bool {
	hide := make([][]bool, len(rows))
	for i, row := range rows {
		n := len(row) - 1
		hide[i] = append(suppress(row[:n], row[n], true), hiddenCount(row[n]))
	}
	// second hides the smallest non-zero shown count of the cells at
	// idx when exactly one of them is hidden.
	second := func(idx [][2]int) bool {
		n, best := 0, -1
		for k, ij := range idx {
			if hide[ij[0]][ij[1]] {
				n++
			} else if v := rows[ij[0]][ij[1]]; v > 0 && (best < 0 || v < rows[idx[best][0]][idx[best][1]]) {
				best = k
			}
		}
		if n != 1 || best < 0 {
			return false
		}
		hide[idx[best][0]][idx[best][1]] = true
		return true
	}
	for changed := true; changed; {
		changed = false
		for i, row := range rows {
			n := len(row) - 1
			if hide[i][n] {
				continue // the row's total is hidden: every count is
			}
			idx := make([][2]int, n)
			for j := range idx {
				idx[j] = [2]int{i, j}
			}
			changed = second(idx) || changed
		}
		if len(rows) == 0 {
			break
		}
		for j := range len(rows[0]) - 1 {
			idx := make([][2]int, len(rows))
			for i := range idx {
				idx[i] = [2]int{i, j}
			}
			changed = second(idx) || changed
		}
	}
	return hide
}

func hiddenCount(n int64) bool { return n > 0 && n < MinCount }

func countCell(n int64, hidden bool) cell {
	if hidden {
		return cell{Text: suppressedText, Count: true, Suppressed: true}
	}
	return cell{Text: strconv.FormatInt(n, 10), Count: true}
}

func textCell(s string) cell { return cell{Text: s} }

func share(n, of int64) string {
	if of == 0 {
		return "0.0%"
	}
	return strconv.FormatFloat(100*float64(n)/float64(of), 'f', 1, 64) + "%"
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func (t *tally) report(v consent.VerifyResult) *Report {
	r := &Report{opts: t.opts, Verify: v, Counted: t.counted, outside: t.outside, methods: t.methods}

	// Decisions per period by method.
	dec := table{Name: "decisions", Caption: "Decisions per " + t.opts.By + " by method",
		Columns: append(append([]string{t.opts.By}, t.methods...), "total")}
	periods := t.sortedPeriods()
	matrix := make([][]int64, len(periods))
	for i, p := range periods {
		matrix[i] = t.periods[p]
		if matrix[i] == nil {
			matrix[i] = make([]int64, len(t.methods)+1)
		}
	}
	hidden := suppressGrid(matrix)
	for i, p := range periods {
		row := periodRow{start: p, label: periodLabel(p, t.opts.By), counts: matrix[i], hidden: hidden[i]}
		cells := []cell{textCell(row.label)}
		for j, c := range matrix[i] {
			cells = append(cells, countCell(c, hidden[i][j]))
		}
		dec.Rows = append(dec.Rows, cells)
		r.periods = append(r.periods, row)
	}

	// The share of each category given, per revision.
	released := map[string]Release{}
	for _, rel := range t.opts.Releases {
		if _, ok := released[rel.Revision]; !ok {
			released[rel.Revision] = rel
		}
	}
	revs := make([]string, 0, len(t.revisions))
	for k := range t.revisions {
		revs = append(revs, k)
	}
	when := func(k string) time.Time {
		if rel, ok := released[k]; ok {
			return rel.Date
		}
		return t.revisions[k].first
	}
	slices.SortFunc(revs, func(a, b string) int {
		if c := when(a).Compare(when(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	cat := table{Name: "categories", Caption: "Share of each category given, per revision",
		Columns: []string{"revision", "version", "released", "first decision", "last decision", "category", "decisions", "given", "share given"}}
	for _, k := range revs {
		rv := t.revisions[k]
		mark := releaseMark{Version: rv.version, Revision: k, Date: rv.first, FromRecords: true}
		if rel, ok := released[k]; ok {
			mark = releaseMark{Version: rel.Version, Revision: k, Date: rel.Date}
		}
		r.marks = append(r.marks, mark)
		keys := make([]string, 0, len(rv.given))
		for c := range rv.given {
			keys = append(keys, c)
		}
		slices.Sort(keys)
		relDate := ""
		if !mark.FromRecords {
			relDate = date(mark.Date)
		}
		for _, c := range keys {
			g := rv.given[c]
			row := categoryRow{revision: k, version: mark.Version, category: c, released: mark.Date,
				first: rv.first, last: rv.last, decisions: rv.decisions, given: g}
			row.rowHidden = hiddenCount(rv.decisions)
			row.hidden = row.rowHidden || hiddenCount(g) || hiddenCount(rv.decisions-g)
			shareCell := textCell(share(g, rv.decisions))
			shareCell.Count = true
			if row.hidden {
				shareCell = countCell(0, true)
			}
			cat.Rows = append(cat.Rows, []cell{textCell(k), textCell(mark.Version), textCell(relDate),
				textCell(date(rv.first)), textCell(date(rv.last)), textCell(c),
				countCell(rv.decisions, row.rowHidden), countCell(g, row.hidden), shareCell})
			r.categories = append(r.categories, row)
		}
	}

	// Withdrawals by how long after the consent they came.
	wd := table{Name: "withdrawals", Caption: "Withdrawals by time since the consent withdrawn",
		Columns: []string{"after consent", "withdrawals"}}
	var wtotal int64
	for _, n := range t.delays {
		wtotal += n
	}
	whide := suppress(t.delays, wtotal, true)
	for i, n := range t.delays {
		label := noEarlier
		if i < len(delays) {
			label = delays[i].label
		}
		wd.Rows = append(wd.Rows, []cell{textCell(label), countCell(n, whide[i])})
		r.withdrawal = append(r.withdrawal, countRow{label, n, whide[i]})
	}

	// Languages.
	langs := make([]string, 0, len(t.languages))
	for l := range t.languages {
		langs = append(langs, l)
	}
	slices.SortFunc(langs, func(a, b string) int {
		if c := cmp.Compare(t.languages[b], t.languages[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	counts := make([]int64, len(langs))
	for i, l := range langs {
		counts[i] = t.languages[l]
	}
	lhide := suppress(counts, t.counted, true)
	lt := table{Name: "languages", Caption: "Decisions by language of the notice", Columns: []string{"language", "decisions", "share"}}
	for i, l := range langs {
		sc := textCell(share(counts[i], t.counted))
		sc.Count = true
		if lhide[i] {
			sc = countCell(0, true)
		}
		lt.Rows = append(lt.Rows, []cell{textCell(l), countCell(counts[i], lhide[i]), sc})
		r.languages = append(r.languages, countRow{l, counts[i], lhide[i]})
	}

	r.tables = []table{dec, cat, wd, lt, r.chainTable()}
	return r
}

// chainTable states the chain's verification and anchor state. Its
// numbers are of the whole chain, not of visitors: none is suppressed.
func (r *Report) chainTable() table {
	v := r.Verify
	verdict := "verified"
	if v.Broken != nil {
		verdict = fmt.Sprintf("NOT verified: %d faults, the first: %s", v.FaultCount, v.Broken.Error())
	}
	rows := [][2]string{
		{"chain", verdict},
		{"records in the chain", strconv.FormatInt(v.Records, 10)},
		{"chain base (seq)", strconv.FormatInt(v.Chain.BaseSeq, 10)},
		{"chain head (seq)", strconv.FormatInt(v.Through, 10)},
		{"chain head hash", v.Chain.HeadHash},
		{"records in the report's range", strconv.FormatInt(r.Counted, 10)},
		{"records outside the range", strconv.FormatInt(r.outside, 10)},
	}
	anchors := r.opts.Verify.Anchors
	if len(anchors) == 0 {
		rows = append(rows, [2]string{"anchors", "none given: the chain was checked against itself only"})
	} else {
		state := "every anchored head is in the chain"
		if v.Broken != nil {
			state = "see the faults above"
		}
		last := anchors[len(anchors)-1]
		rows = append(rows,
			[2]string{"anchors checked", fmt.Sprintf("%d (%d below the base, purged)", v.Anchors, v.AnchorsPurged)},
			[2]string{"anchors", state},
			[2]string{"latest anchor", fmt.Sprintf("seq %d at %s", last.Seq, last.Time.UTC().Format(consent.TimeFormat))},
			[2]string{"records after the latest anchor", strconv.FormatInt(max(0, v.Through-last.Seq), 10)},
		)
	}
	t := table{Name: "chain", Caption: "Verification of the chain at the time of the report", Columns: []string{"check", "result"}}
	for _, row := range rows {
		t.Rows = append(t.Rows, []cell{textCell(row[0]), textCell(row[1])})
	}
	return t
}

// csvBytes writes t as CSV with a header row; a suppressed cell reads "<10".
func (t table) csvBytes() ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(t.Columns); err != nil {
		return nil, err
	}
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = c.Text
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
