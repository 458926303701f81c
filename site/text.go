package site

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/yuin/goldmark"
	"golang.org/x/text/language"

	"github.com/integritet/integritet/notice"
)

// loadBundle reads i18n/<lang>.toml for every language of the notice: the
// built-in strings, then the site's own file on top, message by message, so
// that a site overrides what it wants and a string added in a later release
// falls back to the built-in one.
func loadBundle(src source, n *notice.Notice) (*i18n.Bundle, error) {
	def, err := language.Parse(n.Meta.DefaultLanguage)
	if err != nil {
		return nil, fmt.Errorf("i18n: default language %q: %w", n.Meta.DefaultLanguage, err)
	}
	// Each file is parsed on a goroutine of its own (the TOML is the dear
	// part of a bundle); the messages are then added in order, language by
	// language, the built-in file before the site's own.
	type file struct {
		layer
		lang string
		mf   *i18n.MessageFile
		err  error
	}
	var files []*file
	for _, l := range n.Meta.Languages {
		layers, err := src.stringLayers(l, n.Meta.Informal())
		if err != nil {
			return nil, fmt.Errorf("i18n: no UI strings for language %q: %w", l, err)
		}
		for _, f := range layers {
			files = append(files, &file{layer: f, lang: l})
		}
	}
	unmarshal := map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal}
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.mf, f.err = i18n.ParseMessageFileBytes(f.b, f.lang+".toml", unmarshal)
		}()
	}
	wg.Wait()
	b := i18n.NewBundle(def)
	for _, f := range files {
		if f.err == nil {
			f.err = b.AddMessages(f.mf.Tag, f.mf.Messages...)
		}
		if f.err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f.name, f.err)
		}
	}
	return b, nil
}

// localizer renders UI strings, durations and Markdown in one language.
type localizer struct {
	lang string
	loc  *i18n.Localizer
	n    *notice.Notice
	md   goldmark.Markdown
	errs *[]error
}

// T returns the UI string id. A missing id is an error of the render (a
// theme that asks for a string the i18n files lack), reported once.
func (l localizer) T(id string) string {
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	if err != nil {
		*l.errs = append(*l.errs, fmt.Errorf("i18n/%s.toml: missing message %q", l.lang, id))
		return id
	}
	return s
}

// Tf returns the UI string id with {{.X}} replaced by x.
func (l localizer) Tf(id, x string) string {
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: map[string]string{"X": x}})
	if err != nil {
		*l.errs = append(*l.errs, fmt.Errorf("i18n/%s.toml: missing message %q", l.lang, id))
		return id + " " + x
	}
	return s
}

// Duration renders "18 månader", "1 år och 6 månader" through the plural
// rules of the language.
func (l localizer) Duration(d notice.Duration) string { return l.duration(d, false) }

// DurationWords renders the numbers of a duration as words where the
// language's i18n file has them ("tre veckor"; messages number_1 ...
// number_12), for notices that write them so; other numbers stay digits.
func (l localizer) DurationWords(d notice.Duration) string { return l.duration(d, true) }

func (l localizer) duration(d notice.Duration, words bool) string {
	var parts []string
	for _, p := range d.Parts() {
		var count any = p.Count
		if words {
			if w, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: fmt.Sprintf("number_%d", p.Count)}); err == nil {
				count = w
			}
		}
		s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: p.Unit, PluralCount: p.Count, TemplateData: map[string]any{"Count": count}})
		if err != nil {
			*l.errs = append(*l.errs, fmt.Errorf("i18n/%s.toml: duration unit %q: %w", l.lang, p.Unit, err))
			s = fmt.Sprintf("%d %s", p.Count, p.Unit)
		}
		parts = append(parts, s)
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " " + l.T("and") + " " + parts[len(parts)-1]
}

var placeholderRE = regexp.MustCompile(`\{([a-z_]+(?:\.[a-z0-9_-]+)?)\}`)

// expand replaces the placeholders of a text with the facts they name;
// local holds {duration} and {anchor} inside a retention rule. The values
// are escaped for Markdown so that a fact never becomes markup.
func (l localizer) expand(s string, local map[string]string, esc func(string) string) string {
	c := l.n.Controller
	return placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		var v string
		switch {
		case local != nil && local[name] != "":
			v = local[name]
		case name == "controller.name":
			v = c.Name
		case name == "controller.email":
			v = c.Email
		case name == "controller.org_nr":
			v = c.OrgNr
		case name == "controller.address":
			v = c.Address[l.lang]
		case name == "controller.url":
			v = c.URL
		case name == "authority.name":
			v = l.n.AuthorityName(l.lang)
		case strings.HasPrefix(name, "retention."):
			if r, ok := l.n.RetentionFor(strings.TrimPrefix(name, "retention.")); ok {
				v = l.Duration(r.Duration)
			}
		default:
			return m // validated by notice.Load; left as written
		}
		return esc(v)
	})
}

var mdSpecial = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "`", "\\`", "#", `\#`, "|", `\|`)

func mdEscape(s string) string { return mdSpecial.Replace(s) }

// MD renders a Markdown text of the notice in this language. Raw HTML is
// off (goldmark's default): HTML in TOML comes out escaped, never as markup.
func (l localizer) MD(t notice.Text) template.HTML { return l.markdown(t[l.lang], nil) }

func (l localizer) markdown(s string, local map[string]string) template.HTML {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := l.md.Convert([]byte(l.expand(s, local, mdEscape)), &buf); err != nil {
		*l.errs = append(*l.errs, fmt.Errorf("markdown: %w", err))
		return ""
	}
	// goldmark with html.WithUnsafe off escapes raw HTML: safe to mark.
	return template.HTML(buf.String())
}

// Tx returns a plain text of the notice in this language (escaped by the
// template).
func (l localizer) Tx(t notice.Text) string {
	return l.expand(t[l.lang], nil, func(s string) string { return s })
}
