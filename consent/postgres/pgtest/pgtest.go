// Package pgtest gives tests a throwaway PostgreSQL database of their own,
// on the server named by INTEGRITET_TEST_POSTGRES (see .ci/postgres.sh).
package pgtest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// DSN returns INTEGRITET_TEST_POSTGRES. Without it the test is skipped
// with how to run it, or fails when CI=true: CI must run it.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("INTEGRITET_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("INTEGRITET_TEST_POSTGRES is not set but CI=true: eval \"$(bash .ci/postgres.sh)\" first")
		}
		t.Skip("set INTEGRITET_TEST_POSTGRES=postgres://... to run: eval \"$(bash .ci/postgres.sh)\"")
	}
	return dsn
}

var counter atomic.Int64

// Database creates an empty database for one test, drops it when the test
// ends, and returns its DSN.
func Database(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	dsn := DSN(t)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("consent_test_%d_%d", os.Getpid(), counter.Add(1))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Password, cfg.Host, cfg.Port, name)
}
