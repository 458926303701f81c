package release

import (
	"bytes"
	"encoding/json"
	"html"
	"html/template"
	"slices"
	"sort"
	"strings"

	"github.com/integritet/integritet/notice"
)

// The page of what changed from one version to the next is for visitors:
// it shows, in the page's language only, the text they read then and the
// text they read now, block by block (a paragraph, a list item, a table
// row, a fact with its label), grouped under the sections of the page, and
// the banner's and the settings' texts the same way. It is made from the
// two archived pages, not from the TOML, so it says exactly what each
// version said, in its words, and works for archives of any age.

// block is one unit of text of a page.
type block struct {
	// group is the section the block belongs to (its h2, or the page's
	// h1 before the first section); where is the headings below that and
	// the label of a fact ("Kundtjänst › Lagringstid").
	group, where, text string
}

func (b block) key() string { return b.where + "\x00" + b.text }

// blockTags end a block of text; cellTags separate the cells of a row.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "caption": true, "dd": true, "details": true,
	"div": true, "dl": true, "dt": true, "fieldset": true, "figcaption": true, "figure": true, "footer": true, "form": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hr": true, "li": true,
	"main": true, "nav": true, "ol": true, "p": true, "pre": true, "section": true, "summary": true, "table": true,
	"tbody": true, "tfoot": true, "thead": true, "tr": true, "ul": true,
}
var cellTags = map[string]bool{"td": true, "th": true}

// blocks splits the main content of a rendered page (its <main>, or the
// whole page without one) into blocks of visible text.
func blocks(page []byte) []block {
	if i := indexFold(page, "<main"); i >= 0 {
		page = page[i:]
		if j := indexFold(page, "</main"); j >= 0 {
			page = page[:j]
		}
	}
	var (
		out     []block
		text    strings.Builder
		heading [7]string // h1..h6 text in force
		inHead  int       // the heading level being read
		label   string    // the <dt> in force
		inDT    bool
	)
	flush := func() {
		s := strings.Join(strings.Fields(html.UnescapeString(text.String())), " ")
		text.Reset()
		if s == "" {
			return
		}
		s = strings.Trim(s, " ·")
		switch {
		case inHead > 0:
			heading[inHead] = s
			for k := inHead + 1; k < len(heading); k++ {
				heading[k] = ""
			}
		case inDT:
			label = s
			return // shown with the fact it labels
		}
		b := block{group: heading[2], text: s}
		if b.group == "" {
			b.group = heading[1]
		}
		var where []string
		for k := 3; k < len(heading) && inHead != 2; k++ {
			if heading[k] != "" && (inHead == 0 || k < inHead) {
				where = append(where, heading[k])
			}
		}
		if label != "" && inHead == 0 {
			where = append(where, label)
		}
		b.where = strings.Join(where, " › ")
		out = append(out, b)
	}
	for i := 0; i < len(page); {
		lt := bytes.IndexByte(page[i:], '<')
		if lt < 0 {
			text.Write(page[i:])
			break
		}
		text.Write(page[i : i+lt])
		i += lt
		if bytes.HasPrefix(page[i:], []byte("<!--")) {
			end := bytes.Index(page[i:], []byte("-->"))
			if end < 0 {
				break
			}
			i += end + 3
			continue
		}
		gt := bytes.IndexByte(page[i:], '>')
		if gt < 0 {
			break
		}
		raw := page[i+1 : i+gt]
		i += gt + 1
		closing := len(raw) > 0 && raw[0] == '/'
		name := strings.ToLower(string(bytes.TrimLeft(raw, "/")))
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			name = name[:k]
		}
		switch {
		case !closing && (name == "script" || name == "style" || name == "template"):
			if end := indexFold(page[i:], "</"+name); end >= 0 {
				i += end
			} else {
				i = len(page)
			}
		case name == "br":
			text.WriteByte(' ')
		case cellTags[name]:
			if closing {
				text.WriteString(" · ")
			} else {
				text.WriteByte(' ')
			}
		case blockTags[name]:
			flush()
			level := 0
			if len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' {
				level = int(name[1] - '0')
			}
			switch {
			case level > 0 && !closing:
				inHead = level
			case level > 0:
				inHead = 0
			case name == "dt":
				inDT = !closing
			case name == "dl" && closing:
				label = ""
			}
		}
	}
	flush()
	return out
}

// bannerBlocks are the texts of the banner and its settings in one
// language, from its configuration: each category's title and
// description, each of its cookies with what the settings say of it,
// and the banner's own texts.
func bannerBlocks(cfg []byte, group string) []block {
	var c struct {
		Categories []struct {
			Title, Description string
			Cookies            []struct{ Name, About string }
		}
		Text map[string]string
	}
	if cfg == nil || json.Unmarshal(cfg, &c) != nil {
		return nil
	}
	var out []block
	for _, cat := range c.Categories {
		out = append(out, block{group: group, text: cat.Title}, block{group: group, where: cat.Title, text: cat.Description})
		for _, k := range cat.Cookies {
			out = append(out, block{group: group, where: cat.Title, text: strings.TrimSpace(k.Name + ": " + k.About)})
		}
	}
	keys := make([]string, 0, len(c.Text))
	for k := range c.Text {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, block{group: group, text: c.Text[k]})
	}
	return out
}

// A change is one block that changed: Old and New are its words with
// those removed or inserted marked; an added block has no Old, a removed
// one no New.
type change struct {
	Where    string
	Old, New []Op
}

type changeGroup struct {
	Title   string
	Changes []change
}

// changes aligns the blocks of two versions and returns the changed ones
// by group, in the order of the page. same says that two blocks say the
// same once the version line is discounted.
func changes(old, new []block, same func(a, b string) bool) []changeGroup {
	var groups []changeGroup
	add := func(group string, c change) {
		if len(groups) == 0 || groups[len(groups)-1].Title != group {
			groups = append(groups, changeGroup{Title: group})
		}
		g := &groups[len(groups)-1]
		g.Changes = append(g.Changes, c)
	}
	ok, nk := make([]string, len(old)), make([]string, len(new))
	for i, b := range old {
		ok[i] = b.key()
	}
	for j, b := range new {
		nk[j] = b.key()
	}
	es := align(len(old), len(new), func(i, j int) bool { return ok[i] == nk[j] })
	for k := 0; k < len(es); {
		if es[k].op == '=' {
			k++
			continue
		}
		// A run of removals and insertions between kept blocks: a removed
		// block pairs with the next inserted one that is the same fact
		// (the same headings and label) or says mostly the same words;
		// what pairs with nothing was removed or added.
		var rem, ins []int
		for ; k < len(es) && es[k].op != '='; k++ {
			if es[k].op == '-' {
				rem = append(rem, es[k].i)
			} else {
				ins = append(ins, es[k].j)
			}
		}
		j := 0
		for _, r := range rem {
			a := old[r]
			m := -1
			for x := j; x < len(ins); x++ {
				if b := new[ins[x]]; (a.where != "" && a.where == b.where) || similar(a.text, b.text) {
					m = x
					break
				}
			}
			if m < 0 {
				add(a.group, change{Where: a.where, Old: []Op{{"-", a.text}}})
				continue
			}
			for ; j < m; j++ {
				b := new[ins[j]]
				add(b.group, change{Where: b.where, New: []Op{{"+", b.text}}})
			}
			j = m + 1
			b := new[ins[m]]
			if same(a.text, b.text) && a.where == b.where {
				continue
			}
			add(b.group, pair(a, b))
		}
		for ; j < len(ins); j++ {
			b := new[ins[j]]
			add(b.group, change{Where: b.where, New: []Op{{"+", b.text}}})
		}
	}
	return groups
}

// side is one version as the changes page reads it: its notice page and
// banner configuration by language, and what its release recorded.
type side struct {
	page, config map[string][]byte
	version      string
	date         notice.Date
	revision     string
	accepts      []string
}

func (a *Archive) side() side {
	return side{a.page, a.config, a.Release.Version, a.Release.Date, a.Release.Revision, a.Release.Accepts}
}

// pair is the change from block a to block b, word by word.
func pair(a, b block) change {
	c := change{Where: b.where}
	for _, op := range Words(a.text, b.text) {
		// The space after a changed word is not part of the change.
		ops := []Op{op}
		if t := strings.TrimRight(op.Text, " "); op.Op != "=" && t != op.Text {
			ops = []Op{{op.Op, t}, {"=", op.Text[len(t):]}}
		}
		if op.Op != "+" {
			c.Old = append(c.Old, ops...)
		}
		if op.Op != "-" {
			c.New = append(c.New, ops...)
		}
	}
	return c
}

// similar reports whether two blocks share at least half their words
// (Dice's coefficient over the words in order).
func similar(a, b string) bool {
	kept, n := 0, len(strings.Fields(a))+len(strings.Fields(b))
	for _, op := range Words(a, b) {
		if op.Op == "=" {
			kept += len(strings.Fields(op.Text))
		}
	}
	return n > 0 && 4*kept >= n
}

// Changes is what changed for a visitor from the version prev to the
// version a, in lang: an HTML fragment for the changes page, or false
// when either version has no page in lang. t gives the UI string id in
// lang, date writes a date as lang does.
func (a *Archive) Changes(prev *Archive, lang string, t func(id string) string, date func(notice.Date) string) (template.HTML, bool) {
	return changesHTML(prev.side(), a.side(), lang, t, date)
}

// changesHTML renders the changes from o to n in lang. The version line of
// the page's head ("Version 2026.1 · updated 2026-11-24", "Version 2026.1
// · Zuletzt aktualisiert 24.11.2026") is not listed as a change: the page
// names both versions.
func changesHTML(o, n side, lang string, t func(id string) string, date func(notice.Date) string) (template.HTML, bool) {
	op, np := o.page[lang], n.page[lang]
	if op == nil || np == nil {
		return "", false
	}
	same := func(x, y string) bool {
		return discount(x, o.version, o.date, date) == discount(y, n.version, n.date, date)
	}
	groups := changes(blocks(op), blocks(np), same)
	banner := t("cookie_settings")
	groups = append(groups, changes(bannerBlocks(o.config[lang], banner), bannerBlocks(n.config[lang], banner), same)...)
	reconsent := ""
	if n.config[lang] != nil {
		reconsent = t("diff_reconsent_no")
		if AskedAgain(o.revision, n.revision, n.accepts) {
			reconsent = t("diff_reconsent_yes")
		}
	}
	var b strings.Builder
	err := changesTmpl.Execute(&b, map[string]any{
		"Lang": lang, "Groups": groups, "Reconsent": reconsent,
		"None": t("diff_none"), "Before": t("changes_before"), "After": t("changes_after"),
		"Removed": t("changes_removed"), "Added": t("changes_added"),
	})
	if err != nil {
		// The template and its data are the program's own.
		panic("release: changes template: " + err.Error())
	}
	return template.HTML(b.String()), true
}

var changesTmpl = template.Must(template.New("changes").Parse(`<div class="changes">
{{- if not .Groups}}
<p>{{.None}}</p>
{{- end}}
{{- range .Groups}}
<section>
<h2>{{.Title}}</h2>
<ul>
{{- range .Changes}}
<li>{{with .Where}}<p class="label">{{.}}</p>{{end}}
{{- if and .Old .New}}
<p><span class="label">{{$.Before}}:</span> {{range .Old}}{{if eq .Op "-"}}<del>{{.Text}}</del>{{else}}{{.Text}}{{end}}{{end}}</p>
<p><span class="label">{{$.After}}:</span> {{range .New}}{{if eq .Op "+"}}<ins>{{.Text}}</ins>{{else}}{{.Text}}{{end}}{{end}}</p>
{{- else if .Old}}
<p><span class="label">{{$.Removed}}:</span> {{range .Old}}<del>{{.Text}}</del>{{end}}</p>
{{- else}}
<p><span class="label">{{$.Added}}:</span> {{range .New}}<ins>{{.Text}}</ins>{{end}}</p>
{{- end}}</li>
{{- end}}
</ul>
</section>
{{- end}}
{{- with .Reconsent}}
<p>{{.}}</p>
{{- end}}
</div>
`))

// discount is the words of s with each run that says the version v or the
// date d (as ISO 8601 or as date writes it in the page's language) in
// their place replaced by one marker: two blocks that differ only in
// which version and date they name discount alike.
func discount(s, v string, d notice.Date, date func(notice.Date) string) string {
	var forms [][]string
	if v != "" {
		forms = append(forms, strings.Fields(v))
	}
	if !d.IsZero() {
		forms = append(forms, []string{d.String()})
		if date != nil {
			if f := strings.Fields(date(d)); len(f) > 0 {
				forms = append(forms, f)
			}
		}
	}
	words := strings.Fields(s)
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); {
		n := 0
		for _, f := range forms {
			if i+len(f) <= len(words) && slices.Equal(words[i:i+len(f)], f) {
				n = len(f)
				break
			}
		}
		if n == 0 {
			out = append(out, words[i])
			i++
			continue
		}
		out = append(out, "\x00")
		i += n
	}
	return strings.Join(out, " ")
}
