package notice

import (
	"strings"

	"golang.org/x/text/language"
)

// Registers are how the page's UI strings address the reader ([notice]
// register): the language's usual form (formal: "Sie" in German; Swedish
// says "du" either way), or informal, from the strings of
// i18n/<lang>.informal.toml over <lang>.toml where the language has them.
var Registers = Vocab{
	{Key: "formal"},
	{Key: "informal"},
}

// Informal reports whether the notice addresses its reader informally.
func (m Meta) Informal() bool { return m.Register == "informal" }

// How each language cites an article of the GDPR or the UK GDPR, for the
// page: "artikel 6.1 f GDPR", "Art. 6 Abs. 1 lit. f DSGVO", "Article
// 6(1)(f) UK GDPR". The vocabularies write articles in one neutral form
// ("6(1)(f)", "46(2)(b), 47", "49(1) second subparagraph"); Cite turns that
// form into the language's own. A language without a style of its own is
// cited in the short international form, "Art. 6(1)(f) GDPR".

// citeStyle is one language's way of citing.
type citeStyle struct {
	// one and many name the article(s): "Article"/"Articles".
	one, many string
	// and joins the last of several articles; without it they are
	// listed with commas.
	and string
	// para and point write a paragraph and a point ("(%s)", ".%s", " Abs. %s").
	para, point string
	// sub writes a subparagraph by its ordinal number (index 1, 2, 3).
	sub []string
	// law is the regulation's name by jurisdiction.
	law map[string]string
}

// citeStyles are the citation forms by language (base subtag). Checked
// against each language's legal usage: Swedish cites EU articles as
// "artikel 6.1 f" (EUR-Lex, Swedish courts and IMY), German as "Art. 6
// Abs. 1 lit. f DSGVO", English as "Article 6(1)(f) GDPR" (UK: "UK GDPR",
// as the ICO writes it).
var citeStyles = map[string]citeStyle{
	"en": {one: "Article", many: "Articles", and: "and", para: "(%s)", point: "(%s)",
		sub: []string{"", " first subparagraph", " second subparagraph", " third subparagraph"},
		law: map[string]string{"EU": "GDPR", "UK": "UK GDPR"}},
	"sv": {one: "artikel", many: "artiklarna", and: "och", para: ".%s", point: " %s",
		sub: []string{"", " första stycket", " andra stycket", " tredje stycket"},
		law: map[string]string{"EU": "GDPR", "UK": "UK GDPR"}},
	"de": {one: "Art.", many: "Art.", and: "und", para: " Abs. %s", point: " lit. %s",
		sub: []string{"", " UAbs. 1", " UAbs. 2", " UAbs. 3"},
		law: map[string]string{"EU": "DSGVO", "UK": "UK GDPR"}},
}

// defaultCite is the short international form for other languages.
var defaultCite = citeStyle{one: "Art.", many: "Art.", para: "(%s)", point: "(%s)",
	sub: []string{"", " subpara. 1", " subpara. 2", " subpara. 3"},
	law: map[string]string{"EU": "GDPR", "UK": "UK GDPR"}}

func styleFor(lang string) citeStyle {
	tag, err := language.Parse(lang)
	if err != nil {
		return defaultCite
	}
	base, _ := tag.Base()
	if s, ok := citeStyles[base.String()]; ok {
		return s
	}
	return defaultCite
}

// LawName is the name of the notice's law in lang: "GDPR", "DSGVO",
// "UK GDPR".
func (n *Notice) LawName(lang string) string { return styleFor(lang).law[n.Jurisdiction()] }

// ukArticles are the articles the UK GDPR numbers otherwise than the GDPR
// the vocabularies cite: the Data (Use and Access) Act 2025 Sch. 7 paras
// 3-4 (in force 5 February 2026) omitted Art. 45, transfers on the basis of
// an adequacy decision, and approves transfers by regulations under a new
// Art. 45A. Every other article of the tables keeps its number.
var ukArticles = map[string]string{"45(3)": "45A"}

// Cite cites article a (as the vocabularies write it: "15", "6(1)(f)",
// "46(2)(b), 47", "49(1) second subparagraph") in lang under the notice's
// jurisdiction: "artikel 6.1 f GDPR", "Art. 6 Abs. 1 lit. f DSGVO",
// "Article 6(1)(f) UK GDPR", and the UK GDPR's own number where it differs
// ("45(3)" is "Article 45A UK GDPR").
func (n *Notice) Cite(lang, a string) string {
	s := styleFor(lang)
	parts := strings.Split(a, ", ")
	out := make([]string, len(parts))
	uk := n.Jurisdiction() == "UK"
	for i, p := range parts {
		if k, ok := ukArticles[p]; ok && uk {
			p = k
		}
		out[i] = s.article(parseArticle(p))
	}
	word, list := s.one, out[0]
	if len(out) > 1 {
		word = s.many
		list = strings.Join(out, ", ")
		if s.and != "" {
			list = strings.Join(out[:len(out)-1], ", ") + " " + s.and + " " + out[len(out)-1]
		}
	}
	return word + " " + list + " " + s.law[n.Jurisdiction()]
}

// article is one part of a citation: number, paragraph, point and
// subparagraph.
type article struct {
	num, para, point string
	sub              int
}

func (s citeStyle) article(a article) string {
	out := a.num
	if a.para != "" {
		out += strings.Replace(s.para, "%s", a.para, 1)
	}
	if a.point != "" {
		out += strings.Replace(s.point, "%s", a.point, 1)
	}
	if a.sub > 0 && a.sub < len(s.sub) {
		out += s.sub[a.sub]
	}
	return out
}

// ordinals are the subparagraph words the vocabularies use.
var ordinals = []string{"", "first", "second", "third"}

// parseArticle reads "49(1)(a)", "6(1)" or "49(1) second subparagraph".
func parseArticle(s string) article {
	var a article
	s, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
	if w, ok := strings.CutSuffix(rest, " subparagraph"); ok {
		for i, o := range ordinals {
			if o != "" && o == w {
				a.sub = i
			}
		}
	}
	num, s, _ := strings.Cut(s, "(")
	a.num = num
	var groups []string
	for s != "" {
		g, r, _ := strings.Cut(s, ")")
		groups = append(groups, g)
		s = strings.TrimPrefix(r, "(")
	}
	if len(groups) > 0 {
		a.para = groups[0]
	}
	if len(groups) > 1 {
		a.point = groups[1]
	}
	return a
}
