package export

import (
	"sort"
	"strings"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/dpv"
)

// The JSON-LD of who receives the data and where it goes, in DPV 2.3 terms.

type (
	textFn func(notice.Text) any
	putFn  func(obj, string, any)
	refFn  func(string) obj
)

// parties adds the applicable law, the controller's representative and
// DPO, the joint controllers and the supervisory authority.
func parties(n *notice.Notice, doc, ctl obj, base string, text textFn, put putFn, ref refFn) {
	if j, ok := notice.Jurisdictions.Lookup(n.Jurisdiction()); ok {
		doc["dpv:hasApplicableLaw"] = ref(j.IRI)
	}
	if c := n.Controller.Country; c != "" {
		ctl["dpv:hasCountry"] = country(n, c)
	}
	if rp := n.Representative; rp != nil {
		o := obj{"@id": base + "#representative", "@type": "dpv:Representative", "dct:title": rp.Name}
		if rp.Email != "" {
			o["dpv:hasContact"] = ref("mailto:" + rp.Email)
		}
		if rp.Country != "" {
			o["dpv:hasCountry"] = country(n, rp.Country)
		}
		ctl["dpv:hasRepresentative"] = o
	}
	if d := n.DPO; (d.Appointed == nil || *d.Appointed) && (!d.Name.IsZero() || d.Email != "") {
		o := obj{"@id": base + "#dpo", "@type": "dpv:DataProtectionOfficer"}
		if d.Name.Plain != "" {
			put(o, "dct:title", d.Name.Plain)
		} else {
			put(o, "dct:title", text(d.Name.Text))
		}
		if d.Email != "" {
			o["dpv:hasContact"] = ref("mailto:" + d.Email)
		}
		ctl["dpv:hasDataProtectionOfficer"] = o
	}
	if len(n.JointControllers) > 0 {
		ents := []any{obj{"@id": base + "#controller"}}
		for _, j := range n.JointControllers {
			o := obj{"@id": base + "#joint-" + j.Key, "@type": "dpv:DataController", "dct:title": j.Name}
			put(o, "dct:description", text(j.Responsibilities))
			put(o, "dct:references", j.Notice)
			ents = append(ents, o)
		}
		jc := obj{"@id": base + "#joint-controllers", "@type": "dpv:JointDataControllers", "dpv:hasEntity": ents}
		put(jc, "dct:description", text(n.JointControllers[0].Essence))
		doc["dpv:hasJointDataControllers"] = jc
	}
	a := n.Authority
	if a.Key == "" && len(a.Name) == 0 {
		return
	}
	id := base + "#authority"
	if info, ok := notice.LookupAuthority(a.Key); ok && info.IRI != "" {
		id = info.IRI
	}
	o := obj{"@id": id, "@type": "dpv:DataProtectionAuthority"}
	t := a.Name
	if len(t) == 0 {
		t = notice.Text{}
		for _, l := range n.Meta.Languages {
			t[l] = n.AuthorityName(l)
		}
	}
	put(o, "dct:title", text(t))
	put(o, "dct:source", n.AuthorityURL())
	doc["dpv:hasAuthority"] = o
}

// country is a country as DPV states it: a dpv:Country inside the home
// area, a dpv:ThirdCountry outside, identified by its ISO 3166-1 code.
func country(n *notice.Notice, c string) obj {
	typ := "dpv:Country"
	if !n.AtHome(c) {
		typ = "dpv:ThirdCountry"
	}
	return obj{"@type": typ, "dct:identifier": c}
}

// recipients lists the recipients of purpose p with their kind, countries
// and, for countries outside the home area, the transfer mechanism.
func recipients(n *notice.Notice, p notice.Purpose, base string, text textFn, put putFn, ref refFn) []any {
	var out []any
	for _, k := range p.Recipients {
		r, ok := n.Recipient(k)
		if !ok {
			continue
		}
		typ := "dpv:Recipient"
		if t, ok := notice.RecipientKinds.Lookup(r.Kind); ok && t.IRI != "" {
			typ = t.IRI
		}
		o := obj{"@id": base + "#recipient-" + r.Key, "@type": typ}
		title := text(r.Title)
		if title == nil {
			title = r.Name
		}
		put(o, "dct:title", title)
		if r.Name != "" {
			o["dct:identifier"] = r.Name
		}
		var cs []any
		for _, c := range r.CountryList() {
			if c != notice.Worldwide {
				cs = append(cs, country(n, c))
			}
		}
		put(o, "dpv:hasCountry", cs)
		if len(n.Abroad(r)) > 0 {
			if m, ok := notice.Mechanisms.Lookup(r.Mechanism); ok && m.IRI != "" {
				o["dpv:hasLegalBasis"] = ref(m.IRI)
			}
		}
		put(o, "dpv:hasAddress", text(r.Address))
		put(o, "dct:references", r.Notice)
		out = append(out, o)
	}
	return out
}

// contextFor is the @context of doc: the standard prefixes and every
// legal-XX prefix the document uses.
func contextFor(doc obj) map[string]string {
	ctx := map[string]string{}
	for k, v := range Context {
		ctx[k] = v
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case obj:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if s, ok := x[k].(string); ok && (k == "@id" || k == "@type") && strings.HasPrefix(s, "legal-") {
					if ns, ok := dpv.Namespace(dpv.Prefix(s)); ok {
						ctx[dpv.Prefix(s)] = ns
					}
				}
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	return ctx
}

// ---- the Art. 30 record ----

func dpoLine(n *notice.Notice) string {
	switch d := n.DPO; {
	case d.Appointed != nil && !*d.Appointed:
		return "none appointed"
	case d.Email != "" || !d.Name.IsZero():
		return strings.TrimSpace(d.Name.In(n.Meta.DefaultLanguage) + " " + d.Email)
	case len(d.Text) > 0:
		return oneLine(d.Text[n.Meta.DefaultLanguage])
	}
	return "not stated"
}

// representativeLine is the Art. 27 representative (Art. 30(1)(a)).
func representativeLine(n *notice.Notice) string {
	rp := n.Representative
	if rp == nil {
		return ""
	}
	parts := []string{rp.Name}
	for _, s := range []string{rp.Email, rp.Phone, rp.Address[n.Meta.DefaultLanguage], rp.Country} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

func jointControllerLine(n *notice.Notice, j notice.JointController) string {
	parts := []string{j.Name}
	for _, s := range []string{j.Email, j.Address[n.Meta.DefaultLanguage], j.Country} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	s := strings.Join(parts, ", ")
	if r := oneLine(j.Responsibilities[n.Meta.DefaultLanguage]); r != "" {
		s += ": " + r
	}
	if o := oneLine(j.Ours[n.Meta.DefaultLanguage]); o != "" {
		s += "; we: " + o
	}
	return s
}

// jointLine names the joint controllers of purpose p.
func jointLine(n *notice.Notice, p notice.Purpose) string {
	var out []string
	for _, j := range n.JointControllers {
		for _, k := range j.Purposes {
			if k == p.Key {
				out = append(out, j.Name)
			}
		}
	}
	return strings.Join(out, "; ")
}

// recipientLine is "Stripe, Inc. (processor; US)" or, for a category,
// its title and kind.
func recipientLine(n *notice.Notice, r notice.Recipient) string {
	name := r.Name
	if name == "" {
		name = r.Title[n.Meta.DefaultLanguage]
	}
	detail := []string{r.Kind}
	if cs := r.CountryList(); len(cs) > 0 {
		detail = append(detail, strings.Join(cs, ", "))
	}
	return name + " (" + strings.Join(detail, "; ") + ")"
}

// purposeTransfers is Art. 30(1)(e) for one purpose: each of its
// recipients outside the home area with the countries and the mechanism;
// "none" when its recipients are all at home (or [transfers] none = true);
// otherwise what [transfers] says, or "not stated".
func purposeTransfers(n *notice.Notice, p notice.Purpose) string {
	var out []string
	unknown := false
	for _, k := range p.Recipients {
		r, ok := n.Recipient(k)
		if !ok {
			continue
		}
		if len(r.CountryList()) == 0 {
			unknown = true
			continue
		}
		abroad := n.Abroad(r)
		if len(abroad) == 0 {
			continue
		}
		name := r.Name
		if name == "" {
			name = r.Title[n.Meta.DefaultLanguage]
		}
		mech := "no mechanism stated"
		if m, ok := notice.Mechanisms.Lookup(r.Mechanism); ok {
			mech = m.Key + ", " + n.Cite("en", m.Article)
			switch {
			case r.DPF && r.DPFEntity != "":
				mech += ", DPF certified as " + r.DPFEntity
			case r.DPF:
				mech += ", DPF certified"
			}
		}
		out = append(out, name+": "+strings.Join(abroad, ", ")+" ("+mech+")")
	}
	switch {
	case len(out) > 0:
		return strings.Join(out, "; ")
	case n.Transfers.None != nil && *n.Transfers.None:
		return "none"
	case !unknown && len(p.Recipients) > 0:
		return "none"
	case len(n.Transfers.Text) > 0:
		return oneLine(n.Transfers.Text[n.Meta.DefaultLanguage])
	}
	return "not stated"
}
