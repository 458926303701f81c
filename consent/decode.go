package consent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Problem names one thing wrong with a request, by field path.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// problemBody is the answer to a request that is refused.
type problemBody struct {
	Problems        []Problem `json:"problems"`
	CurrentRevision string    `json:"current_revision,omitempty"`
	CurrentVersion  string    `json:"current_version,omitempty"`
}

// encode writes v as JSON with status. It is the one way answers leave.
func encode(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only our own types go through here
		status, b = http.StatusInternalServerError, []byte(`{"problems":[{"field":"","message":"internal error"}]}`)
	}
	write(w, status, b)
}

// write sends b, a JSON document, with status.
func write(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func problems(w http.ResponseWriter, status int, ps ...Problem) {
	encode(w, status, problemBody{Problems: ps})
}

// decision is a visitor's choice as posted, before it becomes a Record.
type decision struct {
	ID       string // the browser's id of the decision, "" when it sent none
	Subject  string
	Revision string
	Version  string
	Language string
	Method   string
	Choices  map[string]bool
}

// field checks one top-level key of a decision and stores its value; raw
// is nil when the key is absent.
type field struct {
	name  string
	check func(d *decision, raw json.RawMessage) []Problem
}

func fieldIndex(fields []field, key string) int {
	for i := range fields {
		if fields[i].name == key {
			return i
		}
	}
	return -1
}

// decode reads a JSON object strictly into d: every key must be in fields
// (at most 64), none may repeat, nothing may follow the object, and every
// value is checked by its field function. It returns every problem it
// finds, in one pass; a body that is not a JSON object gives one problem
// for "body". It is the one decoding path for outside input.
func decode(body []byte, d *decision, fields []field) []Problem {
	var kbuf [8]string
	var vbuf [8][]byte
	if keys, vals, ok := scanFlat(body, true, kbuf[:0], vbuf[:0]); ok {
		var ps []Problem
		var seen uint64
		for i, key := range keys {
			ps = take(ps, &seen, d, fields, key, vals[i])
		}
		return checkMissing(ps, d, seen, fields)
	}
	return decodeSlow(body, d, fields)
}

// decodeSlow is decode for any input, with the same results as the fast
// path where both apply.
func decodeSlow(body []byte, d *decision, fields []field) []Problem {
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil {
		return []Problem{{"body", syntaxMessage(err)}}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return []Problem{{"body", "must be a JSON object"}}
	}
	var ps []Problem
	var seen uint64
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return []Problem{{"body", syntaxMessage(err)}}
		}
		key, _ := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return []Problem{{"body", syntaxMessage(err)}}
		}
		ps = take(ps, &seen, d, fields, key, raw)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return []Problem{{"body", syntaxMessage(err)}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return []Problem{{"body", "unexpected data after the JSON object"}}
	}
	return checkMissing(ps, d, seen, fields)
}

// take checks one key of the object and its value: an unknown key, a key
// given twice, or what the field's check says. seen has bit j set for
// fields[j] once given.
func take(ps []Problem, seen *uint64, d *decision, fields []field, key string, raw json.RawMessage) []Problem {
	j := fieldIndex(fields, key)
	switch {
	case j < 0:
		return append(ps, Problem{fieldName(key), "unknown field"})
	case *seen&(1<<j) != 0:
		return append(ps, Problem{key, "given more than once"})
	}
	*seen |= 1 << j
	return append(ps, fields[j].check(d, raw)...)
}

// checkMissing adds the problems of fields not given and sorts them all.
func checkMissing(ps []Problem, d *decision, seen uint64, fields []field) []Problem {
	for j, f := range fields {
		if seen&(1<<j) == 0 {
			ps = append(ps, f.check(d, nil)...)
		}
	}
	sortProblems(ps)
	return ps
}

func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int { return strings.Compare(a.Field, b.Field) })
}

// fieldName makes an outside key safe to echo in a field path.
func fieldName(key string) string {
	const max = 64
	if len(key) > max {
		key = key[:max] + "…"
	}
	return strings.ToValidUTF8(key, "\uFFFD")
}

func syntaxMessage(err error) string {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "incomplete JSON"
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	default:
		return "invalid JSON"
	}
}

// stringField decodes a required (or optional) JSON string into dst and
// checks it with valid, which returns a message or "".
func stringField(name string, dst func(*decision) *string, required bool, valid func(string) string) field {
	return field{name, func(d *decision, raw json.RawMessage) []Problem {
		if raw == nil {
			if required {
				return []Problem{{name, "required"}}
			}
			return nil
		}
		if len(raw) == 0 || raw[0] != '"' {
			return []Problem{{name, "must be a string"}}
		}
		s, ok := plainString(raw)
		if !ok {
			if err := json.Unmarshal(raw, &s); err != nil {
				return []Problem{{name, "must be a string"}}
			}
		}
		if msg := valid(s); msg != "" {
			return []Problem{{name, msg}}
		}
		*dst(d) = s
		return nil
	}}
}

// choicesField decodes the choices object: keys are checked against the
// categories later, values must be true or false.
func choicesField() field {
	return field{"choices", func(d *decision, raw json.RawMessage) []Problem {
		if raw == nil {
			return []Problem{{"choices", "required"}}
		}
		var kbuf [8]string
		var vbuf [8][]byte
		if keys, vals, ok := scanFlat(raw, false, kbuf[:0], vbuf[:0]); ok {
			m := make(map[string]bool, len(keys))
			var ps []Problem
			for i, key := range keys {
				name := "choices." + fieldName(key)
				if _, dup := m[key]; dup {
					ps = append(ps, Problem{name, "given more than once"})
					continue
				}
				switch string(vals[i]) {
				case "true":
					m[key] = true
				case "false":
					m[key] = false
				default:
					m[key] = false
					ps = append(ps, Problem{name, "must be true or false"})
				}
			}
			d.Choices = m
			return ps
		}
		m := map[string]bool{}
		fields := map[string]func(json.RawMessage) []Problem{}
		// Collect keys with a first pass that accepts any key.
		dec := json.NewDecoder(bytes.NewReader(raw))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return []Problem{{"choices", "must be an object of category keys to true or false"}}
		}
		var ps []Problem
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return []Problem{{"choices", "invalid JSON"}}
			}
			key, _ := tok.(string)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return []Problem{{"choices", "invalid JSON"}}
			}
			name := "choices." + fieldName(key)
			if _, dup := fields[key]; dup {
				ps = append(ps, Problem{name, "given more than once"})
				continue
			}
			fields[key] = nil
			switch string(v) {
			case "true":
				m[key] = true
			case "false":
				m[key] = false
			default:
				ps = append(ps, Problem{name, "must be true or false"})
			}
		}
		d.Choices = m
		return ps
	}}
}

// decisionFields returns the checks of a posted decision under p. A server
// builds them once.
func decisionFields(p Policy) []field {
	return []field{
		stringField("id", func(d *decision) *string { return &d.ID }, false, func(s string) string {
			if !hex32.MatchString(s) {
				return "must be 32 lowercase hex digits (128 random bits the banner made for this decision)"
			}
			return ""
		}),
		stringField("subject", func(d *decision) *string { return &d.Subject }, false, func(s string) string {
			if !hex32.MatchString(s) {
				return "must be 32 lowercase hex digits as issued by this server"
			}
			return ""
		}),
		stringField("revision", func(d *decision) *string { return &d.Revision }, true, func(s string) string {
			if !hex16.MatchString(s) {
				return "must be 16 lowercase hex digits"
			}
			return ""
		}),
		stringField("version", func(d *decision) *string { return &d.Version }, true, func(s string) string {
			if s == "" || len(s) > 64 {
				return "must be the notice version, 1 to 64 characters"
			}
			return ""
		}),
		// Only the form here: whether the notice is published in it is
		// checked after the revision (checkChoices), so that a page of a
		// build the endpoint does not run yet gets 409, not 400.
		stringField("language", func(d *decision) *string { return &d.Language }, true, func(s string) string {
			if !(Policy{}).hasLanguage(s) {
				return "must be a language tag such as \"sv\""
			}
			return ""
		}),
		stringField("method", func(d *decision) *string { return &d.Method }, true, func(s string) string {
			if !slices.Contains(methods, s) {
				return fmt.Sprintf("must be one of %s", quoteList(methods))
			}
			return ""
		}),
		choicesField(),
	}
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// checkChoices compares the choices with the policy's categories and the
// method; the revision is already known to be current.
func (d *decision) checkChoices(p Policy) []Problem {
	var ps []Problem
	if !p.hasLanguage(d.Language) {
		ps = append(ps, Problem{"language", fmt.Sprintf("must be one of %s", quoteList(p.Languages))})
	}
	for _, k := range p.Categories {
		if _, ok := d.Choices[k]; !ok {
			ps = append(ps, Problem{"choices." + k, fmt.Sprintf("missing: the decision must give or refuse consent category %q", k)})
		}
	}
	for k := range d.Choices {
		if !slices.Contains(p.Categories, k) {
			ps = append(ps, Problem{"choices." + fieldName(k), fmt.Sprintf("unknown consent category %q", fieldName(k))})
		}
	}
	if len(ps) == 0 {
		given := 0
		for _, v := range d.Choices {
			if v {
				given++
			}
		}
		switch {
		case d.Method == "accept-all" && given != len(d.Choices):
			ps = append(ps, Problem{"method", `"accept-all" must give every category`})
		case (d.Method == "reject-all" || d.Method == "gpc") && given != 0:
			ps = append(ps, Problem{"method", fmt.Sprintf("%q must refuse every category", d.Method)})
		}
	}
	sortProblems(ps)
	return ps
}

// differs names the first field in which d says something else than r, the
// record its id names, or returns "". A decision without a subject (the
// browser had not learnt the one issued for it) matches any.
func (d *decision) differs(r Record) string {
	switch {
	case d.Subject != "" && d.Subject != r.Subject:
		return "subject"
	case d.Revision != r.Revision:
		return "revision"
	case d.Version != r.Version:
		return "version"
	case d.Language != r.Language:
		return "language"
	case d.Method != r.Method:
		return "method"
	case !maps.Equal(d.Choices, r.Choices):
		return "choices"
	}
	return ""
}
