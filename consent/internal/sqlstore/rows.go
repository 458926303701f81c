// Package sqlstore is what the SQLite and PostgreSQL consent stores share:
// the loops that read records and the runner of embedded migrations. Each
// store keeps its own SQL and its own row scanner (their column types and
// placeholders differ).
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/integritet/integritet/consent"
)

// Scanner is a row: *sql.Row or *sql.Rows.
type Scanner interface{ Scan(dest ...any) error }

// ScanFunc reads one record from a row.
type ScanFunc func(Scanner) (consent.Record, error)

// All runs query and returns every row as a record.
func All(ctx context.Context, db *sql.DB, scan ScanFunc, query string, args ...any) ([]consent.Record, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []consent.Record
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Pages calls fn for every record in seq order. query takes two arguments,
// the seq to start after and a limit, and is run once per page of size
// records, so that a long scan does not hold one read transaction open
// over the whole table and fn runs with no rows open. An error of fn is
// returned as it is; one of the database is wrapped with prefix.
func Pages(ctx context.Context, db *sql.DB, scan ScanFunc, query string, size int, prefix string, fn func(consent.Record) error) error {
	after := int64(-1)
	for {
		page, err := All(ctx, db, scan, query, after, size)
		if err != nil {
			return fmt.Errorf("%s: %w", prefix, err)
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < size {
			return nil
		}
		after = page[len(page)-1].Seq
	}
}

// Ints runs query and returns its one integer column.
func Ints(ctx context.Context, db *sql.DB, query string, args ...any) ([]int, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
