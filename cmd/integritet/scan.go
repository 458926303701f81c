package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/scan"
	"github.com/integritet/integritet/site"
)

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("scan", "[-pages N] [-source dir] [-endpoint path] [-format text|json] [-html file] [-strict] [-write] [-offline] [-idle d] [-idle-timeout d] [URL | DIR]", stderr)
	pages := fs.Int("pages", 20, "visit at most `N` pages in each of the three passes")
	idle := fs.Duration("idle", 500*time.Millisecond, "read a page once no request has been in flight for this `long` (network idle)")
	idleTimeout := fs.Duration("idle-timeout", 10*time.Second, "wait at most this `long` for a page's network to go idle")
	source := fs.String("source", ".", "site root (the folder holding content/) whose notice the site is checked against")
	endpoint := fs.String("endpoint", "", "when scanning a folder, answer the banner's consent requests at this `path` (default: [banner] endpoint, else /api/consent)")
	format := fs.String("format", "text", "output format: text or json")
	htmlOut := fs.String("html", "", "also write an HTML report with the three passes side by side to `file`")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	write := fs.Bool("write", false, "append the drafted declarations for undeclared items to the cookies file")
	chromium := fs.String("chromium", "", "path of the Chromium binary (default: chromium on $PATH)")
	license := fs.Bool("data-license", false, "print the source and licence of the embedded Open Cookie Database, and exit")
	offline := fs.Bool("offline", false, "let the browser resolve only the scanned host and loopback: requests to other hosts are still recorded, but fail instead of leaving the machine (so third-party scripts do not load)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *license {
		_, err := io.WriteString(stdout, scan.License())
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args()[1:])
	}
	if *format != "text" && *format != "json" {
		fs.Usage()
		return fmt.Errorf("%w: -format %q: want text or json", errUsage, *format)
	}
	if *pages < 1 {
		fs.Usage()
		return fmt.Errorf("%w: -pages %d: want at least 1", errUsage, *pages)
	}
	if *idle <= 0 || *idleTimeout < *idle {
		fs.Usage()
		return fmt.Errorf("%w: -idle %s, -idle-timeout %s: want a positive -idle no longer than -idle-timeout", errUsage, *idle, *idleTimeout)
	}
	target := "public"
	if fs.NArg() == 1 {
		target = fs.Arg(0)
	}
	n, err := notice.Load(*source)
	if err != nil {
		return reportDiagnostics(stderr, fmt.Errorf("scan: load the notice: %w", err))
	}
	db, err := scan.OpenDB()
	if err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	start := target
	if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") {
		fi, err := os.Stat(target)
		if err != nil || !fi.IsDir() {
			return fmt.Errorf("scan: %s is neither an http(s) URL nor a folder (build the site first: integritet build)", target)
		}
		path := *endpoint
		if path == "" {
			path = n.Banner.Endpoint
		}
		if path == "" || *endpoint == "" && !strings.HasPrefix(path, "/") {
			path = consent.Path
		}
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "{}?# \t\n") {
			fs.Usage()
			return fmt.Errorf("%w: -endpoint %q: want a path such as /api/consent", errUsage, path)
		}
		// A notice published under a path (base_url
		// https://example.se/legal/) links its pages and assets under it:
		// the folder is served there, as it is deployed.
		prefix := n.Meta.BasePath()
		base, stop, err := serveFolder(ctx, target, *source, prefix, path)
		if err != nil {
			return fmt.Errorf("scan: %w", err)
		}
		defer stop()
		start = base + prefix + "/"
	}
	opts := scan.Options{Pages: *pages, Chromium: *chromium, Idle: *idle, IdleTimeout: *idleTimeout}
	if *offline {
		u, err := url.Parse(start)
		if err != nil {
			return fmt.Errorf("scan: %w", err)
		}
		opts.OnlyHosts = []string{u.Hostname(), "127.0.0.1", "localhost", "[::1]"}
	}
	prog := newProgress(stderr, *pages)
	opts.Progress = prog.page
	res, err := scan.Run(ctx, start, opts)
	prog.done()
	if err != nil {
		return err
	}
	fs2 := scan.Check(n, res, db)
	rep := scan.NewReport(res, fs2)
	if *htmlOut != "" {
		if err := writeFileAtomic(*htmlOut, rep.WriteHTML); err != nil {
			return fmt.Errorf("scan: -html: %w", err)
		}
	}
	if *format == "json" {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return err
	}
	if *write && scan.CountDrafts(rep.Drafts) > 0 {
		file, err := scan.WriteDrafts(*source, rep.Drafts)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "appended %d drafted declarations to %s: lint reports their TODOs until legal has reviewed them\n", scan.CountDrafts(rep.Drafts), file)
	}
	if rep.Errors > 0 || *strict && rep.Warnings > 0 {
		return fmt.Errorf("%w: scan found %d errors, %d warnings", errReported, rep.Errors, rep.Warnings)
	}
	return nil
}

// serveFolder serves a built site on a free loopback port, under prefix
// (the notice's base path, "" at the root), with the real consent endpoint
// at path over a throwaway SQLite store, so the banner works as it does in
// production. It returns the site's origin.
func serveFolder(ctx context.Context, dir, source, prefix, path string) (string, func(), error) {
	// The endpoint's policy (revision, digest, categories) is the
	// rendered notice's, as integritet endpoint derives it.
	out, err := site.Render(ctx, source, site.Options{Drafts: true})
	if err != nil {
		return "", nil, fmt.Errorf("load the notice: %w", err)
	}
	tmp, err := os.MkdirTemp("", "integritet-scan-store-")
	if err != nil {
		return "", nil, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(tmp, "consent.db"))
	if err != nil {
		os.RemoveAll(tmp)
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		os.RemoveAll(tmp)
		return "", nil, err
	}
	base := "http://" + ln.Addr().String()
	policy, err := policyFor(out, []string{base})
	if err != nil {
		ln.Close()
		st.Close()
		os.RemoveAll(tmp)
		return "", nil, err
	}
	// The routes are the endpoint's (consent.Mount), and the banner's own
	// path, when it is another, answers as the endpoint's /api/consent.
	api := consent.NewServer(nil, st, policy, consent.Options{Rate: -1})
	mux := http.NewServeMux()
	consent.Mount(mux, api, nil, consent.UnderBase(prefix, staticSite(dir)))
	if path != consent.Path {
		mux.Handle("POST "+path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = consent.Path, ""
			api.ServeHTTP(w, r2)
		}))
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelWarn)}
	go srv.Serve(ln)
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		st.Close()
		os.RemoveAll(tmp)
	}
	return base, stop, nil
}

// progress shows, on a terminal only, how far each pass has got.
type progress struct {
	w     io.Writer
	tty   bool
	total int
	mu    sync.Mutex
	at    map[scan.Pass]int
	shown bool
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, at: map[scan.Pass]int{}}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) page(pass scan.Pass, n int, url string) {
	if !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.at[pass] = n
	line := fmt.Sprintf("scan: before %d/%d, reject %d/%d, accept %d/%d: %s", p.at[scan.Before], p.total, p.at[scan.Reject], p.total, p.at[scan.Accept], p.total, url)
	if len(line) > 100 {
		line = line[:97] + "..."
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.shown = true
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// writeFileAtomic writes a file through a temporary file and a rename, so
// a failure leaves the previous file in place.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".integritet-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := errors.Join(write(tmp), tmp.Chmod(0o644), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
