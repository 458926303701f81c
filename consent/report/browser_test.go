package report

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const howToRun = `run: eval "$(bash .ci/browser.sh)" then go test ./consent/report -run Browser`

// missing skips the test locally and fails it in CI, where the tools must be.
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing in CI; %s", what, howToRun)
	}
	t.Skipf("%s is missing; %s", what, howToRun)
}

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

// TestBrowserReportPassesAxeUnderStrictCSP opens the report of the known
// mix in headless Chromium, served with Content-Security-Policy:
// default-src 'self' and nothing else, and runs axe-core in the light and
// dark colour schemes and in print: no violation, no CSP report, and the
// stylesheet (so the charts' colours) applies in each.
func TestBrowserReportPassesAxeUnderStrictCSP(t *testing.T) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		missing(t, "chromium")
	}
	axePath := os.Getenv("INTEGRITET_AXE")
	if axePath == "" {
		missing(t, "axe-core (INTEGRITET_AXE)")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("INTEGRITET_AXE: %v", err)
	}
	f := knownMix(t)
	rep, err := Build(context.Background(), f.st, Options{By: ByWeek, Releases: releases, Now: day("2026-12-01", 12)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := rep.Files()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "favicon.ico" { // the browser's own request, not the page's
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if name == "" {
			name = "index.html"
		}
		b, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		switch {
		case strings.HasSuffix(name, ".html"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case strings.HasSuffix(name, ".css"):
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		default:
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		}
		w.Write(b)
	}))
	defer srv.Close()

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("force-color-profile", "srgb"))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	var mu sync.Mutex
	var console []string
	if err := chromedp.Listen(ctx, func(ev any) {
		var m string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			for _, a := range ev.Args {
				m += string(a.Value) + a.Description + " "
			}
		case *runtime.EventExceptionThrown:
			m = "exception: " + ev.ExceptionDetails.Text
		case *log.EventEntryAdded:
			m = string(ev.Entry.Level) + ": " + ev.Entry.Text
		default:
			return
		}
		mu.Lock()
		console = append(console, m)
		mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
	}); err != nil {
		t.Fatal(err)
	}
	eval := func(expr string, out any) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		v, err := chromedp.Run(c, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if err := json.Unmarshal(v, out); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	var ok bool
	eval(`{`+string(axe)+`}; true`, &ok)
	for _, mode := range []struct {
		name, media, scheme, fill string
	}{
		{"light", "", "light", "rgb(0, 114, 178)"},
		{"dark", "", "dark", "rgb(86, 180, 233)"},
		{"print", "print", "dark", "rgb(0, 114, 178)"},
	} {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Media: mode.media, Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: mode.scheme}},
		}); err != nil {
			t.Fatal(err)
		}
		var fill string
		eval(`getComputedStyle(document.querySelector('svg.chart rect.s0')).fill`, &fill)
		if fill != mode.fill {
			t.Errorf("%s: the first series is filled %s, want %s: report.css did not apply", mode.name, fill, mode.fill)
		}
		var res axeResult
		eval(`axe.run(document, {resultTypes: ['violations']}).then(r => ({violations: r.violations, passes: r.passes.length}))`, &res)
		if res.Passes == 0 {
			t.Fatalf("%s: axe checked nothing", mode.name)
		}
		for _, v := range res.Violations {
			for _, n := range v.Nodes {
				t.Errorf("%s: axe %s (%s) at %v: %s", mode.name, v.ID, v.Help, n.Target, n.Summary)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, m := range console {
		t.Errorf("console: %s", m)
	}
}
