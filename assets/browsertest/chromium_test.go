package browsertest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestMain runs every test of the package against one Chromium (started
// by the first test that needs it), so that no test waits for a browser to
// start, and lets more browser scenarios run at once than the machine has
// cores: a scenario spends its time waiting for Chromium, not computing,
// so go test's default of one per core left both cores idle most of the
// time. An explicit -parallel wins.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", strconv.Itoa(max(6, 3*runtime.GOMAXPROCS(0))))
	}
	code := m.Run()
	chromium.stop()
	os.Exit(code)
}

// chromium is the test binary's one headless Chromium. Each scenario opens
// its tab in a browser context of its own (newTab), which shares nothing
// with the others: cookies, storage and cache are per context.
var chromium chromiumProcess

type chromiumProcess struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	err    error
	path   string
}

// sharedBrowser returns the context of the shared Chromium, starting it on
// the first call; without Chromium the test is skipped (failed in CI).
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	b := &chromium
	b.once.Do(b.start)
	if b.path == "" {
		missing(t, "chromium")
	}
	if b.err != nil {
		t.Fatalf("start chromium: %v", b.err)
	}
	return b.ctx
}

func (b *chromiumProcess) start() {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return
	}
	b.path = path
	dir, err := os.MkdirTemp("", "integritet-chromium-")
	if err != nil {
		b.err = err
		return
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-color-profile", "srgb"),
		// Tabs in the background (all but one, with several scenarios at
		// once) must not have their timers and frames slowed down.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b.ctx = ctx
	b.cancel = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	// Not under a timeout: the first call's context would own the browser.
	if err := chromedp.Do(ctx); err != nil {
		b.err = err
	}
}

func (b *chromiumProcess) stop() {
	if b.cancel != nil {
		b.cancel()
	}
}

// deadline is when a step of t (a DevTools call, a wait for a condition)
// must have ended. On a loaded machine a step may take long, and only the
// test binary's deadline (go test -timeout) says how long is too long: a
// step may run until shortly before it, so that one that hangs fails its
// test with what it waited for, not the whole binary with a stack dump.
// But no step waits more than stepLimit, so that a step that can never
// succeed (a button that never shows) fails the test in minutes, not at
// the end of the binary's time. Without a deadline (-timeout 0), that.
func deadline(t *testing.T) time.Time {
	limit := time.Now().Add(stepLimit)
	d, ok := t.Deadline()
	if !ok {
		return limit
	}
	// The margin leaves time for the failure and the cleanups to report.
	d = d.Add(-min(30*time.Second, time.Until(d)/10))
	if d.Before(limit) {
		return d
	}
	return limit
}

// stepLimit is the most one step may take. The whole package takes about
// three minutes at a load of 50 on two cores, and no step of it more than
// a few seconds of that.
const stepLimit = 3 * time.Minute

// stepContext is ctx bounded by t's deadline.
func stepContext(t *testing.T, ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithDeadline(ctx, deadline(t))
}

// timedOut says what a step was doing when the deadline came.
func timedOut(what string) string {
	return fmt.Sprintf("timed out (the test's deadline, go test -timeout) waiting for %s", what)
}

// A new tab costs Chromium about 0.3 s of CPU (a renderer process, the
// DevTools session), far more than a scenario's pages; a browser context
// costs next to nothing. So scenarios reuse tabs: each pooled tab has a
// browser context of its own, and between two scenarios it is brought back
// to what a new tab is (reset), which is checked, not assumed.
type pooledTab struct {
	ctx    context.Context
	cancel context.CancelFunc
	// cur is the scenario using the tab, to which its events go.
	cur atomic.Pointer[tab]
	// fresh is what the page tells of its emulation in a new tab.
	fresh string
}

var idleTabs struct {
	mu   sync.Mutex
	tabs []*pooledTab
}

// emulationState is what a page tells of the emulated screen and media
// features, which the scenarios change.
const emulationState = `[innerWidth, innerHeight, devicePixelRatio, navigator.maxTouchPoints, ...['(prefers-color-scheme: dark)', '(prefers-reduced-motion: reduce)', '(forced-colors: active)', 'print'].map(q => matchMedia(q).matches)].join(' ')`

// takeTab returns an idle tab of the pool or a new one.
func takeTab(t *testing.T, browser context.Context) *pooledTab {
	t.Helper()
	idleTabs.mu.Lock()
	if n := len(idleTabs.tabs); n > 0 {
		p := idleTabs.tabs[n-1]
		idleTabs.tabs = idleTabs.tabs[:n-1]
		idleTabs.mu.Unlock()
		return p
	}
	idleTabs.mu.Unlock()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	p := &pooledTab{ctx: ctx, cancel: cancel}
	if err := chromedp.Listen(ctx, func(ev any) {
		if tb := p.cur.Load(); tb != nil {
			tb.listen(ev)
		}
	}); err != nil {
		cancel()
		t.Fatalf("new tab: %v", err)
	}
	sctx, scancel := stepContext(t, ctx)
	defer scancel()
	fresh, err := chromedp.Run(sctx, chromedp.Evaluate[string](emulationState))
	if err != nil {
		cancel()
		t.Fatalf("new tab: %v", err)
	}
	p.fresh = fresh
	return p
}

// release resets the tab after the scenario tb and puts it back into the
// pool; a tab that cannot be reset is closed.
func (p *pooledTab) release(t *testing.T, tb *tab) {
	err := p.reset(t, tb)
	p.cur.Store(nil)
	if err != nil {
		t.Logf("tab not reused: %v", err)
		p.cancel()
		return
	}
	idleTabs.mu.Lock()
	idleTabs.tabs = append(idleTabs.tabs, p)
	idleTabs.mu.Unlock()
}

// reset leaves the scenario's page (its pagehide handlers run while its
// server still answers) and takes from the tab all that the scenario gave
// it: the page's storage, the cookies of the browser context, the scripts
// added to every document, the emulated screen, touch and media. Then it
// checks that no cookie is left and that the page sees what it sees in a
// new tab.
func (p *pooledTab) reset(t *testing.T, tb *tab) error {
	ctx, cancel := stepContext(t, p.ctx)
	defer cancel()
	// The origin's storage goes with the page's own hands: another
	// scenario's server may get the same port, and so the same origin.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { try { localStorage.clear(); sessionStorage.clear() } catch (e) {} return true })()`)); err != nil {
		return fmt.Errorf("clear storage: %w", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		return fmt.Errorf("leave the page: %w", err)
	}
	for _, id := range tb.scripts {
		if _, err := chromedp.Call(ctx, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: id}); err != nil {
			return fmt.Errorf("remove a script: %w", err)
		}
	}
	steps := []func() error{
		func() error { _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); return err },
		func() error {
			_, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
			return err
		},
		func() error {
			_, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: false})
			return err
		},
		func() error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{}})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
	}
	left, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{tb.srv.URL + "/"}})
	if err != nil {
		return fmt.Errorf("read cookies: %w", err)
	}
	if len(left.Cookies) > 0 {
		return fmt.Errorf("%d cookies left after clearing them", len(left.Cookies))
	}
	// A new document: emulation applies to it as to a new tab's.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](emulationState)); err != nil || got != p.fresh {
		return fmt.Errorf("after the reset the page sees %q, a new tab %q (%v)", got, p.fresh, err)
	}
	return nil
}
