package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
)

// seedDB writes n records into a new SQLite file and returns its -db value.
func seedDB(t *testing.T, n int) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "consent.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range n {
		_, err := s.Append(context.Background(), consent.Record{
			ID: fmt.Sprintf("%032x", i+1), Subject: fmt.Sprintf("%032x", 100+i%2),
			Time:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, i, 0),
			Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: "sv", Method: "withdraw",
			Choices: map[string]bool{"statistics": i%2 == 0, "marketing": false},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return "sqlite:" + path, path
}

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestConsentVerifyReportsChain(t *testing.T) {
	t.Parallel()
	db, path := seedDB(t, 4)
	out, _, err := runCmd(t, "consent", "verify", "-db", db)
	if err != nil || !strings.HasPrefix(out, "chain verified: 4 records (seq 1 to 4)") {
		t.Fatalf("verify: %q %v", out, err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE records SET method = 'accept-all' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, stderr, err := runCmd(t, "consent", "verify", "-db", db)
	if !errors.Is(err, errReported) || exitCode(err) != 1 {
		t.Fatalf("tampered verify: %v", err)
	}
	if !strings.Contains(stderr, "chain broken at seq 2 (record 00000000000000000000000000000002)") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestConsentCommandsRefuseMissingDatabase(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "nope.db")
	for _, c := range audits(t, "sqlite:"+missing) {
		if _, _, err := runCmd(t, c.args...); err == nil || !strings.Contains(err.Error(), "no consent store at "+missing+": the file does not exist") {
			t.Errorf("%v of a missing database: %v", c.args, err)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a missing database was created")
	}
}

func TestConsentExportFormats(t *testing.T) {
	t.Parallel()
	db, _ := seedDB(t, 3)
	out, _, err := runCmd(t, "consent", "export", "-db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	var e consent.ExportRecord
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil {
		t.Fatal(err)
	}
	want := []consent.CategoryState{{Category: "marketing", State: "dpv:ConsentWithdrawn"}, {Category: "statistics", State: "dpv:ConsentGiven"}}
	if e.Type != "dpv:ConsentRecord" || e.Seq != 1 || e.Time != "2026-01-01T00:00:00.000Z" || fmt.Sprint(e.Consent) != fmt.Sprint(want) {
		t.Errorf("first record %+v", e)
	}

	file := filepath.Join(t.TempDir(), "out.csv")
	if _, _, err := runCmd(t, "consent", "export", "-db", db, "-format", "csv", "-o", file); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(file)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][2] != "record_id" || rows[1][11] != "marketing=dpv:ConsentWithdrawn;statistics=dpv:ConsentGiven" {
		t.Errorf("csv %v %v", rows, err)
	}
	if _, _, err := runCmd(t, "consent", "export", "-db", db, "-format", "xml"); !errors.Is(err, errUsage) {
		t.Errorf("-format xml: %v", err)
	}
}

// TestHelpListsEveryConsentSubcommand: `integritet -h` names every
// subcommand of consent (report was missing), and `consent -h` describes
// each.
func TestHelpListsEveryConsentSubcommand(t *testing.T) {
	t.Parallel()
	_, top, err := runCmd(t, "-h")
	if err != nil {
		t.Fatal(err)
	}
	_, sub, err := runCmd(t, "consent", "-h")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"verify", "export", "purge", "report"} {
		if !regexp.MustCompile(`(?m)^  consent .*\b` + name + `\b`).MatchString(top) {
			t.Errorf("integritet -h does not list consent %s:\n%s", name, top)
		}
		if !regexp.MustCompile(`(?m)^  ` + name + ` +\S`).MatchString(sub) {
			t.Errorf("integritet consent -h does not describe %s:\n%s", name, sub)
		}
	}
}

func TestEveryConsentCommandHasHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"endpoint", "-h"}, {"consent", "-h"}, {"consent", "verify", "-h"}, {"consent", "export", "-h"}, {"consent", "purge", "-h"}, {"consent", "report", "-h"}} {
		_, stderr, err := runCmd(t, args...)
		if err != nil || !strings.Contains(stderr, "usage: integritet") {
			t.Errorf("%v: %v %q", args, err, stderr)
		}
	}
	if _, _, err := runCmd(t, "consent", "frobnicate"); !errors.Is(err, errUsage) {
		t.Errorf("unknown subcommand: %v", err)
	}
}

func TestStaticSiteHeaders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sv", "integritetspolicy"), 0o755)
	os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	os.WriteFile(filepath.Join(dir, "sv", "integritetspolicy", "index.html"), []byte("<!doctype html><p>hej"), 0o644)
	os.WriteFile(filepath.Join(dir, "assets", "consent.3f2a9c0d.js"), []byte("1"), 0o644)
	os.WriteFile(filepath.Join(dir, "robots.txt"), []byte("User-agent: *"), 0o644)
	os.WriteFile(filepath.Join(dir, ".env"), []byte("SECRET=1"), 0o644)
	os.MkdirAll(filepath.Join(dir, ".well-known", ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".well-known", "gpc.json"), []byte(`{"gpc":true}`), 0o644)
	os.WriteFile(filepath.Join(dir, ".well-known", ".git", "config"), []byte("x"), 0o644)
	os.MkdirAll(filepath.Join(dir, "assets", ".hidden"), 0o755)
	os.WriteFile(filepath.Join(dir, "assets", ".hidden", "x.js"), []byte("1"), 0o644)
	// A link out of the folder is not followed; one inside it is.
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("not for visitors"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "secret.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("robots.txt", filepath.Join(dir, "robots-link.txt")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		status       int
		cache        string
	}{
		{"GET", "/sv/integritetspolicy/", 200, "no-cache"},
		{"GET", "/assets/consent.3f2a9c0d.js", 200, "public, max-age=31536000, immutable"},
		{"GET", "/robots.txt", 200, "public, max-age=3600"},
		{"GET", "/.env", 404, ""},
		// The .well-known files the build writes are served; nothing else
		// hidden is, under .well-known or anywhere else.
		{"GET", "/.well-known/gpc.json", 200, "public, max-age=3600"},
		{"GET", "/.well-known/.git/config", 404, ""},
		{"GET", "/assets/.hidden/x.js", 404, ""},
		{"GET", "/empty/", 404, ""},
		{"GET", "/nothing", 404, ""},
		{"POST", "/robots.txt", 405, ""},
		{"GET", "/secret.txt", 404, ""},
		{"GET", "/robots-link.txt", 200, "public, max-age=3600"},
	}
	// The folder as scan serves it, and the same files in memory as the
	// endpoint serves a build it has checked (the links read as files).
	built := map[string][]byte{}
	for _, p := range []string{"sv/integritetspolicy/index.html", "assets/consent.3f2a9c0d.js", "robots.txt", "robots-link.txt", ".env", ".well-known/gpc.json", ".well-known/.git/config", "assets/.hidden/x.js"} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		built[p] = b
	}
	mem := newMemFS(built, func(string) time.Time { return time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC) })
	mem["empty"] = &memEntry{name: "empty", dir: true}
	for name, h := range map[string]http.Handler{"folder": staticSite(dir), "memory": staticFS(mem)} {
		for _, tc := range tests {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
			if w.Code != tc.status || w.Header().Get("Cache-Control") != tc.cache {
				t.Errorf("%s: %s %s: %d %q, want %d %q", name, tc.method, tc.path, w.Code, w.Header().Get("Cache-Control"), tc.status, tc.cache)
			}
			if w.Code == 200 && w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: %s: no nosniff", name, tc.path)
			}
		}
	}
}

// anchoredDB writes 6 records from 2022 (older than FRAMSTEGET's P3Y
// retention of consent records) and 3 from November 2026 into a new file,
// with an anchor log: one anchor after the old ones (July 2022), one at
// the end. It returns the -db value, the path, the anchor log and the
// records.
func anchoredDB(t *testing.T) (string, string, string, []consent.Record) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path, anchors := filepath.Join(dir, "consent.db"), filepath.Join(dir, "anchors.jsonl")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	log, err := consent.OpenAnchorLog(anchors)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	var recs []consent.Record
	for i := range 9 {
		at := time.Date(2022, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
		if i >= 6 {
			at = time.Date(2026, 11, 1+i, 0, 0, 0, 0, time.UTC)
		}
		r, err := s.Append(ctx, consent.Record{
			ID: fmt.Sprintf("%032x", i+1), Subject: fmt.Sprintf("%032x", 100+i%2), Time: at,
			Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: "sv", Method: "reject-all",
			Choices: map[string]bool{"statistics": false, "marketing": false},
		})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
		switch i {
		case 5:
			_, err = log.Anchor(ctx, s, time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC))
		case 8:
			_, err = log.Anchor(ctx, s, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return "sqlite:" + path, path, anchors, recs
}

func TestConsentVerifyChecksAnchorsAndReceipts(t *testing.T) {
	t.Parallel()
	db, path, anchors, recs := anchoredDB(t)
	receipts := filepath.Join(t.TempDir(), "receipts.json")
	var rb strings.Builder
	for _, r := range recs[6:8] {
		fmt.Fprintf(&rb, `{"record_id":%q,"seq":%d,"subject":%q,"time":%q,"revision":%q,"hash":%q}`+"\n",
			r.ID, r.Seq, r.Subject, r.Time.Format(consent.TimeFormat), r.Revision, r.Hash)
	}
	os.WriteFile(receipts, []byte(rb.String()), 0o644)
	out, stderr, err := runCmd(t, "consent", "verify", "-db", db, "-anchors", anchors, "-receipts", receipts, "-source", "../..")
	if err != nil || !strings.Contains(out, "chain verified: 9 records") || !strings.Contains(out, "anchors verified: 2 (0 below the base, purged)") ||
		!strings.Contains(out, "receipts verified: 2") {
		t.Fatalf("verify: %q %q %v", out, stderr, err)
	}

	// A receipt the store does not back: another hash for seq 7.
	forged := strings.Replace(rb.String(), recs[6].Hash, strings.Repeat("e", 64), 1)
	os.WriteFile(receipts, []byte(forged), 0o644)
	_, stderr, err = runCmd(t, "consent", "verify", "-db", db, "-receipts", receipts)
	if !errors.Is(err, errReported) || !strings.Contains(stderr, "chain broken at seq 7 (record "+recs[6].ID+"): receipt for record "+recs[6].ID+": the stored hash is") {
		t.Errorf("forged receipt: %v %q", err, stderr)
	}

	// Cut the tail and move the head: only the anchors show it.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec(`DELETE FROM records WHERE seq > 7`)
	raw.Exec(`UPDATE chain SET head_seq = 7, head_hash = ?`, recs[6].Hash)
	raw.Close()
	if out, _, err := runCmd(t, "consent", "verify", "-db", db); err != nil || !strings.Contains(out, "chain verified: 7 records") {
		t.Fatalf("without anchors a moved head cannot be seen: %q %v", out, err)
	}
	_, stderr, err = runCmd(t, "consent", "verify", "-db", db, "-anchors", anchors)
	if !errors.Is(err, errReported) || !strings.Contains(stderr, "chain broken at seq 9: the head anchored at 2026-11-20T00:00:00.000Z (seq 9) is past the chain's last record (seq 7): records were removed") {
		t.Errorf("cut tail against anchors: %v %q", err, stderr)
	}
	if _, _, err := runCmd(t, "consent", "export", "-db", db, "-anchors", anchors); err == nil {
		t.Error("export of a chain that fails against its anchors succeeded")
	}
}

func TestConsentExportWritesOnlyVerifiedRecords(t *testing.T) {
	t.Parallel()
	db, path := seedDB(t, 3)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO records SELECT seq + 3, record_id, subject, time_ms, version, revision, language, method, choices, gpc, prev_hash, hash, subject_key, digest, decision FROM records WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	file := filepath.Join(t.TempDir(), "audit.jsonl")
	_, _, err = runCmd(t, "consent", "export", "-db", db, "-o", file)
	if err == nil || !strings.Contains(err.Error(), "not exporting: 3 faults, the first: chain broken at seq 4") {
		t.Errorf("export with a duplicated row past the head: %v", err)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("a failed export left its file")
	}
	_, stderr, err := runCmd(t, "consent", "verify", "-db", db)
	if !errors.Is(err, errReported) || !strings.Contains(stderr, "chain broken at seq 4 (record 00000000000000000000000000000001): row past the chain head (seq 3): not in the chain") {
		t.Errorf("verify: %v %q", err, stderr)
	}
}

func TestConsentPurgeMovesTheBaseToAnAnchor(t *testing.T) {
	t.Parallel()
	db, path, anchors, recs := anchoredDB(t)
	if _, _, err := runCmd(t, "consent", "purge", "-db", db, "-source", "../.."); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "-anchors is required") {
		t.Fatalf("purge without anchors: %v", err)
	}
	out, _, err := runCmd(t, "consent", "purge", "-db", db, "-source", "../..", "-anchors", anchors, "-dry-run")
	if err != nil || !strings.Contains(out, "would delete 6 records") || !strings.Contains(out, "3 would remain") {
		t.Fatalf("dry run: %q %v", out, err)
	}
	out, _, err = runCmd(t, "consent", "purge", "-db", db, "-source", "../..", "-anchors", anchors)
	want := "deleted 6 records, seq 1 to 6, recorded 2022-01-01T00:00:00.000Z to 2022-06-01T00:00:00.000Z"
	if err != nil || !strings.Contains(out, want) || !strings.Contains(out, "through the head anchored at 2022-07-01T00:00:00.000Z (seq 6)") {
		t.Fatalf("purge: %q %v, want %q", out, err, want)
	}
	out, stderr, err := runCmd(t, "consent", "verify", "-db", db, "-anchors", anchors, "-source", "../..")
	if err != nil || !strings.Contains(out, "chain verified: 3 records (seq 7 to 9), base "+recs[5].Hash) || !strings.Contains(out, "anchors verified: 2") {
		t.Fatalf("verify after purge: %q %q %v", out, stderr, err)
	}
	if data, _ := os.ReadFile(path); bytes.Contains(data, []byte(recs[0].ID)) {
		t.Error("a purged record id is still in the database file")
	}
	// Nothing else is old enough: a second purge deletes nothing.
	if out, _, err := runCmd(t, "consent", "purge", "-db", db, "-source", "../..", "-anchors", anchors); err != nil || !strings.HasPrefix(out, "deleted 0 records") {
		t.Errorf("second purge: %q %v", out, err)
	}
}

// files lists the folder of a store with each file's SHA-256, so that a
// test sees a store left byte for byte as it was, and no -wal, -shm or
// -journal file appear beside it.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range es {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(data))
	}
	return out
}

// audits are the commands that only read the store, each with what it
// prints on a store of 3 records.
func audits(t *testing.T, db string) []struct {
	args []string
	want string
} {
	report := filepath.Join(t.TempDir(), "report")
	return []struct {
		args []string
		want string
	}{
		{[]string{"consent", "verify", "-db", db}, "chain verified: 3 records"},
		{[]string{"consent", "export", "-db", db}, `"seq":3,`},
		{[]string{"consent", "report", "-db", db, "-out", report}, "report of 3 decisions"},
	}
}

// TestConsentAuditsNeverWrite: verify, export and report leave the store's
// file byte-identical and create nothing beside it, on a store no process
// has open (read as an immutable file) and on one an endpoint is writing
// to (read through its write-ahead log, whose records they see).
func TestConsentAuditsNeverWrite(t *testing.T) {
	t.Parallel()
	db, path := seedDB(t, 3)
	dir := filepath.Dir(path)
	before := files(t, dir)
	if len(before) != 1 {
		t.Fatalf("the seeded store left more than its file: %v", before)
	}
	for _, c := range audits(t, db) {
		out, stderr, err := runCmd(t, c.args...)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("%v: %v %q %q, want %q", c.args, err, out, stderr, c.want)
		}
		if after := files(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("%v changed the store's folder:\nbefore %v\nafter  %v", c.args, before, after)
		}
	}

	// A running endpoint: its store is open, a record is in the WAL.
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Append(ctx, consent.Record{ID: fmt.Sprintf("%032x", 99), Subject: fmt.Sprintf("%032x", 100), Time: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
		Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: "sv", Method: "reject-all", Choices: map[string]bool{"statistics": false, "marketing": false}}); err != nil {
		t.Fatal(err)
	}
	// The -shm file is the log's shared index, which every reader marks
	// where it reads (it holds no record); the database and its log are
	// left as they were.
	live := files(t, dir)
	live["consent.db-shm"] = "(index)"
	out, _, err := runCmd(t, "consent", "verify", "-db", db)
	if err != nil || !strings.HasPrefix(out, "chain verified: 4 records") {
		t.Errorf("verify while the store is open: %v %q, want the record in the WAL too", err, out)
	}
	after := files(t, dir)
	if _, ok := after["consent.db-shm"]; ok {
		after["consent.db-shm"] = "(index)"
	}
	if fmt.Sprint(after) != fmt.Sprint(live) {
		t.Errorf("verify changed the folder of an open store:\nbefore %v\nafter  %v", live, after)
	}
}

// TestConsentAuditsRefuseWhatIsNotAConsentStore: verify, export and report
// name the file and say what it is instead of creating tables in it (and
// printing "chain verified: 0 records"), and leave it as it was; a store
// of an older schema is named with its version, not upgraded. Purge, which
// writes, refuses what is not a consent store too.
func TestConsentAuditsRefuseWhatIsNotAConsentStore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, want string
		make       func(t *testing.T, path string)
	}{
		{"another SQLite database", "is not a consent store: it has no schema_migrations table (it is some other SQLite database)", func(t *testing.T, path string) {
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')`); err != nil {
				t.Fatal(err)
			}
		}},
		{"an empty file", "is not a consent store: the database is empty", func(t *testing.T, path string) {
			os.WriteFile(path, nil, 0o644)
		}},
		{"a text file", "is not a consent store: it is not a SQLite database", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(strings.Repeat("not a database\n", 100)), 0o644)
		}},
		{"a store of an older integritet", "is a consent store at schema version 4, older than the version 5 this integritet reads: an audit does not upgrade it", func(t *testing.T, path string) {
			s, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(`DROP INDEX records_decision; ALTER TABLE records DROP COLUMN decision; DELETE FROM schema_migrations WHERE version = 5`); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "other.db")
			tt.make(t, path)
			before := files(t, filepath.Dir(path))
			cmds := audits(t, "sqlite:"+path)
			if tt.name != "a store of an older integritet" { // purge migrates those, as the endpoint does
				cmds = append(cmds, struct {
					args []string
					want string
				}{[]string{"consent", "purge", "-db", "sqlite:" + path, "-anchors", writeAnchors(t), "-source", "../.."}, ""})
			}
			for _, c := range cmds {
				out, _, err := runCmd(t, c.args...)
				if err == nil || !strings.Contains(err.Error(), "sqlite: "+path+" "+tt.want) {
					t.Errorf("%v: %v %q, want an error naming %s: ...%s", c.args, err, out, path, tt.want)
				}
				if after := files(t, filepath.Dir(path)); fmt.Sprint(after) != fmt.Sprint(before) {
					t.Errorf("%v changed the folder:\nbefore %v\nafter  %v", c.args, before, after)
				}
			}
		})
	}
}

// writeAnchors writes an anchor log of the empty chain and returns its path.
func writeAnchors(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "anchors.jsonl")
	if err := os.WriteFile(p, []byte(`{"seq":0,"hash":"`+consent.GenesisHash+`","time":"2022-01-01T00:00:00.000Z"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
