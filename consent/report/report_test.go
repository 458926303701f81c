package report

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const (
	revA = "1111111111111111"
	revB = "2222222222222222"
)

var categories = []string{"marketing", "statistics"}

// decision is one visitor's choice in a fixture: who (an index into the
// subjects issued so far, or -1 for a new visitor), when, and what.
type decision struct {
	who      int
	at       time.Time
	method   string
	given    []string
	language string
}

// fixture posts decisions through the endpoint (consent.NewServer) with an
// injected clock, so that the records are exactly what a live endpoint
// would store.
type fixture struct {
	t        testing.TB
	st       *sqlite.Store
	now      time.Time
	rnd      *rand.ChaCha8
	servers  map[string]http.Handler
	subjects []string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "consent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &fixture{t: t, st: st, rnd: rand.NewChaCha8([32]byte{17}), servers: map[string]http.Handler{}}
}

// handler returns the endpoint serving revision rev.
func (f *fixture) handler(rev, version string) http.Handler {
	if h, ok := f.servers[rev]; ok {
		return h
	}
	h := consent.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), f.st, consent.Policy{
		Revision: rev, Version: version, Categories: categories, Languages: []string{"sv", "en", "de"},
	}, consent.Options{
		Now:  func() time.Time { return f.now },
		Rand: f.rnd,
		Rate: -1, SubjectRate: -1,
	})
	f.servers[rev] = h
	return h
}

func (f *fixture) post(rev, version string, d decision) {
	f.t.Helper()
	f.now = d.at
	choices := map[string]bool{}
	for _, c := range categories {
		choices[c] = false
	}
	for _, c := range d.given {
		choices[c] = true
	}
	body := map[string]any{"revision": rev, "version": version, "language": d.language, "method": d.method, "choices": choices}
	if d.who >= 0 {
		body["subject"] = f.subjects[d.who]
	}
	b, _ := json.Marshal(body)
	req := httptest.NewRequest("POST", "/api/consent", strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	if d.method == "gpc" {
		req.Header.Set("Sec-GPC", "1")
	}
	w := httptest.NewRecorder()
	f.handler(rev, version).ServeHTTP(w, req)
	if w.Code != 201 {
		f.t.Fatalf("POST %s: %d %s", b, w.Code, w.Body)
	}
	var rc struct {
		Subject string `json:"subject"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &rc); err != nil {
		f.t.Fatal(err)
	}
	if d.who < 0 {
		f.subjects = append(f.subjects, rc.Subject)
	}
}

// many posts n decisions like d, a minute apart, and returns the index of
// the first new subject.
func (f *fixture) many(rev, version string, n int, d decision) int {
	first := len(f.subjects)
	for i := range n {
		e := d
		e.at = d.at.Add(time.Duration(i) * time.Minute)
		if d.who >= 0 {
			e.who = d.who + i
		}
		f.post(rev, version, e)
	}
	return first
}

func day(s string, hour int) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(time.Duration(hour) * time.Hour)
}

// knownMix fills a store with a known mix over four ISO weeks of
// November 2026 and two revisions (revB released 2026-11-16):
//
//	week 45 (revA): 20 accept-all sv, 10 accept-all en, 15 reject-all sv,
//	                12 custom en (statistics), 3 gpc sv              = 60
//	week 46 (revA): 5 accept-all sv, 4 withdraw (8 days on)        = 9
//	week 47:        nothing
//	week 48 (revB): 20 accept-all sv (10 withdrawn 30 min later),
//	                20 reject-all en, 10 custom sv (marketing),
//	                10 gpc en, 11 withdraw (of week 45's custom, 20 days on),
//	                2 accept-all de                                 = 83
func knownMix(t testing.TB) *fixture {
	f := newFixture(t)
	acc := f.many(revA, "2026.1", 20, decision{who: -1, at: day("2026-11-02", 9), method: "accept-all", given: categories, language: "sv"})
	f.many(revA, "2026.1", 10, decision{who: -1, at: day("2026-11-03", 9), method: "accept-all", given: categories, language: "en"})
	f.many(revA, "2026.1", 15, decision{who: -1, at: day("2026-11-04", 9), method: "reject-all", language: "sv"})
	cus := f.many(revA, "2026.1", 12, decision{who: -1, at: day("2026-11-05", 9), method: "custom", given: []string{"statistics"}, language: "en"})
	f.many(revA, "2026.1", 3, decision{who: -1, at: day("2026-11-06", 9), method: "gpc", language: "sv"})

	f.many(revA, "2026.1", 5, decision{who: -1, at: day("2026-11-09", 9), method: "accept-all", given: categories, language: "sv"})
	f.many(revA, "2026.1", 4, decision{who: acc, at: day("2026-11-10", 9), method: "withdraw", language: "sv"})

	b := f.many(revB, "2026.2", 20, decision{who: -1, at: day("2026-11-23", 9), method: "accept-all", given: categories, language: "sv"})
	f.many(revB, "2026.2", 10, decision{who: b, at: day("2026-11-23", 9).Add(30 * time.Minute), method: "withdraw", language: "sv"})
	f.many(revB, "2026.2", 20, decision{who: -1, at: day("2026-11-24", 9), method: "reject-all", language: "en"})
	f.many(revB, "2026.2", 10, decision{who: -1, at: day("2026-11-25", 9), method: "custom", given: []string{"marketing"}, language: "sv"})
	f.many(revB, "2026.2", 10, decision{who: -1, at: day("2026-11-26", 9), method: "gpc", language: "en"})
	f.many(revB, "2026.2", 11, decision{who: cus, at: day("2026-11-25", 9), method: "withdraw", language: "en"})
	f.many(revB, "2026.2", 2, decision{who: -1, at: day("2026-11-27", 9), method: "accept-all", given: categories, language: "de"})
	return f
}

var releases = []Release{
	{Version: "2026.1", Revision: revA, Date: day("2026-11-01", 0)},
	{Version: "2026.2", Revision: revB, Date: day("2026-11-16", 0)},
}

// golden compares got with testdata/NAME, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestKnownMixGivesKnownTables(t *testing.T) {
	f := knownMix(t)
	rep, err := Build(context.Background(), f.st, Options{By: ByWeek, Releases: releases, Now: day("2026-12-01", 12)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := rep.Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"decisions.csv", "categories.csv", "withdrawals.csv", "languages.csv"} {
		golden(t, "known-mix/"+name, files[name])
	}
	if rep.Verify.Broken != nil || rep.Verify.Records != 152 || rep.Counted != 152 {
		t.Errorf("verified %d records (broken: %v), counted %d; want 152, 152", rep.Verify.Records, rep.Verify.Broken, rep.Counted)
	}
	chain := string(files["chain.csv"])
	for _, want := range []string{"chain,verified\n", "records in the chain,152\n", "chain head hash," + rep.Verify.Chain.HeadHash + "\n", "anchors,none given"} {
		if !strings.Contains(chain, want) {
			t.Errorf("chain.csv lacks %q:\n%s", want, chain)
		}
	}
}
