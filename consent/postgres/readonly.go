package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"strconv"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/internal/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Reader reads a consent store in PostgreSQL for an audit and never
// writes to it: every transaction on its connections is read-only
// (default_transaction_read_only), no migration runs, and a database that
// does not hold the consent schema of this integritet is refused.
type Reader struct {
	db *sql.DB
	d  sqlstore.Dialect
}

var _ consent.Reader = (*Reader)(nil)

// OpenReadOnly connects to dsn for reading. A database without the
// consent tables is an error, not one to create them in; so is a consent
// store at another schema version (its version is named).
func OpenReadOnly(ctx context.Context, dsn string) (*Reader, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	what := fmt.Sprintf("postgres: database %s on %s", cfg.Database, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(2)
	r := &Reader{db: db, d: dialect()}
	if err := r.check(ctx, what); err != nil {
		db.Close()
		return nil, err
	}
	return r, nil
}

// check refuses a database that is not a consent store at the schema
// version of this integritet.
func (r *Reader) check(ctx context.Context, what string) error {
	var versioned, records, chain bool
	err := r.db.QueryRowContext(ctx, `SELECT to_regclass('consent_schema_migrations') IS NOT NULL,
		to_regclass('consent_records') IS NOT NULL, to_regclass('consent_chain') IS NOT NULL`).Scan(&versioned, &records, &chain)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if !versioned {
		return &consent.NotAStoreError{What: what, Why: "it has no consent_schema_migrations table"}
	}
	applied, err := sqlstore.Ints(ctx, r.db, `SELECT version FROM consent_schema_migrations`)
	if err != nil {
		return fmt.Errorf("%s: read the schema version: %w", what, err)
	}
	if err := sqlstore.CheckVersions(what, applied, migrations); err != nil {
		return err
	}
	if !records || !chain {
		return &consent.NotAStoreError{What: what, Why: "it lacks the consent_records or consent_chain table"}
	}
	return nil
}

// Scan implements consent.Reader, in pages of a thousand records.
func (r *Reader) Scan(ctx context.Context, fn func(consent.Record) error) error {
	return sqlstore.Pages(ctx, r.db, scanRecord, scanQuery, 1000, "postgres: scan", fn)
}

// Chain implements consent.Reader.
func (r *Reader) Chain(ctx context.Context) (consent.ChainState, error) {
	return sqlstore.Chain(ctx, r.db, r.d)
}

// Close implements consent.Reader.
func (r *Reader) Close() error { return r.db.Close() }
