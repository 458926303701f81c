package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/postgres/pgtest"
	"github.com/integritet/integritet/consent/storetest"
	"github.com/jackc/pgx/v5"
)

// TestPurgeErasesFromTheTableFiles reads the files of consent_records and
// its indexes after a purge (and a checkpoint, so that what is in memory
// is on disk): no id or subject of a purged record may be left in them. A
// DELETE alone leaves them there as dead rows until VACUUM, and VACUUM
// leaves their bytes in the page; the purge rewrites the table.
func TestPurgeErasesFromTheTableFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.Database(t)
	s := open(t, dsn)
	defer s.Close()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var dataDir string
	if err := admin.QueryRow(ctx, `SHOW data_directory`).Scan(&dataDir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dataDir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the server's data directory %s is not readable here: %v", dataDir, err)
		}
		t.Skipf("the server's data directory is not on this machine (%v): run it against the cluster of .ci/postgres.sh", err)
	}
	files := func() []byte {
		t.Helper()
		if _, err := admin.Exec(ctx, `CHECKPOINT`); err != nil {
			t.Fatal(err)
		}
		rows, err := admin.Query(ctx, `SELECT pg_relation_filepath(c.oid) FROM pg_class c
			WHERE c.oid = 'consent_records'::regclass OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'consent_records'::regclass)`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var all []byte
		for rows.Next() {
			var rel string
			rows.Scan(&rel)
			// A relation over 1 GB has segments rel.1, rel.2, ...
			segs, _ := filepath.Glob(filepath.Join(dataDir, rel) + "*")
			for _, seg := range segs {
				b, err := os.ReadFile(seg)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, b...)
			}
		}
		return all
	}
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
		if _, err := s.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
		if i < purged {
			gone = append(gone, []byte(r.ID), []byte(r.Subject))
		}
		if i == purged-1 {
			if _, err := log.Anchor(ctx, s, time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
		}
	}
	count := func(data []byte) (n int) {
		for _, g := range gone {
			if bytes.Contains(data, g) {
				n++
			}
		}
		return n
	}
	if n := count(files()); n != len(gone) {
		t.Fatalf("before the purge only %d of %d values are in the files: the test does not read the right files", n, len(gone))
	}
	policy := consent.Policy{Cutoff: func(time.Time) time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }}
	plan, err := consent.Purge(ctx, s, policy, time.Now(), log.Anchors())
	if err != nil || plan.Purged.Records != purged {
		t.Fatalf("purge: %+v %v", plan, err)
	}
	if n := count(files()); n > 0 {
		t.Errorf("after the purge %d of %d values of purged records are still in the table's files", n, len(gone))
	}
	if v, err := consent.VerifyWith(ctx, s, consent.VerifyOptions{Anchors: log.Anchors()}); err != nil || v.Broken != nil || v.Records != kept {
		t.Fatalf("verify after purge: %+v %v", v, err)
	}
}
