package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
	"github.com/integritet/integritet/consent/storetest"
)

func open(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) consent.Store {
		return open(t, filepath.Join(t.TempDir(), "consent.db"))
	})
}

func TestReopenKeepsChainAndMigrationsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	s := open(t, path)
	first, err := s.Append(ctx, storetest.Rec(0, strings.Repeat("a", 32)))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	r, err := s.Append(ctx, storetest.Rec(1, strings.Repeat("a", 32)))
	if err != nil {
		t.Fatal(err)
	}
	if r.Seq != 2 || r.PrevHash != first.Hash {
		t.Errorf("after reopen: seq %d prev %s", r.Seq, r.PrevHash)
	}
}

// TestVerifyNamesFirstBrokenLink edits the database behind the store's
// back, as someone covering tracks would, and checks Verify's verdict.
func TestVerifyNamesFirstBrokenLink(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		sql    string
		seq    int64
		reason string
	}{
		{"edited choice", `UPDATE records SET choices = '{"marketing":true,"statistics":true}' WHERE seq = 3`, 3, "altered"},
		{"edited time", `UPDATE records SET time_ms = time_ms + 1 WHERE seq = 2`, 2, "altered"},
		{"deleted middle", `DELETE FROM records WHERE seq = 3`, 3, "record missing"},
		{"deleted tail", `DELETE FROM records WHERE seq >= 4`, 4, "missing: the chain head is seq 5"},
		{"rehashed record", `UPDATE records SET hash = '` + strings.Repeat("f", 64) + `' WHERE seq = 2`, 2, "altered"},
		{"deleted first", `DELETE FROM records WHERE seq = 1`, 1, "record missing"},
		{"renumbered", `UPDATE records SET seq = seq + 10 WHERE seq >= 4`, 4, "record missing"},
		{"moved base", `UPDATE chain SET base_seq = 1`, 1, "below the chain base"},
		{"decision id added", `UPDATE records SET decision = '` + strings.Repeat("d", 32) + `' WHERE seq = 2`, 2, "altered"},
		{"decision id removed", `UPDATE records SET decision = NULL WHERE seq = 4`, 4, "altered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "consent.db")
			s := open(t, path)
			for i := range 5 {
				r := storetest.Rec(i, strings.Repeat("b", 32))
				if i == 3 {
					r.Decision = strings.Repeat("e", 32)
				}
				if _, err := s.Append(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			s.Close()
			sqlite.Tamper(t, path, tc.sql)
			s = open(t, path)
			defer s.Close()
			v, err := consent.Verify(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if v.Broken == nil {
				t.Fatal("tampering not detected")
			}
			if v.Broken.Seq != tc.seq || !strings.Contains(v.Broken.Reason, tc.reason) {
				t.Errorf("broken link %v, want seq %d and %q", v.Broken, tc.seq, tc.reason)
			}
		})
	}
}

// Each store remembers the chain head of its own last commit. Two stores
// on one file (two processes, say) must still extend one chain: a store
// whose remembered head is stale reads the stored one again.
func TestTwoStoresOnOneFileKeepOneChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	a, b := open(t, path), open(t, path)
	defer a.Close()
	defer b.Close()
	var want []string
	for i := range 12 {
		s := a
		if i%3 != 0 {
			s = b
		}
		r, err := s.Append(ctx, storetest.Rec(i, strings.Repeat("c", 32)))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		if r.Seq != int64(i+1) {
			t.Fatalf("append %d got seq %d, want %d", i, r.Seq, i+1)
		}
		want = append(want, r.Hash)
	}
	for _, s := range []*sqlite.Store{a, b} {
		v, err := consent.Verify(ctx, s)
		if err != nil || v.Broken != nil || v.Records != 12 {
			t.Fatalf("verify: %+v %v", v, err)
		}
		recs, err := s.Subject(ctx, strings.Repeat("c", 32), 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			if r.Hash != want[i] {
				t.Errorf("record %d: stored hash %s, acknowledged %s", i+1, r.Hash, want[i])
			}
		}
	}
}

// A database written before migration 2 (subjects found by subject) is
// upgraded by Open: every old record gets its subject_key, old subjects
// still find their records, the chain still verifies, and new records
// join the same chain.
func TestOpenUpgradesAVersion1Database(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	v1, err := os.ReadFile("migrations/001_records.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY) STRICT;` + string(v1) + `;INSERT INTO schema_migrations VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	// More rows than Open fills per page (10,000), so that paging is tested.
	const n = 10_005
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	seq, prev := int64(0), consent.GenesisHash
	for i := range n {
		r := consent.Link(storetest.Rec(i, fmt.Sprintf("%032x", 100+i%2)), seq, prev)
		if _, err := tx.Exec(`INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Seq, r.ID, r.Subject,
			r.Time.UnixMilli(), r.Version, r.Revision, r.Language, r.Method, consent.EncodeChoices(r.Choices), r.GPC, r.PrevHash, r.Hash); err != nil {
			t.Fatal(err)
		}
		seq, prev = r.Seq, r.Hash
	}
	if _, err := tx.Exec(`UPDATE chain SET head_seq = ?, head_hash = ?`, seq, prev); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := open(t, path)
	defer s.Close()
	for i, subj := range []string{fmt.Sprintf("%032x", 100), fmt.Sprintf("%032x", 101)} {
		got, err := s.Subject(ctx, subj, 0, 100000)
		if want := (n + 1 - i) / 2; err != nil || len(got) != want {
			t.Fatalf("Subject(%s) after upgrade: %d records, %v", subj, len(got), err)
		}
	}
	r, err := s.Append(ctx, storetest.Rec(n, s.IssueSubject(time.Now(), make([]byte, 16))))
	if err != nil || r.Seq != n+1 {
		t.Fatalf("append after upgrade: seq %d, %v", r.Seq, err)
	}
	if v, err := consent.Verify(ctx, s); err != nil || v.Broken != nil || v.Records != n+1 {
		t.Fatalf("verify after upgrade: %+v %v", v, err)
	}
}

// The key lives in the database: ids issued before a restart still find
// their records after it.
func TestIssuedSubjectsSurviveReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	s := open(t, path)
	id := s.IssueSubject(time.Now(), []byte("0123456789abcdef"))
	if _, err := s.Append(ctx, storetest.Rec(0, id)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	if again := s.IssueSubject(time.Now(), []byte("0123456789abcdef")); again == id {
		t.Errorf("a later issue with the same random bytes gave the same id %s", id)
	}
	got, err := s.Subject(ctx, id, 0, 100)
	if err != nil || len(got) != 1 {
		t.Fatalf("Subject after reopen: %d records, %v", len(got), err)
	}
}

// A database written before migration 4 (records without the digest of
// the text they were given on) is upgraded by Open: its records read back
// with no digest and still verify, and new records carry theirs in the
// same chain.
func TestOpenUpgradesADatabaseWithoutDigests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	s := open(t, path)
	for i := range 3 {
		if _, err := s.Append(ctx, storetest.Rec(i, s.IssueSubject(time.Now(), make([]byte, 16)))); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	// Take the database back to migration 3, as an older integritet left it.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`ALTER TABLE records DROP COLUMN digest; DELETE FROM schema_migrations WHERE version = 4`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s = open(t, path)
	defer s.Close()
	in := storetest.Rec(3, s.IssueSubject(time.Now(), make([]byte, 16)))
	in.Digest = "sha256:" + strings.Repeat("0f", 32)
	if _, err := s.Append(ctx, in); err != nil {
		t.Fatalf("append after the upgrade: %v", err)
	}
	var digests []string
	if err := s.Scan(ctx, func(r consent.Record) error { digests = append(digests, r.Digest); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "", "", in.Digest}; strings.Join(digests, ",") != strings.Join(want, ",") {
		t.Errorf("digests after the upgrade %q, want %q", digests, want)
	}
	if v, err := consent.Verify(ctx, s); err != nil || v.Broken != nil || v.Records != 4 || v.Digests[""] != 3 || v.Digests[in.Digest] != 1 {
		t.Fatalf("verify after the upgrade: %+v %v", v, err)
	}
}

// A database written before migration 5 (records without decision ids)
// is upgraded by Open: its records read back without one and still
// verify, new records carry theirs in the same chain, and a decision sent
// again is stored once.
func TestOpenUpgradesADatabaseWithoutDecisionIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	s := open(t, path)
	for i := range 3 {
		r := storetest.Rec(i, s.IssueSubject(time.Now(), make([]byte, 16)))
		r.Digest = "sha256:" + strings.Repeat("0e", 32)
		if _, err := s.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	// Take the database back to migration 4, as an older integritet left it.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP INDEX records_decision; ALTER TABLE records DROP COLUMN decision; DELETE FROM schema_migrations WHERE version = 5`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s = open(t, path)
	defer s.Close()
	in := storetest.Rec(3, s.IssueSubject(time.Now(), make([]byte, 16)))
	in.Decision = strings.Repeat("5d", 16)
	first, err := s.Append(ctx, in)
	if err != nil {
		t.Fatalf("append after the upgrade: %v", err)
	}
	again := storetest.Rec(4, in.Subject)
	again.Decision = in.Decision
	if r, err := s.Append(ctx, again); err != nil || r.ID != first.ID {
		t.Fatalf("the decision again after the upgrade: %+v %v", r, err)
	}
	var ids []string
	if err := s.Scan(ctx, func(r consent.Record) error { ids = append(ids, r.Decision); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "", "", in.Decision}; strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Errorf("decision ids after the upgrade %q, want %q", ids, want)
	}
	if v, err := consent.Verify(ctx, s); err != nil || v.Broken != nil || v.Records != 4 {
		t.Fatalf("verify after the upgrade: %+v %v", v, err)
	}
}

// Two stores on one file (two processes) store a decision sent to both
// once: the second finds it under the write lock.
func TestTwoStoresOnOneFileStoreADecisionOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	a, b := open(t, path), open(t, path)
	defer a.Close()
	defer b.Close()
	var wg sync.WaitGroup
	got := make([]consent.Record, 20)
	for i := range got {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			r := storetest.Rec(i, strings.Repeat("c", 32))
			r.Decision = fmt.Sprintf("%032x", i/4) // five decisions, four copies each
			var err error
			if got[i], err = s.Append(ctx, r); err != nil {
				t.Errorf("append %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	for i, r := range got {
		if first := got[i/4*4]; r.ID != first.ID || r.Hash != first.Hash {
			t.Errorf("copy %d of decision %d: record %s, the first copy's %s", i%4, i/4, r.ID, first.ID)
		}
	}
	if v, err := consent.Verify(ctx, a); err != nil || v.Broken != nil || v.Records != 5 {
		t.Fatalf("verify: %+v %v", v, err)
	}
}
