package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/storetest"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// chainWithAnchors writes 10 records (subjects alternating) into a new
// file, anchoring the head after seq 4 (at t0+100 s), seq 8 (t0+200 s) and
// seq 10 (t0+300 s). It returns the path, the records and the anchors.
func chainWithAnchors(t *testing.T) (string, []consent.Record, []consent.Anchor) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	s := open(t, path)
	defer s.Close()
	log, err := consent.OpenAnchorLog(filepath.Join(t.TempDir(), "anchors.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	var recs []consent.Record
	for i := range 10 {
		r, err := s.Append(ctx, storetest.Rec(i, fmt.Sprintf("%032x", 0xa0+i%2)))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
		switch r.Seq {
		case 4, 8, 10:
			if _, err := log.Anchor(ctx, s, t0.Add(time.Duration(r.Seq/4*100)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return path, recs, log.Anchors()
}

// rawDB opens the file behind the store's back, as someone with write
// access to the database would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func insert(t *testing.T, db *sql.DB, r consent.Record, key []byte) {
	t.Helper()
	var decision any
	if r.Decision != "" {
		decision = r.Decision
	}
	exec(t, db, `INSERT INTO records (seq, record_id, subject, time_ms, version, revision, language, method, choices, gpc, prev_hash, hash, subject_key, digest, decision)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Seq, r.ID, r.Subject,
		r.Time.UnixMilli(), r.Version, r.Revision, r.Language, r.Method, consent.EncodeChoices(r.Choices), r.GPC, r.PrevHash, r.Hash, key, r.Digest, decision)
}

func subjectKey(t *testing.T, db *sql.DB, seq int64) []byte {
	t.Helper()
	var k []byte
	if err := db.QueryRow(`SELECT subject_key FROM records WHERE seq = ?`, seq).Scan(&k); err != nil {
		t.Fatal(err)
	}
	return k
}

// rechain rewrites the records from seq on with edit applied to the first
// and every hash recomputed, and moves the head: what someone who can
// write to the database and has read the code would do.
func rechain(t *testing.T, db *sql.DB, recs []consent.Record, from int64, edit func(*consent.Record)) {
	t.Helper()
	prev := recs[from-2].Hash
	for _, r := range recs[from-1:] {
		if r.Seq == from {
			edit(&r)
		}
		r = consent.Link(r, r.Seq-1, prev)
		exec(t, db, `UPDATE records SET method = ?, choices = ?, prev_hash = ?, hash = ? WHERE seq = ?`, r.Method, consent.EncodeChoices(r.Choices), r.PrevHash, r.Hash, r.Seq)
		prev = r.Hash
	}
	exec(t, db, `UPDATE chain SET head_hash = ?`, prev)
}

// TestVerifyCatchesTampering is each way of rewriting the database that
// verified before anchors and the full-row check: every one must now be
// named, at the right seq, and export must refuse.
func TestVerifyCatchesTampering(t *testing.T) {
	t.Parallel()
	cutoff := t0.Add(150 * time.Second) // the anchor at seq 4 is old enough to be a base; 8 and 10 are not
	tests := []struct {
		name    string
		tamper  func(t *testing.T, db *sql.DB, recs []consent.Record)
		anchors bool // the fault shows only against the anchors
		seq     int64
		reason  string
	}{
		{"garbage row past the head", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			exec(t, db, `INSERT INTO records VALUES (11, 'x', 'y', 0, '', '', '', '', '{}', 0, '', '', NULL, '', NULL)`)
		}, false, 11, "past the chain head"},
		{"forged record past the head, linked", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			r := consent.Link(storetest.Rec(50, recs[0].Subject), 10, recs[9].Hash)
			insert(t, db, r, subjectKey(t, db, 1))
		}, false, 11, "past the chain head"},
		{"duplicated record past the head", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			r := recs[2]
			r.Seq = 11
			insert(t, db, r, subjectKey(t, db, 3))
		}, false, 11, "past the chain head"},
		{"subject_key of another visitor", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			exec(t, db, `UPDATE records SET subject_key = (SELECT subject_key FROM records WHERE seq = 2) WHERE seq = 3`)
		}, false, 3, "subject_key is not the index key"},
		{"tail cut and head moved", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			exec(t, db, `DELETE FROM records WHERE seq > 7`)
			exec(t, db, `UPDATE chain SET head_seq = 7, head_hash = ?`, recs[6].Hash)
		}, true, 8, "past the chain's last record (seq 7): records were removed"},
		{"re-chained from seq 5", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			rechain(t, db, recs, 5, func(r *consent.Record) {
				r.Method, r.Choices = "accept-all", map[string]bool{"statistics": true, "marketing": true}
			})
		}, true, 8, "is not the hash anchored at"},
		{"purge faked to an unanchored record", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			exec(t, db, `DELETE FROM records WHERE seq <= 6`)
			exec(t, db, `UPDATE chain SET base_seq = 6, base_hash = ?`, recs[5].Hash)
		}, true, 6, "is at no anchor"},
		{"purge faked to an anchor younger than the retention", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			exec(t, db, `DELETE FROM records WHERE seq <= 8`)
			exec(t, db, `UPDATE chain SET base_seq = 8, base_hash = ?`, recs[7].Hash)
		}, true, 8, "less than the retention ago"},
		{"everything deleted", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			exec(t, db, `DELETE FROM records`)
			exec(t, db, `UPDATE chain SET base_seq = 10, base_hash = ?`, recs[9].Hash)
		}, true, 10, "less than the retention ago"},
		{"everything deleted, base at genesis", func(t *testing.T, db *sql.DB, recs []consent.Record) {
			exec(t, db, `DELETE FROM records`)
			exec(t, db, `UPDATE chain SET head_seq = 0, head_hash = ?`, consent.GenesisHash)
		}, true, 4, "records were removed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path, recs, anchors := chainWithAnchors(t)
			tc.tamper(t, rawDB(t, path), recs)
			s := open(t, path)
			defer s.Close()
			opts := consent.VerifyOptions{Anchors: anchors, Cutoff: cutoff}
			v, err := consent.VerifyWith(ctx, s, opts)
			if err != nil {
				t.Fatal(err)
			}
			if v.Broken == nil {
				t.Fatalf("tampering not detected: %+v", v)
			}
			var found bool
			for _, f := range v.Faults {
				found = found || (f.Seq == tc.seq && strings.Contains(f.Reason, tc.reason))
			}
			if !found {
				t.Errorf("faults %+v, want one at seq %d saying %q", v.Faults, tc.seq, tc.reason)
			}
			if plain, err := consent.Verify(ctx, s); err != nil || (plain.Broken == nil) != tc.anchors {
				t.Errorf("without anchors: broken %v, err %v; want detected %v", plain.Broken, err, !tc.anchors)
			}
			var out bytes.Buffer
			if n, err := consent.Export(ctx, s, consent.FormatJSONL, &out, opts); err == nil || n != 0 || out.Len() != 0 {
				t.Errorf("export of a tampered store: %d records, %d bytes, %v", n, out.Len(), err)
			}
		})
	}
}

// A row whose subject_key was set to another visitor's is not in that
// visitor's history: GET /api/consent/<B> must not return A's record.
func TestSubjectDoesNotReturnAnotherVisitorsRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path, recs, _ := chainWithAnchors(t)
	exec(t, rawDB(t, path), `UPDATE records SET subject_key = (SELECT subject_key FROM records WHERE seq = 2) WHERE seq = 3`)
	s := open(t, path)
	defer s.Close()
	got, err := s.Subject(ctx, recs[1].Subject, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		if r.Subject != recs[1].Subject {
			t.Errorf("history of %s holds record %d of %s", recs[1].Subject, r.Seq, r.Subject)
		}
	}
	if len(got) != 5 {
		t.Errorf("history of %s: %d records, want its 5", recs[1].Subject, len(got))
	}
}

// The chain as it was, anchored, with a purge through the old-enough
// anchor: it verifies, and rows written below the base afterwards do not.
func TestVerifyNamesRowsBelowTheBase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path, recs, anchors := chainWithAnchors(t)
	s := open(t, path)
	policy := consent.Policy{Cutoff: func(time.Time) time.Time { return t0.Add(150 * time.Second) }}
	plan, err := consent.Purge(ctx, s, policy, t0, anchors)
	if err != nil || plan.Purged.Records != 4 {
		t.Fatalf("purge: %+v %v", plan, err)
	}
	opts := consent.VerifyOptions{Anchors: anchors, Cutoff: policy.Cutoff(t0)}
	if v, err := consent.VerifyWith(ctx, s, opts); err != nil || v.Broken != nil || v.Records != 6 {
		t.Fatalf("verify after purge: %+v %v", v, err)
	}
	s.Close()
	insert(t, rawDB(t, path), recs[1], nil)
	s = open(t, path)
	defer s.Close()
	v, err := consent.VerifyWith(ctx, s, opts)
	if err != nil || v.Broken == nil || v.Broken.Seq != 2 || !strings.Contains(v.Broken.Reason, "below the chain base") {
		t.Fatalf("a row below the base: %+v %v", v.Broken, err)
	}
	if n, err := consent.Export(ctx, s, consent.FormatJSONL, &bytes.Buffer{}, opts); err == nil {
		t.Errorf("exported %d records of a store with a row below the base", n)
	}
}
