package scan

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
	"github.com/integritet/integritet/site"
)

const howToRun = `run: eval "$(bash .ci/browser.sh)" then go test ./scan`

// needChromium returns the browser's path; without one it skips the test
// locally and fails it in CI, where .ci/browser.sh installs it.
func needChromium(t testing.TB) string {
	t.Helper()
	p, err := FindChromium("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is missing in CI; %s", howToRun)
		}
		t.Skipf("chromium is missing; %s", howToRun)
	}
	return p
}

// repoRoot is FRAMSTEGET's site root: the repository.
var repoRoot = filepath.Join("..")

// buildSite renders FRAMSTEGET's content plus the extra content files into
// a public folder, as `integritet build` writes it, and returns the folder
// and the site root of the notice.
func buildSite(t testing.TB, extra map[string]string) (public, root string) {
	t.Helper()
	root = repoRoot
	if len(extra) > 0 {
		root = t.TempDir()
		files, err := filepath.Glob(filepath.Join(repoRoot, "content", "*.toml"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no content under %s: %v", repoRoot, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(root, "content", filepath.Base(f)), b)
		}
		for name, src := range extra {
			writeFile(t, filepath.Join(root, "content", name), []byte(src))
		}
	}
	out, err := site.Render(context.Background(), root, site.Options{Minify: true})
	if err != nil {
		t.Fatalf("render %s: %v", root, err)
	}
	public = filepath.Join(t.TempDir(), "public")
	if err := site.Write(out, public); err != nil {
		t.Fatal(err)
	}
	return public, root
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// snippet returns the built banner snippet of a language.
func snippet(t testing.TB, public, lang string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(public, "assets", "snippet."+lang+".html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// serveSite serves a built folder on 127.0.0.1 with the real consent
// endpoint (SQLite in a temporary folder) at /api/consent, and calls
// extra, when set, first: it may set headers (cookies) for the file, or
// answer the request itself.
func serveSite(t testing.TB, public, root string, extra http.HandlerFunc) *httptest.Server {
	t.Helper()
	out, err := site.Render(context.Background(), root, site.Options{Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	n := out.Notice
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "consent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	mux := http.NewServeMux()
	srv := httptest.NewUnstartedServer(mux)
	srv.Start()
	t.Cleanup(srv.Close)
	p := consent.Policy{Revision: out.Revision, Digest: out.Digest, Version: n.Meta.Version, Categories: n.OptionalCategories(), Languages: n.Meta.Languages, Origins: []string{srv.URL}}
	mux.Handle("POST /api/consent", consent.NewServer(nil, store, p, consent.Options{Rate: -1}))
	files := http.FileServer(http.Dir(public))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if extra != nil {
			aw := &answered{ResponseWriter: w}
			if extra(aw, r); aw.done {
				return
			}
		}
		files.ServeHTTP(w, r)
	})
	return srv
}

// answered notes whether a handler has answered the request itself.
type answered struct {
	http.ResponseWriter
	done bool
}

func (a *answered) WriteHeader(code int) {
	a.done = true
	a.ResponseWriter.WriteHeader(code)
}

func (a *answered) Write(b []byte) (int, error) {
	a.done = true
	return a.ResponseWriter.Write(b)
}

// thirdParty serves a 1x1 GIF on a second loopback address (127.0.0.2), so
// that the browser sees another host, not just another port.
func thirdParty(t testing.TB) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on a second loopback address: %v", err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(gif)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// gif is a transparent 1x1 GIF.
var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// loopback keeps the browser on this machine.
var loopback = []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "localhost"}

// fixturePage fills a fixture page template.
func fixturePage(t testing.TB, name string, repl ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fixture", name))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.NewReplacer(repl...).Replace(string(b)))
}

// newSite builds FRAMSTEGET's site with the extra content file toml and
// adds the files (path under public/ → content; "{{snippet}}" in a page is
// the real banner snippet), served with the real consent endpoint; extra
// answers the paths it handles itself first (see serveSite). It returns
// the server and the site root of the notice.
func newSite(t testing.TB, toml string, files map[string]string, extra http.HandlerFunc) (*httptest.Server, string) {
	t.Helper()
	public, root := buildSite(t, map[string]string{"zz-scan.toml": toml})
	sn := snippet(t, public, "sv")
	for p, body := range files {
		writeFile(t, filepath.Join(public, filepath.FromSlash(p)), []byte(strings.ReplaceAll(body, "{{snippet}}", sn)))
	}
	return serveSite(t, public, root, extra), root
}

// serveOn serves h on another loopback address (127.0.0.2 and up), so that
// the browser sees another host.
func serveOn(t testing.TB, ip string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}
