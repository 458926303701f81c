package consent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	Subject  string
	Revision string
	Version  string
	Language string
	Method   string
	Choices  map[string]bool
}

// decode reads a JSON object strictly into dst: every key must be in
// fields, none may repeat, nothing may follow the object, and every value
// is checked by its field function. It returns every problem it finds, in
// one pass; a body that is not a JSON object gives one problem for "body".
// It is the one decoding path for outside input.
func decode(body []byte, fields map[string]func(raw json.RawMessage) []Problem) []Problem {
	if keys, vals, ok := scanFlat(body, true); ok {
		var ps []Problem
		seen := make(map[string]bool, len(keys))
		for i, key := range keys {
			check, known := fields[key]
			switch {
			case !known:
				ps = append(ps, Problem{fieldName(key), "unknown field"})
			case seen[key]:
				ps = append(ps, Problem{key, "given more than once"})
			default:
				ps = append(ps, check(vals[i])...)
			}
			seen[key] = true
		}
		return checkMissing(ps, seen, fields)
	}
	return decodeSlow(body, fields)
}

// decodeSlow is decode for any input, with the same results as the fast
// path where both apply.
func decodeSlow(body []byte, fields map[string]func(raw json.RawMessage) []Problem) []Problem {
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil {
		return []Problem{{"body", syntaxMessage(err)}}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return []Problem{{"body", "must be a JSON object"}}
	}
	var ps []Problem
	seen := map[string]bool{}
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
		check, known := fields[key]
		switch {
		case !known:
			ps = append(ps, Problem{fieldName(key), "unknown field"})
		case seen[key]:
			ps = append(ps, Problem{key, "given more than once"})
		default:
			ps = append(ps, check(raw)...)
		}
		seen[key] = true
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return []Problem{{"body", syntaxMessage(err)}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return []Problem{{"body", "unexpected data after the JSON object"}}
	}
	return checkMissing(ps, seen, fields)
}

// checkMissing adds the problems of fields not given and sorts them all.
func checkMissing(ps []Problem, seen map[string]bool, fields map[string]func(raw json.RawMessage) []Problem) []Problem {
	for key, check := range fields {
		if !seen[key] {
			ps = append(ps, check(nil)...)
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
func stringField(name string, dst *string, required bool, valid func(string) string) func(json.RawMessage) []Problem {
	return func(raw json.RawMessage) []Problem {
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
		*dst = s
		return nil
	}
}

// choicesField decodes the choices object: keys are checked against the
// categories later, values must be true or false.
func choicesField(dst *map[string]bool) func(json.RawMessage) []Problem {
	return func(raw json.RawMessage) []Problem {
		if raw == nil {
			return []Problem{{"choices", "required"}}
		}
		if keys, vals, ok := scanFlat(raw, false); ok {
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
			*dst = m
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
		*dst = m
		return ps
	}
}

func (d *decision) fields(p Policy) map[string]func(json.RawMessage) []Problem {
	return map[string]func(json.RawMessage) []Problem{
		"subject": stringField("subject", &d.Subject, false, func(s string) string {
			if !hex32.MatchString(s) {
				return "must be 32 lowercase hex digits as issued by this server"
			}
			return ""
		}),
		"revision": stringField("revision", &d.Revision, true, func(s string) string {
			if !hex16.MatchString(s) {
				return "must be 16 lowercase hex digits"
			}
			return ""
		}),
		"version": stringField("version", &d.Version, true, func(s string) string {
			if s == "" || len(s) > 64 {
				return "must be the notice version, 1 to 64 characters"
			}
			return ""
		}),
		"language": stringField("language", &d.Language, true, func(s string) string {
			if !p.hasLanguage(s) {
				if len(p.Languages) == 0 {
					return "must be a language tag such as \"sv\""
				}
				return fmt.Sprintf("must be one of %s", quoteList(p.Languages))
			}
			return ""
		}),
		"method": stringField("method", &d.Method, true, func(s string) string {
			if !slices.Contains(methods, s) {
				return fmt.Sprintf("must be one of %s", quoteList(methods))
			}
			return ""
		}),
		"choices": choicesField(&d.Choices),
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
