package scan

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"

	"github.com/integritet/integritet/notice"
)

// shopPage is a shop page with the real banner snippet and body.
func shopPage(title, body string) string {
	return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>` + title + `</title>
{{snippet}}
</head>
<body>
<main>
<h1>` + title + `</h1>
` + body + `
</main>
</body>
</html>
`
}

// uiStorage declares the necessary local storage that the shops' pages
// write, so that a page that was scanned shows in the evidence.
const uiStorage = `[[cookie]]
name = "ui"
kind = "local-storage"
provider = "FRAMSTEGET"
category = "necessary"
lifetime = "P1Y"
purpose = {sv = "Kommer ihåg visningsläget.", en = "Remembers the display mode."}
`

// checkSite scans and checks a site: its evidence and the findings, brief.
func checkSite(t *testing.T, root, start string, pages int) (*Result, []Finding, []string) {
	t.Helper()
	res := scanFixture(t, start, pages)
	n, err := notice.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	fs := Check(n, res, nil)
	var got []string
	for _, f := range fs {
		got = append(got, brief(f))
	}
	return res, fs, got
}

func hostOf(ev Evidence, host string) *Host {
	for i := range ev.Hosts {
		if ev.Hosts[i].Host == host {
			return &ev.Hosts[i]
		}
	}
	return nil
}

// webSocket answers a WebSocket handshake (RFC 6455) and holds the
// connection open until the test ends.
func webSocket(t *testing.T) http.HandlerFunc {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return func(w http.ResponseWriter, r *http.Request) {
		sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n")
		buf.Flush()
		<-done
	}
}

// noContent answers every request with 204.
var noContent = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })

// A chat widget that talks over a WebSocket, a script that starts a
// worker, a service worker that fetches on install and relays a page's
// requests, a frame from another site that fetches for itself: every one
// of those requests is recorded, with the pages', and checked like them.
func TestScanRecordsWebSocketsWorkersAndFrames(t *testing.T) {
	needChromium(t)
	ws := serveOn(t, "127.0.0.2", webSocket(t))
	sw := serveOn(t, "127.0.0.3", noContent)
	wk := serveOn(t, "127.0.0.4", noContent)
	frame := serveOn(t, "127.0.0.6", noContent)
	embed := serveOn(t, "127.0.0.5", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!doctype html><title>Widget</title><script>fetch('%s/frame', {mode: 'no-cors'})</script>`, frame.URL)
	}))
	body := `<p><a href="/shop/">Shop</a> <a href="/shop/about/">About</a></p>
<iframe src="` + embed.URL + `/widget" title="Widget"></iframe>
<script src="/shop/live.js"></script>`
	srv, root := newSite(t, uiStorage, map[string]string{
		"shop/index.html":       shopPage("Shop", body),
		"shop/about/index.html": shopPage("About", body),
		"shop/live.js": `localStorage.setItem('ui', 'compact');
new WebSocket('` + strings.Replace(ws.URL, "http:", "ws:", 1) + `/live');
new Worker('/shop/worker.js');
navigator.serviceWorker.register('/shop/sw.js');
// Once the service worker controls the page, it relays this request.
if (navigator.serviceWorker.controller) fetch('/shop/ping');
`,
		"shop/worker.js": `fetch('` + wk.URL + `/worker', {mode: 'no-cors'});`,
		"shop/sw.js": `self.addEventListener('install', e => { self.skipWaiting(); e.waitUntil(fetch('` + sw.URL + `/install', {mode: 'no-cors'})); });
self.addEventListener('activate', e => e.waitUntil(clients.claim()));
self.addEventListener('fetch', e => { if (new URL(e.request.url).pathname == '/shop/ping') e.respondWith(fetch('` + sw.URL + `/relay', {mode: 'no-cors'})); });
`,
	}, nil)
	// Three pages: the shop's two and the notice, which the banner links to.
	res, fs, got := checkSite(t, root, srv.URL+"/shop/", 3)
	// Each host was contacted before any choice and after a refusal, and no
	// recipient names it.
	for _, h := range []string{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"} {
		for _, want := range []string{"before-choice host " + h + " [before]", "after-refusal host " + h + " [reject]"} {
			if !slices.Contains(got, want) {
				t.Errorf("no finding %q in:\n%s", want, strings.Join(got, "\n"))
			}
		}
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "unknown-host host "+h+" [before,") }) {
			t.Errorf("no unknown-host finding for %s in:\n%s", h, strings.Join(got, "\n"))
		}
	}
	before := res.Passes[0]
	if h := hostOf(before, "127.0.0.2"); h == nil || !slices.Contains(h.Types, "WebSocket") {
		t.Errorf("WebSocket host %+v: want type WebSocket", h)
	}
	// The service worker's requests are its own: on install, and the one it
	// relayed for the second page.
	h := hostOf(before, "127.0.0.3")
	if h == nil || !slices.Equal(h.ServiceWorkers, []string{srv.URL + "/shop/sw.js"}) ||
		!slices.Contains(h.URLs, sw.URL+"/install") || !slices.Contains(h.URLs, sw.URL+"/relay") {
		t.Errorf("service worker's host %+v: want %s/install and /relay, from %s/shop/sw.js", h, sw.URL, srv.URL)
	}
	for _, f := range fs {
		if f.Rule == ruleUnknownHost && f.Name == "127.0.0.3" && !strings.Contains(f.Evidence, "from service worker "+srv.URL+"/shop/sw.js") {
			t.Errorf("evidence %q: want the service worker", f.Evidence)
		}
	}
	for _, host := range []string{"127.0.0.4", "127.0.0.6"} {
		if h := hostOf(before, host); h == nil || len(h.ServiceWorkers) > 0 {
			t.Errorf("host %s: %+v, want the page's own", host, h)
		}
	}
}

// Pages that open dialogs are scanned: each dialog is dismissed and
// reported with its page and text.
func TestScanDismissesDialogs(t *testing.T) {
	needChromium(t)
	srv, root := newSite(t, uiStorage, map[string]string{
		"shop/index.html": shopPage("Shop", `<script>alert('Välkommen till butiken!')</script>
<p><a href="/shop/about/">About</a></p>
<script>localStorage.setItem('ui', 'compact')</script>`),
		"shop/about/index.html": shopPage("About", `<script>if (confirm('Vill du ha\nvårt nyhetsbrev?')) location = '/nyhetsbrev/'</script>`),
	}, nil)
	start := srv.URL + "/shop/"
	// Three pages: the shop's two and the notice, which the banner links to.
	res, fs, got := checkSite(t, root, start, 3)
	want := []string{
		"dialog dialog alert [before,reject,accept]",
		"dialog dialog confirm [before,reject,accept]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range fs {
		switch f.Name {
		case "alert":
			if f.Page != start || !strings.Contains(f.Message, `alert("Välkommen till butiken!")`) {
				t.Errorf("alert finding %s: want the page and the text", f)
			}
		case "confirm":
			if f.Page != start+"about/" || !strings.Contains(f.Message, `confirm("Vill du ha vårt nyhetsbrev?")`) {
				t.Errorf("confirm finding %s: want the page and the text on one line", f)
			}
		}
	}
	for _, ev := range res.Passes {
		if !slices.Contains(ev.Pages, start) || !slices.Contains(ev.Pages, start+"about/") || ev.Pass != Before && ev.Clicked != start || len(ev.Storage) != 1 {
			t.Errorf("%s pass: pages %v, clicked %q, storage %+v: want both pages scanned and the banner clicked on the first", ev.Pass, ev.Pages, ev.Clicked, ev.Storage)
		}
	}
}

// Pages that navigate in a loop (a script between two pages, a refresh of
// itself, a redirect to itself) are stopped and reported with the URLs they
// went through; the rest of the site is scanned. When the first page loops,
// the passes that find no banner say so.
func TestScanReportsNavigationLoops(t *testing.T) {
	needChromium(t)
	srv, root := newSite(t, uiStorage, map[string]string{
		"shop/index.html": shopPage("Shop", `<p><a href="/loop/js/a/">A</a> <a href="/loop/refresh/">Refresh</a> <a href="/loop/redirect/">Redirect</a> <a href="/shop/about/">About</a></p>
<script>localStorage.setItem('ui', 'compact')</script>`),
		"shop/about/index.html":   shopPage("About", `<p>Om oss.</p>`),
		"loop/js/a/index.html":    shopPage("A", `<script>location.replace('/loop/js/b/')</script>`),
		"loop/js/b/index.html":    shopPage("B", `<script>location.replace('/loop/js/a/')</script>`),
		"loop/refresh/index.html": `<!doctype html><html lang="sv"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0"><title>Refresh</title></head><body></body></html>`,
	}, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/loop/redirect/" {
			http.Redirect(w, r, "/loop/redirect/", http.StatusFound)
		}
	})
	base := srv.URL
	res, fs, got := checkSite(t, root, base+"/shop/", 10)
	want := []string{
		"navigation-loop page " + base + "/loop/js/a/ [before,reject,accept]",
		"navigation-loop page " + base + "/loop/redirect/ [before,reject,accept]",
		"navigation-loop page " + base + "/loop/refresh/ [before,reject,accept]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range fs {
		if f.Name == base+"/loop/js/a/" && !strings.HasPrefix(f.Evidence, base+"/loop/js/a/ → "+base+"/loop/js/b/ → "+base+"/loop/js/a/ → ") {
			t.Errorf("loop evidence %q: want the pages it went through", f.Evidence)
		}
	}
	for _, ev := range res.Passes {
		if !slices.Contains(ev.Pages, base+"/shop/about/") || slices.ContainsFunc(ev.Pages, func(p string) bool { return strings.Contains(p, "/loop/") }) {
			t.Errorf("%s pass visited %v: want the shop's pages, and no loop counted as a page", ev.Pass, ev.Pages)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, base+"/loop/js/a/", Options{Pages: 3, OnlyHosts: loopback})
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var nb int
	for _, f := range Check(n, res, nil) {
		if f.Rule == ruleNoBanner {
			nb++
			if f.Evidence != base+"/loop/js/a/ kept navigating" {
				t.Errorf("no-banner %s: want the loop as its cause", f)
			}
		}
	}
	if nb != 2 {
		t.Errorf("%d no-banner findings, want 2 (reject, accept)", nb)
	}
}

// A script that the banner gates, but that the page also includes without
// the gate, stores items before any choice and after a refusal: each is a
// gating error, though the Open Cookie Database knows none of them:
// written by the script itself, by a script it loaded, set by the response
// to its request, and one declared as necessary. An ungated script's item
// is only undeclared.
func TestScanGatedScriptsStoringIsAGatingError(t *testing.T) {
	needChromium(t)
	body := `<p><a href="/shop/">Shop</a> <a href="/shop/about/">About</a></p>
<!-- The tag, gated for statistics as it should be... -->
<script type="text/plain" data-consent="statistics" src="/shop/tag.js"></script>
<!-- ...and pasted once more without the gate. -->
<script src="/shop/tag.js"></script>
<script src="/shop/app.js"></script>`
	srv, root := newSite(t, uiStorage+`
[[cookie]]
name = "wx_pref"
provider = "FRAMSTEGET"
category = "necessary"
lifetime = "P1D"
path = "/"
purpose = {sv = "Kommer ihåg ett val.", en = "Remembers a choice."}
`, map[string]string{
		"shop/index.html":       shopPage("Shop", body),
		"shop/about/index.html": shopPage("About", body),
		"shop/tag.js": `document.cookie = 'wx_uid=1; Path=/; Max-Age=86400';
document.cookie = 'wx_pref=1; Path=/; Max-Age=86400';
{
  const s = document.createElement('script');
  s.src = '/shop/tag-lib.js';
  document.head.append(s);
}
fetch('/shop/collect');
`,
		"shop/tag-lib.js": `setTimeout(() => localStorage.setItem('wx_state', '1'), 10);`,
		"shop/app.js":     `localStorage.setItem('ui', 'compact'); localStorage.setItem('wx_plain', '1');`,
	}, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/shop/collect" {
			w.Header().Add("Set-Cookie", "wx_sess=1; Path=/; HttpOnly")
		}
	})
	_, fs, got := checkSite(t, root, srv.URL+"/shop/", 2)
	tag := srv.URL + "/shop/tag.js"
	for _, item := range []string{"cookie wx_uid", "cookie wx_sess", "local-storage wx_state", "cookie wx_pref"} {
		for _, p := range []Pass{Before, Reject} {
			rule, _ := gating(p)
			i := slices.IndexFunc(fs, func(f Finding) bool {
				return f.Rule == rule && f.Kind+" "+f.Name == item && slices.Equal(f.Passes, []Pass{p})
			})
			if i < 0 {
				t.Errorf("no %s finding for %s in:\n%s", rule, item, strings.Join(got, "\n"))
				continue
			}
			if !strings.Contains(fs[i].Message, `by a script the banner gates for "statistics" (`+tag+`)`) {
				t.Errorf("%s: want the gated script", fs[i])
			}
		}
	}
	for _, f := range fs {
		if f.Name == "wx_plain" && f.Rule != ruleUndeclared || slices.Contains(f.Passes, Accept) && (f.Rule == ruleBeforeChoice || f.Rule == ruleAfterRefusal) {
			t.Errorf("%s: want only the undeclared items of an ungated script, and no gating error after Accept all", f)
		}
	}
	if !slices.Contains(got, "undeclared local-storage wx_plain [before,reject,accept]") {
		t.Errorf("no undeclared wx_plain in:\n%s", strings.Join(got, "\n"))
	}
}

// A tag that loads after the page (a chain of slow third-party responses,
// the last more than 3 s after the page loaded) and then stores a cookie is
// waited for: the page is read once the network is idle.
func TestScanWaitsForNetworkIdle(t *testing.T) {
	needChromium(t)
	slow := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server is slow; nothing here waits for the scan.
		time.Sleep(1200 * time.Millisecond)
		w.Header().Set("Content-Type", "text/javascript")
		switch n := r.URL.Query().Get("n"); n {
		case "3":
			fmt.Fprint(w, `document.cookie = 'late_id=1; Path=/; Max-Age=600';`)
		default:
			fmt.Fprintf(w, `{ const s = document.createElement('script'); s.src = '%s/slow.js?n=%c'; document.head.append(s); }`, "http://"+r.Host, n[0]+1)
		}
	}))
	srv, root := newSite(t, uiStorage, map[string]string{
		"late/index.html": shopPage("Late", `<script src="/late/app.js"></script>`),
		"late/app.js": `localStorage.setItem('ui', 'compact');
// The tag loads once the page has, so the page's load does not wait for it.
addEventListener('load', () => { const s = document.createElement('script'); s.src = '` + slow.URL + `/slow.js?n=1'; document.head.append(s); });`,
	}, nil)
	res, _, got := checkSite(t, root, srv.URL+"/late/", 1)
	if !slices.Contains(got, "undeclared cookie late_id [before,reject,accept]") {
		t.Errorf("findings:\n%s\nwant the late cookie undeclared in every pass", strings.Join(got, "\n"))
	}
	for _, ev := range res.Passes {
		if !slices.ContainsFunc(ev.Cookies, func(c Cookie) bool { return c.Name == "late_id" && !c.Transient }) {
			t.Errorf("%s pass: cookies %+v, want late_id in the jar when the page was read", ev.Pass, ev.Cookies)
		}
	}
}

// TestScanDoesNotWaitForAnUnreadAnswer: a page whose script fetches and
// never reads the answer's body (here a 409, as the banner leaves one when
// the endpoint runs on newer content) gets no loadingFinished for it from
// Chromium; the scan reads the page once the answer has come, not after
// the idle limit.
func TestScanDoesNotWaitForAnUnreadAnswer(t *testing.T) {
	needChromium(t)
	srv, root := newSite(t, uiStorage, map[string]string{
		"unread/index.html": shopPage("Unread", `<script src="/unread/app.js"></script>`),
		"unread/app.js":     `localStorage.setItem('ui', 'compact'); fetch('/unread/answer', {method: 'POST', body: 'x'});`,
	}, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/unread/answer" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusConflict)
			fmt.Fprint(w, `{"problems":[{"field":"revision","message":"not the current one"}]}`)
		}
	})
	res, _, _ := checkSite(t, root, srv.URL+"/unread/", 1)
	for _, ev := range res.Passes {
		for _, p := range ev.Problems {
			if strings.Contains(p, "did not go idle") {
				t.Errorf("%s pass: %s", ev.Pass, p)
			}
		}
	}
}

func TestNetworkIdle(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	quiet := 500 * time.Millisecond
	type step struct {
		at          int    // ms
		op          string // start, end, doc (a new main-frame document), wait
		id          string
		wantWait    time.Duration
		wantPending string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"idle once nothing has been in flight for the quiet period", []step{
			{at: 0, op: "start", id: "a"},
			{at: 100, op: "wait", wantWait: 30 * time.Millisecond, wantPending: "https://x/a"},
			{at: 2000, op: "wait", wantWait: 30 * time.Millisecond, wantPending: "https://x/a"}, // however long it takes
			{at: 2100, op: "end", id: "a"},
			{at: 2300, op: "wait", wantWait: 300 * time.Millisecond},
			{at: 2600, op: "wait"},
		}},
		{"a request that starts in the quiet period restarts it", []step{
			{at: 0, op: "start", id: "a"},
			{at: 10, op: "end", id: "a"},
			{at: 400, op: "start", id: "b"},
			{at: 450, op: "end", id: "b"},
			{at: 600, op: "wait", wantWait: 350 * time.Millisecond},
			{at: 950, op: "wait"},
		}},
		{"the end of a request it was not waiting for changes nothing", []step{
			{at: 0, op: "start", id: "a"},
			{at: 10, op: "end", id: "a"},
			{at: 400, op: "end", id: "favicon"},
			{at: 510, op: "wait"},
		}},
		{"a new document drops the old document's requests", []step{
			{at: 0, op: "start", id: "old"},
			{at: 100, op: "doc"},
			{at: 700, op: "wait"},
		}},
		{"a request of the document left, reported after the new one began (a beacon on page hide), is not waited for", []step{
			{at: 0, op: "doc"},
			{at: 100, op: "start", id: "old"},
			{at: 600, op: "wait"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := netState{inflight: map[string]request{}}
			for _, s := range tt.steps {
				switch s.op {
				case "start":
					loader := "L1"
					if s.id != "old" {
						loader = "L2"
					}
					n.start(s.id, request{url: "https://x/" + s.id, frame: "F", loader: cdp.LoaderID(loader)}, ms(s.at))
				case "end":
					n.end(s.id, ms(s.at))
				case "doc":
					n.newDocument("F", cdp.LoaderID("L2"))
				case "wait":
					w, pending := n.wait(ms(s.at), quiet)
					if w != s.wantWait || pending != s.wantPending {
						t.Errorf("at %d ms: wait %s (%q in flight), want %s (%q)", s.at, w, pending, s.wantWait, s.wantPending)
					}
				}
			}
		})
	}
}
