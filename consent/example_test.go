package consent_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
)

func ExampleNewServer() {
	dir, _ := os.MkdirTemp("", "consent-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "consent.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	policy := consent.Policy{
		Revision:   "3f2a9c0d1e4b5a67",
		Version:    "2026.1",
		Categories: []string{"statistics", "marketing"},
		Languages:  []string{"sv", "en"},
		Origins:    []string{"https://www.framsteget.se"},
	}
	h := consent.NewServer(slog.Default(), st, policy, consent.Options{
		Now: func() time.Time { return time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC) },
	})

	req := httptest.NewRequest("POST", "/api/consent", strings.NewReader(
		`{"revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"reject-all",
		  "choices":{"statistics":false,"marketing":false}}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Code)

	stale := httptest.NewRequest("POST", "/api/consent", strings.NewReader(
		`{"revision":"0000000000000000","version":"2026.1","language":"sv","method":"reject-all",
		  "choices":{"statistics":false,"marketing":false}}`))
	stale.Header.Set("Content-Type", "application/json")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, stale)
	fmt.Println(w.Code, strings.Contains(w.Body.String(), `"current_revision":"3f2a9c0d1e4b5a67"`))
	// Output:
	// 201
	// 409 true
}

func ExampleVerify() {
	dir, _ := os.MkdirTemp("", "consent-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, _ := store.Open(ctx, "sqlite:"+filepath.Join(dir, "consent.db"))
	defer st.Close()
	for i := range 3 {
		st.Append(ctx, consent.Record{
			ID: fmt.Sprintf("%032x", i+1), Subject: fmt.Sprintf("%032x", 99),
			Time:    time.Date(2026, 11, 24, 10, 0, i, 0, time.UTC),
			Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: "sv", Method: "accept-all",
			Choices: map[string]bool{"statistics": true},
		})
	}
	v, err := consent.Verify(ctx, st)
	fmt.Println(v.Records, v.Broken == nil, err)
	// Output: 3 true <nil>
}

func ExampleCanonical() {
	r := consent.Record{
		Seq: 1, ID: "00000000000000000000000000000001", Subject: "00000000000000000000000000000002",
		Time:    time.Date(2026, 11, 24, 10, 0, 0, 123e6, time.UTC),
		Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: "sv", Method: "custom",
		Choices: map[string]bool{"statistics": true, "marketing": false},
	}
	fmt.Println(string(consent.Canonical(r)))
	fmt.Println(consent.Hash(consent.GenesisHash, r))
	// Output:
	// {"seq":1,"record_id":"00000000000000000000000000000001","subject":"00000000000000000000000000000002","time":"2026-11-24T10:00:00.123Z","version":"2026.1","revision":"3f2a9c0d1e4b5a67","language":"sv","method":"custom","choices":{"marketing":false,"statistics":true},"gpc":false}
	// e9fc2cb7d79994fffa3122982cfda6cf6a3207b95db3540d41a00363d51cc522
}

// An anchor log outside the database holds the chain head; whoever edits
// the database afterwards cannot make VerifyWith pass against it.
func ExampleVerifyWith() {
	dir, _ := os.MkdirTemp("", "consent-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, _ := store.Open(ctx, "sqlite:"+filepath.Join(dir, "consent.db"))
	defer st.Close()
	log, _ := consent.OpenAnchorLog(filepath.Join(dir, "anchors.jsonl"))
	defer log.Close()
	for i := range 3 {
		st.Append(ctx, consent.Record{
			ID: fmt.Sprintf("%032x", i+1), Subject: fmt.Sprintf("%032x", 99),
			Time:    time.Date(2026, 11, 24, 10, 0, i, 0, time.UTC),
			Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: "sv", Method: "accept-all",
			Choices: map[string]bool{"statistics": true},
		})
	}
	log.Anchor(ctx, st, time.Date(2026, 11, 24, 10, 1, 0, 0, time.UTC))
	v, err := consent.VerifyWith(ctx, st, consent.VerifyOptions{Anchors: log.Anchors()})
	fmt.Println(v.Records, v.Anchors, v.Broken == nil, err)
	// Output: 3 1 true <nil>
}
