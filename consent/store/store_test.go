package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenPicksBackendByScheme(t *testing.T) {
	t.Parallel()
	s, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, dsn := range []string{"consent.db", "mysql://u:secret@h/db", ""} {
		_, err := Open(context.Background(), dsn)
		if err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) = %v", dsn, err)
		}
	}
}
