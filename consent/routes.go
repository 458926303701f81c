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

// Mount puts on mux everything `integritet endpoint` and `integritet
// serve` answer, so that both answer alike: api (the endpoint NewServer
// returns, whose own routes are listed above) under /api/ and at /healthz
// and /readyz; the anchor log at /.well-known/consent-chain.json when
// anchors is not nil; and site (the notice's pages, under its base path)
// at every other path, or api when there is no site (404 there). serve
// adds only its live-reload routes.
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
