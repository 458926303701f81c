package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/postgres"
	"github.com/integritet/integritet/consent/storetest"
	"github.com/jackc/pgx/v5"
)

// testDSN returns the DSN of a throwaway database, skipping (or failing,
// under CI=true) when none is configured.
func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("INTEGRITET_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("INTEGRITET_TEST_POSTGRES is not set but CI=true: eval \"$(.ci/postgres.sh)\" first")
		}
		t.Skip("set INTEGRITET_TEST_POSTGRES=postgres://... (see .ci/postgres.sh) to run")
	}
	return dsn
}

var dbCounter atomic.Int64

// freshDatabase creates an empty database for one test and returns its DSN.
func freshDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dsn := testDSN(t)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("consent_test_%d_%d", os.Getpid(), dbCounter.Add(1))
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

func open(t *testing.T, dsn string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) consent.Store { return open(t, freshDatabase(t)) })
}

// TestReplicasShareOneLinearChain runs several stores (as replicas would)
// on one database and appends from all at once.
func TestReplicasShareOneLinearChain(t *testing.T) {
	dsn := freshDatabase(t)
	ctx := context.Background()
	const replicas, each = 4, 150
	stores := make([]*postgres.Store, replicas)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i] = open(t, dsn) }) // concurrent start: migrations once
	}
	wg.Wait()
	for i, s := range stores {
		for j := range each {
			wg.Go(func() {
				if _, err := s.Append(ctx, storetest.Rec(i*each+j, fmt.Sprintf("%032x", i))); err != nil {
					t.Errorf("replica %d: %v", i, err)
				}
			})
		}
	}
	wg.Wait()
	for _, s := range stores[1:] {
		s.Close()
	}
	defer stores[0].Close()
	v, err := consent.Verify(ctx, stores[0])
	if err != nil {
		t.Fatal(err)
	}
	if v.Broken != nil || v.Records != replicas*each {
		t.Fatalf("verify: %d records, broken %v", v.Records, v.Broken)
	}
}
