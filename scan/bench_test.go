package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BenchmarkScan20Pages scans a 20-page site on loopback (each page with the
// real banner, a gated statistics script and a gated image from a second
// loopback host): 20 pages times three passes, each page read once its
// network has been idle for 500 ms. Target: at most 30 s on this
// machine. Each iteration also runs a baseline in the same conditions:
// the same Chromium flags, three fresh profiles, the same 20 pages, plain
// navigation and nothing recorded. It reports the medians, their ratio, and
// the peak memory (PSS) of the browser's processes during the scan.
//
//	go test ./scan -run '^$' -bench Scan20Pages -benchtime 5x
func BenchmarkScan20Pages(b *testing.B) {
	exe := needChromium(b)
	public, root := buildSite(b, map[string]string{"zz-scan.toml": cleanTOML(b)})
	tp := thirdParty(b)
	var pages []string
	for i := range 20 {
		next := fmt.Sprintf("/shop/%d/", (i+1)%20)
		body := fixturePage(b, "page.html", "{{title}}", "Page "+strconv.Itoa(i), "{{snippet}}", snippet(b, public, "sv"), "{{tp}}", tp.URL,
			"{{pixel}}", `<a href="`+next+`">next</a>`, "{{app}}", "clean-app.js", "{{stats}}", "clean-stats.js")
		writeFile(b, filepath.Join(public, "shop", strconv.Itoa(i), "index.html"), body)
		pages = append(pages, fmt.Sprintf("/shop/%d/", i))
	}
	for _, f := range []string{"clean-app.js", "clean-stats.js"} {
		writeFile(b, filepath.Join(public, "shop", f), fixturePage(b, f))
	}
	srv := serveSite(b, public, root, nil)
	var scans, bases []time.Duration
	var peak int64
	b.ResetTimer()
	for range b.N {
		stop := sampleRSS(&peak)
		t0 := time.Now()
		res, err := Run(context.Background(), srv.URL+pages[0], Options{Pages: 20, OnlyHosts: loopback})
		scans = append(scans, time.Since(t0))
		stop()
		if err != nil {
			b.Fatal(err)
		}
		for _, ev := range res.Passes {
			if len(ev.Pages) != 20 || len(ev.Problems) > 0 {
				b.Fatalf("%s pass visited %d pages, want 20; problems: %q", ev.Pass, len(ev.Pages), ev.Problems)
			}
		}
		t0 = time.Now()
		if err := baseline(exe, srv.URL, pages); err != nil {
			b.Fatal(err)
		}
		bases = append(bases, time.Since(t0))
	}
	b.StopTimer()
	ms, mb := median(scans), median(bases)
	b.ReportMetric(ms.Seconds(), "s-median-scan")
	b.ReportMetric(slices.Max(scans).Seconds(), "s-max-scan")
	b.ReportMetric(mb.Seconds(), "s-median-baseline")
	b.ReportMetric(float64(ms)/float64(mb), "x-baseline")
	b.ReportMetric(float64(peak)/(1<<20), "MB-peak-browser-PSS")
	b.Logf("scans %v, baselines %v", scans, bases)
	if ms > 30*time.Second {
		b.Errorf("median scan %s, target at most 30 s", ms)
	}
}

func cleanTOML(b testing.TB) string {
	t, err := os.ReadFile(filepath.Join("testdata", "fixture", "clean.toml"))
	if err != nil {
		b.Fatal(err)
	}
	return string(t)
}

// baseline opens the pages in three fresh profiles of one Chromium, as the
// scan does, and records nothing.
func baseline(exe, base string, pages []string) error {
	profile, err := os.MkdirTemp("", "integritet-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(exe), chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2"))
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range 3 {
		wg.Go(func() {
			ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
			defer cancel()
			for _, p := range pages {
				if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr(errs)
}

func firstErr(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// sampleRSS records, every 100 ms until stop, the summed memory (PSS) of
// this process's descendants (the browser and its renderers) into peak.
func sampleRSS(peak *int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss := descendantsRSS(os.Getpid()); rss > atomic.LoadInt64(peak) {
				atomic.StoreInt64(peak, rss)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// descendantsRSS sums the memory (bytes) of every process below pid, from /proc.
func descendantsRSS(pid int) int64 {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	parent := map[int]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'.
		s := string(stat)
		if i := strings.LastIndexByte(s, ')'); i >= 0 {
			if f := strings.Fields(s[i+1:]); len(f) > 1 {
				parent[p], _ = strconv.Atoi(f[1])
			}
		}
	}
	var total int64
	for p := range parent {
		for q := parent[p]; q > 1; q = parent[q] {
			if q == pid {
				total += rss(p)
				break
			}
		}
	}
	return total
}

// rss is the process's proportional set size (shared pages divided among
// the processes that share them, so the sum is not inflated), else its RSS.
func rss(pid int) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
	key := "Pss:"
	if err != nil {
		b, err = os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
		key = "VmRSS:"
	}
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, key); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
