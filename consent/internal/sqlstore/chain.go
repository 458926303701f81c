package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
)

// Dialect is what differs between the SQL stores for the chain row and
// purges: table names, placeholders, how a time is stored.
type Dialect struct {
	Name           string // "sqlite", "postgres": prefixes errors
	Records, Chain string // table names
	Columns        string // the columns Scan reads, in its order
	TimeColumn     string
	Scan           ScanFunc
	// Param returns the placeholder of the n-th argument (1-based).
	Param func(n int) string
	// Time converts a time to what TimeColumn holds.
	Time func(time.Time) any
	// Lock, when set, runs first in a purge transaction to lock the chain
	// row against appends (PostgreSQL); SQLite's BEGIN IMMEDIATE does it.
	Lock string
	// Erase runs after a purge commits, so that the deleted rows leave
	// the database's files (secure_delete and a WAL truncate, VACUUM FULL).
	Erase func(ctx context.Context) error
}

// q replaces $1, $2, ... in query by the dialect's placeholders.
func (d Dialect) q(query string) string {
	for i := 9; i >= 1; i-- {
		query = strings.ReplaceAll(query, fmt.Sprintf("$%d", i), d.Param(i))
	}
	return strings.NewReplacer("{records}", d.Records, "{chain}", d.Chain, "{columns}", d.Columns, "{time}", d.TimeColumn).Replace(query)
}

// Chain reads the chain row.
func Chain(ctx context.Context, db *sql.DB, d Dialect) (consent.ChainState, error) {
	var c consent.ChainState
	err := db.QueryRowContext(ctx, d.q(`SELECT base_seq, base_hash, head_seq, head_hash FROM {chain} WHERE id = 1`)).
		Scan(&c.BaseSeq, &c.BaseHash, &c.HeadSeq, &c.HeadHash)
	if err != nil {
		return c, fmt.Errorf("%s: read chain: %w", d.Name, err)
	}
	return c, nil
}

// PurgeThrough implements consent.Store.PurgeThrough for a SQL store.
func PurgeThrough(ctx context.Context, db *sql.DB, d Dialect, seq int64, hash string, cutoff time.Time) (consent.Purged, error) {
	var out consent.Purged
	fail := func(format string, args ...any) (consent.Purged, error) {
		return consent.Purged{}, fmt.Errorf("%s: purge through seq %d: %s", d.Name, seq, fmt.Sprintf(format, args...))
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fail("begin: %v", err)
	}
	defer tx.Rollback()
	if d.Lock != "" {
		if _, err := tx.ExecContext(ctx, d.q(d.Lock)); err != nil {
			return fail("lock chain: %v", err)
		}
	}
	var c consent.ChainState
	if err := tx.QueryRowContext(ctx, d.q(`SELECT base_seq, base_hash, head_seq, head_hash FROM {chain} WHERE id = 1`)).
		Scan(&c.BaseSeq, &c.BaseHash, &c.HeadSeq, &c.HeadHash); err != nil {
		return fail("read chain: %v", err)
	}
	switch {
	case seq <= c.BaseSeq:
		return fail("not after the chain base (seq %d)", c.BaseSeq)
	case seq > c.HeadSeq:
		return fail("past the chain head (seq %d)", c.HeadSeq)
	}
	last, err := d.Scan(tx.QueryRowContext(ctx, d.q(`SELECT {columns} FROM {records} WHERE seq = $1`), seq))
	if errors.Is(err, sql.ErrNoRows) {
		return fail("no record has that seq")
	}
	if err != nil {
		return fail("read record: %v", err)
	}
	if last.Hash != hash {
		return fail("record hash %s is not %s", last.Hash, hash)
	}
	var young int64
	if err := tx.QueryRowContext(ctx, d.q(`SELECT count(*) FROM {records} WHERE seq <= $1 AND {time} >= $2`), seq, d.Time(cutoff)).Scan(&young); err != nil {
		return fail("check record times: %v", err)
	}
	if young > 0 {
		return fail("%d of its records are not older than %s", young, cutoff.UTC().Format(time.RFC3339))
	}
	first, err := d.Scan(tx.QueryRowContext(ctx, d.q(`SELECT {columns} FROM {records} WHERE seq > $1 ORDER BY seq LIMIT 1`), c.BaseSeq))
	if err != nil {
		return fail("read first record: %v", err)
	}
	res, err := tx.ExecContext(ctx, d.q(`DELETE FROM {records} WHERE seq <= $1`), seq)
	if err != nil {
		return fail("delete: %v", err)
	}
	out.Records, _ = res.RowsAffected()
	out.FirstSeq, out.LastSeq, out.Oldest, out.Newest = first.Seq, seq, first.Time, last.Time
	if _, err := tx.ExecContext(ctx, d.q(`UPDATE {chain} SET base_seq = $1, base_hash = $2 WHERE id = 1`), seq, hash); err != nil {
		return fail("move chain base: %v", err)
	}
	if err := tx.Commit(); err != nil {
		return fail("commit: %v", err)
	}
	if d.Erase != nil {
		if err := d.Erase(ctx); err != nil {
			return out, fmt.Errorf("%s: purge: %d records deleted, but erasing them from the files failed: %w", d.Name, out.Records, err)
		}
	}
	return out, nil
}

// Ready commits a transaction that rewrites the chain row unchanged: a
// store that cannot commit (disk full, database gone) fails it.
func Ready(ctx context.Context, db *sql.DB, d Dialect) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: ready: begin: %w", d.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, d.q(`UPDATE {chain} SET head_seq = head_seq WHERE id = 1`)); err != nil {
		return fmt.Errorf("%s: ready: write: %w", d.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: ready: commit: %w", d.Name, err)
	}
	return nil
}
