package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
	"github.com/integritet/integritet/consent/storetest"
)

// The read-only reader sees what the store holds, on a store another
// process has open (through its WAL) and on a closed one (as an immutable
// file, creating no -wal or -shm beside it).
func TestOpenReadOnlySeesWhatTheStoreHolds(t *testing.T) {
	t.Parallel()
	for _, closed := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "consent.db")
		s := open(t, path)
		storetest.ReadOnly(t, s, func() (consent.Reader, error) {
			if closed {
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				if es, _ := os.ReadDir(filepath.Dir(path)); len(es) != 1 {
					t.Fatalf("a closed store left %d files", len(es))
				}
			}
			return sqlite.OpenReadOnly(context.Background(), path)
		})
		if closed {
			if es, _ := os.ReadDir(filepath.Dir(path)); len(es) != 1 {
				t.Errorf("reading a closed store left %d files, want only the database", len(es))
			}
		} else {
			s.Close()
		}
	}
}

// A closed store is read as an immutable file: when a writer opens it and
// writes it while it is read, the read fails and says so instead of
// answering from a file that changed under it.
func TestOpenReadOnlyNoticesAWriterOfAClosedStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consent.db")
	s := open(t, path)
	if _, err := s.Append(ctx, storetest.Rec(0, strings.Repeat("a", 32))); err != nil {
		t.Fatal(err)
	}
	s.Close()
	r, err := sqlite.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if v, err := consent.Verify(ctx, r); err != nil || v.Records != 1 {
		t.Fatalf("verify: %+v %v", v, err)
	}
	s = open(t, path)
	if _, err := s.Append(ctx, storetest.Rec(1, strings.Repeat("a", 32))); err != nil {
		t.Fatal(err)
	}
	s.Close() // checkpoints the record into the database file
	if _, err := consent.Verify(ctx, r); err == nil || !strings.Contains(err.Error(), "sqlite: "+path+" changed while it was read (a writer opened it): run the audit again") {
		t.Errorf("verify of a file written meanwhile: %v", err)
	}
}
