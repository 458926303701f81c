package site

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/yuin/goldmark"
	"golang.org/x/text/language"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
)

type renderer struct {
	src    source
	n      *notice.Notice
	opts   Options
	bundle *i18n.Bundle
	tmpl   *template.Template
	min    minifier
	md     goldmark.Markdown
	errs   []error
	// revision is the consent revision, banner texts included.
	revision string
	// releases links each released version's archived page and changes,
	// by version and language.
	releases map[string]map[string]releaseLink
	// accepts are the earlier revisions the current release keeps valid.
	accepts []string
	// archives are the released versions as the site publishes them;
	// changed their pages of what changed, by version and language.
	archives []release.Archive
	changed  map[[2]string]*template.HTML
}

var layoutFiles = []string{"base.html", "sections.html", "notice.html", "history.html", "index.html", "changes.html"}

func newRenderer(src source, n *notice.Notice, opts Options) (*renderer, error) {
	r := &renderer{src: src, n: n, opts: opts, min: newMinifier(), md: goldmark.New()}
	b, err := loadBundle(src, n)
	if err != nil {
		return nil, err
	}
	r.bundle = b
	r.revision = n.Revision((&Strings{n: n, bundle: b}).UI())
	t := template.New("site").Funcs(template.FuncMap{
		"deref": func(b *bool) bool { return b != nil && *b },
	})
	for _, f := range layoutFiles {
		rel := "themes/" + src.theme + "/layouts/" + f
		data, name, err := src.read(rel)
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		if _, err := t.New(f).Parse(string(data)); err != nil {
			return nil, fmt.Errorf("theme %s: %w", name, err)
		}
	}
	r.tmpl = t
	return r, nil
}

// asset is a minified, fingerprinted file and its URL.
type asset struct{ URL string }

func (r *renderer) asset(out *Output, rel, mediatype string) (asset, error) {
	b, name, err := r.src.read(rel)
	if err != nil {
		return asset{}, err
	}
	if r.opts.Minify {
		if b, err = r.min.bytes(mediatype, b); err != nil {
			return asset{}, fmt.Errorf("minify %s: %w", name, err)
		}
	}
	p := "assets/" + fingerprint(rel[strings.LastIndexByte(rel, '/')+1:], b)
	out.Files[p] = b
	return asset{URL: r.n.Meta.BasePath() + "/" + p}, nil
}

func (r *renderer) render(ctx context.Context, out *Output) error {
	n := r.n
	css, err := r.asset(out, "themes/"+r.src.theme+"/assets/notice.css", "text/css")
	if err != nil {
		return err
	}
	// A notice with nothing to ask consent for ships no banner at all.
	var bjs, bcss, scss asset
	var sjs []byte
	if n.AsksConsent() && !r.opts.Archive {
		if bjs, err = r.asset(out, "assets/consent.js", "application/javascript"); err != nil {
			return err
		}
		if bcss, err = r.asset(out, "assets/consent.css", "text/css"); err != nil {
			return err
		}
		if scss, err = r.asset(out, "assets/consent-settings.css", "text/css"); err != nil {
			return err
		}
		if sjs, err = r.script("assets/consent-settings.js"); err != nil {
			return err
		}
	}
	for _, lang := range n.Meta.Languages {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := r.newPage(lang, css.URL)
		if n.AsksConsent() {
			cfg, err := r.bannerConfig(p)
			if err != nil {
				return err
			}
			out.Files["assets/consent-config."+lang+".json"] = append(cfg, '\n')
		}
		// The archive keeps the banner's texts (its configuration) and the
		// page's links to the settings, not its script: an archived page
		// asks nothing.
		if n.AsksConsent() && r.opts.Archive {
			p.Banner = &bannerTags{}
		}
		if n.AsksConsent() && !r.opts.Archive {
			full := out.Files["assets/consent-config."+lang+".json"]
			settings, err := settingsLayer(full, sjs)
			if err != nil {
				return fmt.Errorf("settings layer %s: %w", lang, err)
			}
			sp := "assets/" + fingerprint("consent-settings."+lang+".js", settings)
			out.Files[sp] = settings
			cfg, err := firstLayer(full, []string{n.Meta.BasePath() + "/" + sp, scss.URL})
			if err != nil {
				return fmt.Errorf("banner configuration %s: %w", lang, err)
			}
			p.Banner = &bannerTags{Config: template.JS(cfg), CSS: bcss.URL, JS: bjs.URL, Sync: len(n.Banner.ConsentMode) > 0}
			var snip bytes.Buffer
			if err := r.tmpl.ExecuteTemplate(&snip, "banner", p); err != nil {
				return fmt.Errorf("render snippet %s: %w", lang, err)
			}
			out.Files["assets/snippet."+lang+".html"] = append(snip.Bytes(), '\n')
		}
		if r.opts.JSONLD != nil {
			ld, err := r.opts.JSONLD(n, lang)
			if err != nil {
				return fmt.Errorf("json-ld %s: %w", lang, err)
			}
			p.JSONLD = template.JS(ld)
		} else {
			p.JSONLD = template.JS(`{}`)
		}
		if err := r.sections(p); err != nil {
			return err
		}
		if err := r.write(out, p.dir+"index.html", "notice.html", p); err != nil {
			return err
		}
		if r.opts.Archive {
			continue // the history lives on the current site
		}
		if err := r.write(out, p.dir+"history/index.html", "history.html", p); err != nil {
			return err
		}
		if err := r.changes(out, p); err != nil {
			return err
		}
	}
	root := r.newPage(n.Meta.DefaultLanguage, css.URL)
	if err := r.write(out, "index.html", "index.html", root); err != nil {
		return err
	}
	return errors.Join(r.errs...)
}

func (r *renderer) write(out *Output, path, layout string, data any) error {
	var buf bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&buf, layout, data); err != nil {
		return fmt.Errorf("render %s: %w", path, err)
	}
	b := buf.Bytes()
	if r.opts.Inject != "" {
		b = bytes.Replace(b, []byte("</body>"), []byte(string(r.opts.Inject)+"</body>"), 1)
	}
	b, err := r.page(b)
	if err != nil {
		return fmt.Errorf("minify %s: %w", path, err)
	}
	out.Files[path] = b
	return nil
}

// page is what a layout sees: the notice, the language's helpers
// (localizer methods are promoted) and the page's own facts.
type page struct {
	localizer
	Notice      *notice.Notice
	Lang        string
	Title       string
	Description string
	Controller  string
	Version     string
	Effective   string
	CSS         string
	Canonical   string
	XDefault    string
	NoticeHref  string
	HistoryHref string
	Alternates  []alternate
	Intro       template.HTML
	Sections    []section
	Banner      *bannerTags
	JSONLD      template.JS
	dir         string
	releases    map[string]map[string]releaseLink
}

type alternate struct {
	Lang, Name, Href, Abs string
	Current               bool
}

type section struct {
	ID, Title string
	Body      template.HTML
}

type bannerTags struct {
	Config  template.JS
	CSS, JS string
	// Sync loads the script without defer: with Consent Mode it must set
	// the default before any Google tag that follows the snippet.
	Sync bool
}

func (r *renderer) newPage(lang, cssURL string) *page {
	n := r.n
	tag, _ := language.Parse(lang)
	l := localizer{lang: lang, loc: i18n.NewLocalizer(r.bundle, tag.String()), n: n, md: r.md, errs: &r.errs}
	p := &page{
		localizer:  l,
		Notice:     n,
		Lang:       lang,
		Title:      n.Meta.Title[lang],
		Controller: n.Controller.Name,
		Version:    n.Meta.Version,
		Effective:  n.Meta.EffectiveDate.String(),
		CSS:        cssURL,
		dir:        lang + "/" + n.Meta.Slug[lang] + "/",
		releases:   r.releases,
	}
	p.Description = l.Tx(n.Meta.Description)
	base := n.Meta.BasePath()
	p.NoticeHref = base + "/" + p.dir
	p.HistoryHref = p.NoticeHref + "history/"
	p.Canonical = abs(n.Meta.BaseURL, p.NoticeHref)
	for _, o := range n.Meta.Languages {
		href := base + "/" + o + "/" + n.Meta.Slug[o] + "/"
		ol := localizer{lang: o, loc: i18n.NewLocalizer(r.bundle, o), n: n, errs: &r.errs}
		p.Alternates = append(p.Alternates, alternate{Lang: o, Name: ol.T("language"), Href: href, Abs: abs(n.Meta.BaseURL, href), Current: o == lang})
		if o == n.Meta.DefaultLanguage {
			p.XDefault = abs(n.Meta.BaseURL, href)
		}
	}
	p.Intro = l.MD(n.Meta.Intro)
	return p
}

// abs makes the site path p (which already holds the base path) absolute
// on the host of base.
func abs(base, p string) string {
	u, err := url.Parse(base)
	if base == "" || err != nil {
		return p
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: p}).String()
}

// sections renders each section template of the theme in page order, with
// the notice's extra [[section]]s placed after the sections they name.
// A section with nothing to say is left out of the page and the contents.
func (r *renderer) sections(p *page) error {
	n := r.n
	s := n.Sections
	show := map[string]bool{
		"data":       len(n.DataCategories) > 0 || len(s.Data) > 0,
		"purposes":   len(n.Purposes) > 0,
		"retention":  len(n.Retention) > 0,
		"recipients": len(n.Recipients) > 0 || n.Transfers.None != nil,
		"security":   len(s.Security) > 0,
		"rights":     len(n.Rights) > 0,
		"children":   n.Children.MinAge > 0 || len(n.Children.Text) > 0 || len(n.Children.Check) > 0,
		"cookies":    len(n.ConsentCategories) > 0 || len(n.Cookies) > 0,
		"contact":    true,
	}
	for _, id := range sectionOrder(n) {
		if x, ok := extraSection(n, id); ok {
			p.Sections = append(p.Sections, section{ID: "section-" + x.Key, Title: p.Tx(x.Title), Body: p.MD(x.Text)})
			continue
		}
		if !show[id] {
			continue
		}
		var buf bytes.Buffer
		if err := r.tmpl.ExecuteTemplate(&buf, "section-"+id, p); err != nil {
			return fmt.Errorf("render %s section %s: %w", p.Lang, id, err)
		}
		p.Sections = append(p.Sections, section{ID: id, Title: p.T("section_" + id), Body: template.HTML(buf.String())})
	}
	return nil
}

// sectionOrder is the built-in sections with each extra section inserted
// after the one it names (in declaration order), or at the end.
func sectionOrder(n *notice.Notice) []string {
	order := slices.Clone(notice.BuiltinSections)
	pending := slices.Clone(n.Extra)
	for len(pending) > 0 {
		var rest []notice.Section
		for _, x := range pending {
			switch i := slices.Index(order, x.After); {
			case x.After == "":
				order = append(order, x.Key)
			case i >= 0:
				// After the target and any extras already placed after it.
				j := i + 1
				for j < len(order) && isExtraAfter(n, order[j], order[:j]) {
					j++
				}
				order = slices.Insert(order, j, x.Key)
			default:
				rest = append(rest, x)
			}
		}
		if len(rest) == len(pending) { // a cycle: place them at the end
			for _, x := range rest {
				order = append(order, x.Key)
			}
			break
		}
		pending = rest
	}
	return order
}

// isExtraAfter reports whether id is an extra section that follows one of
// the sections before it.
func isExtraAfter(n *notice.Notice, id string, before []string) bool {
	x, ok := extraSection(n, id)
	return ok && slices.Contains(before, x.After)
}

func extraSection(n *notice.Notice, id string) (notice.Section, bool) {
	if slices.Contains(notice.BuiltinSections, id) {
		return notice.Section{}, false
	}
	for _, x := range n.Extra {
		if x.Key == id {
			return x, true
		}
	}
	return notice.Section{}, false
}

// Archived returns the links of a released version in this language (its
// archived page, and its changes against the version before), or nil.
func (p *page) Archived(version string) *releaseLink {
	if l, ok := p.releases[version][p.Lang]; ok {
		return &l
	}
	return nil
}

// BasisLine is one legal basis of a purpose as the page states it: its
// name, and the case it is limited to (", where information is stored on
// your device or read from it (§ 25 Abs. 1 TDDDG)", " in all other
// cases"), empty where it applies without a condition.
type BasisLine struct{ Name, When string }

// Bases names the purpose's legal bases in this language: its own wording
// (basis_name) where the notice gives one, else the standard name of each,
// each with the case it applies in; bases limited to a case come first, the
// one for every other case last.
func (p *page) Bases(pu notice.Purpose) []BasisLine {
	if len(pu.BasisName) > 0 && len(pu.Basis) == 1 {
		return []BasisLine{{p.Tx(pu.BasisName), p.when(pu, pu.Basis[0])}}
	}
	var out, otherwise []BasisLine
	for _, k := range pu.Basis {
		t, ok := notice.LegalBases.Lookup(k)
		if !ok {
			continue
		}
		l := BasisLine{p.T(t.Msg), p.when(pu, k)}
		if pu.Otherwise(k) {
			otherwise = append(otherwise, l)
		} else {
			out = append(out, l)
		}
	}
	return append(out, otherwise...)
}

// when is the case basis b of the purpose applies in, with the separator
// that joins it to the basis's name.
func (p *page) when(pu notice.Purpose, b string) string {
	if pu.Otherwise(b) {
		return " " + p.T("basis_otherwise")
	}
	c, ok := pu.Condition(b)
	if !ok {
		return ""
	}
	phrase := p.Tx(c.Text)
	if cond, ok := notice.LookupCondition(c.When); ok && phrase == "" {
		phrase = p.T(cond.Msg)
	}
	if r, ok := p.Notice.EPrivacyStated(); ok && c.When == "storage" {
		phrase += " (" + r.Cite("consent") + ")"
	}
	return ", " + phrase
}

// Subjects names whose data the purpose processes, where it names their
// categories (subject_types): in the notice's own words (data_subjects),
// else by the standard names. data_subjects alone stays in the record of
// processing, as it was written for: a notice shows it by naming the
// categories too.
func (p *page) Subjects(pu notice.Purpose) string {
	if len(pu.SubjectTypes) == 0 {
		return ""
	}
	if s := p.Tx(pu.DataSubjects); s != "" {
		return s
	}
	var names []string
	for _, k := range pu.SubjectTypes {
		if t, ok := notice.SubjectTypes.Lookup(k); ok {
			names = append(names, p.T(t.Msg))
		}
	}
	return strings.Join(names, ", ")
}

// Storage says on what ground a consent category stores information on the
// visitor's device or reads it from there, citing the ePrivacy rule the
// notice states ([notice] eprivacy): "... only with your consent (§ 25
// Abs. 1 TDDDG)."; "" when the notice states none.
func (p *page) Storage(c notice.ConsentCategory) string {
	r, ok := p.Notice.EPrivacyStated()
	if !ok {
		return ""
	}
	k := c.StorageBasis()
	t, _ := notice.StorageBases.Lookup(k)
	return p.Tf(t.Msg, r.Cite(k))
}

// ConsentStorage is the ePrivacy rule a purpose whose consent is given in
// the cookie banner rests on for storing on the device, where the notice
// states one and the purpose's legal basis does not already cite it (a
// condition "storage").
func (p *page) ConsentStorage(pu notice.Purpose) string {
	r, stated := p.Notice.EPrivacyStated()
	if c, ok := pu.Condition("consent"); !stated || pu.Consent == "" || ok && c.When == "storage" {
		return ""
	}
	return p.Tf("storage_consent", r.Cite("consent"))
}

// Term names a value of a closed vocabulary ("origin", "special", "art9",
// "storage") in this language.
func (p *page) Term(vocab, key string) string {
	if t, ok := themeVocab(vocab).Lookup(key); ok {
		return p.T(t.Msg)
	}
	return key
}

// Article is the GDPR article of a vocabulary value ("9(2)(a)").
func (p *page) Article(vocab, key string) string {
	t, _ := themeVocab(vocab).Lookup(key)
	return t.Article
}

// themeVocab is the vocabulary a theme names by word ("origin",
// "special", "art9", "storage").
func themeVocab(name string) notice.Vocab {
	switch name {
	case "origin":
		return notice.DataOrigins
	case "special":
		return notice.SpecialCategories
	case "art9":
		return notice.Art9Conditions
	case "storage":
		return notice.StorageKinds
	}
	return nil
}

// DataGroup is the data categories of one origin, in declaration order.
type DataGroup struct {
	Origin     string
	Categories []notice.DataCategory
}

// DataGroups groups the data categories by origin, in the order of
// notice.DataOrigins.
func (p *page) DataGroups() []DataGroup {
	var out []DataGroup
	for _, o := range notice.DataOrigins {
		g := DataGroup{Origin: o.Key}
		for _, d := range p.Notice.DataCategories {
			if d.OriginKey() == o.Key {
				g.Categories = append(g.Categories, d)
			}
		}
		if len(g.Categories) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// DataTitle names a data category.
func (p *page) DataTitle(key string) string {
	c, _ := p.Notice.DataCategory(key)
	return p.Tx(c.Title)
}

// CategoryTitle names a consent category.
func (p *page) CategoryTitle(key string) string {
	c, _ := p.Notice.ConsentCategory(key)
	return p.Tx(c.Title)
}

// Period says how long a rule keeps data, as the rule says it: "18
// månader", "högst 6 månader", "tills fordran är reglerad", "tills vidare".
func (p *page) Period(r notice.Retention) string { return withUnless(p.period(r), p.Unless(r)) }

func withUnless(s, unless string) string {
	if unless == "" {
		return s
	}
	return s + ", " + unless
}

// period says the rule's period alone, without its exceptions.
func (p *page) period(r notice.Retention) string {
	var s string
	switch r.Shape() {
	case notice.ShapeIndefinite:
		return p.T("retention_indefinite")
	case notice.ShapeUntil:
		s = p.T("until_" + r.Until)
	case notice.ShapeBound:
		s = p.Tf("at_most", p.Duration(r.Duration))
	default:
		s = p.Duration(r.Duration)
	}
	return s
}

// Unless says the exceptions a rule makes to its period: "unless a law
// requires us to keep the data longer or ...", "" when it makes none.
func (p *page) Unless(r notice.Retention) string {
	if c := p.unlessCases(r); c != "" {
		return p.Tf("unless", c)
	}
	return ""
}

// unlessCases are the exceptions of a rule without the word "unless": "a
// law requires us to keep the data longer or we need it for ...".
func (p *page) unlessCases(r notice.Retention) string {
	var cases []string
	for _, k := range r.Unless {
		if t, ok := notice.RetentionExceptions.Lookup(k); ok {
			cases = append(cases, p.T(t.Msg))
		}
	}
	if s := p.Tx(r.UnlessText); s != "" {
		cases = append(cases, s)
	}
	if len(cases) == 0 {
		return ""
	}
	last := cases[len(cases)-1]
	if len(cases) > 1 {
		last = strings.Join(cases[:len(cases)-1], ", ") + " " + p.T("or") + " " + last
	}
	return last
}

// From is the event a rule's period runs from, "" when the rule states none.
func (p *page) From(r notice.Retention) string {
	if r.Anchor == "" || r.Shape() == notice.ShapeUntil || r.Shape() == notice.ShapeIndefinite {
		return ""
	}
	t, _ := notice.Anchors.Lookup(r.Anchor)
	return p.T(t.Msg)
}

// RetentionShort is "18 månader efter att fakturan har betalats", under a
// purpose. What the rule covers is named when it is not simply all the
// purpose's data: "3 veckor (Kunduppgifter: IP-adress)".
func (p *page) RetentionShort(pu notice.Purpose, key string) string {
	r, ok := p.Notice.RetentionFor(key)
	if !ok {
		return key
	}
	s := p.period(r)
	if f := p.From(r); f != "" {
		s += " " + f
	}
	s = withUnless(s, p.Unless(r))
	// Name what the rule keeps among the purpose's own data: a rule that
	// also covers data of other purposes says nothing of it here (the
	// retention table names all of it).
	own := r
	own.DataCategories = nil
	for _, k := range r.DataCategories {
		if slices.Contains(pu.DataCategories, k) {
			own.DataCategories = append(own.DataCategories, k)
		}
	}
	if len(own.DataCategories) == 0 {
		own = r
	}
	if len(r.Items) > 0 || !slices.Equal(own.DataCategories, pu.DataCategories) {
		if d := p.RetentionData(own); d != "" {
			s += " (" + d + ")"
		}
	}
	return s
}

// RetentionData names what a rule covers: its data categories, or the
// items it covers within them ("Kunduppgifter: IP-adress").
func (p *page) RetentionData(r notice.Retention) string {
	var names []string
	for _, k := range r.DataCategories {
		d, _ := p.Notice.DataCategory(k)
		var items []string
		for _, e := range d.Examples {
			if e.Key != "" && slices.Contains(r.Items, e.Key) {
				items = append(items, p.Tx(e.Text))
			}
		}
		if len(items) > 0 {
			names = append(names, p.Tx(d.Title)+": "+strings.Join(items, ", "))
		} else if len(r.Items) == 0 {
			names = append(names, p.Tx(d.Title))
		}
	}
	return strings.Join(names, ", ")
}

// RetentionText renders a rule's own sentence with {duration},
// {duration.words} and {anchor}.
func (p *page) RetentionText(r notice.Retention) template.HTML {
	local := map[string]string{"duration": p.Duration(r.Duration), "duration.words": p.DurationWords(r.Duration)}
	if f := p.From(r); f != "" {
		local["anchor"] = f
	}
	return p.markdown(r.Text[p.lang], local)
}

// RetentionRow is one row of the retention table.
type RetentionRow struct{ Key, Data, Period, From, Unless, Law, Reason string }

// RetentionRows lists every rule as data for the table, each with what it
// covers, its period as stated, the event it runs from where the rule
// states one, its exceptions, the law where one sets the period, and the
// reason where the notice gives one.
func (p *page) RetentionRows() []RetentionRow {
	var rows []RetentionRow
	for _, r := range p.Notice.Retention {
		row := RetentionRow{Key: r.Key, Data: p.RetentionData(r), Period: p.period(r), From: p.From(r), Unless: p.unlessCases(r), Law: r.Law, Reason: p.Tx(r.Reason)}
		for _, f := range []*string{&row.Data, &row.From, &row.Unless, &row.Law, &row.Reason} {
			if *f == "" {
				*f = "–"
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// RetentionExceptions reports whether any rule makes an exception to its
// period: only then does the table have a column for them.
func (p *page) RetentionExceptions() bool {
	return slices.ContainsFunc(p.Notice.Retention, func(r notice.Retention) bool { return len(r.Unless) > 0 || len(r.UnlessText) > 0 })
}

// RetentionLaws reports whether any rule names a law that sets its period:
// only then does the table have a column for it.
func (p *page) RetentionLaws() bool {
	return slices.ContainsFunc(p.Notice.Retention, func(r notice.Retention) bool { return r.Law != "" })
}

// RetentionReasons reports whether any rule says why data is kept so long:
// only then does the table have a column for it.
func (p *page) RetentionReasons() bool {
	return slices.ContainsFunc(p.Notice.Retention, func(r notice.Retention) bool { return len(r.Reason) > 0 })
}

// CookieName names a declared cookie: its name, or, for cookies the notice
// describes without naming them, their provider ("Google Ireland Limited
// (names not stated)").
func (p *page) CookieName(c notice.Cookie) string {
	if c.Named() {
		return c.Name
	}
	return p.Tf("cookie_unnamed", c.Provider)
}

// Party is "first" or "third" party for a declared cookie or storage item.
func (p *page) Party(c notice.Cookie) string {
	if p.Notice.ThirdParty(c) {
		return p.T("party_third")
	}
	return p.T("party_first")
}

// RightTitle is the right's own title or the standard one.
func (p *page) RightTitle(r notice.Right) string {
	if t := r.Title[p.lang]; t != "" {
		return p.Tx(r.Title)
	}
	return p.T("right_" + r.Key)
}

// RightText is the right's own text or the standard one.
func (p *page) RightText(r notice.Right) template.HTML {
	if r.Text[p.lang] != "" {
		return p.MD(r.Text)
	}
	t, _ := notice.Rights.Lookup(r.Key)
	return template.HTML("<p>" + template.HTMLEscapeString(p.Tcite("right_"+r.Key+"_text", t.Article)) + "</p>")
}

// Lifetime says how long a cookie lives.
func (p *page) Lifetime(c notice.Cookie) string {
	switch {
	case c.Session():
		return p.T("session")
	case c.LifetimeText == "":
		return "–"
	}
	return p.Duration(c.Lifetime)
}

// script reads and minifies a script (a site's own assets/ first).
func (r *renderer) script(rel string) ([]byte, error) {
	b, name, err := r.src.read(rel)
	if err != nil {
		return nil, err
	}
	if r.opts.Minify {
		if b, err = r.min.bytes("application/javascript", b); err != nil {
			return nil, fmt.Errorf("minify %s: %w", name, err)
		}
	}
	return b, nil
}

// settingsOnly are the texts of the banner's configuration that only the
// settings show: the snippet leaves them, the categories' descriptions and
// the cookie lists' texts to the settings layer, which most visitors never
// load.
var settingsOnly = []string{"alwaysOn", "cookies", "save", "settingsBody"}

// settingsLayer is the settings layer's script for one language: the
// categories and texts of the language's full configuration, as
// document.currentScript.c (JSON is JavaScript), then the code.
func settingsLayer(full, code []byte) ([]byte, error) {
	var c struct {
		Categories json.RawMessage `json:"categories"`
		Text       json.RawMessage `json:"text"`
	}
	if err := json.Unmarshal(full, &c); err != nil {
		return nil, err
	}
	data, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return slices.Concat([]byte("document.currentScript.c="), data, []byte(";\n"), code), nil
}

// firstLayer is the configuration as the snippet carries it: the full one
// without what only the settings show, and with the URLs of the settings
// layer (script, stylesheet).
func firstLayer(full []byte, settings []string) ([]byte, error) {
	var c map[string]json.RawMessage
	if err := json.Unmarshal(full, &c); err != nil {
		return nil, err
	}
	var cats []map[string]json.RawMessage
	if err := json.Unmarshal(c["categories"], &cats); err != nil {
		return nil, err
	}
	for _, cat := range cats {
		delete(cat, "description")
		// The banner deletes the cookies of refused categories only; the
		// necessary category is never refused.
		if cat["necessary"] != nil {
			delete(cat, "cookies")
		}
		if cat["cookies"] == nil {
			continue
		}
		var cookies []map[string]json.RawMessage
		if err := json.Unmarshal(cat["cookies"], &cookies); err != nil {
			return nil, err
		}
		for _, k := range cookies {
			delete(k, "about")
		}
		b, err := json.Marshal(cookies)
		if err != nil {
			return nil, err
		}
		cat["cookies"] = b
	}
	var text map[string]string
	if err := json.Unmarshal(c["text"], &text); err != nil {
		return nil, err
	}
	for _, k := range settingsOnly {
		delete(text, k)
	}
	var err error
	if c["categories"], err = json.Marshal(cats); err != nil {
		return nil, err
	}
	if c["text"], err = json.Marshal(text); err != nil {
		return nil, err
	}
	if c["settings"], err = json.Marshal(settings); err != nil {
		return nil, err
	}
	// json.Marshal escapes <, > and & so the block can never close early.
	return json.Marshal(c)
}

// bannerConfig is the banner's configuration for one language (the contract
// in assets/README.md): categories, texts, cookie, revision, endpoint.
func (r *renderer) bannerConfig(p *page) ([]byte, error) {
	n := r.n
	type cookieRef struct {
		Name   string `json:"name"`
		Path   string `json:"path,omitempty"`
		Domain string `json:"domain,omitempty"`
		// Store names the Web Storage object of a localStorage or
		// sessionStorage item, which the banner clears on a refusal; Kind
		// is any other storage kind that is not a cookie.
		Store string `json:"store,omitempty"`
		Kind  string `json:"kind,omitempty"`
		// About is what the settings list after the name: the kind when
		// it is not a cookie, provider, lifetime, and domain with first
		// or third party.
		About string `json:"about"`
	}
	type category struct {
		Key         string      `json:"key"`
		Necessary   bool        `json:"necessary,omitempty"`
		Title       string      `json:"title"`
		Description string      `json:"description"`
		Cookies     []cookieRef `json:"cookies,omitempty"`
	}
	type cookie struct {
		Name     string `json:"name"`
		Lifetime [3]int `json:"lifetime"`
		Path     string `json:"path,omitempty"` // omitted: "/"
		Domain   string `json:"domain,omitempty"`
	}
	cfg := struct {
		Lang        string              `json:"lang"`
		Revision    string              `json:"revision"`
		Accepts     []string            `json:"accepts,omitempty"`
		Version     string              `json:"version"`
		Endpoint    string              `json:"endpoint"`
		Notice      string              `json:"notice"`
		Cookie      cookie              `json:"cookie"`
		GPC         bool                `json:"gpc"`
		ConsentMode map[string][]string `json:"consentMode,omitempty"`
		Redact      bool                `json:"adsDataRedaction,omitempty"`
		Passthrough bool                `json:"urlPassthrough,omitempty"`
		Reopen      *bool               `json:"reopen,omitempty"` // only false is written
		Categories  []category          `json:"categories"`
		Text        map[string]string   `json:"text"`
	}{
		Lang:        p.Lang,
		Revision:    r.revision,
		Accepts:     r.accepts,
		Version:     n.Meta.Version,
		Endpoint:    n.Banner.Endpoint,
		Notice:      p.NoticeHref + "#cookies",
		GPC:         n.Banner.HonoursGPC(),
		ConsentMode: n.Banner.ConsentMode,
		Redact:      n.Banner.AdsDataRedaction,
		Passthrough: n.Banner.URLPassthrough,
	}
	if !n.Banner.AddsReopen() {
		cfg.Reopen = new(bool)
	}
	if r.opts.Endpoint != "" {
		cfg.Endpoint = r.opts.Endpoint
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = "/api/consent"
	}
	cfg.Cookie.Name = n.Banner.Cookie
	for _, c := range n.Cookies {
		if c.Name == n.Banner.Cookie {
			d := c.Lifetime
			cfg.Cookie.Lifetime = [3]int{d.Years, d.Months, 7*d.Weeks + d.Days}
			cfg.Cookie.Domain = c.Domain
			if c.Path != "/" {
				cfg.Cookie.Path = c.Path
			}
		}
	}
	for _, c := range n.ConsentCategories {
		cat := category{Key: c.Key, Necessary: c.Necessary, Title: p.Tx(c.Title), Description: p.Tx(c.Description)}
		for _, k := range n.CookiesIn(c.Key) {
			party := p.Party(k)
			if k.Domain != "" {
				party = k.Domain + " (" + party + ")"
			}
			var about []string
			if k.KindKey() != "cookie" {
				about = append(about, p.Term("storage", k.KindKey()))
			}
			provider := k.Provider
			if !k.Named() {
				provider = "" // the name says it
			}
			for _, s := range []string{provider, p.Lifetime(k), party} {
				if s != "" && s != "–" {
					about = append(about, s)
				}
			}
			// Cookies described without names are listed by their
			// provider; a name with spaces matches no stored item, so the
			// banner's clearing on a refusal leaves them to the site.
			ref := cookieRef{Name: p.CookieName(k), Domain: k.Domain, About: strings.Join(about, ", ")}
			switch k.KindKey() {
			case "cookie":
			case "local-storage":
				ref.Store = "localStorage"
			case "session-storage":
				ref.Store = "sessionStorage"
			default:
				ref.Kind = k.Kind
			}
			if k.Path != "/" {
				ref.Path = k.Path
			}
			cat.Cookies = append(cat.Cookies, ref)
		}
		cfg.Categories = append(cfg.Categories, cat)
	}
	cfg.Text = bannerTexts(p.localizer)
	// json.Marshal escapes <, > and & so the block can never close early.
	return json.Marshal(cfg)
}
