// Package store opens a consent.Store from the -db string of the
// integritet commands. It lives apart from package consent because the
// backends import consent.
package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/postgres"
	"github.com/integritet/integritet/consent/sqlite"
)

// Open opens the store named by dsn:
//
//	sqlite:PATH                 SQLite file (Open creates it if missing), e.g. sqlite:consent.db
//	postgres://... postgresql://...  PostgreSQL (pgx connection string)
//
// Migrations are applied before it returns.
func Open(ctx context.Context, dsn string) (consent.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//") // also accept sqlite://PATH
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		return s, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return s, nil
	default:
		return nil, fmt.Errorf("-db %q: want sqlite:PATH, or postgres:// or postgresql:// and a connection string", redact(dsn))
	}
}

// OpenReadOnly opens the store named by dsn, as Open does, for an audit:
// it never writes to it. No migration runs; a SQLite file that does not
// exist, a file or database that is not a consent store, and a store at
// another schema version are errors that say so.
func OpenReadOnly(ctx context.Context, dsn string) (consent.Reader, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		r, err := sqlite.OpenReadOnly(ctx, path)
		if err != nil {
			return nil, err
		}
		return r, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		r, err := postgres.OpenReadOnly(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return r, nil
	default:
		return nil, fmt.Errorf("-db %q: want sqlite:PATH, or postgres:// or postgresql:// and a connection string", redact(dsn))
	}
}

// redact hides a password in a DSN before it is shown.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 {
		if j := strings.Index(dsn, "://"); j > 0 && j < i {
			return dsn[:j+3] + "…" + dsn[i:]
		}
	}
	return dsn
}
