package notice

import (
	"reflect"
	"strconv"
	"strings"
)

// EachText calls f for every human text of the notice with its key path
// ("purpose[2].description", "data_category[0].examples[3].text"), in the
// order of the schema. It walks the schema itself, so a Text field added
// anywhere is reached without being listed: translation checks, the
// `unfilled` rule, the stale-wording rules and placeholder checks all see
// every text.
func (n *Notice) EachText(f func(path string, t Text)) { n.eachText(false, f) }

// EachTextByKey is EachText with list elements named by their key (or a
// cookie by its name) where they have one: "purpose[marketing].description",
// so that the same text of two versions of a notice has the same path even
// when elements were added or reordered.
func (n *Notice) EachTextByKey(f func(path string, t Text)) { n.eachText(true, f) }

func (n *Notice) eachText(keyed bool, f func(path string, t Text)) {
	nv := reflect.ValueOf(n).Elem()
	dt := reflect.TypeOf(document{})
	for i := 0; i < dt.NumField(); i++ {
		df := dt.Field(i)
		name := tomlName(df)
		typ := df.Type
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		// The Notice field of the same type holds the merged table (a
		// pointer where the table is optional, as [representative]).
		for j := 0; j < nv.NumField(); j++ {
			if ft := nv.Type().Field(j).Type; ft == typ || ft == df.Type {
				walkText(nv.Field(j), name, keyed, f)
				break
			}
		}
	}
}

var (
	textType = reflect.TypeOf(Text(nil))
	nameType = reflect.TypeOf(Name{})
)

func walkText(v reflect.Value, path string, keyed bool, f func(string, Text)) {
	switch v.Type() {
	case textType:
		f(path, v.Interface().(Text))
		return
	case nameType: // a name given per language is a text; one string is not
		if t := v.Interface().(Name).Text; len(t) > 0 {
			f(path, t)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkText(v.Elem(), path, keyed, f)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name := tomlName(sf)
			if name == "-" {
				continue
			}
			walkText(v.Field(i), path+"."+name, keyed, f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			id := strconv.Itoa(i)
			if keyed {
				id = elemID(v.Index(i), i)
			}
			walkText(v.Index(i), path+"["+id+"]", keyed, f)
		}
	}
}

func tomlName(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if tag == "" {
		return strings.ToLower(f.Name)
	}
	return tag
}

// ListID names an element of a table list (elem, at index i) across
// versions of a notice: its Key, a cookie's Name or a history entry's
// Version; failing those, the start of its first text, so that inserting
// an element does not rename the others; failing that, its index.
func ListID(elem any, i int) string { return elemID(reflect.ValueOf(elem), i) }

func elemID(v reflect.Value, i int) string {
	if v.Kind() == reflect.Struct {
		for _, name := range []string{"Key", "Name", "Version"} {
			if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
				return f.String()
			}
		}
		for j := 0; j < v.NumField(); j++ {
			if v.Field(j).Type() != textType {
				continue
			}
			t := v.Field(j).Interface().(Text)
			for _, l := range sortedKeys(t) {
				if s := strings.TrimSpace(t[l]); s != "" {
					s = strings.Map(func(r rune) rune {
						if r == '.' || r == '[' || r == ']' {
							return ' '
						}
						return r
					}, s)
					if r := []rune(s); len(r) > 40 {
						s = string(r[:40])
					}
					return strings.TrimSpace(s)
				}
			}
		}
	}
	return strconv.Itoa(i)
}
