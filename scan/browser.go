package scan

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
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
	// Idle is how long no request may be in flight before a page counts
	// as settled and is read (default 500 ms): network idle, as browser
	// automation defines it. A script that a slow response or a chain of
	// them loads late is waited for.
	Idle time.Duration
	// IdleTimeout is the most a page is waited for to go idle (default
	// 10 s): a page may hold a request open for ever (a long poll).
	IdleTimeout time.Duration
	// Tabs is how many pages each pass loads at a time once it has made
	// its choice (default 3): a page waiting for network idle leaves the
	// machine free to load the next.
	Tabs int
	// OnlyHosts, when set, lets the browser resolve only these host names
	// and IP addresses: every other fails to resolve, so nothing leaves the
	// machine. Tests use it.
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

const metaRefresh = `(() => { const m = document.querySelector('meta[http-equiv="refresh" i]'); const d = m ? parseFloat(m.content) : NaN; return d >= 0 && d <= 2 && /url=/i.test(m.content) })()`

const readLinks = `[...document.querySelectorAll('a[href]')].map(a => a.href)`

// bannerPages is how many pages the reject and accept passes look for the
// banner on before they give up.
const bannerPages = 3

// maxNavigations is how many documents one page may go through (redirects,
// refreshes, scripts that navigate) before it counts as a loop. Chromium
// itself gives up on HTTP redirects after 20.
const maxNavigations = 10

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
	if opts.Idle <= 0 {
		opts.Idle = 500 * time.Millisecond
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 10 * time.Second
	}
	if opts.Tabs <= 0 {
		opts.Tabs = 3
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

// pass is one of the three visits: a fresh browser context (its own cookie
// jar, storage and cache), the tabs it loads pages in, the crawl and what
// its tabs have seen. One lock guards it and its tabs' state: the tabs'
// event listeners write, the crawl reads.
type pass struct {
	pass     Pass
	site     *url.URL
	siteHost string
	opts     Options

	mu        sync.Mutex
	wake      *sync.Cond // the crawl's queue or its busy count changed
	recording bool       // false until the choice is made, in the reject and accept passes
	clicked   string
	again     string // the page the banner was clicked on, to view once more

	// The crawl.
	queue   []string
	visited map[string]bool
	pages   []string
	busy    int // pages being loaded now

	// What the tabs saw.
	setBy     map[string]*writer  // kind \x00 name → who wrote it
	gated     map[string]string   // URL of an element the banner gates → its data-consent
	loadedBy  map[string][]string // URL → the URLs of the scripts or documents that requested it
	workerReq map[string]bool     // service-worker requests already counted: every tab of the pass sees them
	hosts     map[string]*Host
	hostOrder []string
	cookies   map[string]*Cookie
	cOrder    []string
	storage   map[string]*Storage
	sOrder    []string
	writes    []write
	dialogs   []Dialog
	loops     []Loop
	problems  []string
	busyNet   int // pages that did not go idle within opts.IdleTimeout
	busyURL   string
}

// writer is what the pass knows of who stored an item.
type writer struct {
	setBy string // the first script (url:line:col) or response ("response " + url)
	page  string // the page the tab had open then
	// from are the scripts on the stacks of its writes and the URLs of
	// the responses that set it (a few), to find the gate they came
	// through; gate is the gated element a write ran in, when it did.
	from []string
	gate *Gate
}

// write is a cookie or storage write that the recorder reported while the
// pass was recording.
type write struct {
	kind, name, attrs, origin, setBy, page string
	at                                     time.Time
}

func newPass(p Pass, site *url.URL, opts Options) *pass {
	ps := &pass{pass: p, site: site, siteHost: strings.ToLower(site.Hostname()), opts: opts, recording: p == Before,
		visited: map[string]bool{}, setBy: map[string]*writer{}, gated: map[string]string{}, loadedBy: map[string][]string{},
		workerReq: map[string]bool{}, hosts: map[string]*Host{}, cookies: map[string]*Cookie{}, storage: map[string]*Storage{}}
	ps.wake = sync.NewCond(&ps.mu)
	return ps
}

func runPass(bctx context.Context, p Pass, site *url.URL, opts Options) (Evidence, error) {
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancel()
	ps := newPass(p, site, opts)
	// A crawl that waits for work wakes when the pass ends early.
	stop := context.AfterFunc(ctx, func() {
		ps.mu.Lock()
		ps.wake.Broadcast()
		ps.mu.Unlock()
	})
	defer stop()
	first, err := ps.newTab(ctx)
	if err != nil {
		return Evidence{}, fmt.Errorf("%s pass: %w", p, err)
	}
	ps.queue = []string{normalize(site.String())}
	// The other tabs open while the first looks for the banner, and crawl
	// once it has chosen (at once in the first pass).
	var wg sync.WaitGroup
	chosen := make(chan struct{})
	for range opts.Tabs - 1 {
		wg.Go(func() {
			tctx, cancel := chromedp.NewContext(ctx)
			defer cancel()
			t, err := ps.newTab(tctx)
			if err != nil {
				ps.problem("open another tab: %v", err)
				return
			}
			if <-chosen; ps.isRecording() {
				ps.crawl(ctx, t)
			}
		})
	}
	if p != Before {
		// Until it has chosen, the pass visits one page at a time, looking
		// for the banner on each.
		for tried := 0; !ps.isRecording() && tried < bannerPages; {
			next, ok := ps.take(ctx)
			if !ok {
				break
			}
			here, err := first.open(next)
			if err != nil {
				ps.failed(next, err)
				continue
			}
			tried++
			links, err := first.choose(here)
			if err != nil {
				ps.failed(here, err)
				continue
			}
			ps.done(here, links)
		}
	}
	// Then each tab takes the next page from the queue, and more than one
	// tab loads pages at a time. Without a banner on the first pages the
	// pass cannot choose and ends: the first pass has seen what happens
	// without a choice.
	close(chosen)
	if ps.isRecording() {
		ps.crawl(ctx, first)
	}
	wg.Wait()
	return ps.evidence(), ctx.Err()
}

// crawl loads pages in tab t until the pass has enough or the queue is
// empty and no other tab can add to it.
func (ps *pass) crawl(ctx context.Context, t *tab) {
	for {
		next, ok := ps.take(ctx)
		if !ok {
			return
		}
		here, err := t.open(next)
		if err != nil {
			ps.failed(next, err)
			continue
		}
		ps.done(here, t.collect(here))
	}
}

// take returns the next page to visit, waiting while other tabs may still
// add some; false when there is none left or the pass has enough.
func (ps *pass) take(ctx context.Context) (string, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for ctx.Err() == nil {
		if next := ps.again; next != "" {
			// Not a page more: the one the banner was clicked on, again.
			ps.again = ""
			ps.busy++
			return next, true
		}
		if len(ps.pages)+ps.busy >= ps.opts.Pages {
			if ps.busy == 0 {
				return "", false
			}
		} else if len(ps.queue) > 0 {
			next := ps.queue[0]
			ps.queue = ps.queue[1:]
			if ps.visited[next] {
				continue
			}
			ps.visited[next] = true
			ps.busy++
			if ps.opts.Progress != nil {
				ps.opts.Progress(ps.pass, len(ps.pages)+ps.busy, next)
			}
			return next, true
		} else if ps.busy == 0 {
			return "", false
		}
		ps.wake.Wait()
	}
	return "", false
}

// done counts a visited page (where the tab ended up) and queues its links.
func (ps *pass) done(here string, links []string) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.busy--
	ps.visited[here] = true
	// Two links can lead to one page (a redirect, a refresh): it counts once.
	if !slices.Contains(ps.pages, here) {
		ps.pages = append(ps.pages, here)
	}
	for _, l := range links {
		if l, ok := ps.crawlable(l); ok && !ps.visited[l] && !slices.Contains(ps.queue, l) {
			ps.queue = append(ps.queue, l)
		}
	}
	ps.wake.Broadcast()
}

// failed notes a page that could not be visited: a loop is a finding of
// its own, anything else a problem of the pass.
func (ps *pass) failed(page string, err error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.busy--
	ps.wake.Broadcast()
	if l, ok := errors.AsType[*loopError](err); ok {
		if len(ps.loops) < maxItems {
			ps.loops = append(ps.loops, Loop{Page: page, URLs: l.urls, Navigations: l.n})
		}
		return
	}
	ps.problems = append(ps.problems, fmt.Sprintf("%s: %v", page, err))
}

func (ps *pass) isRecording() bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.recording
}

func (ps *pass) problem(format string, args ...any) {
	ps.mu.Lock()
	ps.problems = append(ps.problems, fmt.Sprintf(format, args...))
	ps.mu.Unlock()
}

// evidence is what the pass saw, once its tabs are done.
func (ps *pass) evidence() Evidence {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.transient()
	ev := Evidence{Pass: ps.pass, Pages: slices.Clone(ps.pages), Clicked: ps.clicked, Cookies: []Cookie{}, Storage: []Storage{}, Hosts: []Host{},
		Dialogs: ps.dialogs, Loops: ps.loops, Problems: ps.problems}
	if ev.Pages == nil {
		ev.Pages = []string{}
	}
	for _, k := range ps.cOrder {
		c := *ps.cookies[k]
		c.Gate = ps.gateOf(kindCookie + "\x00" + c.Name)
		ev.Cookies = append(ev.Cookies, c)
	}
	for _, k := range ps.sOrder {
		s := *ps.storage[k]
		s.Gate = ps.gateOf(s.Kind + "\x00" + s.Name)
		ev.Storage = append(ev.Storage, s)
	}
	for _, h := range ps.hostOrder {
		ev.Hosts = append(ev.Hosts, *ps.hosts[h])
	}
	if ps.busyNet > 0 {
		ev.Problems = append(ev.Problems, fmt.Sprintf("the network did not go idle within %s on %s (a request held open, such as %s): each was read after that long",
			ps.opts.IdleTimeout, plural(ps.busyNet, "page"), ps.busyURL))
	}
	return ev
}

// crawlable returns the link without its fragment when it is a same-origin
// page worth visiting.
func (ps *pass) crawlable(link string) (string, bool) {
	u, err := url.Parse(link)
	if err != nil || u.Scheme != ps.site.Scheme || u.Host != ps.site.Host {
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

// tab is one tab of a pass and what it is doing. Its fields after ctx are
// guarded by the pass's lock.
type tab struct {
	ctx   context.Context
	ps    *pass
	frame cdp.FrameID // the main frame's id: the target's

	page     string // the page the tab was told to open, then where it ended up
	doc      string // the main frame's document
	net      netState
	docs     []string // the main frame's document requests since open began
	abort    func()   // ends the navigation open is waiting for
	children map[target.SessionID]*child
	reqURL   map[string]string          // request id → page \x00 URL
	early    map[string]network.Headers // request id → the Set-Cookie headers of a response seen before its request
	seq      int64                      // the last id of a message sent to a child target
}

// newTab opens a tab in the pass's browser context and readies it to
// record: the event listener, the recorder, and the frames and workers it
// attaches to (see attach).
func (ps *pass) newTab(ctx context.Context) (*tab, error) {
	t := &tab{ctx: ctx, ps: ps, children: map[target.SessionID]*child{}, reqURL: map[string]string{}, early: map[string]network.Headers{}}
	t.net.inflight = map[string]request{}
	if err := chromedp.Listen(ctx, t.listen); err != nil {
		return nil, err
	}
	ps.mu.Lock()
	t.frame = cdp.FrameID(chromedp.FromContext(ctx).Target.TargetID)
	ps.mu.Unlock()
	if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: binding}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recorder}); err != nil {
		return nil, err
	}
	if err := t.attach(); err != nil {
		return nil, err
	}
	return t, nil
}

// choose looks for the banner on the page the tab has open and, when it
// shows, clicks the pass's button, records what the click does and queues
// the page to be viewed again, first: the next page view after the
// choice. It returns the page's links.
func (t *tab) choose(here string) ([]string, error) {
	if !t.waitBanner() {
		return t.links()
	}
	sel := bannerAccept
	if t.ps.pass == Reject {
		sel = bannerReject
	}
	if err := t.run(chromedp.Click(chromedp.CSS(sel))); err != nil {
		return nil, fmt.Errorf("click %s: %w", sel, err)
	}
	t.ps.mu.Lock()
	t.ps.recording = true
	t.ps.clicked = here
	t.ps.again = here
	t.ps.mu.Unlock()
	t.settle()
	return t.collect(here), nil
}

// links returns the href of every link on the page.
func (t *tab) links() ([]string, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.ps.opts.PageTimeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](readLinks))
}

func (t *tab) run(a chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(t.ctx, t.ps.opts.PageTimeout)
	defer cancel()
	return chromedp.Do(ctx, a)
}

// loopError is a page that kept navigating.
type loopError struct {
	urls []string
	n    int
}

func (e *loopError) Error() string {
	return fmt.Sprintf("it navigated %d times without settling: %s", e.n, strings.Join(e.urls, " → "))
}

// open navigates to u, waits until the page has settled (loaded, no
// further navigation, the network idle) and returns where it ended up
// (after redirects, a refresh or a script).
func (t *tab) open(u string) (string, error) {
	ps := t.ps
	// A page that navigates on before it has loaded keeps the navigation
	// from ending: the listener ends it once the page has gone through
	// more documents than a page may.
	nctx, abort := context.WithTimeout(t.ctx, ps.opts.PageTimeout)
	defer abort()
	ps.mu.Lock()
	t.page = u
	t.docs = t.docs[:0]
	t.abort = abort
	if len(t.reqURL) > 4*maxItems {
		clear(t.reqURL)
		clear(t.early)
	}
	ps.mu.Unlock()
	navErr := chromedp.Do(nctx, chromedp.Navigate(u))
	ps.mu.Lock()
	t.abort = nil
	ps.mu.Unlock()
	if le, ok := errors.AsType[*chromedp.LoadError](navErr); ok && strings.Contains(le.ErrorText, "ERR_TOO_MANY_REDIRECTS") || t.navigations() > maxNavigations {
		return "", t.loop()
	}
	// A meta refresh or a script may navigate on while the navigation is
	// waited for, which ends it with an error: what counts is the page
	// the tab shows once it has settled. A page that is about to refresh
	// itself away (within 2 s) is waited out, not counted.
	here := ""
	deadline := time.Now().Add(ps.opts.PageTimeout)
	for time.Now().Before(deadline) && t.ctx.Err() == nil {
		before := t.navigations()
		t.settle()
		if t.navigations() > maxNavigations {
			return "", t.loop()
		}
		// Where the tab is and whether that document is about to refresh
		// come from one evaluation in one document: asked apart, the
		// refresh could land between the two answers.
		loc, soon, err := t.where()
		if err != nil {
			continue
		}
		here = loc
		if soon {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if t.navigations() == before {
			// Nothing navigated while it settled.
			break
		}
	}
	if here == "" || here == "about:blank" || strings.HasPrefix(here, "chrome-error:") {
		if navErr == nil {
			navErr = errors.New("the page did not load")
		}
		return "", navErr
	}
	ps.mu.Lock()
	t.page = here
	ps.mu.Unlock()
	return here, nil
}

// navigations is how many documents the main frame has requested since
// open began.
func (t *tab) navigations() int {
	t.ps.mu.Lock()
	defer t.ps.mu.Unlock()
	return len(t.docs)
}

// loop stops a page that keeps navigating and says where it went. With
// scripts off no document navigates on by script; the blank page it is
// left for has no refresh either.
func (t *tab) loop() error {
	t.ps.mu.Lock()
	e := &loopError{urls: slices.Clone(t.docs[:min(len(t.docs), 12)]), n: len(t.docs)}
	t.ps.mu.Unlock()
	ctx, cancel := context.WithTimeout(t.ctx, t.ps.opts.PageTimeout)
	defer cancel()
	chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	chromedp.Call(ctx, page.StopLoading, cdp.Empty{})
	chromedp.Do(ctx, chromedp.Navigate("about:blank"))
	chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
	return e
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
	ctx, cancel := context.WithTimeout(t.ctx, t.ps.opts.PageTimeout)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	return normalize(loc), err
}

// settle waits until the document is complete and the network is idle: no
// request in flight for opts.Idle. It waits opts.IdleTimeout at most, for
// a page may hold a request open for ever, and not at all once the page
// has navigated more than a page may (open reports the loop).
func (t *tab) settle() {
	opts := t.ps.opts
	deadline := time.Now().Add(opts.IdleTimeout)
	for time.Now().Before(deadline) {
		if t.navigations() > maxNavigations {
			return
		}
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
	for t.ctx.Err() == nil {
		now := time.Now()
		t.ps.mu.Lock()
		wait, open := t.net.wait(now, opts.Idle)
		if len(t.docs) > maxNavigations {
			wait = 0
		}
		if wait > 0 && !now.Before(deadline) {
			t.ps.busyNet++
			if t.ps.busyURL == "" {
				t.ps.busyURL = open
			}
		}
		t.ps.mu.Unlock()
		if wait <= 0 || !now.Before(deadline) {
			return
		}
		time.Sleep(min(wait, deadline.Sub(now)))
	}
}

// waitBanner waits for the banner's buttons.
func (t *tab) waitBanner() bool {
	deadline := time.Now().Add(t.ps.opts.BannerTimeout)
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

// readPage lists the storage of the page's origin and of the frames of the
// same origin, the elements the banner gates and the page's links: one
// round trip per page.
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
  const gated = [];
  for (const e of document.querySelectorAll('[data-consent]')) {
    const u = e.getAttribute('src') || e.dataset.src;
    try { if (u) gated.push({c: e.dataset.consent, u: new URL(u, document.baseURI).href}); } catch (e) {}
  }
  return {stores: out, gated, links: [...document.querySelectorAll('a[href]')].map(a => a.href)};
})()`

// pageState is what readPage returns.
type pageState struct {
	Stores []storageOrigin `json:"stores"`
	Gated  []struct {
		C string `json:"c"`
		U string `json:"u"`
	} `json:"gated"`
	Links []string `json:"links"`
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
	ps := t.ps
	now := ps.opts.Now()
	ctx, cancel := context.WithTimeout(t.ctx, ps.opts.PageTimeout)
	defer cancel()
	jar, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(t.ctx).BrowserContextID})
	if err != nil {
		ps.problem("%s: read cookies: %v", page, err)
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](readPage, chromedp.EvalAwaitPromise))
	if err != nil {
		// The page may have navigated on (a script, a refresh): read the
		// one it shows now.
		t.settle()
		if st, err = chromedp.Run(ctx, chromedp.Evaluate[pageState](readPage, chromedp.EvalAwaitPromise)); err != nil {
			ps.problem("%s: read storage: %v", page, err)
		}
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, g := range st.Gated {
		if _, ok := ps.gated[normalize(g.U)]; !ok && len(ps.gated) < maxItems {
			ps.gated[normalize(g.U)] = g.C
		}
	}
	for _, c := range jar.Cookies {
		key := "cookie\x00" + c.Name + "\x00" + c.Domain + "\x00" + c.Path
		if ps.cookies[key] != nil {
			continue
		}
		if len(ps.cookies) >= maxItems {
			ps.overflow("cookies")
			break
		}
		ck := &Cookie{Name: c.Name, Domain: c.Domain, Path: c.Path, HTTPOnly: c.HTTPOnly, Secure: c.Secure, SameSite: string(c.SameSite),
			ThirdParty: !firstParty(c.Domain, ps.siteHost), Page: page, Seen: now}
		if w := ps.setBy["cookie\x00"+c.Name]; w != nil {
			// Another tab of the pass may have read the jar first: the
			// page is where it was written.
			ck.SetBy, ck.Page = w.setBy, either(w.page, page)
		}
		if !c.Session && c.Expires > 0 {
			sec := int64(c.Expires)
			ck.Expires = time.Unix(sec, int64((c.Expires-float64(sec))*1e9)).UTC()
		}
		ps.cookies[key] = ck
		ps.cOrder = append(ps.cOrder, key)
	}
	for _, o := range st.Stores {
		for _, kind := range []struct {
			kind  string
			names []string
		}{{kindLocalStorage, o.Local}, {kindSessionStorage, o.Session}, {kindIndexedDB, o.IDB}} {
			for _, name := range kind.names {
				key := kind.kind + "\x00" + o.Origin + "\x00" + name
				if ps.storage[key] != nil {
					continue
				}
				if len(ps.storage) >= maxItems {
					ps.overflow("storage items")
					break
				}
				s := &Storage{Kind: kind.kind, Origin: o.Origin, Name: name, Page: page}
				if w := ps.setBy[kind.kind+"\x00"+name]; w != nil {
					s.SetBy, s.Page = w.setBy, either(w.page, page)
				}
				ps.storage[key] = s
				ps.sOrder = append(ps.sOrder, key)
			}
		}
	}
	return st.Links
}

// either returns a unless it is empty, else b.
func either(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// overflow notes, once per kind, that a limit was reached. ps.mu is held.
func (ps *pass) overflow(what string) {
	msg := fmt.Sprintf("more than %d %s: the rest were not recorded", maxItems, what)
	if !slices.Contains(ps.problems, msg) {
		ps.problems = append(ps.problems, msg)
	}
}

// request records a request to a host other than the site's; worker is
// the service worker that made it, if one did. ps.mu is held.
func (ps *pass) request(rawURL, typ, page, worker string) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return
	}
	host := strings.ToLower(u.Hostname())
	if host == ps.siteHost {
		return
	}
	h, ok := ps.hosts[host]
	if !ok {
		if len(ps.hosts) >= maxItems {
			return
		}
		h = &Host{Host: host, Page: page}
		ps.hosts[host] = h
		ps.hostOrder = append(ps.hostOrder, host)
	}
	h.Count++
	if len(h.URLs) < maxURLsPerHost {
		h.URLs = append(h.URLs, rawURL)
	}
	if typ != "" && !slices.Contains(h.Types, typ) && len(h.Types) < 10 {
		h.Types = append(h.Types, typ)
	}
	if worker != "" && !slices.Contains(h.ServiceWorkers, worker) && len(h.ServiceWorkers) < maxURLsPerHost {
		h.ServiceWorkers = append(h.ServiceWorkers, worker)
	}
}
