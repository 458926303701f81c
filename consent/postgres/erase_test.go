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
	admin := adminOf(t, dsn)
	files := func() []byte { return tableFiles(t, admin) }
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

// adminOf is a connection of the test's own to dsn, closed at its end.
func adminOf(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	admin, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })
	return admin
}

// tableFiles returns the bytes of consent_records and its indexes as the
// server's files hold them, after a checkpoint. It needs the server's data
// directory on this machine (the cluster of .ci/postgres.sh).
func tableFiles(t *testing.T, admin *pgx.Conn) []byte {
	t.Helper()
	ctx := context.Background()
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
	if _, err := admin.Exec(ctx, `CHECKPOINT`); err != nil {
		t.Fatal(err)
	}
	rows, err := admin.Query(ctx, `SELECT pg_relation_filepath(c.oid) FROM pg_class c
		WHERE c.oid = 'consent_records'::regclass OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'consent_records'::regclass)`)
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for rows.Next() {
		var rel string
		rows.Scan(&rel)
		rels = append(rels, rel)
	}
	rows.Close()
	var all []byte
	for _, rel := range rels {
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

// TestPurgeErasesPastAHorizonItCannotSee holds the database's horizon back
// with a prepared transaction, which no backend of pg_stat_activity shows:
// VACUUM FULL then has to copy the purged rows into the new files. The
// purge must notice that from the server's own report, wait for the
// horizon to move (here: the prepared transaction ends a moment later) and
// rewrite the table again, rather than return with the rows still there.
func TestPurgeErasesPastAHorizonItCannotSee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.Database(t)
	s := open(t, dsn)
	defer s.Close()
	admin := adminOf(t, dsn)
	var maxPrepared int
	if err := admin.QueryRow(ctx, `SELECT current_setting('max_prepared_transactions')::int`).Scan(&maxPrepared); err != nil {
		t.Fatal(err)
	}
	if maxPrepared == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("the server allows no prepared transactions: start it as .ci/postgres.sh does (max_prepared_transactions)")
		}
		t.Skip("the server allows no prepared transactions (max_prepared_transactions = 0): run it against the cluster of .ci/postgres.sh")
	}
	log, err := consent.OpenAnchorLog(filepath.Join(t.TempDir(), "anchors.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	const purged, kept = 40, 5
	var gone [][]byte
	for i := range purged + kept {
		r := storetest.Rec(i, fmt.Sprintf("5ec7e7%026x", i))
		r.ID = fmt.Sprintf("feedface%024x", i)
		if _, err := s.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
		if i < purged {
			gone = append(gone, []byte(r.ID))
		}
		if i == purged-1 {
			if _, err := log.Anchor(ctx, s, time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A transaction with an xid, prepared: it keeps running, invisible to
	// pg_stat_activity, until COMMIT PREPARED.
	gid := fmt.Sprintf("hold_%d", time.Now().UnixNano())
	holder := adminOf(t, dsn)
	for _, q := range []string{`BEGIN`, `SELECT pg_current_xact_id()`, `PREPARE TRANSACTION '` + gid + `'`} {
		if _, err := holder.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	ended := make(chan error, 1)
	t.Cleanup(func() { admin.Exec(context.Background(), `ROLLBACK PREPARED '`+gid+`'`) })
	policy := consent.Policy{Cutoff: func(time.Time) time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }}
	go func() {
		time.Sleep(time.Second)
		_, err := admin.Exec(context.Background(), `COMMIT PREPARED '`+gid+`'`)
		ended <- err
	}()
	plan, err := consent.Purge(ctx, s, policy, time.Now(), log.Anchors())
	if err != nil || plan.Purged.Records != purged {
		t.Fatalf("purge: %+v %v", plan, err)
	}
	if err := <-ended; err != nil {
		t.Fatalf("commit prepared: %v", err)
	}
	data := tableFiles(t, admin)
	n := 0
	for _, g := range gone {
		if bytes.Contains(data, g) {
			n++
		}
	}
	if n > 0 {
		t.Errorf("purge returned with %d of %d purged records still in the table's files", n, len(gone))
	}
}
