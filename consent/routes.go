package consent

import (
	"net/http"
	"strings"
)

// Path is where the endpoint records a decision (POST); the banner's
// default endpoint.
const Path = "/api/consent"

// routes is the one place that lists every route of the endpoint. There
// is no admin route: verify, export and purge are commands, not URLs.
func (s *server) routes(mux *http.ServeMux) {
	mux.Handle("POST "+Path, s.limit(s.cors(s.handlePost())))
	mux.Handle("OPTIONS /api/consent", s.preflight("POST"))
	mux.Handle("GET /api/consent/{subject}", s.limit(s.cors(s.handleHistory())))
	mux.Handle("OPTIONS /api/consent/{subject}", s.preflight("GET"))
	mux.Handle("GET /healthz", s.handleHealth())
	mux.Handle("GET /readyz", s.handleReady())
}

// Mount puts on mux everything `integritet endpoint`, `integritet serve`
// and the folder `integritet scan` serves answer, so that all answer alike: api (the endpoint NewServer
// returns, whose own routes are listed above) under /api/ and at /healthz
// and /readyz; the anchor log at /.well-known/consent-chain.json when
// anchors is not nil; and site (the notice's pages, under its base path)
// at every other path, or api when there is no site (404 there). serve
// adds only its live-reload routes, scan the banner's own endpoint path.
func Mount(mux *http.ServeMux, api http.Handler, anchors *AnchorLog, site http.Handler) {
	mux.Handle("/api/", api)
	mux.Handle("/healthz", api)
	mux.Handle("/readyz", api)
	if anchors != nil {
		mux.Handle("GET /.well-known/consent-chain.json", anchorDocument(anchors))
	}
	if site == nil {
		site = api
	}
	mux.Handle("/", site)
}

// UnderBase serves site under the notice's base path base ("/legal", as
// notice.Meta.BasePath gives it; "" for the root), as it is deployed: the
// root redirects there, the base without its slash gets it, site answers
// every path under it (with base taken off), and everything else is not
// found. endpoint and serve both serve a site through it.
func UnderBase(base string, site http.Handler) http.Handler {
	if base == "" {
		return site
	}
	strip := http.StripPrefix(base, site)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/" || p == base:
			http.Redirect(w, r, base+"/", http.StatusFound)
		case strings.HasPrefix(p, base+"/"):
			strip.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}
