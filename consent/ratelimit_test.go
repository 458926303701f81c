package consent_test

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/integritet/integritet/consent"
)

var proxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}

func TestForwardedClientKey(t *testing.T) {
	t.Parallel()
	key := consent.ForwardedClientKey(proxies)
	tests := []struct {
		name   string
		remote string
		xff    []string
		want   string
	}{
		{"direct client, no header", "203.0.113.9:5000", nil, "203.0.113.9"},
		{"direct client cannot choose its key", "203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9"},
		{"one trusted proxy", "10.0.0.2:80", []string{"198.51.100.7"}, "198.51.100.7"},
		{"two trusted proxies", "10.0.0.2:80", []string{"198.51.100.7, 10.1.2.3"}, "198.51.100.7"},
		{"spoofed entries left of the client are ignored", "10.0.0.2:80", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"header given twice", "10.0.0.2:80", []string{"1.2.3.4", "198.51.100.7, 10.9.9.9"}, "198.51.100.7"},
		{"address with port", "10.0.0.2:80", []string{"198.51.100.7:4711"}, "198.51.100.7"},
		{"IPv6 client grouped by /64", "[fd00::1]:80", []string{"2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"},
		{"IPv6 with port", "10.0.0.2:80", []string{"[2001:db8:1:2::9]:443"}, "2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6", "10.0.0.2:80", []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
		{"no header: the proxy itself", "10.0.0.2:80", nil, "10.0.0.2"},
		{"all hops trusted: the farthest", "10.0.0.2:80", []string{"10.7.7.7, 10.8.8.8"}, "10.7.7.7"},
		{"garbage stops the walk at the last trusted hop", "10.0.0.2:80", []string{"198.51.100.7, bogus, 10.3.3.3"}, "10.3.3.3"},
		{"empty entry is garbage", "10.0.0.2:80", []string{"198.51.100.7,,"}, "10.0.0.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/consent", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := key(r); got != tt.want {
				t.Errorf("key = %q, want %q", got, tt.want)
			}
		})
	}
}

// Behind a trusted load balancer each visitor has a bucket of their own;
// without the option they would all share the balancer's.
func TestRateLimitPerVisitorBehindProxy(t *testing.T) {
	t.Parallel()
	h := newServer(t, openStore(t), consent.Options{Rate: 0.001, Burst: 1, ClientKey: consent.ForwardedClientKey(proxies)})
	send := func(remote, xff string) int {
		req := httptest.NewRequest("POST", "/api/consent", strings.NewReader(good))
		req.Header.Set("Content-Type", jsonCT)
		req.RemoteAddr = remote
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	steps := []struct {
		remote, xff string
		want        int
	}{
		{"10.0.0.2:80", "198.51.100.1", 201},
		{"10.0.0.3:80", "198.51.100.2", 201}, // another visitor, another replica's proxy
		{"10.0.0.2:80", "198.51.100.1", 429}, // the first visitor again
		{"203.0.113.9:1", "198.51.100.3", 201},
		{"203.0.113.9:1", "198.51.100.4", 429}, // a direct client changing its header
	}
	for i, s := range steps {
		if got := send(s.remote, s.xff); got != s.want {
			t.Errorf("step %d (%s, X-Forwarded-For %s): %d, want %d", i, s.remote, s.xff, got, s.want)
		}
	}
}

func FuzzForwardedClientKey(f *testing.F) {
	f.Add("10.0.0.2:80", "198.51.100.7, 10.1.2.3")
	f.Add("203.0.113.9:5000", "1.2.3.4")
	f.Add("[fd00::1]:80", "[2001:db8::1]:443,,x")
	key := consent.ForwardedClientKey(proxies)
	direct := consent.ForwardedClientKey(nil)
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest("POST", "/api/consent", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		k := key(r)
		if k == "" && remote != "" {
			t.Fatalf("empty key for %q %q", remote, xff)
		}
		// Trusting nobody, the header never matters.
		r2 := httptest.NewRequest("POST", "/api/consent", nil)
		r2.RemoteAddr = remote
		if direct(r) != direct(r2) {
			t.Fatalf("with no trusted proxy the header changed the key: %q %q", remote, xff)
		}
	})
}
