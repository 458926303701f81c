package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/postgres"
	"github.com/integritet/integritet/consent/postgres/pgtest"
	"github.com/integritet/integritet/consent/storetest"
)

func open(t *testing.T, dsn string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	pgtest.DSN(t)
	storetest.Run(t, func(t *testing.T) consent.Store { return open(t, pgtest.Database(t)) })
}

// TestReplicasShareOneLinearChain runs several stores (as replicas would)
// on one database and appends from all at once.
func TestReplicasShareOneLinearChain(t *testing.T) {
	dsn := pgtest.Database(t)
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
