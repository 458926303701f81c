package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/internal/sqlstore"
	"github.com/integritet/integritet/consent/internal/subjectkey"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Reader reads a consent store in a SQLite file for an audit and never
// writes to it: the file is opened read-only (mode=ro, query_only), no
// migration runs, and a store whose schema is not the one this integritet
// writes is refused instead of upgraded.
type Reader struct {
	path string
	db   *sql.DB
	key  subjectkey.Key
	// still, when set, is the file as it was when it was opened without
	// its write-ahead log (immutable=1, so that no -wal or -shm file is
	// created beside it); every read checks that it has not changed since.
	still os.FileInfo
	d     sqlstore.Dialect
}

var _ consent.Reader = (*Reader)(nil)

// OpenReadOnly opens the consent store at path for reading. A path with
// no file is an error, not a new store; so is a file that is not a SQLite
// database, a database that is not a consent store, and a consent store at
// another schema version (its version is named).
//
// A store that has no -wal, -shm or -journal file beside it is quiescent
// (no process has it open): it is read as an immutable file, which creates
// no -wal and -shm files, and a read fails if the file changes meanwhile
// (a writer opened and checkpointed it; run the audit again). A store
// whose -wal file exists (a running endpoint) is read through the log, in
// SQLite's shared read-only mode.
func OpenReadOnly(ctx context.Context, path string) (*Reader, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("sqlite: no consent store at %s: the file does not exist", path)
	case err != nil:
		return nil, fmt.Errorf("sqlite: %w", err)
	case !fi.Mode().IsRegular():
		return nil, &consent.NotAStoreError{What: "sqlite: " + path, Why: "not a regular file"}
	}
	q := url.Values{}
	q.Set("mode", "ro")
	r := &Reader{path: path}
	if !exists(path+"-wal") && !exists(path+"-shm") && !exists(path+"-journal") {
		q.Set("immutable", "1")
		r.still = fi
	}
	for _, p := range []string{"query_only(1)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(2)
	r.db = db
	r.d = dialect(r.scan)
	if err := r.check(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if r.key, err = readKey(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if err := r.unchanged(); err != nil {
		db.Close()
		return nil, err
	}
	return r, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// check refuses a file that is not a consent store at the schema version
// of this integritet.
func (r *Reader) check(ctx context.Context) error {
	what := "sqlite: " + r.path
	rows, err := r.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		if se := (*msqlite.Error)(nil); errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_NOTADB {
			return &consent.NotAStoreError{What: what, Why: "it is not a SQLite database"}
		}
		return fmt.Errorf("%s: read the schema: %w", what, err)
	}
	tables := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("%s: read the schema: %w", what, err)
		}
		tables[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: read the schema: %w", what, err)
	}
	if !tables["schema_migrations"] {
		if len(tables) == 0 {
			return &consent.NotAStoreError{What: what, Why: "the database is empty"}
		}
		return &consent.NotAStoreError{What: what, Why: "it has no schema_migrations table (it is some other SQLite database)"}
	}
	applied, err := sqlstore.Ints(ctx, r.db, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("%s: read the schema version: %w", what, err)
	}
	if err := sqlstore.CheckVersions(what, applied, migrations); err != nil {
		return err
	}
	for _, t := range []string{"records", "chain", "store_key"} {
		if !tables[t] {
			return &consent.NotAStoreError{What: what, Why: fmt.Sprintf("it has no %s table", t)}
		}
	}
	return nil
}

// unchanged fails when a store opened as immutable has changed since.
func (r *Reader) unchanged() error {
	if r.still == nil {
		return nil
	}
	fi, err := os.Stat(r.path)
	if err != nil || !os.SameFile(fi, r.still) || fi.Size() != r.still.Size() || !fi.ModTime().Equal(r.still.ModTime()) {
		return fmt.Errorf("sqlite: %s changed while it was read (a writer opened it): run the audit again", r.path)
	}
	return nil
}

func (r *Reader) scan(row sqlstore.Scanner) (consent.Record, error) { return scanRecord(r.key, row) }

// Scan implements consent.Reader, in pages of a thousand records. A
// change of an immutable file is named before any error reading it gave:
// the change is its cause.
func (r *Reader) Scan(ctx context.Context, fn func(consent.Record) error) error {
	err := sqlstore.Pages(ctx, r.db, r.scan, scanQuery, 1000, "sqlite: scan", fn)
	if cerr := r.unchanged(); cerr != nil {
		return cerr
	}
	return err
}

// Chain implements consent.Reader.
func (r *Reader) Chain(ctx context.Context) (consent.ChainState, error) {
	c, err := sqlstore.Chain(ctx, r.db, r.d)
	if cerr := r.unchanged(); cerr != nil {
		return c, cerr
	}
	return c, err
}

// Close implements consent.Reader.
func (r *Reader) Close() error { return r.db.Close() }
