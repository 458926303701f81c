package export

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/integritet/integritet/notice"
)

// recordRow is one processing activity of the Art. 30(1) record: one per
// purpose, in the notice's default language.
type recordRow struct {
	purpose, title, basis, subjects, data, recipients, transfers, joint, erasure, security string
}

func recordRows(n *notice.Notice) []recordRow {
	lang := n.Meta.DefaultLanguage
	security := oneLine(n.Sections.Security[lang])
	var out []recordRow
	for _, p := range n.Purposes {
		var data, recs []string
		for _, k := range p.DataCategories {
			if d, ok := n.DataCategory(k); ok {
				t := d.Title[lang]
				if sp := d.Specials(); len(sp) > 0 {
					t += " (special categories: " + strings.Join(sp, ", ") + ")"
				}
				data = append(data, t)
			}
		}
		for _, k := range p.Recipients {
			if r, ok := n.Recipient(k); ok {
				recs = append(recs, recipientLine(n, r))
			}
		}
		out = append(out, recordRow{
			purpose: p.Key, title: p.Title[lang], basis: basisLine(n, p), subjects: subjectsLine(n, p),
			data: strings.Join(data, "; "), recipients: strings.Join(recs, "; "),
			transfers: purposeTransfers(n, p), joint: jointLine(n, p), erasure: erasureLine(n, p), security: security,
		})
	}
	return out
}

// basisLine states the purpose's legal bases with the case each is limited
// to: "consent (Article 6(1)(a) GDPR) where storage (§ 25 Abs. 1
// TDDDG); legitimate-interests (Article 6(1)(f) GDPR) otherwise", cited as
// the English page cites (the record is in English), then the stated
// ePrivacy rule of consent given in the banner and the Art. 9(2) conditions.
func basisLine(n *notice.Notice, p notice.Purpose) string {
	lang := n.Meta.DefaultLanguage
	rule, stated := n.EPrivacyStated()
	var bases, otherwise []string
	storage := false
	for _, k := range p.Basis {
		t, ok := notice.LegalBases.Lookup(k)
		if !ok {
			continue
		}
		s := k + " (" + n.Cite("en", t.Article) + ")"
		c, limited := p.Condition(k)
		switch {
		case limited:
			when := c.When
			if w := c.Text[lang]; w != "" {
				when = strconv.Quote(w)
			}
			s += " where " + when
			if c.When == "storage" {
				storage = true
				if stated {
					s += " (" + rule.Consent + ")"
				}
			}
		case p.Otherwise(k):
			otherwise = append(otherwise, s+" otherwise")
			continue
		}
		bases = append(bases, s)
	}
	bases = append(bases, otherwise...)
	if stated && p.Consent != "" && !storage {
		bases = append(bases, "storage on the device: consent ("+rule.Consent+")")
	}
	for _, k := range p.Special {
		if t, ok := notice.Art9Conditions.Lookup(k); ok {
			bases = append(bases, k+" ("+n.Cite("en", t.Article)+")")
		}
	}
	if len(bases) == 0 {
		return "not stated"
	}
	return strings.Join(bases, "; ")
}

// subjectsLine names the categories of data subjects (Art. 30(1)(c)): the
// notice's words, with the standard categories after them.
func subjectsLine(n *notice.Notice, p notice.Purpose) string {
	words, types := p.DataSubjects[n.Meta.DefaultLanguage], strings.Join(p.SubjectTypes, ", ")
	switch {
	case words != "" && types != "":
		return words + " (" + types + ")"
	case words != "":
		return words
	case types != "":
		return types
	}
	return "not stated"
}

// erasureLine is the envisaged time limits for erasure of each category of
// the purpose's data (Art. 30(1)(f)): "Kunduppgifter: rule: limit; rule:
// limit. Kreditupplysningsinformation: ...". A rule of the purpose that
// covers none of its categories is listed after them.
func erasureLine(n *notice.Notice, p notice.Purpose) string {
	lang := n.Meta.DefaultLanguage
	var out []string
	listed := map[string]bool{}
	for _, k := range p.DataCategories {
		d, _ := n.DataCategory(k)
		var rules []string
		for _, rk := range p.Retention {
			if r, ok := n.RetentionFor(rk); ok && r.Covers(k) {
				rules = append(rules, retentionSummary(r, lang))
				listed[rk] = true
			}
		}
		if len(rules) == 0 {
			rules = []string{"not stated"}
		}
		out = append(out, d.Title[lang]+": "+strings.Join(rules, "; "))
	}
	for _, rk := range p.Retention {
		if r, ok := n.RetentionFor(rk); ok && !listed[rk] {
			out = append(out, retentionSummary(r, lang))
		}
	}
	return strings.Join(out, ". ")
}

func retentionSummary(r notice.Retention, lang string) string {
	s := r.Key + ": " + r.SummaryIn(lang)
	if len(r.Items) > 0 {
		s += " (" + strings.Join(r.Items, ", ") + " only)"
	}
	if r.Law != "" {
		s += " (" + r.Law + ")"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func controllerLine(n *notice.Notice) string {
	c := n.Controller
	parts := []string{c.Name}
	if c.OrgNr != "" {
		parts = append(parts, "org. nr "+c.OrgNr)
	}
	if c.Email != "" {
		parts = append(parts, c.Email)
	}
	if a := c.Address[n.Meta.DefaultLanguage]; a != "" {
		parts = append(parts, a)
	}
	if c.Country != "" {
		parts = append(parts, c.Country)
	}
	return strings.Join(parts, ", ")
}

// RecordCSV is the Art. 30(1) record of processing as CSV, one row per
// processing activity (purpose). Not published.
func RecordCSV(n *notice.Notice) ([]byte, error) {
	rows := [][]string{{"controller", "representative", "dpo", "purpose", "title", "joint_controllers", "legal_basis", "data_subjects", "personal_data", "recipients", "third_country_transfers", "erasure", "security", "notice_version"}}
	for _, r := range recordRows(n) {
		rows = append(rows, []string{controllerLine(n), representativeLine(n), dpoLine(n), r.purpose, r.title, r.joint, r.basis, r.subjects, r.data, r.recipients, r.transfers, r.erasure, r.security, n.Meta.Version})
	}
	return writeCSV(rows)
}

// RecordMarkdown is the Art. 30(1) record of processing as Markdown, for
// people. Not published.
func RecordMarkdown(n *notice.Notice) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Record of processing activities (%s)\n\n", n.Cite("en", "30(1)"))
	fmt.Fprintf(&b, "- Controller: %s\n", md(controllerLine(n)))
	if rp := representativeLine(n); rp != "" {
		fmt.Fprintf(&b, "- Representative (Art. 27): %s\n", md(rp))
	}
	for _, j := range n.JointControllers {
		fmt.Fprintf(&b, "- Joint controller (Art. 26): %s\n", md(jointControllerLine(n, j)))
	}
	fmt.Fprintf(&b, "- Data protection officer: %s\n- Notice version: %s", md(dpoLine(n)), md(n.Meta.Version))
	if d := n.Meta.EffectiveDate.String(); d != "" {
		fmt.Fprintf(&b, " (effective %s)", d)
	}
	fmt.Fprintf(&b, "\n\n| Purpose | Legal basis | Data subjects | Personal data | Recipients | Third-country transfers | Erasure |\n|---|---|---|---|---|---|---|\n")
	for _, r := range recordRows(n) {
		fmt.Fprintf(&b, "| %s (`%s`) | %s | %s | %s | %s | %s | %s |\n", md(r.title), r.purpose, md(r.basis), md(r.subjects), md(r.data), md(r.recipients), md(r.transfers), md(r.erasure))
	}
	b.WriteString("\n## Time limits for erasure by category of data (Art. 30(1)(f))\n\n| Personal data | Erasure | Purposes |\n|---|---|---|\n")
	for _, d := range n.DataCategories {
		var rules, purposes []string
		for _, r := range n.Retention {
			if !r.Covers(d.Key) {
				continue
			}
			rules = append(rules, retentionSummary(r, n.Meta.DefaultLanguage))
			for _, p := range n.Purposes {
				if slices.Contains(p.Retention, r.Key) && slices.Contains(p.DataCategories, d.Key) && !slices.Contains(purposes, p.Key) {
					purposes = append(purposes, p.Key)
				}
			}
		}
		if len(rules) == 0 {
			rules = []string{"not stated"}
		}
		fmt.Fprintf(&b, "| %s (`%s`) | %s | %s |\n", md(d.Title[n.Meta.DefaultLanguage]), d.Key, md(strings.Join(rules, "; ")), md(strings.Join(purposes, ", ")))
	}
	if s := oneLine(n.Sections.Security[n.Meta.DefaultLanguage]); s != "" {
		fmt.Fprintf(&b, "\n## Security measures (Art. 32)\n\n%s\n", s)
	}
	return b.Bytes()
}

// md escapes a cell for a Markdown table.
func md(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
