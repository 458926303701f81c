package export

import (
	"bytes"
	"fmt"
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
		var data, recs, erasure []string
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
		for _, k := range p.Retention {
			if r, ok := n.RetentionFor(k); ok {
				erasure = append(erasure, retentionSummary(r))
			}
		}
		subjects := p.DataSubjects[lang]
		if subjects == "" {
			subjects = "not stated"
		}
		var bases []string
		for _, k := range p.Basis {
			if t, ok := notice.LegalBases.Lookup(k); ok {
				bases = append(bases, k+" ("+n.ArticleRef(t.Article)+")")
			}
		}
		for _, k := range p.Special {
			if t, ok := notice.Art9Conditions.Lookup(k); ok {
				bases = append(bases, k+" ("+n.ArticleRef(t.Article)+")")
			}
		}
		basis := strings.Join(bases, "; ")
		if basis == "" {
			basis = "not stated"
		}
		out = append(out, recordRow{
			purpose: p.Key, title: p.Title[lang], basis: basis, subjects: subjects,
			data: strings.Join(data, "; "), recipients: strings.Join(recs, "; "),
			transfers: purposeTransfers(n, p), joint: jointLine(n, p), erasure: strings.Join(erasure, "; "), security: security,
		})
	}
	return out
}

func retentionSummary(r notice.Retention) string {
	s := r.Key + ": " + r.Summary()
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
	fmt.Fprintf(&b, "# Record of processing activities (%s)\n\n", n.ArticleRef("30(1)"))
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
	if s := oneLine(n.Sections.Security[n.Meta.DefaultLanguage]); s != "" {
		fmt.Fprintf(&b, "\n## Security measures (Art. 32)\n\n%s\n", s)
	}
	return b.Bytes()
}

// md escapes a cell for a Markdown table.
func md(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
