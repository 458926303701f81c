package export

import (
	"slices"
	"strings"

	"github.com/integritet/integritet/notice"
)

// Context is the JSON-LD context of the DPV export: the W3C Data Privacy
// Vocabulary and its GDPR, personal-data and Swedish extensions.
var Context = map[string]string{
	"dpv":      "https://w3id.org/dpv#",
	"eu-gdpr":  "https://w3id.org/dpv/legal/eu/gdpr#",
	"pd":       "https://w3id.org/dpv/pd#",
	"legal-se": "https://w3id.org/dpv/legal/se#",
	"dct":      "http://purl.org/dc/terms/",
	"xsd":      "http://www.w3.org/2001/XMLSchema#",
}

type obj = map[string]any

// JSONLD returns the notice as a W3C DPV JSON-LD document: texts in lang,
// or in every language when lang is "" (the published exports/notice.jsonld).
// The result is valid JSON; escaping it for an HTML <script> is the
// caller's.
func JSONLD(n *notice.Notice, lang string) ([]byte, error) {
	return marshal(jsonLD(n, lang))
}

func jsonLD(n *notice.Notice, lang string) obj {
	page := lang
	if page == "" {
		page = n.Meta.DefaultLanguage
	}
	base := strings.TrimRight(n.Meta.BaseURL, "/") + "/" + page + "/" + n.Meta.Slug[page] + "/"
	text := func(t notice.Text) any {
		if lang != "" {
			if t[lang] == "" {
				return nil
			}
			return obj{"@value": t[lang], "@language": lang}
		}
		var vs []any
		for _, l := range n.Meta.Languages {
			if t[l] != "" {
				vs = append(vs, obj{"@value": t[l], "@language": l})
			}
		}
		if len(vs) == 0 {
			return nil
		}
		return vs
	}
	put := func(o obj, k string, v any) {
		switch x := v.(type) {
		case nil:
			return
		case string:
			if x == "" {
				return
			}
		case []any:
			if len(x) == 0 {
				return
			}
		}
		o[k] = v
	}
	ref := func(iri string) obj { return obj{"@id": iri} }

	doc := obj{"@context": Context, "@id": base, "@type": "dpv:PrivacyNotice"}
	put(doc, "dct:title", text(n.Meta.Title))
	put(doc, "dct:description", text(n.Meta.Description))
	put(doc, "dct:hasVersion", n.Meta.Version)
	if d := n.Meta.EffectiveDate.String(); d != "" {
		doc["dct:valid"] = obj{"@value": d, "@type": "xsd:date"}
	}
	if lang != "" {
		doc["dct:language"] = lang
	}

	ctl := obj{"@id": base + "#controller", "@type": "dpv:DataController", "dct:title": n.Controller.Name}
	put(ctl, "dct:identifier", n.Controller.OrgNr)
	if n.Controller.Email != "" {
		ctl["dpv:hasContact"] = ref("mailto:" + n.Controller.Email)
	}
	put(ctl, "dct:source", n.Controller.URL)
	doc["dpv:hasDataController"] = ctl

	parties(n, doc, ctl, base, text, put, ref)

	var rights []any
	for _, r := range n.Rights {
		if t, ok := notice.Rights.Lookup(r.Key); ok && t.IRI != "" {
			rights = append(rights, ref(t.IRI))
		}
	}
	put(doc, "dpv:hasRight", rights)

	var procs []any
	for _, p := range n.Purposes {
		pr := obj{"@id": base + "#purpose-" + p.Key, "@type": "dpv:Process"}
		put(pr, "dct:title", text(p.Title))
		var purposes []any
		for _, t := range p.DPV {
			purposes = append(purposes, ref(t))
		}
		put(pr, "dpv:hasPurpose", purposes)
		var bases []any
		if len(p.BasisConditions) == 0 {
			for _, k := range p.Basis {
				if t, ok := notice.LegalBases.Lookup(k); ok {
					bases = append(bases, ref(t.IRI))
				}
			}
		} else {
			put(pr, "dpv:hasProcess", conditionalProcesses(n, p, base, text, put, ref))
		}
		for _, k := range p.Special {
			if t, ok := notice.Art9Conditions.Lookup(k); ok {
				bases = append(bases, ref(t.IRI))
			}
		}
		put(pr, "dpv:hasLegalBasis", bases)
		put(pr, "dpv:hasDataSubject", dataSubjects(p, text, ref))
		put(pr, "dpv:hasPersonalData", personalData(n, p.DataCategories, ref))
		put(pr, "dpv:hasRecipient", recipients(n, p, base, text, put, ref))
		var conds []any
		for _, k := range p.Retention {
			r, ok := n.RetentionFor(k)
			if !ok {
				continue
			}
			o := obj{"@id": base + "#retention-" + r.Key}
			switch r.Shape() {
			case notice.ShapeIndefinite:
				o["@type"] = "dpv:IndeterminateDuration"
			case notice.ShapeUntil:
				o["@type"] = "dpv:UntilEventDuration"
			default:
				o["@type"] = "dpv:StorageDuration"
				o["dpv:hasDuration"] = obj{"@value": xsdDuration(r.Duration), "@type": "xsd:duration"}
			}
			o["dct:description"] = r.Summary()
			put(o, "dct:references", r.Law)
			if why := text(r.Reason); why != nil {
				o["dpv:hasJustification"] = obj{"@type": "dpv:Justification", "dct:description": why}
			}
			conds = append(conds, o)
		}
		put(pr, "dpv:hasStorageCondition", conds)
		procs = append(procs, pr)
	}
	put(doc, "dpv:hasProcess", procs)
	doc["@context"] = contextFor(doc)
	return doc
}

// conditionalProcesses states a purpose whose bases are limited to cases
// as one sub-process per basis, each with its own legal basis and its case
// (the notice's words, or the schema's: "where storage (§ 25 Abs. 1
// TDDDG)", "otherwise"), so that no reader takes the bases to apply
// together.
func conditionalProcesses(n *notice.Notice, p notice.Purpose, base string, text textFn, put putFn, ref refFn) []any {
	rule, stated := n.EPrivacyStated()
	var out, otherwise []any
	for _, k := range p.Basis {
		t, ok := notice.LegalBases.Lookup(k)
		if !ok {
			continue
		}
		sp := obj{"@id": base + "#purpose-" + p.Key + "-" + k, "@type": "dpv:Process", "dpv:hasLegalBasis": ref(t.IRI)}
		if p.Otherwise(k) {
			sp["dct:description"] = "otherwise"
			otherwise = append(otherwise, sp)
			continue
		}
		if c, ok := p.Condition(k); ok {
			if w := text(c.Text); w != nil {
				sp["dct:description"] = w
			} else {
				when := "where " + c.When
				if c.When == "storage" && stated {
					when += " (" + rule.Consent + ")"
				}
				sp["dct:description"] = when
			}
		}
		out = append(out, sp)
	}
	return append(out, otherwise...)
}

// dataSubjects are the purpose's categories of data subjects: the DPV
// term of each where DPV has one, else a dpv:DataSubject named by its key;
// the notice's own words where it names no categories.
func dataSubjects(p notice.Purpose, text textFn, ref refFn) []any {
	var out []any
	for _, k := range p.SubjectTypes {
		if t, ok := notice.SubjectTypes.Lookup(k); ok && t.IRI != "" {
			out = append(out, ref(t.IRI))
		} else {
			out = append(out, obj{"@type": "dpv:DataSubject", "dct:identifier": k})
		}
	}
	if w := text(p.DataSubjects); len(out) == 0 && w != nil {
		out = append(out, obj{"@type": "dpv:DataSubject", "dct:title": w})
	}
	return out
}

// personalData lists the DPV personal-data terms of the data categories,
// sorted and without duplicates.
func personalData(n *notice.Notice, cats []string, ref func(string) obj) []any {
	var terms []string
	for _, k := range cats {
		if d, ok := n.DataCategory(k); ok {
			for _, e := range d.Examples {
				if e.DPV != "" && !slices.Contains(terms, e.DPV) {
					terms = append(terms, e.DPV)
				}
			}
			for _, s := range d.Specials() {
				if t, ok := notice.SpecialCategories.Lookup(s); ok && !slices.Contains(terms, t.IRI) {
					terms = append(terms, t.IRI)
				}
			}
		}
	}
	slices.Sort(terms)
	var out []any
	for _, t := range terms {
		out = append(out, ref(t))
	}
	return out
}

// xsdDuration writes d as xsd:duration, which has no week designator: a
// duration in weeks is written in days (P3W = P21D).
func xsdDuration(d notice.Duration) string {
	d.Days += 7 * d.Weeks
	d.Weeks = 0
	return d.String()
}
