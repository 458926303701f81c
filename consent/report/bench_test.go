package report

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
)

var benchRecords = flag.Int("report.records", 1_000_000, "records in the store of BenchmarkReport")

// BenchmarkReport fills a SQLite store with -report.records records once
// (through the store's append path, 512 appenders sharing group commits),
// then measures b.N rounds of `consent verify` (consent.Verify) and of the
// report (Build and Files) over it, alternately, so that both see the same
// machine load. It reports the median of each and their ratio:
//
//	go test ./consent/report -run '^$' -bench Report -benchtime 5x -timeout 30m
func BenchmarkReport(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "consent.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	fill(b, st, *benchRecords)
	b.Logf("filled %d records in %v", *benchRecords, time.Since(start).Round(time.Second))
	// A benchmark with sub-benchmarks runs once: the store is filled once.
	b.Run(fmt.Sprintf("records=%d", *benchRecords), func(b *testing.B) { rounds(b, st) })
}

func rounds(b *testing.B, st *sqlite.Store) {
	ctx := context.Background()
	var verify, report []time.Duration
	for range b.N {
		t0 := time.Now()
		v, err := consent.Verify(ctx, st)
		if err != nil || v.Broken != nil || v.Records != int64(*benchRecords) {
			b.Fatalf("verify: %d records, %v, %v", v.Records, v.Broken, err)
		}
		t1 := time.Now()
		rep, err := Build(ctx, st, Options{By: ByWeek, Now: t1})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := rep.Files(); err != nil {
			b.Fatal(err)
		}
		if rep.Counted != int64(*benchRecords) {
			b.Fatalf("report counted %d records", rep.Counted)
		}
		verify = append(verify, t1.Sub(t0))
		report = append(report, time.Since(t1))
	}
	mv, mr := median(verify), median(report)
	b.ReportMetric(mr.Seconds(), "report-s")
	b.ReportMetric(mv.Seconds(), "verify-s")
	b.ReportMetric(mr.Seconds()/mv.Seconds(), "report/verify")
	b.Logf("rounds: verify %v, report %v", verify, report)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// fill appends n records: 90 days of decisions, two revisions, three
// languages, every method, a fifth of them by a visitor seen before.
func fill(b *testing.B, st *sqlite.Store, n int) {
	ctx := context.Background()
	base := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	methods := consent.Methods()
	langs := []string{"sv", "en", "de"}
	const workers = 512
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var seen []string
			for i := w; i < n; i += workers {
				at := base.Add(time.Duration(i) * 90 * 24 * time.Hour / time.Duration(n))
				var rnd [16]byte
				binary.LittleEndian.PutUint64(rnd[:], uint64(i))
				m := methods[i%len(methods)]
				subject := ""
				if len(seen) > 0 && (i%5 == 0 || m == "withdraw") {
					subject = seen[i%len(seen)]
				} else {
					subject = st.IssueSubject(at, rnd[:])
					seen = append(seen, subject)
				}
				rev, ver := "1111111111111111", "2026.1"
				if i > n/2 {
					rev, ver = "2222222222222222", "2026.2"
				}
				choices := map[string]bool{"statistics": false, "marketing": false}
				switch m {
				case "accept-all":
					choices["statistics"], choices["marketing"] = true, true
				case "custom":
					choices["statistics"] = i%3 == 0
					choices["marketing"] = i%7 == 0
				}
				_, err := st.Append(ctx, consent.Record{ID: fmt.Sprintf("%032x", i+1), Subject: subject, Time: at,
					Version: ver, Revision: rev, Language: langs[i%len(langs)], Method: m, Choices: choices, GPC: m == "gpc"})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}
