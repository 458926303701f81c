package notice

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// The closed sets of the schema that have no table of their own in vocab.go.
var (
	// ConsentModeTypes are Google Consent Mode v2's consent types.
	ConsentModeTypes = []string{"ad_storage", "analytics_storage", "ad_user_data", "ad_personalization", "functionality_storage", "personalization_storage", "security_storage"}
)

var (
	keyRE         = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	placeholderRE = regexp.MustCompile(`\{([a-z_]+(?:\.[a-z0-9_-]+)?)\}`)
)

// Placeholders known in Markdown texts besides {retention.KEY} and {duration}.
var placeholders = []string{"controller.name", "controller.email", "controller.org_nr", "controller.address", "controller.url", "authority.name"}

type checker struct {
	n     *Notice
	langs []string
	ds    Diagnostics
}

func (c *checker) errf(path, format string, args ...any) {
	c.ds = append(c.ds, Diagnostic{Pos: c.n.pos.lookup(path), Severity: Error, Message: fmt.Sprintf(format, args...)})
}

func validate(n *Notice) Diagnostics {
	c := &checker{n: n}
	c.meta()
	c.langs = n.Meta.Languages
	c.controller()
	c.sections()

	dataKeys := c.keys("data_category", len(n.DataCategories), func(i int) string { return n.DataCategories[i].Key })
	retKeys := c.keys("retention", len(n.Retention), func(i int) string { return n.Retention[i].Key })
	recKeys := c.keys("recipient", len(n.Recipients), func(i int) string { return n.Recipients[i].Key })
	catKeys := c.keys("consent_category", len(n.ConsentCategories), func(i int) string { return n.ConsentCategories[i].Key })
	c.keys("purpose", len(n.Purposes), func(i int) string { return n.Purposes[i].Key })
	c.keys("right", len(n.Rights), func(i int) string { return n.Rights[i].Key })

	for i, d := range n.DataCategories {
		p := idx("data_category", i)
		c.text(p+".title", d.Title, true)
		c.text(p+".description", d.Description, false)
		c.text(p+".source", d.Source, false)
		c.vocab(p+".origin", d.Origin, DataOrigins, "data origin")
		c.vocab(p+".special", d.Special, SpecialCategories, "special category")
		keys := map[string]bool{}
		for j, e := range d.Examples {
			ep := fmt.Sprintf("%s.examples[%d]", p, j)
			c.text(ep+".text", e.Text, true)
			c.vocab(ep+".special", e.Special, SpecialCategories, "special category")
			switch {
			case e.Key == "":
			case !keyRE.MatchString(e.Key):
				c.errf(ep+".key", "bad key %q: use lowercase letters, digits and hyphens", e.Key)
			case keys[e.Key]:
				c.errf(ep+".key", "duplicate example key %q in data category %q", e.Key, d.Key)
			}
			keys[e.Key] = true
		}
	}
	for i := range n.Purposes {
		c.purpose(i, dataKeys, retKeys, recKeys, catKeys)
	}
	for i := range n.Retention {
		c.retention(i, dataKeys)
	}
	c.parties(dataKeys)
	for i, r := range n.Rights {
		p := idx("right", i)
		c.vocab(p+".key", r.Key, Rights, "right")
		c.text(p+".title", r.Title, false)
		c.text(p+".text", r.Text, false)
		c.text(p+".note", r.Note, false)
	}
	necessary := 0
	for i, cc := range n.ConsentCategories {
		p := idx("consent_category", i)
		c.text(p+".title", cc.Title, true)
		c.text(p+".description", cc.Description, true)
		switch {
		case cc.Exemption == "":
		case !cc.Necessary:
			c.errf(p+".exemption", "consent category %q: exemption %q is for the necessary category; a category the visitor chooses stores only with consent", cc.Key, cc.Exemption)
		default:
			c.vocab(p+".exemption", cc.Exemption, StorageExemptions(), "storage exemption")
		}
		if cc.Necessary {
			necessary++
		}
	}
	if len(n.ConsentCategories) > 0 && necessary != 1 {
		c.errf("consent_category[0]", "exactly one consent category must have necessary = true, found %d", necessary)
	}
	for i := range n.Cookies {
		k := &n.Cookies[i]
		p := idx("cookie", i)
		// A cookie is named by its name, or one described without it by
		// its provider: cookie "a", cookie of "ACME".
		label := fmt.Sprintf("cookie %q", k.Name)
		if k.Name == "" {
			label = fmt.Sprintf("cookie of %q", k.Provider)
		}
		switch {
		case k.Name == "" && k.Provider == "":
			c.errf(p, "cookie: missing name (or, for cookies the notice describes without naming them, their provider)")
		case k.Name == "" && k.Pattern:
			c.errf(p+".pattern", "%s: pattern = true needs a name ending in *", label)
		case k.Pattern != strings.HasSuffix(k.Name, "*"):
			c.errf(p+".name", "%s: a pattern ends in * and sets pattern = true", label)
		}
		c.refs(p+".category", []string{k.Category}, catKeys, "consent category")
		c.text(p+".purpose", k.Purpose, true)
		c.vocab(p+".kind", k.Kind, StorageKinds, "storage kind")
		switch k.LifetimeText {
		case "session":
		case "":
			if k.KindKey() != "pixel" {
				c.errf(p, "%s: missing lifetime (an ISO 8601 duration such as \"P6M\" or \"PT30M\", or \"session\")", label)
			}
		default:
			d, err := ParseDuration(k.LifetimeText)
			if err != nil {
				c.errf(p+".lifetime", "%v", err)
			}
			k.Lifetime = d
		}
	}
	if b := n.Banner; b.Cookie != "" {
		found := false
		for _, k := range n.Cookies {
			if k.Name == b.Cookie {
				found = true
				switch {
				case k.Session():
					c.errf("banner.cookie", "consent cookie %q must have a lifetime, not \"session\"", b.Cookie)
				case k.Lifetime.HasClock():
					c.errf("banner.cookie", "consent cookie %q: its lifetime %s must be whole days, months or years (the banner asks again when it ends)", b.Cookie, k.LifetimeText)
				case k.KindKey() != "cookie":
					c.errf("banner.cookie", "consent cookie %q is declared as kind %q: the banner stores the choice in a cookie", b.Cookie, k.Kind)
				}
			}
		}
		if !found {
			c.errf("banner.cookie", "consent cookie %q is not declared as a [[cookie]]", b.Cookie)
		}
	}
	for _, typ := range sortedKeys(n.Banner.ConsentMode) {
		if !contains(ConsentModeTypes, typ) {
			c.errf("banner.consent_mode."+typ, "unknown Google Consent Mode type %q (want: %s)", typ, strings.Join(ConsentModeTypes, ", "))
		}
		c.refs("banner.consent_mode."+typ, n.Banner.ConsentMode[typ], catKeys, "consent category")
	}
	if len(n.Banner.ConsentMode) == 0 {
		if n.Banner.AdsDataRedaction {
			c.errf("banner.ads_data_redaction", "ads_data_redaction is a Google Consent Mode setting: map the consent types in [banner.consent_mode] too, or leave it out")
		}
		if n.Banner.URLPassthrough {
			c.errf("banner.url_passthrough", "url_passthrough is a Google Consent Mode setting: map the consent types in [banner.consent_mode] too, or leave it out")
		}
	}
	for i, h := range n.History {
		c.text(idx("history", i)+".summary", h.Summary, true)
	}
	c.text("children.check", n.Children.Check, false)
	c.text("children.text", n.Children.Text, false)
	if a := n.Children.MinAge; a < 0 || a > 21 {
		c.errf("children.min_age", "min_age %d: want an age from 1 to 21, or leave it out", a)
	}
	c.placeholders(retKeys)
	c.dpvTerms()
	return c.ds
}

func (c *checker) meta() {
	m := c.n.Meta
	if m.Version == "" {
		c.errf("notice", "[notice]: missing version")
	}
	if len(m.Languages) == 0 {
		c.errf("notice", "[notice]: missing languages (for example [\"sv\", \"en\"])")
	}
	for i, l := range m.Languages {
		if _, err := language.Parse(l); err != nil || !keyRE.MatchString(l) {
			c.errf(fmt.Sprintf("notice.languages[%d]", i), "bad language tag %q", l)
		}
	}
	if m.DefaultLanguage == "" {
		c.errf("notice", "[notice]: missing default_language")
	} else if !contains(m.Languages, m.DefaultLanguage) {
		c.errf("notice.default_language", "default language %q is not one of languages %v", m.DefaultLanguage, m.Languages)
	}
	if m.BaseURL != "" {
		if u, err := url.Parse(m.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			c.errf("notice.base_url", "bad base_url %q: want an absolute http(s) URL", m.BaseURL)
		}
	}
	c.langs = m.Languages
	c.text("notice.title", m.Title, true)
	c.text("notice.slug", m.Slug, true)
	c.text("notice.description", m.Description, false)
	c.text("notice.intro", m.Intro, false)
	seen := map[string]string{}
	for _, l := range sortedKeys(m.Slug) {
		s := m.Slug[l]
		if s != "" && !keyRE.MatchString(s) {
			c.errf("notice.slug."+l, "bad slug %q: use lowercase letters, digits and hyphens", s)
		}
		if o, dup := seen[s]; dup {
			c.errf("notice.slug."+l, "slug %q is also the slug of %q", s, o)
		}
		seen[s] = l
	}
}

func (c *checker) controller() {
	ct := c.n.Controller
	if ct.Name == "" {
		c.errf("controller", "[controller]: missing name")
	}
	if ct.Email != "" {
		c.email("controller.email", ct.Email)
	}
	if ct.URL != "" {
		if u, err := url.Parse(ct.URL); err != nil || u.Host == "" {
			c.errf("controller.url", "bad url %q", ct.URL)
		}
	}
	c.text("controller.address", ct.Address, false)
	c.text("controller.role", ct.Role, false)
}

func (c *checker) email(path, s string) {
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		c.errf(path, "bad e-mail address %q", s)
	}
}

// text checks that t exists in every language (when required or when any
// language has it) and in no other.
func (c *checker) text(path string, t Text, required bool) {
	if len(t) == 0 {
		if required {
			c.errf(path, "%s: missing", path)
		}
		return
	}
	for _, l := range c.langs {
		if strings.TrimSpace(t[l]) == "" {
			c.errf(path, "%s: missing %q", path, l)
		}
	}
	for _, l := range sortedKeys(t) {
		if !contains(c.langs, l) {
			c.errf(path+"."+l, "%s: language %q is not one of languages %v", path, l, c.langs)
		}
	}
}

func (c *checker) keys(table string, n int, key func(int) string) map[string]bool {
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		k := key(i)
		p := idx(table, i)
		switch {
		case k == "":
			c.errf(p, "%s: missing key", table)
		case !keyRE.MatchString(k):
			c.errf(p+".key", "bad key %q: use lowercase letters, digits and hyphens", k)
		case seen[k]:
			c.errf(p+".key", "duplicate %s key %q", table, k)
		}
		seen[k] = true
	}
	return seen
}

func (c *checker) refs(path string, refs []string, known map[string]bool, what string) {
	for j, r := range refs {
		if !known[r] {
			c.errf(fmt.Sprintf("%s[%d]", path, j), "undefined %s %q", what, r)
		}
	}
}

// placeholders checks every {name} in every text of the notice.
func (c *checker) placeholders(retKeys map[string]bool) {
	c.n.EachText(func(path string, t Text) {
		for _, l := range sortedKeys(t) {
			for _, m := range placeholderRE.FindAllStringSubmatch(t[l], -1) {
				name := m[1]
				switch {
				case name == "duration" || name == "duration.words" || name == "anchor":
					if !strings.HasPrefix(path, "retention[") {
						c.errf(path+"."+l, "{%s} is only known in a retention rule's text", name)
					}
				case strings.HasPrefix(name, "retention."):
					k := strings.TrimPrefix(name, "retention.")
					if !retKeys[k] {
						c.errf(path+"."+l, "{%s}: undefined retention rule %q", name, k)
					} else if r, _ := c.n.RetentionFor(k); r.DurationText == "" && r.Shape() != ShapeUntil {
						c.errf(path+"."+l, "{%s}: retention rule %q has no duration", name, k)
					}
				case contains(placeholders, name):
				default:
					c.errf(path+"."+l, "unknown placeholder {%s} (want {retention.KEY}, {duration}, or one of %s)", name, "{"+strings.Join(placeholders, "}, {")+"}")
				}
			}
		}
	})
}

func idx(table string, i int) string { return table + "[" + strconv.Itoa(i) + "]" }

func contains(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// vocab checks that v, when given, is a key of the vocabulary.
func (c *checker) vocab(path, v string, voc Vocab, what string) {
	if v != "" && !voc.Has(v) {
		c.errf(path, "unknown %s %q (want: %s)", what, v, strings.Join(voc.Keys(), ", "))
	}
}

func (c *checker) sections() {
	s := c.n.Sections
	for _, f := range []struct {
		name string
		t    Text
	}{{"data", s.Data}, {"purposes", s.Purposes}, {"retention", s.Retention}, {"recipients", s.Recipients}, {"security", s.Security}, {"rights", s.Rights}, {"cookies", s.Cookies}, {"contact", s.Contact}, {"marketing", s.Marketing}} {
		c.text("sections."+f.name, f.t, false)
	}
	ids := map[string]bool{}
	for _, b := range BuiltinSections {
		ids[b] = true
	}
	keys := c.keys("section", len(c.n.Extra), func(i int) string { return c.n.Extra[i].Key })
	for i, x := range c.n.Extra {
		p := idx("section", i)
		if ids[x.Key] {
			c.errf(p+".key", "section key %q is a built-in section: choose another key", x.Key)
		}
		c.text(p+".title", x.Title, true)
		c.text(p+".text", x.Text, true)
		if x.After != "" && !ids[x.After] && !keys[x.After] {
			c.errf(p+".after", "section %q: after %q names no section (want one of %s, or the key of a [[section]])", x.Key, x.After, strings.Join(BuiltinSections, ", "))
		}
		if x.After == x.Key && x.Key != "" {
			c.errf(p+".after", "section %q cannot follow itself", x.Key)
		}
	}
}

func (c *checker) purpose(i int, dataKeys, retKeys, recKeys, catKeys map[string]bool) {
	pu := c.n.Purposes[i]
	p := idx("purpose", i)
	c.text(p+".title", pu.Title, true)
	c.text(p+".description", pu.Description, true)
	c.text(p+".interests", pu.Interests, false)
	c.text(p+".requirement", pu.Requirement, false)
	c.text(p+".automated", pu.Automated, false)
	c.text(p+".data_subjects", pu.DataSubjects, false)
	c.text(p+".basis_name", pu.BasisName, false)
	c.text(p+".consent_given", pu.ConsentGiven, false)
	c.text(p+".consent_withdrawal", pu.ConsentWithdrawal, false)
	seen := map[string]bool{}
	for j, b := range pu.Basis {
		switch {
		case !LegalBases.Has(b):
			c.errf(fmt.Sprintf("%s.basis[%d]", p, j), "unknown legal basis %q (want: %s)", b, strings.Join(LegalBases.Keys(), ", "))
		case seen[b]:
			c.errf(fmt.Sprintf("%s.basis[%d]", p, j), "purpose %q: basis %q is given twice", pu.Key, b)
		}
		seen[b] = true
	}
	if len(pu.BasisName) > 0 && len(pu.Basis) != 1 {
		c.errf(p+".basis_name", "purpose %q: basis_name words a single basis, but the purpose has %d", pu.Key, len(pu.Basis))
	}
	c.basisConditions(i)
	for j, k := range pu.SubjectTypes {
		c.vocab(fmt.Sprintf("%s.subject_types[%d]", p, j), k, SubjectTypes, "category of data subjects")
	}
	c.refs(p+".data_categories", pu.DataCategories, dataKeys, "data category")
	c.refs(p+".retention", pu.Retention, retKeys, "retention rule")
	c.refs(p+".recipients", pu.Recipients, recKeys, "recipient")
	if pu.Consent != "" {
		c.refs(p+".consent", []string{pu.Consent}, catKeys, "consent category")
	}
	elsewhere := len(pu.ConsentGiven) > 0 || len(pu.ConsentWithdrawal) > 0
	switch {
	case elsewhere && !pu.Basis.Has("consent"):
		c.errf(p+".consent_given", "purpose %q says how consent is given but is not based on consent: add \"consent\" to basis", pu.Key)
	case elsewhere && pu.Consent != "":
		c.errf(p+".consent_given", "purpose %q: consent is given either in the cookie banner (consent = %q) or elsewhere (consent_given), not both", pu.Key, pu.Consent)
	case elsewhere && (len(pu.ConsentGiven) == 0 || len(pu.ConsentWithdrawal) == 0):
		c.errf(p, "purpose %q: consent given outside the cookie banner needs both consent_given (where and how it is given) and consent_withdrawal (how to withdraw it, Art. 7(3))", pu.Key)
	}
	for j, k := range pu.Special {
		c.vocab(fmt.Sprintf("%s.special_conditions[%d]", p, j), k, Art9Conditions, "Art. 9(2) condition")
	}
}

func (c *checker) retention(i int, dataKeys map[string]bool) {
	r := &c.n.Retention[i]
	p := idx("retention", i)
	c.text(p+".text", r.Text, false)
	c.text(p+".reason", r.Reason, false)
	c.text(p+".unless_text", r.UnlessText, false)
	seenUnless := map[string]bool{}
	for j, k := range r.Unless {
		at := fmt.Sprintf("%s.unless[%d]", p, j)
		c.vocab(at, k, RetentionExceptions, "exception")
		if seenUnless[k] {
			c.errf(at, "retention %q: exception %q is given twice", r.Key, k)
		}
		seenUnless[k] = true
	}
	if (len(r.Unless) > 0 || len(r.UnlessText) > 0) && r.Indefinite {
		at := p + ".unless"
		if len(r.Unless) == 0 {
			at = p + ".unless_text"
		}
		c.errf(at, "retention %q keeps data indefinitely: an exception to no time limit says nothing", r.Key)
	}
	c.refs(p+".data_categories", r.DataCategories, dataKeys, "data category")
	for j, it := range r.Items {
		found := false
		for _, k := range r.DataCategories {
			d, _ := c.n.DataCategory(k)
			for _, e := range d.Examples {
				found = found || (e.Key != "" && e.Key == it)
			}
		}
		if !found {
			c.errf(fmt.Sprintf("%s.items[%d]", p, j), "retention %q: item %q is not the key of an example in its data categories (%s)", r.Key, it, strings.Join(r.DataCategories, ", "))
		}
	}
	if r.DurationText != "" {
		d, err := ParseDuration(r.DurationText)
		if err != nil {
			c.errf(p+".duration", "%v", err)
		}
		r.Duration = d
	}
	c.vocab(p+".anchor", r.Anchor, Anchors, "anchor")
	c.vocab(p+".until", r.Until, Untils, "event")
	shapes := 0
	for _, b := range []bool{r.DurationText != "", r.Until != "", r.Indefinite} {
		if b {
			shapes++
		}
	}
	switch {
	case shapes > 1:
		at := p + ".indefinite"
		if r.Until != "" && r.DurationText != "" {
			at = p + ".until"
		}
		c.errf(at, "retention %q: give one of duration (with anchor, or at_most = true), until, or indefinite = true", r.Key)
	case shapes == 0 && r.AtMost:
		c.errf(p+".at_most", "retention %q: at_most needs a duration (\"at most P6M\")", r.Key)
	case shapes == 0:
		c.errf(p, "retention %q: missing duration, until or indefinite = true", r.Key)
	case r.DurationText == "" && r.Anchor != "":
		c.errf(p+".anchor", "retention %q: an anchor needs a duration", r.Key)
	case r.AtMost && r.DurationText == "":
		c.errf(p+".at_most", "retention %q: at_most needs a duration", r.Key)
	}
}

// basisConditions checks the cases a purpose limits its bases to: each
// names one of its bases, once, with a known case (when) or its own words
// (text), a case that fits the basis, and leaves at most one basis for
// every other case.
func (c *checker) basisConditions(i int) {
	pu := c.n.Purposes[i]
	seen := map[string]bool{}
	for j, bc := range pu.BasisConditions {
		p := fmt.Sprintf("%s.basis_conditions[%d]", idx("purpose", i), j)
		c.text(p+".text", bc.Text, false)
		switch {
		case bc.Basis == "":
			c.errf(p, "purpose %q: a basis condition names the basis it limits (basis = \"consent\")", pu.Key)
		case !pu.Basis.Has(bc.Basis):
			c.errf(p+".basis", "purpose %q: condition for basis %q, which is not one of its bases (%s)", pu.Key, bc.Basis, strings.Join(pu.Basis, ", "))
		case seen[bc.Basis]:
			c.errf(p+".basis", "purpose %q: basis %q has two conditions: say both cases in one text", pu.Key, bc.Basis)
		}
		seen[bc.Basis] = true
		switch cond, ok := LookupCondition(bc.When); {
		case bc.When == "" && len(bc.Text) == 0:
			c.errf(p, "purpose %q: the condition of basis %q says no case: give when = %q (or one of %s), or text = {...} in the notice's words", pu.Key, bc.Basis, "storage", strings.Join(ConditionVocab().Keys(), ", "))
		case bc.When == "":
		case !ok:
			c.errf(p+".when", "unknown basis condition %q (want: %s)", bc.When, strings.Join(ConditionVocab().Keys(), ", "))
		case bc.Basis != "" && cond.Basis != bc.Basis:
			c.errf(p+".when", "purpose %q: condition %q is a case of basis %q, not of %q", pu.Key, bc.When, cond.Basis, bc.Basis)
		}
	}
	if len(pu.BasisConditions) > 0 && len(pu.Basis)-len(seen) > 1 {
		var rest []string
		for _, b := range pu.Basis {
			if !seen[b] {
				rest = append(rest, b)
			}
		}
		c.errf(idx("purpose", i)+".basis_conditions", "purpose %q: %s would all apply \"in every other case\": give all but one of them a condition", pu.Key, strings.Join(rest, " and "))
	}
}

// eprivacy checks [notice] eprivacy: a country of the ePrivacy table (or
// "EU"), and the UK's PECR exactly under jurisdiction = "UK".
func (c *checker) eprivacy() {
	k := c.n.Meta.EPrivacy
	if k == "" {
		return
	}
	var keys []string
	for _, r := range EPrivacyRules() {
		keys = append(keys, r.Key)
	}
	keys = append(keys, EPrivacyDirective.Key)
	uk := c.n.Jurisdiction() == "UK"
	switch _, ok := c.n.EPrivacyStated(); {
	case !ok:
		c.errf("notice.eprivacy", "eprivacy %q: no ePrivacy rule for it (want one of %s; \"EU\" cites the directive, for a country whose provisions the table lacks)", k, strings.Join(keys, ", "))
	case uk && k != "GB":
		c.errf("notice.eprivacy", "eprivacy %q under jurisdiction = \"UK\": the UK's rule is PECR, eprivacy = \"GB\"", k)
	case !uk && k == "GB":
		c.errf("notice.eprivacy", "eprivacy \"GB\" (PECR) is the UK's rule: set [notice] jurisdiction = \"UK\", or name the EU country whose law applies")
	}
}
