package site

import (
	"slices"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

// TestWebshopIsLegallyRight checks the example web shop's facts as a
// Swedish data protection lawyer would: the Meta pixel under joint
// controllership with the essence of the arrangement (CJEU C-40/17
// Fashion ID), US adequacy through the certified US organisation, the
// Swedish age of consent (lag (2018:218) 2 kap. 4 §: 13), and retention
// that outlasts the consumer's complaint window and the bookkeeping period.
func TestWebshopIsLegallyRight(t *testing.T) {
	t.Parallel()
	n, err := notice.Load(webshop)
	if err != nil {
		t.Fatal(err)
	}
	// The pixel's data goes to Meta: a joint controller for the purpose
	// that sets it, with the essence of the arrangement.
	var meta []string
	for _, c := range n.Cookies {
		if strings.HasPrefix(c.Provider, "Meta ") {
			for _, p := range n.Purposes {
				if p.Consent == c.Category && !slices.Contains(meta, p.Key) {
					meta = append(meta, p.Key)
				}
			}
		}
	}
	if len(meta) == 0 {
		t.Fatal("no purpose sets Meta's pixel")
	}
	joint := false
	for _, j := range n.JointControllers {
		if strings.HasPrefix(j.Name, "Meta ") && slices.Contains(j.Purposes, meta[0]) {
			joint = len(j.Essence) == len(n.Meta.Languages) && strings.Contains(j.Essence["en"], "C-40/17") && len(j.Ours) > 0
		}
	}
	if !joint {
		t.Errorf("Meta is no joint controller of %v with responsibilities and the essence of the arrangement (C-40/17)", meta)
	}
	for _, r := range n.Recipients {
		if strings.HasPrefix(r.Name, "Meta ") && r.Kind != "joint-controller" {
			t.Errorf("recipient %s (Meta) is %s, not a joint controller", r.Key, r.Kind)
		}
		// The Data Privacy Framework certifies US organisations: an
		// Irish recipient names the US one.
		if r.DPF && n.AtHome(r.CountryList()[0]) && !strings.HasSuffix(r.DPFEntity, "LLC") && !strings.HasSuffix(r.DPFEntity, "Inc.") {
			t.Errorf("recipient %s (%s) is certified under the DPF as %q: name the certified US organisation", r.Key, r.Name, r.DPFEntity)
		}
	}
	if n.Controller.Country != "SE" || n.Children.MinAge != 13 {
		t.Errorf("children.min_age = %d for a controller in %s: the Swedish age of consent is 13", n.Children.MinAge, n.Controller.Country)
	}
	// Order data outlasts the complaint window (three years from receiving
	// the goods) and the bookkeeping period (seven years after the end of
	// the calendar year in which the financial year ended), and the
	// invoice's name and address are kept with it.
	outlasts := func(category, anchor string, d notice.Duration) bool {
		for _, r := range n.Retention {
			if r.Covers(category) && len(r.Items) == 0 && r.Anchor == anchor && r.Shape() == notice.ShapePeriod && !r.Duration.AddTo(notice.Date{}.Time).Before(d.AddTo(notice.Date{}.Time)) {
				return true
			}
		}
		return false
	}
	for _, c := range []string{"orders", "customer"} {
		if !outlasts(c, "delivery", notice.Duration{Years: 3}) {
			t.Errorf("%s: no rule keeps it 3 years after delivery (the consumer's time to complain)", c)
		}
		if !outlasts(c, "fiscal-year-calendar-end", notice.Duration{Years: 7}) {
			t.Errorf("%s: no rule keeps it 7 years after the end of the calendar year of the financial year (Bokföringslagen 7 kap. 2 §)", c)
		}
	}

	// The page says it in each language: the parties' addresses, the DPO's
	// name and the authority in the page's language, the certified entity.
	out := render(t, webshop, false)
	for page, want := range map[string][]string{
		"de/datenschutz/index.html": {
			"Integritetsskyddsmyndigheten (IMY), Schweden",
			"Datenschutzbeauftragter von Fjällboden",
			"Anschrift Gordon House, Barrow Street, Dublin 4, Irland",
			"Google LLC zertifiziert nach dem EU-US-Datenschutzrahmen",
			"Gemeinsam Verantwortliche Meta Platforms Ireland Limited",
			"Unsere Dienste richten sich nicht an Kinder unter 13 Jahren.",
		},
		"en/privacy-notice/index.html": {
			"Swedish Authority for Privacy Protection (IMY)",
			"The data protection officer at Fjällboden",
			"Meta Platforms, Inc. certified under the EU-US Data Privacy Framework",
			"3 years after delivery",
		},
		"sv/integritetspolicy/index.html": {
			"Integritetsskyddsmyndigheten (IMY)",
			"Dataskyddsombudet på Fjällboden",
			"Adress Merrion Road, Dublin 4, D04 X2K5, Irland",
		},
	} {
		text := pageText(out.Files[page])
		for _, w := range want {
			if !strings.Contains(text, norm(w)) {
				t.Errorf("%s lacks %q", page, w)
			}
		}
	}
	if text := pageText(out.Files["sv/integritetspolicy/index.html"]); strings.Contains(text, "IMY), Sverige") {
		t.Error("the sv page adds the country to a name the table has in Swedish")
	}
}

// TestGermanPageNamesTheRegistrationNumberOfAnyCountry checks the German
// label of [controller] org_nr: a Swedish organisationsnummer is not a
// number of the German Handelsregister, so the label is the neutral
// "Registernummer" and the German company's court follows its number
// without a second pair of brackets.
func TestGermanPageNamesTheRegistrationNumberOfAnyCountry(t *testing.T) {
	t.Parallel()
	for dir, want := range map[string]string{
		webshop:  "Verantwortlicher Fjällbodens Handel AB (Registernummer 559000-1234)",
		gmbhSite: "Verantwortlicher Beispiel Software GmbH (Registernummer HRB 123456, Amtsgericht Köln)",
	} {
		text := pageText(render(t, dir, false).Files["de/datenschutz/index.html"])
		if !strings.Contains(text, norm(want)) {
			t.Errorf("%s: page lacks %q", dir, want)
		}
		if strings.Contains(text, "Handelsregister") {
			t.Errorf("%s: page calls the number a Handelsregister number", dir)
		}
	}
}

// TestWebshopKeepsAComplaintUntilItsCaseIsClosed checks the rule that keeps
// a complaint made in time: "until the claim is settled" is the creditor's
// event (tills fordran är reglerad, bis die Forderung beglichen ist: until
// a debt is paid), so the shop's own words, "until it is settled" of a
// complaint, were said on the page as the payment of a debt.
func TestWebshopKeepsAComplaintUntilItsCaseIsClosed(t *testing.T) {
	t.Parallel()
	out := render(t, webshop, false)
	for page, want := range map[string]string{
		"sv/integritetspolicy/index.html": "tills ditt ärende är avslutat",
		"en/privacy-notice/index.html":    "until your case has been closed",
		"de/datenschutz/index.html":       "bis Ihr Anliegen abschließend bearbeitet ist",
	} {
		text := pageText(out.Files[page])
		if strings.Count(text, want) != 2 {
			t.Errorf("%s says %q %d times, want 2 (the purpose and the table)", page, want, strings.Count(text, want))
		}
		for _, debt := range []string{"fordran", "claim is settled", "Forderung"} {
			if strings.Contains(text, debt) {
				t.Errorf("%s speaks of a debt: %q", page, debt)
			}
		}
	}
}

// TestOnlyProcessorsActForUs checks the label of a recipient's activity:
// a processor acts on the controller's behalf ("What they do for us"), a
// joint or independent controller for purposes of its own as well, so the
// Meta pixel's joint controller and the payment provider are not said to
// act for the shop.
func TestOnlyProcessorsActForUs(t *testing.T) {
	t.Parallel()
	out := render(t, webshop, false)
	for page, c := range map[string]struct{ processor, other string }{
		"en/privacy-notice/index.html":    {"Processor What they do for us running servers and databases", "Joint controller What they do ad measurement with the Meta pixel"},
		"sv/integritetspolicy/index.html": {"Vad de gör åt oss drift av servrar och databaser", "Vad de gör annonsmätning med Meta-pixeln"},
		"de/datenschutz/index.html":       {"Was sie für uns tun Betrieb von Servern und Datenbanken", "Gemeinsam Verantwortlicher Tätigkeit Anzeigenmessung mit dem Meta-Pixel"},
	} {
		text := pageText(out.Files[page])
		for _, w := range []string{c.processor, c.other} {
			if !strings.Contains(text, norm(w)) {
				t.Errorf("%s lacks %q", page, w)
			}
		}
	}
}

// TestWebshopQuotesAsEachLanguageDoes checks the shop's quoted link text:
// ”Avregistrera” in Swedish, “Unsubscribe” in English, „Abbestellen“ in
// German, not a typewriter's straight quotes on every page.
func TestWebshopQuotesAsEachLanguageDoes(t *testing.T) {
	t.Parallel()
	out := render(t, webshop, false)
	for page, want := range map[string]string{
		"sv/integritetspolicy/index.html": "länken ”Avregistrera”",
		"en/privacy-notice/index.html":    "the “Unsubscribe” link",
		"de/datenschutz/index.html":       "den Link „Abbestellen“",
	} {
		if text := pageText(out.Files[page]); !strings.Contains(text, want) {
			t.Errorf("%s lacks %q", page, want)
		}
	}
}
