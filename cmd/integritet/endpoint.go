package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
	"github.com/integritet/integritet/site"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// prefixList is a repeatable flag of IP prefixes; a bare address is its
// own /32 or /128.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	var s []string
	for _, p := range *l {
		s = append(s, p.String())
	}
	return strings.Join(s, ",")
}

func (l *prefixList) Set(v string) error {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		a, aerr := netip.ParseAddr(v)
		if aerr != nil {
			return fmt.Errorf("%q is not an IP address or CIDR prefix (such as 10.0.0.0/8)", v)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	*l = append(*l, p.Masked())
	return nil
}

func runEndpoint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("endpoint", "[-addr host:port] [-db dsn] [-anchors file] [-anchor-every duration] [-source dir] [-public dir] [-origin url ...] [-trusted-proxy cidr ...]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port`")
	db := fs.String("db", "sqlite:consent.db", "consent store: sqlite:PATH or postgres://...")
	source := fs.String("source", ".", "site root `dir` whose content/ declares the notice (categories, revision, retention)")
	public := fs.String("public", "", "also serve the built site from `dir` (the output of integritet build)")
	anchorsPath := fs.String("anchors", "", "append the chain head to this anchor log `file` (outside the database) at start, every -anchor-every and at shutdown, and publish it at /.well-known/consent-chain.json")
	anchorEvery := fs.Duration("anchor-every", 10*time.Minute, "how often to anchor the chain head (with -anchors)")
	var origins stringList
	fs.Var(&origins, "origin", "allow browser requests from this `origin` besides the notice's base URL (repeatable)")
	var proxies prefixList
	fs.Var(&proxies, "trusted-proxy", "rate-limit by X-Forwarded-For for requests from this `address or CIDR` (a load balancer; repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	// One render gives the policy and, for -public, the base path.
	rendered, err := site.Render(ctx, *source, site.Options{Drafts: true})
	if err != nil {
		return fmt.Errorf("endpoint: load the notice: %w", err)
	}
	policy, err := policyFor(rendered, origins)
	if err != nil {
		return fmt.Errorf("endpoint: %w", err)
	}
	if *anchorEvery <= 0 {
		return fmt.Errorf("%w: -anchor-every %v: want a positive duration", errUsage, *anchorEvery)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	var anchors *consent.AnchorLog
	if *anchorsPath != "" {
		if anchors, err = consent.OpenAnchorLog(*anchorsPath); err != nil {
			return fmt.Errorf("endpoint: %w", err)
		}
		defer anchors.Close()
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return fmt.Errorf("endpoint: %w", err)
	}
	if anchors != nil {
		if _, err := anchors.Anchor(ctx, st, time.Now()); err != nil {
			st.Close()
			return fmt.Errorf("endpoint: %w", err)
		}
	}
	var opts consent.Options
	if len(proxies) > 0 {
		opts.ClientKey = consent.ForwardedClientKey(proxies)
	}
	api := consent.NewServer(log, st, policy, opts)
	mux := http.NewServeMux()
	if *public == "" {
		mux.Handle("/", api)
	} else {
		if fi, err := os.Stat(*public); err != nil || !fi.IsDir() {
			st.Close()
			return fmt.Errorf("endpoint: -public %s: not a directory", *public)
		}
		mux.Handle("/api/", api)
		mux.Handle("/healthz", api)
		mux.Handle("/readyz", api)
		// Under the notice's base path when it has one, as deployed.
		if base := rendered.Notice.Meta.BasePath(); base != "" {
			mux.Handle(base+"/", http.StripPrefix(base, staticSite(*public)))
		} else {
			mux.Handle("/", staticSite(*public))
		}
	}
	if anchors != nil {
		mux.Handle("GET /.well-known/consent-chain.json", anchorDocument(anchors))
	}
	var h http.Handler = mux
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		st.Close()
		return fmt.Errorf("endpoint: %w", err)
	}
	srv := &http.Server{
		Handler: h,
		// Slow clients cannot hold connections: headers within 5 s, the
		// small body within 10 s.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("consent endpoint listening", "addr", "http://"+ln.Addr().String(), "revision", policy.Revision, "version", policy.Version)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	stopAnchoring := make(chan struct{})
	anchoring := make(chan struct{})
	go func() {
		defer close(anchoring)
		if anchors == nil {
			return
		}
		tick := time.NewTicker(*anchorEvery)
		defer tick.Stop()
		for {
			select {
			case <-stopAnchoring:
				return
			case <-tick.C:
				actx, cancel := context.WithTimeout(ctx, 10*time.Second) // a hung store must not hold the anchorer
				if _, err := anchors.Anchor(actx, st, time.Now()); err != nil {
					log.Error("consent endpoint: anchor", "err", err)
				}
				cancel()
			}
		}
	}()
	select {
	case err = <-served:
	case <-ctx.Done():
	}
	close(stopAnchoring)
	<-anchoring
	// Graceful shutdown: stop accepting, let requests in flight finish
	// (they wait for their commit), anchor the final head, then commit
	// whatever is still queued.
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = errors.Join(ignoreClosed(err), srv.Shutdown(sctx))
	if anchors != nil {
		if _, aerr := anchors.Anchor(sctx, st, time.Now()); aerr != nil {
			err = errors.Join(err, aerr)
		}
	}
	err = errors.Join(err, st.Close())
	log.Info("consent endpoint stopped")
	if err != nil {
		return fmt.Errorf("endpoint: %w", err)
	}
	return nil
}

// anchorDocument publishes the anchor log as {"anchors":[...]}, for third
// parties to keep copies of.
func anchorDocument(l *consent.AnchorLog) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Access-Control-Allow-Origin", "*") // public by design
		consent.WriteAnchorDocument(w, l.Anchors())
	})
}

func ignoreClosed(err error) error {
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// hashedName matches file names that carry a content hash
// (consent.3f2a9c0d.js): they never change, so they may be cached forever.
var hashedName = regexp.MustCompile(`\.[0-9a-f]{8,64}\.[a-z0-9]+$`)

// staticSite serves the built site from dir: no directory listings, no
// dotfiles, immutable caching for hashed assets, revalidation for pages,
// and security headers that do not get in the way of the notice.
// hiddenPath reports whether a clean path names a hidden file or folder
// (a part that starts with "."), other than the top-level .well-known.
func hiddenPath(p string) bool {
	for i, part := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		if strings.HasPrefix(part, ".") && !(i == 0 && part == ".well-known") {
			return true
		}
	}
	return false
}

func staticSite(dir string) http.Handler {
	root := http.Dir(dir)
	files := http.FileServer(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		// Hidden files stay hidden, except the .well-known files the
		// build writes (gpc.json, the releases, the anchors).
		if hiddenPath(p) {
			http.NotFound(w, r)
			return
		}
		f, err := root.Open(p)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		fi, err := f.Stat()
		f.Close()
		if err != nil {
			http.NotFound(w, r)
			return
		}
		html := strings.HasSuffix(p, ".html")
		if fi.IsDir() {
			idx, err := root.Open(path.Join(p, "index.html"))
			if err != nil {
				http.NotFound(w, r) // no listings
				return
			}
			idx.Close()
			html = true
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Content-Security-Policy", "base-uri 'self'; object-src 'none'; frame-ancestors 'self'; form-action 'self'")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		switch {
		case html:
			h.Set("Cache-Control", "no-cache")
		case hashedName.MatchString(p):
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		default:
			h.Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	})
}
