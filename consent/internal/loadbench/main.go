// Command loadbench measures the consent endpoint against a no-op handler
// that decodes the same JSON, in one run, with wrk (Debian package wrk):
//
//	go run ./consent/internal/loadbench                      # SQLite, synchronous=FULL
//	go run ./consent/internal/loadbench -db "$INTEGRITET_TEST_POSTGRES"
//
// Both servers run in this process; wrk loads them in turn, -rounds times,
// and the medians and their ratio are printed. The rate limiter stays in
// the path with a limit no single client reaches, since all load comes
// from 127.0.0.1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
)

const body = `{"revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true,"marketing":false}}`

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

type result struct {
	rps float64
	p99 time.Duration
}

func run() error {
	db := flag.String("db", "", "store (default: SQLite in a temporary directory)")
	rounds := flag.Int("rounds", 3, "rounds of (no-op, endpoint)")
	dur := flag.Duration("d", 10*time.Second, "duration of each wrk run")
	conns := flag.Int("c", 64, "connections")
	threads := flag.Int("t", 2, "wrk threads")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the first endpoint round to `file`")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the endpoint and no-op rounds to `file`")
	flag.Parse()
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk not found: apt-get install wrk")
	}
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "loadbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if *db == "" {
		*db = "sqlite:" + filepath.Join(tmp, "consent.db")
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	policy := consent.Policy{Revision: "3f2a9c0d1e4b5a67", Version: "2026.1",
		Categories: []string{"statistics", "marketing"}, Languages: []string{"sv", "en"}}
	endpoint := consent.NewServer(slog.New(slog.NewTextHandler(os.Stderr, nil)), st, policy,
		consent.Options{Rate: 1e9, Burst: 1e9})

	noopURL, err := serve(http.HandlerFunc(noop))
	if err != nil {
		return err
	}
	endURL, err := serve(endpoint)
	if err != nil {
		return err
	}
	script := filepath.Join(tmp, "post.lua")
	lua := fmt.Sprintf("wrk.method = \"POST\"\nwrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", body)
	if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
		return err
	}
	before, err := st.Chain(ctx)
	if err != nil {
		return err
	}
	var noops, ends []result
	var ratios []float64
	for i := range *rounds {
		n, err := wrk(script, noopURL, *threads, *conns, *dur)
		if err != nil {
			return err
		}
		if *profile != "" && i == 0 {
			f, err := os.Create(*profile)
			if err != nil {
				return err
			}
			pprof.StartCPUProfile(f)
		}
		e, err := wrk(script, endURL+"/api/consent", *threads, *conns, *dur)
		if *profile != "" && i == 0 {
			pprof.StopCPUProfile()
		}
		if err != nil {
			return err
		}
		noops, ends = append(noops, n), append(ends, e)
		ratios = append(ratios, e.rps/n.rps)
		fmt.Printf("round %d: no-op %8.0f req/s p99 %-8v endpoint %8.0f req/s p99 %-8v ratio %.2f\n",
			i+1, n.rps, n.p99, e.rps, e.p99, e.rps/n.rps)
	}
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			return err
		}
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	after, err := st.Chain(ctx)
	if err != nil {
		return err
	}
	mn, me := median(noops), median(ends)
	fmt.Printf("median (%d rounds, wrk -t%d -c%d -d%v, store %s):\n", *rounds, *threads, *conns, *dur, scheme(*db))
	fmt.Printf("  no-op    %8.0f req/s  p99 %v\n", mn.rps, mn.p99)
	fmt.Printf("  endpoint %8.0f req/s  p99 %v\n", me.rps, me.p99)
	slices.Sort(ratios)
	fmt.Printf("  ratio endpoint/no-op: %.2f (median of per-round ratios)\n", ratios[len(ratios)/2])
	fmt.Printf("  records committed: %d\n", after.HeadSeq-before.HeadSeq)
	v, err := consent.Verify(ctx, st)
	if err != nil {
		return err
	}
	if v.Broken != nil {
		return v.Broken
	}
	fmt.Printf("  chain verified: %d records\n", v.Records)
	return nil
}

func scheme(dsn string) string {
	if u, _, ok := cutAny(dsn, ":"); ok {
		return u
	}
	return dsn
}

func cutAny(s, sep string) (string, string, bool) {
	for i := range s {
		if s[i:i+1] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// noop decodes the same JSON as the endpoint, strictly, and answers 204.
func noop(w http.ResponseWriter, r *http.Request) {
	var d struct {
		Subject, Revision, Version, Language, Method string
		Choices                                      map[string]bool
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, consent.MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), nil
}

var (
	rpsLine = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p99Line = regexp.MustCompile(`\n\s+99%\s+([0-9.]+)(us|ms|s)`)
	non2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

func wrk(script, url string, threads, conns int, d time.Duration) (result, error) {
	out, err := exec.Command("wrk", "-t"+strconv.Itoa(threads), "-c"+strconv.Itoa(conns),
		"-d"+strconv.Itoa(int(d.Seconds()))+"s", "--latency", "-s", script, url).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	if m := non2xx.FindSubmatch(out); m != nil {
		return result{}, fmt.Errorf("wrk %s: %s responses were not 2xx\n%s", url, m[1], out)
	}
	m := rpsLine.FindSubmatch(out)
	p := p99Line.FindSubmatch(out)
	if m == nil || p == nil {
		return result{}, fmt.Errorf("cannot read wrk output:\n%s", out)
	}
	rps, _ := strconv.ParseFloat(string(m[1]), 64)
	v, _ := strconv.ParseFloat(string(p[1]), 64)
	unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(p[2])]
	return result{rps: rps, p99: time.Duration(v * float64(unit)).Round(10 * time.Microsecond)}, nil
}

func median(rs []result) result {
	byRPS := slices.Clone(rs)
	slices.SortFunc(byRPS, func(a, b result) int { return int(a.rps - b.rps) })
	byP99 := slices.Clone(rs)
	slices.SortFunc(byP99, func(a, b result) int { return int(a.p99 - b.p99) })
	return result{rps: byRPS[len(rs)/2].rps, p99: byP99[len(rs)/2].p99}
}
