package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/postgres/pgtest"
	"github.com/integritet/integritet/consent/storetest"
)

// A database written before migration 2 (records without the digest of
// the text they were given on) is upgraded by Open: its records read back
// with no digest and still verify, and new records carry theirs in the
// same chain.
func TestOpenUpgradesADatabaseWithoutDigests(t *testing.T) {
	dsn := pgtest.Database(t)
	ctx := context.Background()
	s := open(t, dsn)
	for i := range 3 {
		if _, err := s.Append(ctx, storetest.Rec(i, "0123456789abcdef0123456789abcdef")); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	// Take the database back to migration 1, as an older integritet left it.
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ALTER TABLE consent_records DROP COLUMN digest; DELETE FROM consent_schema_migrations WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	s = open(t, dsn)
	defer s.Close()
	in := storetest.Rec(3, "0123456789abcdef0123456789abcdef")
	in.Digest = "sha256:" + strings.Repeat("0f", 32)
	if _, err := s.Append(ctx, in); err != nil {
		t.Fatalf("append after the upgrade: %v", err)
	}
	var digests []string
	if err := s.Scan(ctx, func(r consent.Record) error { digests = append(digests, r.Digest); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "", "", in.Digest}; strings.Join(digests, ",") != strings.Join(want, ",") {
		t.Errorf("digests after the upgrade %q, want %q", digests, want)
	}
	if v, err := consent.Verify(ctx, s); err != nil || v.Broken != nil || v.Records != 4 || v.Digests[""] != 3 || v.Digests[in.Digest] != 1 {
		t.Fatalf("verify after the upgrade: %+v %v", v, err)
	}
}
