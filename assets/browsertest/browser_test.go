package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const howToRun = `run: eval "$(bash .ci/browser.sh)" then go test ./assets/browsertest -run Browser`

// missing skips the test locally and fails it in CI, where the tools must be.
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing in CI; %s", what, howToRun)
	}
	t.Skipf("%s is missing; %s", what, howToRun)
}

// tab is one scenario: its own browser context (so its own cookie jar), its
// own server, and the console of the page, which must stay clean.
type tab struct {
	t   *testing.T
	ctx context.Context
	srv *server
	l   lang
	// scripts are the identifiers of what addScript added, which the tab
	// loses when it goes back to the pool.
	scripts []page.ScriptIdentifier

	mu      sync.Mutex
	console []string
	forgive []string // console messages a scenario expects, by substring
}

// expect lets console messages that contain substr pass (a scenario that
// makes the endpoint fail expects the browser to say so), and reports
// whether one has been seen.
func (tb *tab) expect(substr string) bool {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.forgive = append(tb.forgive, substr)
	return slices.ContainsFunc(tb.console, func(m string) bool { return strings.Contains(m, substr) })
}

// newTab gives the scenario t a tab of its own in the shared Chromium,
// with its own server. The tab comes from the pool: a browser context of
// its own, reset to what a new one is (see pooledTab.reset) and checked.
func newTab(t *testing.T, browser context.Context, s site, l lang) *tab {
	t.Helper()
	srv := newServer(t, s)
	p := takeTab(t, browser)
	tb := &tab{t: t, ctx: p.ctx, srv: srv, l: l}
	p.cur.Store(tb)
	// CSP violations reach the console through the Log domain; the listener
	// below is a second net. It is a DevTools injection, so CSP does not apply.
	tb.addScript(`document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`)
	tb.addScript(requestsJS)
	t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, m := range tb.console {
			if !slices.ContainsFunc(tb.forgive, func(f string) bool { return strings.Contains(m, f) }) {
				t.Errorf("console: %s", m)
			}
		}
		_, problems := tb.srv.recorded()
		for _, p := range problems {
			t.Errorf("endpoint got a request that breaks the contract: %s", p)
		}
	})
	// Runs first: the page leaves while its server still answers, and
	// what it said on leaving is checked above.
	t.Cleanup(func() { p.release(t, tb) })
	return tb
}

func (tb *tab) listen(ev any) {
	var m string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
		}
		m = string(ev.Type) + ": " + strings.Join(parts, " ")
	case *runtime.EventExceptionThrown:
		m = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			m += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		m = string(ev.Entry.Level) + " (" + string(ev.Entry.Source) + "): " + ev.Entry.Text
	default:
		return
	}
	tb.mu.Lock()
	tb.console = append(tb.console, m)
	tb.mu.Unlock()
}

func (tb *tab) addScript(src string) {
	tb.t.Helper()
	res, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.scripts = append(tb.scripts, res.Identifier)
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := stepContext(tb.t, tb.ctx)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatal(err)
	}
}

// exec runs a statement in the page.
func (tb *tab) exec(stmt string) {
	tb.t.Helper()
	eval[bool](tb, "{"+stmt+"}; true")
}

func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.srv.URL + path))
	tb.settle()
}

// settle waits until the deferred banner script has run.
func (tb *tab) settle() {
	tb.t.Helper()
	tb.waitFor(`document.readyState == 'complete' && !!window.integritet && document.getAnimations().every(a => a.playState == 'finished')`)
}

// eval evaluates expr in the page and decodes the result into T.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := stepContext(tb.t, tb.ctx)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitFor polls expr until it is true, as long as the test's deadline
// allows.
func (tb *tab) waitFor(expr string) {
	tb.t.Helper()
	end := deadline(tb.t)
	for !eval[bool](tb, "!!("+expr+")") {
		if time.Now().After(end) {
			tb.t.Fatal(timedOut(expr))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitUntil waits for expr as waitFor does, and says why it waited when
// it never came true.
func (tb *tab) waitUntil(expr, why string) {
	tb.t.Helper()
	end := deadline(tb.t)
	for !eval[bool](tb, "!!("+expr+")") {
		if time.Now().After(end) {
			tb.t.Fatalf("%s: %s", why, timedOut(expr))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// openSettings clicks sel and waits for the settings to open (the settings
// layer loads when first opened).
func (tb *tab) openSettings(sel string) {
	tb.t.Helper()
	tb.click(sel)
	tb.waitUntil(dialogOpen, sel+" opens the settings")
}

func (tb *tab) check(expr, why string) {
	tb.t.Helper()
	if !eval[bool](tb, "!!("+expr+")") {
		tb.t.Errorf("%s: %s is false", why, expr)
	}
}

func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(sel)))
}

func (tb *tab) key(keys string) {
	tb.t.Helper()
	tb.do(chromedp.KeyEvent(keys))
}

// requestsJS counts, in every document of a tab, the banner's requests to
// the endpoint (fetch and sendBeacon) and those still on their way, so that
// a test knows when the page has nothing more to send without waiting for
// a while; and it keeps what goes to console.warn. It is a DevTools
// injection, run before the page's own scripts.
const requestsJS = `(() => {
	const f = window.fetch, b = navigator.sendBeacon.bind(navigator);
	window.itgSent = 0; window.itgPending = 0; window.itgWarned = [];
	const mine = u => String(u).includes('/api/consent');
	window.fetch = (u, ...a) => { if (!mine(u)) return f(u, ...a); window.itgSent++; window.itgPending++; return f(u, ...a).finally(() => window.itgPending--); };
	navigator.sendBeacon = (u, ...a) => { if (mine(u)) window.itgSent++; return b(u, ...a); };
	const w = console.warn; console.warn = (...a) => { window.itgWarned.push(a.join(' ')); w(...a); };
})();`

// idle waits until the banner has no request to the endpoint on its way.
// (A decision that is still queued after that waits for the next page.)
func (tb *tab) idle() {
	tb.t.Helper()
	tb.waitFor(`window.itgPending === 0`)
}

// sent is how many requests the page made to the endpoint.
func (tb *tab) sent() int {
	tb.t.Helper()
	return eval[int](tb, `window.itgSent`)
}

// posts waits until the endpoint has recorded n decisions and returns them.
func (tb *tab) posts(n int) []post {
	tb.t.Helper()
	end := deadline(tb.t)
	for {
		ps, problems := tb.srv.recorded()
		if len(ps) >= n || len(problems) > 0 || time.Now().After(end) {
			if len(ps) != n {
				tb.t.Fatalf("endpoint recorded %d decisions, want %d: %+v", len(ps), n, ps)
			}
			return ps
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// consentCookie returns the value of the consent cookie, or "".
func (tb *tab) consentCookie() string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(document.cookie.split('; ').find(c => c.startsWith(%q)) || '').slice(%d)`,
		tb.l.cfg.Cookie.Name+"=", len(tb.l.cfg.Cookie.Name)+1))
}

// Selectors of the banner's parts.
const (
	banner     = `section.itg`
	bannerOpen = `document.querySelector('section.itg') && !document.querySelector('section.itg').hidden`
	accept     = `section.itg .itg-r button:nth-child(1)`
	reject     = `section.itg .itg-r button:nth-child(2)`
	settings   = `section.itg .itg-r button:nth-child(3)`
	dialogOpen = `document.querySelector('dialog.itg') && document.querySelector('dialog.itg').open`
	save       = `dialog.itg .itg-r button:nth-child(3)`
	reopen     = `[data-consent-open]`
	// nothingRan: no gated script was activated (each would have been
	// replaced by a copy of another type, so this needs no wait for a
	// script to load), and no iframe or image got its src.
	nothingRan = `!window.statsRan && !window.statsInline && [...document.querySelectorAll('script[data-consent]')].every(s => s.type == 'text/plain') && !document.querySelector('iframe').src && !document.querySelector('img').src`
)

func toggle(key string) string {
	return fmt.Sprintf(`dialog.itg input[aria-describedby="itg-c-%s"]`, key)
}

// gatedRequests reports which gated resources the server was asked for.
func (tb *tab) gatedRequests() []string {
	var got []string
	for _, p := range []string{"/company/stats.js", "/company/frame.html", "/company/pixel.svg"} {
		if tb.srv.requested(p) {
			got = append(got, p)
		}
	}
	return got
}

func TestBrowser(t *testing.T) {
	t.Parallel()
	browser := sharedBrowser(t)
	// built is FRAMSTEGET as it is; withCookies adds declared statistics and
	// marketing cookies, which changes what visitors consent to and so the
	// revision.
	built := buildSite(t)
	withCookies := buildSiteWithCookies(t)
	editorial := buildSiteEditorial(t, built.langs[0].cfg.Revision)
	axe := os.Getenv("INTEGRITET_AXE")

	for i, l := range built.langs {
		l2 := withCookies.langs[i]
		le := editorial.langs[i]
		t.Run(l.code, func(t *testing.T) {
			t.Parallel()
			scenarios := []struct {
				name string
				site site
				l    lang
				run  func(*testing.T, *tab)
			}{
				{"FirstVisitAsksAndRunsNothing", built, l, firstVisit},
				{"NoticePageCarriesBanner", built, l, noticePage},
				{"AcceptAll", built, l, acceptAll},
				{"RejectAll", built, l, rejectAll},
				{"CustomChoice", built, l, customChoice},
				{"ReopenAndWithdrawDeletesCookies", withCookies, l2, withdraw},
				{"GPCRefusesWithoutBanner", built, l, gpc},
				{"KeyboardOnly", built, l, keyboard},
				{"EscapeRefuses", built, l, escapeRefuses},
				{"NarrowAndZoomed", built, l, narrow},
				{"RevisionChangeAsksAgain", built, l, func(t *testing.T, tb *tab) { revisionChange(t, tb, withCookies, l2) }},
				{"EditorialChangeKeepsConsent", built, l, func(t *testing.T, tb *tab) { editorialChange(t, tb, editorial, le) }},
				{"Axe", built, l, func(t *testing.T, tb *tab) { runAxe(t, tb, axe) }},
				{"ReducedMotionAndPrint", built, l, reducedMotionAndPrint},
				{"NoticeNeverScrollsSideways", built, l, noticeNarrow},
			}
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					t.Parallel()
					sc.run(t, newTab(t, browser, sc.site, sc.l))
				})
			}
		})
	}
}

// TestWebshopBrowser runs the banner's main scenarios on the example web
// shop (examples/webshop), in Swedish, English and German: another
// organisation's build, with third-party statistics and marketing cookies.
func TestWebshopBrowser(t *testing.T) {
	t.Parallel()
	browser := sharedBrowser(t)
	shop := writeSite(t, render(t, filepath.Join(repoRoot, "examples", "webshop")))
	axe := os.Getenv("INTEGRITET_AXE")
	if len(shop.langs) != 3 {
		t.Fatalf("languages %v, want sv, en, de", shop.langs)
	}
	for _, l := range shop.langs {
		t.Run(l.code, func(t *testing.T) {
			t.Parallel()
			for _, sc := range []struct {
				name string
				run  func(*testing.T, *tab)
			}{
				{"FirstVisitAsksAndRunsNothing", firstVisit},
				{"AcceptAll", acceptAll},
				{"RejectAll", rejectAll},
				{"CustomChoice", customChoice},
				{"KeyboardOnly", keyboard},
				{"Axe", func(t *testing.T, tb *tab) { runAxe(t, tb, axe) }},
			} {
				t.Run(sc.name, func(t *testing.T) {
					t.Parallel()
					sc.run(t, newTab(t, browser, shop, l))
				})
			}
		})
	}
}

// reducedMotionAndPrint: with prefers-reduced-motion no part of the banner
// moves (the switch's knob is a ::before), and in print nothing of the
// banner or the settings is shown.
func reducedMotionAndPrint(t *testing.T, tb *tab) {
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
		t.Fatal(err)
	}
	tb.open(tb.l.company)
	tb.check(bannerOpen, "the banner shows")
	tb.openSettings(settings)
	tb.waitUntil(dialogOpen, "the settings open")
	tb.check(`[...document.querySelectorAll('.itg, .itg *')].every(e => ['', '::before', '::after'].every(p => { const s = getComputedStyle(e, p || null); return s.transitionDuration.split(',').every(d => parseFloat(d) == 0) && s.animationName == 'none'; }))`, "reduced motion stops every transition and animation of the banner, pseudo-elements included")
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	tb.check(`[...document.querySelectorAll('section.itg, dialog.itg')].every(e => getComputedStyle(e).display == 'none')`, "nothing of the banner or the settings prints")
	tb.check(`getComputedStyle(document.querySelector('main, body')).display != 'none'`, "the page itself prints")
}

func firstVisit(t *testing.T, tb *tab) {
	tb.addScript(`new PerformanceObserver(l => { window.shifts = (window.shifts || 0) + l.getEntries().reduce((s, e) => s + e.value, 0) }).observe({type: 'layout-shift', buffered: true});`)
	tb.open(tb.l.company)
	tb.check(bannerOpen, "the banner shows on the first visit")
	cfg := tb.l.cfg
	if got := eval[string](tb, `document.querySelector('#itg-t').textContent`); got != cfg.Text["title"] {
		t.Errorf("banner title %q, want %q (language %s)", got, cfg.Text["title"], tb.l.code)
	}
	for _, c := range cfg.Categories {
		if !c.Necessary {
			tb.check(fmt.Sprintf(`document.querySelector('section.itg').textContent.includes(%q)`, c.Title), "the first layer names the purpose "+c.Key)
		}
	}
	tb.check(fmt.Sprintf(`document.querySelector('section.itg a').getAttribute('href') == %q`, cfg.Notice), "the first layer links to the notice")
	tb.check(fmt.Sprintf(`document.querySelector('section.itg').textContent.includes(%q)`, cfg.Text["withdraw"]), "the right to withdraw is stated")
	if got := eval[string](tb, `document.cookie`); got != "" {
		t.Errorf("cookies before any choice: %q", got)
	}
	tb.check(nothingRan, "nothing gated runs before consent")
	if got := tb.gatedRequests(); len(got) > 0 {
		t.Errorf("gated resources were fetched before consent: %v", got)
	}
	if got := tb.srv.settingsRequests(); len(got) > 0 {
		t.Errorf("the settings layer was loaded before the settings were opened: %v", got)
	}
	// Accept and reject are the same element with the same size and colours
	// (flex layout may share out a width with a sub-pixel remainder).
	same := eval[bool](tb, `(() => {
		const a = document.querySelector('`+accept+`'), r = document.querySelector('`+reject+`');
		const sa = getComputedStyle(a), sr = getComputedStyle(r), ra = a.getBoundingClientRect(), rr = r.getBoundingClientRect();
		return a.tagName == r.tagName && a.className == r.className && Math.abs(ra.width - rr.width) < 0.1 && ra.height == rr.height &&
			['color','background-color','font-size','font-weight','border-top-color','border-top-width'].every(p => sa[p] == sr[p]);
	})()`)
	if !same {
		t.Error("accept and reject differ in element, size or colour")
	}
	tb.check(`window.dataLayer && window.dataLayer.some(a => a[0] == 'consent' && a[1] == 'default' && a[2].analytics_storage == 'denied' && a[2].ad_storage == 'denied' && !('wait_for_update' in a[2]))`, "Consent Mode default is denied")
	tb.check(`window.integritet.get() === null`, "get() is null before a choice")
	// The banner overlays the page and shifts nothing. On a loaded machine
	// the page's own stylesheet can land a frame late and move it by a
	// fraction of a pixel (1e-4 seen); anything the banner moved would be
	// orders of magnitude more (CLS "good" is below 0.1).
	if n := eval[float64](tb, settledShifts); n >= 0.001 {
		t.Errorf("layout shift %v, want none (below 0.001)", n)
	}
	if ps, _ := tb.srv.recorded(); len(ps) > 0 {
		t.Errorf("decisions sent before any choice: %+v", ps)
	}
}

// settledShifts is the layout shift of the page so far, read once two more
// frames have been drawn and the observer's reports of them delivered
// (tasks after the frames): a shift the banner caused is in it.
const settledShifts = `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(window.shifts || 0)))))`

func noticePage(t *testing.T, tb *tab) {
	tb.open(tb.l.notice)
	tb.check(bannerOpen, "the notice page shows the banner")
	tb.check(fmt.Sprintf(`document.documentElement.lang == %q`, tb.l.code), "page language")
	// The theme styles the page's own headings (a rule above each h2); the
	// banner's headings must not pick that up.
	tb.check(`[...document.querySelectorAll('.itg .itg-h')].every(e => { const s = getComputedStyle(e); return s.borderTopStyle == 'none' && s.paddingTop == '0px' })`, "the theme's heading style does not leak into the banner")
	tb.click(reject)
	tb.posts(1)
	tb.openSettings(reopen)
	tb.waitUntil(dialogOpen, "the notice page's control opens the settings")
}

func acceptAll(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.exec(`document.addEventListener('integritet:consent', e => window.evDetail = e.detail);
		window.integritet.onChange(c => window.cbDetail = c)`)
	if got := eval[string](tb, `document.querySelector('`+accept+`').textContent`); got != tb.l.cfg.Text["acceptAll"] {
		t.Errorf("accept button says %q", got)
	}
	tb.click(accept)
	tb.check(`document.querySelector('section.itg').hidden`, "the banner hides after the choice")
	tb.waitFor(`window.statsRan == 1 && window.statsInline == 1`)
	tb.waitFor(`document.querySelector('iframe').getAttribute('src') == '/company/frame.html' && document.querySelector('img').complete`)
	ps := tb.posts(1)
	if p := ps[0]; p.Method != "accept-all" || p.Subject != "" || !allChoices(p.Choices, true) || p.Language != tb.l.code {
		t.Errorf("decision %+v, want accept-all of everything, no subject yet", p)
	}
	tb.check(`window.evDetail && window.evDetail.method == 'accept-all' && window.cbDetail && window.cbDetail.choices.statistics`, "the event and the callback report the choice")
	tb.check(`window.dataLayer.some(a => a[0] == 'consent' && a[1] == 'update' && a[2].analytics_storage == 'granted' && a[2].ad_user_data == 'granted')`, "Consent Mode update is granted")
	// The cookie keeps the revision, the subject from the receipt, and the choices.
	tb.waitFor(fmt.Sprintf(`document.cookie.includes(%q)`, tb.l.cfg.Cookie.Name+"="+tb.l.cfg.Revision+"."+tb.srv.subject(0)+"."))
	// The decision's id comes last; the receipt emptied the queue after it.
	if v := tb.consentCookie(); !strings.HasSuffix(v, ".accept-all.11."+ps[0].ID) {
		t.Errorf("consent cookie %q", v)
	}
	// The next page applies the stored choice without asking or sending again.
	tb.open(tb.l.company)
	tb.check(`!document.querySelector('section.itg')`, "no banner once chosen")
	tb.waitFor(`window.statsRan == 1 && window.integritet.get().method == 'accept-all'`)
	tb.idle()
	if n := tb.sent(); n != 0 {
		t.Errorf("the next page sent %d requests to the endpoint, want none", n)
	}
	tb.posts(1)
}

func allChoices(c map[string]bool, v bool) bool {
	for _, x := range c {
		if x != v {
			return false
		}
	}
	return len(c) > 0
}

func rejectAll(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.click(reject)
	ps := tb.posts(1)
	if p := ps[0]; p.Method != "reject-all" || !allChoices(p.Choices, false) {
		t.Errorf("decision %+v, want reject-all", p)
	}
	tb.waitFor(`(window.integritet.get() || {}).subject`)
	if v := tb.consentCookie(); !strings.HasPrefix(v, tb.l.cfg.Revision+".") || !strings.HasSuffix(v, ".reject-all.00."+ps[0].ID) {
		t.Errorf("consent cookie %q", v)
	}
	tb.check(`window.dataLayer.some(a => a[1] == 'update' && a[2].analytics_storage == 'denied')`, "Consent Mode update is denied")
	tb.open(tb.l.company)
	tb.check(`!document.querySelector('section.itg')`, "no banner once refused")
	tb.check(nothingRan, "nothing gated runs after a refusal")
	if got := tb.gatedRequests(); len(got) > 0 {
		t.Errorf("gated resources fetched after a refusal: %v", got)
	}
	tb.check(`document.cookie.split('; ').length == 1`, "only the consent cookie is set")
}

func customChoice(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.openSettings(settings)
	if got := tb.srv.settingsRequests(); len(got) != 2 {
		t.Errorf("opening the settings loaded %v, want the settings layer's script and stylesheet", got)
	}
	tb.waitUntil(dialogOpen, "Settings opens the dialog")
	tb.check(`document.querySelector('dialog.itg').matches(':modal')`, "the settings are modal")
	tb.check(`[...document.querySelectorAll('dialog.itg input')].every(i => i.disabled ? i.checked : !i.checked)`, "only necessary is on, and locked")
	tb.click(toggle("statistics"))
	tb.click(save)
	tb.check(`!document.querySelector('dialog.itg').open && document.querySelector('section.itg').hidden`, "Save closes both layers")
	ps := tb.posts(1)
	if p := ps[0]; p.Method != "custom" || !p.Choices["statistics"] || p.Choices["marketing"] {
		t.Errorf("decision %+v, want custom with statistics only", p)
	}
	// Activation is one pass over the page: what statistics activated,
	// marketing would have been too.
	tb.waitFor(`window.statsRan == 1 && window.statsInline == 1`)
	tb.check(`!document.querySelector('iframe').src && !document.querySelector('img').src`, "marketing stays off")
	if tb.srv.requested("/company/frame.html") {
		t.Error("the marketing iframe was fetched")
	}
	tb.check(`window.dataLayer.some(a => a[1] == 'update' && a[2].analytics_storage == 'granted' && a[2].ad_storage == 'denied')`, "Consent Mode follows the mapping")
}

func withdraw(t *testing.T, tb *tab) {
	declared := map[string][]string{}
	for _, c := range tb.l.cfg.Categories {
		for _, k := range c.Cookies {
			declared[c.Key] = append(declared[c.Key], k.Name)
		}
	}
	if want := map[string][]string{"necessary": {tb.l.cfg.Cookie.Name}, "statistics": {"_pk_ls_*", "_pk_id.*", "_pk_ses.*"}, "marketing": {"ad_session", "_fbp"}}; !maps.EqualFunc(declared, want, slices.Equal) {
		t.Fatalf("the built configuration declares %v, want %v", declared, want)
	}
	tb.open(tb.l.company)
	tb.click(accept)
	tb.waitFor(`document.cookie.includes('_pk_id.1=') && document.cookie.includes('_pk_ses.1=')`)
	tb.posts(1)
	tb.waitFor(fmt.Sprintf(`window.integritet.get().subject == %q`, tb.srv.subject(0)))
	tb.open(tb.l.company)
	tb.exec(`document.cookie = '_fbp=fb.1.2; Path=/'; document.cookie = 'unrelated=1; Path=/';
		localStorage.setItem('_pk_ls_a', '1'); localStorage.setItem('_pk_ls_b', '2'); localStorage.setItem('unrelated_ls', '3');
		sessionStorage.setItem('ad_session', '4'); sessionStorage.setItem('other_ss', '5')`)
	tb.openSettings(reopen)
	tb.waitUntil(dialogOpen, "the page's control reopens the settings")
	tb.check(`document.querySelector('`+toggle("statistics")+`').checked && document.querySelector('`+toggle("marketing")+`').checked`, "the settings show the current choice")
	tb.click(toggle("statistics"))
	tb.click(toggle("marketing"))
	tb.click(save)
	ps := tb.posts(2)
	if p := ps[1]; p.Method != "withdraw" || p.Subject != tb.srv.subject(0) || !allChoices(p.Choices, false) {
		t.Errorf("decision %+v, want a withdrawal with the first receipt's subject", p)
	}
	cookies := eval[string](tb, `document.cookie`)
	for _, gone := range []string{"_pk_id.1=", "_pk_ses.1=", "_fbp="} {
		if strings.Contains(cookies, gone) {
			t.Errorf("declared cookie %s survived the withdrawal: %q", gone, cookies)
		}
	}
	if !strings.Contains(cookies, "unrelated=1") || !strings.Contains(cookies, tb.l.cfg.Cookie.Name+"=") {
		t.Errorf("withdrawal deleted more than the declared cookies: %q", cookies)
	}
	// Declared localStorage and sessionStorage keys go too, and nothing else.
	if got := eval[string](tb, `[...Object.keys(localStorage).sort(), '|', ...Object.keys(sessionStorage).sort()].join(' ')`); got != "unrelated_ls | other_ss" {
		t.Errorf("storage after the withdrawal: %q, want only the undeclared keys", got)
	}
}

func gpc(t *testing.T, tb *tab) {
	tb.addScript(`Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});`)
	tb.open(tb.l.company)
	tb.check(`!document.querySelector('section.itg')`, "no banner under GPC")
	ps := tb.posts(1)
	if p := ps[0]; p.Method != "gpc" || !allChoices(p.Choices, false) {
		t.Errorf("decision %+v, want gpc refusing everything", p)
	}
	tb.waitFor(`(window.integritet.get() || {}).subject`)
	if v := tb.consentCookie(); !strings.HasSuffix(v, ".gpc.00."+ps[0].ID) {
		t.Errorf("consent cookie %q", v)
	}
	tb.check(nothingRan, "nothing gated runs under GPC")
	// The visitor can still opt in from the settings.
	tb.openSettings(reopen)
	tb.click(toggle("statistics"))
	tb.click(save)
	ps = tb.posts(2)
	if p := ps[1]; p.Method != "custom" || !p.Choices["statistics"] {
		t.Errorf("decision %+v, want custom opting in to statistics", p)
	}
	tb.waitFor(`window.statsRan == 1`)
}

// active describes the focused element for the keyboard test.
const active = `(() => { const a = document.activeElement; return a ? a.tagName + '|' + (a.closest('section.itg') ? 'banner' : a.closest('dialog.itg') ? 'dialog' : 'page') + '|' + (a.textContent || a.getAttribute('aria-describedby') || '') : '' })()`

func keyboard(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	// The banner comes first in the tab order: the notice link, then the buttons.
	var stops []string
	for range 6 {
		tb.key(kb.Tab)
		stops = append(stops, eval[string](tb, active))
		if strings.HasSuffix(stops[len(stops)-1], "|"+tb.l.cfg.Text["settings"]) {
			break
		}
	}
	for _, s := range stops {
		if !strings.Contains(s, "|banner|") {
			t.Fatalf("Tab left the banner before reaching Settings: %q", stops)
		}
	}
	if !strings.HasSuffix(stops[len(stops)-1], "|"+tb.l.cfg.Text["settings"]) {
		t.Fatalf("Settings not reached by Tab: %q", stops)
	}
	tb.check(`document.activeElement.matches(':focus-visible') && getComputedStyle(document.activeElement).outlineStyle == 'solid'`, "focus is visible")
	tb.key(kb.Enter)
	tb.waitUntil(dialogOpen, "Enter on Settings opens the dialog")
	// Focus stays inside the modal dialog.
	seen := map[string]bool{}
	for range 12 {
		tb.key(kb.Tab)
		s := eval[string](tb, active)
		if !strings.Contains(s, "|dialog|") && !strings.HasPrefix(s, "BODY|") {
			t.Fatalf("focus left the modal dialog: %q", s)
		}
		seen[s] = true
	}
	// Move to the statistics switch, turn it on with Space, save with Enter.
	for range 20 {
		if eval[bool](tb, `document.activeElement.matches('`+toggle("statistics")+`')`) {
			break
		}
		tb.key(kb.Tab)
	}
	tb.check(`document.activeElement.matches('`+toggle("statistics")+`')`, "the statistics switch is reachable by Tab")
	tb.key(" ")
	tb.check(`document.activeElement.checked`, "Space turns the switch on")
	for range 20 {
		if eval[bool](tb, `document.activeElement.matches('`+save+`')`) {
			break
		}
		tb.key(kb.Tab)
	}
	tb.key(kb.Enter)
	ps := tb.posts(1)
	if p := ps[0]; p.Method != "custom" || !p.Choices["statistics"] || p.Choices["marketing"] {
		t.Errorf("decision %+v, want custom with statistics", p)
	}
	tb.idle()
	sent := tb.sent()
	// Reopen from the page's control by keyboard; Escape keeps the choice and
	// gives focus back to the control.
	tb.do(chromedp.Focus(chromedp.CSS(reopen)))
	tb.key(kb.Enter)
	tb.waitUntil(dialogOpen, "Enter on the page's control opens the settings")
	tb.check(`document.querySelector('`+toggle("statistics")+`').checked`, "the settings show the choice")
	tb.key(kb.Escape)
	tb.waitFor(`!document.querySelector('dialog.itg').open`)
	tb.check(`document.activeElement.matches('[data-consent-open]')`, "focus returns to the control")
	tb.idle()
	if n := tb.sent() - sent; n != 0 {
		t.Errorf("Escape in the settings sent %d requests, want none", n)
	}
	tb.posts(1)
}

func escapeRefuses(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.key(kb.Tab)
	tb.key(kb.Escape)
	ps := tb.posts(1)
	if p := ps[0]; p.Method != "reject-all" || !allChoices(p.Choices, false) {
		t.Errorf("Escape on the banner sent %+v, want reject-all", p)
	}
	// Closing the settings before any choice is a refusal too. (Wait for the
	// receipt first: it rewrites the cookie with the subject.)
	tb.waitFor(`window.integritet.get().subject`)
	tb.exec(`document.cookie = '` + tb.l.cfg.Cookie.Name + `=; Max-Age=0; Path=/'`)
	tb.open(tb.l.company)
	tb.openSettings(settings)
	tb.click(`dialog.itg .itg-x`)
	ps = tb.posts(2)
	if p := ps[1]; p.Method != "reject-all" {
		t.Errorf("closing the settings sent %+v, want reject-all", p)
	}
	tb.check(`document.querySelector('section.itg').hidden`, "the banner is gone after the refusal")
}

func narrow(t *testing.T, tb *tab) {
	for _, vp := range []struct {
		name          string
		width, height int64
		scale         float64
	}{{"320px", 320, 568, 1}, {"zoom200", 640, 400, 2}, {"desktop", 1280, 800, 1}, {"zoom400", 320, 256, 4}} {
		tb.do(chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(vp.scale)))
		tb.open(tb.l.company)
		tb.check(`document.documentElement.scrollWidth <= innerWidth`, vp.name+": nothing overflows sideways")
		tb.check(`(() => { const b = document.querySelector('section.itg'); return b.scrollWidth <= b.clientWidth && b.getBoundingClientRect().top >= 0 })()`, vp.name+": the banner fits the viewport")
		// Refusing is as near as accepting: both in view without scrolling
		// the banner, side by side.
		tb.check(`(() => { const [a, r] = [...document.querySelectorAll('section.itg .itg-r button')].map(b => b.getBoundingClientRect()); return a.top >= 0 && a.bottom <= innerHeight && r.bottom <= innerHeight && a.top == r.top && a.height == r.height })()`, vp.name+": accept and reject are both in view, side by side")
		shot(t, tb, tb.l.code+"-banner-"+vp.name)
		tb.openSettings(settings)
		tb.check(`(() => { const d = document.querySelector('dialog.itg'), r = d.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight && d.scrollWidth <= d.clientWidth })()`, vp.name+": the dialog fits and scrolls")
		tb.check(`[...document.querySelectorAll('dialog.itg .itg-r button')].every(b => { const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight })`, vp.name+": the dialog's choices are in view without scrolling")
		tb.check(`(() => { const h = document.querySelector('dialog.itg h2'), w = document.createRange(); w.setStart(h.firstChild, 0); w.setEnd(h.firstChild, h.textContent.split(' ')[0].length); return w.getClientRects().length == 1 })()`, vp.name+": the dialog's title does not break inside its first word")
		shot(t, tb, tb.l.code+"-settings-"+vp.name)
	}
}

// noticeNarrow: the notice page itself (long Swedish compounds such as
// "Kreditupplysningsinformation", its tables) never scrolls sideways on a
// phone; the tables scroll inside their own region.
func noticeNarrow(t *testing.T, tb *tab) {
	for _, w := range []int64{320, 390} {
		tb.do(chromedp.EmulateViewport(w, 740))
		tb.open(tb.l.notice)
		tb.check(`document.documentElement.scrollWidth <= innerWidth`, fmt.Sprintf("%dpx: the notice does not scroll sideways", w))
		tb.check(`[...document.querySelectorAll('main h1, main h2, main h3, main h4, main p, main li, main dt, main dd')].every(e => e.closest('.table-wrap') || e.getBoundingClientRect().right <= innerWidth + 0.5)`, fmt.Sprintf("%dpx: every heading and paragraph fits the width", w))
		shot(t, tb, fmt.Sprintf("%s-notice-%dpx", tb.l.code, w))
	}
}

// shot writes a screenshot to $INTEGRITET_SHOTS, when set, to look at.
func shot(t *testing.T, tb *tab, name string) {
	dir := os.Getenv("INTEGRITET_SHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := stepContext(t, tb.ctx)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, name+".png"), png)
}

func revisionChange(t *testing.T, tb *tab, changed site, l2 lang) {
	tb.open(tb.l.company)
	tb.click(accept)
	tb.posts(1)
	tb.waitFor(`window.statsRan == 1`)
	// The receipt reaches the page after the server has the record: wait
	// until the banner has kept the subject the server issued.
	tb.waitFor(`(window.integritet.get() || {}).subject === "` + tb.srv.subject(0) + `"`)
	// What the visitor consented to changes: the build derives a new revision.
	if l2.cfg.Revision == tb.l.cfg.Revision {
		t.Fatalf("the changed site has the same revision %s", l2.cfg.Revision)
	}
	tb.srv.serve(changed)
	tb.open(tb.l.company)
	tb.check(bannerOpen, "the banner asks again after a revision change")
	tb.check(nothingRan, "nothing gated runs on a stale consent")
	tb.check(`window.integritet.get() === null`, "a stale consent is no consent")
	tb.l = l2
	tb.click(accept)
	ps := tb.posts(2)
	if p := ps[1]; p.Revision != l2.cfg.Revision || p.Subject != tb.srv.subject(0) {
		t.Errorf("decision %+v, want the new revision and the old subject", p)
	}
}

// editorialChange: a new revision that a release recorded as editorial
// keeps the consent given under the old one; the banner does not ask again.
func editorialChange(t *testing.T, tb *tab, changed site, le lang) {
	tb.open(tb.l.company)
	tb.click(accept)
	tb.posts(1)
	tb.waitFor(`window.statsRan == 1`)
	tb.waitFor(`(window.integritet.get() || {}).subject === "` + tb.srv.subject(0) + `"`)
	if le.cfg.Revision == tb.l.cfg.Revision || !slices.Contains(le.cfg.Accepts, tb.l.cfg.Revision) {
		t.Fatalf("the editorial site has revision %s accepting %v; want a new one accepting %s", le.cfg.Revision, le.cfg.Accepts, tb.l.cfg.Revision)
	}
	tb.srv.serve(changed)
	tb.l = le
	tb.open(le.company)
	tb.waitFor(`window.statsRan == 1`)
	tb.check(`!(`+bannerOpen+`)`, "the banner does not ask again after an editorial change")
	tb.check(`(window.integritet.get() || {}).method === 'accept-all'`, "the consent given under the old revision stands")
}

// axeResult is the part of axe.run's result that the test reports.
type axeResult struct {
	Passes     int `json:"passes"`
	Violations []struct {
		ID    string `json:"id"`
		Help  string `json:"help"`
		Nodes []struct {
			Target  []any  `json:"target"`
			Summary string `json:"failureSummary"`
		} `json:"nodes"`
	} `json:"violations"`
}

func runAxe(t *testing.T, tb *tab, path string) {
	if path == "" {
		missing(t, "axe-core (INTEGRITET_AXE)")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("INTEGRITET_AXE: %v", err)
	}
	for i, page := range []string{tb.l.company, tb.l.notice} {
		if i > 0 {
			tb.waitFor(`window.integritet.get().subject`)
			tb.exec(`document.cookie = '` + tb.l.cfg.Cookie.Name + `=; Max-Age=0; Path=/'`)
		}
		tb.open(page)
		check := func(state string) {
			// Injected through DevTools, so CSP does not apply to axe itself.
			tb.exec(string(src))
			raw := eval[json.RawMessage](tb, `axe.run(document, {resultTypes: ['violations']}).then(r => ({violations: r.violations, passes: r.passes.length}))`)
			var res axeResult
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatal(err)
			}
			if res.Passes == 0 {
				t.Fatalf("%s, %s: axe checked nothing", page, state)
			}
			for _, v := range res.Violations {
				for _, n := range v.Nodes {
					t.Errorf("%s, %s: axe %s (%s) at %v: %s", page, state, v.ID, v.Help, n.Target, n.Summary)
				}
			}
		}
		tb.waitFor(bannerOpen)
		check("banner open")
		tb.openSettings(settings)
		check("settings open")
		tb.click(`dialog.itg .itg-r button:nth-child(2)`)
		tb.waitFor(`!document.querySelector('dialog.itg').open`)
	}
}
