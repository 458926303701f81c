package scan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// Options tune a scan.
type Options struct {
	// Pages is the most pages each pass visits (default 20).
	Pages int
	// Chromium is the browser's path; empty looks up chromium,
	// chromium-browser and google-chrome on $PATH.
	Chromium string
	// PageTimeout bounds one page load (default 15 s).
	PageTimeout time.Duration
	// BannerTimeout is how long a page may take to show the banner (default
	// 5 s).
	BannerTimeout time.Duration
	// OnlyHosts, when set, lets the browser resolve only these host names
	// (and IP literals): every other name fails to resolve, so nothing
	// leaves the machine. Tests use it.
	OnlyHosts []string
	// Progress, when set, is called before each page a pass visits.
	Progress func(p Pass, n int, url string)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// errNoBrowser says that no Chromium was found.
var errNoBrowser = errors.New("no Chromium found: install Debian's chromium (apt-get install chromium) or pass its path")

// FindChromium returns the path of the browser: path when given, else the
// first of chromium, chromium-browser, google-chrome on $PATH.
func FindChromium(path string) (string, error) {
	if path != "" {
		return exec.LookPath(path)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errNoBrowser
}

// The banner's markup (assets/consent.js): the first layer is section.itg,
// its row .itg-r holds "Accept all", "Reject all", "Settings" in that order.
const (
	bannerReady  = `(() => { const b = document.querySelector('section.itg'); return !!b && !b.hidden && !!b.querySelector('.itg-r button:nth-child(2)') && document.getAnimations().every(a => a.playState != 'running') })()`
	bannerAccept = `section.itg .itg-r button:nth-child(1)`
	bannerReject = `section.itg .itg-r button:nth-child(2)`
)

// binding is the name of the DevTools binding through which the recorder
// script reports who writes a cookie or a storage item.
const binding = "integritetScan"

// recorder runs in every document before the page's own scripts: it
// reports the script (the first http(s) frame of the stack) that writes
// document.cookie, localStorage, sessionStorage or opens an IndexedDB
// database. It is injected through DevTools, so the page's CSP does not
// apply to it.
const recorder = `(() => {
  const send = globalThis.` + binding + `;
  if (typeof send != 'function') return;
  const where = () => ((new Error().stack || '').split('\n').slice(1).map(l => (l.match(/(https?:\/\/[^\s)]+)/) || [])[1]).find(Boolean) || '');
  const report = (k, n, a) => { try { send(JSON.stringify({k, n: String(n), a: a || '', o: location.origin, s: where()})); } catch (e) {} };
  const cd = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cd && cd.set) Object.defineProperty(Document.prototype, 'cookie', {configurable: true, enumerable: cd.enumerable,
    get() { return cd.get.call(this); },
    set(v) { const p = String(v).split(';'); report('` + kindCookie + `', p[0].split('=')[0].trim(), p.slice(1).join(';')); cd.set.call(this, v); }});
  const si = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k) { try { report(this === localStorage ? '` + kindLocalStorage + `' : '` + kindSessionStorage + `', k); } catch (e) {} return si.apply(this, arguments); };
  const op = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (n) { report('` + kindIndexedDB + `', n); return op.apply(this, arguments); };
})();`

// readPage lists the storage of the page's origin and of the frames of the
// same origin, and the page's links: one round trip per page.
const readPage = `(async () => {
  const out = [];
  const one = async w => {
    const o = {origin: w.location.origin, local: [], session: [], idb: []};
    try { o.local = Object.keys(w.localStorage); } catch (e) {}
    try { o.session = Object.keys(w.sessionStorage); } catch (e) {}
    try { o.idb = (await w.indexedDB.databases()).map(d => d.name); } catch (e) {}
    out.push(o);
  };
  await one(window);
  for (let i = 0; i < window.frames.length; i++) {
    try { if (window.frames[i].location.origin) await one(window.frames[i]); } catch (e) {}
  }
  return {stores: out, links: [...document.querySelectorAll('a[href]')].map(a => a.href)};
})()`

const metaRefresh = `(() => { const m = document.querySelector('meta[http-equiv="refresh" i]'); const d = m ? parseFloat(m.content) : NaN; return d >= 0 && d <= 2 && /url=/i.test(m.content) })()`

const readLinks = `[...document.querySelectorAll('a[href]')].map(a => a.href)`

// bannerPages is how many pages the reject and accept passes look for the
// banner on before they give up.
const bannerPages = 3

// Limits that keep a scan's memory bounded whatever the site does.
const (
	maxURLsPerHost = 3
	maxItems       = 5000
)

// Run scans the site at start: three passes in fresh browser profiles of
// one headless Chromium, each visiting up to opts.Pages same-origin pages.
func Run(ctx context.Context, start string, opts Options) (*Result, error) {
	u, err := url.Parse(start)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("scan %q: want an http(s) URL", start)
	}
	if opts.Pages <= 0 {
		opts.Pages = 20
	}
	if opts.PageTimeout <= 0 {
		opts.PageTimeout = 15 * time.Second
	}
	if opts.BannerTimeout <= 0 {
		opts.BannerTimeout = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	exe, err := FindChromium(opts.Chromium)
	if err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	profile, err := os.MkdirTemp("", "integritet-scan-")
	if err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	defer os.RemoveAll(profile)
	flags := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("mute-audio", true),
	}
	if len(opts.OnlyHosts) > 0 {
		rules := "MAP * ~NOTFOUND"
		for _, h := range opts.OnlyHosts {
			rules += ", EXCLUDE " + h
		}
		flags = append(flags, chromedp.Flag("host-resolver-rules", rules))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, flags...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		return nil, fmt.Errorf("scan: start %s: %w", exe, err)
	}
	res := &Result{Site: u.Scheme + "://" + u.Host, Start: start, Time: opts.Now(), Passes: make([]Evidence, len(passes))}
	var wg sync.WaitGroup
	errs := make([]error, len(passes))
	for i, p := range passes {
		wg.Go(func() {
			res.Passes[i], errs[i] = runPass(bctx, p, u, opts)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	return res, nil
}

// tab is one pass: a tab in its own browser context (a fresh profile: its
// own cookie jar, storage and cache) and what it has seen.
type tab struct {
	ctx      context.Context
	pass     Pass
	site     *url.URL
	siteHost string
	opts     Options

	mu        sync.Mutex
	recording bool // false until the choice is made, in the reject and accept passes
	page      string
	inflight  map[network.RequestID]time.Time
	activity  time.Time
	reqURL    map[network.RequestID]string
	setBy     map[string]string // kind \x00 name → script or response
	hosts     map[string]*Host
	hostOrder []string
	cookies   map[string]*Cookie
	cOrder    []string
	storage   map[string]*Storage
	sOrder    []string
	problems  []string
	writes    []write
}

// write is a cookie or storage write that the recorder reported while the
// pass was recording.
type write struct {
	kind, name, attrs, origin, setBy, page string
	at                                     time.Time
}

func runPass(bctx context.Context, p Pass, site *url.URL, opts Options) (Evidence, error) {
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancel()
	t := &tab{ctx: ctx, pass: p, site: site, siteHost: strings.ToLower(site.Hostname()), opts: opts, recording: p == Before,
		inflight: map[network.RequestID]time.Time{}, reqURL: map[network.RequestID]string{}, setBy: map[string]string{},
		hosts: map[string]*Host{}, cookies: map[string]*Cookie{}, storage: map[string]*Storage{}}
	if err := chromedp.Listen(ctx, t.listen); err != nil {
		return Evidence{}, fmt.Errorf("%s pass: %w", p, err)
	}
	if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: binding}); err != nil {
		return Evidence{}, fmt.Errorf("%s pass: %w", p, err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recorder}); err != nil {
		return Evidence{}, fmt.Errorf("%s pass: %w", p, err)
	}
	ev := Evidence{Pass: p, Pages: []string{}, Cookies: []Cookie{}, Storage: []Storage{}, Hosts: []Host{}}
	queue := []string{normalize(site.String())}
	visited := map[string]bool{}
	for len(queue) > 0 && len(ev.Pages) < opts.Pages {
		if err := ctx.Err(); err != nil {
			return Evidence{}, err
		}
		if !t.isRecording() && len(ev.Pages) >= bannerPages {
			// No banner on the first pages: this pass cannot choose, and
			// the first pass has seen what happens without a choice.
			break
		}
		next := queue[0]
		queue = queue[1:]
		if visited[next] {
			continue
		}
		visited[next] = true
		if opts.Progress != nil {
			opts.Progress(p, len(ev.Pages)+1, next)
		}
		here, err := t.open(next)
		if err != nil {
			t.problem("%s: %v", next, err)
			continue
		}
		visited[here] = true
		ev.Pages = append(ev.Pages, here)
		if !t.isRecording() && t.waitBanner() {
			sel := bannerAccept
			if p == Reject {
				sel = bannerReject
			}
			if err := t.run(chromedp.Click(chromedp.CSS(sel))); err != nil {
				t.problem("%s: click %s: %v", here, sel, err)
				continue
			}
			t.setRecording()
			ev.Clicked = here
			t.settle()
			t.collect(here)
			// The next page view after the choice: the same page again.
			if _, err := t.open(here); err != nil {
				t.problem("%s: %v", here, err)
			}
		}
		var links []string
		if t.isRecording() {
			links = t.collect(here)
		} else if links, err = t.links(); err != nil {
			continue
		}
		for _, l := range links {
			if l, ok := t.crawlable(l); ok && !visited[l] && !slices.Contains(queue, l) {
				queue = append(queue, l)
			}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.transient()
	for _, k := range t.cOrder {
		ev.Cookies = append(ev.Cookies, *t.cookies[k])
	}
	for _, k := range t.sOrder {
		ev.Storage = append(ev.Storage, *t.storage[k])
	}
	for _, h := range t.hostOrder {
		ev.Hosts = append(ev.Hosts, *t.hosts[h])
	}
	ev.Problems = t.problems
	return ev, nil
}

// links returns the href of every link on the page.
func (t *tab) links() ([]string, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.opts.PageTimeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](readLinks))
}

func (t *tab) run(a chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(t.ctx, t.opts.PageTimeout)
	defer cancel()
	return chromedp.Do(ctx, a)
}

func (t *tab) isRecording() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.recording
}

func (t *tab) setRecording() {
	t.mu.Lock()
	t.recording = true
	t.mu.Unlock()
}

func (t *tab) problem(format string, args ...any) {
	t.mu.Lock()
	t.problems = append(t.problems, fmt.Sprintf(format, args...))
	t.mu.Unlock()
}

// open navigates to u, waits until the page has settled and returns where
// it ended up (after redirects).
func (t *tab) open(u string) (string, error) {
	t.mu.Lock()
	t.page = u
	t.mu.Unlock()
	navErr := t.run(chromedp.Navigate(u))
	// A meta refresh or a script may navigate on while the navigation is
	// waited for, which ends it with an error: what counts is the page
	// the tab shows once it has settled. A page that is about to refresh
	// itself away (within 2 s) is waited out, not counted.
	here := ""
	deadline := time.Now().Add(t.opts.PageTimeout)
	for try := 0; try < 30 && time.Now().Before(deadline); try++ {
		t.settle()
		// Where the tab is and whether that document is about to refresh
		// come from one evaluation in one document: asked apart, the
		// refresh could land between the two answers.
		loc, soon, err := t.where()
		if err != nil {
			continue
		}
		if soon {
			here = loc
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if loc == here || try == 0 && loc == u && navErr == nil {
			here = loc
			break
		}
		here = loc
	}
	if here == "" || here == "about:blank" || strings.HasPrefix(here, "chrome-error:") {
		if navErr == nil {
			navErr = errors.New("the page did not load")
		}
		return "", navErr
	}
	t.mu.Lock()
	t.page = here
	t.mu.Unlock()
	return here, nil
}

// where returns the URL the tab shows (without its fragment) and whether
// that document asks to be replaced within 2 s by a meta refresh (a
// language chooser, a moved page). A document that cannot be asked counts
// as about to go.
func (t *tab) where() (string, bool, error) {
	ctx, cancel := context.WithTimeout(t.ctx, time.Second)
	defer cancel()
	type answer struct {
		Href    string `json:"href"`
		Refresh bool   `json:"refresh"`
	}
	a, err := chromedp.Run(ctx, chromedp.Evaluate[answer](`({href: location.href, refresh: `+metaRefresh+`})`))
	if err != nil {
		loc, lerr := t.location()
		return loc, true, lerr
	}
	return normalize(a.Href), a.Refresh, nil
}

// location is the URL the tab shows, without its fragment.
func (t *tab) location() (string, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.opts.PageTimeout)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	return normalize(loc), err
}

// settle waits until the document is complete and the network has been
// quiet for a moment (or 3 s have passed: a page may keep a connection open).
func (t *tab) settle() {
	const quiet = 100 * time.Millisecond
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(t.ctx, time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState == 'complete'`))
		cancel()
		if err == nil && done {
			break
		}
		if t.ctx.Err() != nil {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	for time.Now().Before(deadline) {
		if t.idle(quiet) || t.ctx.Err() != nil {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// idle reports whether the network has been quiet for the quiet period. A
// request that has been open for a second no longer counts (a long poll, a
// stream, or a favicon, whose end the tab is not told of).
func (t *tab) idle(quiet time.Duration) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if now.Sub(t.activity) < quiet {
		return false
	}
	for _, since := range t.inflight {
		if now.Sub(since) < time.Second {
			return false
		}
	}
	return true
}

// waitBanner waits for the banner's buttons.
func (t *tab) waitBanner() bool {
	deadline := time.Now().Add(t.opts.BannerTimeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(t.ctx, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](bannerReady))
		cancel()
		if err == nil && ok {
			return true
		}
		if t.ctx.Err() != nil {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// pageState is what readPage returns.
type pageState struct {
	Stores []storageOrigin `json:"stores"`
	Links  []string        `json:"links"`
}

// storageOrigin is what readPage returns per origin.
type storageOrigin struct {
	Origin  string   `json:"origin"`
	Local   []string `json:"local"`
	Session []string `json:"session"`
	IDB     []string `json:"idb"`
}

// collect reads the profile's cookie jar and the page's storage (what is
// stored at this point of the pass, whenever it was written), and returns
// the page's links.
func (t *tab) collect(page string) []string {
	now := t.opts.Now()
	ctx, cancel := context.WithTimeout(t.ctx, t.opts.PageTimeout)
	defer cancel()
	jar, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(t.ctx).BrowserContextID})
	if err != nil {
		t.problem("%s: read cookies: %v", page, err)
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](readPage, chromedp.EvalAwaitPromise))
	if err != nil {
		// The page may have navigated on (a script, a refresh): read the
		// one it shows now.
		t.settle()
		if st, err = chromedp.Run(ctx, chromedp.Evaluate[pageState](readPage, chromedp.EvalAwaitPromise)); err != nil {
			t.problem("%s: read storage: %v", page, err)
		}
	}
	stores := st.Stores
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range jar.Cookies {
		key := "cookie\x00" + c.Name + "\x00" + c.Domain + "\x00" + c.Path
		if t.cookies[key] != nil {
			continue
		}
		if len(t.cookies) >= maxItems {
			t.overflow("cookies")
			break
		}
		ck := &Cookie{Name: c.Name, Domain: c.Domain, Path: c.Path, HTTPOnly: c.HTTPOnly, Secure: c.Secure, SameSite: string(c.SameSite),
			ThirdParty: !firstParty(c.Domain, t.siteHost), SetBy: t.setBy["cookie\x00"+c.Name], Page: page, Seen: now}
		if !c.Session && c.Expires > 0 {
			sec := int64(c.Expires)
			ck.Expires = time.Unix(sec, int64((c.Expires-float64(sec))*1e9)).UTC()
		}
		t.cookies[key] = ck
		t.cOrder = append(t.cOrder, key)
	}
	for _, o := range stores {
		for _, kind := range []struct {
			kind  string
			names []string
		}{{kindLocalStorage, o.Local}, {kindSessionStorage, o.Session}, {kindIndexedDB, o.IDB}} {
			for _, name := range kind.names {
				key := kind.kind + "\x00" + o.Origin + "\x00" + name
				if t.storage[key] != nil {
					continue
				}
				if len(t.storage) >= maxItems {
					t.overflow("storage items")
					break
				}
				t.storage[key] = &Storage{Kind: kind.kind, Origin: o.Origin, Name: name, SetBy: t.setBy[kind.kind+"\x00"+name], Page: page}
				t.sOrder = append(t.sOrder, key)
			}
		}
	}
	return st.Links
}

// transient adds what a script wrote while the pass was recording but was
// gone from the jar or storage whenever the pass looked: deleted again by
// the banner or by the script itself, but written all the same.
func (t *tab) transient() {
	for _, w := range t.writes {
		if w.kind == kindCookie {
			if slices.ContainsFunc(t.cOrder, func(k string) bool { return t.cookies[k].Name == w.name }) {
				continue
			}
			c := cookieFromWrite(w, t.siteHost)
			key := "cookie\x00" + c.Name + "\x00" + c.Domain + "\x00" + c.Path
			if t.cookies[key] != nil || len(t.cookies) >= maxItems {
				continue
			}
			c.ThirdParty = !firstParty(c.Domain, t.siteHost)
			t.cookies[key] = &c
			t.cOrder = append(t.cOrder, key)
			continue
		}
		key := w.kind + "\x00" + w.origin + "\x00" + w.name
		if t.storage[key] != nil || len(t.storage) >= maxItems {
			continue
		}
		t.storage[key] = &Storage{Kind: w.kind, Origin: w.origin, Name: w.name, SetBy: w.setBy, Page: w.page, Transient: true}
		t.sOrder = append(t.sOrder, key)
	}
}

// maxCookieAge is the longest a browser keeps a cookie (400 days, RFC 6265bis).
const maxCookieAge = 400 * 24 * 60 * 60

// cookieFromWrite reads a document.cookie write's attributes.
func cookieFromWrite(w write, siteHost string) Cookie {
	c := Cookie{Name: w.name, Path: "/", SetBy: w.setBy, Page: w.page, Seen: w.at, Transient: true}
	if u, err := url.Parse(w.origin); err == nil {
		c.Domain = u.Hostname()
	}
	for _, a := range strings.Split(w.attrs, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(a), "=")
		switch strings.ToLower(k) {
		case "domain":
			c.Domain = "." + strings.TrimPrefix(strings.ToLower(v), ".")
		case "path":
			c.Path = v
		case "max-age":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
				c.Expires = w.at.Add(time.Duration(min(n, maxCookieAge)) * time.Second)
			}
		case "expires":
			if e, err := http.ParseTime(v); err == nil && c.Expires.IsZero() {
				c.Expires = e
				if limit := w.at.Add(maxCookieAge * time.Second); e.After(limit) {
					c.Expires = limit
				}
			}
		case "secure":
			c.Secure = true
		case "samesite":
			c.SameSite = v
		}
	}
	return c
}

// overflow notes, once per kind, that a limit was reached. t.mu is held.
func (t *tab) overflow(what string) {
	msg := fmt.Sprintf("more than %d %s: the rest were not recorded", maxItems, what)
	if !slices.Contains(t.problems, msg) {
		t.problems = append(t.problems, msg)
	}
}

// crawlable returns the link without its fragment when it is a same-origin
// page worth visiting.
func (t *tab) crawlable(link string) (string, bool) {
	u, err := url.Parse(link)
	if err != nil || u.Scheme != t.site.Scheme || u.Host != t.site.Host {
		return "", false
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case "", ".html", ".htm", ".php", ".asp", ".aspx", ".jsp":
	default:
		return "", false
	}
	return normalize(u.String()), true
}

func normalize(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	u.Fragment = ""
	u.RawFragment = ""
	return u.String()
}

var cookieName = regexp.MustCompile(`^\s*([^=;\s]+)\s*=`)

// listen records requests, who set which cookie, and the recorder's
// reports. It runs on the tab's reading goroutine: no commands, no waiting.
func (t *tab) listen(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		t.activity = time.Now()
		// The browser fetches the favicon for itself and never tells the
		// tab that it is done.
		if !strings.HasSuffix(ev.Request.URL, "/favicon.ico") {
			t.inflight[ev.RequestID] = t.activity
		}
		t.reqURL[ev.RequestID] = ev.Request.URL
		if t.recording {
			t.request(ev)
		}
	case *network.EventLoadingFinished:
		delete(t.inflight, ev.RequestID)
		t.activity = time.Now()
	case *network.EventLoadingFailed:
		delete(t.inflight, ev.RequestID)
		t.activity = time.Now()
	case *network.EventResponseReceivedExtraInfo:
		for k, v := range ev.Headers {
			s, ok := v.(string)
			if !ok || !strings.EqualFold(k, "set-cookie") {
				continue
			}
			for _, line := range strings.Split(s, "\n") {
				if m := cookieName.FindStringSubmatch(line); m != nil {
					key := "cookie\x00" + m[1]
					if _, ok := t.setBy[key]; !ok && t.reqURL[ev.RequestID] != "" {
						t.setBy[key] = "response " + t.reqURL[ev.RequestID]
					}
				}
			}
		}
	case *runtime.EventBindingCalled:
		if ev.Name != binding {
			return
		}
		var r struct{ K, N, A, O, S string }
		if json.Unmarshal([]byte(ev.Payload), &r) != nil || len(t.setBy) >= maxItems {
			return
		}
		if t.recording && len(t.writes) < maxItems {
			t.writes = append(t.writes, write{kind: r.K, name: r.N, attrs: r.A, origin: r.O, setBy: r.S, page: t.page, at: t.opts.Now()})
		}
		key := r.K + "\x00" + r.N
		if _, ok := t.setBy[key]; !ok && r.S != "" {
			t.setBy[key] = r.S
		}
	}
}

// request records a request to a host other than the site's.
func (t *tab) request(ev *network.EventRequestWillBeSent) {
	u, err := url.Parse(ev.Request.URL)
	if err != nil {
		return
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return
	}
	host := strings.ToLower(u.Hostname())
	if host == t.siteHost {
		return
	}
	h, ok := t.hosts[host]
	if !ok {
		if len(t.hosts) >= maxItems {
			return
		}
		h = &Host{Host: host, Page: t.page}
		t.hosts[host] = h
		t.hostOrder = append(t.hostOrder, host)
	}
	h.Count++
	if len(h.URLs) < maxURLsPerHost {
		h.URLs = append(h.URLs, ev.Request.URL)
	}
	if typ := string(ev.Type); typ != "" && !slices.Contains(h.Types, typ) && len(h.Types) < 10 {
		h.Types = append(h.Types, typ)
	}
}
