package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/internal/subjectkey"
	"github.com/integritet/integritet/consent/storetest"
)

// TestPurgeErasesFromTheFile reads the database file and its WAL after a
// purge: no id, subject or hash of a purged record may be left in them,
// in free pages or anywhere else.
func TestPurgeErasesFromTheFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	s := open(t, path)
	defer s.Close()
	log, err := consent.OpenAnchorLog(filepath.Join(t.TempDir(), "anchors.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	const purged, kept = 100, 20
	var gone [][]byte
	for i := range purged + kept {
		r := storetest.Rec(i, fmt.Sprintf("5ec7e7%026x", i))
		r.ID = fmt.Sprintf("deadbeef%024x", i)
		stored, err := s.Append(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if i < purged-1 { // the last purged record's hash stays as the base
			gone = append(gone, []byte(stored.ID), []byte(stored.Subject), []byte(stored.Hash))
		} else if i == purged-1 {
			gone = append(gone, []byte(stored.ID), []byte(stored.Subject))
		}
		if i == purged-1 {
			if _, err := log.Anchor(ctx, s, t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A reader and more writes around the purge, as on a live endpoint.
	if _, err := s.Subject(ctx, fmt.Sprintf("5ec7e7%026x", 3), 0, 10); err != nil {
		t.Fatal(err)
	}
	policy := consent.Policy{Cutoff: func(time.Time) time.Time { return t0.Add(time.Hour) }}
	plan, err := consent.Purge(ctx, s, policy, t0, log.Anchors())
	if err != nil || plan.Purged.Records != purged {
		t.Fatalf("purge: %+v %v", plan, err)
	}
	if _, err := s.Append(ctx, storetest.Rec(purged+kept, fmt.Sprintf("%032x", 1))); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		var found int
		for _, name := range []string{path, path + "-wal", path + "-journal"} {
			data, err := os.ReadFile(name)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range gone {
				if bytes.Contains(data, g) {
					found++
					if found <= 5 {
						t.Errorf("%s: %s still holds %s", when, filepath.Base(name), g)
					}
				}
			}
		}
		if found > 0 {
			t.Errorf("%s: %d of %d values of purged records recoverable", when, found, len(gone))
		}
	}
	check("after purge, store open")
	s.Close()
	check("after close")
	s = open(t, path)
	if v, err := consent.VerifyWith(ctx, s, consent.VerifyOptions{Anchors: log.Anchors()}); err != nil || v.Broken != nil || v.Records != kept+1 {
		t.Fatalf("verify after purge: %+v %v", v, err)
	}
}

// A database purged before secure_delete (migrations 1 and 2, rows deleted
// and the base moved as the old purge did) still holds the purged rows in
// its free pages. Open upgrades it, rewrites it once, and they are gone;
// the chain still verifies and takes new records.
func TestOpenErasesWhatAnOldPurgeLeft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	var schema string
	for _, f := range []string{"migrations/001_records.sql", "migrations/002_subject_key.sql"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		schema += string(b) + ";\n"
	}
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY) STRICT;` + schema + `INSERT INTO schema_migrations VALUES (1), (2)`); err != nil {
		t.Fatal(err)
	}
	var secret []byte
	if err := db.QueryRow(`SELECT secret FROM store_key`).Scan(&secret); err != nil {
		t.Fatal(err)
	}
	key, err := subjectkey.New(secret)
	if err != nil {
		t.Fatal(err)
	}
	const n, purged = 200, 150
	seq, prev := int64(0), consent.GenesisHash
	var gone [][]byte
	var hashes []string
	for i := range n {
		rec := storetest.Rec(i, fmt.Sprintf("5ec7e7%026x", i))
		rec.ID = fmt.Sprintf("deadbeef%024x", i)
		r := consent.Link(rec, seq, prev)
		k, _ := key.Index(r.Subject)
		if _, err := db.Exec(`INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Seq, r.ID, r.Subject,
			r.Time.UnixMilli(), r.Version, r.Revision, r.Language, r.Method, consent.EncodeChoices(r.Choices), r.GPC, r.PrevHash, r.Hash, k[:]); err != nil {
			t.Fatal(err)
		}
		seq, prev = r.Seq, r.Hash
		hashes = append(hashes, r.Hash)
		if i < purged {
			gone = append(gone, []byte(r.ID), []byte(r.Subject))
		}
	}
	// The old purge: DELETE and move the base, no secure_delete.
	for _, q := range []string{
		fmt.Sprintf(`UPDATE chain SET head_seq = %d, head_hash = '%s'`, seq, prev),
		fmt.Sprintf(`DELETE FROM records WHERE seq <= %d`, purged),
		fmt.Sprintf(`UPDATE chain SET base_seq = %d, base_hash = '%s'`, purged, hashes[purged-1]),
		`PRAGMA wal_checkpoint(TRUNCATE)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	count := func() (found int) {
		for _, name := range []string{path, path + "-wal"} {
			data, _ := os.ReadFile(name)
			for _, g := range gone {
				if bytes.Contains(data, g) {
					found++
				}
			}
		}
		return found
	}
	if c := count(); c == 0 {
		t.Fatal("the old purge left nothing readable: the test does not show the upgrade")
	}
	s := open(t, path)
	defer s.Close()
	if c := count(); c > 0 {
		t.Errorf("after Open, %d of %d values of rows purged before secure_delete are still in the file", c, len(gone))
	}
	r, err := s.Append(ctx, storetest.Rec(n, fmt.Sprintf("%032x", 7)))
	if err != nil || r.Seq != n+1 {
		t.Fatalf("append after the upgrade: %+v %v", r, err)
	}
	if v, err := consent.Verify(ctx, s); err != nil || v.Broken != nil || v.Records != n-purged+1 {
		t.Fatalf("verify after the upgrade: %+v %v", v, err)
	}
	var marks int
	if err := rawDB(t, path).QueryRow(`SELECT count(*) FROM erase_pending`).Scan(&marks); err != nil || marks != 0 {
		t.Errorf("erase mark after the upgrade: %d %v", marks, err)
	}
}
