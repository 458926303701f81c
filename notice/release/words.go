package release

import (
	"strings"
	"unicode"
)

// Op is one run of words of a wording change: kept ("="), removed ("-")
// or inserted ("+").
type Op struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Words is the word-level difference of a and b (white space kept with
// the word before it), as runs of kept, removed and inserted words. The
// diff's wording changes and the changes page both read it.
func Words(a, b string) []Op {
	x, y := tokens(a), tokens(b)
	same := func(i, j int) bool { return strings.TrimSpace(x[i]) == strings.TrimSpace(y[j]) }
	var ops []Op
	emit := func(op, s string) {
		if k := len(ops) - 1; k >= 0 && ops[k].Op == op {
			ops[k].Text += s
			return
		}
		ops = append(ops, Op{op, s})
	}
	for _, e := range align(len(x), len(y), same) {
		switch e.op {
		case '=':
			emit("=", y[e.j])
		case '-':
			emit("-", x[e.i])
		default:
			emit("+", y[e.j])
		}
	}
	return ops
}

// edit is one step of an alignment: '=' keeps x[i] as y[j], '-' removes
// x[i], '+' inserts y[j].
type edit struct {
	op   byte
	i, j int
}

// align is a longest-common-subsequence alignment of two sequences of
// lengths m and n; same says whether x[i] and y[j] are equal. Removals
// come before insertions where both are possible. The table is quadratic:
// the sequences are paragraphs' words or a page's blocks, a few hundred
// at most.
func align(m, n int, same func(i, j int) bool) []edit {
	l := make([][]int32, m+1)
	cells := make([]int32, (m+1)*(n+1))
	for i := range l {
		l[i] = cells[i*(n+1) : (i+1)*(n+1)]
	}
	for i := m - 1; i >= 0; i-- {
		for j := n - 1; j >= 0; j-- {
			if same(i, j) {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	out := make([]edit, 0, max(m, n))
	i, j := 0, 0
	for i < m && j < n {
		switch {
		case same(i, j):
			out = append(out, edit{'=', i, j})
			i, j = i+1, j+1
		case l[i+1][j] >= l[i][j+1]:
			out = append(out, edit{'-', i, j})
			i++
		default:
			out = append(out, edit{'+', i, j})
			j++
		}
	}
	for ; i < m; i++ {
		out = append(out, edit{'-', i, j})
	}
	for ; j < n; j++ {
		out = append(out, edit{'+', i, j})
	}
	return out
}

// tokens splits s into words, each with the white space that follows it.
func tokens(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if !sp && inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
