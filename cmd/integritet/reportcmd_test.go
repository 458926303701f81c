package main

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConsentReportWritesPageAndTables(t *testing.T) {
	t.Parallel()
	db, _ := seedDB(t, 24)
	out := filepath.Join(t.TempDir(), "report")
	stdout, stderr, err := runCmd(t, "consent", "report", "-db", db, "-by", "month", "-since", "2026-01-01", "-until", "2026-12-31", "-out", out)
	if err != nil || !strings.HasPrefix(stdout, "report of 12 decisions written to "+out+" (7 files)") {
		t.Fatalf("report: %q %q %v", stdout, stderr, err)
	}
	for _, f := range []string{"index.html", "report.css", "decisions.csv", "categories.csv", "withdrawals.csv", "languages.csv", "chain.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	// One record a month: every month's count is hidden; the year of 12
	// shows in the languages table.
	dec, _ := os.ReadFile(filepath.Join(out, "decisions.csv"))
	if !strings.HasPrefix(string(dec), "month,accept-all,reject-all,custom,withdraw,gpc,total\n2026-01,<10,<10,<10,<10,<10,<10\n") || strings.Count(string(dec), "\n") != 13 {
		t.Errorf("decisions.csv:\n%s", dec)
	}
	lang, _ := os.ReadFile(filepath.Join(out, "languages.csv"))
	if string(lang) != "language,decisions,share\nsv,12,100.0%\n" {
		t.Errorf("languages.csv:\n%s", lang)
	}
}

func TestConsentReportOfABrokenChainSaysSoAndFails(t *testing.T) {
	t.Parallel()
	db, path := seedDB(t, 12)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE records SET language = 'en' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out := filepath.Join(t.TempDir(), "report")
	_, stderr, err := runCmd(t, "consent", "report", "-db", db, "-out", out)
	if !errors.Is(err, errReported) || !strings.Contains(stderr, "the chain does not verify: 1 faults, the first: chain broken at seq 3") {
		t.Fatalf("report of a tampered store: %v %q", err, stderr)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(page), "Chain NOT verified: 1 faults") {
		t.Error("the page does not say that the chain does not verify")
	}
	// The altered record is not counted: 11 of 12.
	chain, _ := os.ReadFile(filepath.Join(out, "chain.csv"))
	if !strings.Contains(string(chain), "records in the report's range,11\n") {
		t.Errorf("chain.csv:\n%s", chain)
	}
}

func TestConsentReportFailureLeavesPreviousReport(t *testing.T) {
	t.Parallel()
	db, _ := seedDB(t, 3)
	out := filepath.Join(t.TempDir(), "report")
	if _, _, err := runCmd(t, "consent", "report", "-db", db, "-out", out); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if _, _, err := runCmd(t, "consent", "report", "-db", "sqlite:"+filepath.Join(t.TempDir(), "nope.db"), "-out", out); err == nil {
		t.Fatal("a report of a missing store succeeded")
	}
	after, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if len(before) == 0 || string(before) != string(after) {
		t.Error("a failed report changed the previous one")
	}
}
