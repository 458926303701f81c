package postgres_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/postgres"
	"github.com/integritet/integritet/consent/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

const decision = `{"revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true,"marketing":false}}`

var policy = consent.Policy{Revision: "3f2a9c0d1e4b5a67", Version: "2026.1",
	Categories: []string{"statistics", "marketing"}, Languages: []string{"sv", "en"}}

// throughProxy returns dsn rewritten to reach its server through a proxy.
func throughProxy(t *testing.T, dsn string) (string, *pgtest.Proxy) {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	target := net.JoinHostPort(cfg.Host, itoa(cfg.Port))
	p := pgtest.NewProxy(t, target)
	return strings.Replace(dsn, target, p.Addr, 1), p
}

func itoa(n uint16) string {
	var b [5]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

func do(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// TestHungDatabaseGives503WithinSeconds stops forwarding between the
// store and PostgreSQL (connections open, nothing answers, as with a
// stopped server process): visitors get 503 with Retry-After within a few
// seconds, not a dropped request after the HTTP write timeout; /readyz
// turns 503 while /healthz stays 200; and once the database answers again
// the endpoint records again and the chain verifies.
func TestHungDatabaseGives503WithinSeconds(t *testing.T) {
	t.Parallel()
	dsn, proxy := throughProxy(t, pgtest.Database(t))
	st := open(t, dsn)
	defer st.Close()
	h := consent.NewServer(nil, st, policy, consent.Options{Rate: -1})
	if w := do(h, "POST", "/api/consent", decision); w.Code != 201 {
		t.Fatalf("healthy: %d %s", w.Code, w.Body)
	}
	if w := do(h, "GET", "/readyz", ""); w.Code != 200 {
		t.Fatalf("readyz when healthy: %d", w.Code)
	}
	proxy.Pause()
	time.Sleep(1100 * time.Millisecond) // past the cached readiness
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			start := time.Now()
			w := do(h, "POST", "/api/consent", decision)
			took := time.Since(start)
			if w.Code != 503 || w.Header().Get("Retry-After") == "" || took > 7*time.Second {
				t.Errorf("request %d to a hung database: %d after %v, Retry-After %q", i, w.Code, took, w.Header().Get("Retry-After"))
			}
			t.Logf("request %d to a hung database: %d after %v", i, w.Code, took.Round(10*time.Millisecond))
		})
	}
	wg.Go(func() {
		start := time.Now()
		w := do(h, "GET", "/readyz", "")
		if w.Code != 503 || time.Since(start) > 7*time.Second {
			t.Errorf("readyz of a hung database: %d after %v", w.Code, time.Since(start))
		}
		t.Logf("readyz of a hung database: %d after %v", w.Code, time.Since(start).Round(10*time.Millisecond))
	})
	if w := do(h, "GET", "/healthz", ""); w.Code != 200 {
		t.Errorf("healthz while the database hangs: %d", w.Code)
	}
	wg.Wait()
	proxy.Resume()
	deadline := time.Now().Add(20 * time.Second)
	for {
		w := do(h, "POST", "/api/consent", decision)
		if w.Code == 201 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the database answers again: still %d %s", w.Code, w.Body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	v, err := consent.Verify(context.Background(), st)
	if err != nil || v.Broken != nil || v.Records < 2 {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

// TestDroppedConnectionsCostNoVisitor drops every connection (a restart,
// a failover, an idle timeout) while the endpoint is idle: the next
// decision is recorded, not refused with 503 on the dead connection.
func TestDroppedConnectionsCostNoVisitor(t *testing.T) {
	t.Parallel()
	dsn, proxy := throughProxy(t, pgtest.Database(t))
	st := open(t, dsn)
	defer st.Close()
	h := consent.NewServer(nil, st, policy, consent.Options{Rate: -1})
	for round := range 3 {
		for i := range 5 {
			if w := do(h, "POST", "/api/consent", decision); w.Code != 201 {
				t.Fatalf("round %d, decision %d: %d %s", round, i, w.Code, w.Body)
			}
		}
		proxy.Drop()
		time.Sleep(50 * time.Millisecond)
	}
	if v, err := consent.Verify(context.Background(), st); err != nil || v.Broken != nil || v.Records != 15 {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

// TestBusyReplicasAnswerNo503 loads two replicas on one database at once:
// a healthy database under load turns no visitor away.
func TestBusyReplicasAnswerNo503(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Database(t)
	var hs []http.Handler
	var stores []*postgres.Store
	for range 2 {
		st := open(t, dsn)
		stores = append(stores, st)
		hs = append(hs, consent.NewServer(nil, st, policy, consent.Options{Rate: -1}))
	}
	const workers, each = 32, 40
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				code := do(hs[(w+i)%2], "POST", "/api/consent", decision).Code
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if codes[201] != workers*each {
		t.Errorf("answers %v, want %d × 201", codes, workers*each)
	}
	for _, st := range stores[1:] {
		st.Close()
	}
	defer stores[0].Close()
	if v, err := consent.Verify(context.Background(), stores[0]); err != nil || v.Broken != nil || v.Records != workers*each {
		t.Fatalf("verify: %+v %v", v, err)
	}
}
