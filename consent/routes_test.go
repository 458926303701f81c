package consent_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/integritet/integritet/consent"
)

// A notice published under a path is served under it, as deployed: the
// site sees the path below the base.
func TestUnderBaseServesTheSiteUnderItsPath(t *testing.T) {
	t.Parallel()
	site := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Path) })
	for _, c := range []struct {
		base, path     string
		code           int
		location, body string
	}{
		{"/legal", "/", 302, "/legal/", ""},
		{"/legal", "/legal", 302, "/legal/", ""},
		{"/legal", "/legal/", 200, "", "/"},
		{"/legal", "/legal/robots.txt", 200, "", "/robots.txt"},
		{"/legal", "/robots.txt", 404, "", ""},
		{"/legal", "/legalese/robots.txt", 404, "", ""},
		{"/a/b", "/a/b/sv/", 200, "", "/sv/"},
		{"/a/b", "/a/", 404, "", ""},
		{"", "/robots.txt", 200, "", "/robots.txt"},
	} {
		w := httptest.NewRecorder()
		consent.UnderBase(c.base, site).ServeHTTP(w, httptest.NewRequest("GET", c.path, nil))
		body := ""
		if w.Code == 200 {
			body = w.Body.String()
		}
		if w.Code != c.code || w.Header().Get("Location") != c.location || body != c.body {
			t.Errorf("%q: GET %s: %d %q %q, want %d %q %q", c.base, c.path, w.Code, w.Header().Get("Location"), body, c.code, c.location, c.body)
		}
	}
}
