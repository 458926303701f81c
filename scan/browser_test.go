package scan

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/lint"
	"github.com/integritet/integritet/notice"
)

// fixture is a shop on FRAMSTEGET's built site: two pages that include the
// real banner snippet, an ungated script, a gated statistics script, a
// gated marketing image and, when dirty, a pixel that fires at once, both
// from a second loopback host. The shop's pages set the declared "cart"
// cookie in their response.
type fixture struct {
	start string // the shop's first page
	root  string // site root of the notice
	tp    string // the third-party origin
}

func newFixture(t *testing.T, dirty bool) fixture {
	t.Helper()
	kind := "clean"
	if dirty {
		kind = "dirty"
	}
	toml, err := os.ReadFile(filepath.Join("testdata", "fixture", kind+".toml"))
	if err != nil {
		t.Fatal(err)
	}
	public, root := buildSite(t, map[string]string{"zz-scan.toml": string(toml)})
	tp := thirdParty(t)
	pixel := ""
	if dirty {
		pixel = `<img src="` + tp.URL + `/pixel.gif" alt="" width="1" height="1">`
	}
	for _, p := range []struct{ path, title string }{{"shop/index.html", "Shop"}, {"shop/about/index.html", "About"}} {
		writeFile(t, filepath.Join(public, p.path), fixturePage(t, "page.html",
			"{{title}}", p.title, "{{snippet}}", snippet(t, public, "sv"), "{{tp}}", tp.URL, "{{pixel}}", pixel,
			"{{app}}", kind+"-app.js", "{{stats}}", kind+"-stats.js"))
	}
	for _, f := range []string{kind + "-app.js", kind + "-stats.js"} {
		writeFile(t, filepath.Join(public, "shop", f), fixturePage(t, f))
	}
	srv := serveSite(t, public, root, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/shop/") && strings.HasSuffix(r.URL.Path, "/") {
			w.Header().Add("Set-Cookie", "cart=1; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax")
		}
	})
	return fixture{start: srv.URL + "/shop/", root: root, tp: tp.URL}
}

func scanFixture(t *testing.T, start string, pages int) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, start, Options{Pages: pages, OnlyHosts: loopback})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range res.Passes {
		for _, p := range ev.Problems {
			t.Errorf("%s pass: %s", ev.Pass, p)
		}
	}
	return res
}

// brief is a finding as the tests compare it.
func brief(f Finding) string {
	s := f.Rule + " " + f.Kind + " " + f.Name
	if f.At != nil {
		s += fmt.Sprintf(" at %s:%d", f.At.File, f.At.Line)
	}
	ps := make([]string, len(f.Passes))
	for i, p := range f.Passes {
		ps[i] = string(p)
	}
	return s + " [" + strings.Join(ps, ",") + "]"
}

func TestScanFindsEachKindOfFinding(t *testing.T) {
	needChromium(t)
	fx := newFixture(t, true)
	res := scanFixture(t, fx.start, 4)
	n, err := notice.Load(fx.root)
	if err != nil {
		t.Fatal(err)
	}
	db, err := OpenDB()
	if err != nil {
		t.Fatal(err)
	}
	fs := Check(n, res, db)
	var got []string
	for _, f := range fs {
		got = append(got, brief(f))
	}
	want := []string{
		"lifetime cookie _pk_id.1 at content/zz-scan.toml:9 [accept]",
		"before-choice cookie _hjSession_1 at content/zz-scan.toml:18 [before]",
		"after-refusal cookie _hjSession_1 at content/zz-scan.toml:18 [reject]",
		"stale cookie old_tracker at content/zz-scan.toml:27 []",
		"undeclared cookie _ga [accept]",
		"undeclared indexeddb shop-cache [before,reject,accept]",
		"undeclared local-storage theme [before,reject,accept]",
		"undeclared session-storage visit [before,reject,accept]",
		"before-choice host 127.0.0.2 [before]",
		"after-refusal host 127.0.0.2 [reject]",
		"unknown-host host 127.0.0.2 [before,reject,accept]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range fs {
		switch {
		case f.Rule == ruleUndeclared && f.Name == "_ga":
			if !strings.Contains(f.Evidence, "/shop/dirty-stats.js:3:") || !strings.Contains(f.Evidence, "first party") {
				t.Errorf("_ga evidence %q: want the script and line that set it, first party", f.Evidence)
			}
			if !strings.Contains(f.Draft, `provider = "Google"`) || !strings.Contains(f.Draft, `category = "statistics"`) || !strings.Contains(f.Draft, "Open Cookie Database: Google Analytics") {
				t.Errorf("_ga draft does not come from the Open Cookie Database:\n%s", f.Draft)
			}
		case f.Rule == ruleUndeclared && f.Name == "theme":
			if !strings.Contains(f.Evidence, "/shop/dirty-app.js:3:") {
				t.Errorf("theme evidence %q: want the script that set it", f.Evidence)
			}
		case f.Rule == ruleLifetime:
			if !strings.Contains(f.Message, "395 days, longer than the declared P6M") {
				t.Errorf("lifetime message %q", f.Message)
			}
		case f.Rule == ruleBeforeChoice && f.Kind == "host":
			if !strings.Contains(f.Evidence, fx.tp+"/pixel.gif") {
				t.Errorf("pixel evidence %q: want its URL", f.Evidence)
			}
		}
	}
	// The consent cookie and the cart cookie are declared and necessary:
	// they were seen, with their attributes, and found nothing.
	var cart *Cookie
	for _, ev := range res.Passes {
		for i, c := range ev.Cookies {
			if c.Name == "cart" && ev.Pass == Before {
				cart = &ev.Cookies[i]
			}
		}
	}
	if cart == nil || !cart.HTTPOnly || cart.SameSite != "Lax" || cart.ThirdParty || !strings.HasPrefix(cart.SetBy, "response "+res.Site+"/shop/") {
		t.Errorf("cart cookie evidence %+v: want HttpOnly, SameSite Lax, first party, set by the shop's response", cart)
	}

	// The drafts load as the notice's cookies and fail lint until legal
	// has filled in the TODOs.
	// One for the cookie and one for each storage item, with its kind.
	drafts := draftsOf(fs)
	if c := CountDrafts(drafts); c != 4 {
		t.Fatalf("%d drafts, want 4:\n%s", c, drafts)
	}
	for _, k := range []string{kindLocalStorage, kindSessionStorage, kindIndexedDB} {
		if !strings.Contains(drafts, `kind = "`+k+`"`) {
			t.Errorf("no draft of kind %s:\n%s", k, drafts)
		}
	}
	file, err := WriteDrafts(fx.root, drafts)
	if err != nil {
		t.Fatal(err)
	}
	if file != "content/cookies.toml" {
		t.Errorf("drafts went to %s, want content/cookies.toml (the file of the first declaration)", file)
	}
	n2, err := notice.Load(fx.root)
	if err != nil {
		t.Fatalf("the notice with the drafts does not load: %v", err)
	}
	if len(n2.Cookies) != len(n.Cookies)+4 {
		t.Errorf("%d declarations after -write, want %d", len(n2.Cookies), len(n.Cookies)+4)
	}
	unfilled := 0
	for _, d := range lint.Check(n2) {
		if d.Rule == lint.RuleUnfilled && d.Pos.File == file && d.Severity == notice.Error {
			unfilled++
		}
	}
	if unfilled < 4 {
		t.Errorf("lint reports %d unfilled TODOs in the drafts, want at least one per draft", unfilled)
	}
	// With the TODOs filled, the drafted cookie is declared: a second check
	// of the same evidence finds it.
	b, err := os.ReadFile(filepath.Join(fx.root, file))
	if err != nil {
		t.Fatal(err)
	}
	filled := strings.ReplaceAll(strings.ReplaceAll(string(b), "TODO: review and translate: ", ""), "TODO: review: ", "")
	filled = strings.ReplaceAll(strings.ReplaceAll(filled, "TODO: say what it is for.", "Reviewed."), "TODO: who sets it", "FRAMSTEGET")
	writeFile(t, filepath.Join(fx.root, file), []byte(filled))
	n3, err := notice.Load(fx.root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range lint.Check(n3) {
		if d.Rule == lint.RuleUnfilled {
			t.Errorf("after review: %s", d)
		}
	}
	for _, f := range Check(n3, res, db) {
		if f.Rule == ruleUndeclared {
			t.Errorf("after -write and review, still: %s", f)
		}
	}
}

func TestScanCleanSiteFindsNothing(t *testing.T) {
	needChromium(t)
	fx := newFixture(t, false)
	res := scanFixture(t, fx.start, 4)
	n, err := notice.Load(fx.root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Check(n, res, nil) {
		t.Errorf("clean site: %s", f)
	}
	// The declared local storage was seen in every pass.
	for _, ev := range res.Passes {
		if len(ev.Storage) != 1 || ev.Storage[0].Name != "ui" || ev.Storage[0].Kind != kindLocalStorage {
			t.Errorf("%s pass saw storage %+v, want the declared local-storage ui", ev.Pass, ev.Storage)
		}
	}
	// It did see the gated items after "Accept all", and only then.
	for _, ev := range res.Passes {
		var names []string
		for _, c := range ev.Cookies {
			names = append(names, c.Name)
		}
		hasStats := slices.Contains(names, "_pk_id.1")
		hosts := len(ev.Hosts)
		if ev.Pass == Accept {
			if !hasStats || hosts != 1 || ev.Hosts[0].Host != "127.0.0.2" {
				t.Errorf("accept pass saw cookies %v, hosts %+v: want _pk_id.1 and 127.0.0.2", names, ev.Hosts)
			}
		} else if hasStats || hosts != 0 {
			t.Errorf("%s pass saw cookies %v, hosts %+v: want nothing gated", ev.Pass, names, ev.Hosts)
		}
		if ev.Pass != Before && ev.Clicked != fx.start {
			t.Errorf("%s pass clicked on %q, want the first page", ev.Pass, ev.Clicked)
		}
	}
}

// TestScanFramsteget scans FRAMSTEGET's real build, as `integritet build`
// writes it, from its front page: the notice declares exactly what the
// site does.
func TestScanFramsteget(t *testing.T) {
	needChromium(t)
	public, root := buildSite(t, nil)
	srv := serveSite(t, public, root, nil)
	res := scanFixture(t, srv.URL+"/", 20)
	n, err := notice.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Check(n, res, nil) {
		t.Errorf("FRAMSTEGET: %s", f)
	}
	for _, ev := range res.Passes {
		if len(ev.Pages) < 4 {
			t.Errorf("%s pass visited %v: want both languages' notice and history pages", ev.Pass, ev.Pages)
		}
		// The front page only refreshes to the Swedish notice: it is waited
		// out, not counted as a page.
		if slices.Contains(ev.Pages, srv.URL+"/") {
			t.Errorf("%s pass counted the front page, which refreshes at once: %v", ev.Pass, ev.Pages)
		}
		var names []string
		for _, c := range ev.Cookies {
			names = append(names, c.Name)
		}
		want := []string{n.Banner.Cookie}
		if ev.Pass == Before {
			want = nil
		}
		if !slices.Equal(names, want) {
			t.Errorf("%s pass: cookies %v, want %v", ev.Pass, names, want)
		}
	}
}

// A site whose pages do not include the banner: the reject and accept
// passes cannot choose, and say so, after trying the first pages.
func TestScanWithoutBannerSaysSo(t *testing.T) {
	needChromium(t)
	public, root := buildSite(t, nil)
	for i := range 5 {
		writeFile(t, filepath.Join(public, "plain", fmt.Sprint(i), "index.html"),
			[]byte(fmt.Sprintf(`<!doctype html><html lang="sv"><title>Plain</title><a href="/plain/%d/">next</a></html>`, i+1)))
	}
	srv := serveSite(t, public, root, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := Run(ctx, srv.URL+"/plain/0/", Options{Pages: 5, OnlyHosts: loopback, BannerTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range Check(n, res, nil) {
		got = append(got, brief(f))
	}
	at := n.Cookies[slices.IndexFunc(n.Cookies, func(c notice.Cookie) bool { return c.Name == n.Banner.Cookie })].At
	want := []string{
		fmt.Sprintf("stale cookie %s at %s:%d []", n.Banner.Cookie, at.File, at.Line),
		"no-banner page " + srv.URL + "/plain/0/ [reject]",
		"no-banner page " + srv.URL + "/plain/0/ [accept]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, ev := range res.Passes {
		if want := map[Pass]int{Before: 5, Reject: bannerPages, Accept: bannerPages}[ev.Pass]; len(ev.Pages) != want {
			t.Errorf("%s pass visited %d pages, want %d", ev.Pass, len(ev.Pages), want)
		}
	}
}
