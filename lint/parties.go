package lint

import (
	"slices"
	"strings"

	"github.com/integritet/integritet/notice"
)

// ---- who receives the data and where it goes ----

// at returns the position for a finding about table, which may be missing:
// the table itself when the notice has it, else the first of the related
// tables that it has (a missing [transfers] belongs where the recipients
// are, a missing [dpo] or [representative] where the controller is), so
// that the finding never points at an unrelated file.
func (c *checker) at(paths ...string) notice.Pos {
	for _, p := range paths {
		if pos := c.n.Where(p); pos.Line > 0 {
			return pos
		}
	}
	return c.n.Where(paths[len(paths)-1])
}

// area names the home area in a message.
func (c *checker) area() string {
	if c.n.Jurisdiction() == "UK" {
		return "the UK"
	}
	return "the EEA"
}

func (c *checker) dpo() {
	d := c.n.DPO
	switch {
	case d.Appointed == nil && d.Email == "" && d.Name.IsZero() && len(d.Text) == 0:
		c.reportAt(c.at("dpo", "controller", "notice"), "dpo", "no [dpo] table: say whether a data protection officer is appointed; [dpo] appointed = false states that none is, or give the DPO's email")
	case (d.Appointed == nil || *d.Appointed) && d.Email == "":
		c.report("dpo", "dpo.email", "[dpo] gives a data protection officer but no email: give the DPO's contact details")
	}
}

// abroad lists "key (CC)" for every recipient country outside the home area.
func (c *checker) abroad() []string {
	var out []string
	for _, r := range c.n.Recipients {
		for _, k := range c.n.Abroad(r) {
			out = append(out, r.Key+" ("+k+")")
		}
	}
	return out
}

func (c *checker) transfers() {
	t := c.n.Transfers
	if len(c.abroad()) == 0 && t.None == nil && len(t.Text) == 0 {
		c.reportAt(c.at("transfers", "recipient[0]", "controller", "notice"), "transfers", "the notice does not say whether data leaves %s: add [transfers] none = true, or give each recipient outside it its country and mechanism", c.area())
	}
}

func (c *checker) transfersNone() {
	if t := c.n.Transfers; t.None != nil && *t.None {
		if out := c.abroad(); len(out) > 0 {
			c.report("transfers.none", "transfers", "[transfers] none = true, but %s process data outside %s: remove none = true, or correct the countries", strings.Join(out, ", "), c.area())
		}
	}
}

func (c *checker) transferMechanism() {
	uk := c.n.Jurisdiction() == "UK"
	for i, r := range c.n.Recipients {
		out := c.n.Abroad(r)
		switch {
		case len(out) > 0 && r.Mechanism == "" && c.adequate(r, out):
			// Lawful without a safeguard, but Art. 13(1)(f) asks the
			// notice to state the adequacy it relies on.
			c.warn(idx("recipient", i), "recipient."+r.Key, "recipient %q processes data in %s, outside %s, which %s: say so with mechanism = \"adequacy\" (Art. 13(1)(f) asks for the adequacy a transfer relies on)", r.Key, strings.Join(out, ", "), c.area(), c.adequacyWords(len(out)))
		case len(out) > 0 && r.Mechanism == "":
			c.report(idx("recipient", i), "recipient."+r.Key, "recipient %q processes data in %s, outside %s, but names no transfer mechanism: add mechanism = %q (or another of: %s)", r.Key, strings.Join(out, ", "), c.area(), "standard-contractual-clauses", strings.Join(notice.Mechanisms.Keys(), ", "))
		case len(out) > 0 && !uk && strings.HasPrefix(r.Mechanism, "uk-"):
			c.report(idx("recipient", i)+".mechanism", "recipient."+r.Key, "recipient %q: %s is a UK transfer tool, but the notice is under the EU GDPR: name an EU mechanism (standard-contractual-clauses, ...) or set [notice] jurisdiction = \"UK\"", r.Key, r.Mechanism)
		case len(out) > 0 && uk && r.Mechanism == "standard-contractual-clauses" && !c.adequate(r, out):
			// Clauses for a country with UK adequacy (the EEA) are more
			// than the law asks: not a finding.
			c.report(idx("recipient", i)+".mechanism", "recipient."+r.Key, "recipient %q: under the UK GDPR the EU standard contractual clauses need the UK Addendum: write mechanism = \"uk-addendum\" (or \"uk-idta\")", r.Key)
		}
	}
}

// adequate reports whether every country of countries has full adequacy
// under the notice's jurisdiction (the US for a recipient certified under
// the Data Privacy Framework): a transfer there needs no safeguard.
func (c *checker) adequate(r notice.Recipient, countries []string) bool {
	for _, k := range countries {
		switch c.n.Adequacy(k) {
		case notice.AdequacyFull:
		case notice.AdequacyDPF:
			if !r.DPF {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// adequacyWords says that n countries have adequacy, in the jurisdiction's
// terms.
func (c *checker) adequacyWords(n int) string {
	switch {
	case c.n.Jurisdiction() == "UK":
		return "UK adequacy regulations cover"
	case n == 1:
		return "has an EU adequacy decision"
	}
	return "have EU adequacy decisions"
}

func (c *checker) adequacy() {
	for i, r := range c.n.Recipients {
		if r.Mechanism != "adequacy" {
			continue
		}
		for _, k := range c.n.Abroad(r) {
			switch a := c.n.Adequacy(k); {
			case a == notice.AdequacyDPF && !r.DPF:
				c.report(idx("recipient", i)+".mechanism", "recipient."+r.Key, "recipient %q: adequacy for %s covers only recipients certified under the Data Privacy Framework: set dpf = true if it is certified, or name another mechanism (standard-contractual-clauses)", r.Key, k)
			case a == notice.AdequacyDPF && r.DPFEntity == "" && r.Named() && !usEntity(r.Name) && len(r.CountryList()) > len(c.n.Abroad(r)):
				c.warn(idx("recipient", i)+".dpf", "recipient."+r.Key, "recipient %q (%s) is established in %s, and the Data Privacy Framework certifies US organisations only: name the certified US organisation the data goes to, usually its parent (dpf_entity = \"...\")", r.Key, r.Name, c.area())
			case a == notice.AdequacyNone:
				why := k + " has no EU adequacy decision"
				if c.n.Jurisdiction() == "UK" {
					why = k + " is not covered by UK adequacy regulations"
				}
				c.report(idx("recipient", i)+".mechanism", "recipient."+r.Key, "recipient %q: %s: name the safeguard the transfer relies on (standard-contractual-clauses, binding-corporate-rules, ...)", r.Key, why)
			}
		}
	}
}

func (c *checker) safeguardsCopy() {
	if len(c.n.Transfers.Safeguards) > 0 {
		return
	}
	for i, r := range c.n.Recipients {
		if notice.MechanismGroup(r.Mechanism) == notice.MechSafeguard && len(c.n.Abroad(r)) > 0 && len(r.Safeguards) == 0 {
			c.report(idx("recipient", i)+".mechanism", "recipient."+r.Key, "recipient %q transfers under %s but the notice does not say how to obtain a copy of the safeguards: add safeguards = {...} to it, or to [transfers]", r.Key, r.Mechanism)
		}
	}
}

func (c *checker) representative() {
	ct := c.n.Controller
	if ct.Country == "" || c.n.AtHome(ct.Country) {
		return
	}
	rp := c.n.Representative
	switch {
	case rp == nil:
		c.report("controller.country", "representative", "the controller is established in %s, outside %s, and its notice addresses people there, but names no representative (Art. 27): add [representative] with name, contact and country", ct.Country, c.area())
	case !c.n.AtHome(rp.Country):
		c.report("representative.country", "representative", "the representative is in %s: Art. 27 wants one established in %s, where the people the notice addresses are", rp.Country, c.area())
	}
}

func (c *checker) recipientData() {
	for i, p := range c.n.Purposes {
		for j, k := range p.Recipients {
			r, ok := c.n.Recipient(k)
			if !ok || len(r.DataCategories) == 0 || len(p.DataCategories) == 0 {
				continue
			}
			shared := false
			for _, d := range p.DataCategories {
				if slices.Contains(r.DataCategories, d) {
					shared = true
				}
			}
			if !shared {
				c.report(idx("purpose", i)+".recipients", "purpose."+p.Key, "purpose %q discloses to recipient %q (recipients[%d]), which receives none of its data (%s): correct the recipient's data_categories or the purpose's recipients", p.Key, k, j, strings.Join(p.DataCategories, ", "))
			}
		}
	}
}

// usForms are the endings of US legal names; only a US organisation can
// be certified under the Data Privacy Framework.
var usForms = []string{"inc", "inc.", "llc", "l.l.c.", "corp", "corp.", "corporation", "company", "co.", "lp", "l.p.", "llp"}

// usEntity reports whether name ends in a US legal form ("Google LLC",
// "Stripe, Inc.").
func usEntity(name string) bool {
	f := strings.Fields(strings.ToLower(name))
	return len(f) > 0 && slices.Contains(usForms, f[len(f)-1])
}

func (c *checker) jointControllers() {
	for i, r := range c.n.Recipients {
		if r.Kind != "joint-controller" {
			continue
		}
		found := false
		for _, j := range c.n.JointControllers {
			found = found || j.Key == r.Key || (r.Name != "" && j.Name == r.Name)
		}
		if !found {
			c.report(idx("recipient", i)+".kind", "recipient."+r.Key, "recipient %q is a joint controller, but no [[joint_controller]] states what each party is responsible for and the essence of the arrangement (Art. 26(1)-(2)): add one with key = %q or name = %q", r.Key, r.Key, r.Name)
		}
	}
	for i, j := range c.n.JointControllers {
		if len(j.Purposes) == 0 {
			c.report(idx("joint_controller", i), "joint_controller."+j.Key, "joint controller %q names no purposes: say which processing it decides jointly (purposes = [...])", j.Key)
		}
		if len(j.Essence) == 0 {
			c.report(idx("joint_controller", i), "joint_controller."+j.Key, "joint controller %q: the essence of the arrangement is not stated (Art. 26(2)): add essence = {...}", j.Key)
		}
	}
}
