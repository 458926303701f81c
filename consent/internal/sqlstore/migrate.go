package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migrations describes a store's embedded migrations.
type Migrations struct {
	// Setup runs first in the migration transaction: it must make sure
	// only one migrator runs and create the version table if missing.
	Setup []string
	// FS holds the migrations as migrations/NNN_name.sql, applied in the
	// order of NNN.
	FS fs.FS
	// Applied counts the rows of the version table for one version (its
	// one argument); Record adds a version.
	Applied, Record string
	// After holds Go steps run right after a version's SQL, in the same
	// transaction (filling a new column, say).
	After map[int]func(context.Context, *sql.Tx) error
}

// Migrate applies, in one transaction on db, the migrations db has not
// applied yet.
func Migrate(ctx context.Context, db *sql.DB, m Migrations) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range m.Setup {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if err := apply(ctx, tx, m); err != nil {
		return err
	}
	return tx.Commit()
}

func apply(ctx context.Context, tx *sql.Tx, m Migrations) error {
	names, err := fs.Glob(m.FS, "migrations/*.sql")
	if err != nil {
		return err
	}
	type migration struct {
		version int
		name    string
	}
	var ms []migration
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", name)
		}
		ms = append(ms, migration{v, name})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for _, mg := range ms {
		var n int
		if err := tx.QueryRowContext(ctx, m.Applied, mg.version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(m.FS, mg.name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", mg.name, err)
		}
		if after := m.After[mg.version]; after != nil {
			if err := after(ctx, tx); err != nil {
				return fmt.Errorf("migration %s: %w", mg.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, m.Record, mg.version); err != nil {
			return err
		}
	}
	return nil
}
