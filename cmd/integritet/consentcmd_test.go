package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
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
	for _, sub := range []string{"verify", "export"} {
		if _, _, err := runCmd(t, "consent", sub, "-db", "sqlite:"+missing); err == nil {
			t.Errorf("%s of a missing database succeeded", sub)
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

func TestEveryConsentCommandHasHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"endpoint", "-h"}, {"consent", "-h"}, {"consent", "verify", "-h"}, {"consent", "export", "-h"}, {"consent", "purge", "-h"}} {
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
	h := staticSite(dir)
	tests := []struct {
		method, path string
		status       int
		cache        string
	}{
		{"GET", "/sv/integritetspolicy/", 200, "no-cache"},
		{"GET", "/assets/consent.3f2a9c0d.js", 200, "public, max-age=31536000, immutable"},
		{"GET", "/robots.txt", 200, "public, max-age=3600"},
		{"GET", "/.env", 404, ""},
		{"GET", "/empty/", 404, ""},
		{"GET", "/nothing", 404, ""},
		{"POST", "/robots.txt", 405, ""},
	}
	for _, tc := range tests {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
		if w.Code != tc.status || w.Header().Get("Cache-Control") != tc.cache {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, w.Code, w.Header().Get("Cache-Control"), tc.status, tc.cache)
		}
		if w.Code == 200 && w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", tc.path)
		}
	}
}
