// Package postgres stores consent records in PostgreSQL through
// github.com/jackc/pgx/v5, for several stateless endpoint replicas sharing
// one database. Each replica runs one writer that commits whatever is
// queued in one transaction; the transaction locks the chain head row
// first, so the chain stays linear across replicas.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/internal/groupcommit"
	"github.com/integritet/integritet/consent/internal/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

//go:embed migrations/*.sql
var migrations embed.FS

const maxBatch = 256

// Store is a consent.Store in PostgreSQL.
type Store struct {
	cfg    *pgx.ConnConfig
	db     *sql.DB // reads, purges, migrations
	mu     sync.Mutex
	conn   *pgx.Conn // the writer's own connection, redialled after errors
	writer *groupcommit.Writer[consent.Record]

	dialect sqlstore.Dialect
}

// commitTimeout bounds one append transaction, dial included. It is well
// under the endpoint's HTTP write timeout (30 s): a hung database fails
// the batch instead of leaving requests without an answer. The endpoint's
// own deadline per request (consent.Options.StoreTimeout) is shorter still.
const commitTimeout = 10 * time.Second

var _ consent.Store = (*Store)(nil)

// Open connects to dsn ("postgres://user:pass@host:port/db?...") and applies
// the embedded migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(8)
	s := &Store{cfg: cfg, db: db, dialect: dialect()}
	s.dialect.Erase = s.erase
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	s.writer = groupcommit.New(s.commit, maxBatch)
	return s, nil
}

// dialect is the PostgreSQL store's for sqlstore (Erase is the store's).
func dialect() sqlstore.Dialect {
	return sqlstore.Dialect{
		Name: "postgres", Records: "consent_records", Chain: "consent_chain", Columns: columns, TimeColumn: "time",
		Scan:  scanRecord,
		Param: func(n int) string { return fmt.Sprintf("$%d", n) },
		Time:  func(t time.Time) any { return t },
		Lock:  `SELECT 1 FROM consent_chain WHERE id = 1 FOR UPDATE`,
	}
}

func (s *Store) migrate(ctx context.Context) error {
	return sqlstore.Migrate(ctx, s.db, sqlstore.Migrations{
		Setup: []string{
			`SELECT pg_advisory_xact_lock(7419263500001)`, // replicas starting together migrate one at a time
			`CREATE TABLE IF NOT EXISTS consent_schema_migrations (version int PRIMARY KEY)`,
		},
		FS:      migrations,
		Applied: `SELECT count(*) FROM consent_schema_migrations WHERE version = $1`,
		Record:  `INSERT INTO consent_schema_migrations (version) VALUES ($1)`,
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

var recordColumns = []string{"seq", "record_id", "subject", "time", "version", "revision", "language", "method", "choices", "gpc", "prev_hash", "hash", "digest", "decision"}

func (s *Store) commit(ctx context.Context, batch []consent.Record) ([]consent.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, commitTimeout)
	defer cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	// A connection the server dropped while idle (a restart, a failover,
	// a proxy's idle timeout) fails the first batch sent on it; so does a
	// serialization failure or deadlock under an isolation level stricter
	// than ours. Either way the batch is tried once more on a fresh
	// connection, so that no visitor gets 503 from a healthy database. A
	// batch whose COMMIT was sent but not answered may have committed:
	// its retry then finds the records that carry a decision id stored and
	// returns them, and fails on the unique record_id for any without one
	// instead of storing it twice (those visitors get 503 for records that
	// are stored, as with any answer lost in transit).
	var out []consent.Record
	var err error
	for try := 0; try < 2; try++ {
		if s.conn == nil || s.conn.IsClosed() {
			conn, cerr := pgx.ConnectConfig(ctx, s.cfg)
			if cerr != nil {
				return nil, fmt.Errorf("postgres: connect writer: %w", cerr)
			}
			s.conn = conn
		}
		out, err = s.appendTx(ctx, s.conn, batch)
		if err == nil {
			return out, nil
		}
		if s.conn.PgConn().IsBusy() || s.conn.IsClosed() {
			s.conn.Close(context.Background())
		} else if !retryable(err) {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, err
		}
	}
	return nil, err
}

// retryable reports whether err is a serialization failure or a deadlock:
// the transaction did nothing and may simply run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func (s *Store) appendTx(ctx context.Context, conn *pgx.Conn, batch []consent.Record) ([]consent.Record, error) {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}) // FOR UPDATE then sees the latest head
	if err != nil {
		return nil, fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	var seq int64
	var hash string
	// The row lock serializes appends (and purges) of every replica; the
	// head is read only once the lock is held.
	if err := tx.QueryRow(ctx, `SELECT head_seq, head_hash FROM consent_chain WHERE id = 1 FOR UPDATE`).Scan(&seq, &hash); err != nil {
		return nil, fmt.Errorf("postgres: lock chain head: %w", err)
	}
	// Decisions sent again are answered with their stored record. Under
	// READ COMMITTED this read, made with the chain row locked, sees every
	// record committed by any replica: none can store one before the
	// insert below.
	stored, err := storedDecisions(ctx, tx, batch)
	if err != nil {
		return nil, err
	}
	b := sqlstore.NewBatch(batch, stored)
	seq, hash = b.Link(seq, hash)
	if len(b.Fresh) == 0 {
		return b.Out, tx.Commit(ctx) // nothing written; ends the transaction
	}
	rows := make([][]any, len(b.Fresh))
	for k, i := range b.Fresh {
		r := b.Out[i]
		rows[k] = []any{r.Seq, r.ID, r.Subject, r.Time, r.Version, r.Revision, r.Language, r.Method,
			consent.EncodeChoices(r.Choices), r.GPC, r.PrevHash, r.Hash, r.Digest, nullable(r.Decision)}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"consent_records"}, recordColumns, pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("postgres: insert %d records: %w", len(rows), err)
	}
	if _, err := tx.Exec(ctx, `UPDATE consent_chain SET head_seq = $1, head_hash = $2 WHERE id = 1`, seq, hash); err != nil {
		return nil, fmt.Errorf("postgres: move chain head: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: commit: %w", err)
	}
	return b.Out, nil
}

// storedDecisions reads, in tx, the records stored under the decision ids
// of batch.
func storedDecisions(ctx context.Context, tx pgx.Tx, batch []consent.Record) (map[string]consent.Record, error) {
	ids := sqlstore.Decisions(batch)
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT `+columns+` FROM consent_records WHERE decision = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: look up decisions: %w", err)
	}
	defer rows.Close()
	var stored map[string]consent.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: look up decisions: %w", err)
		}
		if stored == nil {
			stored = map[string]consent.Record{}
		}
		stored[r.Decision] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: look up decisions: %w", err)
	}
	return stored, nil
}

// nullable stores an empty string as NULL: the unique constraint on
// decision takes any number of NULLs.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// scanQuery reads a page of rows in seq order: after a seq, a limit.
const scanQuery = `SELECT ` + columns + ` FROM consent_records WHERE seq > $1 ORDER BY seq LIMIT $2`

const columns = `seq, record_id, subject, time, version, revision, language, method, choices, gpc, prev_hash, hash, digest, decision`

func scanRecord(row sqlstore.Scanner) (consent.Record, error) {
	var r consent.Record
	var choices string
	var decision sql.NullString
	if err := row.Scan(&r.Seq, &r.ID, &r.Subject, &r.Time, &r.Version, &r.Revision, &r.Language, &r.Method,
		&choices, &r.GPC, &r.PrevHash, &r.Hash, &r.Digest, &decision); err != nil {
		return r, err
	}
	r.Decision = decision.String
	r.Time = r.Time.UTC()
	c, err := consent.DecodeChoices(choices)
	if err != nil {
		return r, fmt.Errorf("record %d: choices: %w", r.Seq, err)
	}
	r.Choices = c
	return r, nil
}

// Subject implements consent.Store. The subject column, which the index
// is on, is the one the hash covers.
func (s *Store) Subject(ctx context.Context, subject string, after int64, limit int) ([]consent.Record, error) {
	out, err := sqlstore.All(ctx, s.db, scanRecord, `SELECT `+columns+` FROM consent_records WHERE subject = $1 AND seq > $2 ORDER BY seq LIMIT $3`, subject, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: query subject: %w", err)
	}
	return out, nil
}

// Decision implements consent.Store.
func (s *Store) Decision(ctx context.Context, id string) (consent.Record, bool, error) {
	r, err := scanRecord(s.db.QueryRowContext(ctx, `SELECT `+columns+` FROM consent_records WHERE decision = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return consent.Record{}, false, nil
	}
	if err != nil {
		return consent.Record{}, false, fmt.Errorf("postgres: find decision: %w", err)
	}
	return r, true, nil
}

// Scan implements consent.Store, in pages of a thousand records.
func (s *Store) Scan(ctx context.Context, fn func(consent.Record) error) error {
	return sqlstore.Pages(ctx, s.db, scanRecord, scanQuery, 1000, "postgres: scan", fn)
}

// Chain implements consent.Store.
func (s *Store) Chain(ctx context.Context) (consent.ChainState, error) {
	return sqlstore.Chain(ctx, s.db, s.dialect)
}

// PurgeThrough implements consent.Store. A DELETE in PostgreSQL only marks
// rows dead; erase rewrites the table and its indexes (VACUUM FULL), so
// that the deleted rows are in no file of the database any more. VACUUM
// FULL locks the table while it runs: appends wait for it. WAL segments,
// WAL archives and backups keep the rows until they expire; their
// retention must not exceed the notice's retention for consent records.
func (s *Store) PurgeThrough(ctx context.Context, seq int64, hash string, cutoff time.Time) (consent.Purged, error) {
	return sqlstore.PurgeThrough(ctx, s.db, s.dialect, seq, hash, cutoff)
}

// erase rewrites consent_records without the purged rows. VACUUM FULL
// copies rows that are dead but may still be visible to a transaction
// open since before the purge committed (an autovacuum ANALYZE, a long
// report, in any database), so it waits, up to eraseWait, until no
// transaction is that old, and says which ones kept it waiting if they do
// not end. It then checks what VACUUM FULL itself reports: when it still
// had to copy dead rows (a horizon held back by something the first check
// cannot see, such as a backend that has not yet published its
// transaction's start), it waits and rewrites the table again, so that
// a purge that returns has erased. A replication slot or
// hot_standby_feedback can hold the rows the same way; so can WAL
// archives and backups, until they expire.
func (s *Store) erase(ctx context.Context) error {
	var purgedAt time.Time
	if err := s.db.QueryRowContext(ctx, `SELECT clock_timestamp()`).Scan(&purgedAt); err != nil {
		return fmt.Errorf("read the server clock: %w", err)
	}
	deadline := time.Now().Add(eraseWait)
	wait := func() error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
			return nil
		}
	}
	older := func() ([]int64, error) {
		var pids []int64
		// Any database's: some backends (CREATE DATABASE, replication)
		// hold back the horizon of every database.
		rows, err := s.db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity
			WHERE pid <> pg_backend_pid() AND backend_xmin IS NOT NULL AND xact_start < $1`, purgedAt)
		if err != nil {
			return nil, fmt.Errorf("look for older transactions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var pid int64
			rows.Scan(&pid)
			pids = append(pids, pid)
		}
		return pids, rows.Err()
	}
	for {
		pids, err := older()
		if err != nil {
			return err
		}
		if len(pids) == 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("transactions open since before the purge (backend pids %v) still see the purged rows; end them and run purge again", pids)
		}
		if err := wait(); err != nil {
			return err
		}
	}
	for {
		kept, err := s.vacuumFull(ctx)
		if err != nil {
			return err
		}
		if kept == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			pids, _ := older()
			return fmt.Errorf("VACUUM FULL kept %d dead row versions that a transaction may still see (backend pids %v); end it and run purge again", kept, pids)
		}
		if err := wait(); err != nil {
			return err
		}
	}
}

// firstNumber is the first whole number of a text.
var firstNumber = regexp.MustCompile(`\d+`)

// vacuumFull rewrites consent_records on a connection of its own, to read
// the server's report of the rewrite, and returns how many dead row
// versions the new files still hold. The report's detail begins with that
// count in every language the server speaks ("N dead row versions cannot
// be removed yet.", "N tote Zeilenversionen ..."); where it cannot be
// read, erase has only its check of older transactions to go on (0).
func (s *Store) vacuumFull(ctx context.Context) (int, error) {
	var kept int
	cfg := s.cfg.Copy()
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		if !strings.Contains(n.Message, "consent_records") {
			return
		}
		first, _, _ := strings.Cut(n.Detail, "\n")
		if m := firstNumber.FindString(first); m != "" {
			kept, _ = strconv.Atoi(m)
		}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return 0, fmt.Errorf("vacuum full: connect: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `VACUUM (FULL, VERBOSE) consent_records`); err != nil {
		return 0, fmt.Errorf("vacuum full: %w", err)
	}
	return kept, nil
}

// eraseWait bounds how long erase waits for older transactions to end.
const eraseWait = 30 * time.Second

// Ready implements consent.Store.
func (s *Store) Ready(ctx context.Context) error { return sqlstore.Ready(ctx, s.db, s.dialect) }

// Close implements consent.Store: it commits what is queued first.
func (s *Store) Close() error {
	s.writer.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if s.conn != nil {
		err = s.conn.Close(context.Background())
	}
	return errors.Join(err, s.db.Close())
}
