package preview

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// fixture is a running preview of a copy of FRAMSTEGET's content.
type fixture struct {
	dir    string
	srv    *Server
	http   *httptest.Server
	events chan int64
}

// start copies the repository's content/ into a temporary site, builds it,
// serves it, starts the watcher and subscribes to the event stream.
func start(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "content", "*.toml"))
	if len(files) == 0 {
		t.Fatal("no ../content/*.toml")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "content", filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "preview.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{
		Dir:     dir,
		Options: site.Options{Minify: true},
		Store:   st,
		Policy: func(out *site.Output) (consent.Policy, error) {
			n := out.Notice
			return consent.Policy{Revision: out.Revision, Version: n.Meta.Version, Categories: n.OptionalCategories(), Languages: n.Meta.Languages}, nil
		},
	})
	if r := s.Build(ctx); r.Err != nil {
		t.Fatalf("first build: %v", r.Err)
	}
	hs := httptest.NewServer(s.Handler())
	watched := make(chan error, 1)
	go func() { watched <- s.Watch(ctx, nil) }()
	<-s.ready
	f := &fixture{dir: dir, srv: s, http: hs, events: make(chan int64, 64)}
	resp, err := http.Get(hs.URL + eventsPath)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type %q", ct)
	}
	go readEvents(resp.Body, f.events)
	t.Cleanup(func() {
		cancel()
		s.Close()
		resp.Body.Close()
		hs.Close()
		if err := <-watched; err != nil {
			t.Error(err)
		}
		st.Close()
	})
	if gen := f.next(t); gen != 1 {
		t.Fatalf("first event: build %d, want 1", gen)
	}
	return f
}

// readEvents parses "event: build / data: N" pairs off an SSE stream.
func readEvents(r io.Reader, out chan<- int64) {
	sc := bufio.NewScanner(r)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "build":
			if n, err := strconv.ParseInt(strings.TrimPrefix(line, "data: "), 10, 64); err == nil {
				out <- n
			}
		case line == "":
			event = ""
		}
	}
	close(out)
}

// next waits for the next build event.
func (f *fixture) next(t testing.TB) int64 {
	t.Helper()
	select {
	case gen, ok := <-f.events:
		if !ok {
			t.Fatal("event stream closed")
		}
		return gen
	case <-time.After(5 * time.Second):
		t.Fatal("no build event within 5 s")
	}
	return 0
}

// edit rewrites a content file by replacing old with new.
func (f *fixture) edit(t testing.TB, file, old, new string) {
	t.Helper()
	name := filepath.Join(f.dir, "content", file)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(name, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) get(t testing.TB, p string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(f.http.URL + p)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

const page = "/sv/integritetspolicy/"

func TestServesPagesWithReloadScriptUnderStrictCSP(t *testing.T) {
	f := start(t)
	code, h, body := f.get(t, page)
	if code != 200 {
		t.Fatalf("GET %s: %d", page, code)
	}
	if got := h.Get("Content-Security-Policy"); got != CSP {
		t.Errorf("CSP %q, want %q", got, CSP)
	}
	if !strings.Contains(body, `<script src="/_integritet/reload.js?v=1" defer></script></body>`) {
		t.Error("page lacks the reload script before </body>")
	}
	if code, _, js := f.get(t, scriptPath); code != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("reload.js: %d", code)
	}
	if code, _, _ := f.get(t, "/sv/integritetspolicy"); code != 200 {
		t.Errorf("path without slash: %d after redirect", code)
	}
	if code, _, _ := f.get(t, "/nope/"); code != 404 {
		t.Errorf("missing page: %d, want 404", code)
	}
}

func TestSaveReloadsWithNewText(t *testing.T) {
	f := start(t)
	_, _, before := f.get(t, page)
	const old = "När fakturan är betald raderas uppgifterna"
	const new = "När fakturan är betald tas uppgifterna bort"
	if !strings.Contains(before, old) {
		t.Fatalf("page lacks %q", old)
	}
	f.edit(t, "retention.toml", old, new)
	if gen := f.next(t); gen != 2 {
		t.Fatalf("build event %d, want 2", gen)
	}
	code, _, after := f.get(t, page)
	if code != 200 || !strings.Contains(after, new) || strings.Contains(after, old) {
		t.Errorf("after the save: status %d, new text %v, old text %v", code, strings.Contains(after, new), strings.Contains(after, old))
	}
	if !strings.Contains(after, "reload.js?v=2") {
		t.Error("the rebuilt page does not carry its build number")
	}
}

func TestBrokenSaveShowsErrorsThenRecovers(t *testing.T) {
	f := start(t)
	// An unterminated string on the line of the paid-invoice duration.
	src, err := os.ReadFile(filepath.Join(f.dir, "content", "retention.toml"))
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(string(src[:strings.Index(string(src), `duration = "P18M"`)]), "\n")
	f.edit(t, "retention.toml", `duration = "P18M"`, `duration = "P18M <b>`)
	f.next(t)
	code, h, body := f.get(t, page)
	if code != http.StatusInternalServerError {
		t.Fatalf("broken build: %d, want 500", code)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("error page Content-Type %q", ct)
	}
	for _, want := range []string{
		fmt.Sprintf("content/retention.toml:%d:21: strings cannot contain newlines", line), // the position
		`duration = &#34;P18M &lt;b&gt;`,                  // the offending line, escaped
		"\n" + strings.Repeat(" ", 20) + "^</pre>",        // a caret under it
		`<script src="/_integritet/reload.js?v=2" defer>`, // and it reloads
	} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "<b>") {
		t.Error("source text is not escaped")
	}
	if code, _, _ := f.get(t, "/"); code != 500 {
		t.Errorf("every page shows the error: / answered %d", code)
	}
	if code, _, _ := f.get(t, stylePath); code != 200 {
		t.Errorf("error stylesheet: %d", code)
	}

	f.edit(t, "retention.toml", `duration = "P18M <b>`, `duration = "P18M"`)
	if gen := f.next(t); gen != 3 {
		t.Fatalf("build event %d, want 3", gen)
	}
	if code, _, body := f.get(t, page); code != 200 || !strings.Contains(body, "reload.js?v=3") {
		t.Errorf("after the fix: %d", code)
	}
}

func TestConsentEndpointFollowsTheNotice(t *testing.T) {
	f := start(t)
	post := func(body string) int {
		resp, err := http.Post(f.http.URL+"/api/consent", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	n, err := notice.Load(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	decision := func(rev string) string {
		return `{"revision":"` + rev + `","version":"` + n.Meta.Version + `","language":"sv","method":"reject-all","choices":{"statistics":false,"marketing":false}}`
	}
	if code := post(decision(rev(t, f.dir, n))); code != 201 {
		t.Fatalf("POST with the current revision: %d, want 201", code)
	}
	// A longer cookie lifetime changes the revision: the endpoint follows
	// on the next good build and turns the old revision away.
	f.edit(t, "cookies.toml", `lifetime = "P6M"`, `lifetime = "P12M"`)
	f.next(t)
	if code := post(decision(rev(t, f.dir, n))); code != http.StatusConflict {
		t.Errorf("POST with the old revision after the change: %d, want 409", code)
	}
	n2, err := notice.Load(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	if code := post(decision(rev(t, f.dir, n2))); code != 201 {
		t.Errorf("POST with the new revision: %d, want 201", code)
	}
}

func TestTempFilesAreIgnored(t *testing.T) {
	t.Parallel()
	for _, name := range []string{".retention.toml.swp", "retention.toml~", ".#retention.toml", "4913", "#retention.toml#"} {
		if !tempFile(name) {
			t.Errorf("%s not taken for a temp file", name)
		}
	}
	for _, name := range []string{"retention.toml", "base.html", "sv.toml"} {
		if tempFile(name) {
			t.Errorf("%s taken for a temp file", name)
		}
	}
}

func TestCaretLinesUpWithTabs(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line string
		col  int
		want string
	}{
		{`key = "x"`, 1, "^"},
		{`key = "x"`, 7, "      ^"},
		{"\tkey = 1", 2, "\t^"},
		{"", 5, "^"},
	} {
		if got := caret(c.line, c.col); got != c.want {
			t.Errorf("caret(%q, %d) = %q, want %q", c.line, c.col, got, c.want)
		}
	}
}

// BenchmarkSaveToReloadEvent measures, on FRAMSTEGET, the time from writing
// a content file to receiving the reload event (debounce + build):
//
//	go test ./preview -run '^$' -bench SaveToReload -benchtime 40x
func BenchmarkSaveToReloadEvent(b *testing.B) {
	f := start(b)
	name := filepath.Join(f.dir, "content", "retention.toml")
	orig, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := strings.Replace(string(orig), `duration = "P18M"`, `duration = "P`+strconv.Itoa(12+i%24)+`M"`, 1)
		t0 := time.Now()
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		f.next(b)
		ds = append(ds, time.Since(t0))
		time.Sleep(30 * time.Millisecond) // let the editor's burst settle, as between saves
	}
	b.StopTimer()
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(ds[len(ds)*9/10].Microseconds())/1000, "p90-ms")
	b.ReportMetric(float64(ds[len(ds)-1].Microseconds())/1000, "max-ms")
}

func rev(t *testing.T, dir string, n *notice.Notice) string {
	t.Helper()
	r, err := site.Revision(dir, n)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestUnreleasedChangeIsMarkedAsDraft checks that serve shows content that
// differs from its released version, marked as an unreleased draft, and
// drops the mark once the content is back to what was released.
func TestUnreleasedChangeIsMarkedAsDraft(t *testing.T) {
	f := start(t)
	if _, _, body := f.get(t, page); strings.Contains(body, `class="draft"`) {
		t.Fatal("a site without releases is marked as a draft")
	}
	copyTree(t, filepath.Join("..", "releases"), filepath.Join(f.dir, "releases"))
	f.edit(t, "retention.toml", `duration = "P18M"`, `duration = "P2Y"`)
	f.next(t)
	code, _, body := f.get(t, page)
	if code != 200 || !strings.Contains(body, `<p class="draft" role="status">`) || !strings.Contains(body, "Ej utgivet utkast") || !strings.Contains(body, "2 år") {
		t.Errorf("changed content under a released version: status %d, draft mark %v", code, strings.Contains(body, `class="draft"`))
	}
	f.edit(t, "retention.toml", `duration = "P2Y"`, `duration = "P18M"`)
	f.next(t)
	if _, _, body := f.get(t, page); strings.Contains(body, `class="draft"`) {
		t.Error("the released content is still marked as a draft")
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The preview answers what `integritet endpoint` answers, mounted by the
// same consent.Mount: /readyz is 503 until the first good build starts
// the endpoint, then 200 while its store commits, as /healthz is; the
// site and the preview's own routes are there too.
func TestAnswersReadyzLikeTheEndpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join("..", "content"))); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "preview.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(Config{Dir: dir, Store: st, Policy: func(out *site.Output) (consent.Policy, error) {
		n := out.Notice
		return consent.Policy{Revision: out.Revision, Version: n.Meta.Version, Categories: n.OptionalCategories(), Languages: n.Meta.Languages}, nil
	}})
	defer s.Close()
	h := s.Handler()
	code := func(method, path string) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, path, nil))
		return w.Code
	}
	if got := code("GET", "/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz before the first build: %d, want 503", got)
	}
	if r := s.Build(ctx); r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/readyz", 200},
		{"GET", "/healthz", 200},
		{"POST", "/readyz", http.StatusMethodNotAllowed},
		{"GET", "/sv/integritetspolicy/", 200},
		{"GET", scriptPath, 200},
	} {
		if got := code(c.method, c.path); got != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, got, c.want)
		}
	}
}

// A notice published under a path is previewed under it, with the
// answers `integritet endpoint -public` gives (consent.UnderBase): the
// root and the path without its slash redirect to the path, a folder
// without its slash gets it under the path, and nothing outside the path
// is served.
func TestServesUnderTheBasePathLikeTheEndpoint(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join("..", "content"))); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "content", "notice.toml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	n, err := notice.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), `base_url = "`+n.Meta.BaseURL+`"`, `base_url = "https://example.se/legal/"`, 1))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	s := New(Config{Dir: dir})
	defer s.Close()
	if r := s.Build(context.Background()); r.Err != nil {
		t.Fatal(r.Err)
	}
	h := s.Handler()
	for _, c := range []struct {
		path     string
		code     int
		location string
	}{
		{"/", 302, "/legal/"},
		{"/legal", 302, "/legal/"},
		{"/legal/", 200, ""},
		{"/legal/sv/integritetspolicy/", 200, ""},
		{"/legal/sv/integritetspolicy", 301, "/legal/sv/integritetspolicy/"},
		{"/sv/integritetspolicy/", 404, ""},
		{"/legalese/sv/integritetspolicy/", 404, ""},
	} {
		w := httptest.NewRecorder()
		req := httptest.NewRequest("GET", c.path, nil)
		h.ServeHTTP(w, req)
		loc := w.Header().Get("Location")
		if u, err := req.URL.Parse(loc); err == nil && loc != "" {
			loc = u.Path // as the browser follows it
		}
		if w.Code != c.code || loc != c.location {
			t.Errorf("GET %s: %d %q, want %d %q", c.path, w.Code, loc, c.code, c.location)
		}
	}
}
