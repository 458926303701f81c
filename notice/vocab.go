package notice

// Term is one value of a closed vocabulary of the schema: the key written in
// TOML, the GDPR article it stands for (empty where none), its W3C DPV 2.3
// IRI in prefixed form (empty where DPV has no term), and the i18n message id
// of its name on the page. Validation, rendering, lint and exports all read
// these tables instead of repeating the strings.
type Term struct {
	Key     string
	Article string
	IRI     string
	Msg     string
}

// Vocab is a closed vocabulary, in the order the page and error messages
// list it.
type Vocab []Term

// Lookup returns the term with key k.
func (v Vocab) Lookup(k string) (Term, bool) {
	for _, t := range v {
		if t.Key == k {
			return t, true
		}
	}
	return Term{}, false
}

// Has reports whether k is a key of v.
func (v Vocab) Has(k string) bool {
	_, ok := v.Lookup(k)
	return ok
}

// Keys returns the keys of v in order.
func (v Vocab) Keys() []string {
	out := make([]string, len(v))
	for i, t := range v {
		out[i] = t.Key
	}
	return out
}
