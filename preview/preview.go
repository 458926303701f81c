// Package preview is the live-reload server behind `integritet serve`: it
// renders the site into memory, serves it with the consent endpoint on the
// same origin, watches the site's folders and rebuilds on save, and tells
// open pages to reload over Server-Sent Events. While the build is broken
// every page is replaced by an error page that lists the diagnostics with
// the offending source lines.
package preview

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// Paths the preview adds to the site. They sit under one prefix that a
// notice never produces.
const (
	prefix     = "/_integritet/"
	eventsPath = prefix + "events"
	scriptPath = prefix + "reload.js"
	stylePath  = prefix + "error.css"
)

// CSP is the Content-Security-Policy of every preview answer: the same
// strict policy a site should run under, so the preview shows what breaks.
const CSP = "default-src 'self'"

// Config is what a Server needs.
type Config struct {
	// Dir is the site root (the folder holding content/).
	Dir string
	// Options are the build options (lint, exports, theme); Inject is set
	// by the server.
	Options site.Options
	// Store records consent; the endpoint is rebuilt over it after every
	// good build.
	Store consent.Store
	// Policy derives the endpoint's policy from a freshly built notice.
	// It gets the whole render: the notice, its consent revision and digest.
	Policy func(*site.Output) (consent.Policy, error)
	// Log receives one line per build; nil discards.
	Log *slog.Logger
	// Debounce is how long the watcher waits for a burst of events to end
	// before it rebuilds; 15 ms when zero.
	Debounce time.Duration
}

// Result is the outcome of one build.
type Result struct {
	Gen      int64         // build number, from 1
	Err      error         // nil when the build succeeded
	Files    int           // files rendered (good builds)
	Duration time.Duration // time spent rendering
	Notice   *notice.Notice
}

// Server serves the preview. Create it with New, call Build once, then Watch
// in a goroutine; Handler serves HTTP.
type Server struct {
	cfg    Config
	log    *slog.Logger
	state  atomic.Pointer[state]
	api    atomic.Pointer[http.Handler]
	events broker
	buildM sync.Mutex // one build at a time
	gen    int64      // guarded by buildM
	done   chan struct{}
	once   sync.Once
	// ready is closed once Watch has set up its watches (tests wait on it).
	ready chan struct{}
}

// state is what the handler serves: the files of the last good build and,
// while the build is broken, the error page.
type state struct {
	gen     int64
	files   map[string][]byte // last good build; nil before the first
	base    string            // the notice's base path ("/legal"), where files are served
	errPage []byte            // non-nil while broken
}

// New returns a server for cfg. Nothing is built until Build is called.
func New(cfg Config) *Server {
	if cfg.Debounce == 0 {
		cfg.Debounce = 15 * time.Millisecond
	}
	s := &Server{cfg: cfg, log: cfg.Log, done: make(chan struct{}), ready: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.events.subs = map[chan int64]struct{}{}
	s.state.Store(&state{})
	return s
}

// Close ends the open event streams so that an http.Server can shut down.
func (s *Server) Close() { s.once.Do(func() { close(s.done) }) }

// Build renders the site once, swaps in the result (or the error page), and
// tells open pages to reload. It returns the outcome; a broken notice is a
// result, not a failure of Build.
func (s *Server) Build(ctx context.Context) Result {
	s.buildM.Lock()
	defer s.buildM.Unlock()
	s.gen++
	gen := s.gen
	opts := s.cfg.Options
	opts.Drafts = true // an unreleased change is shown, marked as a draft
	opts.Inject = template.HTML(`<script src="` + scriptPath + `?v=` + fmt.Sprint(gen) + `" defer></script>`)
	start := time.Now()
	out, err := site.Render(ctx, s.cfg.Dir, opts)
	var api http.Handler
	if err == nil && s.cfg.Store != nil && s.cfg.Policy != nil {
		var p consent.Policy
		p, err = s.cfg.Policy(out)
		if err == nil {
			api = consent.NewServer(s.log, s.cfg.Store, p, consent.Options{})
		}
	}
	res := Result{Gen: gen, Err: err, Duration: time.Since(start)}
	prev := s.state.Load()
	if err != nil {
		page, perr := errorPage(s.cfg.Dir, err, gen)
		if perr != nil {
			page = []byte("<!doctype html><title>Build failed</title><pre>" + template.HTMLEscapeString(err.Error()) + "</pre>")
		}
		s.state.Store(&state{gen: gen, files: prev.files, base: prev.base, errPage: page})
	} else {
		res.Files = len(out.Files)
		res.Notice = out.Notice
		if api != nil {
			s.api.Store(&api)
		}
		s.state.Store(&state{gen: gen, files: out.Files, base: out.Notice.Meta.BasePath()})
	}
	s.events.publish(gen)
	return res
}

// Handler serves what `integritet endpoint` serves, mounted the same way
// (consent.Mount: the consent endpoint under /api/, /healthz and /readyz,
// the site everywhere else), and adds only the preview's own routes: the
// event stream, the reload script and the error page's style.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := s.api.Load()
		if h == nil {
			http.Error(w, "the consent endpoint starts with the first good build", http.StatusServiceUnavailable)
			return
		}
		(*h).ServeHTTP(w, r)
	})
	consent.Mount(mux, api, nil, http.HandlerFunc(s.serveSite))
	mux.HandleFunc("GET "+eventsPath, s.serveEvents)
	mux.HandleFunc("GET "+scriptPath, func(w http.ResponseWriter, r *http.Request) {
		serveBytes(w, r, "application/javascript; charset=utf-8", []byte(reloadJS))
	})
	mux.HandleFunc("GET "+stylePath, func(w http.ResponseWriter, r *http.Request) {
		serveBytes(w, r, "text/css; charset=utf-8", []byte(errorCSS))
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", CSP)
		mux.ServeHTTP(w, r)
	})
}

func serveBytes(w http.ResponseWriter, r *http.Request, ctype string, b []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	if r.Method == http.MethodHead {
		return
	}
	w.Write(b)
}

// serveSite answers from the last build: the page, or the error page for
// every HTML path while the build is broken.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// A notice published under a path (base_url https://host/legal/) is
	// served under it, as it will be deployed.
	st := s.state.Load()
	consent.UnderBase(st.base, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveFiles(w, r, st)
	})).ServeHTTP(w, r)
}

// serveFiles answers from the build st, at the path under its base path.
func (s *Server) serveFiles(w http.ResponseWriter, r *http.Request, st *state) {
	upath := r.URL.Path
	name, isHTML := filePath(upath)
	if st.errPage != nil && isHTML {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusInternalServerError)
		if r.Method != http.MethodHead {
			w.Write(st.errPage)
		}
		return
	}
	b, ok := st.files[name]
	if !ok && !strings.HasSuffix(upath, "/") {
		// "/sv/integritetspolicy" → "integritetspolicy/", relative (as
		// http.FileServer does it; http.Redirect would resolve it against
		// the path below the base), so that it holds under the base path
		if _, dir := st.files[name+"/index.html"]; dir {
			w.Header().Set("Location", path.Base(upath)+"/")
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	serveBytes(w, r, ctype, b)
}

// filePath maps a URL path to the output path and says whether it names a
// page: "/" → "index.html", "/sv/x/" → "sv/x/index.html".
func filePath(urlPath string) (name string, isHTML bool) {
	p := path.Clean("/" + urlPath)
	if strings.HasSuffix(urlPath, "/") || p == "/" {
		return strings.TrimPrefix(path.Join(p, "index.html"), "/"), true
	}
	ext := path.Ext(p)
	return strings.TrimPrefix(p, "/"), ext == ".html" || ext == ""
}

// serveEvents streams one "build" event with the current build number on
// connect and one after every build. The page's script reloads when the
// number differs from the build it was rendered by.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := s.events.subscribe()
	defer s.events.unsubscribe(ch)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "retry: 500\nevent: build\ndata: %d\n\n", s.state.Load().gen)
	fl.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case gen := <-ch:
			fmt.Fprintf(w, "event: build\ndata: %d\n\n", gen)
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
		fl.Flush()
	}
}

// broker fans build numbers out to the open event streams. A slow stream
// only ever holds the newest number.
type broker struct {
	mu   sync.Mutex
	subs map[chan int64]struct{}
}

func (b *broker) subscribe() chan int64 {
	ch := make(chan int64, 1)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	return ch
}

func (b *broker) unsubscribe(ch chan int64) {
	b.mu.Lock()
	delete(b.subs, ch)
	b.mu.Unlock()
}

func (b *broker) publish(gen int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case <-ch: // drop the stale number
		default:
		}
		ch <- gen
	}
}

// reloadJS is the external reload script (external so that it runs under
// default-src 'self' without 'unsafe-inline').
const reloadJS = `// integritet serve: reload when the site is rebuilt.
(function () {
  var s = document.currentScript, m = s && /[?&]v=(\d+)/.exec(s.src), v = m ? m[1] : null;
  var es = new EventSource("/_integritet/events");
  es.addEventListener("build", function (e) {
    if (v === null) { v = e.data; return; }
    if (e.data !== v) { es.close(); location.reload(); }
  });
})();
`
