package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/integritet/integritet/notice"
)

// Check runs every rule on a loaded notice and returns the findings sorted
// by position. Findings matched by an [[accept]] entry carry its reason in
// Accepted and do not count as errors; an entry that matches nothing is a
// warning of its own.
func Check(n *notice.Notice) notice.Diagnostics {
	c := &checker{n: n}
	for _, r := range Rules() {
		if r.check == nil {
			continue
		}
		c.rule = r
		r.check(c)
	}
	c.accept()
	c.ds.Sort()
	return c.ds
}

// Strict returns ds with every warning that was not accepted turned into an
// error (lint -strict).
func Strict(ds notice.Diagnostics) notice.Diagnostics {
	out := make(notice.Diagnostics, len(ds))
	for i, d := range ds {
		if d.Severity == notice.Warning && d.Accepted == "" {
			d.Severity = notice.Error
		}
		out[i] = d
	}
	return out
}

type checker struct {
	n    *notice.Notice
	rule Rule
	ds   notice.Diagnostics
	// texts are the notice's texts with their key paths, walked once for
	// all the rules that read every text.
	texts []keyedText
}

type keyedText struct {
	path string
	t    notice.Text
}

// eachText calls f for every text of the notice, as notice.EachText does.
func (c *checker) eachText(f func(path string, t notice.Text)) {
	if c.texts == nil {
		c.texts = []keyedText{}
		c.n.EachText(func(path string, t notice.Text) { c.texts = append(c.texts, keyedText{path, t}) })
	}
	for _, kt := range c.texts {
		f(kt.path, kt.t)
	}
}

// report adds a finding of the current rule at the key path where (an index
// path such as "purpose[2].basis", for the position) about target (a key
// path by keys, such as "purpose.security", for [[accept]]).
func (c *checker) report(where, target, format string, args ...any) {
	c.reportAt(c.n.Where(where), target, format, args...)
}

// warn adds a finding of the current rule as a warning, for the lesser
// cases of a rule whose findings are errors.
func (c *checker) warn(where, target, format string, args ...any) {
	c.report(where, target, format, args...)
	c.ds[len(c.ds)-1].Severity = notice.Warning
}

// fail adds a finding of the current rule as an error, for the graver
// cases of a rule whose findings are warnings.
func (c *checker) fail(where, target, format string, args ...any) {
	c.report(where, target, format, args...)
	c.ds[len(c.ds)-1].Severity = notice.Error
}

func (c *checker) reportAt(pos notice.Pos, target, format string, args ...any) {
	c.ds = append(c.ds, notice.Diagnostic{
		Pos:      pos,
		Severity: c.rule.Severity,
		Rule:     c.rule.ID,
		Message:  fmt.Sprintf(format, args...),
		Target:   target,
	})
}

func idx(table string, i int) string { return fmt.Sprintf("%s[%d]", table, i) }

func hasDPV(p notice.Purpose, terms ...string) bool {
	for _, t := range p.DPV {
		if slices.Contains(terms, t) {
			return true
		}
	}
	return false
}

// ---- completeness ----

var digitRE = regexp.MustCompile(`[0-9]`)

func (c *checker) controllerContact() {
	ct := c.n.Controller
	if ct.Email == "" && ct.Phone == "" {
		c.report("controller", "controller.email", "[controller] gives no e-mail address or telephone number: add email = \"...\" so people can reach the controller")
	}
	if len(ct.Address) == 0 {
		c.report("controller", "controller.address", "[controller] gives no postal address: add address = %s", c.stub())
		return
	}
	for _, l := range c.n.Meta.Languages {
		if a := ct.Address[l]; a != "" && !digitRE.MatchString(a) {
			c.report("controller.address."+l, "controller.address", "controller.address %q is not a postal address (no street number or postcode): state the address itself", a)
			return
		}
	}
}

func (c *checker) legalBasis() {
	used := map[string]bool{}
	for i, p := range c.n.Purposes {
		for _, k := range p.DataCategories {
			used[k] = true
		}
		if len(p.Basis) == 0 {
			c.report(idx("purpose", i), "purpose."+p.Key, "purpose %q states no legal basis: add basis = \"contract\", \"legal-obligation\", \"legitimate-interests\" or \"consent\" (or several, as an array)", p.Key)
		}
		if p.Basis.Has("legal-obligation") {
			law := p.Law != ""
			for _, rk := range p.Retention {
				if r, ok := c.n.RetentionFor(rk); ok && r.Law != "" {
					law = true
				}
			}
			if !law {
				c.report(idx("purpose", i)+".basis", "purpose."+p.Key, "purpose %q rests on a legal obligation but names no law: give law = \"...\" on the purpose or on one of its retention rules", p.Key)
			}
		}
	}
	for i, d := range c.n.DataCategories {
		if !used[d.Key] {
			c.report(idx("data_category", i), "data_category."+d.Key, "data category %q is processed for no purpose, so on no legal basis: add it to a purpose's data_categories or remove it", d.Key)
		}
	}
}

func (c *checker) legitimateInterests() {
	for i, p := range c.n.Purposes {
		if p.Basis.Has("legitimate-interests") && len(p.Interests) == 0 {
			c.report(idx("purpose", i)+".basis", "purpose."+p.Key, "purpose %q rests on legitimate interests but does not state them: add interests = %s", p.Key, c.stub())
		}
	}
}

func (c *checker) basisFitsPurpose() {
	for i, p := range c.n.Purposes {
		if !p.Basis.Has("contract") || p.Basis.Has("legitimate-interests") {
			continue
		}
		var what []string
		if hasDPV(p, "dpv:EnforceSecurity", "dpv:FraudPreventionAndDetection") {
			what = append(what, "security and fraud prevention (recitals 47, 49)")
		}
		if hasDPV(p, "dpv:CustomerSolvencyMonitoring") {
			what = append(what, "credit checks")
		}
		if len(what) > 0 {
			c.report(idx("purpose", i)+".basis", "purpose."+p.Key, "purpose %q covers %s on basis \"contract\": these rest on legitimate interests; use basis = \"legitimate-interests\" with interests (in a purpose of their own if needed)", p.Key, strings.Join(what, " and "))
		}
	}
}

func (c *checker) recipients() {
	if len(c.n.Recipients) == 0 {
		c.report("notice", "recipient", "no [[recipient]]: state who receives the data (processors, authorities, others), or say that nobody does")
		return
	}
	named := map[string]bool{}
	for _, p := range c.n.Purposes {
		for _, r := range p.Recipients {
			named[r] = true
		}
	}
	for i, r := range c.n.Recipients {
		if !named[r.Key] {
			c.report(idx("recipient", i), "recipient."+r.Key, "recipient %q is named by no purpose: add it to the recipients of the purposes that disclose to it", r.Key)
		}
	}
	for i, p := range c.n.Purposes {
		if !hasDPV(p, "dpv:CustomerSolvencyMonitoring") {
			continue
		}
		third := false
		for _, rk := range p.Recipients {
			for _, r := range c.n.Recipients {
				if r.Key == rk && r.Kind == "third-party" {
					third = true
				}
			}
		}
		if !third {
			c.report(idx("purpose", i)+".recipients", "purpose."+p.Key, "purpose %q makes credit checks but names no credit bureau among its recipients: add a [[recipient]] kind = \"third-party\" for it", p.Key)
		}
	}
}

func (c *checker) retention() {
	kept := map[string]bool{}
	for i, p := range c.n.Purposes {
		if len(p.Retention) == 0 {
			c.report(idx("purpose", i), "purpose."+p.Key, "purpose %q states no retention: add retention = [...] naming how long its data is kept", p.Key)
		}
		for _, k := range p.Retention {
			kept[k] = true
		}
	}
	for _, r := range c.n.Rights {
		for _, l := range c.n.Meta.Languages {
			for _, rr := range c.n.Retention {
				if strings.Contains(r.Text[l], "{retention."+rr.Key+"}") {
					kept[rr.Key] = true
				}
			}
		}
	}
	for i, r := range c.n.Retention {
		switch {
		case len(r.DataCategories) == 0 && !kept[r.Key]:
			c.report(idx("retention", i), "retention."+r.Key, "retention rule %q names no data categories and no purpose keeps it: add data_categories and name it in the retention of the purpose it serves", r.Key)
		case len(r.DataCategories) == 0:
			c.report(idx("retention", i), "retention."+r.Key, "retention rule %q names no data categories: add data_categories = [...]", r.Key)
		case !kept[r.Key]:
			c.report(idx("retention", i), "retention."+r.Key, "retention rule %q belongs to no purpose: name it in the retention of the purpose it serves", r.Key)
		}
		// A period runs from an event, and so does an upper bound: "at
		// most 6 months" from when is as open as "6 months".
		if (r.Shape() == notice.ShapePeriod || r.Shape() == notice.ShapeBound) && r.Anchor == "" {
			period := r.DurationText
			if r.Shape() == notice.ShapeBound {
				period = "at most " + period
			}
			c.report(idx("retention", i)+".duration", "retention."+r.Key, "retention rule %q keeps data for %s without saying from when: give anchor = \"...\" (one of %s)", r.Key, period, strings.Join(notice.Anchors.Keys(), ", "))
		}
	}
}

// lawPeriods are laws whose retention period is fixed, by a pattern of
// their name as notices write it.
var lawPeriods = []struct {
	name   *regexp.Regexp
	period string
}{
	{regexp.MustCompile(`(?i)bokföringslag|1999:1078`), "7 kap. 2 §: accounting records 7 years after the end of the calendar year in which the fiscal year ended; anchor = \"fiscal-year-calendar-end\", duration = \"P7Y\""},
	{regexp.MustCompile(`(?i)penningtvättslag|2017:630`), "3 kap. 1 §: due-diligence records 5 years after the business relationship ended; anchor = \"contract-end\", duration = \"P5Y\""},
}

// lawPeriod asks for the period of a law that has a fixed one where a
// rule keeps data "until" the law no longer requires it.
func (c *checker) lawPeriod() {
	for i, r := range c.n.Retention {
		if r.Shape() != notice.ShapeUntil {
			continue
		}
		// The law is the rule's own, or that of a purpose keeping data
		// under the rule "as the law requires".
		law, where := r.Law, idx("retention", i)+".law"
		if law == "" && r.Until == "legal-requirement" {
			for _, p := range c.n.Purposes {
				if p.Law != "" && slices.Contains(p.Retention, r.Key) {
					law, where = p.Law, idx("retention", i)+".until"
					break
				}
			}
		}
		if law == "" {
			continue
		}
		for _, l := range lawPeriods {
			if l.name.MatchString(law) {
				c.report(where, "retention."+r.Key, "retention rule %q keeps data until an event (until = %q) under %s without saying how long, though that law fixes the period (%s): state it", r.Key, r.Until, law, l.period)
				break
			}
		}
	}
}

// gdprRE matches the GDPR as notices name it, in the languages of the
// built-in UI strings and a few more.
var gdprRE = regexp.MustCompile(`(?i)\b(U?K GDPR|GDPR|DSGVO|RGPD|AVG|2016/679|dataskyddsförordning\w*|Datenschutz-Grundverordnung)\b`)

// retentionLaw flags a rule whose law is the GDPR, which sets no period:
// the table would show it as a statutory requirement.
func (c *checker) retentionLaw() {
	for i, r := range c.n.Retention {
		if m := gdprRE.FindString(r.Law); m != "" {
			c.report(idx("retention", i)+".law", "retention."+r.Key, "retention rule %q gives %q as the law that sets its period, but the %s sets no retention period: say why the data is kept so long in reason = %s, and name the obligation as the law of the purpose it serves", r.Key, r.Law, m, c.stub())
		}
	}
}

// retentionCoverage asks for a rule for every data category a purpose
// processes: a rule that covers only some items of a category (items = [...])
// leaves the rest of it without one.
func (c *checker) retentionCoverage() {
	for i, p := range c.n.Purposes {
		for j, k := range p.DataCategories {
			covered := false
			for _, rk := range p.Retention {
				if r, ok := c.n.RetentionFor(rk); ok && r.Covers(k) && len(r.Items) == 0 {
					covered = true
				}
			}
			if !covered && len(p.Retention) > 0 {
				c.report(fmt.Sprintf("%s.data_categories[%d]", idx("purpose", i), j), "purpose."+p.Key, "purpose %q processes data category %q, but none of its retention rules covers it as a whole: add a rule for %q to its retention", p.Key, k, k)
			}
		}
	}
	for i, r := range c.n.Retention {
		if r.Indefinite && len(r.Reason) == 0 {
			c.report(idx("retention", i)+".indefinite", "retention."+r.Key, "retention rule %q keeps data indefinitely without saying why: give reason = %s (Art. 5(1)(e) allows it only as long as needed)", r.Key, c.stub())
		}
	}
}

// special asks every purpose that processes special categories of data
// (Art. 9(1)) for its Art. 9(2) condition, and one that processes
// criminal-offence data (Art. 10) for the law that authorises it.
func (c *checker) special() {
	for i, p := range c.n.Purposes {
		var art9, art10 []string
		for _, k := range p.DataCategories {
			d, _ := c.n.DataCategory(k)
			for _, s := range d.Specials() {
				if s == "criminal" {
					art10 = append(art10, k)
				} else {
					art9 = append(art9, k+" ("+s+")")
				}
			}
		}
		pp := idx("purpose", i)
		switch {
		case len(art9) > 0 && len(p.Special) == 0:
			c.report(pp+".data_categories", "purpose."+p.Key, "purpose %q processes special categories of data (%s) but states no Art. 9(2) condition: add special_conditions = [...] (one of %s)", p.Key, strings.Join(art9, ", "), strings.Join(notice.Art9Conditions.Keys(), ", "))
		case len(art9) == 0 && len(p.Special) > 0:
			c.warn(pp+".special_conditions", "purpose."+p.Key, "purpose %q states an Art. 9(2) condition but processes no data marked special: mark the data category (special = \"...\") or remove the condition", p.Key)
		}
		if len(art10) > 0 && p.Law == "" {
			c.report(pp+".data_categories", "purpose."+p.Key, "purpose %q processes criminal-offence data (%s), which Art. 10 allows only under official authority or where a law authorises it: name the law (law = \"...\")", p.Key, strings.Join(art10, ", "))
		}
	}
	if ch := c.n.Children; ch.MinAge > 0 && len(ch.Check) == 0 {
		c.warn("children.min_age", "children", "[children] sets min_age = %d but does not say how age is checked or a parent's consent obtained (Art. 8(2)): add check = %s", ch.MinAge, c.stub())
	}
}

// requiredRights are the rights every notice states (withdraw-consent only
// when something is based on consent).
var requiredRights = []struct{ key, art string }{
	{"access", "Art. 15"}, {"rectification", "Art. 16"}, {"erasure", "Art. 17"},
	{"restriction", "Art. 18"}, {"objection", "Art. 21"}, {"portability", "Art. 20"},
	{"withdraw-consent", "Art. 7(3)"}, {"complaint", "Art. 77"},
}

func (c *checker) rights() {
	consent := len(c.n.OptionalCategories()) > 0
	for _, p := range c.n.Purposes {
		if p.Basis.Has("consent") {
			consent = true
		}
	}
	where := "notice"
	if len(c.n.Rights) > 0 {
		where = idx("right", len(c.n.Rights)-1)
	}
	// Art. 21(4): where processing rests on legitimate interests or a
	// public task (Art. 21(1)), or serves direct marketing (21(2)), the
	// right to object must be brought to the person's attention
	// explicitly: its absence is an error.
	var objectable []string
	for _, p := range c.n.Purposes {
		if p.Basis.Has("legitimate-interests") || p.Basis.Has("public-task") || hasDPV(p, "dpv:DirectMarketing") {
			objectable = append(objectable, p.Key)
		}
	}
	for _, r := range requiredRights {
		if r.key == "withdraw-consent" && !consent {
			continue
		}
		if _, ok := c.n.Right(r.key); ok {
			continue
		}
		if r.key == "objection" && len(objectable) > 0 {
			c.fail(where, "right."+r.key, "the right %q (%s) is not stated, though purposes rest on legitimate interests or a public task or serve direct marketing (%s): Art. 21(4) requires it to be brought to the person's attention explicitly; add a [[right]] key = %q", r.key, r.art, strings.Join(objectable, ", "), r.key)
			continue
		}
		why := ""
		if r.key == "withdraw-consent" {
			why = " (the cookie banner and consent-based purposes ask for consent)"
		}
		c.report(where, "right."+r.key, "the right %q (%s) is not stated%s: add a [[right]] key = %q", r.key, r.art, why, r.key)
	}
}

func (c *checker) requirement() {
	var missing []int
	stated := false
	for i, p := range c.n.Purposes {
		stated = stated || len(p.Requirement) > 0
		if (p.Basis.Has("contract") || p.Basis.Has("legal-obligation")) && len(p.Requirement) == 0 {
			missing = append(missing, i)
		}
	}
	switch {
	case len(missing) == 0:
	case !stated:
		// Nothing says it anywhere: one finding for the notice, not one
		// per purpose.
		keys := make([]string, len(missing))
		for j, i := range missing {
			keys[j] = c.n.Purposes[i].Key
		}
		c.report(idx("purpose", missing[0]), "requirement", "no purpose says whether providing the data is a statutory or contractual requirement and what happens if it is not: add requirement = %s to each purpose that rests on the contract or a legal obligation (%s)", c.stub(), strings.Join(keys, ", "))
	default:
		for _, i := range missing {
			p := c.n.Purposes[i]
			c.report(idx("purpose", i)+".basis", "purpose."+p.Key, "purpose %q rests on %s but does not say whether providing the data is required and what happens if it is not: add requirement = %s", p.Key, strings.Join(p.Basis, " and "), c.stub())
		}
	}
	c.copiedRequirement()
}

// copiedWords is how many words a requirement has before a copy of it in
// another purpose is taken for one: a formula such as "Krävs enligt lag."
// may fit two purposes alike.
const copiedWords = 10

// copiedRequirement flags a purpose whose requirement, in the default
// language, is another purpose's word for word: it says what holds for the
// other purpose (FRAMSTEGET's security purpose repeats the first one's
// "betalningsskyldighet kvarstår").
func (c *checker) copiedRequirement() {
	lang := c.n.Meta.DefaultLanguage
	first := map[string]string{}
	for i, p := range c.n.Purposes {
		s := strings.Join(strings.Fields(p.Requirement[lang]), " ")
		if len(strings.Fields(s)) < copiedWords {
			continue
		}
		if k, ok := first[s]; ok {
			c.report(idx("purpose", i)+".requirement", "purpose."+p.Key, "purpose %q states word for word the requirement of purpose %q (%q): say what providing the data means for this purpose", p.Key, k, opening(s, 8))
			continue
		}
		first[s] = p.Key
	}
}

// opening is the first n words of s, with "..." where it goes on.
func opening(s string, n int) string {
	w := strings.Fields(s)
	if len(w) <= n {
		return s
	}
	return strings.Join(w[:n], " ") + " ..."
}

// stub is an empty text in the notice's own languages, for a suggested
// fix: {sv = "...", en = "..."}.
func (c *checker) stub() string {
	parts := make([]string, len(c.n.Meta.Languages))
	for i, l := range c.n.Meta.Languages {
		parts[i] = l + ` = "..."`
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (c *checker) automatedDecisions() {
	if _, ok := c.n.Right("automated-decisions"); ok {
		return
	}
	for i, p := range c.n.Purposes {
		if len(p.Automated) > 0 {
			continue
		}
		var what string
		switch {
		case hasDPV(p, "dpv:CustomerSolvencyMonitoring"):
			what = "credit checks"
		case hasDPV(p, "dpv:DirectMarketing"):
			what = "direct marketing"
		default:
			continue
		}
		c.report(idx("purpose", i), "purpose."+p.Key, "purpose %q involves %s but does not say whether decisions are automated or profiles are made: add automated = %s", p.Key, what, c.stub())
	}
}

// thirdPartyData are personal-data terms usually obtained from someone else.
var thirdPartyData = []string{"pd:CreditWorthiness", "pd:CreditRecord", "pd:CreditScore", "pd:CreditStanding"}

func (c *checker) dataSource() {
	for i, d := range c.n.DataCategories {
		if len(d.Source) > 0 {
			continue
		}
		if d.Origin == "obtained" {
			c.report(idx("data_category", i), "data_category."+d.Key, "data category %q is obtained from others (origin = \"obtained\") but names no source: add source = %s", d.Key, c.stub())
			continue
		}
		for _, e := range d.Examples {
			if slices.Contains(thirdPartyData, e.DPV) {
				c.report(idx("data_category", i), "data_category."+d.Key, "data category %q (%s) is not collected from the person but names no source: add source = %s (for example the credit bureau)", d.Key, e.DPV, c.stub())
				break
			}
		}
	}
}

// ---- unfilled placeholders ----

var todoRE = regexp.MustCompile(`\bTODO\b`)

// unfilled reports every text and fact that still holds a TODO marker, as
// `integritet init` writes them, so that a new site cannot be published
// before it is filled in.
func (c *checker) unfilled() {
	c.eachText(func(path string, t notice.Text) {
		for _, l := range c.n.Meta.Languages {
			if todoRE.MatchString(t[l]) {
				k := c.keyed(path)
				c.report(path+"."+l, k, "%s still says TODO: fill it in (%q)", k, short(t[l]))
				return
			}
		}
	})
	n := c.n
	facts := []struct{ path, v string }{
		{"notice.version", n.Meta.Version}, {"notice.base_url", n.Meta.BaseURL},
		{"controller.name", n.Controller.Name}, {"controller.org_nr", n.Controller.OrgNr},
		{"controller.email", n.Controller.Email}, {"controller.phone", n.Controller.Phone},
		{"controller.url", n.Controller.URL}, {"banner.cookie", n.Banner.Cookie},
		{"dpo.name", n.DPO.Name.Plain},
	}
	for i, r := range n.Recipients {
		facts = append(facts, struct{ path, v string }{idx("recipient", i) + ".name", r.Name}, struct{ path, v string }{idx("recipient", i) + ".dpf_entity", r.DPFEntity})
	}
	for i, k := range n.Cookies {
		facts = append(facts, struct{ path, v string }{idx("cookie", i) + ".provider", k.Provider}, struct{ path, v string }{idx("cookie", i) + ".name", k.Name})
	}
	for i, r := range n.Retention {
		facts = append(facts, struct{ path, v string }{idx("retention", i) + ".law", r.Law})
	}
	for _, f := range facts {
		if todoRE.MatchString(f.v) {
			k := c.keyed(f.path)
			c.report(f.path, k, "%s still says TODO: fill it in (%q)", k, short(f.v))
		}
	}
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
