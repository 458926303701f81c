package notice

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// document is the shape of one file under content/. Any file may hold any
// part; Load merges them, and a singleton table may appear in one file only.
type document struct {
	Notice            *Meta             `toml:"notice"`
	Controller        *Controller       `toml:"controller"`
	DPO               *DPO              `toml:"dpo"`
	Authority         *Authority        `toml:"authority"`
	Representative    *Representative   `toml:"representative"`
	JointControllers  []JointController `toml:"joint_controller"`
	Sections          *Sections         `toml:"sections"`
	Children          *Children         `toml:"children"`
	Extra             []Section         `toml:"section"`
	Transfers         *Transfers        `toml:"transfers"`
	Banner            *Banner           `toml:"banner"`
	DataCategories    []DataCategory    `toml:"data_category"`
	Purposes          []Purpose         `toml:"purpose"`
	Retention         []Retention       `toml:"retention"`
	Recipients        []Recipient       `toml:"recipient"`
	Rights            []Right           `toml:"right"`
	ConsentCategories []ConsentCategory `toml:"consent_category"`
	Cookies           []Cookie          `toml:"cookie"`
	History           []Change          `toml:"history"`
	Accepted          []Acceptance      `toml:"accept"`
}

// Load reads every *.toml file under dir/content (in name order), merges
// them into one Notice and validates it. On failure the error is
// Diagnostics listing every problem with file:line:col.
func Load(dir string) (*Notice, error) {
	files, err := filepath.Glob(filepath.Join(dir, "content", "*.toml"))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("load %s: no content/*.toml files", dir)
	}
	sort.Strings(files)
	srcs := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", f, err)
		}
		rel, _ := filepath.Rel(dir, f)
		srcs[filepath.ToSlash(rel)] = b
	}
	n, err := Parse(srcs)
	if n != nil {
		n.Dir = dir
		err = checkHistory(dir, n, err)
	}
	return n, err
}

// Parse merges and validates the given files (name → TOML source).
func Parse(files map[string][]byte) (*Notice, error) {
	n := &Notice{pos: posIndex{}}
	var ds Diagnostics
	counts := map[string]int{}
	seen := map[string]string{} // singleton table → file
	if names := sortedKeys(files); len(names) > 0 {
		n.pos[""] = Pos{File: names[0]}
	}
	for _, name := range sortedKeys(files) {
		src := string(files[name])
		var doc document
		md, err := toml.Decode(src, &doc)
		if err != nil {
			ds = append(ds, decodeDiagnostic(name, src, err))
			continue
		}
		scanPositions(n.pos, name, src, counts)
		for _, k := range outermost(md.Undecoded()) {
			ds = append(ds, undecoded(n.pos, name, src, k, reflect.TypeOf(doc))...)
		}
		single := func(key string, present bool) bool {
			if !present {
				return false
			}
			if f, dup := seen[key]; dup {
				ds = append(ds, Diagnostic{Pos: n.pos.lookup(key), Severity: Error,
					Message: fmt.Sprintf("[%s] is already defined in %s", key, f)})
				return false
			}
			seen[key] = name
			return true
		}
		if single("notice", doc.Notice != nil) {
			n.Meta = *doc.Notice
		}
		if single("controller", doc.Controller != nil) {
			n.Controller = *doc.Controller
		}
		if single("dpo", doc.DPO != nil) {
			n.DPO = *doc.DPO
		}
		if single("authority", doc.Authority != nil) {
			n.Authority = *doc.Authority
		}
		if single("representative", doc.Representative != nil) {
			n.Representative = doc.Representative
		}
		n.JointControllers = appendAt(n.JointControllers, doc.JointControllers, n.pos, "joint_controller", func(e *JointController, p Pos) { e.At = p })
		if single("sections", doc.Sections != nil) {
			n.Sections = *doc.Sections
		}
		if single("children", doc.Children != nil) {
			n.Children = *doc.Children
		}
		if single("transfers", doc.Transfers != nil) {
			n.Transfers = *doc.Transfers
		}
		if single("banner", doc.Banner != nil) {
			n.Banner = *doc.Banner
		}
		n.DataCategories = appendAt(n.DataCategories, doc.DataCategories, n.pos, "data_category", func(e *DataCategory, p Pos) { e.At = p })
		n.Extra = appendAt(n.Extra, doc.Extra, n.pos, "section", func(e *Section, p Pos) { e.At = p })
		n.Purposes = appendAt(n.Purposes, doc.Purposes, n.pos, "purpose", func(e *Purpose, p Pos) { e.At = p })
		n.Retention = appendAt(n.Retention, doc.Retention, n.pos, "retention", func(e *Retention, p Pos) { e.At = p })
		n.Recipients = appendAt(n.Recipients, doc.Recipients, n.pos, "recipient", func(e *Recipient, p Pos) { e.At = p })
		n.Rights = appendAt(n.Rights, doc.Rights, n.pos, "right", func(e *Right, p Pos) { e.At = p })
		n.ConsentCategories = appendAt(n.ConsentCategories, doc.ConsentCategories, n.pos, "consent_category", func(e *ConsentCategory, p Pos) { e.At = p })
		n.Cookies = appendAt(n.Cookies, doc.Cookies, n.pos, "cookie", func(e *Cookie, p Pos) { e.At = p })
		n.History = appendAt(n.History, doc.History, n.pos, "history", func(e *Change, p Pos) { e.At = p })
		n.Accepted = appendAt(n.Accepted, doc.Accepted, n.pos, "accept", func(e *Acceptance, p Pos) { e.At = p })
	}
	if len(ds) == 0 {
		ds = append(ds, validate(n)...)
	}
	ds.Sort()
	if ds.HasErrors() {
		return n, ds
	}
	return n, nil
}

func appendAt[T any](dst, src []T, ix posIndex, name string, set func(*T, Pos)) []T {
	for _, e := range src {
		path := name + "[" + strconv.Itoa(len(dst)) + "]"
		set(&e, ix.lookup(path))
		dst = append(dst, e)
	}
	return dst
}

// undecoded reports an unknown key at each place of file where it is
// written, with the keys of schema (the type decoded) that it may have
// meant. Keys under arrays of tables carry no index in BurntSushi's
// metadata, so every element that has the key is named: the index paths
// of file whose path, indexes dropped, is the key's.
func undecoded(ix posIndex, file, src string, k toml.Key, schema reflect.Type) Diagnostics {
	var out Diagnostics
	lines := strings.Split(src, "\n")
	atKey := func(p Pos) Pos {
		if p.Line > 0 && p.Line <= len(lines) {
			l := lines[p.Line-1]
			p.Col = len(l) - len(strings.TrimLeft(l, " \t")) + 1
		}
		return p
	}
	name := k[len(k)-1]
	msg := fmt.Sprintf("unknown key %q", name) + didYouMean(name, keysAt(schema, k[:len(k)-1]))
	want := strings.Join(k, ".")
	seen := map[[2]int]bool{} // a key inside an inline array is indexed with and without its element's index
	for path, p := range ix {
		at := [2]int{p.Line, p.Col}
		if p.File == file && indexRE.ReplaceAllString(path, "") == want && !seen[at] {
			seen[at] = true
			p.Path = path
			out = append(out, Diagnostic{Pos: atKey(p), Severity: Error, Message: msg})
		}
	}
	if len(out) == 0 {
		p := ix.lookup(k.String())
		if p.File == "" {
			p.File = file
		}
		out = append(out, Diagnostic{Pos: atKey(p), Severity: Error, Message: msg})
	}
	return out
}

// outermost drops the keys under an unknown key: a misspelt table is one
// error, not one more for every key in it. It also drops a key listed
// again: the metadata names a key of an array of tables without its
// index, once per element that has it, and undecoded finds every place
// of it at once.
func outermost(keys []toml.Key) []toml.Key {
	unknown := map[string]bool{}
	for _, k := range keys {
		unknown[k.String()] = true
	}
	var out []toml.Key
	listed := map[string]bool{}
	for _, k := range keys {
		under := false
		for i := 1; i < len(k) && !under; i++ {
			under = unknown[k[:i].String()]
		}
		if !under && !listed[k.String()] {
			listed[k.String()] = true
			out = append(out, k)
		}
	}
	return out
}

// indexRE matches the array indexes of an index path ("purpose[2]").
var indexRE = regexp.MustCompile(`\[[0-9]+\]`)

var lineRE = regexp.MustCompile(`line (\d+)`)

// decodeDiagnostic turns a BurntSushi error into file:line:col.
func decodeDiagnostic(file, src string, err error) Diagnostic {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		col := charCol(strings.Split(src, "\n"), pe.Position.Line, max(pe.Position.Col, 1))
		return Diagnostic{Pos: Pos{File: file, Line: pe.Position.Line, Col: col}, Severity: Error, Message: pe.Message}
	}
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	d := Diagnostic{Pos: Pos{File: file}, Severity: Error, Message: msg}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		d.Pos.Line, _ = strconv.Atoi(m[1])
		d.Pos.Col = 1
		if i := strings.Index(msg, "): "); i >= 0 {
			d.Message = msg[i+3:]
		}
		lines := strings.Split(src, "\n")
		if d.Pos.Line-1 < len(lines) {
			l := lines[d.Pos.Line-1]
			if _, v, ok := splitKey(strings.TrimLeft(l, " \t")); ok {
				d.Pos.Col = charCol(lines, d.Pos.Line, len(l)-len(v)+1)
			}
		}
	}
	return d
}
