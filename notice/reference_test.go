package notice

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/integritet/integritet/i18n"
)

var update = flag.Bool("update", false, "rewrite docs/reference.md from the schema")

// referencePath is the TOML reference that TestReferenceIsCurrent writes
// from the schema itself (go test ./notice -update).
var referencePath = filepath.Join("..", "docs", "reference.md")

// tableDocs says what each table of content/*.toml is for.
var tableDocs = map[string]string{
	"notice":           "The notice itself: version, languages, where it is published, its title and introduction.",
	"controller":       "Who is responsible for the processing (GDPR Art. 13(1)(a)).",
	"dpo":              "The data protection officer (Art. 13(1)(b), 37-39). Give a name or e-mail, and the block is shown; `appointed = false` says explicitly that none is appointed.",
	"authority":        "The supervisory authority visitors may complain to (Art. 13(2)(d), 77): a key of the built-in table, or a custom name and address.",
	"representative":   "The representative in the Union (or the UK) of a controller established outside it (Art. 27).",
	"joint_controller": "Each party with which the controller jointly determines purposes and means (Art. 26): who does what, and the essence of the arrangement.",
	"sections":         "The prose that frames the structured parts: one Markdown text per built-in section of the page.",
	"children":         "Whether the service is for children, from what age, and how age is checked (Art. 8).",
	"section":          "An extra section of the page (scope, definitions, changes to the notice, ...), placed after another section, with an entry in the contents.",
	"transfers":        "Transfers outside the home area (Art. 13(1)(f), Chapter V) as a whole. Each recipient abroad states its own mechanism.",
	"banner":           "How the cookie banner behaves and where it records consent.",
	"data_category":    "A category of personal data (Art. 13(1), 14(1)(d)).",
	"purpose":          "Why data is processed, and on what legal basis (Art. 13(1)(c), (d), 13(2)(e)).",
	"retention":        "How long data is kept (Art. 13(2)(a)), exactly as the notice says it: one of a period after an event (`anchor` + `duration`), an upper bound (`duration` + `at_most`), until an event (`until`), or indefinitely (`indefinite`).",
	"recipient":        "Who receives the data (Art. 13(1)(e)): a named party or a category of recipients, with the countries it processes data in and, outside the home area, its transfer mechanism.",
	"right":            "A right of the data subject (Art. 13(2)(b)-(d), 15-22, 7(3), 77, 82). With only its key, the standard title and text from the UI strings are shown.",
	"consent_category": "A category of the cookie banner. Exactly one is `necessary = true`.",
	"cookie":           "A cookie or similar storage on the visitor's device (ePrivacy Art. 5(3)).",
	"history":          "An earlier or the current version of the notice, for the history page.",
	"accept":           "A lint finding that legal has reviewed and accepted, with the reason. Accepted findings are still listed. `rule` is a rule id (`integritet lint -rules`); `target` is the key path that `integritet lint` prints under each finding (`target: purpose.security`); it matches that finding and every finding below it (`purpose.security` also accepts `purpose.security.basis`). Leave `target` out to accept every finding of the rule.",
}

// fieldDoc documents one key: what it means, an example, the article it
// serves, and the closed set it takes its values from.
type fieldDoc struct {
	doc, example, art string
	values            []string
}

// fieldDocs documents every key of the schema, by table and key path
// ("purpose.basis", "data_category.examples.key").
func fieldDocs() map[string]fieldDoc {
	text := func(s string) string { return `{sv = "` + s + `", en = "..."}` }
	return map[string]fieldDoc{
		"notice.version":          {"The version of the notice, shown with it and recorded with each consent.", `"2027.1"`, "12(1)", nil},
		"notice.effective_date":   {"The date this version applies from.", `2027-01-01`, "12(1)", nil},
		"notice.languages":        {"The languages the notice is published in (BCP 47 tags); every text is given in each. A language needs UI strings: built in are " + strings.Join(builtinLanguages, ", ") + "; for another add `i18n/<lang>.toml`.", `["sv", "en"]`, "12(1)", nil},
		"notice.default_language": {"The language the site's root page and the record of processing use.", `"sv"`, "", nil},
		"notice.base_url":         {"Where the notice is published. A path (`https://example.org/legal/`) puts every page, asset and file under it, `.well-known/` too: GPC expects `/.well-known/gpc.json` at the host's root, so map it there. The consent endpoint allows this origin.", `"https://www.example.se"`, "", nil},
		"notice.slug":             {"The page's path segment in each language.", `{sv = "integritetspolicy", en = "privacy-notice"}`, "", nil},
		"notice.title":            {"The page title.", text("Integritetspolicy"), "", nil},
		"notice.description":      {"One sentence on what the page describes (meta description).", text("..."), "", nil},
		"notice.intro":            {"Markdown shown under the title.", text("..."), "12(1)", nil},
		"notice.register":         {"How the page's own strings address the reader: `informal` takes the du form where a language has one (German: `i18n/de.informal.toml`, \"Du hast das Recht ...\"), over the usual (formal) strings; a site's own `i18n/<lang>.informal.toml` overrides it string by string. Swedish and English read the same either way.", `"informal"`, "12(1)", Registers.Keys()},
		"notice.jurisdiction":     {"The law the notice is written under: `EU` (GDPR; home area the EEA) or `UK` (UK GDPR; home area the UK). Decides which countries are third countries and which adequacy decisions count.", `"UK"`, "3, 44", Jurisdictions.Keys()},
		"notice.eprivacy":         {"The country whose ePrivacy law the notice states for cookies and similar storage (Directive 2002/58/EC Art. 5(3) as transposed): the page then cites its provisions on every cookie category and consent-based purpose (LEK 9 kap. 28 §, § 25 TDDDG, PECR reg. 6, art. 82 loi Informatique et Libertés, ...). `EU` cites the directive, for a country whose provisions are not built in; `GB` needs jurisdiction = \"UK\". Left out, the page cites none, and lint names the law of the controller's country.", `"DE"`, "ePrivacy 5(3)", ePrivacyKeys()},

		"controller.name":    {"The controller's legal name.", `"Exempel AB"`, "13(1)(a)", nil},
		"controller.org_nr":  {"Registration number.", `"556000-0000"`, "13(1)(a)", nil},
		"controller.email":   {"Contact e-mail address.", `"privacy@example.se"`, "13(1)(a)", nil},
		"controller.phone":   {"Contact telephone number.", `"+46 8 000 00 00"`, "13(1)(a)", nil},
		"controller.address": {"Postal address, in each language.", text("Gatan 1, 123 45 Staden"), "13(1)(a)", nil},
		"controller.url":     {"The controller's website.", `"https://www.example.se"`, "", nil},
		"controller.country": {"Where the controller is established (ISO 3166-1 alpha-2). Outside the jurisdiction, lint asks for a representative.", `"US"`, "3(2), 27", nil},
		"controller.role":    {"Markdown that states the controllership.", text("{controller.name} är personuppgiftsansvarig ..."), "4(7)", nil},

		"dpo.appointed": {"`false` says that no DPO is appointed (shown as such); `true` with no contact is a lint warning.", `false`, "13(1)(b)", nil},
		"dpo.name":      {"The DPO's name or office: one string for every language (a person's name), or a text where it is translated.", `{sv = "Dataskyddsombudet", en = "The data protection officer"}`, "13(1)(b)", nil},
		"dpo.email":     {"The DPO's e-mail address.", `"dpo@example.se"`, "13(1)(b)", nil},
		"dpo.text":      {"Markdown shown with the DPO's contact.", text("..."), "13(1)(b)", nil},

		"authority.key":  {"A built-in supervisory authority (name, address and DPV term come with it), or leave it out and give name and url for one that is not built in.", `"imy"`, "13(2)(d)", authorityKeys()},
		"authority.name": {"The authority's name as the notice writes it; overrides the built-in name.", text("Integritetsskyddsmyndigheten (IMY)"), "13(2)(d)", nil},
		"authority.url":  {"The authority's website.", `"https://www.imy.se"`, "13(2)(d)", nil},

		"representative.name":    {"The representative's name.", `"EU-Rep Ltd"`, "27", nil},
		"representative.email":   {"Its e-mail address.", `"rep@example.eu"`, "27", nil},
		"representative.phone":   {"Its telephone number.", `"+353 1 000 0000"`, "27", nil},
		"representative.address": {"Its postal address.", text("..."), "27", nil},
		"representative.country": {"Where it is established (ISO 3166-1 alpha-2).", `"IE"`, "27(3)", nil},
		"representative.url":     {"Its website.", `"https://rep.example.eu"`, "27", nil},

		"joint_controller.key":                  {"A key for the party.", `"partner"`, "26", nil},
		"joint_controller.name":                 {"The party's legal name.", `"Partner AB"`, "26", nil},
		"joint_controller.email":                {"Its contact e-mail address.", `"privacy@partner.se"`, "26(1)", nil},
		"joint_controller.address":              {"Its postal address.", text("..."), "26(1)", nil},
		"joint_controller.country":              {"Where it is established.", `"SE"`, "26", nil},
		"joint_controller.url":                  {"Its website.", `"https://partner.se"`, "26", nil},
		"joint_controller.notice":               {"A link to its own privacy notice.", `"https://partner.se/privacy"`, "26(2)", nil},
		"joint_controller.purposes":             {"The keys of the purposes it shares.", `["events"]`, "26(1)", nil},
		"joint_controller.responsibilities":     {"What this party is responsible for.", text("..."), "26(1)", nil},
		"joint_controller.our_responsibilities": {"What the controller is responsible for under the arrangement.", text("..."), "26(1)", nil},
		"joint_controller.essence":              {"The essence of the arrangement, made available to data subjects.", text("..."), "26(2)", nil},

		"sections.data":       {"Markdown before the data categories.", text("..."), "", nil},
		"sections.purposes":   {"Markdown before the purposes (for example what a legal basis is).", text("..."), "", nil},
		"sections.retention":  {"Markdown before the retention rules.", text("..."), "", nil},
		"sections.recipients": {"Markdown before the recipients.", text("..."), "", nil},
		"sections.security":   {"How the data is protected; the section is shown only with it.", text("..."), "32", nil},
		"sections.rights":     {"Markdown before the rights.", text("..."), "", nil},
		"sections.cookies":    {"Markdown before the cookie tables.", text("..."), "", nil},
		"sections.contact":    {"How to exercise the rights; the controller's e-mail follows it.", text("..."), "12(2)", nil},
		"sections.marketing":  {"How to object to direct marketing; the controller's e-mail follows it.", text("..."), "21(4)", nil},

		"children.min_age": {"The age from which the service may be used (the page says it is not for younger children).", `16`, "8(1)", nil},
		"children.check":   {"How age is checked, or a parent's consent obtained; lint asks for it with min_age.", text("..."), "8(2)", nil},
		"children.text":    {"Markdown on children and their data.", text("..."), "8, recital 38", nil},

		"section.key":   {"A key for the section (its anchor is `section-<key>`); not one of the built-in sections.", `"changes"`, "", nil},
		"section.title": {"Its heading and contents entry.", text("Ändringar i policyn"), "", nil},
		"section.text":  {"Its Markdown.", text("..."), "", nil},
		"section.after": {"The section it follows: a built-in one or another extra section's key. Left out, it goes at the end.", `"rights"`, "", BuiltinSections},

		"transfers.none":       {"`true` says explicitly that no data leaves the home area; lint flags a recipient abroad that contradicts it.", `true`, "13(1)(f)", nil},
		"transfers.text":       {"Markdown on transfers as a whole.", text("..."), "13(1)(f)", nil},
		"transfers.safeguards": {"How a visitor obtains a copy of the safeguards, for every recipient that does not say it itself.", text("Skriv till oss för en kopia av avtalsklausulerna."), "13(1)(f)", nil},

		"banner.cookie":             {"The declared [[cookie]] that stores the visitor's choice; it must be in the necessary category and last whole days.", `"site_consent"`, "7(1)", nil},
		"banner.endpoint":           {"Where the banner records each decision (the consent endpoint).", `"/api/consent"`, "7(1)", nil},
		"banner.gpc":                {"`true` treats Global Privacy Control as a refusal and publishes `/.well-known/gpc.json`. Left out, the banner still honours GPC but says nothing of it.", `true`, "21(5)", nil},
		"banner.ads_data_redaction": {"With Consent Mode: redact ad click identifiers while `ad_storage` is denied (`gtag('set', 'ads_data_redaction', true)`).", `true`, "", nil},
		"banner.url_passthrough":    {"With Consent Mode: pass ad click information in links while storage is denied (`gtag('set', 'url_passthrough', true)`).", `true`, "", nil},
		"banner.reopen":             {"`false` leaves out the small settings control that the banner adds to pages without an element of their own with `data-consent-open`. Withdrawing must stay as easy as consenting: give every page such an element then.", `false`, "7(3)", nil},
		"banner.consent_mode":       {"Google Consent Mode v2 types, each granted when all the listed categories are.", `{analytics_storage = ["statistics"]}`, "", ConsentModeTypes},

		"data_category.key":              {"A key for the category.", `"customer-data"`, "", nil},
		"data_category.title":            {"Its name.", text("Kunduppgifter"), "13(1)", nil},
		"data_category.description":      {"Markdown describing it.", text("..."), "14(1)(d)", nil},
		"data_category.examples":         {"The kinds of data within it, each an inline table.", `[{text = {sv = "namn", en = "name"}, dpv = "pd:Name"}]`, "14(1)(d)", nil},
		"data_category.examples.key":     {"A key, so that a retention rule can cover this item alone (`items`).", `"ip-address"`, "", nil},
		"data_category.examples.text":    {"The item's name.", text("IP-adress"), "", nil},
		"data_category.examples.dpv":     {"Its W3C DPV 2.3 personal-data term, for the JSON-LD export; checked against DPV 2.3.", `"pd:IPAddress"`, "", nil},
		"data_category.examples.special": {"Marks this item as a special category (Art. 9(1)) or criminal-offence data (Art. 10).", `"health"`, "9(1), 10", SpecialCategories.Keys()},
		"data_category.origin":           {"How the data comes to the controller: collected from the person (the default), generated by their use of the service, or obtained from others (give `source`). The page groups categories by origin.", `"obtained"`, "13, 14", DataOrigins.Keys()},
		"data_category.source":           {"Where data not collected from the person comes from.", text("Från kreditupplysningsföretaget UC AB."), "14(2)(f)", nil},
		"data_category.special":          {"Marks the whole category as special (Art. 9(1)) or criminal-offence data (Art. 10); the purposes that process it then state their condition.", `"health"`, "9(1), 10", SpecialCategories.Keys()},

		"purpose.key":                {"A key for the purpose.", `"service-provision"`, "", nil},
		"purpose.title":              {"Its name.", text("Tillhandahållande av tjänster"), "13(1)(c)", nil},
		"purpose.description":        {"Markdown: what is done with the data.", text("..."), "13(1)(c)", nil},
		"purpose.basis":              {"Its legal basis, or several as an array. A purpose with none loads, and lint flags it.", `["contract", "legitimate-interests"]`, "6(1), 13(1)(c)", LegalBases.Keys()},
		"purpose.basis_name":         {"The notice's own wording of its single basis, shown instead of the standard name.", text("Fullgörande av ingångna avtal"), "13(1)(c)", nil},
		"purpose.law":                {"The law a legal obligation or public task rests on, where the notice names it.", `"Bokföringslagen (1999:1078)"`, "6(3)", nil},
		"purpose.interests":          {"The legitimate interests pursued; lint asks for them with legitimate-interests.", text("..."), "13(1)(d)", nil},
		"purpose.requirement":        {"Whether providing the data is a statutory or contractual requirement, and what happens if it is not.", text("..."), "13(2)(e)", nil},
		"purpose.data_categories":    {"The keys of the data categories it processes.", `["customer-data"]`, "30(1)(c)", nil},
		"purpose.retention":          {"The keys of the retention rules that apply; together they must cover each of its data categories.", `["paid-invoice"]`, "13(2)(a)", nil},
		"purpose.recipients":         {"The keys of the recipients its data is disclosed to.", `["processors"]`, "13(1)(e)", nil},
		"purpose.consent":            {"For a purpose on consent given in the cookie banner: the [[consent_category]] that asks for it.", `"statistics"`, "6(1)(a), 7", nil},
		"purpose.consent_given":      {"For consent given outside the banner (a sign-up form, a checkbox): where and how it is given. Needs consent_withdrawal; puts nothing into the banner.", text("Du anmäler dig i formuläret."), "7(1)", nil},
		"purpose.consent_withdrawal": {"How consent given outside the banner is withdrawn.", text("Klicka på länken i varje nyhetsbrev."), "7(3)", nil},
		"purpose.special_conditions": {"The Art. 9(2) conditions under which it processes special categories of data; required when any of its data is marked special.", `["explicit-consent"]`, "9(2)", Art9Conditions.Keys()},
		"purpose.automated":          {"A statement on automated decisions or profiling.", text("Vi fattar inga automatiserade beslut."), "13(2)(f), 22", nil},
		"purpose.data_subjects":      {"Whose data it is, in the notice's own words: in the record of processing, and with the purpose on the page where the purpose also names the categories (subject_types), which these words then say.", text("kunder"), "30(1)(c)", nil},
		"purpose.dpv":                {"W3C DPV 2.3 purpose terms, for the JSON-LD export and some lint rules; checked against DPV 2.3.", `["dpv:ServiceProvision"]`, "", nil},

		"purpose.basis_conditions":       {"Limits bases to the cases they apply in, each an inline table: `[{basis = \"consent\", when = \"storage\"}]` with basis = [\"consent\", \"legitimate-interests\"] says consent where cookies are set, otherwise legitimate interests. A basis without a condition applies in every other case; at most one may be left so.", `[{basis = "consent", when = "storage"}]`, "6(1)", nil},
		"purpose.basis_conditions.basis": {"The basis the condition limits: one of the purpose's bases.", `"consent"`, "6(1)", nil},
		"purpose.basis_conditions.when":  {"The case, named in the standard words: `storage` (information stored on or read from the visitor's device; the page cites the ePrivacy law of the notice's country) qualifies consent, `customer` and `pre-contract` the contract, `required-by-law` a legal obligation.", `"storage"`, "6(1), ePrivacy 5(3)", ConditionVocab().Keys()},
		"purpose.basis_conditions.text":  {"The case in the notice's own words; with when, it replaces the standard phrase.", text("om du deltar i tävlingen"), "6(1)", nil},
		"purpose.subject_types":          {"Whose data it is, as standard categories: shown with the purpose on the page (in the words of data_subjects where given, else in the standard words of each language), in the record of processing, and as DPV terms in the JSON-LD export.", `["customer", "visitor"]`, "30(1)(c)", SubjectTypes.Keys()},

		"retention.key":             {"A key for the rule.", `"paid-invoice"`, "", nil},
		"retention.data_categories": {"The keys of the data categories it covers.", `["customer-data"]`, "13(2)(a)", nil},
		"retention.items":           {"Narrows the rule to some examples of its data categories (their keys): it covers only those items.", `["ip-address"]`, "13(2)(a)", nil},
		"retention.anchor":          {"The event the period runs from; optional with at_most. Lint flags an exact period without one.", `"invoice-paid"`, "13(2)(a)", Anchors.Keys()},
		"retention.duration":        {"ISO 8601 duration: P18M, P3W, P7Y, PT72H. Calendar-aware.", `"P18M"`, "13(2)(a)", nil},
		"retention.at_most":         {"`true`: the duration is an upper bound (\"at most 6 months\").", `true`, "13(2)(a)", nil},
		"retention.until":           {"Kept until an event, with no period.", `"claim-settled"`, "13(2)(a)", Untils.Keys()},
		"retention.indefinite":      {"`true`: kept indefinitely; lint asks for a reason.", `true`, "5(1)(e)", nil},
		"retention.law":             {"The law that sets the period, where the notice names one; shown in the table's statutory-requirement column, which is left out when no rule names a law. A law that only makes the data necessary (GDPR Art. 7(1) for proof of consent) sets no period: say it in reason, or as the purpose's law.", `"Bokföringslagen (1999:1078) 7 kap. 2 §"`, "6(3)", nil},
		"retention.reason":          {"Why the data is kept this long, where the notice says it: shown in the retention table. Lint asks for it where one rule differs from another for the same data, or data is kept indefinitely.", text("..."), "5(1)(e)", nil},
		"retention.text":            {"The rule's own sentence in Markdown. {duration} renders the period (\"18 månader\"), {duration.words} with the number as a word (\"tre veckor\"), {anchor} the event.", text("När fakturan är betald raderas uppgifterna efter {duration}."), "13(2)(a)", nil},

		"retention.unless":      {"Exceptions to the period, said after it (\"unless a law requires us to keep it longer\"): a law that requires longer, legal claims, or the person's agreement to longer.", `["legal-requirement"]`, "5(1)(e), 17(3)", RetentionExceptions.Keys()},
		"retention.unless_text": {"An exception in the notice's own words, said after the period as \"unless ...\".", text("du ber oss spara dem längre"), "5(1)(e)", nil},

		"recipient.key":             {"A key for the recipient.", `"payments"`, "", nil},
		"recipient.kind":            {"What the recipient is to the controller.", `"processor"`, "4(7)-(10), 13(1)(e)", RecipientKinds.Keys()},
		"recipient.name":            {"A named recipient's legal name; optional for a category of recipients.", `"Stripe Payments Europe Ltd"`, "13(1)(e)", nil},
		"recipient.title":           {"The heading it is shown under.", text("Betaltjänst"), "13(1)(e)", nil},
		"recipient.text":            {"Markdown on when and why data is disclosed.", text("..."), "13(1)(e)", nil},
		"recipient.activity":        {"What it does for the controller.", text("hanterar kortbetalningar"), "28(3)", nil},
		"recipient.data_categories": {"The keys of the data categories it receives.", `["customer-data"]`, "13(1)(e)", nil},
		"recipient.country":         {"Where it processes the data (ISO 3166-1 alpha-2, or \"worldwide\").", `"IE"`, "13(1)(f)", nil},
		"recipient.countries":       {"Several countries, as country does.", `["IE", "US"]`, "13(1)(f)", nil},
		"recipient.notice":          {"A link to its own privacy notice, where it is a controller.", `"https://stripe.com/privacy"`, "13(1)(e)", nil},
		"recipient.dpf":             {"`true`: a US recipient certified under the EU-US Data Privacy Framework (or its UK Extension), so adequacy covers it.", `true`, "45(3)", nil},
		"recipient.address":         {"Its postal address, where the notice states it; lint does not ask for it to be translated.", text("Gordon House, Barrow Street, Dublin 4, Irland"), "13(1)(e)", nil},
		"recipient.dpf_entity":      {"The organisation certified under the Data Privacy Framework, where it is not the recipient itself (the US parent of an EU recipient); needs dpf = true. Shown with the safeguard.", `"Google LLC"`, "45(3)", nil},
		"recipient.dpf_url":         {"Its entry in the Data Privacy Framework List (https://www.dataprivacyframework.gov/...); needs dpf = true. Linked from the recipient.", `"https://www.dataprivacyframework.gov/list"`, "45(3)", nil},
		"recipient.mechanism":       {"The transfer mechanism for a recipient outside the home area.", `"standard-contractual-clauses"`, "44-49", Mechanisms.Keys()},
		"recipient.safeguards":      {"How a visitor obtains a copy of the safeguards.", text("Skriv till oss för en kopia."), "13(1)(f)", nil},

		"right.key":   {"Which right.", `"access"`, "13(2)(b)-(d)", Rights.Keys()},
		"right.title": {"Its own title, instead of the standard one.", text("Rätt till tillgång"), "", nil},
		"right.text":  {"Its own Markdown text, instead of the standard one.", text("..."), "", nil},
		"right.note":  {"A remark shown with the right.", text("..."), "", nil},

		"consent_category.key":         {"A key for the category (used by cookies, purposes and Consent Mode).", `"statistics"`, "", nil},
		"consent_category.necessary":   {"`true` for the one category that needs no consent and cannot be switched off.", `true`, "ePrivacy 5(3)", nil},
		"consent_category.title":       {"Its name in the banner and the notice.", text("Statistik"), "4(11)", nil},
		"consent_category.description": {"What it is for, in the banner and the notice.", text("..."), "4(11)", nil},
		"consent_category.dpv":         {"A W3C DPV 2.3 purpose term; checked against DPV 2.3.", `"dpv:ServiceOptimisation"`, "", nil},

		"consent_category.exemption": {"For the necessary category: the exemption of the ePrivacy rule that lets it store without consent, `strictly-necessary` (for a service the visitor asked for; the default) or `transmission` (only to carry a communication). The page cites the provision of the notice's country.", `"transmission"`, "ePrivacy 5(3)", StorageExemptions().Keys()},

		"cookie.name":     {"The cookie's (or storage key's) name; ending in `*` it is a prefix. Leave it out for cookies the notice describes without naming them: the provider and purpose then identify them, on the page, in the banner's settings and in the exports.", `"_ga_*"`, "", nil},
		"cookie.pattern":  {"`true` when name ends in `*` and matches every name with that prefix.", `true`, "", nil},
		"cookie.provider": {"Who sets it; required for a cookie without a name.", `"Google Ireland Ltd"`, "", nil},
		"cookie.category": {"Its [[consent_category]].", `"statistics"`, "ePrivacy 5(3)", nil},
		"cookie.kind":     {"The kind of storage; cookie when left out.", `"local-storage"`, "ePrivacy 5(3)", StorageKinds.Keys()},
		"cookie.lifetime": {"ISO 8601 duration (P13M, PT30M) or \"session\"; a pixel may leave it out.", `"P13M"`, "", nil},
		"cookie.domain":   {"The domain it is set for; another site's domain makes it third party.", `".example.net"`, "", nil},
		"cookie.path":     {"The path it is set for.", `"/"`, "", nil},
		"cookie.purpose":  {"What it is for.", text("..."), "", nil},

		"history.version": {"The version.", `"2026.1"`, "12(1)", nil},
		"history.date":    {"When it applied from: a TOML date, or \"YYYY-MM\" for a version dated by month.", `2026-11-24`, "12(1)", nil},
		"history.summary": {"What changed.", text("..."), "12(1)", nil},

		"accept.rule":   {"The rule id.", `"retention-conflict"`, "", nil},
		"accept.target": {"The key path lint prints as `target:`; left out, every finding of the rule.", `"retention.paid-invoice"`, "", nil},
		"accept.reason": {"Why legal accepts it.", `"Reklamationer kräver 18 månader."`, "5(2)", nil},
		"accept.by":     {"Who accepted it.", `"Legal, A. Andersson"`, "5(2)", nil},
		"accept.date":   {"When.", `2026-11-24`, "5(2)", nil},
	}
}

// builtinLanguages are the languages with built-in UI strings.
var builtinLanguages = func() []string {
	files, _ := fs.Glob(i18n.FS, "*.toml")
	var out []string
	for _, f := range files {
		if l := strings.TrimSuffix(f, ".toml"); !strings.Contains(l, ".") { // not a register's variant
			out = append(out, l)
		}
	}
	return out
}()

// schemaKeys lists every table and its keys by reflection over the schema
// that Load decodes, with each key's TOML type.
func schemaKeys() (tables []string, keys map[string][][2]string) {
	keys = map[string][][2]string{}
	dt := reflect.TypeOf(document{})
	for i := 0; i < dt.NumField(); i++ {
		f := dt.Field(i)
		name := tomlName(f)
		typ := f.Type
		array := typ.Kind() == reflect.Slice
		if typ.Kind() == reflect.Pointer || array {
			typ = typ.Elem()
		}
		head := "[" + name + "]"
		if array {
			head = "[[" + name + "]]"
		}
		tables = append(tables, name+"\x00"+head)
		var walk func(t reflect.Type, prefix string)
		walk = func(t reflect.Type, prefix string) {
			for j := 0; j < t.NumField(); j++ {
				sf := t.Field(j)
				k := tomlName(sf)
				if k == "-" || !sf.IsExported() {
					continue
				}
				keys[name] = append(keys[name], [2]string{prefix + k, tomlType(sf.Type)})
				if sf.Type.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.Struct {
					walk(sf.Type.Elem(), prefix+k+".")
				}
			}
		}
		walk(typ, "")
	}
	return tables, keys
}

func tomlType(t reflect.Type) string {
	switch {
	case t == textType:
		return "text"
	case t == reflect.TypeOf(Date{}):
		return "date"
	case t == reflect.TypeOf(Bases(nil)):
		return "string or array"
	case t == nameType:
		return "string or text"
	case t.Kind() == reflect.Pointer:
		return tomlType(t.Elem())
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return "array of tables"
	case t.Kind() == reflect.Slice:
		return "array of " + tomlType(t.Elem()) + "s"
	case t.Kind() == reflect.Map:
		return "table"
	case t.Kind() == reflect.Int:
		return "integer"
	}
	return t.Kind().String()
}

// reference renders docs/reference.md from the schema and fieldDocs; it
// reports keys without documentation and documentation without a key.
func reference() ([]byte, []string) {
	docs := fieldDocs()
	tables, keys := schemaKeys()
	var problems []string
	var b bytes.Buffer
	b.WriteString("<!-- Generated from the schema by `go test ./notice -update`; edit notice/reference_test.go. -->\n\n")
	b.WriteString("# The notice's TOML: every table and key\n\n")
	b.WriteString("The notice is the `*.toml` files under `content/`, merged: any file may hold any table, and a table written `[name]` may appear once. ")
	b.WriteString("A **text** is an inline table with one string per language of the notice, `{sv = \"...\", en = \"...\"}`; texts marked Markdown take paragraphs, lists, emphasis and links, never raw HTML (it is escaped). ")
	b.WriteString("Texts may name facts: `{controller.name}`, `{controller.email}`, `{controller.org_nr}`, `{controller.address}`, `{controller.url}`, `{authority.name}`, `{retention.KEY}` (that rule's period). ")
	b.WriteString("Keys are lowercase letters, digits and hyphens. An unknown key, a missing translation or a value outside a closed set is an error at its `file:line:col`; `integritet lint` then checks what GDPR Art. 13 and 14 ask for. Articles are of the GDPR (the UK GDPR numbers them alike, but for adequacy: UK GDPR Art. 45A approves transfers by regulations).\n\n")
	for _, t := range tables {
		name, head, _ := strings.Cut(t, "\x00")
		fmt.Fprintf(&b, "## `%s`\n\n", head)
		if d, ok := tableDocs[name]; ok {
			b.WriteString(d + "\n\n")
		} else {
			problems = append(problems, "table "+name+" has no entry in tableDocs")
		}
		b.WriteString("| key | type | meaning | example | GDPR |\n|---|---|---|---|---|\n")
		for _, kt := range keys[name] {
			path := name + "." + kt[0]
			d, ok := docs[path]
			if !ok {
				problems = append(problems, "key "+path+" has no entry in fieldDocs")
				continue
			}
			meaning := d.doc
			if len(d.values) > 0 {
				meaning += " One of: `" + strings.Join(d.values, "`, `") + "`."
			}
			art := d.art
			if art != "" && !strings.HasPrefix(art, "ePrivacy") {
				art = "Art. " + art
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | `%s` | %s |\n", kt[0], kt[1], cell(meaning), cell(d.example), art)
		}
		b.WriteString("\n")
	}
	for path := range docs {
		name, k, _ := strings.Cut(path, ".")
		found := false
		for _, kt := range keys[name] {
			found = found || kt[0] == k
		}
		if !found {
			problems = append(problems, "fieldDocs documents "+path+", which the schema does not have")
		}
	}
	slices.Sort(problems)
	return b.Bytes(), problems
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// TestReferenceIsCurrent keeps docs/reference.md in step with the schema:
// every key of every table is documented, with its closed set where it has
// one, and the committed file is what the schema generates.
func TestReferenceIsCurrent(t *testing.T) {
	got, problems := reference()
	for _, p := range problems {
		t.Error(p)
	}
	if *update {
		if err := os.WriteFile(referencePath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatalf("%v (run go test ./notice -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the schema generates: run go test ./notice -update", referencePath)
	}
}

// authorityKeys are the keys of the built-in supervisory authorities.
func authorityKeys() []string {
	var out []string
	for _, a := range Authorities() {
		out = append(out, a.Key)
	}
	return out
}

// ePrivacyKeys are the countries of the built-in ePrivacy rules and "EU".
func ePrivacyKeys() []string {
	var out []string
	for _, r := range EPrivacyRules() {
		out = append(out, r.Key)
	}
	return append(out, EPrivacyDirective.Key)
}
