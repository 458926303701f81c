package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

const (
	noTransfers = "[transfers]\nnone = true\n"
	bureauSE    = `country = "SE"`
)

// partyCases are the cases of TestEveryRuleFires for the rules on
// recipients, transfers and controllers: one edit of the clean notice each,
// and exactly these findings.
var partyCases = []struct {
	rule  string
	edits []edit
	want  string
}{
	{RuleDPO, []edit{{"notice.toml", "[dpo]\nappointed = false\n", ""}},
		"content/notice.toml:9:1: warning: no [dpo] table: say whether a data protection officer is appointed; [dpo] appointed = false states that none is, or give the DPO's email [dpo]"},
	{RuleDPO, []edit{{"notice.toml", "appointed = false", `name = "Anna Andersson"`}},
		"content/notice.toml:15:1: warning: [dpo] gives a data protection officer but no email: give the DPO's contact details [dpo]"},
	{RuleTransfers, []edit{{"notice.toml", noTransfers, ""}},
		"content/purposes.toml:45:1: warning: the notice does not say whether data leaves the EEA: add [transfers] none = true, or give each recipient outside it its country and mechanism [transfers]"},
	{RuleTransfersNone, []edit{{"purposes.toml", bureauSE, `country = "US"` + "\nmechanism = \"standard-contractual-clauses\"\nsafeguards = {sv = \"Be oss om en kopia.\", en = \"Ask us for a copy.\"}"}},
		"content/notice.toml:23:8: error: [transfers] none = true, but bureau (US) process data outside the EEA: remove none = true, or correct the countries [transfers-none]"},
	{RuleTransferMechanism, []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `countries = ["SE", "IN"]`}},
		"content/purposes.toml:50:1: error: recipient \"bureau\" processes data in IN, outside the EEA, but names no transfer mechanism: add mechanism = \"standard-contractual-clauses\" (or another of: " + strings.Join(notice.Mechanisms.Keys(), ", ") + ") [transfer-mechanism]"},
	{RuleTransferMechanism, []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "US"` + "\nmechanism = \"uk-idta\"\nsafeguards = {sv = \"Be oss om en kopia.\", en = \"Ask us for a copy.\"}"}},
		"content/purposes.toml:55:13: error: recipient \"bureau\": uk-idta is a UK transfer tool, but the notice is under the EU GDPR: name an EU mechanism (standard-contractual-clauses, ...) or set [notice] jurisdiction = \"UK\" [transfer-mechanism]"},
	{RuleAdequacy, []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "IN"` + "\nmechanism = \"adequacy\""}},
		"content/purposes.toml:55:13: error: recipient \"bureau\": IN has no EU adequacy decision: name the safeguard the transfer relies on (standard-contractual-clauses, binding-corporate-rules, ...) [adequacy]"},
	{RuleAdequacy, []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "US"` + "\nmechanism = \"adequacy\""}},
		"content/purposes.toml:55:13: error: recipient \"bureau\": adequacy for US covers only recipients certified under the Data Privacy Framework: set dpf = true if it is certified, or name another mechanism (standard-contractual-clauses) [adequacy]"},
	{RuleSafeguardsCopy, []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "US"` + "\nmechanism = \"standard-contractual-clauses\""}},
		"content/purposes.toml:55:13: warning: recipient \"bureau\" transfers under standard-contractual-clauses but the notice does not say how to obtain a copy of the safeguards: add safeguards = {...} to it, or to [transfers] [safeguards-copy]"},
	{RuleRepresentative, []edit{{"notice.toml", `org_nr = "556000-0001"`, `org_nr = "556000-0001"` + "\ncountry = \"US\""}},
		"content/notice.toml:12:11: warning: the controller is established in US, outside the EEA, and its notice addresses people there, but names no representative (Art. 27): add [representative] with name, contact and country [representative]"},
	{RuleRepresentative, []edit{{"notice.toml", `org_nr = "556000-0001"`, `org_nr = "556000-0001"` + "\ncountry = \"US\""}, {"notice.toml", noTransfers, noTransfers + "\n[representative]\nname = \"ACME Rep Ltd\"\ncountry = \"GB\"\n"}},
		"content/notice.toml:28:11: warning: the representative is in GB: Art. 27 wants one established in the EEA, where the people the notice addresses are [representative]"},
	{RuleRecipientData, []edit{{"purposes.toml", bureauSE, bureauSE + "\ndata_categories = [\"customer\"]"}},
		"content/purposes.toml:77:14: warning: purpose \"credit-check\" discloses to recipient \"bureau\" (recipients[0]), which receives none of its data (credit): correct the recipient's data_categories or the purpose's recipients [recipient-data]"},
	{RuleJointControllers, []edit{{"notice.toml", noTransfers, noTransfers + "\n[[joint_controller]]\nkey = \"partner\"\nname = \"Partner AB\"\nresponsibilities = {sv = \"Svarar för utskicken.\", en = \"Answers for the mailings.\"}\n"}},
		"content/notice.toml:25:1: warning: joint controller \"partner\" names no purposes: say which processing it decides jointly (purposes = [...]) [joint-controllers]\ncontent/notice.toml:25:1: warning: joint controller \"partner\": the essence of the arrangement is not stated (Art. 26(2)): add essence = {...} [joint-controllers]"},
}

// TestPartyRulesStayQuiet applies edits that are lawful and must draw no
// finding of the party rules.
func TestPartyRulesStayQuiet(t *testing.T) {
	t.Parallel()
	ours := map[string]bool{RuleDPO: true, RuleTransfers: true, RuleTransfersNone: true, RuleTransferMechanism: true, RuleAdequacy: true, RuleSafeguardsCopy: true, RuleRepresentative: true, RuleRecipientData: true, RuleJointControllers: true}
	uk := edit{"notice.toml", `default_language = "sv"`, `default_language = "sv"` + "\njurisdiction = \"UK\""}
	tests := []struct {
		name  string
		edits []edit
	}{
		{"US under the Data Privacy Framework", []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "US"` + "\nmechanism = \"adequacy\"\ndpf = true"}}},
		{"Japan by adequacy", []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "JP"` + "\nmechanism = \"adequacy\""}}},
		{"the UK by adequacy from the EU", []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "GB"` + "\nmechanism = \"adequacy\""}}},
		{"UK notice, UK recipient, nothing leaves", []edit{uk, {"purposes.toml", bureauSE, `country = "GB"`}}},
		{"UK notice, EEA recipient by UK adequacy", []edit{uk, {"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "SE"` + "\nmechanism = \"adequacy\""}}},
		{"SCCs with a copy on request", []edit{{"notice.toml", noTransfers, "[transfers]\nsafeguards = {sv = \"Be oss om en kopia.\", en = \"Ask us for a copy.\"}\n"}, {"purposes.toml", bureauSE, `country = "US"` + "\nmechanism = \"standard-contractual-clauses\""}}},
		{"worldwide by explicit consent", []edit{{"notice.toml", noTransfers, ""}, {"purposes.toml", bureauSE, `country = "worldwide"` + "\nmechanism = \"explicit-consent\""}}},
		{"controller abroad with a representative at home", []edit{{"notice.toml", `org_nr = "556000-0001"`, `org_nr = "556000-0001"` + "\ncountry = \"US\""}, {"notice.toml", noTransfers, noTransfers + "\n[representative]\nname = \"ACME Rep AB\"\ncountry = \"SE\"\nemail = \"rep@example.com\"\n"}}},
		{"recipient receives the purpose's data", []edit{{"purposes.toml", bureauSE, bureauSE + "\ndata_categories = [\"credit\"]"}}},
		{"a DPO with an email, appointed left out", []edit{{"notice.toml", "appointed = false", `email = "dpo@example.com"`}}},
		{"joint controller stated fully", []edit{{"notice.toml", noTransfers, noTransfers + "\n[[joint_controller]]\nkey = \"partner\"\nname = \"Partner AB\"\npurposes = [\"marketing\"]\nresponsibilities = {sv = \"Svarar för utskicken.\", en = \"Answers for the mailings.\"}\nessence = {sv = \"Vi delar ansvaret.\", en = \"We share the responsibility.\"}\n"}}},
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
			for _, d := range Check(parse(t, files)) {
				if ours[d.Rule] {
					t.Errorf("fired: %s", d)
				}
			}
		})
	}
}

// uk reads the UK notice fixture (../notice/testdata/uk) with edits.
func uk(t *testing.T, edits ...edit) *notice.Notice {
	t.Helper()
	files, err := filepath.Glob("../notice/testdata/uk/content/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("UK fixture: %v", err)
	}
	src := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src["content/"+filepath.Base(f)] = b
	}
	for _, e := range edits {
		name := "content/" + e.file
		if !strings.Contains(string(src[name]), e.old) {
			t.Fatalf("%s: %q not found", e.file, e.old)
		}
		src[name] = []byte(strings.Replace(string(src[name]), e.old, e.new, 1))
	}
	return parse(t, src)
}

// TestUKNotice lints the UK notice end to end: clean as written; each edit
// draws exactly the finding a UK controller would need to fix.
func TestUKNotice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edits []edit
		want  string
	}{
		{"as written", nil, ""},
		{"no representative", []edit{{"notice.toml", "[representative]\nname = \"Northwind UK Representative Ltd\"\nemail = \"uk-rep@northwind.example\"\naddress = {en = \"1 Example Row, London EC1A 1AA\"}\ncountry = \"GB\"\n", ""}},
			"content/notice.toml:20:11: warning: the controller is established in US, outside the UK, and its notice addresses people there, but names no representative (Art. 27): add [representative] with name, contact and country [representative]"},
		{"adequacy for India", []edit{{"recipients.toml", `mechanism = "uk-addendum"`, `mechanism = "adequacy"`}},
			"content/recipients.toml:26:13: error: recipient \"helpdesk\": IN is not covered by UK adequacy regulations: name the safeguard the transfer relies on (standard-contractual-clauses, binding-corporate-rules, ...) [adequacy]\n" +
				"content/recipients.toml:26:13: error: recipient \"helpdesk\": adequacy for US covers only recipients certified under the Data Privacy Framework: set dpf = true if it is certified, or name another mechanism (standard-contractual-clauses) [adequacy]"},
		{"no copy of the safeguards", []edit{{"notice.toml", "safeguards = {en = \"Ask our DPO at dpo@northwind.example for a copy of the clauses.\"}\n", "none = false\n"}},
			"content/recipients.toml:26:13: warning: recipient \"helpdesk\" transfers under uk-addendum but the notice does not say how to obtain a copy of the safeguards: add safeguards = {...} to it, or to [transfers] [safeguards-copy]"},
		{"EU clauses alone from the UK", []edit{{"recipients.toml", `mechanism = "uk-addendum"`, `mechanism = "standard-contractual-clauses"`}},
			"content/recipients.toml:26:13: error: recipient \"helpdesk\": under the UK GDPR the EU standard contractual clauses need the UK Addendum: write mechanism = \"uk-addendum\" (or \"uk-idta\") [transfer-mechanism]"},
		// Not the EU clauses: UK adequacy regulations cover the EEA.
		{"an EEA processor names the adequacy it relies on", []edit{{"recipients.toml", "country = \"GB\"\n", "country = \"IE\"\n"}},
			"content/recipients.toml:1:1: warning: recipient \"hosting\" processes data in IE, outside the UK, which UK adequacy regulations cover: say so with mechanism = \"adequacy\" (Art. 13(1)(f) asks for the adequacy a transfer relies on) [transfer-mechanism]"},
		{"EU clauses to an EEA processor from the UK are no finding", []edit{{"recipients.toml", "country = \"GB\"\n", "country = \"IE\"\nmechanism = \"standard-contractual-clauses\"\n"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Check(uk(t, tt.edits...)).Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestEveryAuthorityBuildsWithoutAcceptance: any authority of the built-in
// table loads and draws no error, with or without a name of the notice's own.
func TestEveryAuthorityBuildsWithoutAcceptance(t *testing.T) {
	t.Parallel()
	for _, a := range notice.Authorities() {
		files := clean(t)
		src := strings.Replace(string(files["content/notice.toml"]), `key = "imy"`, `key = "`+a.Key+`"`, 1)
		files["content/notice.toml"] = []byte(src)
		if ds := Check(parse(t, files)); ds.HasErrors() {
			t.Errorf("authority %s: %s", a.Key, ds.Error())
		}
		files["content/notice.toml"] = []byte(strings.Replace(src, `name = {sv = "Integritetsskyddsmyndigheten (IMY)", en = "the Swedish Authority for Privacy Protection (IMY)"}`+"\n", "", 1))
		n := parse(t, files)
		if ds := Check(n); ds.HasErrors() || n.AuthorityName("en") != a.Names["en"] {
			t.Errorf("authority %s without a name: %q, %s", a.Key, n.AuthorityName("en"), ds.Error())
		}
	}
	// A stale name is still flagged.
	files := clean(t)
	files["content/notice.toml"] = []byte(strings.Replace(string(files["content/notice.toml"]), `sv = "Integritetsskyddsmyndigheten (IMY)"`, `sv = "Datainspektionen"`, 1))
	found := false
	for _, d := range Check(parse(t, files)) {
		found = found || d.Rule == RuleStaleAuthority
	}
	if !found {
		t.Error("Datainspektionen not flagged")
	}
}
