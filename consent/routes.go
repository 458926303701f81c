package consent

import "net/http"

// routes is the one place that lists every route of the endpoint. There
// is no admin route: verify, export and purge are commands, not URLs.
func (s *server) routes(mux *http.ServeMux) {
	mux.Handle("POST /api/consent", s.limit(s.cors(s.handlePost())))
	mux.Handle("OPTIONS /api/consent", s.preflight("POST"))
	mux.Handle("GET /api/consent/{subject}", s.limit(s.cors(s.handleHistory())))
	mux.Handle("OPTIONS /api/consent/{subject}", s.preflight("GET"))
	mux.Handle("GET /healthz", s.handleHealth())
	mux.Handle("GET /readyz", s.handleReady())
}
