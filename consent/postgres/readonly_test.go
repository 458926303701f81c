package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/postgres"
	"github.com/integritet/integritet/consent/postgres/pgtest"
	"github.com/integritet/integritet/consent/storetest"
)

func TestOpenReadOnlySeesWhatTheStoreHolds(t *testing.T) {
	dsn := pgtest.Database(t)
	s := open(t, dsn)
	defer s.Close()
	storetest.ReadOnly(t, s, func() (consent.Reader, error) { return postgres.OpenReadOnly(context.Background(), dsn) })
}

// tables lists the tables of the database at dsn, and the applied
// migrations when it has a version table.
func tables(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var names, versions string
	if err := conn.QueryRow(ctx, `SELECT coalesce(string_agg(tablename, ',' ORDER BY tablename), '') FROM pg_tables WHERE schemaname = 'public'`).Scan(&names); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(names, "consent_schema_migrations") {
		if err := conn.QueryRow(ctx, `SELECT string_agg(version::text, ',' ORDER BY version) FROM consent_schema_migrations`).Scan(&versions); err != nil {
			t.Fatal(err)
		}
	}
	return names + " " + versions
}

// A database without the consent schema is refused, named, and left
// without it; a store of an older integritet is named with its version
// and not migrated.
func TestOpenReadOnlyRefusesWhatIsNotAConsentStoreOfThisVersion(t *testing.T) {
	ctx := context.Background()
	other := pgtest.Database(t)
	conn, err := pgx.Connect(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE notes (id int PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	older := pgtest.Database(t)
	open(t, older).Close()
	conn, err = pgx.Connect(ctx, older)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ALTER TABLE consent_records DROP COLUMN decision; DELETE FROM consent_schema_migrations WHERE version = 3`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	cfg, _ := pgx.ParseConfig(other)
	for _, tc := range []struct{ dsn, want string }{
		{other, "is not a consent store: it has no consent_schema_migrations table"},
		{older, "is a consent store at schema version 2, older than the version 3 this integritet reads: an audit does not upgrade it"},
	} {
		before := tables(t, tc.dsn)
		c, _ := pgx.ParseConfig(tc.dsn)
		r, err := postgres.OpenReadOnly(ctx, tc.dsn)
		if err == nil {
			r.Close()
		}
		if want := "postgres: database " + c.Database + " on " + cfg.Host; err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("open read-only: %v, want %s... %s", err, want, tc.want)
		}
		if after := tables(t, tc.dsn); after != before {
			t.Errorf("open read-only changed the database: tables and versions %q, were %q", after, before)
		}
	}
}

// Every transaction of the reader is read-only: a write on its
// connections is refused by the server.
func TestReadOnlyConnectionsRefuseWrites(t *testing.T) {
	dsn := pgtest.Database(t)
	open(t, dsn).Close()
	r, err := postgres.OpenReadOnly(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := postgres.ExecOn(r, `UPDATE consent_chain SET head_seq = head_seq`); err == nil || !strings.Contains(err.Error(), "read-only transaction") {
		t.Errorf("a write on the reader's connection: %v, want it refused as read-only", err)
	}
}
