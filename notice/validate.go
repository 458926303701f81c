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

// The closed sets of the schema. Each maps a TOML value to what it means.
var (
	// Bases maps a legal basis to its GDPR article, Art. 6(1)(a)-(f).
	Bases = map[string]string{
		"consent":              "A6-1-a",
		"contract":             "A6-1-b",
		"legal-obligation":     "A6-1-c",
		"vital-interests":      "A6-1-d",
		"public-task":          "A6-1-e",
		"legitimate-interests": "A6-1-f",
	}
	// Anchors are the events a retention period runs from.
	Anchors = []string{"collection", "contract-end", "invoice-paid", "fiscal-year-end", "decision"}
	// Untils are the events a retention lasts until, without a period.
	Untils = []string{"end-of-relationship", "claim-settled", "legal-requirement"}
	// RightKeys are the rights a notice can state, in the order GDPR lists them.
	RightKeys = []string{"access", "rectification", "erasure", "restriction", "portability", "objection", "automated-decisions", "withdraw-consent", "complaint", "damages"}
	// ConsentModeTypes are Google Consent Mode v2's consent types.
	ConsentModeTypes = []string{"ad_storage", "analytics_storage", "ad_user_data", "ad_personalization", "functionality_storage", "personalization_storage", "security_storage"}
)

// BasisKeys returns the legal bases in article order.
func BasisKeys() []string {
	return []string{"consent", "contract", "legal-obligation", "vital-interests", "public-task", "legitimate-interests"}
}

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
	for _, f := range []struct {
		name string
		t    Text
	}{{"data", n.Sections.Data}, {"purposes", n.Sections.Purposes}, {"retention", n.Sections.Retention}, {"recipients", n.Sections.Recipients}, {"security", n.Sections.Security}, {"rights", n.Sections.Rights}, {"cookies", n.Sections.Cookies}, {"contact", n.Sections.Contact}, {"marketing", n.Sections.Marketing}, {"access", n.Sections.Access}} {
		c.text("sections."+f.name, f.t, false)
	}

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
		for j, e := range d.Examples {
			c.text(fmt.Sprintf("%s.examples[%d].text", p, j), e.Text, true)
		}
	}
	for i, pu := range n.Purposes {
		p := idx("purpose", i)
		c.text(p+".title", pu.Title, true)
		c.text(p+".description", pu.Description, true)
		c.text(p+".interests", pu.Interests, false)
		c.text(p+".requirement", pu.Requirement, false)
		c.text(p+".automated", pu.Automated, false)
		c.text(p+".data_subjects", pu.DataSubjects, false)
		if pu.Basis == "" {
			c.errf(p, "purpose %q: missing basis (want: %s)", pu.Key, strings.Join(BasisKeys(), ", "))
		} else if _, ok := Bases[pu.Basis]; !ok {
			c.errf(p+".basis", "unknown legal basis %q (want: %s)", pu.Basis, strings.Join(BasisKeys(), ", "))
		}
		c.refs(p+".data_categories", pu.DataCategories, dataKeys, "data category")
		c.refs(p+".retention", pu.Retention, retKeys, "retention rule")
		c.refs(p+".recipients", pu.Recipients, recKeys, "recipient")
		if pu.Consent != "" {
			c.refs(p+".consent", []string{pu.Consent}, catKeys, "consent category")
		}
	}
	for i := range n.Retention {
		r := &n.Retention[i]
		p := idx("retention", i)
		c.text(p+".text", r.Text, false)
		c.text(p+".reason", r.Reason, false)
		c.refs(p+".data_categories", r.DataCategories, dataKeys, "data category")
		switch {
		case r.DurationText != "" && r.Until != "":
			c.errf(p+".until", "retention %q: give either anchor and duration, or until, not both", r.Key)
		case r.DurationText != "":
			d, err := ParseDuration(r.DurationText)
			if err != nil {
				c.errf(p+".duration", "%v", err)
			}
			r.Duration = d
			if r.Anchor == "" {
				c.errf(p, "retention %q: missing anchor: the event the %s run from (want: %s)", r.Key, r.DurationText, strings.Join(Anchors, ", "))
			} else if !contains(Anchors, r.Anchor) {
				c.errf(p+".anchor", "unknown anchor %q (want: %s)", r.Anchor, strings.Join(Anchors, ", "))
			}
		case r.Until != "":
			if !contains(Untils, r.Until) {
				c.errf(p+".until", "unknown event %q (want: %s)", r.Until, strings.Join(Untils, ", "))
			}
			if r.Anchor != "" {
				c.errf(p+".anchor", "retention %q: an anchor needs a duration", r.Key)
			}
		default:
			c.errf(p, "retention %q: missing duration or until", r.Key)
		}
	}
	c.parties(dataKeys)
	for i, r := range n.Rights {
		p := idx("right", i)
		if !contains(RightKeys, r.Key) {
			c.errf(p+".key", "unknown right %q (want: %s)", r.Key, strings.Join(RightKeys, ", "))
		}
		c.text(p+".title", r.Title, false)
		c.text(p+".text", r.Text, false)
		c.text(p+".note", r.Note, false)
	}
	necessary := 0
	for i, cc := range n.ConsentCategories {
		p := idx("consent_category", i)
		c.text(p+".title", cc.Title, true)
		c.text(p+".description", cc.Description, true)
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
		if k.Name == "" {
			c.errf(p, "cookie: missing name")
		}
		if k.Pattern != strings.HasSuffix(k.Name, "*") {
			c.errf(p+".name", "cookie %q: a pattern ends in * and sets pattern = true", k.Name)
		}
		c.refs(p+".category", []string{k.Category}, catKeys, "consent category")
		c.text(p+".purpose", k.Purpose, true)
		switch k.LifetimeText {
		case "session":
		case "":
			c.errf(p, "cookie %q: missing lifetime (an ISO 8601 duration such as \"P6M\", or \"session\")", k.Name)
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
				if k.Session() {
					c.errf("banner.cookie", "consent cookie %q must have a lifetime, not \"session\"", b.Cookie)
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
	for i, h := range n.History {
		c.text(idx("history", i)+".summary", h.Summary, true)
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
	c.n.eachText(func(path string, t Text) {
		for _, l := range sortedKeys(t) {
			for _, m := range placeholderRE.FindAllStringSubmatch(t[l], -1) {
				name := m[1]
				switch {
				case name == "duration" || name == "anchor":
					if !strings.HasPrefix(path, "retention[") {
						c.errf(path+"."+l, "{%s} is only known in a retention rule's text", name)
					}
				case strings.HasPrefix(name, "retention."):
					k := strings.TrimPrefix(name, "retention.")
					if !retKeys[k] {
						c.errf(path+"."+l, "{%s}: undefined retention rule %q", name, k)
					} else if r, _ := c.n.RetentionFor(k); r.DurationText == "" {
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

// EachText calls f for every human text of the notice with its key path
// ("purpose[2].description"), in a fixed order.
func (n *Notice) EachText(f func(path string, t Text)) { n.eachText(f) }

// eachText calls f for every human text with its key path.
func (n *Notice) eachText(f func(path string, t Text)) {
	m := n.Meta
	f("notice.title", m.Title)
	f("notice.description", m.Description)
	f("notice.intro", m.Intro)
	f("controller.address", n.Controller.Address)
	f("controller.role", n.Controller.Role)
	f("dpo.text", n.DPO.Text)
	f("authority.name", n.Authority.Name)
	f("transfers.text", n.Transfers.Text)
	s := n.Sections
	for _, x := range []struct {
		k string
		t Text
	}{{"data", s.Data}, {"purposes", s.Purposes}, {"retention", s.Retention}, {"recipients", s.Recipients}, {"security", s.Security}, {"rights", s.Rights}, {"cookies", s.Cookies}, {"contact", s.Contact}, {"marketing", s.Marketing}, {"access", s.Access}} {
		f("sections."+x.k, x.t)
	}
	for i, d := range n.DataCategories {
		f(idx("data_category", i)+".title", d.Title)
		f(idx("data_category", i)+".description", d.Description)
		f(idx("data_category", i)+".source", d.Source)
	}
	for i, p := range n.Purposes {
		pp := idx("purpose", i)
		f(pp+".title", p.Title)
		f(pp+".description", p.Description)
		f(pp+".interests", p.Interests)
		f(pp+".requirement", p.Requirement)
		f(pp+".automated", p.Automated)
		f(pp+".data_subjects", p.DataSubjects)
	}
	for i, r := range n.Retention {
		f(idx("retention", i)+".text", r.Text)
		f(idx("retention", i)+".reason", r.Reason)
	}
	for i, r := range n.Recipients {
		f(idx("recipient", i)+".title", r.Title)
		f(idx("recipient", i)+".text", r.Text)
	}
	for i, r := range n.Rights {
		f(idx("right", i)+".title", r.Title)
		f(idx("right", i)+".text", r.Text)
		f(idx("right", i)+".note", r.Note)
	}
	for i, cc := range n.ConsentCategories {
		f(idx("consent_category", i)+".title", cc.Title)
		f(idx("consent_category", i)+".description", cc.Description)
	}
	for i, k := range n.Cookies {
		f(idx("cookie", i)+".purpose", k.Purpose)
	}
	for i, h := range n.History {
		f(idx("history", i)+".summary", h.Summary)
	}
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
