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

// A database written before migration 3 (records without decision ids)
// is upgraded by Open: its records read back without one and still
// verify, new records carry theirs, and a decision sent again is stored
// once.
func TestOpenUpgradesADatabaseWithoutDecisionIDs(t *testing.T) {
	dsn := pgtest.Database(t)
	ctx := context.Background()
	s := open(t, dsn)
	for i := range 3 {
		r := storetest.Rec(i, "0123456789abcdef0123456789abcdef")
		r.Digest = "sha256:" + strings.Repeat("0e", 32)
		if _, err := s.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ALTER TABLE consent_records DROP COLUMN decision; DELETE FROM consent_schema_migrations WHERE version = 3`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	s = open(t, dsn)
	defer s.Close()
	in := storetest.Rec(3, "0123456789abcdef0123456789abcdef")
	in.Decision = strings.Repeat("5d", 16)
	first, err := s.Append(ctx, in)
	if err != nil {
		t.Fatalf("append after the upgrade: %v", err)
	}
	again := storetest.Rec(4, in.Subject)
	again.Decision = in.Decision
	if r, err := s.Append(ctx, again); err != nil || r.ID != first.ID {
		t.Fatalf("the decision again after the upgrade: %+v %v", r, err)
	}
	var ids []string
	if err := s.Scan(ctx, func(r consent.Record) error { ids = append(ids, r.Decision); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "", "", in.Decision}; strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Errorf("decision ids after the upgrade %q, want %q", ids, want)
	}
	if v, err := consent.Verify(ctx, s); err != nil || v.Broken != nil || v.Records != 4 {
		t.Fatalf("verify after the upgrade: %+v %v", v, err)
	}
}
