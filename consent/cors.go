package consent

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// originAllowed reports whether a browser request from origin may use the
// endpoint: same origin as the request, or listed in the policy. A request
// without Origin (not from a browser page) is allowed; nothing here relies
// on cookies, so CORS guards abuse from other sites, not secrets.
func (s *server) originAllowed(r *http.Request, origin string) bool {
	if origin == "" {
		return true
	}
	if slices.Contains(s.policy.Origins, origin) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Path == "" && u.Host != "" &&
		strings.EqualFold(u.Host, r.Host)
}

// cors refuses requests from origins not allowed and lets browsers read
// the answers of those that are.
func (s *server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		w.Header().Add("Vary", "Origin")
		if !s.originAllowed(r, origin) {
			problems(w, http.StatusForbidden, Problem{"Origin", "origin not allowed"})
			return
		}
		if origin != "" {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
		next.ServeHTTP(w, r)
	})
}

// preflight answers a CORS preflight for method.
func (s *server) preflight(method string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		h.Add("Vary", "Access-Control-Request-Method")
		h.Add("Vary", "Access-Control-Request-Headers")
		origin := r.Header.Get("Origin")
		if origin == "" || !s.originAllowed(r, origin) {
			problems(w, http.StatusForbidden, Problem{"Origin", "origin not allowed"})
			return
		}
		if m := r.Header.Get("Access-Control-Request-Method"); m != method {
			problems(w, http.StatusForbidden, Problem{"Access-Control-Request-Method", "only " + method + " is allowed"})
			return
		}
		for _, name := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
			if name = strings.TrimSpace(name); name != "" && !strings.EqualFold(name, "content-type") {
				problems(w, http.StatusForbidden, Problem{"Access-Control-Request-Headers", "only Content-Type is allowed"})
				return
			}
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", method)
		if method == "POST" {
			h.Set("Access-Control-Allow-Headers", "Content-Type")
		}
		h.Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
	})
}
