package lint

import (
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

// TestFindingsAreTrueInEveryJurisdiction lints edits of the clean notice
// that a UK or German organisation, or a careful editor, would make: each
// draws exactly the findings of its rule given here ("" for none), so a
// rule that fires on what the law does not forbid, or cites a foreign
// statute, fails.
func TestFindingsAreTrueInEveryJurisdiction(t *testing.T) {
	t.Parallel()
	germany := edit{"notice.toml", `org_nr = "556000-0001"`, `org_nr = "556000-0001"` + "\ncountry = \"DE\""}
	noTransfers := edit{"notice.toml", "[transfers]\nnone = true\n", ""}
	copied := `requirement = {sv = "Behandlingen är en förutsättning för tjänsten; om vi inte kan utföra den kvarstår din betalningsskyldighet under avtalstiden.", en = "The processing is a prerequisite for the service; if we cannot carry it out, your obligation to pay remains for the term of the contract."}`
	tests := []struct {
		name, rule string
		edits      []edit
		want       string
	}{
		// Addresses and proper names read the same in every language.
		{"an address the same in two languages", RuleTranslations,
			[]edit{{"notice.toml", `address = {sv = "Box 1, 111 11 Stockholm", en = "Box 1, SE-111 11 Stockholm"}`, `address = {sv = "Box 1, SE-111 11 Stockholm, Sweden", en = "Box 1, SE-111 11 Stockholm, Sweden"}`}}, ""},
		{"a recipient titled by its name", RuleTranslations,
			[]edit{{"purposes.toml", `title = {sv = "Biträden", en = "Processors"}`, `name = "Stripe Payments Europe Limited"` + "\n" + `title = {sv = "Stripe Payments Europe Limited", en = "Stripe Payments Europe Limited"}`}}, ""},
		{"prose the same in two languages", RuleTranslations,
			[]edit{{"purposes.toml", `description = {sv = "Vi levererar tjänsten.", en = "We deliver the service."}`, `description = {sv = "Stripe Payments Europe Limited handles it.", en = "Stripe Payments Europe Limited handles it."}`}},
			"content/purposes.toml:60:72: warning: purpose.service.description is the same in \"sv\" and \"en\": translate it [translations]"},
		// "Blocking" is the old laws' word only where it is a right over
		// data; a browser blocking cookies is not it.
		{"cookies blocked in the browser", RuleStaleBlocking,
			[]edit{{"rights.toml", "key = \"restriction\"", "key = \"restriction\"\ntext = {sv = \"Du kan blockera kakor i din webbläsare.\", en = \"The banner keeps blocking scripts until you consent.\"}"}}, ""},
		// The renaming, said in the language of the text.
		{"Datainspektionen in English", RuleStaleAuthority,
			[]edit{{"notice.toml", `en = "the Swedish Authority for Privacy Protection (IMY)"`, `en = "the Swedish Data Protection Authority (Datainspektionen)"`}},
			"content/notice.toml:20:57: warning: authority.name names \"Datainspektionen\", renamed Integritetsskyddsmyndigheten (IMY) on 2021-01-01: write Swedish Authority for Privacy Protection (IMY) [stale-authority]"},
		{"GDPR has applied since 2018", RuleStaleGDPRDate,
			[]edit{{"rights.toml", "key = \"restriction\"", "key = \"restriction\"\nnote = {sv = \"GDPR har gällt sedan den 25 maj 2018.\", en = \"The GDPR has applied since 25 May 2018.\"}"}}, ""},
		// Adequacy needs no clauses.
		{"the UK from the EU without a mechanism", RuleTransferMechanism,
			[]edit{noTransfers, {"purposes.toml", bureauSE, `country = "GB"`}},
			"content/purposes.toml:50:1: warning: recipient \"bureau\" processes data in GB, outside the EEA, which has an EU adequacy decision: say so with mechanism = \"adequacy\" (Art. 13(1)(f) asks for the adequacy a transfer relies on) [transfer-mechanism]"},
		{"an Irish recipient whose US parent is certified", RuleAdequacy,
			[]edit{noTransfers, {"purposes.toml", bureauSE, `name = "Google Ireland Limited"` + "\ncountries = [\"IE\", \"US\"]\nmechanism = \"adequacy\"\ndpf = true"}},
			"content/purposes.toml:57:7: warning: recipient \"bureau\" (Google Ireland Limited) is established in the EEA, and the Data Privacy Framework certifies US organisations only: name the certified US organisation the data goes to, usually its parent (dpf_entity = \"...\") [adequacy]"},
		{"the certified US parent named", RuleAdequacy,
			[]edit{noTransfers, {"purposes.toml", bureauSE, `name = "Google Ireland Limited"` + "\ncountries = [\"IE\", \"US\"]\nmechanism = \"adequacy\"\ndpf = true\ndpf_entity = \"Google LLC\""}}, ""},
		{"a US recipient certified itself", RuleAdequacy,
			[]edit{noTransfers, {"purposes.toml", bureauSE, `name = "Stripe, Inc."` + "\ncountries = [\"IE\", \"US\"]\nmechanism = \"adequacy\"\ndpf = true"}}, ""},
		// Art. 21(4): the right to object where a purpose rests on
		// legitimate interests.
		{"no right to object with legitimate interests", RuleRights,
			[]edit{{"rights.toml", "[[right]]\nkey = \"objection\"\n", ""}},
			"content/rights.toml:21:1: error: the right \"objection\" (Art. 21) is not stated, though purposes rest on legitimate interests or a public task or serve direct marketing (credit-check, marketing, newsletter): Art. 21(4) requires it to be brought to the person's attention explicitly; add a [[right]] key = \"objection\" [rights]"},
		// A period and an upper bound both run from an event.
		{"at most a period from nothing", RuleRetention,
			[]edit{{"purposes.toml", "anchor = \"collection\"\nduration = \"P13M\"", "duration = \"P13M\"\nat_most = true"}},
			"content/purposes.toml:42:12: warning: retention rule \"analytics\" keeps data for at most P13M without saying from when: give anchor = \"...\" (one of " + strings.Join(notice.Anchors.Keys(), ", ") + ") [retention]"},
		// A joint controller among the recipients states the arrangement.
		{"a joint controller without the arrangement", RuleJointControllers,
			[]edit{{"purposes.toml", "key = \"processors\"\nkind = \"processor\"", "key = \"processors\"\nkind = \"joint-controller\""}},
			"content/purposes.toml:47:8: warning: recipient \"processors\" is a joint controller, but no [[joint_controller]] states what each party is responsible for and the essence of the arrangement (Art. 26(1)-(2)): add one with key = \"processors\" or name = \"\" [joint-controllers]"},
		// National law is the home country's.
		{"e-mail marketing in Germany", RuleMarketingConsent,
			[]edit{germany, {"purposes.toml", `description = {sv = "Vi skickar brev.", en = "We send letters."}`, `description = {sv = "Vi skickar e-post.", en = "We send e-mail."}`}},
			"content/purposes.toml:81:9: warning: purpose \"marketing\" markets by e-post on legitimate interests: e-mail and SMS marketing needs prior consent (§ 7 Abs. 2 Nr. 2, Abs. 3 UWG) except to existing customers for similar products with an opt-out; say so, or base it on consent [marketing-consent]"},
		{"a German number is no personnummer", RuleOrgNrPersonalID,
			[]edit{germany, {"notice.toml", `org_nr = "556000-0001"`, `org_nr = "6907156209"`}}, ""},
		// A requirement copied word for word says what holds for another
		// purpose, as FRAMSTEGET's security purpose repeats the first
		// purpose's "betalningsskyldighet kvarstår" (design note, stale
		// fact 8); a short formula two purposes share is no copy.
		{"a requirement copied from another purpose", RuleRequirement,
			[]edit{{"purposes.toml", `requirement = {sv = "Krävs för avtalet.", en = "Required for the contract."}`, copied}, {"purposes.toml", `requirement = {sv = "Krävs enligt lag.", en = "Required by law."}`, copied}},
			`content/purposes.toml:95:15: warning: purpose "bookkeeping" states word for word the requirement of purpose "service" ("Behandlingen är en förutsättning för tjänsten; om vi ..."): say what providing the data means for this purpose [requirement]`},
		{"a short formula two purposes share", RuleRequirement,
			[]edit{{"purposes.toml", `requirement = {sv = "Krävs för avtalet.", en = "Required for the contract."}`, `requirement = {sv = "Krävs enligt lag.", en = "Required by law."}`}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := clean(t)
			for _, e := range tt.edits {
				name := "content/" + e.file
				if !strings.Contains(string(files[name]), e.old) {
					t.Fatalf("%s: edit %q not applied", e.file, e.old)
				}
				files[name] = []byte(strings.Replace(string(files[name]), e.old, e.new, 1))
			}
			var got notice.Diagnostics
			for _, d := range Check(parse(t, files)) {
				if d.Rule == tt.rule {
					got = append(got, d)
				}
			}
			if got.Error() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got.Error(), tt.want)
			}
		})
	}
}

// TestRulesSayWhatTheyCheck: lint -rules documents the start-date check
// for both a period and an upper bound, and the Art. 21(4) error.
func TestRulesSayWhatTheyCheck(t *testing.T) {
	t.Parallel()
	for id, words := range map[string][]string{
		RuleRetention: {"anchor", "at most", "högst"},
		RuleRights:    {"21(4)", "legitimate interests"},
	} {
		r, _ := RuleByID(id)
		for _, w := range words {
			if !strings.Contains(r.Doc+" "+r.Ref, w) {
				t.Errorf("rule %s does not say %q: %s", id, w, r.Doc)
			}
		}
	}
}

// TestStaleBlockingInGerman: the old BDSG's Sperrung next to Löschung is
// flagged on a German notice; an account that is gesperrt is not.
func TestStaleBlockingInGerman(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ text, want string }{
		{"Sie haben ein Recht auf Berichtigung, Löschung oder Sperrung Ihrer Daten.",
			"content/notice.toml:13:14: warning: right.restriction.text says \"Sperrung\", the term of the old data protection law: GDPR Art. 18 speaks of restriction of processing (Einschränkung) [stale-blocking]"},
		{"Bei Missbrauch wird Ihr Konto gesperrt.", ""},
	} {
		src := `[notice]
version = "1"
languages = ["de"]
default_language = "de"
slug = {de = "datenschutz"}
title = {de = "Datenschutzerklärung"}

[controller]
name = "Muster GmbH"

[[right]]
key = "restriction"
text = {de = "` + c.text + `"}
`
		n, err := notice.Parse(map[string][]byte{"content/notice.toml": []byte(src)})
		if err != nil {
			t.Fatal(err)
		}
		var got notice.Diagnostics
		for _, d := range Check(n) {
			if d.Rule == RuleStaleBlocking {
				got = append(got, d)
			}
		}
		if got.Error() != c.want {
			t.Errorf("%q: got\n%s\nwant\n%s", c.text, got.Error(), c.want)
		}
	}
}

// TestRegisterOfGermanTexts: a German text that addresses the reader
// otherwise than the page's strings is flagged, in either register.
func TestRegisterOfGermanTexts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		register, text, want string
	}{
		{"", "Sie können Ihre Rechte jederzeit ausüben.", ""},
		{"", "Sie werden nach einem Jahr gelöscht.", ""},
		{"", "Du kannst deine Rechte jederzeit ausüben.",
			`content/notice.toml:13:14: warning: right.objection.text addresses the reader with "Du", but the page's strings say "Sie": write it so too, or set [notice] register = "informal" [register]`},
		{"informal", "Du kannst deine Rechte jederzeit ausüben.", ""},
		{"informal", "Sie werden nach einem Jahr gelöscht.", ""},
		{"informal", "Wir löschen die Daten, wenn Sie es verlangen.",
			`content/notice.toml:13:14: warning: right.objection.text addresses the reader with "Sie", but the page's strings say "du" (register = "informal"): write it so too, or leave register out [register]`},
		{"informal", "Ihre Daten werden gelöscht.",
			`content/notice.toml:13:14: warning: right.objection.text addresses the reader with "Ihre", but the page's strings say "du" (register = "informal"): write it so too, or leave register out [register]`},
	} {
		reg := ""
		if c.register != "" {
			reg = "register = \"" + c.register + "\""
		}
		src := `[notice]
version = "1"
languages = ["de"]
default_language = "de"
slug = {de = "datenschutz"}
title = {de = "Datenschutzerklärung"}
` + reg + `
[controller]
name = "Muster GmbH"

[[right]]
key = "objection"
text = {de = "` + c.text + `"}
`
		n, err := notice.Parse(map[string][]byte{"content/notice.toml": []byte(src)})
		if err != nil {
			t.Fatal(err)
		}
		var got notice.Diagnostics
		for _, d := range Check(n) {
			if d.Rule == RuleRegister {
				got = append(got, d)
			}
		}
		if got.Error() != c.want {
			t.Errorf("%s %q: got\n%s\nwant\n%s", c.register, c.text, got.Error(), c.want)
		}
	}
}
