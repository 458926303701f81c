package release

import (
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
)

// TestChangesShowBeforeAndNowByBlock: the changes page pairs a changed
// block with its new text under its section, labels a fact by its term,
// lists added and removed blocks, leaves out the version line, and shows
// the banner's texts that changed.
func TestChangesShowBeforeAndNowByBlock(t *testing.T) {
	t.Parallel()
	page := func(version, date, body string) []byte {
		return []byte(`<html><body><nav><a href="x">Svenska</a></nav><main><header><h1>Integritetspolicy</h1><p class="meta">Version ` + version +
			` · uppdaterad <time>` + date + `</time></p></header>` + body + `</main><footer>Version ` + version + `</footer></body></html>`)
	}
	// Dates as the page's language writes them (German, say).
	old := page("1", "01.01.2026", `<section><h2>Lagring</h2><p>Vi sparar fakturor i 18 månader.</p>`+
		`<h3>Kundtjänst</h3><dl><dt>Rättslig grund</dt><dd>Avtal</dd></dl><ul><li>Borta</li></ul></section>`)
	new := page("2", "01.02.2026", `<section><h2>Lagring</h2><p>Vi sparar fakturor i 2 år.</p>`+
		`<h3>Kundtjänst</h3><dl><dt>Rättslig grund</dt><dd>Samtycke</dd></dl></section><section><h2>Nytt avsnitt</h2><p>Ny text.</p></section>`)
	cfg := func(body string) []byte {
		return []byte(`{"categories":[{"key":"statistics","title":"Statistik","description":"Hjälper oss."}],"text":{"body":"` + body + `","acceptAll":"Godkänn alla"}}`)
	}
	t1 := func(id string) string {
		return map[string]string{"cookie_settings": "Cookieinställningar", "changes_before": "Tidigare", "changes_after": "Nu",
			"changes_removed": "Borttaget", "changes_added": "Nytt", "diff_none": "Inga ändringar.",
			"diff_reconsent_yes": "Besökarna tillfrågades på nytt.", "diff_reconsent_no": "Samtycket gäller."}[id]
	}
	a := &Archive{Release: notice.Release{Version: "1", Revision: "r1"}, page: map[string][]byte{"sv": old}, config: map[string][]byte{"sv": cfg("Vi använder cookies.")}}
	b := &Archive{Release: notice.Release{Version: "2", Revision: "r2"}, page: map[string][]byte{"sv": new}, config: map[string][]byte{"sv": cfg("Vi använder kakor.")}}
	a.Release.Date, b.Release.Date = date(t, "2026-01-01"), date(t, "2026-02-01")
	de := func(d notice.Date) string { return d.Format("02.01.2006") }
	h, ok := b.Changes(a, "sv", t1, de)
	if !ok {
		t.Fatal("no changes page")
	}
	got := string(h)
	for _, w := range []string{
		"<h2>Lagring</h2>",
		"<span class=\"label\">Tidigare:</span> Vi sparar fakturor i <del>18 månader.</del></p>",
		"<span class=\"label\">Nu:</span> Vi sparar fakturor i <ins>2 år.</ins></p>",
		"<p class=\"label\">Kundtjänst › Rättslig grund</p>",
		"<del>Avtal</del>", "<ins>Samtycke</ins>",
		"<span class=\"label\">Borttaget:</span> <del>Borta</del>",
		"<h2>Nytt avsnitt</h2>", "<ins>Nytt avsnitt</ins>", "<ins>Ny text.</ins>",
		"<h2>Cookieinställningar</h2>", "Vi använder <del>cookies.</del>", "Vi använder <ins>kakor.</ins>",
		"<p>Besökarna tillfrågades på nytt.</p>",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("changes lack %s:\n%s", w, got)
		}
	}
	for _, w := range []string{"uppdaterad", "Svenska", "Godkänn"} {
		if strings.Contains(got, w) {
			t.Errorf("changes show %q, which did not change or is not the page's text:\n%s", w, got)
		}
	}
	// Kept valid by an editorial release: consent stands.
	b.Release.Accepts = []string{"r1"}
	if h, _ := b.Changes(a, "sv", t1, de); !strings.Contains(string(h), "<p>Samtycket gäller.</p>") {
		t.Errorf("an editorial release still says visitors were asked again:\n%s", h)
	}
	if _, ok := b.Changes(a, "en", t1, de); ok {
		t.Error("a changes page in a language neither version has")
	}
}

func date(t *testing.T, s string) notice.Date {
	t.Helper()
	var d notice.Date
	if err := d.UnmarshalTOML(s); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestTermChangesLineByLine(t *testing.T) {
	t.Parallel()
	got := TermChanges([]string{"categories a, b", "cookie x: category a", "purpose p: consent in category b for data d"},
		[]string{"categories a, b", "cookie x: category b", "purpose p: consent in category b for data d"})
	want := []string{"- cookie x: category a", "+ cookie x: category b"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("TermChanges = %q, want %q", got, want)
	}
	if d := TermChanges([]string{"a"}, []string{"a"}); d != nil {
		t.Errorf("equal terms differ: %q", d)
	}
}
