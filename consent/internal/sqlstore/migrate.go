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

	"github.com/integritet/integritet/consent"
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

type migration struct {
	version int
	name    string
}

// embedded lists the migrations of fsys in the order of their numbers.
func embedded(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", name)
		}
		ms = append(ms, migration{v, name})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	return ms, nil
}

// CheckVersions compares the versions a store has applied (its version
// table, any order) with the migrations embedded in fsys, for a reader
// that must not migrate: nil when they are the same. what names the store
// in the error ("sqlite: /srv/consent.db").
func CheckVersions(what string, applied []int, fsys fs.FS) error {
	ms, err := embedded(fsys)
	if err != nil {
		return err
	}
	known := map[int]bool{}
	latest := 0
	for _, m := range ms {
		known[m.version] = true
		latest = max(latest, m.version)
	}
	have := map[int]bool{}
	top := 0
	for _, v := range applied {
		have[v] = true
		top = max(top, v)
		if !known[v] {
			return fmt.Errorf("%s was written by a newer integritet (schema version %d; this one reads up to %d): audit it with that version or a later one", what, v, latest)
		}
	}
	if len(applied) == 0 {
		return &consent.NotAStoreError{What: what, Why: "its schema version table is empty"}
	}
	for _, m := range ms {
		if !have[m.version] && top >= latest {
			return fmt.Errorf("%s is a consent store without migration %s but with later ones: its schema was altered outside integritet", what, m.name)
		}
		if !have[m.version] {
			return fmt.Errorf("%s is a consent store at schema version %d, older than the version %d this integritet reads: an audit does not upgrade it; start this version's `integritet endpoint` on it once (it migrates the store), or audit it with the integritet that wrote it", what, top, latest)
		}
	}
	return nil
}

func apply(ctx context.Context, tx *sql.Tx, m Migrations) error {
	ms, err := embedded(m.FS)
	if err != nil {
		return err
	}
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
