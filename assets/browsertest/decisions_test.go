package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/integritet/integritet/consent"
)

// TestDecisionsBrowser: every decision ends up in the store exactly once
// whatever the network does, a site and an endpoint that disagree on the
// revision never make the banner ask on every page, and the banner's
// second-edition parts (placeholders, elements added later, the reopen
// control, the cookie list, Consent Mode's order, focus) work in Chromium.
func TestDecisionsBrowser(t *testing.T) {
	t.Parallel()
	browser := sharedBrowser(t)
	built := buildSite(t)
	addPages(t, built)
	withCookies := buildSiteWithCookies(t)
	modes := buildSiteEdited(t, func(name string, b []byte) []byte {
		if name != "cookies.toml" {
			return b
		}
		return bytes.Replace(b, []byte("gpc = true\n"), []byte("gpc = true\nads_data_redaction = true\nurl_passthrough = true\n"), 1)
	})
	noReopen := buildSiteEdited(t, func(name string, b []byte) []byte {
		if name != "cookies.toml" {
			return b
		}
		return bytes.Replace(b, []byte("gpc = true\n"), []byte("gpc = true\nreopen = false\n"), 1)
	})
	addPages(t, noReopen)
	for _, l := range built.langs {
		t.Run(l.code, func(t *testing.T) {
			t.Parallel()
			for _, sc := range []struct {
				name string
				site site
				run  func(*testing.T, *tab)
			}{
				{"EndpointDown", built, func(t *testing.T, tb *tab) { lostDecision(t, tb, faultDown) }},
				{"Endpoint500", built, func(t *testing.T, tb *tab) { lostDecision(t, tb, fault500) }},
				{"SlowAnswerThenNavigation", built, func(t *testing.T, tb *tab) { lostDecision(t, tb, faultSlow) }},
				{"NoEndpointYet", built, func(t *testing.T, tb *tab) { lostDecision(t, tb, fault404) }},
				{"SiteCallbackThrows", built, callbackThrows},
				{"ThrowingCallbackStopsNothing", built, throwingCallbackStopsNothing},
				{"SubjectFromAnotherStore", built, foreignSubject},
				{"CookieOfTheFirstEdition", built, firstEditionCookie},
				{"TwoDecisionsWhileDown", built, twoWhileDown},
				{"ManyDecisionsWhileDown", built, manyWhileDown},
				{"BeaconOnPageHide", built, beaconOnHide},
				{"EndpointBehindTheSite", built, func(t *testing.T, tb *tab) { endpointBehind(t, tb, withCookies) }},
				{"PlaceholderAllowsItsCategory", built, placeholderAllows},
				{"PlaceholderShowsOnce", built, placeholderOnce},
				{"PlaceholderFitsItsEmbed", built, func(t *testing.T, tb *tab) { tb.addScript(viewJS); placeholderFits(t, tb) }},
				{"ElementsAddedLater", built, addedLater},
				{"PlaceholderGoesWithItsElement", built, placeholderGoes},
				{"ReopenControlWhenThePageHasNone", built, reopenControl},
				{"ReopenControlTurnedOff", noReopen, func(t *testing.T, tb *tab) {
					tb.open(strings.TrimSuffix(tb.l.company, "/") + "/bare.html")
					tb.click(reject)
					tb.posts(1)
					tb.check(`!document.querySelector('.itg-o')`, "reopen = false adds no control")
				}},
				{"SettingsListTheCookies", withCookies, cookieList},
				{"SettingsLayerLoadsAgainAfterAFailure", built, settingsRetry},
				{"ConsentModeComesFirst", built, consentModeFirst},
				{"ConsentModeOptions", modes, consentModeOptions},
				{"FocusReturns", built, focusReturns},
				{"FocusNeverHidden", built, focusNeverHidden},
			} {
				t.Run(sc.name, func(t *testing.T) {
					t.Parallel()
					tl := l
					for _, x := range sc.site.langs {
						if x.code == l.code {
							tl = x
						}
					}
					sc.run(t, newTab(t, browser, sc.site, tl))
				})
			}
		})
	}
}

// buildSiteEdited builds FRAMSTEGET's content with edit applied to each
// content file (by base name), without its releases.
func buildSiteEdited(t *testing.T, edit func(name string, b []byte) []byte) site {
	t.Helper()
	return writeSite(t, render(t, copyContent(t, edit)))
}

// addPages writes, beside each language's company page, one without its own
// settings control (bare.html) and two with an inline Google tag, after the
// snippet as documented (tags.html) and before it (late.html).
func addPages(t *testing.T, s site) {
	t.Helper()
	const tag = `<script nonce="` + nonce + `">window.dataLayer = window.dataLayer || []; function gtag() { dataLayer.push(arguments); } gtag('js', new Date()); gtag('config', 'G-TEST');</script>`
	for _, l := range s.langs {
		dir := filepath.Join(s.dir, "company", l.code)
		page, err := os.ReadFile(filepath.Join(dir, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		footer := footerOf(t, page)
		writeFile(t, filepath.Join(dir, "bare.html"), bytes.Replace(page, footer, nil, 1))
		snippet, err := os.ReadFile(filepath.Join(s.dir, "assets", "snippet."+l.code+".html"))
		if err != nil {
			t.Fatal(err)
		}
		snippet = bytes.TrimSpace(snippet)
		if !bytes.Contains(page, snippet) {
			t.Fatalf("the company page does not include the snippet")
		}
		writeFile(t, filepath.Join(dir, "tags.html"), bytes.Replace(page, snippet, append(append(snippet, '\n'), tag...), 1))
		writeFile(t, filepath.Join(dir, "late.html"), bytes.Replace(page, snippet, append([]byte(tag+"\n"), snippet...), 1))
	}
}

func footerOf(t *testing.T, page []byte) []byte {
	t.Helper()
	i, j := bytes.Index(page, []byte("<footer>")), bytes.Index(page, []byte("</footer>"))
	if i < 0 || j < i {
		t.Fatal("the company page has no footer")
	}
	return page[i : j+len("</footer>")]
}

// stored returns every record in the store.
func (s *server) stored(t *testing.T) []consent.Record {
	t.Helper()
	var recs []consent.Record
	if err := s.store.Scan(context.Background(), func(r consent.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return recs
}

// exactlyOnce checks that the store holds n records, one per decision id,
// all of one subject, with the methods given in order.
func exactlyOnce(t *testing.T, tb *tab, methods ...string) {
	t.Helper()
	end := deadline(t)
	for len(tb.srv.stored(t)) < len(methods) && time.Now().Before(end) {
		time.Sleep(25 * time.Millisecond)
	}
	// A duplicate could only come from a request still on its way or a
	// decision still queued: once there are none, the store is final.
	tb.waitFor(`location.protocol == 'about:' || !(window.itgPending > 0) && !document.cookie.includes('%7B')`)
	recs := tb.srv.stored(t)
	if len(recs) != len(methods) {
		t.Fatalf("the store holds %d records, want %d (one per decision): %+v", len(recs), len(methods), recs)
	}
	ids := map[string]bool{}
	for i, r := range recs {
		if !hex32.MatchString(r.Decision) || ids[r.Decision] {
			t.Errorf("record %d: decision id %q missing or repeated", r.Seq, r.Decision)
		}
		ids[r.Decision] = true
		if r.Method != methods[i] {
			t.Errorf("record %d: method %s, want %s", r.Seq, r.Method, methods[i])
		}
		if r.Subject != recs[0].Subject {
			t.Errorf("record %d has subject %s, the first %s: a later decision is not linked to the consent it changes", r.Seq, r.Subject, recs[0].Subject)
		}
	}
}

// forget deletes the consent cookie once the receipt of the last decision
// has arrived (which rewrites it), so that the next page asks again.
func forget(tb *tab) {
	tb.t.Helper()
	tb.waitFor(`(window.integritet.get() || {}).subject && !` + fmt.Sprintf(`document.cookie.includes(%q)`, "%7B"))
	tb.exec(`document.cookie = '` + tb.l.cfg.Cookie.Name + `=; Max-Age=0; Path=/'`)
}

// pending reports whether the consent cookie still queues a decision.
func pending(tb *tab) bool {
	return strings.Count(tb.consentCookie(), ".") > 5
}

// lostDecision: the endpoint is down, fails or answers after the visitor has
// left; the choice applies at once, the decision goes again on the next
// page, and the store ends with one record for it. A withdrawal later
// carries the subject of the consent it withdraws.
func lostDecision(t *testing.T, tb *tab, fault int32) {
	tb.expect("Failed to load resource")
	tb.srv.fault.Store(fault)
	tb.open(tb.l.company)
	tb.click(accept)
	tb.waitFor(`window.statsRan == 1`)
	if fault == faultSlow {
		end := deadline(t)
		for len(tb.srv.stored(t)) == 0 && time.Now().Before(end) {
			time.Sleep(10 * time.Millisecond)
		}
	} else {
		tb.idle() // the request failed
	}
	if !pending(tb) {
		t.Fatalf("consent cookie %q: the unacknowledged decision is not kept", tb.consentCookie())
	}
	tb.srv.fault.Store(faultNone)
	tb.open(tb.l.company) // the slow answer never reaches the page it was for
	tb.srv.answerSlow()
	tb.check(`!(`+bannerOpen+`)`, "the choice stands on the next page")
	tb.waitFor(`!!(window.integritet.get() || {}).subject`)
	tb.waitFor(fmt.Sprintf(`document.cookie.split('; ').find(c => c.startsWith(%q)).split('.').length == 6`, tb.l.cfg.Cookie.Name+"="))
	tb.openSettings(reopen)
	tb.click(toggle("statistics"))
	tb.click(toggle("marketing"))
	tb.click(save)
	exactlyOnce(t, tb, "accept-all", "withdraw")
	if fault == faultSlow {
		tb.srv.mu.Lock()
		replays := tb.srv.replays
		tb.srv.mu.Unlock()
		if replays == 0 {
			t.Error("the endpoint answered no repeat with the first receipt: the page never sent the decision again")
		}
	}
}

// twoWhileDown: two decisions made while the endpoint is down are both
// recorded, in order, under one subject.
func twoWhileDown(t *testing.T, tb *tab) {
	tb.expect("Failed to load resource")
	tb.srv.fault.Store(faultDown)
	tb.open(tb.l.company)
	tb.click(accept)
	tb.waitFor(`window.statsRan == 1`)
	tb.openSettings(reopen)
	tb.click(toggle("marketing"))
	tb.click(save)
	tb.idle()
	if len(tb.srv.stored(t)) != 0 {
		t.Fatal("a decision was stored while the endpoint was down")
	}
	tb.srv.fault.Store(faultNone)
	tb.open(tb.l.company)
	exactlyOnce(t, tb, "accept-all", "withdraw")
	tb.waitFor(`!` + fmt.Sprintf(`document.cookie.includes(%q)`, "%7B"))
}

// manyWhileDown: of more decisions than the cookie keeps while the endpoint
// is down, the first (which gets the subject) and the last four are kept,
// and the cookie stays well under 4 KB.
func manyWhileDown(t *testing.T, tb *tab) {
	tb.expect("Failed to load resource")
	tb.srv.fault.Store(faultDown)
	tb.open(tb.l.company)
	tb.click(accept)
	for range 6 {
		tb.exec(`integritet.open()`)
		tb.waitUntil(dialogOpen, "integritet.open() opens the settings")
		tb.click(toggle("marketing"))
		tb.click(save)
	}
	if n := len(tb.consentCookie()); n > 3000 {
		t.Errorf("the consent cookie is %d bytes with its queue", n)
	}
	tb.idle()
	tb.srv.fault.Store(faultNone)
	tb.open(tb.l.company)
	// accept, then marketing off, on, off, on, off, on: the queue keeps
	// the accept and the last four.
	exactlyOnce(t, tb, "accept-all", "withdraw", "custom", "withdraw", "custom")
}

// beaconOnHide: a decision that failed is sent with sendBeacon when the
// visitor leaves, without another page of the site.
func beaconOnHide(t *testing.T, tb *tab) {
	tb.expect("Failed to load resource")
	tb.srv.fault.Store(faultDown)
	tb.open(tb.l.company)
	tb.click(reject)
	tb.idle()
	tb.srv.fault.Store(faultNone)
	tb.do(chromedp.Navigate("about:blank"))
	exactlyOnce(t, tb, "reject-all")
	tb.srv.mu.Lock()
	beacons := tb.srv.beacons
	tb.srv.mu.Unlock()
	if beacons == 0 {
		t.Error("no beacon reached the endpoint")
	}
}

// endpointBehind: the site was rebuilt (new revision) and the endpoint not
// restarted. The endpoint refuses; the visitor's choice stands on every
// page and is not asked for again; once the endpoint runs the new build,
// the decision is recorded once.
func endpointBehind(t *testing.T, tb *tab, older site) {
	tb.expect("Failed to load resource")
	tb.srv.stale.Store(true)
	tb.srv.serveEndpoint(older)
	tb.open(tb.l.company)
	tb.click(accept)
	tb.waitFor(`window.statsRan == 1`)
	for range 2 {
		tb.open(tb.l.company)
		tb.check(`!(`+bannerOpen+`)`, "the banner does not ask again while the endpoint is behind")
		tb.waitFor(`window.statsRan == 1`)
	}
	tb.srv.mu.Lock()
	conflicts := tb.srv.conflicts
	tb.srv.mu.Unlock()
	if conflicts < 2 {
		t.Errorf("%d refusals, want the decision sent on each page", conflicts)
	}
	tb.srv.serveEndpoint(*tb.srv.dir.Load())
	tb.open(tb.l.company)
	exactlyOnce(t, tb, "accept-all")
}

// callbackThrows: a site's onChange callback that throws loses no decision,
// on the page where it is made or on the next one.
func callbackThrows(t *testing.T, tb *tab) {
	tb.expect("site callback failed")
	tb.addScript(`document.addEventListener('DOMContentLoaded', () => window.integritet && integritet.onChange(() => { throw new Error('site callback failed') }))`)
	tb.open(tb.l.company)
	tb.exec(`document.querySelector('` + accept + `').click()`)
	exactlyOnce(t, tb, "accept-all")
	tb.open(tb.l.company)
	tb.openSettings(reopen)
	tb.click(toggle("marketing"))
	tb.click(save)
	exactlyOnce(t, tb, "accept-all", "withdraw")
}

// throwingCallbackStopsNothing: a site's onChange callback that throws
// keeps neither the callbacks registered after it, nor the
// integritet:consent event, nor focus from their work; and a returning
// visitor on a page without its own settings control still gets the
// banner's, so that withdrawing stays possible.
func throwingCallbackStopsNothing(t *testing.T, tb *tab) {
	tb.expect("site callback failed")
	// Registered before the banner starts (the snippet is loaded without
	// defer here), as a site's own script after the snippet would.
	tb.addScript(`document.addEventListener('DOMContentLoaded', () => {
		if (!window.integritet) return; // a frame
		window.seen = [];
		integritet.onChange(() => { throw new Error('site callback failed') });
		integritet.onChange(c => seen.push('callback ' + c.method));
		document.addEventListener('integritet:consent', e => seen.push('event ' + e.detail.method));
	})`)
	bare := strings.TrimSuffix(tb.l.company, "/") + "/bare.html"
	tb.open(bare)
	tb.do(chromedp.Focus(chromedp.CSS(accept)))
	tb.key(kb.Enter)
	tb.posts(1)
	tb.check(`seen.join() == 'callback accept-all,event accept-all'`, "the later callback and the event see the decision")
	tb.check(`document.activeElement != document.body && !document.activeElement.closest('section.itg')`, "focus goes to the page")
	tb.waitFor(`(window.integritet.get() || {}).subject`)
	tb.open(bare)
	tb.check(`seen.join() == 'callback accept-all,event accept-all'`, "on the next page too")
	tb.check(`(o => o && o.getClientRects().length > 0)(document.querySelector('.itg-o'))`, "the returning visitor gets the settings control")
	tb.openSettings(`.itg-o`)
}

// foreignSubject: a cookie whose subject this endpoint never issued (a
// store started afresh, a cookie shared with another site) still gets its
// decision recorded, under a new subject that the cookie then keeps.
func foreignSubject(t *testing.T, tb *tab) {
	const made = "0123456789abcdef0123456789abcdef"
	tb.open(tb.l.company)
	tb.exec(fmt.Sprintf(`document.cookie = %q`, tb.l.cfg.Cookie.Name+"="+tb.l.cfg.Revision+"."+made+".1764547200000.reject-all."+strings.Repeat("0", len(tb.l.cfg.optional()))+"; Path=/"))
	tb.open(tb.l.company)
	tb.openSettings(reopen)
	tb.click(toggle("statistics"))
	tb.click(save)
	exactlyOnce(t, tb, "custom")
	recs := tb.srv.stored(t)
	if recs[0].Subject == made {
		t.Fatal("the decision was recorded under a subject the endpoint never issued")
	}
	tb.waitFor(fmt.Sprintf(`(window.integritet.get() || {}).subject == %q`, recs[0].Subject))
}

// firstEditionCookie: a choice stored by the first edition of the banner
// (revision.subject.time.method.bits, no decision id) still stands, and a
// later withdrawal carries its subject.
func firstEditionCookie(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.click(accept)
	tb.posts(1)
	subject := tb.srv.subject(0)
	tb.waitFor(fmt.Sprintf(`(window.integritet.get() || {}).subject == %q`, subject))
	tb.exec(fmt.Sprintf(`document.cookie = %q`, tb.l.cfg.Cookie.Name+"="+tb.l.cfg.Revision+"."+subject+".1764547200000.accept-all."+strings.Repeat("1", len(tb.l.cfg.optional()))+"; Path=/"))
	tb.open(tb.l.company)
	tb.check(`!(`+bannerOpen+`)`, "the first edition's choice stands")
	tb.waitFor(`window.statsRan == 1`)
	tb.check(`(window.integritet.get() || {}).method == 'accept-all' && window.integritet.get().time == '2025-12-01T00:00:00.000Z'`, "it is read as it was written")
	tb.openSettings(reopen)
	tb.click(toggle("statistics"))
	tb.click(toggle("marketing"))
	tb.click(save)
	ps := tb.posts(2)
	if p := ps[1]; p.Method != "withdraw" || p.Subject != subject {
		t.Errorf("decision %+v, want a withdrawal under %s", p, subject)
	}
}

// placeholderGoes: when a single-page app removes a blocked iframe, its
// placeholder goes with it.
func placeholderGoes(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.check(`document.querySelectorAll('.itg-p').length == 1`, "the blocked iframe has its placeholder")
	tb.exec(`document.querySelector('iframe').remove()`)
	tb.waitFor(`document.querySelectorAll('.itg-p').length == 0`)
}

// placeholderAllows: a blocked iframe shows a placeholder of its own size
// that names the provider and the category; its button allows that
// category alone and the iframe takes its place.
func placeholderAllows(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	title := ""
	for _, c := range tb.l.cfg.Categories {
		if c.Key == "marketing" {
			title = c.Title
		}
	}
	tb.check(`document.querySelector('iframe').hidden && document.querySelector('iframe').previousElementSibling.matches('.itg-p')`, "the blocked iframe is replaced by a placeholder")
	tb.check(`(() => { const f = document.querySelector('iframe'), p = document.querySelector('.itg-p').getBoundingClientRect(); f.hidden = false; const r = f.getBoundingClientRect(); f.hidden = true; return r.width == p.width && r.height == p.height })()`, "the placeholder takes the iframe's box")
	tb.check(fmt.Sprintf(`document.querySelector('.itg-p figcaption').textContent == %q.replace('{provider}', location.host)`, strings.ReplaceAll(tb.l.cfg.Text["embed"], "{category}", title)), "its caption names the provider and the category it needs")
	tb.check(fmt.Sprintf(`document.querySelector(%q).textContent == %q`, allowAlways, strings.ReplaceAll(tb.l.cfg.Text["allow"], "{category}", title)), "its button names the category it allows")
	tb.do(chromedp.Focus(chromedp.CSS(allowAlways)))
	tb.key(kb.Enter)
	ps := tb.posts(1)
	if p := ps[0]; p.Method != "custom" || !p.Choices["marketing"] || p.Choices["statistics"] {
		t.Errorf("decision %+v, want custom with marketing only", p)
	}
	tb.waitFor(`document.querySelector('iframe').getAttribute('src') == '/company/frame.html' && !document.querySelector('iframe').hidden && !document.querySelector('.itg-p')`)
	tb.check(`document.querySelector('section.itg').hidden`, "the banner is answered too")
	tb.check(`document.activeElement == document.querySelector('iframe')`, "focus goes to the content it allowed")
}

// The two choices of a placeholder.
const (
	allowOnce   = `.itg-p div button:nth-child(1)`
	allowAlways = `.itg-p div button:nth-child(2)`
)

// placeholderOnce: "Show once" shows that one embed and nothing else, and
// records nothing: no cookie, no request to the endpoint, no decision for
// the page's callbacks, the banner still asks; the next page holds the
// embed back again.
func placeholderOnce(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.exec(`window.told = 0; integritet.onChange(() => told++); document.addEventListener('integritet:consent', () => told++);
		const f = document.createElement('iframe'); f.dataset.consent = 'marketing'; f.dataset.src = '/company/frame.html?other'; f.title = 'Other'; f.width = 300; f.height = 150; document.querySelector('main').append(f)`)
	tb.waitFor(`document.querySelectorAll('.itg-p').length == 2`)
	tb.check(fmt.Sprintf(`document.querySelector(%q).textContent == %q`, allowOnce, tb.l.cfg.Text["once"]), "the first choice shows it once")
	tb.do(chromedp.Focus(chromedp.CSS(allowOnce)))
	tb.key(kb.Enter)
	tb.waitFor(`document.querySelector('iframe').getAttribute('src') == '/company/frame.html' && !document.querySelector('iframe').hidden`)
	tb.check(`document.activeElement == document.querySelector('iframe')`, "focus goes to the content it showed")
	tb.check(`document.querySelectorAll('.itg-p').length == 1 && !document.querySelector('iframe[title=Other]').src && !document.querySelector('img').src`, "the other marketing content stays held back")
	tb.check(bannerOpen, "the banner still asks")
	tb.check(`window.integritet.get() === null && window.told === 0 && document.cookie === ''`, "no decision, no callback, no cookie")
	tb.idle()
	if n := tb.sent(); n != 0 {
		t.Errorf("showing once sent %d requests to the endpoint, want none", n)
	}
	tb.open(tb.l.company)
	tb.check(`document.querySelector('iframe').hidden && !document.querySelector('iframe').src && document.querySelectorAll('.itg-p').length == 1`, "the next page holds it back again")
	if ps, _ := tb.srv.recorded(); len(ps) != 0 {
		t.Errorf("the endpoint recorded %+v", ps)
	}
}

// placeholderFits: a placeholder takes its embed's box, whatever its size,
// and its choices always show, wholly inside it and at least 24 x 24 CSS
// px (WCAG 2.2, 2.5.8): the caption is whole when there is room, one line
// in a small box, gone in a tiny one. On a phone a wide embed's
// placeholder keeps to the page and to the embed's aspect ratio.
func placeholderFits(t *testing.T, tb *tab) {
	sizes := [][2]int{{560, 315}, {300, 150}, {300, 80}, {200, 60}, {120, 48}, {480, 44}}
	for i, v := range []view{views[2], views[0]} {
		tb.emulate(v, "light")
		tb.open(tb.l.company)
		// Refused: the placeholders stay, and the banner covers none.
		if i == 0 {
			tb.click(reject)
		}
		tb.waitFor(`!(` + bannerOpen + `)`)
		for i, sz := range sizes {
			tb.exec(fmt.Sprintf(`const f = document.createElement('iframe'); f.dataset.consent = 'marketing'; f.dataset.src = '/company/frame.html?%d'; f.title = 'Embed %d'; f.width = %d; f.height = %d; document.querySelector('main').append(document.createElement('div')); document.querySelector('main').lastChild.append(f)`, i, i, sz[0], sz[1]))
		}
		tb.waitFor(fmt.Sprintf(`document.querySelectorAll('.itg-p').length == %d`, len(sizes)+1))
		for i, sz := range sizes {
			state := fmt.Sprintf("%s, %dx%d", v.name, sz[0], sz[1])
			got := eval[string](tb, fmt.Sprintf(`(() => {
				const f = document.querySelector('iframe[title="Embed %d"]'), p = f.previousElementSibling, r = p.getBoundingClientRect(), c = p.querySelector('figcaption'), out = [];
				// The iframe's own box (its border included), kept to the page's width.
				f.hidden = false; const fw = f.offsetWidth, fh = f.offsetHeight; f.hidden = true;
				const w = Math.min(fw, p.parentElement.clientWidth), h = w * fh / fw;
				if (Math.abs(r.width - w) > 0.5 || Math.abs(r.height - h) > 0.5) out.push('box ' + r.width + 'x' + r.height + ', want ' + w + 'x' + h);
				for (const b of p.querySelectorAll('button')) {
					const q = b.getBoundingClientRect();
					if (q.width < 24 || q.height < 24) out.push(b.textContent + ': ' + q.width + 'x' + q.height + ' is below 24x24');
					if (q.left < r.left || q.right > r.right || q.top < r.top || q.bottom > r.bottom) out.push(b.textContent + ': outside the placeholder');
				}
				// The caption shows whole lines (a clamped one ends in an ellipsis).
				const cr = c.getBoundingClientRect(), shown = c.getClientRects().length > 0, lh = parseFloat(getComputedStyle(c).lineHeight);
				if (shown && (cr.top < r.top || cr.bottom > r.bottom || Math.abs(cr.height / lh - Math.round(cr.height / lh)) > 0.05)) out.push('the caption is cut across its lines: ' + cr.top + '-' + cr.bottom + ' in ' + r.top + '-' + r.bottom);
				for (const b of p.querySelectorAll('button')) {
					b.scrollIntoView({block: 'center'});
					if (!itgView.inView(b)) out.push(b.textContent + ': covered: ' + itgView.misses(b).join(' '));
				}
				return JSON.stringify({problems: out, caption: shown, whole: shown && c.scrollWidth <= c.clientWidth && c.scrollHeight <= c.clientHeight});
			})()`, i))
			var res struct {
				Problems []string
				Caption  bool
				Whole    bool
			}
			if err := json.Unmarshal([]byte(got), &res); err != nil {
				t.Fatal(err)
			}
			for _, p := range res.Problems {
				t.Errorf("%s: %s", state, p)
			}
			// A large box shows the whole caption, a tiny one none.
			if sz[1] >= 224 && !res.Whole {
				t.Errorf("%s: the caption is cut although the box is large", state)
			}
			if sz[1] >= 80 && !res.Caption {
				t.Errorf("%s: no caption", state)
			}
			if sz[1] < 72 && res.Caption {
				t.Errorf("%s: a caption squeezed into a tiny box", state)
			}
		}
		shot(t, tb, "placeholders-"+tb.l.code+"-"+v.name)
	}
}

// addedLater: gated elements that a single-page app adds after load are held
// back before consent and run once it is given, and at once after it.
func addedLater(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	add := func(v string) {
		tb.exec(fmt.Sprintf(`const s = document.createElement('script'); s.type = 'text/plain'; s.dataset.consent = 'statistics'; s.nonce = %q; s.text = 'window.%s = 1'; document.querySelector('main').append(s)`, nonce, v))
	}
	add("later1")
	tb.exec(`const f = document.createElement('iframe'); f.dataset.consent = 'marketing'; f.dataset.src = '/company/frame.html?later'; f.dataset.provider = 'Video AB'; f.title = 'Later'; f.width = 200; f.height = 100; document.querySelector('main').append(f)`)
	tb.waitFor(`document.querySelectorAll('.itg-p').length == 2`)
	tb.check(`[...document.querySelectorAll('.itg-p')].some(p => p.textContent.includes('Video AB'))`, "the later placeholder names its data-provider")
	tb.check(`!window.later1 && [...document.querySelectorAll('script[data-consent]')].every(s => s.type == 'text/plain')`, "a gated script added later waits for consent")
	tb.click(accept)
	tb.waitFor(`window.later1 == 1 && document.querySelector('iframe[title=Later]').getAttribute('src') == '/company/frame.html?later'`)
	add("later2")
	tb.waitFor(`window.later2 == 1`)
}

// reopenControl: a page without its own settings control gets one from the
// banner once the visitor has chosen; a page with one gets none.
func reopenControl(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.check(`!document.querySelector('.itg-o')`, "a page with its own control gets none")
	tb.open(strings.TrimSuffix(tb.l.company, "/") + "/bare.html")
	tb.check(`getComputedStyle(document.querySelector('.itg-o')).display == 'none'`, "the control waits while the banner asks")
	tb.click(reject)
	tb.posts(1)
	tb.check(fmt.Sprintf(`(() => { const o = document.querySelector('.itg-o'), r = o.getBoundingClientRect(); return o.textContent == %q && r.width >= 24 && r.height >= 24 && r.bottom <= innerHeight && r.left >= 0 })()`, tb.l.cfg.Text["settingsTitle"]), "the control is named and in view")
	tb.key(kb.Escape) // a keyboard user: programmatic focus then shows as focus-visible
	tb.do(chromedp.Focus(chromedp.CSS(`.itg-o`)))
	tb.check(`document.querySelector('.itg-o').matches(':focus-visible') && (s => s.outlineStyle == 'solid' && s.outlineWidth == '3px')(getComputedStyle(document.querySelector('.itg-o')))`, "the control shows the banner's focus outline")
	tb.key(kb.Enter)
	tb.waitUntil(dialogOpen, "the control opens the settings")
	tb.key(kb.Escape)
	tb.waitFor(`!document.querySelector('dialog.itg').open`)
	tb.check(`document.activeElement.matches('.itg-o')`, "focus returns to the control")
}

// cookieList: the settings list, per category, the cookies and similar
// storage it covers: name (and kind), provider, lifetime, domain and party.
func cookieList(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.openSettings(settings)
	for _, c := range tb.l.cfg.Categories {
		sel := fmt.Sprintf(`document.querySelector('#itg-c-%s').parentElement`, c.Key)
		items := eval[[]string](tb, `[...`+sel+`.querySelectorAll('details li')].map(l => l.textContent)`)
		if len(c.Cookies) == 0 {
			if len(items) > 0 {
				t.Errorf("%s declares nothing but lists %q", c.Key, items)
			}
			continue
		}
		var want []string
		for _, k := range c.Cookies {
			want = append(want, k.Name+": "+k.About)
		}
		if !slices.Equal(items, want) {
			t.Errorf("%s lists %q, want %q", c.Key, items, want)
		}
		if summary := eval[string](tb, sel+`.querySelector('details summary').textContent`); summary != tb.l.cfg.Text["cookies"] {
			t.Errorf("%s: the list is headed %q", c.Key, summary)
		}
	}
	// What the build writes for the test's declared cookies, in the page's
	// language: kind, provider, lifetime, domain and party.
	want := map[string]string{
		"sv": "Lokal lagring (localStorage), FRAMSTEGET (Matomo), 13 månader, förstapart",
		"en": "Local storage (localStorage), FRAMSTEGET (Matomo), 13 months, first party",
	}[tb.l.code]
	if got := eval[string](tb, `document.querySelector('#itg-c-statistics').parentElement.querySelector('li').textContent`); got != "_pk_ls_*: "+want {
		t.Errorf("the first statistics item says %q, want %q", got, "_pk_ls_*: "+want)
	}
	tb.click(`dialog.itg details summary`)
	tb.check(`document.querySelector('dialog.itg details').open`, "the list opens")
}

// settingsRetry: when the settings layer cannot be loaded, the settings
// do not open (the console says why), and the next try loads it.
func settingsRetry(t *testing.T, tb *tab) {
	tb.expect("Failed to load resource")
	tb.expect("Uncaught")
	tb.expect("Refused to") // the 503 is text/plain
	tb.open(tb.l.company)
	tb.srv.noSettings.Store(true)
	tb.click(settings)
	// Both answers (script and stylesheet) have come.
	tb.waitFor(`performance.getEntriesByType('resource').filter(e => e.name.includes('/consent-settings.')).length == 2`)
	tb.check(`!document.querySelector('dialog.itg')`, "no settings without their layer")
	// (Not tb.check: its !!(...) would not wait for the promise.)
	if !eval[bool](tb, `integritet.open().then(() => false, () => true)`) {
		t.Error("open() succeeds while the settings layer is unavailable")
	}
	tb.srv.noSettings.Store(false)
	tb.openSettings(settings)
	tb.check(bannerOpen, "the banner still asks")
}

// consentModeFirst: with the snippet first in <head> and Google's inline tag
// after it, the Consent Mode default comes before the tag's commands; a tag
// before the snippet is told about in the console.
func consentModeFirst(t *testing.T, tb *tab) {
	tb.open(strings.TrimSuffix(tb.l.company, "/") + "/tags.html")
	tb.check(`(() => { const i = dataLayer.findIndex(a => a[0] == 'consent' && a[1] == 'default'), j = dataLayer.findIndex(a => a[0] == 'js'); return i >= 0 && j > i })()`, "the default precedes the tag")
	// The banner checks as it runs, before the page is parsed.
	const warning = "integritet: a tag ran before the Consent Mode default"
	tb.expect(warning)
	tb.check(fmt.Sprintf(`!window.itgWarned.includes(%q)`, warning), "no warning when the snippet comes first")
	tb.open(strings.TrimSuffix(tb.l.company, "/") + "/late.html")
	tb.check(fmt.Sprintf(`window.itgWarned.includes(%q)`, warning), "a console warning for a tag that ran before the default")
}

// consentModeOptions: ads_data_redaction and url_passthrough from the TOML
// are set before the default.
func consentModeOptions(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	tb.check(`(() => { const at = (k) => dataLayer.findIndex(a => a[0] == 'set' && a[1] == k && a[2] === true), d = dataLayer.findIndex(a => a[1] == 'default'); return at('ads_data_redaction') >= 0 && at('url_passthrough') >= 0 && at('ads_data_redaction') < d && at('url_passthrough') < d })()`, "both options are set before the default")
}

// focusReturns: after a decision by keyboard, in the banner or in the
// settings, focus is on the page, never on <body>.
func focusReturns(t *testing.T, tb *tab) {
	onPage := `document.activeElement && document.activeElement != document.body && !document.activeElement.closest('.itg') && document.activeElement.getClientRects().length > 0`
	tb.open(tb.l.company)
	tb.do(chromedp.Focus(chromedp.CSS(accept)))
	tb.key(kb.Enter)
	tb.posts(1)
	tb.check(onPage, "after Accept in the banner focus is on the page")
	forget(tb)
	tb.open(tb.l.company)
	tb.do(chromedp.Focus(chromedp.CSS(settings)))
	tb.key(kb.Enter)
	tb.waitUntil(dialogOpen, "the settings open")
	tb.do(chromedp.Focus(chromedp.CSS(save)))
	tb.key(kb.Enter)
	tb.posts(2)
	tb.waitFor(`!document.querySelector('dialog.itg').open`)
	tb.check(onPage, "after Save in the settings opened from the banner focus is on the page")
}

// still waits until the focused element stops moving (the notice theme
// scrolls smoothly).
func still(tb *tab) {
	tb.t.Helper()
	// Evaluated for its promise (waitFor's !!(...) would not wait for it).
	eval[bool](tb, `new Promise(ok => { const at = () => document.activeElement.getBoundingClientRect().top + ',' + scrollY; let a = at(); const tick = n => requestAnimationFrame(() => { const b = at(); if (b == a && n > 2) ok(true); else { a = b; tick(b == a ? n + 1 : 0) } }); tick(0) })`)
}

// focusNeverHidden: at phone size and at 200 % and 400 % zoom, no element
// reached by Tab is hidden behind the banner, and in the settings no switch
// behind their button row (WCAG 2.2, 2.4.11): an element that fits above
// them is wholly clear of them, a taller one (a table's scroll region), or
// one at the very end of the page, which cannot scroll further, shows at
// least in part.
func focusNeverHidden(t *testing.T, tb *tab) {
	// The notice theme scrolls smoothly; with reduced motion the browser's
	// scroll to a focused element is instant, so each one is measured where
	// it ends up (smooth scrolling ends in the same place, later).
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
		t.Fatal(err)
	}
	for _, vp := range []struct {
		name          string
		width, height int64
		scale         float64
	}{{"320x568", 320, 568, 2}, {"zoom200", 640, 400, 2}, {"zoom400", 320, 200, 4}, {"zoom400-1024", 320, 256, 4}} {
		tb.do(chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(vp.scale)))
		tb.open(tb.l.notice)
		hidden := 0
		seen := 0
		tb.check(bannerOpen, vp.name+": the banner asks")
		for range 40 {
			tb.key(kb.Tab)
			still(tb)
			r := eval[string](tb, `(() => { const a = document.activeElement, b = document.querySelector('section.itg'); if (!a || a.closest('.itg')) return ''; const r = a.getBoundingClientRect(), q = b.getBoundingClientRect(), end = scrollY + innerHeight >= document.documentElement.scrollHeight - 1, top = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0, clear = r.height <= q.top - top && !end ? r.top >= -1 && r.bottom <= q.top + 1 : Math.min(r.bottom, q.top) - Math.max(r.top, 0) > 0; return clear ? 'ok' : a.outerHTML.slice(0, 80) + ' ' + r.top + '-' + r.bottom + ' banner top ' + q.top + ' scroll ' + scrollY + '+' + innerHeight + '/' + document.documentElement.scrollHeight })()`)
			switch r {
			case "":
			case "ok":
				seen++
			default:
				hidden++
				t.Errorf("%s: focused %s is behind the banner", vp.name, r)
			}
		}
		if seen < 5 {
			t.Errorf("%s: Tab reached only %d page elements", vp.name, seen)
		}
		tb.openSettings(settings)
		tb.waitUntil(dialogOpen, vp.name+": the settings open")
		for range 12 {
			tb.key(kb.Tab)
			still(tb)
			r := eval[string](tb, `(() => { const a = document.activeElement, row = document.querySelector('dialog.itg .itg-r'); if (!a.closest('dialog.itg') || a.closest('.itg-r') || a.matches('dialog')) return 'ok'; const r = a.getBoundingClientRect(), q = row.getBoundingClientRect(), d = a.closest('dialog').getBoundingClientRect(); return r.height > q.top - d.top || r.bottom <= q.top + 0.5 && r.top >= d.top - 0.5 ? 'ok' : a.outerHTML.slice(0, 80) + ' ' + r.top + '-' + r.bottom + ' row top ' + q.top })()`)
			if r != "ok" {
				t.Errorf("%s: focused %s is behind the settings' buttons", vp.name, r)
			}
		}
		tb.key(kb.Escape)
		tb.waitFor(`!document.querySelector('dialog.itg').open`)
		tb.posts(1)
		forget(tb)
		tb.srv.mu.Lock()
		tb.srv.posts = nil
		tb.srv.subjects = nil
		tb.srv.mu.Unlock()
	}
}
