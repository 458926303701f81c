package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// site reads the notice at dir (a site root) with edits applied.
func site(t *testing.T, dir string, edits ...edit) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "content", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: %v", dir, err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out["content/"+filepath.Base(f)] = b
	}
	for _, e := range edits {
		k := "content/" + e.file
		if !strings.Contains(string(out[k]), e.old) {
			t.Fatalf("%s: edit %q not applied", e.file, e.old)
		}
		out[k] = []byte(strings.Replace(string(out[k]), e.old, e.new, 1))
	}
	return out
}

// TestLintCitesTheNoticesOwnEPrivacyLaw checks the cookie, consent and
// marketing rules on a German, a UK and an Austrian notice: each cites its
// own country's law, and none Sweden's.
func TestLintCitesTheNoticesOwnEPrivacyLaw(t *testing.T) {
	t.Parallel()
	gmbh := filepath.Join("..", "notice", "testdata", "gmbh")
	marketing := edit{"purposes.toml", `description = {de = "Wenn Sie uns schreiben, verarbeiten wir Ihre Angaben, um Ihre Anfrage zu beantworten."`, `description = {de = "Wir senden Ihnen danach Angebote per E-Mail."`}
	marketingDPV := edit{"purposes.toml", `dpv = ["dpv:CommunicationForCustomerCare"]`, `dpv = ["dpv:DirectMarketing"]`}
	tests := []struct {
		name  string
		files map[string][]byte
		want  []string
	}{
		{"German: the consent cookie", site(t, gmbh, edit{"cookies.toml", "category = \"necessary\"\nlifetime = \"P12M\"", "category = \"statistics\"\nlifetime = \"P12M\""}), []string{
			`cookie "bs_consent" stores the visitor's choice ([banner] cookie) but is in category "statistics": it must be in the necessary category, or a refusal could not be stored (it needs no consent as strictly necessary: § 25 Abs. 2 Nr. 2 TDDDG) [cookie-category]`}},
		{"German: a banner category on legitimate interests", site(t, gmbh, edit{"purposes.toml", "basis = \"legitimate-interests\"\ntitle = {de = \"Bereitstellung der Website\"", "basis = \"legitimate-interests\"\nconsent = \"statistics\"\ntitle = {de = \"Bereitstellung der Website\""}), []string{
			`purpose "website" is gated by consent category "statistics" but rests on legitimate-interests: a non-necessary category stores on the device only with consent (§ 25 Abs. 1 TDDDG); set basis = "consent" [consent-basis]`}},
		{"German: e-mail marketing", site(t, gmbh, marketing, marketingDPV), []string{
			`purpose "enquiries" markets by E-Mail on legitimate interests: e-mail and SMS marketing needs prior consent (§ 7 Abs. 2 Nr. 2, Abs. 3 UWG) except to existing customers`}},
		{"Austrian: stated beats the controller's country", site(t, gmbh, marketing, marketingDPV, edit{"notice.toml", `eprivacy = "DE"`, `eprivacy = "AT"`}), []string{
			`(§ 174 Abs. 3 TKG 2021)`}},
		{"German, stating no rule: the controller's country", site(t, gmbh, marketing, marketingDPV, edit{"notice.toml", "eprivacy = \"DE\"\n", ""}), []string{
			`(§ 7 Abs. 2 Nr. 2, Abs. 3 UWG)`}},
		{"UK: e-mail marketing", site(t, filepath.Join("..", "notice", "testdata", "uk"), edit{"data.toml", `description = {en = "We send news about the service by post."}`, `description = {en = "We send news about the service by e-mail."}`}, edit{"data.toml", `dpv = ["dpv:CommunicationManagement"]`, `dpv = ["dpv:DirectMarketing"]`}), []string{
			`needs prior consent (PECR reg. 22)`}},
	}
	for _, tt := range tests {
		got := Check(parse(t, tt.files)).Error()
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: findings lack %q:\n%s", tt.name, w, got)
			}
		}
		for _, bad := range []string{"LEK", "9 kap.", "marknadsföringslagen"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: a finding cites %q:\n%s", tt.name, bad, got)
			}
		}
	}
}
