// Command loadbench measures the consent endpoint against a no-op handler
// that decodes the same JSON, in one run, with wrk (Debian package wrk):
//
//	go run ./consent/internal/loadbench                      # SQLite, synchronous=FULL
//	go run ./consent/internal/loadbench -db "$INTEGRITET_TEST_POSTGRES"
//	go run ./consent/internal/loadbench -db "$INTEGRITET_TEST_POSTGRES" -replicas 1,2,4
//
// The servers run in this process; wrk loads them in turn, -rounds times,
// and the medians and their ratio are printed. With -replicas, each entry
// n is n stores on the same database (each with its own writer and
// connections, as n endpoint processes have) behind one listener that
// hands requests to them in turn, so that the runs differ only in how
// many writers contend for the chain head. Answers other than 2xx are
// counted and reported, not hidden. The rate limiter stays in
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
	"strings"
	"sync/atomic"
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
	rps    float64
	p99    time.Duration
	non2xx int64
}

func run() error {
	db := flag.String("db", "", "store (default: SQLite in a temporary directory)")
	rounds := flag.Int("rounds", 3, "rounds of (no-op, endpoint)")
	dur := flag.Duration("d", 10*time.Second, "duration of each wrk run")
	conns := flag.Int("c", 64, "connections")
	threads := flag.Int("t", 2, "wrk threads")
	replicas := flag.String("replicas", "1", "comma-separated replica counts to measure in the same run, e.g. 1,2,4")
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
	var counts []int
	for _, f := range strings.Split(*replicas, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 16 {
			return fmt.Errorf("-replicas %q: want counts from 1 to 16, e.g. 1,2,4", *replicas)
		}
		counts = append(counts, n)
	}
	policy := consent.Policy{Revision: "3f2a9c0d1e4b5a67", Version: "2026.1",
		Categories: []string{"statistics", "marketing"}, Languages: []string{"sv", "en"}}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var stores []consent.Store
	defer func() {
		for _, st := range stores {
			st.Close()
		}
	}()
	open := func() (consent.Store, error) {
		st, err := store.Open(ctx, *db)
		if err == nil {
			stores = append(stores, st)
		}
		return st, err
	}
	st, err := open()
	if err != nil {
		return err
	}
	type target struct {
		replicas int
		url      string
	}
	var targets []target
	for _, n := range counts {
		var hs []http.Handler
		for i := range n {
			rs := st
			if i > 0 || len(targets) > 0 {
				if rs, err = open(); err != nil {
					return err
				}
			}
			hs = append(hs, consent.NewServer(log, rs, policy, consent.Options{Rate: 1e9, Burst: 1e9, SubjectRate: -1}))
		}
		var next atomic.Uint64
		url, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hs[next.Add(1)%uint64(len(hs))].ServeHTTP(w, r)
		}))
		if err != nil {
			return err
		}
		targets = append(targets, target{n, url})
	}

	noopURL, err := serve(http.HandlerFunc(noop))
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
	var noops []result
	ends := make([][]result, len(targets))
	ratios := make([][]float64, len(targets))
	for i := range *rounds {
		n, err := wrk(script, noopURL, *threads, *conns, *dur)
		if err != nil {
			return err
		}
		noops = append(noops, n)
		fmt.Printf("round %d: no-op %8.0f req/s p99 %-8v", i+1, n.rps, n.p99)
		for j, tg := range targets {
			if *profile != "" && i == 0 && j == 0 {
				f, err := os.Create(*profile)
				if err != nil {
					return err
				}
				pprof.StartCPUProfile(f)
			}
			e, err := wrk(script, tg.url+"/api/consent", *threads, *conns, *dur)
			if *profile != "" && i == 0 && j == 0 {
				pprof.StopCPUProfile()
			}
			if err != nil {
				return err
			}
			ends[j] = append(ends[j], e)
			ratios[j] = append(ratios[j], e.rps/n.rps)
			fmt.Printf("  %d replica(s) %8.0f req/s p99 %-8v non-2xx %d", tg.replicas, e.rps, e.p99, e.non2xx)
		}
		fmt.Println()
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
	mn := median(noops)
	fmt.Printf("median (%d rounds, wrk -t%d -c%d -d%v, store %s):\n", *rounds, *threads, *conns, *dur, scheme(*db))
	fmt.Printf("  no-op              %8.0f req/s  p99 %v\n", mn.rps, mn.p99)
	for j, tg := range targets {
		me := median(ends[j])
		slices.Sort(ratios[j])
		var bad int64
		for _, e := range ends[j] {
			bad += e.non2xx
		}
		fmt.Printf("  endpoint, %d replica(s) %8.0f req/s  p99 %v  ratio to no-op %.2f (median of per-round ratios)  non-2xx %d\n",
			tg.replicas, me.rps, me.p99, ratios[j][len(ratios[j])/2], bad)
	}
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
	var bad int64
	if m := non2xx.FindSubmatch(out); m != nil {
		bad, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	m := rpsLine.FindSubmatch(out)
	p := p99Line.FindSubmatch(out)
	if m == nil || p == nil {
		return result{}, fmt.Errorf("cannot read wrk output:\n%s", out)
	}
	rps, _ := strconv.ParseFloat(string(m[1]), 64)
	v, _ := strconv.ParseFloat(string(p[1]), 64)
	unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(p[2])]
	return result{rps: rps, p99: time.Duration(v * float64(unit)).Round(10 * time.Microsecond), non2xx: bad}, nil
}

func median(rs []result) result {
	byRPS := slices.Clone(rs)
	slices.SortFunc(byRPS, func(a, b result) int { return int(a.rps - b.rps) })
	byP99 := slices.Clone(rs)
	slices.SortFunc(byP99, func(a, b result) int { return int(a.p99 - b.p99) })
	return result{rps: byRPS[len(rs)/2].rps, p99: byP99[len(rs)/2].p99}
}
