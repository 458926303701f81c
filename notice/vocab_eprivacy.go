package notice

// The ePrivacy rules: storing information on a visitor's device or reading
// it from there (Directive 2002/58/EC Art. 5(3)) and electronic direct
// marketing (Art. 13), as each country's law says them. GDPR citations are
// in their own table; this one holds the national laws the directive left
// to each member state (and the UK's PECR), so that the page, the exports
// and lint cite the law of the notice's own country, never another's.

// StorageBases say why a consent category may store information on the
// visitor's device or read it from there: with consent, or under one of the
// two exemptions of Art. 5(3) second sentence (transposed in every country
// of the table). Msg is the sentence the page says it in, with the
// country's citation as {{.X}}.
var StorageBases = Vocab{
	{Key: "consent", Msg: "storage_consent"},
	{Key: "strictly-necessary", Msg: "storage_strictly-necessary"},
	{Key: "transmission", Msg: "storage_transmission"},
}

// StorageExemptions are the storage bases a necessary category may name
// with exemption = "...": every storage basis but consent.
func StorageExemptions() Vocab { return StorageBases[1:] }

// EPrivacyRule is one country's transposition of the ePrivacy Directive:
// the law, and the provision that requires consent for storage and access,
// that exempts what is strictly necessary for a service the visitor asked
// for, that exempts storage for the sole purpose of transmitting a
// communication, and that governs direct marketing by e-mail and SMS.
// Citations are written as lawyers of that country cite them, in its
// language, whatever the language of the page. Term.Key is the ISO 3166-1
// code ("GB" for the UK's PECR), or "EU" for the directive itself where the
// table has no national law; DPV 2.3 has no terms for these laws, so IRI
// is empty.
type EPrivacyRule struct {
	Term
	Law                                         string
	Consent, Necessary, Transmission, Marketing string
}

// Cite is the rule's provision for storage basis k (a key of StorageBases).
func (r EPrivacyRule) Cite(k string) string {
	switch k {
	case "consent":
		return r.Consent
	case "strictly-necessary":
		return r.Necessary
	case "transmission":
		return r.Transmission
	}
	return ""
}

// EPrivacyDirective is the rule where the table names no national law: the
// directive's own articles, which every member state has transposed.
var EPrivacyDirective = EPrivacyRule{
	Term:         Term{Key: "EU"},
	Law:          "Directive 2002/58/EC (ePrivacy Directive), as transposed in national law",
	Consent:      "Art. 5(3) Directive 2002/58/EC",
	Necessary:    "Art. 5(3) second sentence Directive 2002/58/EC",
	Transmission: "Art. 5(3) second sentence Directive 2002/58/EC",
	Marketing:    "Art. 13 Directive 2002/58/EC",
}

// EPrivacyRules returns the national rules of the table, in code order.
// Legal review (2026-12): the UK's reg. 6 PECR exceptions moved into its
// new Schedule A1 when the Data (Use and Access) Act 2025 s. 112 came into
// force on 5 February 2026 (SI 2026/82): para. 1 interprets, para. 2 is
// consent, para. 3 technical storage for transmission, para. 4 what is
// strictly necessary for a service the user asked for (paras 5-7 are the
// statistics, appearance and emergency exceptions, which no storage basis
// of ours names). Germany's TTDSG is the TDDDG since 14 May 2024. Each
// country's provisions are cited in its own form: Finnish in the genitive
// of the law's name ("... annetun lain 205 §:n 1 momentti"), Irish
// statutory instruments as "S.I. No. 336 of 2011", Danish "§ 3 i ...".
// Countries not listed (Belgium, Poland, Norway, ...) cite the directive
// until their provisions are checked.
func EPrivacyRules() []EPrivacyRule {
	rule := func(cc, law, consent, necessary, transmission, marketing string) EPrivacyRule {
		return EPrivacyRule{Term: Term{Key: cc}, Law: law, Consent: consent, Necessary: necessary, Transmission: transmission, Marketing: marketing}
	}
	return []EPrivacyRule{
		rule("AT", "Telekommunikationsgesetz 2021 (TKG 2021)", "§ 165 Abs. 3 TKG 2021", "§ 165 Abs. 3 TKG 2021", "§ 165 Abs. 3 TKG 2021", "§ 174 Abs. 3 TKG 2021"),
		rule("DE", "Telekommunikation-Digitale-Dienste-Datenschutz-Gesetz (TDDDG)", "§ 25 Abs. 1 TDDDG", "§ 25 Abs. 2 Nr. 2 TDDDG", "§ 25 Abs. 2 Nr. 1 TDDDG", "§ 7 Abs. 2 Nr. 2, Abs. 3 UWG"),
		rule("DK", "bekendtgørelse nr. 1148 af 9. december 2011 (cookiebekendtgørelsen)", "§ 3 i cookiebekendtgørelsen", "§ 4 i cookiebekendtgørelsen", "§ 4 i cookiebekendtgørelsen", "§ 10 i markedsføringsloven"),
		rule("ES", "Ley 34/2002 de servicios de la sociedad de la información (LSSI)", "art. 22.2 LSSI", "art. 22.2 LSSI", "art. 22.2 LSSI", "art. 21 LSSI"),
		rule("FI", "laki sähköisen viestinnän palveluista (917/2014)", "sähköisen viestinnän palveluista annetun lain 205 §:n 1 momentti", "sähköisen viestinnän palveluista annetun lain 205 §:n 2 momentti", "sähköisen viestinnän palveluista annetun lain 205 §:n 2 momentti", "sähköisen viestinnän palveluista annetun lain 200 §"),
		rule("FR", "loi n° 78-17 du 6 janvier 1978 (Informatique et Libertés)", "art. 82 loi Informatique et Libertés", "art. 82 loi Informatique et Libertés", "art. 82 loi Informatique et Libertés", "art. L. 34-5 CPCE"),
		rule("GB", "Privacy and Electronic Communications (EC Directive) Regulations 2003 (PECR)", "PECR reg. 6 and Sch. A1 para. 2", "PECR reg. 6 and Sch. A1 para. 4", "PECR reg. 6 and Sch. A1 para. 3", "PECR reg. 22"),
		rule("IE", "S.I. No. 336 of 2011 (ePrivacy Regulations 2011)", "reg. 5(3) S.I. No. 336 of 2011", "reg. 5(5) S.I. No. 336 of 2011", "reg. 5(5) S.I. No. 336 of 2011", "reg. 13 S.I. No. 336 of 2011"),
		rule("IT", "d.lgs. 196/2003 (Codice in materia di protezione dei dati personali)", "art. 122, comma 1, d.lgs. 196/2003", "art. 122, comma 1, d.lgs. 196/2003", "art. 122, comma 1, d.lgs. 196/2003", "art. 130 d.lgs. 196/2003"),
		rule("NL", "Telecommunicatiewet", "art. 11.7a lid 1 Telecommunicatiewet", "art. 11.7a lid 3 Telecommunicatiewet", "art. 11.7a lid 3 Telecommunicatiewet", "art. 11.7 Telecommunicatiewet"),
		rule("SE", "lagen (2022:482) om elektronisk kommunikation (LEK)", "9 kap. 28 § första stycket LEK", "9 kap. 28 § andra stycket LEK", "9 kap. 28 § andra stycket LEK", "19 § marknadsföringslagen (2008:486)"),
	}
}

// LookupEPrivacy returns the rule of country cc (ISO 3166-1 code).
func LookupEPrivacy(cc string) (EPrivacyRule, bool) {
	for _, r := range EPrivacyRules() {
		if r.Key == cc {
			return r, true
		}
	}
	return EPrivacyRule{}, false
}

// EPrivacyStated is the ePrivacy rule the notice states ([notice]
// eprivacy), which the page cites; false when it states none.
func (n *Notice) EPrivacyStated() (EPrivacyRule, bool) {
	switch k := n.Meta.EPrivacy; {
	case k == "":
		return EPrivacyRule{}, false
	case k == EPrivacyDirective.Key:
		return EPrivacyDirective, true
	default:
		return LookupEPrivacy(k)
	}
}

// EPrivacyCountry is the country whose ePrivacy law applies to the notice:
// the one it states; the UK under jurisdiction = "UK"; otherwise the
// controller's country (ControllerCountry) where it lies in the EEA, else
// its representative's there (a controller outside the Union names one,
// Art. 27); "" when neither does.
func (n *Notice) EPrivacyCountry() string {
	if k := n.Meta.EPrivacy; k != "" && k != EPrivacyDirective.Key {
		return k
	}
	if n.Jurisdiction() == "UK" {
		return "GB"
	}
	cands := []string{n.ControllerCountry()}
	if n.Representative != nil {
		cands = append(cands, n.Representative.Country)
	}
	for _, c := range cands {
		if k, ok := LookupCountry(c); ok && k.EEA {
			return c
		}
	}
	return ""
}

// EPrivacy is the ePrivacy rule that applies to the notice, for lint: the
// one it states, else its country's, else the directive's where the table
// has no rule for the country. The page cites only a stated rule.
func (n *Notice) EPrivacy() EPrivacyRule {
	if r, ok := n.EPrivacyStated(); ok {
		return r
	}
	if r, ok := LookupEPrivacy(n.EPrivacyCountry()); ok {
		return r
	}
	return EPrivacyDirective
}

// StorageBasis is why the category may store information on the visitor's
// device: "consent" for a category the visitor chooses, its exemption (by
// default "strictly-necessary") for the necessary one.
func (c ConsentCategory) StorageBasis() string {
	switch {
	case !c.Necessary:
		return "consent"
	case c.Exemption != "":
		return c.Exemption
	}
	return "strictly-necessary"
}
