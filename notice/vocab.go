package notice

// Term is one value of a closed vocabulary of the schema: the key written in
// TOML, the GDPR article it stands for (empty where none), its W3C DPV 2.3
// IRI in prefixed form (empty where DPV has no term), and the i18n message id
// of its name on the page. Validation, rendering, lint and exports all read
// these tables instead of repeating the strings.
type Term struct {
	Key     string
	Article string
	IRI     string
	Msg     string
}

// Vocab is a closed vocabulary, in the order the page and error messages
// list it.
type Vocab []Term

// Lookup returns the term with key k.
func (v Vocab) Lookup(k string) (Term, bool) {
	for _, t := range v {
		if t.Key == k {
			return t, true
		}
	}
	return Term{}, false
}

// Has reports whether k is a key of v.
func (v Vocab) Has(k string) bool {
	_, ok := v.Lookup(k)
	return ok
}

// Keys returns the keys of v in order.
func (v Vocab) Keys() []string {
	out := make([]string, len(v))
	for i, t := range v {
		out[i] = t.Key
	}
	return out
}

// LegalBases are the legal bases of GDPR Art. 6(1)(a)-(f), in article order.
var LegalBases = Vocab{
	{"consent", "6(1)(a)", "eu-gdpr:A6-1-a", "basis_consent"},
	{"contract", "6(1)(b)", "eu-gdpr:A6-1-b", "basis_contract"},
	{"legal-obligation", "6(1)(c)", "eu-gdpr:A6-1-c", "basis_legal-obligation"},
	{"vital-interests", "6(1)(d)", "eu-gdpr:A6-1-d", "basis_vital-interests"},
	{"public-task", "6(1)(e)", "eu-gdpr:A6-1-e", "basis_public-task"},
	{"legitimate-interests", "6(1)(f)", "eu-gdpr:A6-1-f", "basis_legitimate-interests"},
}

// Rights are the rights a notice can state, in the order GDPR lists them.
// Msg is the standard title; Msg + "_text" the standard text.
var Rights = Vocab{
	{"access", "15", "eu-gdpr:A15", "right_access"},
	{"rectification", "16", "eu-gdpr:A16", "right_rectification"},
	{"erasure", "17", "eu-gdpr:A17", "right_erasure"},
	{"restriction", "18", "eu-gdpr:A18", "right_restriction"},
	{"portability", "20", "eu-gdpr:A20", "right_portability"},
	{"objection", "21", "eu-gdpr:A21", "right_objection"},
	{"automated-decisions", "22", "eu-gdpr:A22", "right_automated-decisions"},
	{"withdraw-consent", "7(3)", "eu-gdpr:A7-3", "right_withdraw-consent"},
	{"complaint", "77", "eu-gdpr:A77", "right_complaint"},
	{"damages", "82", "", "right_damages"},
}

// Anchors are the events a retention period runs from ("18 months after the
// invoice is paid"). Msg is the phrase that follows the period.
var Anchors = Vocab{
	{"collection", "", "", "anchor_collection"},
	{"obtained", "", "", "anchor_obtained"},
	{"decision", "", "", "anchor_decision"},
	{"last-activity", "", "", "anchor_last-activity"},
	{"contract-end", "", "", "anchor_contract-end"},
	{"account-deletion", "", "", "anchor_account-deletion"},
	{"invoice-paid", "", "", "anchor_invoice-paid"},
	{"delivery", "", "", "anchor_delivery"},
	{"fiscal-year-end", "", "", "anchor_fiscal-year-end"},
	{"fiscal-year-calendar-end", "", "", "anchor_fiscal-year-calendar-end"},
	// The end of the calendar year in which the record arose (§ 147 Abs. 4
	// AO, § 257 Abs. 5 HGB; § 132 BAO).
	{"calendar-year-end", "", "", "anchor_calendar-year-end"},
	{"consent-withdrawn", "", "", "anchor_consent-withdrawn"},
	{"erasure-request", "", "", "anchor_erasure-request"},
	{"objection", "", "", "anchor_objection"},
	{"session-end", "", "", "anchor_session-end"},
	// Events that are not the person's: the data is no longer needed for
	// the purpose, our contract with a processor ends (Art. 28(3)(g)),
	// proceedings are concluded.
	{"no-longer-needed", "", "", "anchor_no-longer-needed"},
	{"processor-contract-end", "28(3)(g)", "", "anchor_processor-contract-end"},
	{"proceedings-end", "", "", "anchor_proceedings-end"},
}

// Untils are the events data is kept until, without a period ("until the
// claim is settled": a debt owed to the controller is paid; "until your
// case has been closed": a complaint or request of the person's is dealt
// with). Msg is the phrase.
var Untils = Vocab{
	{"end-of-relationship", "", "", "until_end-of-relationship"},
	{"contract-end", "", "", "until_contract-end"},
	{"account-deletion", "", "", "until_account-deletion"},
	{"claim-settled", "", "", "until_claim-settled"},
	{"consent-withdrawn", "", "", "until_consent-withdrawn"},
	{"erasure-request", "", "", "until_erasure-request"},
	{"objection", "", "", "until_objection"},
	{"unsubscribe", "", "", "until_unsubscribe"},
	{"no-longer-needed", "", "", "until_no-longer-needed"},
	{"session-end", "", "", "until_session-end"},
	{"legal-requirement", "", "", "until_legal-requirement"},
	{"processor-contract-end", "28(3)(g)", "", "until_processor-contract-end"},
	{"limitation-period", "", "", "until_limitation-period"},
	{"proceedings-end", "", "", "until_proceedings-end"},
	{"case-closed", "", "", "until_case-closed"},
}

// SpecialCategories are the special categories of personal data of GDPR
// Art. 9(1) and the criminal-offence data of Art. 10 (key "criminal").
var SpecialCategories = Vocab{
	{"racial-ethnic-origin", "9(1)", "pd:EthnicOrigin", "special_racial-ethnic-origin"},
	{"political-opinions", "9(1)", "pd:PoliticalOpinion", "special_political-opinions"},
	{"religious-beliefs", "9(1)", "pd:ReligiousBelief", "special_religious-beliefs"},
	{"trade-union", "9(1)", "pd:TradeUnionMembership", "special_trade-union"},
	{"genetic", "9(1)", "pd:Genetic", "special_genetic"},
	{"biometric", "9(1)", "pd:Biometric", "special_biometric"},
	{"health", "9(1)", "pd:Health", "special_health"},
	{"sex-life", "9(1)", "pd:Sexual", "special_sex-life"},
	{"sexual-orientation", "9(1)", "pd:SexualPreference", "special_sexual-orientation"},
	{"criminal", "10", "pd:Criminal", "special_criminal"},
}

// Art9Conditions are the conditions of GDPR Art. 9(2)(a)-(j) under which
// special categories may be processed.
var Art9Conditions = Vocab{
	{"explicit-consent", "9(2)(a)", "eu-gdpr:A9-2-a", "art9_explicit-consent"},
	{"employment", "9(2)(b)", "eu-gdpr:A9-2-b", "art9_employment"},
	{"vital-interests", "9(2)(c)", "eu-gdpr:A9-2-c", "art9_vital-interests"},
	{"not-for-profit", "9(2)(d)", "eu-gdpr:A9-2-d", "art9_not-for-profit"},
	{"made-public", "9(2)(e)", "eu-gdpr:A9-2-e", "art9_made-public"},
	{"legal-claims", "9(2)(f)", "eu-gdpr:A9-2-f", "art9_legal-claims"},
	{"substantial-public-interest", "9(2)(g)", "eu-gdpr:A9-2-g", "art9_substantial-public-interest"},
	{"health-care", "9(2)(h)", "eu-gdpr:A9-2-h", "art9_health-care"},
	{"public-health", "9(2)(i)", "eu-gdpr:A9-2-i", "art9_public-health"},
	{"archiving-research", "9(2)(j)", "eu-gdpr:A9-2-j", "art9_archiving-research"},
}

// DataOrigins say how a data category comes to the controller: collected
// from the person (Art. 13), generated by their use of the service (Art. 13),
// or obtained from someone else (Art. 14, with a source). Msg heads the
// group on the page.
var DataOrigins = Vocab{
	{"collected", "13", "", "origin_collected"},
	{"generated", "13", "", "origin_generated"},
	{"obtained", "14", "", "origin_obtained"},
}

// StorageKinds are the kinds of storage on the visitor's device that the
// cookie declaration covers (ePrivacy Art. 5(3) covers them all).
var StorageKinds = Vocab{
	{"cookie", "", "", "storage_cookie"},
	{"local-storage", "", "", "storage_local-storage"},
	{"session-storage", "", "", "storage_session-storage"},
	{"indexeddb", "", "", "storage_indexeddb"},
	{"pixel", "", "", "storage_pixel"},
}
