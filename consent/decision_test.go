package consent_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
)

const decisionA = "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"

// withID is good, or body, with the decision id first.
func withID(body, id string) string { return strings.Replace(body, `{`, `{"id":"`+id+`",`, 1) }

func count(t *testing.T, st consent.Store) int {
	t.Helper()
	n := 0
	if err := st.Scan(t.Context(), func(consent.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDecisionSentAgainGetsItsReceipt checks that a decision sent again
// with its id, as fetch or as sendBeacon sends it (text/plain), is
// answered 200 with exactly the receipt of the first time, subject issued
// then included, and stores nothing; a new decision is answered 201.
func TestDecisionSentAgainGetsItsReceipt(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	h := newServer(t, st, consent.Options{})
	first := post(t, h, withID(good, decisionA), "Origin", site)
	if first.Code != 201 {
		t.Fatalf("first: %d %s", first.Code, first.Body)
	}
	var rc receipt
	json.Unmarshal(first.Body.Bytes(), &rc)
	if !strings.HasSuffix(strings.TrimSpace(first.Body.String()), `,"decision_id":"`+decisionA+`"}`) {
		t.Errorf("the receipt does not name the decision: %s", first.Body)
	}
	for _, ct := range []string{jsonCT, "text/plain;charset=UTF-8"} {
		w := post(t, h, withID(good, decisionA), "Origin", site, "Content-Type", ct)
		if w.Code != 200 || w.Body.String() != first.Body.String() {
			t.Errorf("sent again as %s: %d %s, want 200 %s", ct, w.Code, w.Body, first.Body)
		}
		if w.Header().Get("Access-Control-Allow-Origin") != site {
			t.Errorf("the browser may not read the answer: %v", w.Header())
		}
	}
	// The browser that learnt the subject sends it along: the same decision.
	if w := post(t, h, withID(strings.Replace(good, `{`, `{"subject":"`+rc.Subject+`",`, 1), decisionA)); w.Code != 200 || w.Body.String() != first.Body.String() {
		t.Errorf("sent again with its subject: %d %s", w.Code, w.Body)
	}
	if n := count(t, st); n != 1 {
		t.Errorf("%d records stored, want 1", n)
	}
	if w := post(t, h, withID(good, strings.Replace(decisionA, "a0", "a1", 1))); w.Code != 201 {
		t.Errorf("another decision: %d %s", w.Code, w.Body)
	}
	if v, err := consent.Verify(t.Context(), st); err != nil || v.Broken != nil || v.Records != 2 {
		t.Errorf("verify: %+v %v", v, err)
	}
}

// TestDecisionIDWithOtherContentIsRefused checks that an id naming a
// stored decision is refused with 422 naming "id" when the body says
// something else, and that nothing is stored.
func TestDecisionIDWithOtherContentIsRefused(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	h := newServer(t, st, consent.Options{SubjectRate: -1})
	if w := post(t, h, withID(good, decisionA)); w.Code != 201 {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	other := decide(t, h, "").Subject
	repl := func(old, new string) string { return withID(strings.Replace(good, old, new, 1), decisionA) }
	tests := []struct{ name, body, field string }{
		{"other choices", repl(`"statistics":true`, `"statistics":false`), "choices"},
		{"other method", repl(`"method":"custom","choices":{"statistics":true,"marketing":false}`, `"method":"accept-all","choices":{"statistics":true,"marketing":true}`), "method"},
		{"other language", repl(`"sv"`, `"en"`), "language"},
		{"other revision", repl(rev, "0000000000000000"), "revision"},
		{"other version", repl(`"2026.1"`, `"2025.9"`), "version"},
		{"other subject", repl(`{`, `{"subject":"`+other+`",`), "subject"},
	}
	for _, tc := range tests {
		w := post(t, h, tc.body)
		var got answer
		json.Unmarshal(w.Body.Bytes(), &got)
		want := p("id", "names a decision already recorded with another "+tc.field+"; a new decision needs a new id")
		if w.Code != 422 || !reflect.DeepEqual(got.Problems, want) {
			t.Errorf("%s: %d %s, want 422 %+v", tc.name, w.Code, w.Body, want)
		}
	}
	if n := count(t, st); n != 2 {
		t.Errorf("%d records stored, want 2", n)
	}
	for _, id := range []string{"A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5", "a0b1", decisionA + "00"} {
		w := post(t, h, withID(good, id))
		var got answer
		json.Unmarshal(w.Body.Bytes(), &got)
		if want := p("id", "must be 32 lowercase hex digits (128 random bits the banner made for this decision)"); w.Code != 400 || !reflect.DeepEqual(got.Problems, want) {
			t.Errorf("id %q: %d %s", id, w.Code, w.Body)
		}
	}
}

// TestRacingCopiesOfADecisionAreStoredOnce sends copies of decisions at
// once, as fetch with keepalive and sendBeacon do on page hide: one copy
// of each is answered 201, the others 200 with the same receipt, and one
// record is stored per decision.
func TestRacingCopiesOfADecisionAreStoredOnce(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	h := newServer(t, st, consent.Options{})
	const decisions, copies = 10, 6
	var wg sync.WaitGroup
	var mu sync.Mutex
	status := map[string][]int{}
	bodies := map[string]map[string]bool{}
	for i := range decisions * copies {
		id := fmt.Sprintf("%032x", 0xabc000+i%decisions)
		wg.Go(func() {
			ct := jsonCT
			if i%2 == 1 {
				ct = "text/plain;charset=UTF-8"
			}
			w := post(t, h, withID(good, id), "Content-Type", ct)
			mu.Lock()
			defer mu.Unlock()
			status[id] = append(status[id], w.Code)
			if bodies[id] == nil {
				bodies[id] = map[string]bool{}
			}
			bodies[id][w.Body.String()] = true
		})
	}
	wg.Wait()
	for id, codes := range status {
		created := 0
		for _, c := range codes {
			switch c {
			case 201:
				created++
			case 200:
			default:
				t.Errorf("decision %s: status %d", id, c)
			}
		}
		if created != 1 || len(bodies[id]) != 1 {
			t.Errorf("decision %s: %d answers 201 of %v, %d different bodies; want one 201 and one body", id, created, codes, len(bodies[id]))
		}
	}
	if n := count(t, st); n != decisions {
		t.Errorf("%d records stored, want %d", n, decisions)
	}
}

// TestDecisionSentAgainAfterTheNoticeChanged checks that a decision stored
// under a revision the endpoint no longer takes (restarted on a new
// release) is still answered with its receipt: it was taken when it was
// made. A new decision under that revision gets 409.
func TestDecisionSentAgainAfterTheNoticeChanged(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	first := post(t, newServer(t, st, consent.Options{}), withID(good, decisionA))
	if first.Code != 201 {
		t.Fatalf("first: %d %s", first.Code, first.Body)
	}
	p := testPolicy()
	p.Revision, p.Version = "00000000000000aa", "2026.2"
	var logs syncBuf
	h := consent.NewServer(slog.New(slog.NewTextHandler(&logs, nil)), st, p, consent.Options{Now: func() time.Time { return testNow }, Rand: &counter{n: 100}, Rate: -1})
	if w := post(t, h, withID(good, decisionA)); w.Code != 200 || w.Body.String() != first.Body.String() {
		t.Errorf("sent again after the change: %d %s, want 200 %s", w.Code, w.Body, first.Body)
	}
	if logs.String() != "" {
		t.Errorf("a decision sent again is no mismatch: %s", logs.String())
	}
	if w := post(t, h, withID(good, strings.Replace(decisionA, "a0", "a1", 1))); w.Code != 409 {
		t.Errorf("a new decision under the old revision: %d %s", w.Code, w.Body)
	}
	if n := count(t, st); n != 1 {
		t.Errorf("%d records stored, want 1", n)
	}
}

// TestDecisionSentAgainCostsNoBudget checks that a decision sent again
// does not count against its subject's limit, and is answered even when
// the subject is over it.
func TestDecisionSentAgainCostsNoBudget(t *testing.T) {
	t.Parallel()
	h := newServer(t, openStore(t), consent.Options{SubjectRate: 0.001, SubjectBurst: 2})
	subject := decide(t, h, "").Subject
	with := func(id string) string {
		return withID(strings.Replace(good, `{`, `{"subject":"`+subject+`",`, 1), id)
	}
	x := strings.Repeat("1", 32)
	first := post(t, h, with(x))
	if first.Code != 201 {
		t.Fatalf("first: %d %s", first.Code, first.Body)
	}
	for i := range 5 {
		if w := post(t, h, with(x)); w.Code != 200 {
			t.Fatalf("sent again, %d: %d %s", i, w.Code, w.Body)
		}
	}
	if w := post(t, h, with(strings.Repeat("2", 32))); w.Code != 201 {
		t.Fatalf("second decision within the burst of 2: %d %s", w.Code, w.Body)
	}
	if w := post(t, h, with(strings.Repeat("3", 32))); w.Code != 429 {
		t.Errorf("third decision: %d, want 429", w.Code)
	}
	if w := post(t, h, with(x)); w.Code != 200 || w.Body.String() != first.Body.String() {
		t.Errorf("sent again over the limit: %d %s", w.Code, w.Body)
	}
}

// TestHistoryCarriesTheDecisionID checks that a visitor's history names
// each decision's id and that its fields, id included, hash to its hash,
// and that its receipts verify.
func TestHistoryCarriesTheDecisionID(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	h := newServer(t, st, consent.Options{})
	w := post(t, h, withID(good, decisionA))
	var rc receipt
	json.Unmarshal(w.Body.Bytes(), &rc)
	decide(t, h, rc.Subject) // one without an id
	hw := get(t, h, "/api/consent/"+rc.Subject)
	var hist struct {
		Records []consent.Receipt `json:"records"`
	}
	if err := json.Unmarshal(hw.Body.Bytes(), &hist); err != nil || len(hist.Records) != 2 {
		t.Fatalf("history %s: %v", hw.Body, err)
	}
	if hist.Records[0].DecisionID != decisionA || hist.Records[1].DecisionID != "" {
		t.Errorf("decision ids in the history: %q %q", hist.Records[0].DecisionID, hist.Records[1].DecisionID)
	}
	if strings.Count(hw.Body.String(), `"decision_id"`) != 1 {
		t.Errorf("decision_id written for a record without one: %s", hw.Body)
	}
	r := hist.Records[0]
	rec := consent.Record{Seq: r.Seq, ID: r.RecordID, Subject: r.Subject, Version: r.Version, Revision: r.Revision,
		Language: r.Language, Method: r.Method, Choices: *r.Choices, GPC: *r.GPC, Decision: r.DecisionID}
	rec.Time, _ = time.Parse(consent.TimeFormat, r.Time)
	if consent.Hash(r.PrevHash, rec) != r.Hash {
		t.Errorf("the history's fields do not hash to the record's hash")
	}
	receipts, err := consent.ParseReceipts("history.json", append(hw.Body.Bytes(), w.Body.Bytes()...))
	if err != nil || len(receipts) != 3 {
		t.Fatalf("receipts: %d %v", len(receipts), err)
	}
	if v, err := consent.VerifyWith(t.Context(), st, consent.VerifyOptions{Receipts: receipts}); err != nil || v.Broken != nil || v.Receipts != 3 {
		t.Errorf("verify with the receipts: %+v %v", v, err)
	}
	forged := bytes.Replace(w.Body.Bytes(), []byte(decisionA), []byte(strings.Repeat("f", 32)), 1)
	receipts, _ = consent.ParseReceipts("forged.json", forged)
	if v, _ := consent.VerifyWith(t.Context(), st, consent.VerifyOptions{Receipts: receipts}); v.Broken == nil || !strings.Contains(v.Broken.Reason, "decision id") {
		t.Errorf("a receipt with another decision id verifies: %+v", v.Broken)
	}
}

// TestExportNamesTheDecisionID checks that both export formats carry
// the decision id, empty for a record without one.
func TestExportNamesTheDecisionID(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	h := newServer(t, st, consent.Options{})
	post(t, h, withID(good, decisionA))
	post(t, h, good)
	var jsonl, csv bytes.Buffer
	if _, err := consent.Export(t.Context(), st, consent.FormatJSONL, &jsonl, consent.VerifyOptions{}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(jsonl.String()), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fmt.Sprint(e["decision_id"]))
	}
	if want := []string{decisionA, ""}; fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("JSON Lines decision_id %q, want %q", ids, want)
	}
	if _, err := consent.Export(t.Context(), st, consent.FormatCSV, &csv, consent.VerifyOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], ",notice_archive,decision_id") || !strings.HasSuffix(lines[1], ","+decisionA) || !strings.HasSuffix(lines[2], ",") {
		t.Errorf("CSV:\n%s", csv.String())
	}
}
