// Package lint checks a loaded notice for what GDPR Art. 13 and 14 require
// and the notice misses, for contradictions between its parts (cookies,
// consent categories, purposes, retention), and for facts that have gone
// stale. Each finding names a rule, the place to fix it (file:line:col) and
// what to write there. Legal review can accept a finding with an [[accept]]
// entry in TOML; accepted findings are still listed.
//
// Load-time problems (unknown keys, bad durations, undefined keys, missing
// translations) are notice.Load's; lint runs on a notice that loaded.
package lint

import "github.com/integritet/integritet/notice"

// Rule is one check.
type Rule struct {
	ID string
	// Severity is what a finding of the rule is: an error when it makes the
	// output wrong (the build fails), a warning when legal decides.
	Severity notice.Severity
	// Group is "completeness", "consistency", "staleness" or "acceptance".
	Group string
	// Ref is the legal reference the rule checks.
	Ref string
	Doc string

	check func(c *checker)
}

// Rule ids.
const (
	RuleControllerContact   = "controller-contact"
	RuleDPO                 = "dpo"
	RuleLegalBasis          = "legal-basis"
	RuleLegitimateInterests = "legitimate-interests"
	RuleBasisFitsPurpose    = "basis-fits-purpose"
	RuleRecipients          = "recipients"
	RuleTransfers           = "transfers"
	RuleTransfersNone       = "transfers-none"
	RuleTransferMechanism   = "transfer-mechanism"
	RuleAdequacy            = "adequacy"
	RuleSafeguardsCopy      = "safeguards-copy"
	RuleRepresentative      = "representative"
	RuleRecipientData       = "recipient-data"
	RuleJointControllers    = "joint-controllers"
	RuleRetention           = "retention"
	RuleLawPeriod           = "law-period"
	RuleRetentionLaw        = "retention-law"
	RuleRetentionCoverage   = "retention-coverage"
	RuleSpecialCategories   = "special-categories"
	RuleRights              = "rights"
	RuleRequirement         = "requirement"
	RuleAutomatedDecisions  = "automated-decisions"
	RuleDataSource          = "data-source"
	RuleCookieCategory      = "cookie-category"
	RuleConsentBasis        = "consent-basis"
	RuleBannerPurposes      = "banner-purposes"
	RuleEmptyCategory       = "consent-category-empty"
	RuleRetentionConflict   = "retention-conflict"
	RuleTranslations        = "translations"
	RuleRegister            = "register"
	RuleStaleAuthority      = "stale-authority"
	RuleStaleGDPRDate       = "stale-gdpr-date"
	RuleStaleBlocking       = "stale-blocking"
	RuleStaleSignedRequest  = "stale-signed-request"
	RuleMarketingConsent    = "marketing-consent"
	RuleOrgNrPersonalID     = "org-nr-personal-id"
	RuleVersionDate         = "version-date"
	RuleUnfilled            = "unfilled"
	RuleAcceptUnused        = "accept-unused"
)

// Rules returns every rule in the order they run, with its documentation.
func Rules() []Rule {
	W, E := notice.Warning, notice.Error
	return []Rule{
		{RuleUnfilled, E, "completeness", "GDPR Art. 12(1)", "No text or fact still says TODO: `integritet init` marks every place a new site must fill in, and a notice that publishes a placeholder would tell visitors nothing.", (*checker).unfilled},
		{RuleControllerContact, W, "completeness", "GDPR Art. 13(1)(a)", "The controller's identity and contact details: a name, an e-mail address or telephone number, and a postal address (a pointer to the website is not an address).", (*checker).controllerContact},
		{RuleDPO, W, "completeness", "GDPR Art. 13(1)(b)", "The data protection officer's contact details (an email), or [dpo] appointed = false to say explicitly that none is appointed.", (*checker).dpo},
		{RuleLegalBasis, W, "completeness", "GDPR Art. 13(1)(c), 6(3)", "Every purpose has a legal basis, every data category is processed for some purpose, and a purpose based on a legal obligation names the law (`law` on the purpose or on one of its retention rules).", (*checker).legalBasis},
		{RuleLegitimateInterests, W, "completeness", "GDPR Art. 13(1)(d)", "Every purpose based on legitimate interests states the interests pursued (`interests`).", (*checker).legitimateInterests},
		{RuleBasisFitsPurpose, W, "completeness", "GDPR Art. 6(1)(f), recitals 47 and 49", "Security, fraud prevention and credit checks rest on legitimate interests, not on the contract: a purpose tagged dpv:EnforceSecurity, dpv:FraudPreventionAndDetection or dpv:CustomerSolvencyMonitoring on basis \"contract\" is flagged.", (*checker).basisFitsPurpose},
		{RuleRecipients, W, "completeness", "GDPR Art. 13(1)(e)", "Recipients are stated, each is named by a purpose, and credit checks name the credit bureau that receives the request.", (*checker).recipients},
		{RuleTransfers, W, "completeness", "GDPR Art. 13(1)(f)", "The notice says whether data leaves the home area (the EEA, or the UK under jurisdiction = \"UK\"): a recipient with a country outside it, or [transfers] none = true.", (*checker).transfers},
		{RuleTransfersNone, E, "consistency", "GDPR Art. 13(1)(f)", "[transfers] none = true says nothing leaves the home area: no recipient may have a country outside it.", (*checker).transfersNone},
		{RuleTransferMechanism, E, "completeness", "GDPR Art. 44-49, 13(1)(f)", "Every recipient with a country outside the home area names its transfer mechanism (mechanism = \"adequacy\", \"standard-contractual-clauses\", ...), one of the notice's jurisdiction: the UK tools (uk-idta, uk-addendum) only under jurisdiction = \"UK\", where the EU clauses alone do not do for a country without UK adequacy. A country with adequacy needs no clauses: without a mechanism it is a warning asking for mechanism = \"adequacy\" (Art. 13(1)(f) asks the notice to state it).", (*checker).transferMechanism},
		{RuleAdequacy, E, "consistency", "GDPR Art. 45(3); UK GDPR Art. 45A", "mechanism = \"adequacy\" only for countries with an adequacy decision (EU) or regulations approving transfers (UK GDPR Art. 45A); the United States only for a recipient certified under the Data Privacy Framework (dpf = true). The Framework certifies US organisations only: a recipient established in the home area with dpf = true names the certified US organisation (dpf_entity, a warning).", (*checker).adequacy},
		{RuleSafeguardsCopy, W, "completeness", "GDPR Art. 13(1)(f)", "A transfer under appropriate safeguards (Art. 46, 47) says how a visitor obtains a copy of them: safeguards on the recipient or in [transfers].", (*checker).safeguardsCopy},
		{RuleRepresentative, W, "completeness", "GDPR Art. 27, 13(1)(a); UK GDPR Art. 27", "A controller established outside the notice's jurisdiction ([controller] country) whose notice addresses people in it names a [representative] established there.", (*checker).representative},
		{RuleRecipientData, W, "consistency", "GDPR Art. 13(1)(e)", "A purpose that names a recipient shares at least one data category with what the recipient receives (its data_categories).", (*checker).recipientData},
		{RuleJointControllers, W, "completeness", "GDPR Art. 26(1)-(2)", "Each joint controller names the purposes it decides jointly, and the essence of the arrangement is stated; a recipient of kind \"joint-controller\" has its [[joint_controller]] (same key or name) that says so.", (*checker).jointControllers},
		{RuleRetention, W, "completeness", "GDPR Art. 13(2)(a)", "Every purpose has at least one retention rule, and every retention rule belongs to a purpose and names its data categories. A period (\"3 weeks\") and an upper bound (\"at most 6 months\", \"högst\") both run from an event: a rule with a duration and no anchor is flagged either way.", (*checker).retention},
		{RuleRetentionLaw, W, "consistency", "GDPR Art. 13(2)(a), 5(1)(e)", "A retention rule's `law` is the law that sets its period, shown as the statutory requirement: the GDPR sets no retention period, so a rule that names it (Art. 7(1) for proof of consent) says it as `reason`, and names the obligation as the purpose's `law`.", (*checker).retentionLaw},
		{RuleLawPeriod, W, "completeness", "GDPR Art. 13(2)(a); EDPB Guidelines on transparency (WP260 rev.01) para. 45", "A retention rule kept until an event \"as the law requires\" under a law whose period is fixed states that period: Bokföringslagen (1999:1078) 7 kap. 2 § keeps accounting records 7 years after the end of the calendar year in which the fiscal year ended; Penningtvättslagen (2017:630) 3 kap. 1 § keeps due-diligence records 5 years after the business relationship ended.", (*checker).lawPeriod},
		{RuleRetentionCoverage, W, "completeness", "GDPR Art. 13(2)(a), 5(1)(e)", "Every data category a purpose processes is covered as a whole by one of the purpose's retention rules (a rule with items = [...] covers only those items), and data kept indefinitely says why (`reason`).", (*checker).retentionCoverage},
		{RuleSpecialCategories, E, "completeness", "GDPR Art. 9(2), 10, 8(2)", "A purpose that processes data marked special (Art. 9(1)) states its Art. 9(2) condition (`special_conditions`), one processing criminal-offence data (Art. 10) names the law that allows it, and a minimum age for children says how it is checked. A condition without special data is a warning of the same rule.", (*checker).special},
		{RuleRights, W, "completeness", "GDPR Art. 13(2)(b)-(d), 15-21, 21(4), 7(3), 77", "Every right is stated as a [[right]]: access, rectification, erasure, restriction, objection, portability, complaint to the authority, and withdrawal of consent when anything is based on consent (including the cookie banner). The right to object is an error when missing where a purpose rests on legitimate interests or a public task or serves direct marketing (Art. 21(4): it must be brought to the person's attention explicitly).", (*checker).rights},
		{RuleRequirement, W, "completeness", "GDPR Art. 13(2)(e)", "Every purpose based on the contract or a legal obligation says whether providing the data is required and what happens if it is not (`requirement`). When no purpose says it, one finding is given for the notice. A purpose's requirement is its own: one that repeats another purpose's word for word (of 10 words or more) is flagged.", (*checker).requirement},
		{RuleAutomatedDecisions, W, "completeness", "GDPR Art. 13(2)(f), 22", "Purposes that typically decide or profile automatically (credit checks, direct marketing) say whether they do (`automated`), unless a [[right]] \"automated-decisions\" covers the whole notice.", (*checker).automatedDecisions},
		{RuleDataSource, W, "completeness", "GDPR Art. 14(2)(f)", "Data that is not collected from the person (credit information) names its source (`source` of the data category).", (*checker).dataSource},
		{RuleCookieCategory, E, "consistency", "ePrivacy Directive Art. 5(3) as the notice's country transposes it (LEK 9 kap. 28 §, § 25 TDDDG, PECR reg. 6, art. 82 loi Informatique et Libertés, ...)", "Every cookie is in a declared consent category, and the cookie that stores the visitor's choice is in the necessary category (a refusal must be storable without consent).", (*checker).cookieCategory},
		{RuleConsentBasis, E, "consistency", "GDPR Art. 6(1)(a); ePrivacy Directive Art. 5(3) as transposed", "Every purpose gated by a non-necessary consent category is based on consent, every consent-based purpose says where consent is given (a non-necessary banner category, or consent_given and consent_withdrawal for consent given elsewhere), and Consent Mode never maps to the necessary category.", (*checker).consentBasis},
		{RuleBannerPurposes, E, "consistency", "GDPR Art. 4(11), 7", "The banner's categories and the consent-based purposes match: a non-necessary category that sets cookies is named by a consent-based purpose (consent must be informed).", (*checker).bannerPurposes},
		{RuleEmptyCategory, W, "consistency", "GDPR Art. 4(11)", "A non-necessary consent category declares neither cookies nor a consent-based purpose: the banner asks for consent to nothing.", (*checker).emptyCategory},
		{RuleRetentionConflict, W, "consistency", "GDPR Art. 5(1)(e), 13(2)(a)", "One data category is kept for two different periods after the end of the relationship (contract end, paid invoice, fiscal year end) without a stated `reason` on either rule.", (*checker).retentionConflict},
		{RuleTranslations, W, "consistency", "", "Texts are translated: a text of some length that is the same in two languages was probably not. Addresses, names and texts that are a party's proper name (a recipient, a cookie provider, the authority) are the same in every language and not flagged. (Missing languages are load errors.)", (*checker).translations},
		{RuleRegister, W, "consistency", "GDPR Art. 12(1)", "The notice's own German texts address the reader as the page's strings do: \"Sie\" (Ihr, Ihnen) in the usual register, \"du\" (dich, dir, dein) under [notice] register = \"informal\". A page that mixes them reads as if two people wrote it. (\"Sie\" opening a sentence may mean \"they\" and is not read.)", (*checker).register},
		{RuleStaleAuthority, W, "staleness", "Förordning (2007:975)", "Datainspektionen was renamed Integritetsskyddsmyndigheten (IMY) on 2021-01-01.", (*checker).staleAuthority},
		{RuleStaleGDPRDate, W, "staleness", "GDPR Art. 99(2)", "Notes that something applies from 25 May 2018 (25 maj, 25. Mai): GDPR has applied since then. \"Since 25 May 2018\" is history, not flagged.", (*checker).staleGDPRDate},
		{RuleStaleBlocking, W, "staleness", "GDPR Art. 18; Directive 95/46/EC Art. 12(b)", "The old laws' word for restriction of processing, in Swedish (blockera, blockering: PUL), English (blocking: Data Protection Act 1998) and German (Sperrung: BDSG of 2001), where a sentence speaks of it as a right over data (with rectification or erasure): GDPR speaks of restriction (begränsning, Einschränkung). A browser blocking cookies is not flagged.", (*checker).staleBlocking},
		{RuleStaleSignedRequest, W, "staleness", "GDPR Art. 12(1), 12(3), 15(3)", "A register extract requested in writing and signed is the old PUL rule: a request made electronically is answered electronically.", (*checker).staleSignedRequest},
		{RuleMarketingConsent, W, "staleness", "ePrivacy Directive Art. 13 as the notice's country transposes it (marknadsföringslagen 19 §, § 7 UWG, PECR reg. 22, ...)", "Direct marketing by e-mail or SMS needs prior consent outside the existing-customer exception; a legitimate-interests purpose that markets by e-mail or SMS is flagged, citing the law of the notice's country.", (*checker).marketingConsent},
		{RuleOrgNrPersonalID, W, "staleness", "Lag (2018:218) 3 kap. 10 §", "An organisation number in the form of a personnummer (a sole trader's is the owner's): publishing it publishes a personal identity number. Checked for a Swedish notice (home country SE), or one that names no country and writes the number as NNNNNN-NNNN.", (*checker).orgNrPersonalID},
		{RuleVersionDate, W, "staleness", "GDPR Art. 12(1)", "The notice has a version and an effective date, and [[history]] lists the current version.", (*checker).versionDate},
		{RuleAcceptUnused, W, "acceptance", "", "An [[accept]] entry that matches no finding (or names no rule): the finding was fixed or the target is misspelt.", nil},
	}
}

// RuleByID returns the rule with id.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
