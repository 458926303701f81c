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

// TestReplicasStoreADecisionOnce sends copies of each decision to every
// replica at once (a visitor's fetch and beacon behind a load balancer):
// each decision is stored once and every copy gets that record.
func TestReplicasStoreADecisionOnce(t *testing.T) {
	dsn := pgtest.Database(t)
	ctx := context.Background()
	const replicas, decisions, copies = 3, 30, 2
	stores := make([]*postgres.Store, replicas)
	for i := range stores {
		stores[i] = open(t, dsn)
		defer stores[i].Close()
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]map[string]bool{} // decision: record ids answered
	for d := range decisions {
		for c := range replicas * copies {
			wg.Go(func() {
				r := storetest.Rec(d*100+c, fmt.Sprintf("%032x", d))
				r.Decision = fmt.Sprintf("d%031x", d)
				stored, err := stores[c%replicas].Append(ctx, r)
				if err != nil {
					t.Errorf("append: %v", err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if got[r.Decision] == nil {
					got[r.Decision] = map[string]bool{}
				}
				got[r.Decision][stored.ID] = true
			})
		}
	}
	wg.Wait()
	for d, ids := range got {
		if len(ids) != 1 {
			t.Errorf("decision %s answered with %d records", d, len(ids))
		}
	}
	if v, err := consent.Verify(ctx, stores[0]); err != nil || v.Broken != nil || v.Records != decisions {
		t.Fatalf("verify: %d records (want %d), broken %v, %v", v.Records, decisions, v.Broken, err)
	}
}
