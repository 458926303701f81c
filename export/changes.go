package export

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
)

// Change is one difference between two versions of a notice: a structural
// change (an element added or removed, a fact of it changed) or a change of
// wording in one or more languages.
//
// The rule that classes it (Rule says which applied):
//
//   - "fact": every structural change is material: purposes and their
//     bases, data categories, recipients, countries, transfer mechanisms,
//     retention, rights, controller, DPO, authority, cookies and consent
//     categories, the banner, children;
//   - "framing": a change that is not about processing is editorial: the
//     notice's title, description, slug and base_url, the version history
//     and lint acceptances (not shown on the page as a fact);
//   - "punctuation": a wording change that only changes punctuation,
//     letter case or white space is editorial;
//   - "wording": every other wording change is material, since what a
//     visitor reads changed.
type Change struct {
	// Section is the section of the page the change belongs to (the ids of
	// notice.BuiltinSections, an extra section's key, or "notice",
	// "history", "lint").
	Section string `json:"section"`
	// Kind is the element's table ("purpose", "cookie", "controller").
	Kind string `json:"kind"`
	// Key names the element in its table; empty for a singleton table.
	Key string `json:"key,omitempty"`
	// Field is the key path within the element ("basis", "description",
	// "examples[pnr].text"); empty when the element was added or removed.
	Field string `json:"field,omitempty"`
	// What is "added", "removed" or "changed".
	What string `json:"what"`
	// Old and New are the field's values (structural changes), or a
	// summary of the element (added, removed).
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Words holds a wording change word by word, per language.
	Words map[string][]Op `json:"words,omitempty"`
	// InWords says a changed duration in words, per language:
	// {"sv": ["18 månader", "2 år"]}.
	InWords  map[string][2]string `json:"in_words,omitempty"`
	Material bool                 `json:"material"`
	Rule     string               `json:"rule"`
	// KeyPath is Path(), for the JSON output.
	KeyPath string `json:"path"`
}

// Op is one run of words of a wording change: kept ("="), removed ("-")
// or inserted ("+").
type Op = release.Op

// Path is the change's key path: purpose[marketing].interests.
func (c Change) Path() string {
	p := c.Kind
	if c.Key != "" {
		p += "[" + c.Key + "]"
	}
	if c.Field != "" {
		p += "." + c.Field
	}
	return p
}

func (c Change) String() string {
	switch {
	case c.Words != nil:
		return c.Path() + ": wording changed"
	case c.What == "changed":
		return fmt.Sprintf("%s: %s → %s", c.Path(), orNone(c.Old), orNone(c.New))
	}
	s := c.Path() + ": " + c.What
	if d := c.New + c.Old; d != "" {
		s += " (" + d + ")"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Diff is the comparison of two versions of a notice.
type Diff struct {
	Old, New Side
	Changes  []Change `json:"changes"`
	// Material says whether any change is material.
	Material bool `json:"material"`
	// Reconsent says whether visitors are asked again: the consent
	// revision changed. Unless MustReconsent, only the wording of what
	// they consent to changed, and legal may release it as editorial
	// (`integritet release -editorial`), so that consent given before
	// stays valid.
	Reconsent bool `json:"reconsent"`
	// MustReconsent says that what visitors consent to changed beyond its
	// wording: they must be asked again, and `release -editorial` refuses.
	// ConsentChanges says how (release.TermChanges).
	MustReconsent  bool     `json:"must_reconsent"`
	ConsentChanges []string `json:"consent_changes,omitempty"`
	// Kept says that consent given under the old side's revision stays
	// valid under the new one's (Reconsent, and an editorial release kept
	// it: release.AskedAgain says no). Editorial is legal's reason, and
	// EditorialVersion the release that recorded it: the new side's, or
	// one before it of the same revision.
	Kept             bool   `json:"kept"`
	Editorial        string `json:"editorial,omitempty"`
	EditorialVersion string `json:"editorial_version,omitempty"`
	// SameVersion warns that what visitors read changed while the version
	// did not: `integritet build` refuses it until it is released.
	SameVersion bool `json:"same_version"`
	// SameText says that what visitors read is the same on both sides
	// (the digests are equal): the build publishes the new side without a
	// release. False when the digests are not known.
	SameText bool `json:"same_text"`
}

// Side identifies one of the two versions.
type Side struct {
	Version  string `json:"version"`
	Date     string `json:"date,omitempty"`
	Revision string `json:"revision"`
	Digest   string `json:"digest,omitempty"`
}

// DiffOptions are what a diff needs beyond the two notices.
type DiffOptions struct {
	// OldRevision and NewRevision are the consent revisions (site.Revision).
	OldRevision, NewRevision string
	// OldUI and NewUI are the banner's and the settings' own texts by
	// language and key (site.Strings.UI), which the revision covers; nil
	// leaves them out.
	OldUI, NewUI map[string]map[string]string
	// NewAccepts and NewKeptBy are what the releases recorded of the new
	// side, when it is released: the revisions it keeps valid, and for
	// each the editorial release that recorded why (release.KeptBy).
	NewAccepts []string
	NewKeptBy  map[string]notice.Release
	// OldDigest and NewDigest are the digests of what a visitor reads
	// (release.Digest); the build refuses a version whose digest changed,
	// and so SameVersion follows them when they are given.
	OldDigest, NewDigest string
	// Duration says a duration in a language ("18 månader"); nil leaves
	// durations as ISO 8601 codes.
	Duration func(lang string, d notice.Duration) string
}

// Compare compares two versions of a notice: every structural change and
// every wording change, the banner's texts included, grouped by section in
// page order, and what they mean for consent given before and for
// publishing.
func Compare(old, new *notice.Notice, o DiffOptions) Diff {
	d := Diff{
		Old:     Side{old.Meta.Version, old.Meta.EffectiveDate.String(), o.OldRevision, o.OldDigest},
		New:     Side{new.Meta.Version, new.Meta.EffectiveDate.String(), o.NewRevision, o.NewDigest},
		Changes: Changes(old, new, o.Duration),
	}
	if o.OldUI != nil && o.NewUI != nil {
		d.Changes = append(d.Changes, bannerTextChanges(o.OldUI, o.NewUI)...)
		sort.SliceStable(d.Changes, func(i, j int) bool {
			return sectionRank(new, d.Changes[i].Section) < sectionRank(new, d.Changes[j].Section)
		})
	}
	for _, c := range d.Changes {
		d.Material = d.Material || c.Material
	}
	d.Reconsent = o.OldRevision != o.NewRevision
	d.ConsentChanges = release.TermChanges(old.ConsentTerms(), new.ConsentTerms())
	d.MustReconsent = len(d.ConsentChanges) > 0
	d.Kept = d.Reconsent && !release.AskedAgain(o.OldRevision, o.NewRevision, o.NewAccepts)
	if e, ok := o.NewKeptBy[o.OldRevision]; ok && d.Kept {
		d.Editorial, d.EditorialVersion = e.Editorial, e.Version
	}
	sameVersion := old.Meta.Version == new.Meta.Version
	if o.OldDigest != "" && o.NewDigest != "" {
		d.SameText = o.OldDigest == o.NewDigest
		d.SameVersion = sameVersion && !d.SameText
	} else {
		d.SameVersion = sameVersion && len(d.Changes) > 0
	}
	return d
}

// bannerTextChanges are the changes of the banner's and the settings' own
// texts (key "body", "acceptAll", ...), language by language: path
// banner_text[body].
func bannerTextChanges(old, new map[string]map[string]string) []Change {
	keys := map[string]bool{}
	var langs []string
	for _, m := range []map[string]map[string]string{old, new} {
		for l, texts := range m {
			if !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
			for k := range texts {
				keys[k] = true
			}
		}
	}
	sort.Strings(langs)
	var out []Change
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		c := Change{Section: "cookies", Kind: "banner_text", Key: k, What: "changed", Material: true, Rule: "wording"}
		var was, is []string
		words := map[string][]Op{}
		onlyPunct := true
		for _, l := range langs {
			a, inOld := old[l][k]
			b, inNew := new[l][k]
			if inOld {
				was = append(was, l+": "+a)
			}
			if inNew {
				is = append(is, l+": "+b)
			}
			if a != b && inOld && inNew {
				words[l] = release.Words(a, b)
				onlyPunct = onlyPunct && normalise(a) == normalise(b)
			}
		}
		switch {
		case len(was) == 0:
			c.What, c.New = "added", strings.Join(is, "; ")
		case len(is) == 0:
			c.What, c.Old = "removed", strings.Join(was, "; ")
		case len(words) == 0:
			continue
		default:
			c.Words = words
			if onlyPunct {
				c.Material, c.Rule = false, "punctuation"
			}
		}
		c.KeyPath = c.Path()
		out = append(out, c)
	}
	return out
}

// Changes lists every difference from old to new (see Change for the rule
// that classes each), grouped by section in page order, then in the order
// of the schema. duration says durations in words; nil keeps them codes.
func Changes(old, new *notice.Notice, duration func(string, notice.Duration) string) []Change {
	fo, fn := facts(old), facts(new)
	var out []Change
	langs := slices.Clone(new.Meta.Languages)
	for _, l := range old.Meta.Languages {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}

	// Elements added and removed, then facts of the elements in both.
	for _, p := range fo.order {
		if _, ok := fn.elems[p]; !ok && fo.elems[p] {
			out = append(out, elemChange(p, "removed", fo.titles[p], ""))
		}
	}
	for _, p := range fn.order {
		if _, ok := fo.elems[p]; !ok && fn.elems[p] {
			out = append(out, elemChange(p, "added", "", fn.titles[p]))
		}
	}
	inBoth := func(path string) bool {
		for e := range fo.elems {
			if strings.HasPrefix(path, e+".") {
				if _, ok := fn.elems[e]; !ok {
					return false
				}
			}
		}
		for e := range fn.elems {
			if strings.HasPrefix(path, e+".") {
				if _, ok := fo.elems[e]; !ok {
					return false
				}
			}
		}
		return true
	}
	seen := map[string]bool{}
	for _, order := range [][]string{fo.leafOrder, fn.leafOrder} {
		for _, p := range order {
			if seen[p] || !inBoth(p) {
				continue
			}
			seen[p] = true
			a, b := fo.leaves[p], fn.leaves[p]
			if a == b || fo.elems[p] || fn.elems[p] {
				continue
			}
			c := fieldChange(p, "changed", a, b)
			if isDuration(p) && duration != nil {
				da, ea := notice.ParseDuration(a)
				db, eb := notice.ParseDuration(b)
				c.InWords = map[string][2]string{}
				for _, l := range langs {
					w := [2]string{a, b}
					if ea == nil {
						w[0] = duration(l, da)
					}
					if eb == nil {
						w[1] = duration(l, db)
					}
					c.InWords[l] = w
				}
			}
			out = append(out, c)
		}
	}

	// Wording, language by language.
	to, tn := textsOf(old), textsOf(new)
	seen = map[string]bool{}
	for _, order := range [][]string{to.order, tn.order} {
		for _, p := range order {
			if seen[p] || !inBoth(p) {
				continue
			}
			seen[p] = true
			words := map[string][]Op{}
			onlyPunct := true
			for _, l := range langs {
				a, b := to.t[p][l], tn.t[p][l]
				if a == b {
					continue
				}
				words[l] = release.Words(a, b)
				onlyPunct = onlyPunct && normalise(a) == normalise(b)
			}
			if len(words) == 0 {
				continue
			}
			c := fieldChange(p, "changed", "", "")
			c.Words = words
			if c.Material && onlyPunct {
				c.Material, c.Rule = false, "punctuation"
			} else if c.Material {
				c.Rule = "wording"
			}
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return sectionRank(new, out[i].Section) < sectionRank(new, out[j].Section) })
	for i := range out {
		out[i].KeyPath = out[i].Path()
	}
	return out
}

func elemChange(path, what, old, new string) Change { return fieldChange(path, what, old, new) }

// fieldChange splits a key path into its section, table, key and field
// and classes the change by the table.
func fieldChange(path, what, old, new string) Change {
	var kind, key, rest string
	if i := strings.IndexAny(path, "[."); i < 0 {
		kind = path
	} else if path[i] == '.' {
		kind, rest = path[:i], path[i+1:]
	} else {
		kind = path[:i]
		key, rest, _ = strings.Cut(path[i+1:], "]")
		rest = strings.TrimPrefix(rest, ".")
	}
	c := Change{Section: sectionOf(kind, key, rest), Kind: kind, Key: key, Field: rest, What: what, Old: old, New: new, Material: true, Rule: "fact"}
	switch {
	case kind == "history" || kind == "accept",
		kind == "notice" && (rest == "title" || rest == "description" || rest == "base_url" || rest == "slug" || strings.HasPrefix(rest, "slug")):
		c.Material, c.Rule = false, "framing"
	}
	return c
}

// sectionOf maps a table of the schema to the section of the page that
// shows it.
func sectionOf(kind, key, field string) string {
	switch kind {
	case "notice":
		return "notice"
	case "controller", "dpo", "authority", "representative", "joint_controller":
		return "contact"
	case "data_category":
		return "data"
	case "purpose":
		return "purposes"
	case "retention":
		return "retention"
	case "recipient", "transfers":
		return "recipients"
	case "right":
		return "rights"
	case "children":
		return "children"
	case "consent_category", "cookie", "banner":
		return "cookies"
	case "section":
		return key
	case "sections":
		s, _, _ := strings.Cut(field, ".")
		if s == "marketing" {
			return "rights"
		}
		return s
	case "history":
		return "history"
	case "accept":
		return "lint"
	}
	return kind
}

// sectionRank orders sections as the page does: the notice's head, the
// page's sections (extra ones where they are placed), then the history.
func sectionRank(n *notice.Notice, s string) int {
	switch s {
	case "notice":
		return -1
	case "history":
		return 1000
	case "lint":
		return 1001
	}
	if i := slices.Index(notice.BuiltinSections, s); i >= 0 {
		return 10 * (i + 1)
	}
	for _, x := range n.Extra {
		if x.Key == s {
			if i := slices.Index(notice.BuiltinSections, x.After); i >= 0 {
				return 10*(i+1) + 5
			}
		}
	}
	return 999
}

func isDuration(path string) bool {
	return strings.HasSuffix(path, ".duration") || strings.HasSuffix(path, ".lifetime")
}

// factSet is a notice flattened to its facts: every element of a table
// list by key path, and every value that is not a human text.
type factSet struct {
	elems     map[string]bool   // element paths ("purpose[marketing]"); true for a keyed list element
	titles    map[string]string // element → a summary of it for added/removed
	order     []string
	leaves    map[string]string // key path → value as a string
	leafOrder []string
}

var textType = reflect.TypeOf(notice.Text(nil))

// facts walks the notice as EachTextByKey does (the schema itself, so a
// field added anywhere is compared without being listed), keeping the
// values that are not texts.
func facts(n *notice.Notice) factSet {
	fs := factSet{elems: map[string]bool{}, titles: map[string]string{}, leaves: map[string]string{}}
	nv := reflect.ValueOf(n).Elem()
	t := nv.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, ok := tableName[sf.Name]
		if !sf.IsExported() || !ok {
			continue
		}
		fs.walk(nv.Field(i), name, 0)
	}
	return fs
}

// tableName maps the Notice's fields to their TOML tables. A field of the
// Notice missing here is a test failure (TestDiffCoversEveryTable).
var tableName = map[string]string{
	"Meta": "notice", "Controller": "controller", "DPO": "dpo", "Authority": "authority",
	"Representative": "representative", "JointControllers": "joint_controller",
	"Sections": "sections", "Extra": "section", "Children": "children", "DataCategories": "data_category",
	"Purposes": "purpose", "Retention": "retention", "Recipients": "recipient", "Transfers": "transfers",
	"Rights": "right", "Banner": "banner", "ConsentCategories": "consent_category", "Cookies": "cookie",
	"History": "history", "Accepted": "accept",
}

// skipFacts are fields that identify the version rather than state a fact;
// the diff's head shows them.
var skipFacts = map[string]bool{"notice.version": true, "notice.effective_date": true}

func (fs *factSet) leaf(path, v string) {
	if skipFacts[path] {
		return
	}
	if _, ok := fs.leaves[path]; !ok {
		fs.leafOrder = append(fs.leafOrder, path)
	}
	fs.leaves[path] = v
}

func (fs *factSet) walk(v reflect.Value, path string, depth int) {
	if v.Type() == textType {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		isTable := v.Type().Elem().Kind() == reflect.Struct
		switch {
		case v.IsNil() && isTable:
			// An optional table left out ([representative]): absent.
		case v.IsNil():
			fs.leaf(path, "not stated")
		case isTable:
			if _, dup := fs.elems[path]; !dup {
				fs.order = append(fs.order, path)
			}
			fs.elems[path] = true
			fs.titles[path] = title(v.Elem())
			fs.walk(v.Elem(), path, depth)
		default:
			fs.walk(v.Elem(), path, depth)
		}
	case reflect.Struct:
		if s, ok := scalar(v); ok {
			fs.leaf(path, s)
			return
		}
		t := v.Type()
		// A recipient's country and countries are one fact: where it
		// processes the data.
		cl, hasCountries := v.Interface().(interface{ CountryList() []string })
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name := tomlName(sf)
			if name == "-" || hasCountries && (name == "country" || name == "countries") {
				continue
			}
			fs.walk(v.Field(i), path+"."+name, depth+1)
		}
		if hasCountries {
			fs.leaf(path+".countries", strings.Join(cl.CountryList(), ", "))
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Struct {
			parts := make([]string, v.Len())
			for i := range parts {
				parts[i] = fmt.Sprint(v.Index(i).Interface())
			}
			fs.leaf(path, strings.Join(parts, ", "))
			return
		}
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			p := path + "[" + notice.ListID(e.Interface(), i) + "]"
			if _, dup := fs.elems[p]; !dup {
				fs.order = append(fs.order, p)
			}
			fs.elems[p] = true
			fs.titles[p] = title(e)
			fs.walk(e, p, depth+1)
		}
	case reflect.Map:
		keys := v.MapKeys()
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%v=%v", k.Interface(), v.MapIndex(k).Interface()))
		}
		sort.Strings(parts)
		fs.leaf(path, strings.Join(parts, "; "))
	case reflect.Bool:
		fs.leaf(path, strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int64, reflect.Int32:
		s := ""
		if v.Int() != 0 {
			s = strconv.FormatInt(v.Int(), 10)
		}
		fs.leaf(path, s)
	default:
		fs.leaf(path, fmt.Sprint(v.Interface()))
	}
}

// scalar formats the struct types that are one value (a date).
func scalar(v reflect.Value) (string, bool) {
	if d, ok := v.Interface().(notice.Date); ok {
		return d.String(), true
	}
	return "", false
}

func tomlName(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if tag == "" {
		return strings.ToLower(f.Name)
	}
	return tag
}

func sortedLangs(t notice.Text) []string {
	out := make([]string, 0, len(t))
	for k := range t {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// title is an element's title (or first text, or name) for
// "added"/"removed".
func title(v reflect.Value) string {
	if f := v.FieldByName("Name"); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
		return f.String()
	}
	for _, name := range []string{"Title", "Text", "Purpose", "Summary"} {
		if f := v.FieldByName(name); f.IsValid() && f.Type() == textType {
			t := f.Interface().(notice.Text)
			var parts []string
			for _, l := range sortedLangs(t) {
				if t[l] != "" {
					s := t[l]
					if len(s) > 80 {
						s = s[:strings.LastIndexByte(s[:80], ' ')+1] + "…"
					}
					parts = append(parts, l+": "+strings.TrimSpace(s))
				}
			}
			return strings.Join(parts, "; ")
		}
	}
	return ""
}

type textSet struct {
	t     map[string]notice.Text
	order []string
}

func textsOf(n *notice.Notice) textSet {
	ts := textSet{t: map[string]notice.Text{}}
	n.EachTextByKey(func(path string, t notice.Text) {
		if _, ok := ts.t[path]; !ok {
			ts.order = append(ts.order, path)
		}
		ts.t[path] = t
	})
	return ts
}

// normalise reduces a text to its words, lowercased, for the punctuation
// rule.
func normalise(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	return strings.Join(f, " ")
}
