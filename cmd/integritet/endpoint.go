package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
	"github.com/integritet/integritet/notice/release"
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
	fs := newFlags("endpoint", "[-addr host:port] [-db dsn] [-anchors file] [-anchor-every duration] [-source dir] [-theme name] [-public dir] [-origin url ...] [-trusted-proxy cidr ...]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port`")
	db := fs.String("db", "sqlite:consent.db", "consent store: sqlite:PATH or postgres://...")
	source := fs.String("source", ".", "site root `dir` whose content/ declares the notice (categories, revision, retention)")
	theme := fs.String("theme", "default", "theme folder under themes/, as given to build")
	public := fs.String("public", "", "also serve the built site from `dir` (the output of integritet build, gzipped to clients that take it)")
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
	if *anchorEvery <= 0 {
		return fmt.Errorf("%w: -anchor-every %v: want a positive duration", errUsage, *anchorEvery)
	}
	// The endpoint records consent to what build publishes, and nothing
	// else: the same render, refused where build refuses it (lint errors,
	// content that is not released), and with -public the folder must
	// hold what that render gives.
	rendered, err := site.Render(ctx, *source, siteOptions(*theme))
	if err != nil {
		fmt.Fprintf(stderr, "endpoint: not started: `integritet build -source %s` refuses this notice, and the endpoint records consent only to what build publishes:\n", *source)
		var ue *release.UnreleasedError
		if errors.As(err, &ue) {
			return reportUnreleased(ctx, stderr, *source, *theme, ue)
		}
		return reportDiagnostics(stderr, fmt.Errorf("endpoint: load the notice: %w", err))
	}
	policy, err := policyFor(rendered, origins)
	if err != nil {
		return fmt.Errorf("endpoint: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	var files http.Handler
	if *public != "" {
		buildArgs := "-source " + *source
		if *theme != "default" {
			buildArgs += " -theme " + *theme
		}
		built, extra, err := builtFrom(*public, buildArgs, rendered)
		if err != nil {
			return fmt.Errorf("endpoint: %w", err)
		}
		if len(extra) > 0 {
			log.Warn("-public holds files that build does not write: they are not served", "dir", *public, "files", len(extra), "first", extra[0])
		}
		files = consent.UnderBase(rendered.Notice.Meta.BasePath(), staticFS(built))
	}
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
	mux := http.NewServeMux()
	consent.Mount(mux, consent.NewServer(log, st, policy, opts), anchors, files)
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

func ignoreClosed(err error) error {
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// chainDoc is the anchor document `build -anchors` adds to what it
// renders: the one file of a build that the render does not make.
const chainDoc = ".well-known/consent-chain.json"

// builtFrom checks that the folder dir holds what `integritet build
// args` writes (out, its render): every file, byte for byte, so that
// the endpoint never serves a stale or edited build beside the consent it
// records, nor a page that reads the same but loads something else. It
// returns the site to serve, held in memory as checked, and the files of
// dir that build does not write (they are not served).
func builtFrom(dir, args string, out *site.Output) (memFS, []string, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("-public %s: not a directory", dir)
	}
	onDisk := map[string]fs.FileInfo{}
	var extra []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		_, built := out.Files[name]
		if !d.Type().IsRegular() || (!built && name != chainDoc) {
			extra = append(extra, name) // a link, or a file build does not write
			return nil
		}
		onDisk[name], err = d.Info()
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("-public %s: %w", dir, err)
	}
	files := maps.Clone(out.Files)
	if _, ok := onDisk[chainDoc]; ok {
		if files[chainDoc], err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(chainDoc))); err != nil {
			return nil, nil, fmt.Errorf("-public %s: %w", dir, err)
		}
	}
	// The notice's pages first: a folder without them is no build of it.
	var names []string
	for _, lang := range out.Notice.Meta.Languages {
		names = append(names, lang+"/"+out.Notice.Meta.Slug[lang]+"/index.html")
	}
	for _, name := range out.Paths() {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	var differ []string
	for _, name := range names {
		if _, ok := onDisk[name]; !ok {
			return nil, nil, fmt.Errorf("-public %s has no %s: it is not the output of `integritet build %s`", dir, name, args)
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return nil, nil, fmt.Errorf("-public %s: %w", dir, err)
		}
		if !bytes.Equal(b, out.Files[name]) {
			differ = append(differ, name)
		}
	}
	if len(differ) > 0 {
		verb, more := "differs", ""
		if len(differ) > 1 {
			verb = "differ"
		}
		if len(differ) > 3 {
			more = fmt.Sprintf(" (and %d more)", len(differ)-3)
			differ = differ[:3]
		}
		return nil, nil, fmt.Errorf("-public %s is not what `integritet build %s` writes: %s %s%s; run `integritet build %s -out %s` first",
			dir, args, strings.Join(differ, ", "), verb, more, args, dir)
	}
	slices.Sort(extra)
	return newMemFS(files, func(name string) time.Time { return onDisk[name].ModTime() }), extra, nil
}
