package sqlite

import (
	"context"
	"testing"
)

// Tamper runs sql on the database at path, bypassing the store.
func Tamper(t *testing.T, path, sql string) {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.write.Exec(sql); err != nil {
		t.Fatalf("tamper: %v", err)
	}
}
