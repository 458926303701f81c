package lint

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

// clean reads testdata/clean, a small notice on which no rule fires.
func clean(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/clean/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("testdata/clean: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out["content/"+filepath.Base(f)] = b
	}
	return out
}

func parse(t *testing.T, files map[string][]byte) *notice.Notice {
	t.Helper()
	n, err := notice.Parse(files)
	if err != nil {
		var ds notice.Diagnostics
		errors.As(err, &ds)
		t.Fatalf("fixture does not load:\n%v", err)
	}
	return n
}

func TestCheckFindsNothingInCleanNotice(t *testing.T) {
	t.Parallel()
	if ds := Check(parse(t, clean(t))); len(ds) > 0 {
		t.Errorf("clean notice has findings:\n%s", ds.Error())
	}
}

type edit struct{ file, old, new string }

// TestEveryRuleFires applies one edit to the clean notice per case and
// expects exactly the findings of one rule; with the clean notice (above)
// every rule also has a case where it does not fire.
func TestEveryRuleFires(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule  string
		edits []edit
		want  string // the one finding, as printed
	}{
		{RuleControllerContact, []edit{{"notice.toml", `address = {sv = "Box 1, 111 11 Stockholm", en = "Box 1, SE-111 11 Stockholm"}`, `address = {sv = "Se hemsidan.", en = "See the website."}`}},
			"content/notice.toml:13:17: warning: controller.address \"Se hemsidan.\" is not a postal address (no street number or postcode): state the address itself [controller-contact]"},
		{RuleControllerContact, []edit{{"notice.toml", `email = "info@example.com"` + "\n", ``}},
			"content/notice.toml:9:1: warning: [controller] gives no e-mail address or telephone number: add email = \"...\" so people can reach the controller [controller-contact]"},
		{RuleLegalBasis, []edit{{"purposes.toml", `law = "Bokföringslagen (1999:1078) 7 kap. 2 §"`, ``}},
			"content/purposes.toml:92:9: warning: purpose \"bookkeeping\" rests on a legal obligation but names no law: give law = \"...\" on the purpose or on one of its retention rules [legal-basis]"},
		{RuleLegalBasis, []edit{{"purposes.toml", "[[data_category]]\nkey = \"customer\"", "[[data_category]]\nkey = \"unused\"\ntitle = {sv = \"X\", en = \"X\"}\n\n[[data_category]]\nkey = \"customer\""}},
			"content/purposes.toml:1:1: warning: data category \"unused\" is processed for no purpose, so on no legal basis: add it to a purpose's data_categories or remove it [legal-basis]"},
		{RuleLegitimateInterests, []edit{{"purposes.toml", `interests = {sv = "Att marknadsföra.", en = "To market."}`, ``}},
			"content/purposes.toml:81:9: warning: purpose \"marketing\" rests on legitimate interests but does not state them: add interests = {sv = \"...\", en = \"...\"} [legitimate-interests]"},
		{RuleBasisFitsPurpose, []edit{{"purposes.toml", `dpv = ["dpv:ServiceProvision"]`, `dpv = ["dpv:ServiceProvision", "dpv:FraudPreventionAndDetection"]`}},
			"content/purposes.toml:58:9: warning: purpose \"service\" covers security and fraud prevention (recitals 47, 49) on basis \"contract\": these rest on legitimate interests; use basis = \"legitimate-interests\" with interests (in a purpose of their own if needed) [basis-fits-purpose]"},
		{RuleRecipients, []edit{{"purposes.toml", `recipients = ["bureau"]`, `recipients = []`}},
			"content/purposes.toml:50:1: warning: recipient \"bureau\" is named by no purpose: add it to the recipients of the purposes that disclose to it [recipients]\ncontent/purposes.toml:76:14: warning: purpose \"credit-check\" makes credit checks but names no credit bureau among its recipients: add a [[recipient]] kind = \"third-party\" for it [recipients]"},
		{RuleRetention, []edit{{"purposes.toml", `retention = ["analytics"]`, ``}},
			"content/purposes.toml:39:1: warning: retention rule \"analytics\" belongs to no purpose: name it in the retention of the purpose it serves [retention]\ncontent/purposes.toml:99:1: warning: purpose \"statistics\" states no retention: add retention = [...] naming how long its data is kept [retention]"},
		{RuleRights, []edit{{"rights.toml", "[[right]]\nkey = \"portability\"\n", ""}},
			"content/rights.toml:21:1: warning: the right \"portability\" (Art. 20) is not stated: add a [[right]] key = \"portability\" [rights]"},
		{RuleRequirement, []edit{{"purposes.toml", `requirement = {sv = "Krävs enligt lag.", en = "Required by law."}`, ``}},
			"content/purposes.toml:92:9: warning: purpose \"bookkeeping\" rests on legal-obligation but does not say whether providing the data is required and what happens if it is not: add requirement = {sv = \"...\", en = \"...\"} [requirement]"},
		{RuleAutomatedDecisions, []edit{{"purposes.toml", `automated = {sv = "Ingen profilering.", en = "No profiling."}`, ``}},
			"content/purposes.toml:79:1: warning: purpose \"marketing\" involves direct marketing but does not say whether decisions are automated or profiles are made: add automated = {sv = \"...\", en = \"...\"} [automated-decisions]"},
		{RuleDataSource, []edit{{"purposes.toml", `source = {sv = "Från UC AB.", en = "From UC AB."}`, ``}},
			"content/purposes.toml:6:1: warning: data category \"credit\" (pd:CreditWorthiness) is not collected from the person but names no source: add source = {sv = \"...\", en = \"...\"} (for example the credit bureau) [data-source]"},
		{RuleCookieCategory, []edit{{"cookies.toml", "category = \"necessary\"\nlifetime = \"P6M\"", "category = \"statistics\"\nlifetime = \"P6M\""}},
			"content/cookies.toml:21:12: error: cookie \"consent\" stores the visitor's choice ([banner] cookie) but is in category \"statistics\": it must be in the necessary category, or a refusal could not be stored (it needs no consent as strictly necessary: 9 kap. 28 § andra stycket LEK) [cookie-category]"},
		{RuleConsentBasis, []edit{{"purposes.toml", `dpv = ["dpv:DirectMarketing"]`, `dpv = ["dpv:DirectMarketing"]` + "\nconsent = \"statistics\""}},
			"content/purposes.toml:81:9: error: purpose \"marketing\" is gated by consent category \"statistics\" but rests on legitimate-interests: a non-necessary category stores on the device only with consent (9 kap. 28 § första stycket LEK); set basis = \"consent\" [consent-basis]"},
		{RuleConsentBasis, []edit{{"cookies.toml", `analytics_storage = ["statistics"]`, `analytics_storage = ["necessary"]`}},
			"content/cookies.toml:3:37: error: Consent Mode analytics_storage maps to \"necessary\", the necessary category: it would be granted without consent [consent-basis]"},
		{RuleBannerPurposes, []edit{{"purposes.toml", "basis = \"consent\"\nconsent = \"statistics\"", "basis = \"legitimate-interests\"\ninterests = {sv = \"Statistik.\", en = \"Statistics.\"}"}},
			"content/cookies.toml:12:1: error: consent category \"statistics\" sets cookies (_pk_id.*) but no purpose based on consent names it: add a [[purpose]] basis = \"consent\", consent = \"statistics\" stating why [banner-purposes]"},
		{RuleEmptyCategory, []edit{{"cookies.toml", "[[consent_category]]\nkey = \"statistics\"", "[[consent_category]]\nkey = \"ads\"\ntitle = {sv = \"Annonser\", en = \"Ads\"}\ndescription = {sv = \"Annonser.\", en = \"Ads.\"}\n\n[[consent_category]]\nkey = \"statistics\""}},
			"content/cookies.toml:12:1: warning: consent category \"ads\" declares no cookies and no consent-based purpose: the banner asks for consent to nothing; declare its cookies and purpose, or remove it [consent-category-empty]"},
		{RuleRetentionConflict, []edit{{"purposes.toml", `reason = {sv = "Reklamationer.", en = "Complaints."}`, ``}},
			"content/purposes.toml:22:12: warning: data category \"customer\" is kept P12M after contract-end (retention \"after-contract\") and P18M after invoice-paid (retention \"paid-invoice\") without a stated reason: align the periods or give reason = {...} on the exception [retention-conflict]"},
		{RuleTranslations, []edit{{"purposes.toml", `description = {sv = "Vi levererar tjänsten.", en = "We deliver the service."}`, `description = {sv = "Vi levererar tjänsten till dig.", en = "Vi levererar tjänsten till dig."}`}},
			"content/purposes.toml:60:61: warning: purpose.service.description is the same in \"sv\" and \"en\": translate it [translations]"},
		{RuleStaleAuthority, []edit{{"notice.toml", `sv = "Integritetsskyddsmyndigheten (IMY)"`, `sv = "Datainspektionen"`}},
			"content/notice.toml:20:14: warning: authority.name names \"Datainspektionen\", renamed Integritetsskyddsmyndigheten (IMY) on 2021-01-01: write Integritetsskyddsmyndigheten (IMY) [stale-authority]"},
		{RuleRetentionCoverage, []edit{{"purposes.toml", "data_categories = [\"customer\"]\nretention = [\"after-contract\"]", "data_categories = [\"customer\", \"credit\"]\nretention = [\"after-contract\"]"}},
			"content/purposes.toml:86:19: warning: purpose \"marketing\" processes data category \"credit\", but none of its retention rules covers it as a whole: add a rule for \"credit\" to its retention [retention-coverage]"},
		{RuleRetentionCoverage, []edit{{"purposes.toml", "anchor = \"collection\"\nduration = \"P13M\"", "indefinite = true"}},
			"content/purposes.toml:42:14: warning: retention rule \"analytics\" keeps data indefinitely without saying why: give reason = {sv = \"...\", en = \"...\"} (Art. 5(1)(e) allows it only as long as needed) [retention-coverage]"},
		{RuleRetention, []edit{{"purposes.toml", "anchor = \"collection\"\nduration = \"P13M\"", "duration = \"P13M\""}},
			"content/purposes.toml:42:12: warning: retention rule \"analytics\" keeps data for P13M without saying from when: give anchor = \"...\" (one of collection, obtained, decision, last-activity, contract-end, account-deletion, invoice-paid, delivery, fiscal-year-end, fiscal-year-calendar-end, calendar-year-end, consent-withdrawn, erasure-request, objection, session-end, no-longer-needed, processor-contract-end, proceedings-end) [retention]"},
		{RuleSpecialCategories, []edit{{"purposes.toml", `source = {sv = "Från UC AB.", en = "From UC AB."}`, `source = {sv = "Från UC AB.", en = "From UC AB."}` + "\nspecial = \"health\""}},
			"content/purposes.toml:75:19: error: purpose \"credit-check\" processes special categories of data (credit (health)) but states no Art. 9(2) condition: add special_conditions = [...] (one of explicit-consent, employment, vital-interests, not-for-profit, made-public, legal-claims, substantial-public-interest, health-care, public-health, archiving-research) [special-categories]"},
		{RuleSpecialCategories, []edit{{"purposes.toml", `source = {sv = "Från UC AB.", en = "From UC AB."}`, `source = {sv = "Från UC AB.", en = "From UC AB."}` + "\nspecial = \"criminal\""}},
			"content/purposes.toml:75:19: error: purpose \"credit-check\" processes criminal-offence data (credit), which Art. 10 allows only under official authority or where a law authorises it: name the law (law = \"...\") [special-categories]"},
		{RuleSpecialCategories, []edit{{"purposes.toml", `interests = {sv = "Att undvika kreditförluster.", en = "To avoid credit losses."}`, `interests = {sv = "Att undvika kreditförluster.", en = "To avoid credit losses."}` + "\nspecial_conditions = [\"legal-claims\"]"}},
			"content/purposes.toml:73:22: warning: purpose \"credit-check\" states an Art. 9(2) condition but processes no data marked special: mark the data category (special = \"...\") or remove the condition [special-categories]"},
		{RuleSpecialCategories, []edit{{"notice.toml", "[transfers]", "[children]\nmin_age = 13\n\n[transfers]"}},
			"content/notice.toml:23:11: warning: [children] sets min_age = 13 but does not say how age is checked or a parent's consent obtained (Art. 8(2)): add check = {sv = \"...\", en = \"...\"} [special-categories]"},
		{RuleRequirement, []edit{{"purposes.toml", `requirement = {sv = "Krävs enligt lag.", en = "Required by law."}`, ``}, {"purposes.toml", `requirement = {sv = "Krävs för avtalet.", en = "Required for the contract."}`, ``}},
			"content/purposes.toml:56:1: warning: no purpose says whether providing the data is a statutory or contractual requirement and what happens if it is not: add requirement = {sv = \"...\", en = \"...\"} to each purpose that rests on the contract or a legal obligation (service, bookkeeping) [requirement]"},
		{RuleLegalBasis, []edit{{"purposes.toml", "key = \"marketing\"\nbasis = \"legitimate-interests\"", "key = \"marketing\""}},
			"content/purposes.toml:79:1: warning: purpose \"marketing\" states no legal basis: add basis = \"contract\", \"legal-obligation\", \"legitimate-interests\" or \"consent\" (or several, as an array) [legal-basis]"},
		{RuleConsentBasis, []edit{{"purposes.toml", `consent_given = {sv = "Du anmäler dig i formuläret.", en = "You sign up in the form."}` + "\n" + `consent_withdrawal = {sv = "Avregistrera dig via länken i varje brev.", en = "Unsubscribe with the link in every letter."}` + "\n", ""}},
			"content/purposes.toml:117:9: error: purpose \"newsletter\" is based on consent but says neither where consent is given nor how it is withdrawn: name the cookie-banner category (consent = \"...\"), or say it with consent_given = {sv = \"...\", en = \"...\"} and consent_withdrawal = {sv = \"...\", en = \"...\"} [consent-basis]"},
		{RuleRetentionLaw, []edit{{"purposes.toml", `law = "Bokföringslagen (1999:1078) 7 kap. 2 §"`, `law = "GDPR (EU) 2016/679, art. 7(1)"`}},
			"content/purposes.toml:30:7: warning: retention rule \"bookkeeping\" gives \"GDPR (EU) 2016/679, art. 7(1)\" as the law that sets its period, but the GDPR sets no retention period: say why the data is kept so long in reason = {sv = \"...\", en = \"...\"}, and name the obligation as the law of the purpose it serves [retention-law]"},
		{RuleLawPeriod, []edit{{"purposes.toml", "anchor = \"fiscal-year-end\"\nduration = \"P7Y\"", "until = \"legal-requirement\""}},
			"content/purposes.toml:29:7: warning: retention rule \"bookkeeping\" keeps data until an event (until = \"legal-requirement\") under Bokföringslagen (1999:1078) 7 kap. 2 § without saying how long, though that law fixes the period (7 kap. 2 §: accounting records 7 years after the end of the calendar year in which the fiscal year ended; anchor = \"fiscal-year-calendar-end\", duration = \"P7Y\"): state it [law-period]"},
		{RuleStaleGDPRDate, []edit{{"rights.toml", "key = \"restriction\"", "key = \"restriction\"\nnote = {sv = \"Gäller från 25 maj 2018.\", en = \"Applies from 25 May 2018.\"}"}},
			"content/rights.toml:13:14: warning: right.restriction.note notes \"25 maj 2018\": GDPR has applied since 25 May 2018; remove the note [stale-gdpr-date]"},
		{RuleStaleBlocking, []edit{{"rights.toml", "key = \"restriction\"", "key = \"restriction\"\ntext = {sv = \"Du kan få dem rättade eller blockerade.\", en = \"You can have it rectified or blocked.\"}"}},
			"content/rights.toml:13:14: warning: right.restriction.text says \"blockerade\", the term of the old data protection law: GDPR Art. 18 speaks of restriction of processing (begränsning) [stale-blocking]"},
		{RuleStaleSignedRequest, []edit{{"rights.toml", `text = {sv = "Begär registerutdrag per e-post.", en = "Ask for a register extract by e-mail."}`, `text = {sv = "Begäran ska göras skriftligt och vara undertecknad av dig.", en = "The request must be in writing and be signed by you."}`}},
			"content/rights.toml:3:14: warning: right.access.text requires a signed written request (\"skriftligt och vara undertecknad\"), the old PUL rule: accept requests by e-mail too and answer electronic requests electronically (Art. 12(3)) [stale-signed-request]"},
		{RuleMarketingConsent, []edit{{"purposes.toml", `description = {sv = "Vi skickar brev.", en = "We send letters."}`, `description = {sv = "Vi skickar brev och e-post.", en = "We send letters and e-mail."}`}},
			"content/purposes.toml:81:9: warning: purpose \"marketing\" markets by e-post on legitimate interests: e-mail and SMS marketing needs prior consent (19 § marknadsföringslagen (2008:486)) except to existing customers for similar products with an opt-out; say so, or base it on consent [marketing-consent]"},
		{RuleOrgNrPersonalID, []edit{{"notice.toml", `org_nr = "556000-0001"`, `org_nr = "690715-6209"`}},
			"content/notice.toml:11:10: warning: org_nr \"690715-6209\" has the form of a personnummer (a sole trader's organisation number is the owner's): publishing it publishes a personal identity number; consider a VAT or other registration number [org-nr-personal-id]"},
		{RuleVersionDate, []edit{{"notice.toml", "effective_date = 2026-11-24\n", ""}},
			"content/notice.toml:1:1: warning: [notice] has no effective_date: add effective_date = YYYY-MM-DD, shown with the notice [version-date]"},
		{RuleVersionDate, []edit{{"notice.toml", `version = "2"` + "\ndate", `version = "1"` + "\ndate"}},
			"content/notice.toml:2:11: warning: [[history]] does not list the current version \"2\": add an entry with its date and summary [version-date]"},
		{RuleUnfilled, []edit{{"notice.toml", `name = "ACME AB"`, `name = "TODO: your organisation's legal name"`}},
			"content/notice.toml:10:8: error: controller.name still says TODO: fill it in (\"TODO: your organisation's legal name\") [unfilled]"},
		// A TODO in an example's text (a text the old hand-kept list missed).
		{RuleUnfilled, []edit{{"purposes.toml", `examples = [{text = {sv = "namn", en = "name"}, dpv = "pd:Name"}]`, `examples = [{text = {sv = "TODO: exempel", en = "name"}, dpv = "pd:Name"}]`}},
			"content/purposes.toml:4:27: error: data_category.customer.examples[0].text still says TODO: fill it in (\"TODO: exempel\") [unfilled]"},
		{RuleAcceptUnused, []edit{{"notice.toml", "[transfers]", "[[accept]]\nrule = \"dpo\"\nreason = \"Ingen DSO.\"\n\n[transfers]"}},
			"content/notice.toml:22:1: warning: [[accept]] of dpo matches no finding: remove it [accept-unused]"},
		{RuleAcceptUnused, []edit{{"notice.toml", "[transfers]", "[[accept]]\nrule = \"no-such-rule\"\nreason = \"x\"\n\n[transfers]"}},
			"content/notice.toml:22:1: warning: [[accept]] names unknown rule \"no-such-rule\" (see integritet lint -rules) [accept-unused]"},
	}
	tests = append(tests, partyCases...)
	fired := map[string]bool{}
	for _, tt := range tests {
		fired[tt.rule] = true
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			files := clean(t)
			for _, e := range tt.edits {
				name := "content/" + e.file
				src := string(files[name])
				if !strings.Contains(src, e.old) {
					t.Fatalf("%s: edit %q not applied", e.file, e.old)
				}
				files[name] = []byte(strings.Replace(src, e.old, e.new, 1))
			}
			ds := Check(parse(t, files))
			for _, d := range ds {
				if d.Rule != tt.rule {
					t.Errorf("other rule fired: %s", d)
				}
			}
			if got := ds.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			wantErr := strings.Contains(tt.want, ": error: ")
			if ds.HasErrors() != wantErr {
				t.Errorf("HasErrors = %v, want %v", ds.HasErrors(), wantErr)
			}
		})
	}
	// Rules on German texts fire on a German notice, which the clean
	// (Swedish and English) one cannot become by an edit.
	fired[RuleRegister] = true // TestRegisterOfGermanTexts
	for _, r := range Rules() {
		if !fired[r.ID] {
			t.Errorf("rule %s has no case where it fires", r.ID)
		}
	}
}

func TestAcceptedFindingsAreListedNotHidden(t *testing.T) {
	t.Parallel()
	files := clean(t)
	files["content/cookies.toml"] = []byte(strings.Replace(string(files["content/cookies.toml"]), "category = \"necessary\"\nlifetime = \"P6M\"", "category = \"statistics\"\nlifetime = \"P6M\"", 1))
	files["content/accept.toml"] = []byte(`[[accept]]
rule = "cookie-category"
target = "cookie.consent"
reason = "Reviewed: test."
by = "Legal"
date = 2026-11-20

[[accept]]
rule = "cookie-category"
target = "cookie.other"
reason = "Nothing."
`)
	ds := Check(parse(t, files))
	want := `content/accept.toml:8:1: warning: [[accept]] of cookie-category for "cookie.other" matches no finding: remove it, or fix the target [accept-unused]
content/cookies.toml:21:12: error: cookie "consent" stores the visitor's choice ([banner] cookie) but is in category "statistics": it must be in the necessary category, or a refusal could not be stored (it needs no consent as strictly necessary: 9 kap. 28 § andra stycket LEK); accepted: Reviewed: test. (Legal, 2026-11-20) [cookie-category]`
	if got := ds.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if ds.HasErrors() {
		t.Error("an accepted error fails the build")
	}
	if !Strict(ds).HasErrors() {
		t.Error("-strict: the unused acceptance should be an error")
	}
}

func TestRulesAreDocumented(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range Rules() {
		if r.ID == "" || r.Doc == "" || r.Group == "" || (r.Severity != notice.Error && r.Severity != notice.Warning) || seen[r.ID] {
			t.Errorf("rule %+v: want a unique id, a severity, a group and a doc", r)
		}
		seen[r.ID] = true
	}
}

func TestUnfilledFiresOnTODOAndNotOtherwise(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, old, new string
		want           bool
	}{
		{"clean", "", "", false},
		{"text", `title = {sv = "Integritetspolicy"`, `title = {sv = "TODO: rubrik"`, true},
		{"fact", `name = "ACME"`, `name = "TODO: your name"`, true},
		{"word inside another word", `name = "ACME"`, `name = "TODOROV AB"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := unfilledFixture(t, tc.old, tc.new)
			got := false
			for _, d := range Check(n) {
				if d.Rule == RuleUnfilled {
					got = true
					if d.Severity != notice.Error || d.Pos.Line == 0 {
						t.Errorf("finding %v: want an error with a position", d)
					}
				}
			}
			if got != tc.want {
				t.Errorf("unfilled fired = %v, want %v", got, tc.want)
			}
		})
	}
}

func unfilledFixture(t *testing.T, old, new string) *notice.Notice {
	t.Helper()
	src := `[notice]
version = "1"
effective_date = 2026-11-24
languages = ["sv", "en"]
default_language = "sv"
slug = {sv = "integritetspolicy", en = "privacy-notice"}
title = {sv = "Integritetspolicy", en = "Privacy notice"}

[controller]
name = "ACME"
email = "info@example.com"
`
	if old != "" {
		src = strings.Replace(src, old, new, 1)
	}
	n, err := notice.Parse(map[string][]byte{"content/notice.toml": []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
