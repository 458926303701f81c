package notice

import (
	"errors"
	"strings"
	"testing"
)

const parties = `[[recipient]]
key = "cloud"
kind = "processor"
name = "Cloud Ltd"
countries = ["US"]
mechanism = "standard-contractual-clauses"
data_categories = ["customer"]
notice = "https://cloud.example/privacy"

[representative]
name = "Rep GmbH"
country = "DE"
email = "rep@example.com"

[[joint_controller]]
key = "partner"
name = "Partner AB"
purposes = ["p"]
responsibilities = {sv = "Utskick.", en = "Mailings."}

[authority]
key = "imy"

[dpo]
email = "dpo@example.com"
`

// TestLoadChecksParties is the table of malformed recipients, transfers and
// controllers: each edit of the valid parties file gives exactly this error.
func TestLoadChecksParties(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, file, old, new, want string }{
		{"unknown kind", "parties", `kind = "processor"`, `kind = "procesor"`,
			`content/parties.toml:3:8: unknown recipient kind "procesor" (want: ` + strings.Join(RecipientKinds.Keys(), ", ") + `)`},
		{"missing kind", "parties", "kind = \"processor\"\n", "",
			`content/parties.toml:1:1: recipient "cloud": missing kind (want: ` + strings.Join(RecipientKinds.Keys(), ", ") + `)`},
		{"a category needs a title", "parties", "name = \"Cloud Ltd\"\n", "",
			`content/parties.toml:1:1: recipient[0].title: missing`},
		{"lower-case country", "parties", `countries = ["US"]`, `countries = ["us"]`,
			`content/parties.toml:5:13: unknown country "us" (want an ISO 3166-1 alpha-2 code such as "SE" or "US", or "worldwide"): write "US"`},
		{"UK is not the ISO code", "parties", `countries = ["US"]`, `countries = ["UK"]`,
			`content/parties.toml:5:13: unknown country "UK" (want an ISO 3166-1 alpha-2 code such as "SE" or "US", or "worldwide"): the ISO code of the United Kingdom is "GB"`},
		{"country and countries", "parties", `countries = ["US"]`, `countries = ["US"]` + "\ncountry = \"US\"",
			`content/parties.toml:5:13: recipient "cloud": give country or countries, not both`},
		{"unknown mechanism", "parties", `mechanism = "standard-contractual-clauses"`, `mechanism = "scc"`,
			`content/parties.toml:6:13: unknown transfer mechanism "scc" (want: ` + strings.Join(Mechanisms.Keys(), ", ") + `)`},
		{"dpf outside the US", "parties", `countries = ["US"]`, `countries = ["IN"]` + "\ndpf = true",
			`content/parties.toml:6:7: recipient "cloud": dpf = true (certified under the EU-US Data Privacy Framework) but "US" is not among its countries`},
		{"undefined data category", "parties", `data_categories = ["customer"]`, `data_categories = ["customers"]`,
			`content/parties.toml:7:19: undefined data category "customers"`},
		{"bad notice link", "parties", `notice = "https://cloud.example/privacy"`, `notice = "cloud.example/privacy"`,
			`content/parties.toml:8:10: bad url "cloud.example/privacy": want an absolute http(s) URL`},
		{"representative without country", "parties", "country = \"DE\"\n", "",
			`content/parties.toml:10:1: [representative]: missing country (the ISO 3166-1 code where the representative is established)`},
		{"representative bad email", "parties", `email = "rep@example.com"`, `email = "rep at example"`,
			`content/parties.toml:13:9: bad e-mail address "rep at example"`},
		{"joint controller undefined purpose", "parties", `purposes = ["p"]`, `purposes = ["q"]`,
			`content/parties.toml:18:12: undefined purpose "q"`},
		{"joint controller without responsibilities", "parties", "responsibilities = {sv = \"Utskick.\", en = \"Mailings.\"}\n", "",
			`content/parties.toml:15:1: joint_controller[0].responsibilities: missing`},
		{"joint controller translation", "parties", `responsibilities = {sv = "Utskick.", en = "Mailings."}`, `responsibilities = {sv = "Utskick."}`,
			`content/parties.toml:19:20: joint_controller[0].responsibilities: missing "en"`},
		{"unknown authority", "parties", `key = "imy"`, `key = "datainspektionen"`,
			`content/parties.toml:22:7: unknown supervisory authority "datainspektionen" (want one of: ` + strings.Join(AuthorityVocab().Keys(), ", ") + `; or leave key out and give name and url of your own)`},
		{"custom authority without name", "parties", `key = "imy"`, `url = "https://dpa.example"`,
			`content/parties.toml:21:1: [authority] without a key needs a name (and url) of its own`},
		{"dpo none but given", "parties", `email = "dpo@example.com"`, `email = "dpo@example.com"` + "\nappointed = false",
			`content/parties.toml:26:13: [dpo] appointed = false, but a DPO is given (name, email or text): remove appointed, or the DPO`},
		{"dpf_entity without dpf", "parties", `countries = ["US"]`, `countries = ["US"]` + "\ndpf_entity = \"Cloud LLC\"",
			`content/parties.toml:6:14: recipient "cloud": dpf_entity names the organisation certified under the Data Privacy Framework: set dpf = true too, or remove it`},
		{"dpf_url not on the DPF List", "parties", `countries = ["US"]`, `countries = ["US"]` + "\ndpf = true\ndpf_url = \"https://cloud.example/dpf\"",
			`content/parties.toml:7:11: recipient "cloud": bad dpf_url "https://cloud.example/dpf": want the entry in the Data Privacy Framework List, https://www.dataprivacyframework.gov/...`},
		{"recipient address translation", "parties", `countries = ["US"]`, `countries = ["US"]` + "\naddress = {sv = \"1 Main St, Springfield\"}",
			`content/parties.toml:6:11: recipient[0].address: missing "en"`},
		{"dpo name in one language of two", "parties", `email = "dpo@example.com"`, `email = "dpo@example.com"` + "\nname = {sv = \"Dataskyddsombudet\"}",
			`content/parties.toml:26:8: dpo.name: missing "en"`},
		{"dpo name neither string nor text", "parties", `email = "dpo@example.com"`, `email = "dpo@example.com"` + "\nname = 3",
			`content/parties.toml:26:8: bad name 3: want a string, or a string per language {sv = "...", en = "..."}`},
		{"dpo name with a number for a language", "parties", `email = "dpo@example.com"`, `email = "dpo@example.com"` + "\nname = {sv = \"Dataskyddsombudet\", en = 5}",
			`content/parties.toml:26:9: bad name: en = 5 is not a string (want a string, or a string per language {sv = "...", en = "..."})`},
		{"unknown register", "notice", `default_language = "sv"`, `default_language = "sv"` + "\nregister = \"du\"",
			`content/notice.toml:6:12: unknown register "du" (want: formal, informal)`},
		{"unknown jurisdiction", "notice", `default_language = "sv"`, `default_language = "sv"` + "\njurisdiction = \"SE\"",
			`content/notice.toml:6:16: unknown jurisdiction "SE" (want: EU, UK)`},
		{"not a DPV 2.3 term", "purposes", `retention = ["r"]`, `retention = ["r"]` + "\ndpv = [\"dpv:ServiceProvision\", \"dpv:SupervisoryAuthority\"]",
			`content/purposes.toml:17:7: "dpv:SupervisoryAuthority" is not a term of DPV 2.3 (see https://w3id.org/dpv): check its spelling`},
		{"misspelt pd term", "purposes", `title = {sv = "Kunduppgifter", en = "Customer data"}`, `title = {sv = "Kunduppgifter", en = "Customer data"}` + "\nexamples = [{text = {sv = \"t\", en = \"t\"}, dpv = \"pd:ServiceConsumptionBehavior\"}]",
			`content/purposes.toml:4:49: "pd:ServiceConsumptionBehavior" is not a term of DPV 2.3 (see https://w3id.org/dpv): check its spelling; did you mean "pd:ServiceConsumptionBehaviour"?`},
		{"unknown DPV prefix", "purposes", `retention = ["r"]`, `retention = ["r"]` + "\ndpv = [\"dvp:ServiceProvision\"]",
			`content/purposes.toml:17:7: DPV term "dvp:ServiceProvision" is not prefix:Term with a known prefix (dpv, pd, eu-gdpr, legal-XX); did you mean "dpv:ServiceProvision"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"notice": minimal, "purposes": purposes, "parties": parties}
			if !strings.Contains(files[tt.file], tt.old) {
				t.Fatalf("%s: %q not found", tt.file, tt.old)
			}
			files[tt.file] = strings.Replace(files[tt.file], tt.old, tt.new, 1)
			src := map[string][]byte{}
			for k, v := range files {
				src["content/"+k+".toml"] = []byte(v)
			}
			_, err := Parse(src)
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("err = %v, want diagnostics", err)
			}
			if got := ds.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestLoadAcceptsParties(t *testing.T) {
	t.Parallel()
	n, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/purposes.toml": []byte(purposes), "content/parties.toml": []byte(parties)})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := n.Recipient("cloud")
	if n.Jurisdiction() != "EU" || !r.Named() || n.AtHome("US") || !n.AtHome("DE") || len(n.Abroad(r)) != 1 {
		t.Errorf("jurisdiction %q, named %v, abroad %v", n.Jurisdiction(), r.Named(), n.Abroad(r))
	}
	if n.Representative == nil || n.Representative.Country != "DE" || len(n.JointControllers) != 1 || n.JointControllers[0].At.Line != 15 {
		t.Errorf("representative %+v, joint controllers %+v", n.Representative, n.JointControllers)
	}
	if got := n.AuthorityName("en"); got != "Swedish Authority for Privacy Protection (IMY)" {
		t.Errorf("authority name %q", got)
	}
	n.Meta.Jurisdiction = "UK"
	if n.AtHome("DE") || !n.AtHome("GB") || n.Adequacy("DE") != AdequacyFull {
		t.Error("UK jurisdiction: home is the UK, the EEA is adequate")
	}
}
