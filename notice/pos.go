package notice

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// posIndex maps key paths ("purpose[2].basis", "controller.email",
// "purpose[0].title.en") to where they stand in the source. BurntSushi/toml
// reports positions only for the first decode error, so after a successful
// parse we scan the (valid) source once ourselves. The scanner is lenient:
// it only has to be right for documents the parser accepted.
type posIndex map[string]Pos

// lookup returns the position of path, or of its nearest defined parent,
// or else the key path in the first file (ix[""]).
func (ix posIndex) lookup(path string) Pos {
	p := path
	for p != "" {
		if pos, ok := ix[p]; ok {
			pos.Path = path
			return pos
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return Pos{File: ix[""].File, Path: path}
}

// scanPositions indexes one file. counts carries the number of [[array]]
// tables seen in earlier files, so indexes continue across files.
func scanPositions(ix posIndex, file, src string, counts map[string]int) {
	defer charCols(ix, file, src)
	table := ""
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trim := strings.TrimLeft(line, " \t")
		indent := len(line) - len(trim)
		if trim == "" || trim[0] == '#' {
			continue
		}
		if strings.HasPrefix(trim, "[[") {
			name := headerName(trim[2:], "]]")
			// [[data_category.examples]] after [[data_category]] adds to
			// the last data category: data_category[N].examples[M].
			if first, rest, ok := strings.Cut(name, "."); ok && counts[first] > 0 {
				name = first + "[" + strconv.Itoa(counts[first]-1) + "]." + rest
			}
			idx := counts[name]
			counts[name] = idx + 1
			table = name + "[" + strconv.Itoa(idx) + "]"
			ix[table] = Pos{File: file, Line: i + 1, Col: indent + 1}
			continue
		}
		if trim[0] == '[' {
			table = headerName(trim[1:], "]")
			// [purpose.description] after [[purpose]] belongs to the last
			// purpose: index it as purpose[N].description.
			if first, rest, ok := strings.Cut(table, "."); ok && counts[first] > 0 {
				table = first + "[" + strconv.Itoa(counts[first]-1) + "]." + rest
			}
			ix[table] = Pos{File: file, Line: i + 1, Col: indent + 1}
			continue
		}
		key, rest, ok := splitKey(trim)
		if !ok {
			continue
		}
		full := join(table, key)
		ix[full] = Pos{File: file, Line: i + 1, Col: indent + 1 + (len(trim) - len(rest))}
		// Inline tables on one line: {sv = "...", en = "..."}.
		if strings.HasPrefix(rest, "{") {
			indexInline(ix, file, i+1, indent+1+(len(trim)-len(rest)), rest, full)
		}
		// Arrays of inline tables, on one line or several:
		// basis_conditions = [{basis = "consent", when = "storage"}].
		if strings.HasPrefix(rest, "[") {
			indexTableArray(ix, file, lines, i, len(line)-len(rest), full)
		}
		// Skip the continuation lines of multi-line strings, arrays and tables.
		i = skipValue(lines, i, rest, ix, file, full)
	}
}

func headerName(s, end string) string {
	if j := strings.Index(s, end); j >= 0 {
		s = s[:j]
	}
	parts := strings.Split(s, ".")
	for k := range parts {
		parts[k] = strings.Trim(strings.TrimSpace(parts[k]), `"'`)
	}
	return strings.Join(parts, ".")
}

func join(table, key string) string {
	if table == "" {
		return key
	}
	return table + "." + key
}

// splitKey splits `key = value` and returns the key (dotted keys joined with
// '.') and the value text starting at its first character.
func splitKey(s string) (key, value string, ok bool) {
	eq := -1
	inq := byte(0)
	for k := 0; k < len(s); k++ {
		c := s[k]
		if inq != 0 {
			if c == inq {
				inq = 0
			}
			continue
		}
		if c == '"' || c == '\'' {
			inq = c
			continue
		}
		if c == '=' {
			eq = k
			break
		}
	}
	if eq < 0 {
		return "", "", false
	}
	parts := strings.Split(s[:eq], ".")
	for k := range parts {
		parts[k] = strings.Trim(strings.TrimSpace(parts[k]), `"'`)
	}
	return strings.Join(parts, "."), strings.TrimLeft(s[eq+1:], " \t"), true
}

// indexInline records the keys of a one-line inline table starting at col.
func indexInline(ix posIndex, file string, line, col int, s, prefix string) {
	depth := 0
	start := 1
	for k := 0; k < len(s); k++ {
		c := s[k]
		switch c {
		case '"', '\'':
			k = stringEnd(s, k)
		case '{', '[':
			depth++
			if depth == 1 {
				start = k + 1
			}
		case '}', ']':
			depth--
		case ',':
			if depth == 1 {
				start = k + 1
			}
		case '=':
			if depth == 1 {
				seg := s[start:k]
				lead := len(seg) - len(strings.TrimLeft(seg, " \t"))
				key := strings.Trim(strings.TrimSpace(seg), `"'`)
				val := strings.TrimLeft(s[k+1:], " \t")
				vcol := col + len(s) - len(val)
				_ = lead
				ix[prefix+"."+key] = Pos{File: file, Line: line, Col: vcol}
			}
		}
	}
}

// skipValue returns the index of the last line of the value that starts on
// line i with text rest. Keys inside multi-line inline tables are indexed.
func skipValue(lines []string, i int, rest string, ix posIndex, file, prefix string) int {
	for _, q := range []string{`"""`, `'''`} {
		if strings.HasPrefix(rest, q) {
			if strings.Count(rest, q) >= 2 {
				return i
			}
			for j := i + 1; j < len(lines); j++ {
				if strings.Contains(lines[j], q) {
					return j
				}
			}
			return len(lines) - 1
		}
	}
	depth := bracketDepth(rest)
	j := i
	for depth > 0 && j+1 < len(lines) {
		j++
		t := strings.TrimLeft(lines[j], " \t")
		if strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, "[") {
			if k, v, ok := splitKey(t); ok && depth == 1 && !strings.HasPrefix(t, "#") {
				ix[prefix+"."+k] = Pos{File: file, Line: j + 1, Col: len(lines[j]) - len(v) + 1}
			}
		}
		depth += bracketDepth(t)
	}
	return j
}

// bracketDepth returns the change in {}/[] nesting over s, ignoring strings
// and comments.
func bracketDepth(s string) int {
	d := 0
	for k := 0; k < len(s); k++ {
		c := s[k]
		switch c {
		case '"', '\'':
			k = stringEnd(s, k)
		case '#':
			return d
		case '{', '[':
			d++
		case '}', ']':
			d--
		}
	}
	return d
}

// stringEnd returns the index of the quote that closes the string opening
// at s[k] (a basic string honours backslash escapes), or len(s).
func stringEnd(s string, k int) int {
	q := s[k]
	for j := k + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && q == '"':
			j++
		case s[j] == q:
			return j
		}
	}
	return len(s)
}

// charCols turns the byte columns of file's positions into character
// columns, which is what editors show and what the preview's caret counts:
// "titel = {sv = \"Åtgärd\", ...}" has the en value at the same column
// whether the text before it is å or a.
func charCols(ix posIndex, file, src string) {
	lines := strings.Split(src, "\n")
	for k, p := range ix {
		if p.File == file {
			p.Col = charCol(lines, p.Line, p.Col)
			ix[k] = p
		}
	}
}

// charCol returns the character column of byte column col on line (both
// 1-based).
func charCol(lines []string, line, col int) int {
	if line < 1 || line > len(lines) || col <= 1 {
		return col
	}
	l := lines[line-1]
	if col-1 > len(l) {
		return col
	}
	return utf8.RuneCountInString(l[:col-1]) + 1
}

// indexTableArray records each inline table of the array value that starts
// at byte off of line i, and the keys within it, as full[0], full[0].key,
// full[0].key.sub: an error about the second element points at it, not at
// the array. Scalars in the array are not indexed. Each key is also
// recorded without the element's index (full.key, at its first element),
// as the TOML decoder names a key it did not expect.
func indexTableArray(ix posIndex, file string, lines []string, i, off int, full string) {
	type frame struct {
		prefix  string
		alias   string // prefix without the indexes of elements of this array
		table   bool
		count   int
		seg     int // byte offset on segLine where the current key starts
		segLine int
		key     string
	}
	var stack []*frame
	for ln := i; ln < len(lines); ln++ {
		s := lines[ln]
		k := 0
		if ln == i {
			k = off
		}
		for ; k < len(s); k++ {
			c := s[k]
			var top *frame
			if len(stack) > 0 {
				top = stack[len(stack)-1]
			}
			switch c {
			case '"', '\'':
				k = stringEnd(s, k)
			case '#':
				k = len(s)
			case '[', '{':
				prefix, alias := full, full
				switch {
				case top == nil:
				case !top.table:
					prefix, alias = top.prefix+"["+strconv.Itoa(top.count)+"]", top.alias
					top.count++
				default:
					prefix, alias = top.prefix+"."+top.key, top.alias+"."+top.key
				}
				if c == '{' && top != nil && !top.table {
					ix[prefix] = Pos{File: file, Line: ln + 1, Col: k + 1}
				}
				stack = append(stack, &frame{prefix: prefix, alias: alias, table: c == '{', seg: k + 1, segLine: ln})
			case ']', '}':
				if len(stack) == 0 {
					return
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return
				}
			case ',':
				if top != nil && top.table {
					top.seg, top.segLine = k+1, ln
				}
			case '=':
				if top != nil && top.table && top.segLine == ln {
					top.key = strings.Trim(strings.TrimSpace(s[top.seg:k]), "\"'")
					v := k + 1
					for v < len(s) && (s[v] == ' ' || s[v] == '\t') {
						v++
					}
					if len(stack) > 1 {
						pos := Pos{File: file, Line: ln + 1, Col: v + 1}
						ix[top.prefix+"."+top.key] = pos
						if _, ok := ix[top.alias+"."+top.key]; !ok {
							ix[top.alias+"."+top.key] = pos
						}
					}
				}
			}
		}
		if len(stack) == 0 {
			return
		}
	}
}
