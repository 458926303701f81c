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
func (n *Notice) EachText(f func(path string, t Text)) {
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
				walkText(nv.Field(j), name, f)
				break
			}
		}
	}
}

var textType = reflect.TypeOf(Text(nil))

func walkText(v reflect.Value, path string, f func(string, Text)) {
	if v.Type() == textType {
		f(path, v.Interface().(Text))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkText(v.Elem(), path, f)
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
			walkText(v.Field(i), path+"."+name, f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkText(v.Index(i), path+"["+strconv.Itoa(i)+"]", f)
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
