package lint

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/integritet/integritet/notice"
)

// ---- consistency ----

func (c *checker) cookieCategory() {
	for i, k := range c.n.Cookies {
		cat, ok := c.n.ConsentCategory(k.Category)
		switch {
		case !ok:
			c.report(idx("cookie", i)+".category", "cookie."+k.Name, "cookie %q is in category %q, which is not a [[consent_category]]", k.Name, k.Category)
		case k.Name == c.n.Banner.Cookie && !cat.Necessary:
			c.report(idx("cookie", i)+".category", "cookie."+k.Name, "cookie %q stores the visitor's choice ([banner] cookie) but is in category %q: it must be in the necessary category, or a refusal could not be stored (it needs no consent as strictly necessary: %s)", k.Name, k.Category, c.n.EPrivacy().Necessary)
		}
	}
}

func (c *checker) consentBasis() {
	for i, p := range c.n.Purposes {
		cat, ok := c.n.ConsentCategory(p.Consent)
		switch {
		case p.Basis.Has("consent") && p.Consent == "" && len(p.ConsentGiven) == 0:
			c.report(idx("purpose", i)+".basis", "purpose."+p.Key, "purpose %q is based on consent but says neither where consent is given nor how it is withdrawn: name the cookie-banner category (consent = \"...\"), or say it with consent_given = %s and consent_withdrawal = %s", p.Key, c.stub(), c.stub())
		case p.Consent != "" && ok && cat.Necessary:
			c.report(idx("purpose", i)+".consent", "purpose."+p.Key, "purpose %q is gated by %q, the necessary category, which the visitor cannot refuse: name a category the banner asks about", p.Key, p.Consent)
		case p.Consent != "" && !p.Basis.Has("consent"):
			c.report(idx("purpose", i)+".basis", "purpose."+p.Key, "purpose %q is gated by consent category %q but rests on %s: a non-necessary category stores on the device only with consent (%s); set basis = \"consent\"", p.Key, p.Consent, strings.Join(p.Basis, " and "), c.n.EPrivacy().Consent)
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(c.n.Banner.ConsentMode)) {
		for _, k := range c.n.Banner.ConsentMode[typ] {
			if cat, ok := c.n.ConsentCategory(k); ok && cat.Necessary {
				c.report("banner.consent_mode."+typ, "banner.consent_mode."+typ, "Consent Mode %s maps to %q, the necessary category: it would be granted without consent", typ, k)
			}
		}
	}
}

func (c *checker) purposesFor(cat string) []string {
	var out []string
	for _, p := range c.n.Purposes {
		if p.Basis.Has("consent") && p.Consent == cat {
			out = append(out, p.Key)
		}
	}
	return out
}

func (c *checker) bannerPurposes() {
	for i, cat := range c.n.ConsentCategories {
		if cat.Necessary {
			continue
		}
		cookies := c.n.CookiesIn(cat.Key)
		if len(cookies) > 0 && len(c.purposesFor(cat.Key)) == 0 {
			names := make([]string, len(cookies))
			for j, k := range cookies {
				names[j] = k.Name
			}
			c.report(idx("consent_category", i), "consent_category."+cat.Key, "consent category %q sets cookies (%s) but no purpose based on consent names it: add a [[purpose]] basis = \"consent\", consent = %q stating why", cat.Key, strings.Join(names, ", "), cat.Key)
		}
	}
}

func (c *checker) emptyCategory() {
	for i, cat := range c.n.ConsentCategories {
		if !cat.Necessary && len(c.n.CookiesIn(cat.Key)) == 0 && len(c.purposesFor(cat.Key)) == 0 {
			c.report(idx("consent_category", i), "consent_category."+cat.Key, "consent category %q declares no cookies and no consent-based purpose: the banner asks for consent to nothing; declare its cookies and purpose, or remove it", cat.Key)
		}
	}
}

// relationshipEnd are the anchors at or after the end of the customer
// relationship. Periods counted from collection bound single records and are
// not compared.
var relationshipEnd = []string{"contract-end", "invoice-paid", "fiscal-year-end"}

func (c *checker) retentionConflict() {
	for _, d := range c.n.DataCategories {
		var rules []int
		for i, r := range c.n.Retention {
			if r.DurationText != "" && slices.Contains(r.DataCategories, d.Key) && slices.Contains(relationshipEnd, r.Anchor) {
				rules = append(rules, i)
			}
		}
		for x, i := range rules {
			for _, j := range rules[x+1:] {
				a, b := c.n.Retention[i], c.n.Retention[j]
				if a.Duration == b.Duration || len(a.Reason) > 0 || len(b.Reason) > 0 {
					continue
				}
				c.report(idx("retention", j)+".duration", "retention."+b.Key,
					"data category %q is kept %s after %s (retention %q) and %s after %s (retention %q) without a stated reason: align the periods or give reason = {...} on the exception",
					d.Key, a.DurationText, a.Anchor, a.Key, b.DurationText, b.Anchor, b.Key)
			}
		}
	}
}

var placeholderRE = regexp.MustCompile(`\{[a-z_.0-9-]+\}`)

// sameInEveryLanguage are the texts that are rightly the same in two
// languages: postal addresses, and proper names given as texts (the
// authority's and the DPO's names).
var sameInEveryLanguage = regexp.MustCompile(`(^|\.)(address|name)$`)

func (c *checker) translations() {
	langs := c.n.Meta.Languages
	names := c.properNames()
	c.eachText(func(path string, t notice.Text) {
		if sameInEveryLanguage.MatchString(path) {
			return
		}
		for x, a := range langs {
			for _, b := range langs[x+1:] {
				ta := strings.TrimSpace(t[a])
				if len(placeholderRE.ReplaceAllString(ta, "")) >= 30 && ta == strings.TrimSpace(t[b]) && !names[ta] {
					k := c.keyed(path)
					c.report(path+"."+b, k, "%s is the same in %q and %q: translate it", k, a, b)
				}
			}
		}
	})
}

// properNames are the names of the parties the notice names, which a
// text (a recipient's title, say) may rightly repeat in every language.
func (c *checker) properNames() map[string]bool {
	n := c.n
	out := map[string]bool{n.Controller.Name: true}
	for _, r := range n.Recipients {
		out[r.Name], out[r.DPFEntity] = true, true
	}
	for _, j := range n.JointControllers {
		out[j.Name] = true
	}
	if rp := n.Representative; rp != nil {
		out[rp.Name] = true
	}
	for _, k := range n.Cookies {
		out[k.Provider] = true
	}
	if a, ok := notice.LookupAuthority(n.Authority.Key); ok {
		for _, s := range a.Names {
			out[s] = true
		}
	}
	delete(out, "")
	return out
}

// registerWords find how a German text addresses the reader: the formal
// Ihr, Ihnen anywhere and Sie inside a sentence (opening one it may mean
// "they"), or the informal du, dich, dir, dein.
var (
	formalDE   = regexp.MustCompile(`\b(Ihr|Ihre|Ihrer|Ihrem|Ihren|Ihres|Ihnen)\b|[^.!?:\s]\s+(Sie)\b`)
	informalDE = regexp.MustCompile(`(?i)\b(du|dich|dir|dein|deine|deiner|deinem|deinen|deines)\b`)
)

func (c *checker) register() {
	re, fix := informalDE, `the page's strings say "Sie": write it so too, or set [notice] register = "informal"`
	if c.n.Meta.Informal() {
		re, fix = formalDE, `the page's strings say "du" (register = "informal"): write it so too, or leave register out`
	}
	c.eachText(func(path string, t notice.Text) {
		for _, l := range c.n.Meta.Languages {
			if baseLang(l) != "de" {
				continue
			}
			if m := re.FindStringSubmatch(t[l]); m != nil {
				word := m[1]
				if word == "" && len(m) > 2 {
					word = m[2]
				}
				k := c.keyed(path)
				c.report(path+"."+l, k, "%s addresses the reader with %q, but %s", k, word, fix)
				return
			}
		}
	})
}

// ---- staleness ----

// textRule reports each text (once per key path) matching re. A text is
// tried only when it holds one of words (lowercase), each a part of every
// match: the regular expressions backtrack, the test for words does not.
func (c *checker) textRule(re *regexp.Regexp, words []string, format string) {
	c.eachText(func(path string, t notice.Text) {
		for _, l := range c.n.Meta.Languages {
			if !containsAny(t[l], words) {
				continue
			}
			if m := re.FindString(t[l]); m != "" {
				k := c.keyed(path)
				c.report(path+"."+l, k, format, k, m)
				return
			}
		}
	})
}

var indexRE = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]`)

// keyed turns an index path into one by keys, as an editor names things
// and as [[accept]] targets them: "purpose[3].interests" becomes
// "purpose.direct-marketing.interests".
func (c *checker) keyed(path string) string {
	m := indexRE.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	i, _ := strconv.Atoi(m[2])
	key := ""
	switch m[1] {
	case "data_category":
		key = c.n.DataCategories[i].Key
	case "purpose":
		key = c.n.Purposes[i].Key
	case "retention":
		key = c.n.Retention[i].Key
	case "recipient":
		key = c.n.Recipients[i].Key
	case "right":
		key = c.n.Rights[i].Key
	case "consent_category":
		key = c.n.ConsentCategories[i].Key
	case "cookie":
		key = c.n.Cookies[i].Name
	case "history":
		key = c.n.History[i].Version
	case "joint_controller":
		key = c.n.JointControllers[i].Key
	case "section":
		key = c.n.Extra[i].Key
	}
	if key == "" {
		return path
	}
	return m[1] + "." + key + path[len(m[0]):]
}

var (
	datainspektionenRE = regexp.MustCompile(`Datainspektionen`)
	gdprDateRE         = regexp.MustCompile(`(?i)(\b(?:since|sedan|seit)\s+(?:dem\s+|den\s+)?)?\b25\.?\s+(maj|may|mai)\s+2018`)
	signedRE           = regexp.MustCompile(`(?i)(undertecknad av dig|skriftlig(t|en)? och (vara )?undertecknad|signed by you|in writing and (be )?signed)`)
	emailSMSRE         = regexp.MustCompile(`(?i)\b(e-post|epost|e-mail|email|sms|mms)\b`)
	sentenceRE         = regexp.MustCompile(`[^.!?;]+`)
)

// blockingTerms are, by language, the old data protection laws' word for
// what GDPR Art. 18 calls restriction (the Directive's "blocking": PUL's
// blockering, the Data Protection Act 1998's blocking, the old BDSG's
// Sperrung), the words that make a sentence speak of it as a right over
// data (next to rectification or erasure: a browser blocking cookies is
// not it), and GDPR's word. A language without an entry has no rule.
var blockingTerms = map[string]struct {
	term, context *regexp.Regexp
	now           string
}{
	"sv": {regexp.MustCompile(`(?i)\b(blockade|blockera\w*|blockering\w*)\b`), regexp.MustCompile(`(?i)\b(rätta\w*|rättelse|radera\w*|radering|utplån\w*|personuppgift\w*)`), "begränsning"},
	"en": {regexp.MustCompile(`(?i)\b(blocked|blocking|block)\b`), regexp.MustCompile(`(?i)\b(rectif\w*|eras\w*|delet\w*|destr(oy|uction)\w*)`), "restriction"},
	"de": {regexp.MustCompile(`(?i)\b(sperrung|sperren|gesperrt)\b`), regexp.MustCompile(`(?i)(berichtig\w*|lösch\w*)`), "Einschränkung"},
}

func (c *checker) staleAuthority() {
	imy, _ := notice.LookupAuthority("imy")
	c.eachText(func(path string, t notice.Text) {
		for _, l := range c.n.Meta.Languages {
			if m := datainspektionenRE.FindString(t[l]); m != "" {
				k := c.keyed(path)
				c.report(path+"."+l, k, "%s names %q, renamed Integritetsskyddsmyndigheten (IMY) on 2021-01-01: write %s", k, m, imy.Name(l))
				return
			}
		}
	})
}

func (c *checker) staleGDPRDate() {
	c.eachText(func(path string, t notice.Text) {
		for _, l := range c.n.Meta.Languages {
			if !strings.Contains(t[l], "2018") {
				continue
			}
			// "since 25 May 2018" states history; "from 25 May 2018" is
			// a note written before it.
			for _, m := range gdprDateRE.FindAllStringSubmatch(t[l], -1) {
				if m[1] == "" {
					k := c.keyed(path)
					c.report(path+"."+l, k, "%s notes %q: GDPR has applied since 25 May 2018; remove the note", k, strings.TrimSpace(m[0]))
					return
				}
			}
		}
	})
}

func (c *checker) staleBlocking() {
	c.eachText(func(path string, t notice.Text) {
		for _, l := range c.n.Meta.Languages {
			bt, ok := blockingTerms[baseLang(l)]
			if !ok || !containsAny(t[l], []string{"block", "sperr"}) {
				continue
			}
			for _, sentence := range sentenceRE.FindAllString(t[l], -1) {
				if m := bt.term.FindString(sentence); m != "" && bt.context.MatchString(sentence) {
					k := c.keyed(path)
					c.report(path+"."+l, k, "%s says %q, the term of the old data protection law: GDPR Art. 18 speaks of restriction of processing (%s)", k, m, bt.now)
					return
				}
			}
		}
	})
}

func (c *checker) staleSignedRequest() {
	c.textRule(signedRE, []string{"undertecknad", "signed"}, "%s requires a signed written request (%q), the old PUL rule: accept requests by e-mail too and answer electronic requests electronically (Art. 12(3))")
}

func (c *checker) marketingConsent() {
	for i, p := range c.n.Purposes {
		if !p.Basis.Has("legitimate-interests") || p.Basis.Has("consent") || !hasDPV(p, "dpv:DirectMarketing") {
			continue
		}
		for _, l := range c.n.Meta.Languages {
			if m := emailSMSRE.FindString(p.Description[l] + " " + p.Interests[l]); m != "" {
				c.report(idx("purpose", i)+".basis", "purpose."+p.Key, "purpose %q markets by %s on legitimate interests: e-mail and SMS marketing needs prior consent (%s) except to existing customers for similar products with an opt-out; say so, or base it on consent", p.Key, m, c.n.EPrivacy().Marketing)
				break
			}
		}
	}
}

// baseLang is the language subtag of a tag ("de" of "de-AT").
func baseLang(tag string) string {
	b, _, _ := strings.Cut(strings.ToLower(tag), "-")
	return b
}

// swedishOrgNr is the written form of a Swedish organisation number.
var swedishOrgNr = regexp.MustCompile(`^(\d{2})?\d{6}-\d{4}$`)

func (c *checker) orgNrPersonalID() {
	raw := c.n.Controller.OrgNr
	// A Swedish rule: for a Swedish controller, or one whose notice names
	// no country and writes the number in the Swedish form.
	if home := c.n.ControllerCountry(); home != "SE" && (home != "" || !swedishOrgNr.MatchString(strings.TrimSpace(raw))) {
		return
	}
	var d []byte
	for i := 0; i < len(raw); i++ {
		if raw[i] >= '0' && raw[i] <= '9' {
			d = append(d, raw[i])
		}
	}
	if len(d) == 12 {
		d = d[2:]
	}
	if len(d) != 10 {
		return
	}
	month := int(d[2]-'0')*10 + int(d[3]-'0')
	day := int(d[4]-'0')*10 + int(d[5]-'0')
	if month >= 1 && month <= 12 && ((day >= 1 && day <= 31) || (day >= 61 && day <= 91)) {
		c.report("controller.org_nr", "controller.org_nr", "org_nr %q has the form of a personnummer (a sole trader's organisation number is the owner's): publishing it publishes a personal identity number; consider a VAT or other registration number", raw)
	}
}

func (c *checker) versionDate() {
	m := c.n.Meta
	if m.Version == "" {
		c.report("notice", "notice.version", "[notice] has no version: add version = \"...\"")
	}
	if m.EffectiveDate.IsZero() {
		c.report("notice", "notice.effective_date", "[notice] has no effective_date: add effective_date = YYYY-MM-DD, shown with the notice")
	}
	if m.Version == "" {
		return
	}
	for _, h := range c.n.History {
		if h.Version == m.Version {
			return
		}
	}
	c.report("notice.version", "history", "[[history]] does not list the current version %q: add an entry with its date and summary", m.Version)
}

// ---- acceptance ----

func (c *checker) accept() {
	c.rule, _ = RuleByID(RuleAcceptUnused)
	used := make([]bool, len(c.n.Accepted))
	for i := range c.ds {
		d := &c.ds[i]
		for j, a := range c.n.Accepted {
			if a.Rule == d.Rule && (a.Target == "" || a.Target == d.Target || strings.HasPrefix(d.Target, a.Target+".")) {
				d.Accepted = acceptedText(a)
				used[j] = true
				break
			}
		}
	}
	for j, a := range c.n.Accepted {
		target := "accept." + a.Rule
		if a.Target != "" {
			target += "." + a.Target
		}
		switch _, known := RuleByID(a.Rule); {
		case !known:
			c.reportAt(a.At, target, "[[accept]] names unknown rule %q (see integritet lint -rules)", a.Rule)
		case !used[j] && a.Target != "":
			c.reportAt(a.At, target, "[[accept]] of %s for %q matches no finding: remove it, or fix the target", a.Rule, a.Target)
		case !used[j]:
			c.reportAt(a.At, target, "[[accept]] of %s matches no finding: remove it", a.Rule)
		}
	}
}

func acceptedText(a notice.Acceptance) string {
	s := a.Reason
	var who []string
	if a.By != "" {
		who = append(who, a.By)
	}
	if !a.Date.IsZero() {
		who = append(who, a.Date.String())
	}
	if len(who) > 0 {
		s += " (" + strings.Join(who, ", ") + ")"
	}
	if s == "" {
		s = "no reason given"
	}
	return s
}

// containsAny reports whether s, lowercased, holds one of words.
func containsAny(s string, words []string) bool {
	l := strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
