package site

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/integritet/integritet/notice"
)

// The page's view of who receives the data and where it goes.

// AreaT is message id in the wording of the notice's home area: id for
// the EU/EEA, id + "_UK" under jurisdiction = "UK".
func (p *page) AreaT(id string) string {
	if p.Notice.Jurisdiction() == "UK" {
		return p.T(id + "_UK")
	}
	return p.T(id)
}

// CountryName names an ISO 3166-1 code (or "worldwide") in this language,
// from CLDR; the code itself where CLDR has no name.
func (p *page) CountryName(code string) string {
	if code == notice.Worldwide {
		return p.T("worldwide")
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	tag, _ := language.Parse(p.Lang)
	if n := display.Regions(tag); n != nil {
		if s := n.Name(r); s != "" {
			return s
		}
	}
	return display.Regions(language.English).Name(r)
}

// RecipientTitle heads a recipient: its title, or its legal name.
func (p *page) RecipientTitle(r notice.Recipient) string {
	if r.Title[p.lang] != "" {
		return p.Tx(r.Title)
	}
	return r.Name
}

// RecipientRef names recipient key k where a purpose lists it.
func (p *page) RecipientRef(k string) string {
	r, _ := p.Notice.Recipient(k)
	return p.RecipientTitle(r)
}

// Kind names a recipient kind.
func (p *page) Kind(key string) string {
	t, ok := notice.RecipientKinds.Lookup(key)
	if !ok {
		return key
	}
	return p.T(t.Msg)
}

// ActivityLabel heads what a recipient does: a processor acts on our
// behalf (Art. 28), any other recipient for purposes of its own as well.
func (p *page) ActivityLabel(r notice.Recipient) string {
	if r.Kind == "processor" || r.Kind == "sub-processor" {
		return p.T("activity")
	}
	return p.T("activity_own")
}

// Mechanism names a transfer mechanism with its article: adequacy under
// the UK GDPR is regulations (Art. 45A), not a decision.
func (p *page) Mechanism(key string) string {
	t, ok := notice.Mechanisms.Lookup(key)
	if !ok {
		return key
	}
	name := p.T(t.Msg)
	if key == "adequacy" {
		name = p.AreaT(t.Msg)
	}
	return name + " (" + p.Notice.Cite(p.lang, t.Article) + ")"
}

// Countries names the recipient's countries, or says they are not stated.
func (p *page) Countries(r notice.Recipient) string {
	cs := r.CountryList()
	if len(cs) == 0 {
		return p.T("not_stated")
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = p.CountryName(c)
	}
	return strings.Join(names, ", ")
}

// Safeguard says what makes the recipient's transfers lawful: its
// mechanism for countries outside the home area, "not needed" inside it,
// "–" where no country is stated.
func (p *page) Safeguard(r notice.Recipient) string {
	switch {
	case len(r.CountryList()) == 0:
		return "–"
	case len(p.Notice.Abroad(r)) == 0:
		return p.AreaT("safeguard_home")
	case r.Mechanism == "":
		return p.T("not_stated")
	}
	s := p.Mechanism(r.Mechanism)
	switch {
	case r.DPF && r.DPFEntity != "":
		s += ", " + p.areaTf("dpf_entity", r.DPFEntity)
	case r.DPF:
		s += ", " + p.AreaT("dpf")
	}
	return s
}

// areaTf is AreaT with {{.X}} replaced by x.
func (p *page) areaTf(id, x string) string {
	if p.Notice.Jurisdiction() == "UK" {
		return p.Tf(id+"_UK", x)
	}
	return p.Tf(id, x)
}

// RecipientRow is one row of the recipients table.
type RecipientRow struct{ Key, Name, Role, Countries, Safeguard string }

// RecipientRows lists every recipient as data for the table.
func (p *page) RecipientRows() []RecipientRow {
	var rows []RecipientRow
	for _, r := range p.Notice.Recipients {
		rows = append(rows, RecipientRow{Key: r.Key, Name: p.RecipientTitle(r), Role: p.Kind(r.Kind), Countries: p.Countries(r), Safeguard: p.Safeguard(r)})
	}
	return rows
}

// DPOGiven reports whether the notice names a data protection officer.
func (p *page) DPOGiven() bool {
	d := p.Notice.DPO
	return (d.Appointed == nil || *d.Appointed) && (!d.Name.IsZero() || d.Email != "" || len(d.Text) > 0)
}

// DPOName is the data protection officer's name in this language.
func (p *page) DPOName() string { return p.Notice.DPO.Name.In(p.lang) }

// DPONone reports whether the notice says that no DPO is appointed.
func (p *page) DPONone() bool {
	d := p.Notice.DPO
	return d.Appointed != nil && !*d.Appointed
}

// AuthorityName is the supervisory authority's name in this language.
// Where neither the notice nor the built-in table names it in this
// language, its official name is followed by its country in this
// language: "Integritetsskyddsmyndigheten (IMY), Schweden".
func (p *page) AuthorityName() string {
	n := p.Notice
	name := n.AuthorityName(p.lang)
	if a, ok := notice.LookupAuthority(n.Authority.Key); ok && name != "" && n.Authority.Name[p.lang] == "" && !a.HasName(p.lang) {
		name += ", " + p.CountryName(a.Country)
	}
	return name
}

// AuthorityURL is the supervisory authority's web address.
func (p *page) AuthorityURL() string { return p.Notice.AuthorityURL() }

// PurposeTitle names purpose k.
func (p *page) PurposeTitle(k string) string {
	pu, _ := p.Notice.Purpose(k)
	return p.Tx(pu.Title)
}
