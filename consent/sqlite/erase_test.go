package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
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
