package notice

import (
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/integritet/integritet/notice/dpv"
)

// didYouMean returns "; did you mean "x"?" for the candidates closest to
// word (see closest), or "" when none is close: the tail of an error that
// names an unknown key or term.
func didYouMean(word string, candidates []string) string {
	return meaning(closest(word, candidates))
}

// meaning words a list of suggestions: `; did you mean "a" or "b"?`.
func meaning(list []string) string {
	if len(list) == 0 {
		return ""
	}
	quoted := make([]string, len(list))
	for i, c := range list {
		quoted[i] = `"` + c + `"`
	}
	s := quoted[0]
	if n := len(quoted); n > 1 {
		s = strings.Join(quoted[:n-1], ", ") + " or " + quoted[n-1]
	}
	return "; did you mean " + s + "?"
}

// closest returns the candidates nearest to word, at most three, sorted:
// those equal to it but for case, or else those at the smallest edit
// distance (optimal string alignment: insertions, deletions,
// substitutions and swaps of neighbours, each one edit, case ignored) if
// that is at most a quarter of word's length (one edit for words under
// eight letters) and less than the length itself, so that a short word is
// never "corrected" into an unrelated one. Nothing when nothing is close.
func closest(word string, candidates []string) []string {
	return closestWithin(word, candidates, editLimit(word))
}

// editLimit is the most edits closest allows for word: a quarter of its
// length, at least one, less than the length.
func editLimit(word string) int {
	n := utf8.RuneCountInString(word)
	return min(max(1, n/4), n-1)
}

// closestWithin is closest with at most limit edits.
func closestWithin(word string, candidates []string, limit int) []string {
	w := strings.ToLower(word)
	n := utf8.RuneCountInString(w)
	// score is 0 for a change of case only, 1 + the distance otherwise.
	var best []string
	bestScore := limit + 2
	for _, c := range candidates {
		if c == word {
			continue
		}
		lc := strings.ToLower(c)
		score := 0
		if lc != w {
			diff := utf8.RuneCountInString(lc) - n
			if 1+max(diff, -diff) > bestScore {
				continue // the lengths alone are further apart
			}
			score = 1 + osa(w, lc)
		}
		switch {
		case score < bestScore:
			best, bestScore = []string{c}, score
		case score == bestScore:
			best = append(best, c)
		}
	}
	if bestScore > limit+1 {
		return nil
	}
	slices.Sort(best)
	best = slices.Compact(best)
	return best[:min(3, len(best))]
}

// osa is the optimal string alignment distance between a and b, in runes.
func osa(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows: two back (for a swap), one back, this one.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// keysAt lists the keys that schema (the type a TOML file decodes into)
// takes in the table at path (a key path as the TOML decoder reports it,
// without array indices; empty for the top level): the candidates for an
// unknown key there. Nil where the path leaves the schema's tables.
func keysAt(schema reflect.Type, path []string) []string {
	t := schema
	for _, part := range path {
		f, ok := fieldNamed(t, part)
		if !ok {
			return nil
		}
		t = f.Type
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
	}
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if sf := t.Field(i); sf.IsExported() {
			if name := tomlName(sf); name != "-" {
				keys = append(keys, name)
			}
		}
	}
	return keys
}

func fieldNamed(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if sf := t.Field(i); sf.IsExported() && tomlName(sf) == name {
			return sf, true
		}
	}
	return reflect.StructField{}, false
}

// dpvSuggestion is didYouMean for a DPV term among the terms of DPV 2.3.
// A term named as a term under another prefix (dpv:EmailAddress for
// pd:EmailAddress) is suggested that one, however far apart the prefixes.
func dpvSuggestion(term string) string {
	terms := dpv.Terms()
	_, name, ok := strings.Cut(term, ":")
	if !ok {
		name = term // the prefix left out
	}
	var moved []string
	for _, t := range terms {
		if _, n, _ := strings.Cut(t, ":"); strings.EqualFold(n, name) && t != term {
			moved = append(moved, t)
		}
	}
	if name != "" && len(moved) > 0 {
		return meaning(moved[:min(3, len(moved))])
	}
	// The limit is the name's: a prefix is short and says little.
	return meaning(closestWithin(term, terms, editLimit(name)))
}
