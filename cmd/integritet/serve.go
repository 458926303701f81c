package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/preview"
	"github.com/integritet/integritet/site"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "[-addr host:port] [-source dir] [-db dsn] [-theme name]", stderr)
	addr := fs.String("addr", "127.0.0.1:1313", "listen on `host:port`")
	source := fs.String("source", ".", "site root `dir` (the folder that holds content/)")
	db := fs.String("db", "sqlite:.integritet/preview.db", "consent store for the preview: sqlite:PATH or postgres://...")
	theme := fs.String("theme", "default", "theme folder under themes/")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if fi, err := os.Stat(filepath.Join(*source, "content")); err != nil || !fi.IsDir() {
		return fmt.Errorf("serve: %s has no content/ folder (start a new site with 'integritet init DIR')", *source)
	}
	if p, ok := strings.CutPrefix(*db, "sqlite:"); ok {
		if err := os.MkdirAll(filepath.Dir(strings.TrimPrefix(p, "//")), 0o755); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, *db)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		st.Close()
		return fmt.Errorf("serve: %w", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	srv := preview.New(preview.Config{
		Dir:     *source,
		Options: siteOptions(*theme),
		Store:   st,
		// The preview's own origin is the request's, which the endpoint
		// allows anyway; the notice's base URL is allowed as in production.
		Policy: func(out *site.Output) (consent.Policy, error) { return policyFor(out, nil) },
		Log:    log,
	})
	first := srv.Build(ctx)
	name := *source
	if first.Notice != nil {
		name = first.Notice.Controller.Name
	}
	reportBuild(stdout, stderr, first)
	fmt.Fprintf(stdout, "Serving %s at %s (Ctrl-C to stop)\n", name, url)

	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	wctx, stopWatch := context.WithCancel(ctx)
	watched := make(chan error, 1)
	go func() {
		watched <- srv.Watch(wctx, func(r preview.Result) { reportBuild(stdout, stderr, r) })
	}()

	select {
	case err = <-served:
		err = ignoreClosed(err)
	case err = <-watched:
	case <-ctx.Done():
	}
	stopWatch()
	srv.Close() // ends the event streams so Shutdown does not wait for them
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = errors.Join(err, hs.Shutdown(sctx), st.Close())
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// reportBuild prints one line for a good build and the diagnostics of a
// broken one, so the terminal tells the same story as the browser.
func reportBuild(stdout, stderr io.Writer, r preview.Result) {
	if r.Err != nil {
		reportDiagnostics(stderr, r.Err)
		var ds notice.Diagnostics
		if !errors.As(r.Err, &ds) {
			fmt.Fprintln(stderr, "integritet:", r.Err)
		}
		fmt.Fprintf(stderr, "build %d failed: the browser shows the errors until the next good save\n", r.Gen)
		return
	}
	fmt.Fprintf(stdout, "build %d: %d files in %s\n", r.Gen, r.Files, r.Duration.Round(time.Millisecond))
}
