// Package storetest is the conformance suite every consent.Store must pass.
package storetest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
)

// Run runs the suite. newStore returns a new, empty store; Run closes it
// (closing twice must be harmless is not required).
func Run(t *testing.T, newStore func(t *testing.T) consent.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s consent.Store)
	}{
		{"AppendLinksChain", testAppendLinksChain},
		{"ConcurrentAppendsStayLinear", testConcurrentAppends},
		{"SubjectHistory", testSubjectHistory},
		{"IssuedSubjects", testIssuedSubjects},
		{"RoundTripsEveryField", testRoundTrip},
		{"PurgeKeepsChainVerifiable", testPurge},
		{"PurgeEverythingThenAppend", testPurgeAll},
		{"PurgeNothing", testPurgeNothing},
		{"PurgeRefusesWhatAnAnchorDoesNotAllow", testPurgeRefuses},
		{"AnchorsAcrossAPurge", testAnchorsAcrossPurge},
		{"HistoryIsPaged", testHistoryPaged},
		{"ReadyCommits", testReady},
		{"VerifyWhileAppending", testVerifyWhileAppending},
		{"CloseCommitsQueued", testCloseCommitsQueued},
		{"DecisionIsStoredOnce", testDecisionStoredOnce},
		{"ConcurrentDecisionsAreStoredOnce", testConcurrentDecisions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			closed := false
			t.Cleanup(func() {
				if !closed {
					s.Close()
				}
			})
			if tc.name == "CloseCommitsQueued" {
				closed = true
			}
			tc.fn(t, s)
		})
	}
}

var base = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// Rec returns a valid record number i for subject.
func Rec(i int, subject string) consent.Record {
	return consent.Record{
		ID:       fmt.Sprintf("%032x", i+1),
		Subject:  subject,
		Time:     base.Add(time.Duration(i) * time.Second).Add(123 * time.Millisecond),
		Version:  "2026.1",
		Revision: "3f2a9c0d1e4b5a67",
		Language: "sv",
		Method:   "custom",
		Choices:  map[string]bool{"statistics": i%2 == 0, "marketing": i%3 == 0},
		GPC:      i%5 == 0,
	}
}

func subject(n int) string { return fmt.Sprintf("%032x", 1<<20+n) }

func mustVerify(t *testing.T, s consent.Store, records int64) consent.VerifyResult {
	t.Helper()
	v, err := consent.Verify(context.Background(), s)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if v.Broken != nil {
		t.Fatalf("Verify: %v", v.Broken)
	}
	if v.Records != records {
		t.Fatalf("Verify counted %d records, want %d", v.Records, records)
	}
	return v
}

func testAppendLinksChain(t *testing.T, s consent.Store) {
	ctx := context.Background()
	prev := consent.GenesisHash
	for i := range 5 {
		r, err := s.Append(ctx, Rec(i, subject(0)))
		if err != nil {
			t.Fatalf("Append %d: %v", i, err)
		}
		if r.Seq != int64(i+1) {
			t.Errorf("record %d: seq %d, want %d", i, r.Seq, i+1)
		}
		if r.PrevHash != prev {
			t.Errorf("record %d: prev_hash %s, want %s", i, r.PrevHash, prev)
		}
		if want := consent.Hash(prev, r); r.Hash != want {
			t.Errorf("record %d: hash %s, want %s", i, r.Hash, want)
		}
		prev = r.Hash
	}
	v := mustVerify(t, s, 5)
	if v.Chain.HeadSeq != 5 || v.Chain.HeadHash != prev || v.Chain.BaseSeq != 0 || v.Chain.BaseHash != consent.GenesisHash {
		t.Errorf("chain state %+v", v.Chain)
	}
}

func testConcurrentAppends(t *testing.T, s consent.Store) {
	ctx := context.Background()
	const n = 300
	var wg sync.WaitGroup
	errs := make(chan error, n)
	seqs := make(chan int64, n)
	for i := range n {
		wg.Go(func() {
			r, err := s.Append(ctx, Rec(i, subject(i%7)))
			if err != nil {
				errs <- err
				return
			}
			seqs <- r.Seq
		})
	}
	wg.Wait()
	close(errs)
	close(seqs)
	for err := range errs {
		t.Fatalf("Append: %v", err)
	}
	seen := map[int64]bool{}
	for q := range seqs {
		if seen[q] || q < 1 || q > n {
			t.Fatalf("seq %d repeated or out of range", q)
		}
		seen[q] = true
	}
	mustVerify(t, s, n)
}

func testSubjectHistory(t *testing.T, s consent.Store) {
	ctx := context.Background()
	for i := range 9 {
		if _, err := s.Append(ctx, Rec(i, subject(i%3))); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Subject(ctx, subject(1), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d records, want 3", len(got))
	}
	for i, r := range got {
		if r.Subject != subject(1) || r.ID != Rec(3*i+1, "").ID {
			t.Errorf("record %d: subject %s id %s", i, r.Subject, r.ID)
		}
	}
	none, err := s.Subject(ctx, subject(99), 0, 100)
	if err != nil || len(none) != 0 {
		t.Errorf("unknown subject: %d records, err %v", len(none), err)
	}
}

// Issued subjects are 32 lowercase hex digits, distinct for distinct
// random bytes even in the same millisecond, count as issued (a made-up
// one does not), and find their records.
func testIssuedSubjects(t *testing.T, st consent.Store) {
	ctx := context.Background()
	s, ok := st.(interface {
		consent.Store
		consent.SubjectIssuer
	})
	if !ok {
		// The endpoint issues random ids for such a store and knows a
		// subject by its records: every appended subject must find them,
		// and a subject never appended finds none.
		for i := range 20 {
			id := fmt.Sprintf("%016x%016x", uint64(i)*0x9e3779b97f4a7c15, i)
			if _, err := st.Append(ctx, Rec(i, id)); err != nil {
				t.Fatal(err)
			}
			got, err := st.Subject(ctx, id, 0, 1)
			if err != nil || len(got) != 1 || got[0].Subject != id {
				t.Fatalf("Subject(%s) after its append: %+v %v", id, got, err)
			}
		}
		if got, err := st.Subject(ctx, subject(3), 0, 1); err != nil || len(got) != 0 {
			t.Fatalf("a subject never appended has records: %+v %v", got, err)
		}
		mustVerify(t, st, 20)
		return
	}
	if s.Issued(subject(3)) {
		t.Errorf("made-up subject %s counts as issued", subject(3))
	}
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := map[string]bool{}
	var issued []string
	for i := range 50 {
		random := make([]byte, 16)
		binary.BigEndian.PutUint64(random, uint64(i)*0x9e3779b97f4a7c15)
		binary.BigEndian.PutUint64(random[8:], uint64(i))
		id := s.IssueSubject(base.Add(time.Duration(i%3)*time.Millisecond), random)
		if !s.Issued(id) {
			t.Fatalf("issued subject %s does not count as issued", id)
		}
		if !hex32.MatchString(id) {
			t.Fatalf("IssueSubject = %q, want 32 lowercase hex digits", id)
		}
		if seen[id] {
			t.Fatalf("IssueSubject gave %s twice", id)
		}
		seen[id] = true
		issued = append(issued, id)
		if _, err := s.Append(ctx, Rec(i, id)); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range issued {
		got, err := s.Subject(ctx, id, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Subject != id || got[0].ID != Rec(i, "").ID {
			t.Fatalf("Subject(%s): %+v", id, got)
		}
	}
	mustVerify(t, s, 50)
}

func testRoundTrip(t *testing.T, s consent.Store) {
	ctx := context.Background()
	in := Rec(0, subject(0))
	in.Method = "gpc"
	in.Choices = map[string]bool{"statistics": false, "marketing": false, "x-1_y": true}
	in.Time = time.Date(2026, 2, 28, 23, 59, 59, 999_000_000, time.FixedZone("CET", 3600))
	in.Digest = "sha256:" + strings.Repeat("5a", 32)
	in.Decision = strings.Repeat("c3", 16)
	stored, err := s.Append(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	var got []consent.Record
	if err := s.Scan(ctx, func(r consent.Record) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("scan: %d records", len(got))
	}
	r := got[0]
	if !r.Time.Equal(in.Time) || r.Time.Location() != time.UTC {
		t.Errorf("time %v, want %v in UTC", r.Time, in.Time)
	}
	if r.Digest != in.Digest || r.Decision != in.Decision {
		t.Errorf("digest %q decision %q, want %q %q", r.Digest, r.Decision, in.Digest, in.Decision)
	}
	if string(consent.Canonical(r)) != string(consent.Canonical(stored)) || r.Hash != stored.Hash || r.PrevHash != stored.PrevHash {
		t.Errorf("read back\n%s\nwant\n%s", consent.Canonical(r), consent.Canonical(stored))
	}
}

func appendN(t *testing.T, s consent.Store, from, n int) []consent.Record {
	t.Helper()
	var recs []consent.Record
	for i := from; i < from+n; i++ {
		r, err := s.Append(context.Background(), Rec(i, subject(0)))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

func testPurge(t *testing.T, s consent.Store) {
	ctx := context.Background()
	recs := appendN(t, s, 0, 10)
	// Records 0..3 are older than the cutoff.
	p, err := s.PurgeThrough(ctx, 4, recs[3].Hash, recs[4].Time)
	if err != nil {
		t.Fatal(err)
	}
	want := consent.Purged{Records: 4, FirstSeq: 1, LastSeq: 4, Oldest: recs[0].Time, Newest: recs[3].Time}
	if p.Records != want.Records || p.FirstSeq != want.FirstSeq || p.LastSeq != want.LastSeq || !p.Oldest.Equal(want.Oldest) || !p.Newest.Equal(want.Newest) {
		t.Fatalf("purged %+v, want %+v", p, want)
	}
	v := mustVerify(t, s, 6)
	if v.Chain.BaseSeq != 4 || v.Chain.BaseHash != recs[3].Hash {
		t.Errorf("base %d %s, want 4 %s", v.Chain.BaseSeq, v.Chain.BaseHash, recs[3].Hash)
	}
	r, err := s.Append(ctx, Rec(10, subject(0)))
	if err != nil {
		t.Fatal(err)
	}
	if r.Seq != 11 || r.PrevHash != recs[9].Hash {
		t.Errorf("append after purge: seq %d prev %s", r.Seq, r.PrevHash)
	}
	mustVerify(t, s, 7)
	if got, err := s.Subject(ctx, subject(0), 0, 100); err != nil || len(got) != 7 || got[0].Seq != 5 {
		t.Errorf("history after purge: %d records, %v", len(got), err)
	}
}

func testPurgeAll(t *testing.T, s consent.Store) {
	ctx := context.Background()
	recs := appendN(t, s, 0, 3)
	last := recs[2]
	if p, err := s.PurgeThrough(ctx, 3, last.Hash, base.Add(time.Hour)); err != nil || p.Records != 3 {
		t.Fatalf("purge: %+v, %v", p, err)
	}
	v := mustVerify(t, s, 0)
	if v.Chain.BaseSeq != 3 || v.Chain.HeadSeq != 3 || v.Chain.HeadHash != last.Hash {
		t.Errorf("chain %+v", v.Chain)
	}
	r, err := s.Append(ctx, Rec(3, subject(0)))
	if err != nil || r.Seq != 4 || r.PrevHash != last.Hash {
		t.Fatalf("append after purge: %+v, %v", r, err)
	}
	mustVerify(t, s, 1)
}

func testPurgeNothing(t *testing.T, s consent.Store) {
	ctx := context.Background()
	if p, err := s.PurgeThrough(ctx, 1, consent.GenesisHash, base.Add(time.Hour)); err == nil || p.Records != 0 {
		t.Fatalf("purge of an empty store: %+v, %v", p, err)
	}
	mustVerify(t, s, 0)
}

// PurgeThrough deletes nothing unless the record at seq has the hash
// given and every record up to it is older than the cutoff.
func testPurgeRefuses(t *testing.T, s consent.Store) {
	ctx := context.Background()
	recs := appendN(t, s, 0, 6)
	tests := []struct {
		name   string
		seq    int64
		hash   string
		cutoff time.Time
		want   string
	}{
		{"wrong hash", 3, recs[3].Hash, base.Add(time.Hour), "is not"},
		{"too young", 4, recs[3].Hash, recs[2].Time, "not older than"},
		{"past the head", 7, recs[5].Hash, base.Add(time.Hour), "past the chain head"},
		{"at the base", 0, consent.GenesisHash, base.Add(time.Hour), "not after the chain base"},
	}
	for _, tc := range tests {
		p, err := s.PurgeThrough(ctx, tc.seq, tc.hash, tc.cutoff)
		if err == nil || !strings.Contains(err.Error(), tc.want) || p.Records != 0 {
			t.Errorf("%s: %+v, %v; want an error saying %q", tc.name, p, err, tc.want)
		}
	}
	mustVerify(t, s, 6)
}

// testAnchorsAcrossPurge: the endpoint anchors the head now and then; a
// purge moves the base to the latest anchor older than the retention, and
// the chain still verifies against every anchor, also those now purged.
func testAnchorsAcrossPurge(t *testing.T, s consent.Store) {
	ctx := context.Background()
	log, err := consent.OpenAnchorLog(filepath.Join(t.TempDir(), "anchors.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	anchorAt := func(at time.Time) {
		t.Helper()
		if _, err := log.Anchor(ctx, s, at); err != nil {
			t.Fatal(err)
		}
	}
	appendN(t, s, 0, 4)
	anchorAt(base.Add(10 * time.Second)) // seq 4
	appendN(t, s, 4, 3)
	anchorAt(base.Add(20 * time.Second)) // seq 7
	appendN(t, s, 7, 2)
	anchorAt(base.Add(30 * time.Second)) // seq 9
	anchors := log.Anchors()
	if len(anchors) != 3 {
		t.Fatalf("%d anchors, want 3", len(anchors))
	}
	// Retention 24 s: the anchor at 20 s is the latest that may be the base.
	policy := consent.Policy{Cutoff: func(now time.Time) time.Time { return now.Add(-24 * time.Second) }}
	now := base.Add(45 * time.Second)
	plan, err := consent.Purge(ctx, s, policy, now, anchors)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Through == nil || plan.Through.Seq != 7 || plan.Purged.Records != 7 {
		t.Fatalf("purge plan %+v", plan)
	}
	v, err := consent.VerifyWith(ctx, s, consent.VerifyOptions{Anchors: anchors, Cutoff: policy.Cutoff(now)})
	if err != nil || v.Broken != nil || v.Records != 2 || v.Anchors != 3 || v.AnchorsPurged != 1 {
		t.Fatalf("verify after purge: %+v %v", v, err)
	}
	// Another anchor, and a purge that may not go further yet.
	appendN(t, s, 9, 1)
	anchorAt(base.Add(40 * time.Second))
	plan, err = consent.Purge(ctx, s, policy, now, log.Anchors())
	if err != nil || plan.Through != nil || plan.Purged.Records != 0 {
		t.Fatalf("second purge: %+v %v", plan, err)
	}
	mustVerify(t, s, 3)
}

func testHistoryPaged(t *testing.T, s consent.Store) {
	ctx := context.Background()
	appendN(t, s, 0, 7)
	var seqs []int64
	for after := int64(0); ; {
		page, err := s.Subject(ctx, subject(0), after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 3 {
			t.Fatalf("page of %d records, limit 3", len(page))
		}
		for _, r := range page {
			seqs = append(seqs, r.Seq)
		}
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1].Seq
	}
	if fmt.Sprint(seqs) != "[1 2 3 4 5 6 7]" {
		t.Errorf("pages gave seqs %v", seqs)
	}
}

func testReady(t *testing.T, s consent.Store) {
	ctx := context.Background()
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready on a fresh store: %v", err)
	}
	appendN(t, s, 0, 2)
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	mustVerify(t, s, 2)
}

func testCloseCommitsQueued(t *testing.T, s consent.Store) {
	ctx := context.Background()
	const n = 100
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for i := range n {
		wg.Go(func() {
			if _, err := s.Append(ctx, Rec(i, subject(0))); err == nil {
				mu.Lock()
				acked++
				mu.Unlock()
			} else if !errors.Is(err, consent.ErrClosed) {
				t.Errorf("Append: %v", err)
			}
		})
	}
	wg.Wait()
	if acked != n {
		t.Fatalf("%d of %d acknowledged", acked, n)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := s.Append(ctx, Rec(n, subject(0))); !errors.Is(err, consent.ErrClosed) {
		t.Errorf("Append after Close: %v, want ErrClosed", err)
	}
}

// testVerifyWhileAppending: records appended during Verify are newer than
// the head it read and must not look like a broken chain.
func testVerifyWhileAppending(t *testing.T, s consent.Store) {
	ctx := context.Background()
	for i := range 50 {
		if _, err := s.Append(ctx, Rec(i, subject(0))); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 50; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.Append(ctx, Rec(i, subject(1))); err != nil {
				t.Errorf("Append: %v", err)
				return
			}
		}
	})
	for range 20 {
		v, err := consent.Verify(ctx, s)
		if err != nil || v.Broken != nil {
			t.Errorf("Verify during appends: %v %v", v.Broken, err)
			break
		}
	}
	close(stop)
	wg.Wait()
}

// decisionID is the browser's id of decision n.
func decisionID(n int) string { return fmt.Sprintf("d%031x", n) }

// testDecisionStoredOnce: an append whose decision id is stored already
// stores nothing and returns the stored record, whatever else it says;
// appends without a decision id are each stored.
func testDecisionStoredOnce(t *testing.T, s consent.Store) {
	ctx := context.Background()
	in := Rec(0, subject(0))
	in.Decision = decisionID(1)
	first, err := s.Append(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if first.Decision != in.Decision || first.ID != in.ID {
		t.Fatalf("stored %+v", first)
	}
	again := Rec(1, subject(1)) // another record id, subject, time and choice
	again.Decision = in.Decision
	got, err := s.Append(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != first.ID || got.Seq != first.Seq || got.Hash != first.Hash || got.Subject != first.Subject ||
		!got.Time.Equal(first.Time) || got.PrevHash != first.PrevHash || got.Decision != first.Decision {
		t.Errorf("the same decision again gave\n%+v\nwant the stored\n%+v", got, first)
	}
	found, ok, err := s.Decision(ctx, in.Decision)
	if err != nil || !ok || found.ID != first.ID || found.Hash != first.Hash {
		t.Errorf("Decision(%s) = %+v %v %v", in.Decision, found, ok, err)
	}
	if _, ok, err := s.Decision(ctx, decisionID(2)); err != nil || ok {
		t.Errorf("Decision of an id never stored: %v %v", ok, err)
	}
	for i := 2; i < 4; i++ { // no decision id: stored each time
		if r, err := s.Append(ctx, Rec(i, subject(0))); err != nil || r.Seq != int64(i) || r.Decision != "" {
			t.Fatalf("append without a decision id: %+v %v", r, err)
		}
	}
	other := Rec(4, subject(0))
	other.Decision = decisionID(2)
	if r, err := s.Append(ctx, other); err != nil || r.Seq != 4 || r.ID != other.ID {
		t.Fatalf("append of another decision: %+v %v", r, err)
	}
	mustVerify(t, s, 4)
	if got, err := s.Subject(ctx, subject(1), 0, 10); err != nil || len(got) != 0 {
		t.Errorf("the refused copy's subject has records: %+v %v", got, err)
	}
}

// testConcurrentDecisions: copies of one decision sent at once (fetch with
// keepalive and sendBeacon, several tabs) land in one batch or in several;
// each decision is stored once, and every copy gets its record.
func testConcurrentDecisions(t *testing.T, s consent.Store) {
	ctx := context.Background()
	const decisions, copies, plain = 20, 8, 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string][]consent.Record{}
	for i := range decisions * copies {
		wg.Go(func() {
			r := Rec(i, subject(i%decisions))
			r.Decision = decisionID(i % decisions)
			stored, err := s.Append(ctx, r)
			if err != nil {
				t.Errorf("Append: %v", err)
				return
			}
			mu.Lock()
			got[r.Decision] = append(got[r.Decision], stored)
			mu.Unlock()
		})
	}
	for i := range plain {
		wg.Go(func() {
			if _, err := s.Append(ctx, Rec(1000+i, subject(99))); err != nil {
				t.Errorf("Append: %v", err)
			}
		})
	}
	wg.Wait()
	if len(got) != decisions {
		t.Fatalf("%d decisions answered, want %d", len(got), decisions)
	}
	for id, recs := range got {
		if len(recs) != copies {
			t.Errorf("decision %s: %d answers, want %d", id, len(recs), copies)
		}
		for _, r := range recs[1:] {
			if r.ID != recs[0].ID || r.Seq != recs[0].Seq || r.Hash != recs[0].Hash || r.Decision != id {
				t.Errorf("decision %s answered with records %s (seq %d) and %s (seq %d)", id, recs[0].ID, recs[0].Seq, r.ID, r.Seq)
			}
		}
	}
	mustVerify(t, s, decisions+plain)
	count := 0
	if err := s.Scan(ctx, func(r consent.Record) error {
		if r.Decision != "" {
			count++
		}
		return nil
	}); err != nil || count != decisions {
		t.Errorf("%d records with a decision id stored, want %d (%v)", count, decisions, err)
	}
}

// ReadOnly checks a backend's read-only reader against the store it
// reads: after appends (every field set) and a purge, the reader sees the
// same rows, field for field, and the same chain, and Verify through it
// agrees. open opens the reader on s's data; ReadOnly closes what it opens.
func ReadOnly(t *testing.T, s consent.Store, open func() (consent.Reader, error)) {
	t.Helper()
	ctx := context.Background()
	recs := appendN(t, s, 0, 5)
	in := Rec(5, subject(1))
	in.Digest = "sha256:" + strings.Repeat("5a", 32)
	in.Decision = strings.Repeat("c3", 16)
	if _, err := s.Append(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PurgeThrough(ctx, 2, recs[1].Hash, recs[2].Time); err != nil {
		t.Fatal(err)
	}
	all := func(r consent.Reader) ([]string, consent.ChainState) {
		t.Helper()
		var rows []string
		if err := r.Scan(ctx, func(rec consent.Record) error {
			rows = append(rows, fmt.Sprintf("%d %s %s %s %s %q", rec.Seq, rec.PrevHash, rec.Hash, consent.Canonical(rec), rec.Time.Location(), rec.Mismatch))
			return nil
		}); err != nil {
			t.Fatalf("scan: %v", err)
		}
		c, err := r.Chain(ctx)
		if err != nil {
			t.Fatalf("chain: %v", err)
		}
		return rows, c
	}
	wantRows, wantChain := all(s)
	r, err := open()
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	defer r.Close()
	rows, c := all(r)
	if strings.Join(rows, "\n") != strings.Join(wantRows, "\n") || c != wantChain {
		t.Errorf("read-only reader sees\n%s\n%+v\nthe store\n%s\n%+v", strings.Join(rows, "\n"), c, strings.Join(wantRows, "\n"), wantChain)
	}
	v, err := consent.Verify(ctx, r)
	if err != nil || v.Broken != nil || v.Records != 4 {
		t.Errorf("verify through the reader: %+v %v, want 4 records in the chain", v, err)
	}
}
