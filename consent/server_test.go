package consent_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
)

const (
	rev    = "3f2a9c0d1e4b5a67"
	site   = "https://www.framsteget.se"
	subjA  = "0123456789abcdef0123456789abcdef"
	good   = `{"revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true,"marketing":false}}`
	jsonCT = "application/json"
)

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 123_456_789, time.UTC)

func testPolicy() consent.Policy {
	return consent.Policy{
		Revision:   rev,
		Version:    "2026.1",
		Categories: []string{"statistics", "marketing"},
		Languages:  []string{"sv", "en"},
		Origins:    []string{site},
	}
}

// counter is a deterministic source of ids: every 16-byte read is the
// next number, so the first record is ...01 and its new subject ...02.
type counter struct {
	mu sync.Mutex
	n  uint64
}

func (c *counter) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(p)
	for i := 0; i+16 <= len(p); i += 16 {
		c.n++
		binary.BigEndian.PutUint64(p[i+8:], c.n)
	}
	return len(p), nil
}

func openStore(t testing.TB) consent.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "consent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newServer(t testing.TB, s consent.Store, opts consent.Options) http.Handler {
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	if opts.Rand == nil {
		opts.Rand = &counter{}
	}
	if opts.Rate == 0 {
		opts.Rate = -1
	}
	return consent.NewServer(slog.New(slog.DiscardHandler), s, testPolicy(), opts)
}

type answer struct {
	Problems        []consent.Problem `json:"problems"`
	CurrentRevision string            `json:"current_revision"`
	CurrentVersion  string            `json:"current_version"`
}

func p(field, msg string) []consent.Problem { return []consent.Problem{{Field: field, Message: msg}} }

func TestPostRejectsBadRequests(t *testing.T) {
	t.Parallel()
	repl := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	tests := []struct {
		name    string
		method  string
		path    string
		ct      string
		origin  string
		body    string
		status  int
		want    []consent.Problem
		wantRev string
	}{
		{name: "empty body", body: "", status: 400, want: p("body", "incomplete JSON")},
		{name: "not JSON", body: "hello", status: 400, want: p("body", "invalid JSON at byte 1: invalid character 'h' looking for beginning of value")},
		{name: "array", body: "[]", status: 400, want: p("body", "must be a JSON object")},
		{name: "truncated", body: good[:40], status: 400, want: p("body", "incomplete JSON")},
		{name: "trailing data", body: good + "{}", status: 400, want: p("body", "unexpected data after the JSON object")},
		{name: "unknown field", body: repl(`{`, `{"ip":"203.0.113.9",`), status: 400, want: p("ip", "unknown field")},
		{name: "duplicate field", body: repl(`{`, `{"method":"accept-all",`), status: 400, want: p("method", "given more than once")},
		{name: "missing revision", body: repl(`"revision":"3f2a9c0d1e4b5a67",`, ``), status: 400, want: p("revision", "required")},
		{name: "missing choices", body: repl(`,"choices":{"statistics":true,"marketing":false}`, ``), status: 400, want: p("choices", "required")},
		{name: "malformed revision", body: repl(rev, "3F2A9C0D1E4B5A67"), status: 400, want: p("revision", "must be 16 lowercase hex digits")},
		{name: "revision not a string", body: repl(`"`+rev+`"`, `12`), status: 400, want: p("revision", "must be a string")},
		{name: "null version", body: repl(`"2026.1"`, `null`), status: 400, want: p("version", "must be a string")},
		{name: "unknown language", body: repl(`"sv"`, `"de"`), status: 400, want: p("language", `must be one of "sv", "en"`)},
		{name: "unknown method", body: repl(`"custom"`, `"maybe"`), status: 400, want: p("method", `must be one of "accept-all", "reject-all", "custom", "withdraw", "gpc"`)},
		{name: "malformed subject", body: repl(`{`, `{"subject":"`+strings.ToUpper(subjA)+`",`), status: 400, want: p("subject", "must be 32 lowercase hex digits as issued by this server")},
		{name: "subject a number", body: repl(`{`, `{"subject":1,`), status: 400, want: p("subject", "must be a string")},
		{name: "unknown category", body: repl(`"marketing":false`, `"marketing":false,"foo":true`), status: 400, want: p("choices.foo", `unknown consent category "foo"`)},
		{name: "necessary is no choice", body: repl(`"marketing":false`, `"marketing":false,"necessary":true`), status: 400, want: p("choices.necessary", `unknown consent category "necessary"`)},
		{name: "missing category", body: repl(`,"marketing":false`, ``), status: 400, want: p("choices.marketing", `missing: the decision must give or refuse consent category "marketing"`)},
		{name: "choice not boolean", body: repl(`"statistics":true`, `"statistics":"yes"`), status: 400, want: p("choices.statistics", "must be true or false")},
		{name: "choice null", body: repl(`"statistics":true`, `"statistics":null`), status: 400, want: p("choices.statistics", "must be true or false")},
		{name: "duplicate choice", body: repl(`"statistics":true`, `"statistics":true,"statistics":false`), status: 400, want: p("choices.statistics", "given more than once")},
		{name: "choices an array", body: repl(`{"statistics":true,"marketing":false}`, `["statistics"]`), status: 400, want: p("choices", "must be an object of category keys to true or false")},
		{name: "accept-all refusing", body: repl(`"custom"`, `"accept-all"`), status: 400, want: p("method", `"accept-all" must give every category`)},
		{name: "reject-all giving", body: repl(`"custom"`, `"reject-all"`), status: 400, want: p("method", `"reject-all" must refuse every category`)},
		{name: "gpc giving", body: repl(`"custom"`, `"gpc"`), status: 400, want: p("method", `"gpc" must refuse every category`)},
		{name: "several problems at once", body: `{"revision":"x","language":"d e","extra":1}`, status: 400, want: []consent.Problem{
			{Field: "choices", Message: "required"},
			{Field: "extra", Message: "unknown field"},
			{Field: "language", Message: `must be a language tag such as "sv"`},
			{Field: "method", Message: "required"},
			{Field: "revision", Message: "must be 16 lowercase hex digits"},
			{Field: "version", Message: "required"},
		}},
		// A page of a build the endpoint does not run yet, in a language
		// added since: the revision decides (409, sent again later), not
		// the language (400, dropped).
		{name: "stale revision in a new language", body: strings.Replace(repl(rev, "0000000000000000"), `"sv"`, `"de"`, 1), status: 409, wantRev: rev,
			want: p("revision", `notice revision 0000000000000000 version "2026.1" is not the current one; ask again with revision 3f2a9c0d1e4b5a67 version "2026.1"`)},
		{name: "stale revision", body: repl(rev, "0000000000000000"), status: 409, wantRev: rev,
			want: p("revision", `notice revision 0000000000000000 version "2026.1" is not the current one; ask again with revision 3f2a9c0d1e4b5a67 version "2026.1"`)},
		{name: "stale version", body: repl(`"2026.1"`, `"2025.2"`), status: 409, wantRev: rev,
			want: p("revision", `notice revision 3f2a9c0d1e4b5a67 version "2025.2" is not the current one; ask again with revision 3f2a9c0d1e4b5a67 version "2026.1"`)},
		{name: "stale revision wins over its categories", body: strings.Replace(repl(rev, "1111111111111111"), `"marketing":false`, `"ads":false`, 1), status: 409, wantRev: rev,
			want: p("revision", `notice revision 1111111111111111 version "2026.1" is not the current one; ask again with revision 3f2a9c0d1e4b5a67 version "2026.1"`)},
		{name: "too large", body: `{"x":"` + strings.Repeat("a", consent.MaxBody) + `"}`, status: 413, want: p("body", "larger than 4096 bytes")},
		{name: "html content type", ct: "text/html", body: good, status: 415, want: p("Content-Type", "must be application/json (or text/plain;charset=UTF-8 as sendBeacon sends)")},
		{name: "form content type", ct: "application/x-www-form-urlencoded", body: good, status: 415, want: p("Content-Type", "must be application/json (or text/plain;charset=UTF-8 as sendBeacon sends)")},
		{name: "latin1 charset", ct: "application/json; charset=iso-8859-1", body: good, status: 415, want: p("Content-Type", "must be application/json (or text/plain;charset=UTF-8 as sendBeacon sends)")},
		{name: "no content type", ct: "-", body: good, status: 415, want: p("Content-Type", "missing: must be application/json (or text/plain;charset=UTF-8 as sendBeacon sends)")},
		{name: "foreign origin", origin: "https://evil.example", body: good, status: 403, want: p("Origin", "origin not allowed")},
		{name: "opaque origin", origin: "null", body: good, status: 403, want: p("Origin", "origin not allowed")},
		{name: "history of malformed subject", method: "GET", path: "/api/consent/xyz", status: 400, want: p("subject", "must be 32 lowercase hex digits")},
		{name: "history of unknown subject", method: "GET", path: "/api/consent/" + subjA, status: 404, want: p("subject", "no consent recorded for this subject")},
		{name: "preflight from foreign origin", method: "OPTIONS", origin: "https://evil.example", status: 403, want: p("Origin", "origin not allowed")},
		{name: "preflight for another method", method: "OPTIONS", origin: site, status: 403, want: p("Access-Control-Request-Method", "only POST is allowed")},
	}
	h := newServer(t, openStore(t), consent.Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			method, path, ct := tc.method, tc.path, tc.ct
			if method == "" {
				method = "POST"
			}
			if path == "" {
				path = "/api/consent"
			}
			if ct == "" {
				ct = jsonCT
			}
			req := httptest.NewRequest(method, path, strings.NewReader(tc.body))
			if ct != "-" {
				req.Header.Set("Content-Type", ct)
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tc.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var got answer
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("answer %q: %v", w.Body, err)
			}
			if !reflect.DeepEqual(got.Problems, tc.want) {
				t.Errorf("problems\n got %+v\nwant %+v", got.Problems, tc.want)
			}
			if got.CurrentRevision != tc.wantRev {
				t.Errorf("current_revision %q, want %q", got.CurrentRevision, tc.wantRev)
			}
		})
	}
}

func post(t *testing.T, h http.Handler, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/consent", strings.NewReader(body))
	req.Header.Set("Content-Type", jsonCT)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

type receipt struct {
	RecordID string          `json:"record_id"`
	Seq      int64           `json:"seq"`
	PrevHash string          `json:"prev_hash"`
	Subject  string          `json:"subject"`
	Time     string          `json:"time"`
	Revision string          `json:"revision"`
	Hash     string          `json:"hash"`
	Method   string          `json:"method"`
	Choices  map[string]bool `json:"choices"`
	GPC      bool            `json:"gpc"`
}

func TestPostRecordsAndHistoryReturnsThem(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	h := newServer(t, store, consent.Options{})

	w := post(t, h, good, "Origin", site)
	if w.Code != 201 {
		t.Fatalf("first decision: %d %s", w.Code, w.Body)
	}
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != site {
		t.Errorf("Access-Control-Allow-Origin %q", got)
	}
	var first receipt
	json.Unmarshal(w.Body.Bytes(), &first)
	// The store issues the subject: 32 hex digits that look random.
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(first.Subject) || strings.HasPrefix(first.Subject, "0000") {
		t.Errorf("subject %q", first.Subject)
	}
	want := receipt{RecordID: "00000000000000000000000000000001", Seq: 1, Subject: first.Subject,
		Time: "2026-11-24T10:00:00.123Z", Revision: rev, Hash: first.Hash}
	if !reflect.DeepEqual(first, want) || len(first.Hash) != 64 {
		t.Errorf("receipt %+v, want %+v", first, want)
	}

	// The banner sends the subject back next time; sendBeacon's type, GPC.
	second := strings.Replace(good, `{`, `{"subject":"`+first.Subject+`",`, 1)
	second = strings.Replace(second, `"custom"`, `"gpc"`, 1)
	second = strings.Replace(second, `"statistics":true`, `"statistics":false`, 1)
	req := httptest.NewRequest("POST", "/api/consent", strings.NewReader(second))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("Sec-GPC", "1")
	rw := httptest.NewRecorder()
	h.ServeHTTP(rw, req)
	if rw.Code != 201 {
		t.Fatalf("second decision: %d %s", rw.Code, rw.Body)
	}

	hr := httptest.NewRecorder()
	h.ServeHTTP(hr, httptest.NewRequest("GET", "/api/consent/"+first.Subject, nil))
	if hr.Code != 200 {
		t.Fatalf("history: %d %s", hr.Code, hr.Body)
	}
	var hist struct {
		Subject string    `json:"subject"`
		Records []receipt `json:"records"`
	}
	json.Unmarshal(hr.Body.Bytes(), &hist)
	if hist.Subject != first.Subject || len(hist.Records) != 2 {
		t.Fatalf("history %+v", hist)
	}
	if r := hist.Records[1]; r.Method != "gpc" || !r.GPC || r.Choices["statistics"] || r.Choices["marketing"] {
		t.Errorf("second record %+v", r)
	}
	if r := hist.Records[0]; r.GPC || !r.Choices["statistics"] || r.Hash != first.Hash || r.Seq != 1 || r.PrevHash != consent.GenesisHash {
		t.Errorf("first record %+v", r)
	}
	if r := hist.Records[1]; r.Seq != 2 || r.PrevHash != first.Hash {
		t.Errorf("second record: seq %d prev_hash %s", r.Seq, r.PrevHash)
	}
	if cc := hr.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	v, err := consent.Verify(context.Background(), store)
	if err != nil || v.Broken != nil || v.Records != 2 {
		t.Errorf("verify: %+v %v", v, err)
	}
}

func TestSameOriginIsAllowedWithoutListing(t *testing.T) {
	t.Parallel()
	h := newServer(t, openStore(t), consent.Options{})
	req := httptest.NewRequest("POST", "http://consent.example/api/consent", strings.NewReader(good))
	req.Header.Set("Content-Type", jsonCT)
	req.Header.Set("Origin", "https://consent.example")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 201 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}

func TestPreflightAllowsListedOrigin(t *testing.T) {
	t.Parallel()
	h := newServer(t, openStore(t), consent.Options{})
	req := httptest.NewRequest("OPTIONS", "/api/consent", nil)
	req.Header.Set("Origin", site)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 204 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	for k, v := range map[string]string{
		"Access-Control-Allow-Origin":  site,
		"Access-Control-Allow-Methods": "POST",
		"Access-Control-Allow-Headers": "Content-Type",
		"Access-Control-Max-Age":       "86400",
	} {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	t.Parallel()
	now := testNow
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h := newServer(t, openStore(t), consent.Options{Now: clock, Rate: 1, Burst: 2})
	for i, want := range []int{201, 201, 429} {
		if w := post(t, h, good); w.Code != want {
			t.Fatalf("request %d: %d, want %d", i, w.Code, want)
		} else if want == 429 && w.Header().Get("Retry-After") != "1" {
			t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
		}
	}
	// Another client is not affected.
	req := httptest.NewRequest("POST", "/api/consent", strings.NewReader(good))
	req.Header.Set("Content-Type", jsonCT)
	req.RemoteAddr = "198.51.100.7:4000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 201 {
		t.Errorf("other client: %d", w.Code)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if w := post(t, h, good); w.Code != 201 {
		t.Errorf("after a second: %d", w.Code)
	}
}

type failingStore struct{ consent.Store }

func (failingStore) IssueSubject(time.Time, []byte) string { return subjA }

func (failingStore) Append(context.Context, consent.Record) (consent.Record, error) {
	return consent.Record{}, errors.New("disk on fire at /var/lib/secret")
}

func TestStoreErrorIsLoggedNotSent(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := consent.NewServer(slog.New(slog.NewTextHandler(&logs, nil)), failingStore{}, testPolicy(), consent.Options{Rate: -1})
	w := post(t, h, good)
	if w.Code != 503 || strings.Contains(w.Body.String(), "fire") || w.Header().Get("Retry-After") == "" {
		t.Errorf("%d %s", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("not logged: %q", logs.String())
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	h := newServer(t, openStore(t), consent.Options{})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
	if b, _ := io.ReadAll(w.Body); w.Code != 200 || string(b) != "ok\n" {
		t.Errorf("%d %q", w.Code, b)
	}
}

func TestWrongMethodIs405(t *testing.T) {
	t.Parallel()
	h := newServer(t, openStore(t), consent.Options{})
	for _, m := range []string{"PUT", "DELETE", "PATCH"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(m, "/api/consent", strings.NewReader(good)))
		if w.Code != 405 {
			t.Errorf("%s: %d", m, w.Code)
		}
	}
}

// A subject the endpoint did not issue is never written: otherwise anyone
// could append records to a made-up id (or another visitor's). The decision
// is recorded under a new subject, which the receipt gives, so that it is
// not lost (a store started afresh, a cookie shared with another site).
func TestMadeUpSubjectGetsANewOne(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	h := newServer(t, st, consent.Options{})
	w := post(t, h, strings.Replace(good, `{`, `{"subject":"`+subjA+`",`, 1))
	var got receipt
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 201 || got.Subject == subjA || len(got.Subject) != 32 {
		t.Fatalf("made-up subject: %d %s", w.Code, w.Body)
	}
	if recs, err := st.Subject(context.Background(), subjA, 0, 10); err != nil || len(recs) != 0 {
		t.Errorf("records under the made-up subject: %v %v", recs, err)
	}
	if recs, err := st.Subject(context.Background(), got.Subject, 0, 10); err != nil || len(recs) != 1 {
		t.Errorf("records under the new subject: %v %v", recs, err)
	}
}

func decide(t *testing.T, h http.Handler, subject string) receipt {
	t.Helper()
	body := good
	if subject != "" {
		body = strings.Replace(good, `{`, `{"subject":"`+subject+`",`, 1)
	}
	w := post(t, h, body)
	if w.Code != 201 {
		t.Fatalf("decision: %d %s", w.Code, w.Body)
	}
	var rc receipt
	json.Unmarshal(w.Body.Bytes(), &rc)
	return rc
}

// Each visitor may record only so many decisions: a burst, then one per
// SubjectRate. Other visitors are not affected.
func TestAppendsPerSubjectAreLimited(t *testing.T) {
	t.Parallel()
	h := newServer(t, openStore(t), consent.Options{SubjectRate: 0.001, SubjectBurst: 3})
	first := decide(t, h, "")
	for range 3 {
		decide(t, h, first.Subject)
	}
	w := post(t, h, strings.Replace(good, `{`, `{"subject":"`+first.Subject+`",`, 1))
	if w.Code != 429 || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"field":"subject"`) {
		t.Errorf("decision over the subject's limit: %d %s", w.Code, w.Body)
	}
	other := decide(t, h, "")
	decide(t, h, other.Subject)
}

type historyPage struct {
	Subject string    `json:"subject"`
	Records []receipt `json:"records"`
	Next    int64     `json:"next"`
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w
}

// A history comes a bounded page at a time, and every record in it has
// what is needed to recompute its hash.
func TestHistoryIsPagedAndCheckable(t *testing.T) {
	t.Parallel()
	h := newServer(t, openStore(t), consent.Options{SubjectRate: -1})
	subject := decide(t, h, "").Subject
	for range 6 {
		decide(t, h, subject)
	}
	var seqs []int64
	pages := 0
	for after := int64(0); ; pages++ {
		w := get(t, h, fmt.Sprintf("/api/consent/%s?limit=3&after=%d", subject, after))
		if w.Code != 200 {
			t.Fatalf("page after %d: %d %s", after, w.Code, w.Body)
		}
		var pg historyPage
		json.Unmarshal(w.Body.Bytes(), &pg)
		if len(pg.Records) > 3 {
			t.Fatalf("page of %d records, limit 3", len(pg.Records))
		}
		for _, r := range pg.Records {
			seqs = append(seqs, r.Seq)
			rec := consent.Record{Seq: r.Seq, ID: r.RecordID, Subject: r.Subject, Version: "2026.1", Revision: r.Revision,
				Language: "sv", Method: r.Method, Choices: r.Choices, GPC: r.GPC}
			rec.Time, _ = time.Parse(consent.TimeFormat, r.Time)
			if got := consent.Hash(r.PrevHash, rec); got != r.Hash {
				t.Errorf("record %d: its fields hash to %s, not its hash %s", r.Seq, got, r.Hash)
			}
		}
		if pg.Next == 0 {
			break
		}
		after = pg.Next
	}
	if fmt.Sprint(seqs) != "[1 2 3 4 5 6 7]" || pages != 2 {
		t.Errorf("pages %d gave seqs %v", pages+1, seqs)
	}
	w := get(t, h, "/api/consent/"+subject)
	var all historyPage
	json.Unmarshal(w.Body.Bytes(), &all)
	if len(all.Records) != 7 || all.Next != 0 {
		t.Errorf("default page: %d records, next %d", len(all.Records), all.Next)
	}
	for q, field := range map[string]string{"limit=0": "limit", "limit=101": "limit", "limit=x": "limit", "after=-1": "after", "after=": "after"} {
		if w := get(t, h, "/api/consent/"+subject+"?"+q); w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"`+field+`"`) {
			t.Errorf("?%s: %d %s", q, w.Code, w.Body)
		}
	}
}

type unreadyStore struct{ consent.Store }

func (unreadyStore) Ready(context.Context) error { return errors.New("disk full") }

// /healthz says the process serves; /readyz says whether the store can
// commit, so that a load balancer stops sending visitors to a replica
// whose database cannot take their records.
func TestReadinessReportsAStoreThatCannotCommit(t *testing.T) {
	t.Parallel()
	good := newServer(t, openStore(t), consent.Options{})
	if w := get(t, good, "/readyz"); w.Code != 200 || w.Body.String() != "ready\n" {
		t.Errorf("ready store: %d %q", w.Code, w.Body)
	}
	bad := newServer(t, unreadyStore{openStore(t)}, consent.Options{})
	if w := get(t, bad, "/readyz"); w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Errorf("store that cannot commit: %d %q", w.Code, w.Body)
	}
	if w := get(t, bad, "/healthz"); w.Code != 200 {
		t.Errorf("healthz of a live process with a broken store: %d", w.Code)
	}
}

// A store failing every request writes a line now and then with a count,
// not a line a request.
func TestFailureLogsAreRateLimitedWithCounts(t *testing.T) {
	t.Parallel()
	var logs syncBuf
	now := testNow
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h := consent.NewServer(slog.New(slog.NewTextHandler(&logs, nil)), failingStore{}, testPolicy(), consent.Options{Rate: -1, Now: clock})
	for range 100 {
		if w := post(t, h, good); w.Code != 503 {
			t.Fatalf("%d", w.Code)
		}
	}
	if n := strings.Count(logs.String(), "\n"); n != 1 {
		t.Errorf("%d log lines for 100 failures in one instant, want 1:\n%s", n, logs.String())
	}
	mu.Lock()
	now = now.Add(11 * time.Second)
	mu.Unlock()
	post(t, h, good)
	if lines := strings.Split(strings.TrimSpace(logs.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "suppressed=99") {
		t.Errorf("after the interval: %q", lines)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type hungStore struct{ consent.Store }

func (hungStore) Append(ctx context.Context, r consent.Record) (consent.Record, error) {
	<-ctx.Done()
	return consent.Record{}, ctx.Err()
}

// A store call that does not return is cut at StoreTimeout: the visitor
// gets 503 with Retry-After, well before the HTTP write timeout.
func TestHungStoreGives503WithinTheStoreTimeout(t *testing.T) {
	t.Parallel()
	h := newServer(t, hungStore{openStore(t)}, consent.Options{StoreTimeout: 200 * time.Millisecond})
	start := time.Now()
	w := post(t, h, good)
	if took := time.Since(start); w.Code != 503 || w.Header().Get("Retry-After") == "" || took > 2*time.Second {
		t.Errorf("hung store: %d after %v, Retry-After %q", w.Code, took, w.Header().Get("Retry-After"))
	}
}

// Subjects issued before ids carried their check (or by another store)
// are still taken while they have records: returning visitors keep theirs.
func TestSubjectWithRecordsIsTakenThoughNotIssued(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	if _, err := st.Append(context.Background(), consent.Record{ID: strings.Repeat("1", 32), Subject: subjA, Time: testNow,
		Version: "2026.1", Revision: rev, Language: "sv", Method: "reject-all", Choices: map[string]bool{"statistics": false, "marketing": false}}); err != nil {
		t.Fatal(err)
	}
	h := newServer(t, st, consent.Options{})
	if w := post(t, h, strings.Replace(good, `{`, `{"subject":"`+subjA+`",`, 1)); w.Code != 201 {
		t.Errorf("a subject with records: %d %s", w.Code, w.Body)
	}
}
