package notice

import (
	"errors"
	"strings"
	"testing"
)

// TestLoadChecksTheNewFacts is the table of malformed conditional bases,
// data subjects, retention exceptions, storage exemptions and cookies
// described without names: each edit of the valid purposes file gives
// exactly this message at this position.
func TestLoadChecksTheNewFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"condition for a basis the purpose lacks", `basis = "contract"`, "basis = \"contract\"\nbasis_conditions = [{basis = \"consent\", when = \"storage\"}]",
			`content/purposes.toml:15:30: purpose "p": condition for basis "consent", which is not one of its bases (contract)`},
		{"unknown condition", `basis = "contract"`, "basis = [\"consent\", \"legitimate-interests\"]\nbasis_conditions = [{basis = \"consent\", when = \"cookies\"}]",
			`content/purposes.toml:15:48: unknown basis condition "cookies" (want: storage, customer, pre-contract, required-by-law)`},
		{"condition of another basis", `basis = "contract"`, "basis = [\"contract\", \"legitimate-interests\"]\nbasis_conditions = [{basis = \"contract\", when = \"storage\"}]",
			`content/purposes.toml:15:49: purpose "p": condition "storage" is a case of basis "consent", not of "contract"`},
		{"condition without a case", `basis = "contract"`, "basis = [\"consent\", \"legitimate-interests\"]\nbasis_conditions = [{basis = \"consent\"}]",
			`content/purposes.toml:15:21: purpose "p": the condition of basis "consent" says no case: give when = "storage" (or one of storage, customer, pre-contract, required-by-law), or text = {...} in the notice's words`},
		{"two bases for every other case", `basis = "contract"`, "basis = [\"consent\", \"contract\", \"legitimate-interests\"]\nbasis_conditions = [{basis = \"consent\", when = \"storage\"}]",
			`content/purposes.toml:15:20: purpose "p": contract and legitimate-interests would all apply "in every other case": give all but one of them a condition`},
		{"condition twice", `basis = "contract"`, "basis = [\"consent\", \"legitimate-interests\"]\nbasis_conditions = [{basis = \"consent\", when = \"storage\"}, {basis = \"consent\", text = {sv = \"A\", en = \"B\"}}]",
			`content/purposes.toml:15:69: purpose "p": basis "consent" has two conditions: say both cases in one text`},
		{"condition text untranslated", `basis = "contract"`, "basis = [\"contract\", \"legitimate-interests\"]\nbasis_conditions = [{basis = \"contract\", text = {sv = \"A\"}}]",
			`content/purposes.toml:15:49: purpose[0].basis_conditions[0].text: missing "en"`},
		{"unknown key in a condition", `basis = "contract"`, "basis = [\"consent\", \"legitimate-interests\"]\nbasis_conditions = [{basis = \"consent\", whenn = \"storage\"}]",
			`content/purposes.toml:15:1: unknown key "whenn"; did you mean "when"?`},
		{"unknown subject type", `basis = "contract"`, "basis = \"contract\"\nsubject_types = [\"customers\"]",
			`content/purposes.toml:15:17: unknown category of data subjects "customers" (want: customer, prospect, user, visitor, subscriber, consumer, client, member, donor, volunteer, beneficiary, applicant, participant, employee, job-applicant, business-contact, student, patient, child, parent, guardian, citizen)`},
		{"unknown exception", `duration = "P3M"`, "duration = \"P3M\"\nunless = [\"law\"]",
			`content/purposes.toml:9:10: unknown exception "law" (want: legal-requirement, legal-claims, consent)`},
		{"exception twice", `duration = "P3M"`, "duration = \"P3M\"\nunless = [\"legal-claims\", \"legal-claims\"]",
			`content/purposes.toml:9:10: retention "r": exception "legal-claims" is given twice`},
		{"exception to indefinite", "anchor = \"collection\"\nduration = \"P3M\"", "indefinite = true\nunless_text = {sv = \"A\", en = \"B\"}",
			`content/purposes.toml:8:15: retention "r" keeps data indefinitely: an exception to no time limit says nothing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(purposes, tt.old, tt.new, 1)
			if src == purposes {
				t.Fatalf("edit %q not applied", tt.old)
			}
			_, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/purposes.toml": []byte(src)})
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("err = %v, want Diagnostics", err)
			}
			if got := ds.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

const banner = `[[consent_category]]
key = "necessary"
necessary = true
title = {sv = "N", en = "N"}
description = {sv = "N", en = "N"}

[[consent_category]]
key = "stats"
title = {sv = "S", en = "S"}
description = {sv = "S", en = "S"}

[[cookie]]
name = "a"
provider = "ACME"
category = "necessary"
lifetime = "P6M"
purpose = {sv = "A", en = "A"}
`

// TestLoadChecksCookiesAndCategories covers the storage exemption of the
// necessary category and cookies described without names.
func TestLoadChecksCookiesAndCategories(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"exemption on a chosen category", `key = "stats"`, "key = \"stats\"\nexemption = \"transmission\"",
			`content/cookies.toml:9:13: consent category "stats": exemption "transmission" is for the necessary category; a category the visitor chooses stores only with consent`},
		{"unknown exemption", `necessary = true`, "necessary = true\nexemption = \"consent\"",
			`content/cookies.toml:4:13: unknown storage exemption "consent" (want: strictly-necessary, transmission)`},
		{"neither name nor provider", "name = \"a\"\nprovider = \"ACME\"", "",
			`content/cookies.toml:12:1: cookie: missing name (or, for cookies the notice describes without naming them, their provider)`},
		{"pattern without a name", `name = "a"`, "pattern = true",
			`content/cookies.toml:13:11: cookie of "ACME": pattern = true needs a name ending in *`},
		{"described without lifetime", "name = \"a\"\nprovider = \"ACME\"\ncategory = \"necessary\"\nlifetime = \"P6M\"", "provider = \"ACME\"\ncategory = \"necessary\"",
			`content/cookies.toml:12:1: cookie of "ACME": missing lifetime (an ISO 8601 duration such as "P6M" or "PT30M", or "session")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(banner, tt.old, tt.new, 1)
			if src == banner {
				t.Fatalf("edit %q not applied", tt.old)
			}
			_, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/cookies.toml": []byte(src)})
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("err = %v, want Diagnostics", err)
			}
			if got := ds.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestLoadAcceptsTheNewFacts loads a purpose with a conditional basis,
// data subjects, a rule with exceptions and a cookie described by its
// provider, and reads them back.
func TestLoadAcceptsTheNewFacts(t *testing.T) {
	t.Parallel()
	src := strings.Replace(purposes, `basis = "contract"`, "basis = [\"consent\", \"legitimate-interests\"]\nbasis_conditions = [{basis = \"consent\", when = \"storage\"}]\nsubject_types = [\"visitor\"]", 1)
	src = strings.Replace(src, `duration = "P3M"`, "duration = \"P3M\"\nunless = [\"legal-requirement\", \"legal-claims\"]", 1)
	cookies := strings.Replace(banner, `name = "a"`, "", 1)
	n, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/purposes.toml": []byte(src), "content/cookies.toml": []byte(cookies)})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := n.Purpose("p")
	if c, ok := p.Condition("consent"); !ok || c.When != "storage" || !p.Otherwise("legitimate-interests") || p.Otherwise("consent") {
		t.Errorf("conditions = %+v", p.BasisConditions)
	}
	r, _ := n.RetentionFor("r")
	if got := r.Summary(); got != "P3M after collection unless legal-requirement, legal-claims" {
		t.Errorf("summary = %q", got)
	}
	if n.Cookies[0].Named() || n.Cookies[0].Provider != "ACME" {
		t.Errorf("cookie = %+v", n.Cookies[0])
	}
}

// TestEPrivacyRuleIsTheNoticeCountrys checks which national law a notice
// cites: the controller's country, else the representative's or the
// authority's in the EEA; PECR under the UK; the directive where the table
// has no law for the country.
func TestEPrivacyRuleIsTheNoticeCountrys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		n       Notice
		consent string
	}{
		{"Swedish authority, no country", Notice{Authority: Authority{Key: "imy"}}, "9 kap. 28 § första stycket LEK"},
		{"German controller", Notice{Controller: Controller{Country: "DE"}, Authority: Authority{Key: "imy"}}, "§ 25 Abs. 1 TDDDG"},
		{"US controller, French representative", Notice{Controller: Controller{Country: "US"}, Representative: &Representative{Country: "FR"}}, "art. 82 loi Informatique et Libertés"},
		{"UK", Notice{Meta: Meta{Jurisdiction: "UK"}, Controller: Controller{Country: "US"}}, "PECR reg. 6 and Sch. A1 para. 2"},
		{"Belgium: not in the table", Notice{Controller: Controller{Country: "BE"}}, "Art. 5(3) Directive 2002/58/EC"},
		{"nothing said", Notice{}, "Art. 5(3) Directive 2002/58/EC"},
		{"stated beats the controller's country", Notice{Meta: Meta{EPrivacy: "AT"}, Controller: Controller{Country: "DE"}}, "§ 165 Abs. 3 TKG 2021"},
		{"the directive stated", Notice{Meta: Meta{EPrivacy: "EU"}, Controller: Controller{Country: "DE"}}, "Art. 5(3) Directive 2002/58/EC"},
		// The authority's country says where the controller is
		// established (ControllerCountry) before a representative does.
		{"Swedish authority before a German representative", Notice{Authority: Authority{Key: "imy"}, Representative: &Representative{Country: "DE"}}, "9 kap. 28 § första stycket LEK"},
	}
	for _, tt := range tests {
		if got := tt.n.EPrivacy().Cite("consent"); got != tt.consent {
			t.Errorf("%s: consent = %q, want %q", tt.name, got, tt.consent)
		}
	}
	// The controller's own country, whatever law completes the notice: a
	// Swedish controller writing under the UK GDPR is still Swedish.
	for _, tt := range []struct {
		n    Notice
		want string
	}{
		{Notice{Meta: Meta{Jurisdiction: "UK"}, Controller: Controller{Country: "SE"}}, "SE"},
		{Notice{Authority: Authority{Key: "imy"}, Representative: &Representative{Country: "DE"}}, "SE"},
		{Notice{Meta: Meta{Jurisdiction: "UK"}}, "GB"},
		{Notice{}, ""},
	} {
		if got := tt.n.ControllerCountry(); got != tt.want {
			t.Errorf("ControllerCountry of %+v = %q, want %q", tt.n.Controller, got, tt.want)
		}
	}
	if _, ok := (&Notice{Controller: Controller{Country: "DE"}}).EPrivacyStated(); ok {
		t.Error("a notice that states no ePrivacy rule states one")
	}
	// Every rule of the table says every provision, for a country of the
	// EEA or the UK.
	for _, r := range EPrivacyRules() {
		c, ok := LookupCountry(r.Key)
		if !ok || !c.EEA && r.Key != "GB" {
			t.Errorf("%s: not an EEA country or the UK", r.Key)
		}
		for _, k := range StorageBases.Keys() {
			if r.Cite(k) == "" {
				t.Errorf("%s: no provision for %s", r.Key, k)
			}
		}
		if r.Law == "" || r.Marketing == "" {
			t.Errorf("%s: no law or marketing provision", r.Key)
		}
	}
}

// TestLoadChecksTheEPrivacyRule checks [notice] eprivacy: a country of the
// table or "EU", and PECR exactly under the UK.
func TestLoadChecksTheEPrivacyRule(t *testing.T) {
	t.Parallel()
	tests := []struct{ edit, want string }{
		{"eprivacy = \"BE\"", `content/notice.toml:6:12: eprivacy "BE": no ePrivacy rule for it (want one of AT, DE, DK, ES, FI, FR, GB, IE, IT, NL, SE, EU; "EU" cites the directive, for a country whose provisions the table lacks)`},
		{"eprivacy = \"GB\"", `content/notice.toml:6:12: eprivacy "GB" (PECR) is the UK's rule: set [notice] jurisdiction = "UK", or name the EU country whose law applies`},
		{"jurisdiction = \"UK\"\neprivacy = \"SE\"", `content/notice.toml:7:12: eprivacy "SE" under jurisdiction = "UK": the UK's rule is PECR, eprivacy = "GB"`},
	}
	for _, tt := range tests {
		src := strings.Replace(minimal, "default_language = \"sv\"\n", "default_language = \"sv\"\n"+tt.edit+"\n", 1)
		_, err := Parse(map[string][]byte{"content/notice.toml": []byte(src), "content/purposes.toml": []byte(purposes)})
		var ds Diagnostics
		if !errors.As(err, &ds) {
			t.Fatalf("%s: err = %v, want Diagnostics", tt.edit, err)
		}
		if got := ds.Error(); got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.edit, got, tt.want)
		}
	}
	src := strings.Replace(minimal, "default_language = \"sv\"\n", "default_language = \"sv\"\neprivacy = \"DE\"\n", 1)
	n, err := Parse(map[string][]byte{"content/notice.toml": []byte(src), "content/purposes.toml": []byte(purposes)})
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := n.EPrivacyStated(); !ok || r.Cite("transmission") != "§ 25 Abs. 2 Nr. 1 TDDDG" {
		t.Errorf("stated rule = %+v, %v", r, ok)
	}
}

// TestEPrivacyProvisionsAsEnactedAndCited checks the provisions a legal
// review read against the enacted texts, each in its country's citation
// form: PECR Schedule A1 as inserted by the Data (Use and Access) Act 2025
// (consent para. 2, transmission para. 3, strictly necessary para. 4),
// § 25 TDDDG, § 165 Abs. 3 TKG 2021, the Irish S.I. No. 336 of 2011 reg.
// 5, the Finnish 205 § in the genitive of the law's name, the Danish
// cookie order "§ 3 i ...".
func TestEPrivacyProvisionsAsEnactedAndCited(t *testing.T) {
	t.Parallel()
	tests := []struct{ cc, basis, want string }{
		{"GB", "consent", "PECR reg. 6 and Sch. A1 para. 2"},
		{"GB", "transmission", "PECR reg. 6 and Sch. A1 para. 3"},
		{"GB", "strictly-necessary", "PECR reg. 6 and Sch. A1 para. 4"},
		{"DE", "consent", "§ 25 Abs. 1 TDDDG"},
		{"DE", "transmission", "§ 25 Abs. 2 Nr. 1 TDDDG"},
		{"DE", "strictly-necessary", "§ 25 Abs. 2 Nr. 2 TDDDG"},
		{"AT", "strictly-necessary", "§ 165 Abs. 3 TKG 2021"},
		{"IE", "consent", "reg. 5(3) S.I. No. 336 of 2011"},
		{"IE", "strictly-necessary", "reg. 5(5) S.I. No. 336 of 2011"},
		{"FI", "consent", "sähköisen viestinnän palveluista annetun lain 205 §:n 1 momentti"},
		{"FI", "strictly-necessary", "sähköisen viestinnän palveluista annetun lain 205 §:n 2 momentti"},
		{"DK", "consent", "§ 3 i cookiebekendtgørelsen"},
		{"NL", "consent", "art. 11.7a lid 1 Telecommunicatiewet"},
		{"NL", "strictly-necessary", "art. 11.7a lid 3 Telecommunicatiewet"},
		{"FR", "consent", "art. 82 loi Informatique et Libertés"},
	}
	for _, tt := range tests {
		r, ok := LookupEPrivacy(tt.cc)
		if !ok {
			t.Errorf("%s: no rule", tt.cc)
			continue
		}
		if got := r.Cite(tt.basis); got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.cc, tt.basis, got, tt.want)
		}
	}
	if r, _ := LookupEPrivacy("DK"); r.Marketing != "§ 10 i markedsføringsloven" {
		t.Errorf("DK marketing = %q", r.Marketing)
	}
}
