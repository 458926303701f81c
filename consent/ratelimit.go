package consent

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// limiter is a token bucket per client key, in memory only: the key (an
// IP address) is never stored or logged.
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's memory; beyond it idle buckets go.
const maxBuckets = 100_000

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	return &limiter{rate: rate, burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for key; if none is left it returns how long until
// one is.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep drops buckets that have refilled (their clients are idle); if that
// frees nothing, it starts over, which only makes the limiter lenient.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// clientKey is the client's IP address from RemoteAddr; IPv6 clients are
// grouped by /64, which is what one household or host usually holds.
func clientKey(r *http.Request) string {
	a, ok := peer(r)
	if !ok {
		return r.RemoteAddr
	}
	return addrKey(a)
}

func peer(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

func addrKey(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// ForwardedClientKey returns an Options.ClientKey for an endpoint behind
// reverse proxies or load balancers whose addresses are in trusted. A
// request that comes from one of them is keyed by the nearest address in
// X-Forwarded-For that is not trusted, read right to left (each proxy
// appends the address it was connected from), so that visitors behind one
// load balancer get a bucket each. A request from any other address is
// keyed by that address whatever its X-Forwarded-For says: a client
// cannot choose its own key. The address is used in memory only.
func ForwardedClientKey(trusted []netip.Prefix) func(*http.Request) string {
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return func(r *http.Request) string {
		a, ok := peer(r)
		if !ok {
			return r.RemoteAddr
		}
		if !isTrusted(a) {
			return addrKey(a)
		}
		hops := r.Header.Values("X-Forwarded-For")
		for i := len(hops) - 1; i >= 0; i-- {
			list := hops[i]
			for list != "" {
				var hop string
				if j := strings.LastIndexByte(list, ','); j >= 0 {
					hop, list = list[j+1:], list[:j]
				} else {
					hop, list = list, ""
				}
				h, ok := parseHop(strings.TrimSpace(hop))
				if !ok {
					return addrKey(a) // not written by a trusted proxy: stop at the last one
				}
				a = h
				if !isTrusted(a) {
					return addrKey(a)
				}
			}
		}
		return addrKey(a)
	}
}

// parseHop reads one X-Forwarded-For entry: an address, or an address with
// a port as some load balancers write it.
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// limit answers 429 with Retry-After once a client is over its rate.
func (s *server) limit(next http.Handler) http.Handler {
	if s.limiter == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.limiter.allow(s.key(r)); !ok {
			s.logs.refused("client over its rate")
			w.Header().Set("Retry-After", retryAfter(wait))
			problems(w, http.StatusTooManyRequests, Problem{"", "too many requests; try again later"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// logLimiter writes at most one line per reason per interval; the line
// after a quiet spell says how many were left out. A full disk or a flood
// of refused requests gives a few lines with counts, not one a request.
type logLimiter struct {
	mu      sync.Mutex
	log     *slog.Logger
	now     func() time.Time
	every   time.Duration
	reasons map[string]*logState
}

type logState struct {
	last       time.Time
	suppressed int64
}

func newLogLimiter(log *slog.Logger, now func() time.Time, every time.Duration) *logLimiter {
	return &logLimiter{log: log, now: now, every: every, reasons: map[string]*logState{}}
}

// allow reports whether a line for reason may be written now and how many
// were suppressed since the last one.
func (l *logLimiter) allow(reason string) (bool, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	st, ok := l.reasons[reason]
	if !ok {
		st = &logState{}
		l.reasons[reason] = st
	} else if now.Sub(st.last) < l.every && !now.Before(st.last) {
		st.suppressed++
		return false, 0
	}
	n := st.suppressed
	st.last, st.suppressed = now, 0
	return true, n
}

// failed logs a store error (the request got 503).
func (l *logLimiter) failed(op string, err error) {
	if ok, n := l.allow("failed " + op); ok {
		l.log.Error("consent endpoint: store failed", "op", op, "err", err, "suppressed", n)
	}
}

// refused logs a request refused for reason (the client got 4xx).
func (l *logLimiter) refused(reason string) {
	if ok, n := l.allow("refused " + reason); ok {
		l.log.Warn("consent endpoint: request refused", "reason", reason, "suppressed", n)
	}
}

// refund gives back the token allow took for key (capped at the burst):
// the request turned out not to count.
func (l *limiter) refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = min(l.burst, b.tokens+1)
	}
}
