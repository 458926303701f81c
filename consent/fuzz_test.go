package consent_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/integritet/integritet/consent"
)

// FuzzHandler throws arbitrary requests at the endpoint: it must never
// answer 5xx or panic, every 201 must be a committed record, every 200 to
// a POST (a decision sent again) the receipt of one committed before, and
// the chain must stay consistent.
func FuzzHandler(f *testing.F) {
	for _, seed := range []string{
		good,
		strings.Replace(good, `{`, `{"subject":"`+subjA+`",`, 1),
		`{"revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"en","method":"accept-all","choices":{"statistics":true,"marketing":true}}`,
		`{"revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"reject-all","choices":{"statistics":false,"marketing":false}}`,
		`{"id":"a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5","revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true,"marketing":false}}`,
		`{"id":"a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5","revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"reject-all","choices":{"statistics":false,"marketing":false}}`,
		`{"id":"a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5","revision":"0000000000000000","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true,"marketing":false}}`,
		`{"id":"a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5","subject":"` + subjA + `","revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true,"marketing":false}}`,
		`{"choices":{"statistics":true,"statistics":true}}`,
		`{"a":{"b":[1,2,{"c":null}]}}`, `[]`, `null`, `"x"`, `{`, `{"revision":"\ud800"}`, "\xff\xfe",
	} {
		f.Add(seed, uint8(0), false)
	}
	f.Add(good, uint8(1), true)
	f.Add(good, uint8(3), false)
	f.Add("", uint8(7<<4), false)
	f.Add("", uint8(8<<4), false)
	f.Add("", uint8(9<<4), false)
	store := openStore(f)
	h := newServer(f, store, consent.Options{})
	var created int64
	cts := []string{"application/json", "text/plain;charset=UTF-8", "application/json; charset=utf-8", "text/html", "", "application/json; charset=\"", "multipart/form-data; boundary=x"}
	paths := []string{"/api/consent", "/api/consent", "/api/consent", "/api/consent/" + subjA, "/healthz", "/api/consent/%zz", "/api/consent/../healthz",
		"/api/consent/" + subjA + "?after=3&limit=2", "/readyz", "/api/consent/" + subjA + "?limit=-1&after=x&after=2"}
	methods := []string{"POST", "POST", "POST", "GET", "OPTIONS", "PUT", "HEAD", "GET", "GET", "GET"}
	f.Fuzz(func(t *testing.T, body string, sel uint8, gpc bool) {
		method, path := methods[int(sel>>4)%len(methods)], paths[int(sel>>4)%len(paths)]
		req := httptest.NewRequest(method, "/", strings.NewReader(body))
		path, query, _ := strings.Cut(path, "?")
		req.URL.Path, req.URL.RawQuery = path, query
		req.URL.RawPath = ""
		if ct := cts[int(sel)%len(cts)]; ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if gpc {
			req.Header.Set("Sec-GPC", "1")
			req.Header.Set("Origin", site)
			req.Header.Set("Access-Control-Request-Method", "POST")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, path, body, w.Code, w.Body)
		}
		if w.Code == 201 {
			created++
			var r struct{ Subject, Hash string }
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || len(r.Hash) != 64 || len(r.Subject) != 32 {
				t.Fatalf("receipt %q: %v", w.Body, err)
			}
		}
		if w.Code == 200 && method == "POST" {
			var r struct {
				Seq        int64
				DecisionID string `json:"decision_id"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || r.Seq < 1 || r.Seq > created || r.DecisionID == "" {
				t.Fatalf("POST answered 200 with %q: %v", w.Body, err)
			}
			stored, ok, err := store.Decision(context.Background(), r.DecisionID)
			if err != nil || !ok || stored.Seq != r.Seq {
				t.Fatalf("POST answered 200 for decision %s, stored: %+v %v %v", r.DecisionID, stored, ok, err)
			}
		}
		c, err := store.Chain(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c.HeadSeq != created {
			t.Fatalf("chain head at %d after %d records created", c.HeadSeq, created)
		}
		if created%64 == 1 && w.Code == 201 {
			if v, err := consent.Verify(context.Background(), store); err != nil || v.Broken != nil {
				t.Fatalf("verify: %+v %v", v.Broken, err)
			}
		}
	})
}
