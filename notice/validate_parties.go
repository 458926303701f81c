package notice

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/integritet/integritet/notice/dpv"
)

// parties checks who receives the data and where it goes: the recipients,
// transfers, representative, joint controllers, DPO and authority, and the
// notice's jurisdiction.
func (c *checker) parties(dataKeys map[string]bool) {
	n := c.n
	if j := n.Meta.Jurisdiction; j != "" && !Jurisdictions.Has(j) {
		c.errf("notice.jurisdiction", "unknown jurisdiction %q (want: %s)", j, strings.Join(Jurisdictions.Keys(), ", "))
	}
	c.eprivacy()
	c.vocab("notice.register", n.Meta.Register, Registers, "register")
	for i, r := range n.Recipients {
		p := idx("recipient", i)
		c.text(p+".title", r.Title, r.Name == "")
		c.text(p+".text", r.Text, false)
		c.text(p+".activity", r.Activity, false)
		c.text(p+".safeguards", r.Safeguards, false)
		if r.Kind == "" {
			c.errf(p, "recipient %q: missing kind (want: %s)", r.Key, strings.Join(RecipientKinds.Keys(), ", "))
		} else if !RecipientKinds.Has(r.Kind) {
			c.errf(p+".kind", "unknown recipient kind %q (want: %s)", r.Kind, strings.Join(RecipientKinds.Keys(), ", "))
		}
		c.refs(p+".data_categories", r.DataCategories, dataKeys, "data category")
		if r.Country != "" && len(r.Countries) > 0 {
			c.errf(p+".countries", "recipient %q: give country or countries, not both", r.Key)
		}
		if r.Country != "" {
			c.country(p+".country", r.Country, true)
		}
		for j, k := range r.Countries {
			c.country(fmt.Sprintf("%s.countries[%d]", p, j), k, true)
		}
		if r.Mechanism != "" && !Mechanisms.Has(r.Mechanism) {
			c.errf(p+".mechanism", "unknown transfer mechanism %q (want: %s)", r.Mechanism, strings.Join(Mechanisms.Keys(), ", "))
		}
		if r.DPF && !contains(r.CountryList(), "US") {
			c.errf(p+".dpf", "recipient %q: dpf = true (certified under the EU-US Data Privacy Framework) but \"US\" is not among its countries", r.Key)
		}
		c.text(p+".address", r.Address, false)
		if !r.DPF && r.DPFEntity != "" {
			c.errf(p+".dpf_entity", "recipient %q: dpf_entity names the organisation certified under the Data Privacy Framework: set dpf = true too, or remove it", r.Key)
		}
		if r.DPFURL != "" {
			u, err := url.Parse(r.DPFURL)
			switch {
			case !r.DPF:
				c.errf(p+".dpf_url", "recipient %q: dpf_url links to a Data Privacy Framework certification: set dpf = true too, or remove it", r.Key)
			case err != nil || u.Scheme != "https" || (u.Hostname() != "dataprivacyframework.gov" && !strings.HasSuffix(u.Hostname(), ".dataprivacyframework.gov")):
				c.errf(p+".dpf_url", "recipient %q: bad dpf_url %q: want the entry in the Data Privacy Framework List, https://www.dataprivacyframework.gov/...", r.Key, r.DPFURL)
			}
		}
		if r.Notice != "" {
			c.webURL(p+".notice", r.Notice)
		}
	}
	c.text("transfers.text", n.Transfers.Text, false)
	c.text("transfers.safeguards", n.Transfers.Safeguards, false)

	if rp := n.Representative; rp != nil {
		if rp.Name == "" {
			c.errf("representative", "[representative]: missing name")
		}
		if rp.Email != "" {
			c.email("representative.email", rp.Email)
		}
		if rp.URL != "" {
			c.webURL("representative.url", rp.URL)
		}
		if rp.Country == "" {
			c.errf("representative", "[representative]: missing country (the ISO 3166-1 code where the representative is established)")
		} else {
			c.country("representative.country", rp.Country, false)
		}
		c.text("representative.address", rp.Address, false)
	}
	purposeKeys := map[string]bool{}
	for _, p := range n.Purposes {
		purposeKeys[p.Key] = true
	}
	c.keys("joint_controller", len(n.JointControllers), func(i int) string { return n.JointControllers[i].Key })
	for i, j := range n.JointControllers {
		p := idx("joint_controller", i)
		if j.Name == "" {
			c.errf(p, "joint_controller %q: missing name", j.Key)
		}
		if j.Email != "" {
			c.email(p+".email", j.Email)
		}
		if j.URL != "" {
			c.webURL(p+".url", j.URL)
		}
		if j.Notice != "" {
			c.webURL(p+".notice", j.Notice)
		}
		if j.Country != "" {
			c.country(p+".country", j.Country, false)
		}
		c.refs(p+".purposes", j.Purposes, purposeKeys, "purpose")
		c.text(p+".address", j.Address, false)
		c.text(p+".responsibilities", j.Responsibilities, true)
		c.text(p+".our_responsibilities", j.Ours, false)
		c.text(p+".essence", j.Essence, false)
	}

	c.controllerCountry()
	d := n.DPO
	c.text("dpo.text", d.Text, false)
	if d.Email != "" {
		c.email("dpo.email", d.Email)
	}
	c.text("dpo.name", d.Name.Text, false)
	if d.Appointed != nil && !*d.Appointed && (!d.Name.IsZero() || d.Email != "" || len(d.Text) > 0) {
		c.errf("dpo.appointed", "[dpo] appointed = false, but a DPO is given (name, email or text): remove appointed, or the DPO")
	}

	a := n.Authority
	c.text("authority.name", a.Name, false)
	if a.URL != "" {
		c.webURL("authority.url", a.URL)
	}
	if a.Key != "" {
		if _, ok := LookupAuthority(a.Key); !ok {
			c.errf("authority.key", "unknown supervisory authority %q (want one of: %s; or leave key out and give name and url of your own)", a.Key, strings.Join(AuthorityVocab().Keys(), ", "))
		}
	} else if a.URL != "" && len(a.Name) == 0 {
		c.errf("authority", "[authority] without a key needs a name (and url) of its own")
	}
}

// country checks an ISO 3166-1 alpha-2 code (or "worldwide" when allowed).
func (c *checker) country(path, k string, worldwide bool) {
	if worldwide && k == Worldwide {
		return
	}
	if _, ok := LookupCountry(k); !ok {
		hint := ""
		if _, ok := LookupCountry(strings.ToUpper(k)); ok {
			hint = fmt.Sprintf(": write %q", strings.ToUpper(k))
		} else if k == "UK" {
			hint = `: the ISO code of the United Kingdom is "GB"`
		}
		w := ""
		if worldwide {
			w = `, or "worldwide"`
		}
		c.errf(path, "unknown country %q (want an ISO 3166-1 alpha-2 code such as \"SE\" or \"US\"%s)%s", k, w, hint)
	}
}

func (c *checker) webURL(path, s string) {
	if u, err := url.Parse(s); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		c.errf(path, "bad url %q: want an absolute http(s) URL", s)
	}
}

// dpvTerms checks every DPV term written in TOML against the DPV 2.3 term
// lists, so that the JSON-LD export names only real IRIs.
func (c *checker) dpvTerms() {
	check := func(path, t string) {
		if dpv.Known(t) {
			return
		}
		if _, ok := dpv.Namespace(dpv.Prefix(t)); !ok || !strings.Contains(t, ":") {
			c.errf(path, "DPV term %q is not prefix:Term with a known prefix (dpv, pd, eu-gdpr, legal-XX)%s", t, dpvSuggestion(t))
			return
		}
		c.errf(path, "%q is not a term of DPV 2.3 (see https://w3id.org/dpv): check its spelling%s", t, dpvSuggestion(t))
	}
	n := c.n
	for i, d := range n.DataCategories {
		for j, e := range d.Examples {
			if e.DPV != "" {
				check(fmt.Sprintf("%s.examples[%d].dpv", idx("data_category", i), j), e.DPV)
			}
		}
	}
	for i, p := range n.Purposes {
		for j, t := range p.DPV {
			check(fmt.Sprintf("%s.dpv[%d]", idx("purpose", i), j), t)
		}
	}
	for i, cc := range n.ConsentCategories {
		if cc.DPV != "" {
			check(idx("consent_category", i)+".dpv", cc.DPV)
		}
	}
}

func (c *checker) controllerCountry() {
	if k := c.n.Controller.Country; k != "" {
		c.country("controller.country", k, false)
	}
}
