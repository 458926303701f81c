package consent

import "unicode/utf8"

// scanFlat is the fast path of decode for the shape every banner sends: a
// JSON object whose values are plain strings, true, false, or one level of
// such an object. "Plain" means no escapes, no control characters, valid
// UTF-8. It returns the keys and the raw bytes of their values in order,
// and ok=false for anything else, which the general (slower) decoder then
// handles with the same result; FuzzDecodeFastPathAgrees checks that.
//
// Keys and values are appended to keys and vals, which the caller may back
// with arrays on its stack.
func scanFlat(b []byte, nested bool, keys []string, vals [][]byte) ([]string, [][]byte, bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, nil, false
	}
	end, keys, vals, ok := scanObject(b, i, nested, keys, vals)
	if !ok || skipWS(b, end) != len(b) {
		return nil, nil, false
	}
	return keys, vals, true
}

// scanObject scans the object at b[i] == '{' and returns the index after it.
// With keys nil (a nested object) the object is only checked.
func scanObject(b []byte, i int, nested bool, keys []string, vals [][]byte) (int, []string, [][]byte, bool) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, keys, vals, true
	}
	for {
		ks, ke, ok := scanString(b, i)
		if !ok {
			return 0, nil, nil, false
		}
		i = skipWS(b, ke)
		if i >= len(b) || b[i] != ':' {
			return 0, nil, nil, false
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return 0, nil, nil, false
		}
		vs := i
		switch {
		case b[i] == '"':
			_, e, ok := scanString(b, i)
			if !ok {
				return 0, nil, nil, false
			}
			i = e
		case b[i] == '{' && nested:
			e, _, _, ok := scanObject(b, i, false, nil, nil)
			if !ok {
				return 0, nil, nil, false
			}
			i = e
		case hasPrefix(b[i:], "true"):
			i += 4
		case hasPrefix(b[i:], "false"):
			i += 5
		default:
			return 0, nil, nil, false
		}
		if keys != nil {
			keys = append(keys, string(b[ks+1:ke-1]))
			vals = append(vals, b[vs:i])
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return 0, nil, nil, false
		}
		if b[i] == '}' {
			return i + 1, keys, vals, true
		}
		if b[i] != ',' {
			return 0, nil, nil, false
		}
		i = skipWS(b, i+1)
	}
}

// scanString scans a plain string at b[i] and returns its bounds
// (quotes included).
func scanString(b []byte, i int) (start, end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, false
	}
	for j := i + 1; j < len(b); j++ {
		c := b[j]
		switch {
		case c == '"':
			if !utf8.Valid(b[i+1 : j]) {
				return 0, 0, false
			}
			return i, j + 1, true
		case c == '\\' || c < 0x20:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

func hasPrefix(b []byte, s string) bool {
	if len(b) < len(s) || string(b[:len(s)]) != s {
		return false
	}
	// A literal must end there: "truex" is not true.
	if len(b) > len(s) {
		switch b[len(s)] {
		case ' ', '\t', '\n', '\r', ',', '}':
		default:
			return false
		}
	}
	return true
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainString returns the content of a plain JSON string literal.
func plainString(raw []byte) (string, bool) {
	if _, e, ok := scanString(raw, 0); ok && e == len(raw) {
		return string(raw[1 : len(raw)-1]), true
	}
	return "", false
}
