// Package sqlite stores consent records in one SQLite file (WAL,
// synchronous=FULL) through modernc.org/sqlite. One writer goroutine commits
// whatever is queued in one transaction (group commit).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/internal/groupcommit"
	"github.com/integritet/integritet/consent/internal/sqlstore"
	"github.com/integritet/integritet/consent/internal/subjectkey"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// maxBatch bounds one group commit.
const maxBatch = 256

// Store is a consent.Store in a SQLite file.
type Store struct {
	write  *sql.DB // one connection: the writer goroutine and purges
	read   *sql.DB
	key    subjectkey.Key
	insert *sql.Stmt // prepared once on the write connection
	move   *sql.Stmt // moves the stored head if it is still the remembered one
	find   *sql.Stmt // the stored records of a JSON array of decision ids
	writer *groupcommit.Writer[consent.Record]

	// The chain head as of this store's last commit; only the writer
	// goroutine touches it. Each commit moves the stored head on the
	// condition that it is still this one, so another process appending
	// to the same file is noticed, not forked.
	head struct {
		seq  int64
		hash string
	}
	headKnown bool

	dialect sqlstore.Dialect
}

var _ consent.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path and applies the
// embedded migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	q := url.Values{}
	// secure_delete: a purge overwrites what it deletes with zeros, so a
	// purged record cannot be read back from free pages (see Erase).
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)", "secure_delete(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	s := &Store{write: write}
	s.dialect = dialect(s.scanRecord)
	s.dialect.Erase = s.erase
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	if err := s.erasePending(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	s.read = read
	if s.key, err = readKey(ctx, write); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	s.insert, err = write.PrepareContext(ctx, `INSERT INTO records (`+columns+`, subject_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: prepare insert: %w", err)
	}
	s.move, err = write.PrepareContext(ctx, `UPDATE chain SET head_seq = ?, head_hash = ? WHERE id = 1 AND head_seq = ? AND head_hash = ?`)
	if err != nil {
		s.insert.Close()
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: prepare head update: %w", err)
	}
	s.find, err = write.PrepareContext(ctx, `SELECT `+columns+`, subject_key FROM records WHERE decision IN (SELECT value FROM json_each(?))`)
	if err != nil {
		s.insert.Close()
		s.move.Close()
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: prepare decision lookup: %w", err)
	}
	s.writer = groupcommit.New(s.commit, maxBatch)
	return s, nil
}

// dialect is the SQLite store's for sqlstore, with scan as its row reader.
func dialect(scan sqlstore.ScanFunc) sqlstore.Dialect {
	return sqlstore.Dialect{
		Name: "sqlite", Records: "records", Chain: "chain", Columns: columns + ", subject_key", TimeColumn: "time_ms",
		Scan:  scan,
		Param: func(int) string { return "?" },
		Time:  func(t time.Time) any { return t.UnixMilli() },
	}
}

func readKey(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (subjectkey.Key, error) {
	var secret []byte
	if err := q.QueryRowContext(ctx, `SELECT secret FROM store_key WHERE id = 1`).Scan(&secret); err != nil {
		return subjectkey.Key{}, fmt.Errorf("read subject key: %w", err)
	}
	return subjectkey.New(secret)
}

// fillSubjectKeys gives the rows written before migration 2 their
// subject_key, a page of rows at a time so that memory stays small on a
// large store.
func fillSubjectKeys(ctx context.Context, tx *sql.Tx) error {
	key, err := readKey(ctx, tx)
	if err != nil {
		return err
	}
	type row struct {
		seq int64
		key [subjectkey.Size]byte
	}
	const page = 10_000
	fill := make([]row, 0, page)
	for after := int64(-1); ; after = fill[len(fill)-1].seq {
		fill = fill[:0]
		rows, err := tx.QueryContext(ctx, `SELECT seq, subject FROM records WHERE seq > ? ORDER BY seq LIMIT ?`, after, page)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r row
			var subject string
			if err := rows.Scan(&r.seq, &subject); err != nil {
				rows.Close()
				return err
			}
			k, ok := key.Index(subject)
			if !ok {
				rows.Close()
				return fmt.Errorf("record %d: subject %q is not 32 lowercase hex digits", r.seq, subject)
			}
			r.key = k
			fill = append(fill, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range fill {
			if _, err := tx.ExecContext(ctx, `UPDATE records SET subject_key = ? WHERE seq = ?`, r.key[:], r.seq); err != nil {
				return err
			}
		}
		if len(fill) < page {
			return nil
		}
	}
}

func (s *Store) migrate(ctx context.Context) error {
	return sqlstore.Migrate(ctx, s.write, sqlstore.Migrations{ // BEGIN IMMEDIATE: one migrator at a time
		Setup:   []string{`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY) STRICT`},
		FS:      migrations,
		Applied: `SELECT count(*) FROM schema_migrations WHERE version = ?`,
		Record:  `INSERT INTO schema_migrations (version) VALUES (?)`,
		After:   map[int]func(context.Context, *sql.Tx) error{2: fillSubjectKeys},
	})
}

// Append implements consent.Store.
func (s *Store) Append(ctx context.Context, r consent.Record) (consent.Record, error) {
	out, err := s.writer.Submit(ctx, r)
	if errors.Is(err, groupcommit.ErrClosed) {
		return consent.Record{}, consent.ErrClosed
	}
	return out, err
}

func (s *Store) commit(ctx context.Context, batch []consent.Record) ([]consent.Record, error) {
	out, err := s.commitTx(ctx, batch)
	if err != nil {
		s.headKnown = false // read it again: the transaction may have moved nothing
	}
	return out, err
}

func (s *Store) commitTx(ctx context.Context, batch []consent.Record) ([]consent.Record, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin: %w", err)
	}
	defer tx.Rollback()
	// Decisions sent again are answered with their stored record. The
	// transaction holds the write lock (BEGIN IMMEDIATE): no other writer
	// stores one between this read and the insert.
	stored, err := s.storedDecisions(ctx, tx, batch)
	if err != nil {
		return nil, err
	}
	b := sqlstore.NewBatch(batch, stored)
	if len(b.Fresh) == 0 {
		b.Link(0, "")
		return b.Out, nil // nothing to write
	}
	// Link after the remembered head and move the stored one on the
	// condition that it is still that head. If another writer moved it,
	// read it (this transaction holds the write lock now) and link again.
	for reread := false; ; reread = true {
		if !s.headKnown {
			if err := tx.QueryRowContext(ctx, `SELECT head_seq, head_hash FROM chain WHERE id = 1`).Scan(&s.head.seq, &s.head.hash); err != nil {
				return nil, fmt.Errorf("sqlite: read chain head: %w", err)
			}
			s.headKnown = true // until commit fails
		}
		seq, hash := b.Link(s.head.seq, s.head.hash)
		res, err := tx.StmtContext(ctx, s.move).ExecContext(ctx, seq, hash, s.head.seq, s.head.hash)
		if err != nil {
			return nil, fmt.Errorf("sqlite: move chain head: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 1 {
			break
		}
		if reread {
			return nil, errors.New("sqlite: move chain head: the head changed under the write lock")
		}
		s.headKnown = false
	}
	stmt := tx.StmtContext(ctx, s.insert) // the same connection: no new prepare
	for _, i := range b.Fresh {
		r := b.Out[i]
		key, ok := s.key.Index(r.Subject)
		if !ok {
			return nil, fmt.Errorf("sqlite: record %d: subject %q is not 32 lowercase hex digits", r.Seq, r.Subject)
		}
		if _, err := stmt.ExecContext(ctx, r.Seq, r.ID, r.Subject, r.Time.UnixMilli(), r.Version, r.Revision,
			r.Language, r.Method, consent.EncodeChoices(r.Choices), r.GPC, r.PrevHash, r.Hash, r.Digest, nullable(r.Decision), key[:]); err != nil {
			return nil, fmt.Errorf("sqlite: insert record %d: %w", r.Seq, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlite: commit: %w", err)
	}
	last := b.Out[b.Fresh[len(b.Fresh)-1]]
	s.head.seq, s.head.hash, s.headKnown = last.Seq, last.Hash, true
	return b.Out, nil
}

// storedDecisions reads, in tx, the records stored under the decision ids
// of batch.
func (s *Store) storedDecisions(ctx context.Context, tx *sql.Tx, batch []consent.Record) (map[string]consent.Record, error) {
	ids := sqlstore.Decisions(batch)
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("sqlite: look up decisions: %w", err)
	}
	rows, err := tx.StmtContext(ctx, s.find).QueryContext(ctx, string(list))
	if err != nil {
		return nil, fmt.Errorf("sqlite: look up decisions: %w", err)
	}
	defer rows.Close()
	var stored map[string]consent.Record
	for rows.Next() {
		r, err := s.scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: look up decisions: %w", err)
		}
		if stored == nil {
			stored = map[string]consent.Record{}
		}
		stored[r.Decision] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: look up decisions: %w", err)
	}
	return stored, nil
}

// nullable stores an empty string as NULL: the unique index on decision
// takes any number of NULLs.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// scanQuery reads a page of rows in seq order: after a seq, a limit.
const scanQuery = `SELECT ` + columns + `, subject_key FROM records WHERE seq > ? ORDER BY seq LIMIT ?`

const columns = `seq, record_id, subject, time_ms, version, revision, language, method, choices, gpc, prev_hash, hash, digest, decision`

// scanRecord reads columns and subject_key. A subject_key that is not the
// one of the record's subject (which the hash covers) sets Mismatch: the
// row would be found under another visitor's id.
func (s *Store) scanRecord(row sqlstore.Scanner) (consent.Record, error) {
	return scanRecord(s.key, row)
}

func scanRecord(k subjectkey.Key, row sqlstore.Scanner) (consent.Record, error) {
	var r consent.Record
	var ms int64
	var choices string
	var key []byte
	var decision sql.NullString
	if err := row.Scan(&r.Seq, &r.ID, &r.Subject, &ms, &r.Version, &r.Revision, &r.Language, &r.Method,
		&choices, &r.GPC, &r.PrevHash, &r.Hash, &r.Digest, &decision, &key); err != nil {
		return r, err
	}
	r.Decision = decision.String
	r.Time = time.UnixMilli(ms).UTC()
	c, err := consent.DecodeChoices(choices)
	if err != nil {
		return r, fmt.Errorf("record %d: choices: %w", r.Seq, err)
	}
	r.Choices = c
	if want, ok := k.Index(r.Subject); !ok || string(want[:]) != string(key) {
		r.Mismatch = "subject_key is not the index key of the record's subject"
	}
	return r, nil
}

// IssueSubject implements consent.SubjectIssuer: the id is 128 bits that
// look random, and its index key starts with t (package subjectkey).
func (s *Store) IssueSubject(t time.Time, random []byte) string { return s.key.Issue(t, random) }

// Issued implements consent.SubjectIssuer.
func (s *Store) Issued(subject string) bool { return s.key.Issued(subject) }

// Subject implements consent.Store. Rows whose subject_key was changed to
// this subject's are not returned: their subject column says whose they are.
func (s *Store) Subject(ctx context.Context, subject string, after int64, limit int) ([]consent.Record, error) {
	key, ok := s.key.Index(subject)
	if !ok {
		return nil, nil // no record has it: Append refuses such subjects
	}
	recs, err := sqlstore.All(ctx, s.read, s.scanRecord, `SELECT `+columns+`, subject_key FROM records WHERE subject_key = ? AND seq > ? ORDER BY seq LIMIT ?`, key[:], after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: query subject: %w", err)
	}
	out := recs[:0]
	for _, r := range recs {
		if r.Subject == subject && r.Mismatch == "" {
			out = append(out, r)
		}
	}
	return out, nil
}

// Decision implements consent.Store.
func (s *Store) Decision(ctx context.Context, id string) (consent.Record, bool, error) {
	r, err := s.scanRecord(s.read.QueryRowContext(ctx, `SELECT `+columns+`, subject_key FROM records WHERE decision = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return consent.Record{}, false, nil
	}
	if err != nil {
		return consent.Record{}, false, fmt.Errorf("sqlite: find decision: %w", err)
	}
	return r, true, nil
}

// Scan implements consent.Store, in pages of a thousand records.
func (s *Store) Scan(ctx context.Context, fn func(consent.Record) error) error {
	return sqlstore.Pages(ctx, s.read, s.scanRecord, scanQuery, 1000, "sqlite: scan", fn)
}

// Chain implements consent.Store.
func (s *Store) Chain(ctx context.Context) (consent.ChainState, error) {
	return sqlstore.Chain(ctx, s.read, s.dialect)
}

// PurgeThrough implements consent.Store. The write connection runs with
// secure_delete, so deleted cells and freed pages are zeroed; erase then
// truncates the WAL, which still holds the pages as they were written.
func (s *Store) PurgeThrough(ctx context.Context, seq int64, hash string, cutoff time.Time) (consent.Purged, error) {
	return sqlstore.PurgeThrough(ctx, s.write, s.dialect, seq, hash, cutoff)
}

// erase checkpoints the WAL into the database file and truncates it to
// zero bytes. A reader still holding an old snapshot makes the checkpoint
// busy; it is tried again for a few seconds.
func (s *Store) erase(ctx context.Context) error {
	for try := 0; ; try++ {
		var busy, logFrames, done int
		if err := s.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if busy == 0 {
			return nil
		}
		if try == 50 {
			return errors.New("checkpoint: readers kept the WAL busy; run purge again")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// erasePending rewrites a database that migration 3 marked (purged before
// secure_delete), so that rows purged then leave the file too.
func (s *Store) erasePending(ctx context.Context) error {
	var n int
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM erase_pending`).Scan(&n); err != nil {
		return fmt.Errorf("check for rows to erase: %w", err)
	}
	if n == 0 {
		return nil
	}
	if _, err := s.write.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("erase rows purged before secure_delete: vacuum: %w", err)
	}
	if err := s.erase(ctx); err != nil {
		return fmt.Errorf("erase rows purged before secure_delete: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM erase_pending`); err != nil {
		return fmt.Errorf("erase rows purged before secure_delete: %w", err)
	}
	return nil
}

// Ready implements consent.Store.
func (s *Store) Ready(ctx context.Context) error { return sqlstore.Ready(ctx, s.write, s.dialect) }

// Close implements consent.Store: it commits what is queued first.
func (s *Store) Close() error {
	s.writer.Close()
	return errors.Join(s.insert.Close(), s.move.Close(), s.find.Close(), s.read.Close(), s.write.Close())
}
