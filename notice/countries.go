package notice

import "strings"

// Worldwide is the country value of a recipient that may process the data
// anywhere (a public web page, a global support rota).
const Worldwide = "worldwide"

// Adequacy levels of a country under an adequacy decision or regulations.
const (
	AdequacyNone  = ""
	AdequacyFull  = "full"
	AdequacyScope = "scope" // limited in scope (Canada: commercial organisations under PIPEDA)
	AdequacyDPF   = "dpf"   // only recipients certified under the EU-US Data Privacy Framework (or its UK Extension)
)

// Country is one ISO 3166-1 alpha-2 country: its code (Term.Key), the DPV
// 2.3 term of the EU adequacy decision where DPV has one (Term.IRI), EEA
// membership, and its adequacy under GDPR Art. 45(3) (EU) and under the UK
// adequacy regulations (UK GDPR Art. 45A since the Data (Use and Access)
// Act 2025; before 5 February 2026 DPA 2018 s17A).
type Country struct {
	Term
	EEA        bool
	EUAdequacy string
	UKAdequacy string
}

// iso3166 lists every ISO 3166-1 alpha-2 code.
const iso3166 = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`

// eeaStates are the 27 EU member states and Iceland, Liechtenstein, Norway.
const eeaStates = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK"

// euAdequacy are the countries with an EU adequacy decision in force in
// 2026 (Commission list, checked 2026-12): Andorra, Argentina, Canada
// (commercial organisations), Faroe Islands, Guernsey, Israel, Isle of Man,
// Japan, Jersey, New Zealand, Republic of Korea, Switzerland, United
// Kingdom (renewed 2025), Uruguay, and the United States for recipients
// certified under the EU-US Data Privacy Framework (decision of 2023-07-10).
// Legal review: Brazil's decision was in draft (2025-09) and is not listed.
var euAdequacy = map[string]string{
	"AD": AdequacyFull, "AR": AdequacyFull, "CA": AdequacyScope, "FO": AdequacyFull,
	"GG": AdequacyFull, "IL": AdequacyFull, "IM": AdequacyFull, "JP": AdequacyFull,
	"JE": AdequacyFull, "NZ": AdequacyFull, "KR": AdequacyFull, "CH": AdequacyFull,
	"GB": AdequacyFull, "UY": AdequacyFull, "US": AdequacyDPF,
}

// ukAdequacy are the countries covered by UK adequacy regulations in 2026
// (DPA 2018 Sch. 21 para. 4, now regulations under UK GDPR Art. 45A, and
// the s17A regulations made before 2026): the EEA states (added
// below), Gibraltar, the countries the EU had found adequate before 2021,
// the Republic of Korea (2022) and the United States for recipients
// certified under the UK Extension to the Data Privacy Framework (2023).
var ukAdequacy = map[string]string{
	"GI": AdequacyFull, "AD": AdequacyFull, "AR": AdequacyFull, "CA": AdequacyScope,
	"FO": AdequacyFull, "GG": AdequacyFull, "IL": AdequacyFull, "IM": AdequacyFull,
	"JP": AdequacyFull, "JE": AdequacyFull, "NZ": AdequacyFull, "CH": AdequacyFull,
	"UY": AdequacyFull, "KR": AdequacyFull, "US": AdequacyDPF,
}

// euDecisionIRI are the DPV 2.3 terms of EU adequacy decisions.
const euDecisions = "AD AR CA CH FO GB GG IL IM JE JP NZ UY"

// Countries returns every ISO 3166-1 alpha-2 country with its EEA
// membership and adequacy, in code order.
func Countries() []Country {
	codes := strings.Fields(iso3166)
	out := make([]Country, len(codes))
	for i, c := range codes {
		out[i] = countryOf(c)
	}
	return out
}

func countryOf(c string) Country {
	k := Country{Term: Term{Key: c}, EEA: isCode(eeaStates, c), EUAdequacy: euAdequacy[c], UKAdequacy: ukAdequacy[c]}
	if k.EEA {
		k.UKAdequacy = AdequacyFull
	}
	if k.EUAdequacy != "" {
		k.Article = "45(3)"
	}
	if isCode(euDecisions, c) {
		k.IRI = "legal-eu:Adequacy-EU-" + c
	}
	return k
}

// isCode reports whether c is one of the codes of list, a string of
// two-letter codes each followed by one separator.
func isCode(list, c string) bool {
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return false
	}
	for i := 0; i+2 <= len(list); i += 3 {
		if list[i:i+2] == c {
			return true
		}
	}
	return false
}

// LookupCountry returns the country with ISO 3166-1 alpha-2 code c
// (upper case).
func LookupCountry(c string) (Country, bool) {
	if !isCode(iso3166, c) {
		return Country{}, false
	}
	return countryOf(c), true
}

// AtHome reports whether country c (a code or "worldwide") is inside the
// notice's home area: the EEA for jurisdiction EU, the United Kingdom for
// UK. Data sent elsewhere is a third-country transfer.
func (n *Notice) AtHome(c string) bool {
	if n.Jurisdiction() == "UK" {
		return c == "GB"
	}
	k, ok := LookupCountry(c)
	return ok && k.EEA
}

// Adequacy is country c's adequacy under the notice's jurisdiction.
func (n *Notice) Adequacy(c string) string {
	k, ok := LookupCountry(c)
	if !ok {
		return AdequacyNone
	}
	if n.Jurisdiction() == "UK" {
		return k.UKAdequacy
	}
	return k.EUAdequacy
}

// Abroad returns the countries of r outside the home area, in order.
func (n *Notice) Abroad(r Recipient) []string {
	var out []string
	for _, c := range r.CountryList() {
		if !n.AtHome(c) {
			out = append(out, c)
		}
	}
	return out
}
