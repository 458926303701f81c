package site

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/integritet/integritet/notice"
)

// The page's legal forms in its language: article citations in the
// language's form under the notice's jurisdiction, and dates as the
// language writes them.

// Tcite returns the UI string id with {{.Art}} the citation of article a
// in this language ("Art. 15 DSGVO", "Article 15 UK GDPR") and {{.Law}}
// the law's name ("DSGVO", "UK GDPR"): the standard right texts cite so,
// and a site's own string without them is used as written.
func (l localizer) Tcite(id, a string) string {
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: map[string]string{
		"Art": l.n.Cite(l.lang, a),
		"Law": l.n.LawName(l.lang),
	}})
	if err != nil {
		*l.errs = append(*l.errs, fmt.Errorf("i18n/%s.toml: missing message %q", l.lang, id))
		return id
	}
	return s
}

// Cite cites the article of a vocabulary value ("special", "art9") in
// this language: "artikel 9.2 a GDPR", "Art. 9 Abs. 2 lit. a DSGVO".
func (p *page) Cite(vocab, key string) string {
	t, _ := themeVocab(vocab).Lookup(key)
	if t.Article == "" {
		return ""
	}
	return p.Notice.Cite(p.lang, t.Article)
}

// Date writes a date as the language does ("2025-03-31", "31.03.2025",
// "31 March 2025"; a month alone "mars 2025"), through the messages date
// and date_month of its i18n file: {{.Year}}, {{.Month}} and {{.Day}} are
// numbers, {{.MM}} and {{.DD}} the same with two digits, {{.MonthName}}
// the name from month_1 ... month_12.
func (l localizer) Date(d notice.Date) string {
	if d.IsZero() {
		return ""
	}
	id := "date"
	if d.MonthOnly {
		id = "date_month"
	}
	data := map[string]any{
		"Year": d.Year(), "Month": int(d.Month()), "Day": d.Day(),
		"MM": fmt.Sprintf("%02d", int(d.Month())), "DD": fmt.Sprintf("%02d", d.Day()),
		"MonthName": l.T(fmt.Sprintf("month_%d", int(d.Month()))),
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		*l.errs = append(*l.errs, fmt.Errorf("i18n/%s.toml: missing message %q", l.lang, id))
		return d.String()
	}
	return s
}

// stringLayers are the i18n files of language lang in the order their
// messages apply: the built-in <lang>.toml, then (informal) the built-in
// <lang>.informal.toml, then the site's own <lang>.toml and its own
// <lang>.informal.toml. A site's own string thus wins over every built-in
// one, and an informal string over its formal one of the same origin.
func (s source) stringLayers(lang string, informal bool) ([]layer, error) {
	base, err := s.layers("i18n/" + lang + ".toml")
	if err != nil || !informal {
		return base, err
	}
	variant, err := s.layers("i18n/" + lang + ".informal.toml")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return base, nil // the language has one register (sv, en)
	case err != nil:
		return nil, err
	}
	var out []layer
	for _, builtin := range []bool{true, false} {
		for _, ls := range [][]layer{base, variant} {
			for _, l := range ls {
				if l.builtin == builtin {
					out = append(out, l)
				}
			}
		}
	}
	return out, nil
}
