package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/postgres/pgtest"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// syncBuffer is a bytes.Buffer safe for the serve goroutines and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeFramsteget is the README's first command: `integritet serve` from
// the repository root serves FRAMSTEGET under a strict CSP with the reload
// script, and the banner's endpoint records on SQLite; `consent verify`
// then checks what was recorded.
func TestServeFramsteget(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "preview", "preview.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-source", "../..", "-db", db}, &stdout, &stderr)
	}()
	serving := regexp.MustCompile(`Serving FRAMSTEGET at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		if m := serving.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned early: %v\n%s%s", err, stdout.String(), stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s%s", stdout.String(), stderr.String())
		}
	}

	resp, err := http.Get(base + "sv/integritetspolicy/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET notice: %d", resp.StatusCode)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp != "default-src 'self'" {
		t.Errorf("CSP %q", csp)
	}
	for _, want := range []string{`id="integritet-config"`, `src="/_integritet/reload.js?v=1"`, `/assets/consent.`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("page lacks %s", want)
		}
	}

	n, err := notice.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	rev, err := site.Revision("../..", n)
	if err != nil {
		t.Fatal(err)
	}
	decision := `{"revision":"` + rev + `","version":"` + n.Meta.Version + `","language":"sv","method":"accept-all","choices":{"statistics":true,"marketing":true}}`
	req, _ := http.NewRequest("POST", base+"api/consent", strings.NewReader(decision))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", strings.TrimSuffix(base, "/")) // as the banner's fetch sends it
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("POST /api/consent: %d, want 201", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}

	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"consent", "verify", "-db", db}, &out, &errOut); err != nil {
		t.Fatalf("consent verify: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "chain verified: 1 records") {
		t.Errorf("consent verify: %q", out.String())
	}
}

func TestServeRefusesAFolderWithoutContent(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "-source", t.TempDir(), "-addr", "127.0.0.1:0"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "integritet init") {
		t.Errorf("serve on an empty folder: %v", err)
	}
}

// TestEndpointServesTheBuiltSite is the README's deploy command:
// `integritet endpoint -db sqlite:consent.db -public public` after a build.
func TestEndpointServesTheBuiltSite(t *testing.T) {
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"build", "-source", "../..", "-out", public}, &out, &errOut); err != nil {
		t.Fatalf("build: %v\n%s", err, errOut.String())
	}
	db, anchors := "sqlite:"+filepath.Join(dir, "consent.db"), filepath.Join(dir, "consent-anchors.jsonl")
	base, stop := startEndpoint(t, "-db", db, "-anchors", anchors, "-anchor-every", "50ms", "-public", public, "-source", "../..")
	for p, want := range map[string]int{"/sv/integritetspolicy/": 200, "/healthz": 200, "/readyz": 200, "/.well-known/consent-chain.json": 200,
		"/api/consent/" + strings.Repeat("0", 32): 404} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", p, resp.StatusCode, want)
		}
		// Go's client asks for gzip and unpacks it: the page came gzipped.
		if p == "/sv/integritetspolicy/" && (!resp.Uncompressed || resp.Header.Get("X-Frame-Options") != "SAMEORIGIN") {
			t.Errorf("GET %s: gzipped %v, headers %v", p, resp.Uncompressed, resp.Header)
		}
	}
	policy, body := framstegetDecision(t, "accept-all")
	resp, err := http.Post(base+"/api/consent", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	receipt, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || !bytes.Contains(receipt, []byte(`"seq":1,`)) {
		t.Fatalf("decision: %d %s", resp.StatusCode, receipt)
	}
	// Verify against the published anchors (the head at start, seq 0) and
	// the visitor's receipt while the endpoint runs.
	receipts := filepath.Join(dir, "receipt.json")
	os.WriteFile(receipts, receipt, 0o644)
	out.Reset()
	if err := run(context.Background(), []string{"consent", "verify", "-db", db, "-anchors", base + "/.well-known/consent-chain.json", "-receipts", receipts}, &out, &errOut); err != nil {
		t.Fatalf("consent verify: %v\n%s", err, errOut.String())
	}
	// The 50 ms tick may already have anchored the new head: one anchor
	// or two, both in the chain.
	if !strings.Contains(out.String(), "chain verified: 1 records") || !regexp.MustCompile(`anchors verified: [12]\b`).MatchString(out.String()) || !strings.Contains(out.String(), "receipts verified: 1") {
		t.Errorf("consent verify: %q", out.String())
	}
	// The next tick anchors the new head, and it is published.
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(base + "/.well-known/consent-chain.json")
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if bytes.Contains(doc, []byte(`{"seq":1,`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the head after a decision was not anchored within 10 s:\n%s", doc)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	// Start, one tick with a new head; shutdown found nothing new.
	data, err := os.ReadFile(anchors)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(data)), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], `{"seq":1,`) {
		t.Errorf("anchor log after shutdown:\n%s", data)
	}
	// The README's checks on the stopped store: verify against the log
	// and the retention, export, purge (nothing is three years old), and the
	// report with its release dates.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"consent", "verify", "-db", db, "-anchors", anchors, "-source", "../.."}, "anchors verified: 2 (0 below the base, purged)"},
		{[]string{"consent", "export", "-db", db, "-anchors", anchors}, `"seq":1,`},
		{[]string{"consent", "purge", "-db", db, "-anchors", anchors, "-source", "../.."}, "deleted 0 records: no anchored head older than"},
		{[]string{"consent", "report", "-db", db, "-anchors", anchors, "-source", "../..", "-by", "month", "-out", filepath.Join(dir, "consent-report")}, "report of 1 decisions written to"},
	} {
		out.Reset()
		if err := run(context.Background(), c.args, &out, &errOut); err != nil || !strings.Contains(out.String(), c.want) {
			t.Errorf("%v: %v %q, want %q\n%s", c.args, err, out.String(), c.want, errOut.String())
		}
	}
	chain, err := os.ReadFile(filepath.Join(dir, "consent-report", "chain.csv"))
	if err != nil || !strings.Contains(string(chain), "chain,verified\n") || !strings.Contains(string(chain), `anchors checked,"2 (0 below the base, purged)"`) {
		t.Errorf("the report's chain.csv: %v\n%s", err, chain)
	}
	// The revision the visitor consented to is dated by its release.
	rel, ok := releaseOfRevision(t, "../..", policy.Revision)
	cats, err := os.ReadFile(filepath.Join(dir, "consent-report", "categories.csv"))
	if want := policy.Revision + "," + rel.Version + "," + rel.Date.String() + ","; err != nil || !ok || !strings.Contains(string(cats), want) {
		t.Errorf("the report's categories.csv lacks %q (released: %v): %v\n%s", want, ok, err, cats)
	}
}

// startEndpoint runs `integritet endpoint -addr 127.0.0.1:0 args...` until
// stop, which fails the test if the endpoint did not shut down cleanly.
func startEndpoint(t *testing.T, args ...string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"endpoint", "-addr", "127.0.0.1:0"}, args...), &stdout, &stderr)
	}()
	listening := regexp.MustCompile(`addr=(http://127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("endpoint returned early: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("endpoint did not start:\n%s", stderr.String())
		}
	}
	return base, func() {
		t.Helper()
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("endpoint: %v", err)
		}
	}
}

// With -trusted-proxy, requests from the load balancer are rate-limited
// per visitor (X-Forwarded-For), not all together as the balancer's.
func TestEndpointTrustedProxyLimitsPerVisitor(t *testing.T) {
	base, stop := startEndpoint(t, "-db", "sqlite:"+filepath.Join(t.TempDir(), "consent.db"), "-source", "../..", "-trusted-proxy", "127.0.0.1")
	defer stop()
	post := func(visitor string) int {
		req, _ := http.NewRequest("POST", base+"/api/consent", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", visitor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// The default limit is a burst of 20; every request takes a token,
	// bad ones too.
	for i := range 20 {
		if got := post("198.51.100.1"); got != 400 {
			t.Fatalf("request %d of the first visitor: %d, want 400 (an empty decision)", i+1, got)
		}
	}
	// The bucket refills at 5 a second: on a slow machine a token or two
	// may have come back by now, but not ten.
	limited := 0
	for i := 21; i <= 30 && limited == 0; i++ {
		switch got := post("198.51.100.1"); got {
		case 429:
			limited = i
		case 400:
		default:
			t.Fatalf("request %d of the first visitor: %d", i, got)
		}
	}
	if limited == 0 {
		t.Errorf("30 requests of the first visitor at once, none refused with 429")
	}
	if got := post("198.51.100.2"); got != 400 {
		t.Errorf("first request of another visitor behind the same proxy: %d, want 400, not 429", got)
	}
}

// TestEndpointOnPostgres is the README's replica command:
// `integritet endpoint -db postgres://... -public public`, two replicas on
// one database, then `consent verify` over what both recorded.
func TestEndpointOnPostgres(t *testing.T) {
	dsn := pgtest.Database(t)
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"build", "-source", "../..", "-out", public}, &out, &errOut); err != nil {
		t.Fatalf("build: %v\n%s", err, errOut.String())
	}
	_, body := framstegetDecision(t, "reject-all")
	var replicas []string
	for i := range 2 {
		base, stop := startEndpoint(t, "-db", dsn, "-anchors", filepath.Join(dir, fmt.Sprintf("anchors-%d.jsonl", i)), "-public", public, "-source", "../..")
		defer stop()
		replicas = append(replicas, base)
	}
	for i, base := range []string{replicas[0], replicas[1], replicas[0]} {
		resp, err := http.Post(base+"/api/consent", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var rc struct{ Subject string }
		json.NewDecoder(resp.Body).Decode(&rc)
		resp.Body.Close()
		if resp.StatusCode != 201 || len(rc.Subject) != 32 {
			t.Fatalf("decision %d: %d, subject %q", i+1, resp.StatusCode, rc.Subject)
		}
		hist, err := http.Get(replicas[(i+1)%2] + "/api/consent/" + rc.Subject)
		if err != nil {
			t.Fatal(err)
		}
		hist.Body.Close()
		if hist.StatusCode != 200 {
			t.Errorf("decision %d: its history on the other replica: %d", i+1, hist.StatusCode)
		}
	}
	if resp, err := http.Get(replicas[1] + "/sv/integritetspolicy/"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the notice from a replica: %v %v", resp, err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"consent", "verify", "-db", dsn, "-anchors", replicas[0] + "/.well-known/consent-chain.json"}, &out, &errOut); err != nil {
		t.Fatalf("consent verify: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "chain verified: 3 records") {
		t.Errorf("consent verify: %s", out.String())
	}
}

// releaseOfRevision returns the first release of revision rev under dir.
func releaseOfRevision(t *testing.T, dir, rev string) (notice.Release, bool) {
	t.Helper()
	rs, err := notice.ReadReleases(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Revision == rev {
			return r, true
		}
	}
	return notice.Release{}, false
}

// framsteget copies FRAMSTEGET's site (its content and releases) into a
// new folder and returns it.
// framstegetDecision is the endpoint's policy and a visitor's decision on FRAMSTEGET's current
// notice, in Swedish: every category granted for accept-all, none for
// reject-all.
func framstegetDecision(t *testing.T, method string) (consent.Policy, []byte) {
	t.Helper()
	policy, err := loadPolicy(context.Background(), "../..", nil)
	if err != nil {
		t.Fatal(err)
	}
	choices := map[string]bool{}
	for _, c := range policy.Categories {
		choices[c] = method == "accept-all"
	}
	body, err := json.Marshal(map[string]any{"revision": policy.Revision, "version": policy.Version, "language": "sv", "method": method, "choices": choices})
	if err != nil {
		t.Fatal(err)
	}
	return policy, body
}

func framsteget(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"content", "releases"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("../..", d))); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestEndpointStartsOnlyOnWhatBuildPublishes: the endpoint records consent
// to the notice build publishes, so it refuses to start where build
// refuses (a lint error, content that differs from its release) and on a
// -public folder that does not hold that build, before it opens a store.
func TestEndpointStartsOnlyOnWhatBuildPublishes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(t *testing.T, src, public string)
		want []string
	}{
		{"unreleased content", func(t *testing.T, src, public string) {
			editFile(t, filepath.Join(src, "content", "notice.toml"), `title = {sv = "Integritetspolicy"`, `title = {sv = "Integritetspolicyn"`)
		}, []string{"endpoint: not started: `integritet build -source " + "SRC` refuses this notice", "build: the notice reads differently from its released version"}},
		{"a lint error", func(t *testing.T, src, public string) {
			editFile(t, filepath.Join(src, "content", "notice.toml"), `title = {sv = "Integritetspolicy"`, `title = {sv = "TODO"`)
		}, []string{"endpoint: not started", "still says TODO: fill it in", "[unfilled]"}},
		{"a public folder edited after the build", func(t *testing.T, src, public string) {
			editFile(t, filepath.Join(public, "sv", "integritetspolicy", "index.html"), "Integritetspolicy", "Integritetspolicyn")
		}, []string{"endpoint: -public PUBLIC is not what `integritet build -source SRC` writes: sv/integritetspolicy/index.html differs", "run `integritet build -source SRC -out PUBLIC` first"}},
		// What a visitor reads is the same, but the page is not the build's.
		{"a script added to a page after the build", func(t *testing.T, src, public string) {
			editFile(t, filepath.Join(public, "sv", "integritetspolicy", "index.html"), "<head>", `<head><script src="https://tracker.example/t.js"></script>`)
		}, []string{"endpoint: -public PUBLIC is not what `integritet build -source SRC` writes: sv/integritetspolicy/index.html differs"}},
		{"the banner's script edited after the build", func(t *testing.T, src, public string) {
			js, err := filepath.Glob(filepath.Join(public, "assets", "consent.*.js"))
			if err != nil || len(js) != 1 {
				t.Fatalf("the banner's script: %v %v", js, err)
			}
			writeFile(t, js[0], readFile(t, js[0])+";fetch('https://tracker.example/')")
		}, []string{"assets/" + "consent.", ".js differs"}},
		{"an archived version edited after the build", func(t *testing.T, src, public string) {
			editFile(t, filepath.Join(public, "releases", "2026.1", "sv", "integritetspolicy", "index.html"), "Integritetspolicy", "Integritetspolicyn")
		}, []string{"releases/2026.1/sv/integritetspolicy/index.html differs"}},
		{"an archived version missing", func(t *testing.T, src, public string) {
			os.RemoveAll(filepath.Join(public, "releases", "2026.1"))
		}, []string{"-public PUBLIC has no releases/2026.1/"}},
		{"a public folder that is no build", func(t *testing.T, src, public string) {
			os.RemoveAll(public)
			os.MkdirAll(public, 0o755)
		}, []string{"endpoint: -public PUBLIC has no sv/integritetspolicy/index.html: it is not the output of `integritet build -source SRC`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := framsteget(t)
			public := filepath.Join(t.TempDir(), "public")
			if _, stderr, err := runCmd(t, "build", "-source", src, "-out", public); err != nil {
				t.Fatalf("build: %v\n%s", err, stderr)
			}
			tt.edit(t, src, public)
			db := filepath.Join(t.TempDir(), "consent.db")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout, stderr syncBuffer
			err := run(ctx, []string{"endpoint", "-addr", "127.0.0.1:0", "-db", "sqlite:" + db, "-source", src, "-public", public}, &stdout, &stderr)
			msg := stderr.String()
			if err != nil {
				msg += err.Error()
			}
			if err == nil || exitCode(err) != 1 {
				t.Fatalf("endpoint: %v, want it not started\n%s", err, msg)
			}
			for _, w := range tt.want {
				w = strings.NewReplacer("SRC", src, "PUBLIC", public).Replace(w)
				if !strings.Contains(msg, w) {
					t.Errorf("endpoint says\n%s\nwant %q", msg, w)
				}
			}
			if _, err := os.Stat(db); err == nil {
				t.Error("the endpoint created its store before it refused the notice")
			}
		})
	}
}

// TestEndpointServesOnlyWhatBuildPublishes: with -public, the endpoint
// serves the files build writes, as build writes them, and nothing else
// of the folder: not a file put beside them (a note, a copy of the
// consent store, a link to a file outside the folder, a dotfile), and not
// a page edited after the endpoint started (it serves what it checked at
// start; a rebuild takes a restart, as the banner's revision does).
func TestEndpointServesOnlyWhatBuildPublishes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	mustRun(t, context.Background(), "build", "-source", "../..", "-out", public)
	page := readFile(t, filepath.Join(public, "sv", "integritetspolicy", "index.html"))
	secret := filepath.Join(dir, "secret.txt")
	writeFile(t, secret, "not for visitors")
	writeFile(t, filepath.Join(public, "notes.txt"), "deploy notes")
	writeFile(t, filepath.Join(public, "assets", "consent.db"), "SQLite format 3")
	writeFile(t, filepath.Join(public, ".env"), "TOKEN=x")
	if err := os.Symlink(secret, filepath.Join(public, "secret.txt")); err != nil {
		t.Fatal(err)
	}
	base, stop := startEndpoint(t, "-db", "sqlite:"+filepath.Join(dir, "consent.db"), "-public", public, "-source", "../..")
	defer stop()
	editFile(t, filepath.Join(public, "sv", "integritetspolicy", "index.html"), "<head>", `<head><script src="https://tracker.example/t.js"></script>`)
	for p, want := range map[string]int{"/notes.txt": 404, "/assets/consent.db": 404, "/.env": 404, "/secret.txt": 404,
		"/sv/integritetspolicy/": 200, "/.well-known/integritet-releases.json": 200, "/releases/2026.1/sv/integritetspolicy/": 200} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", p, resp.StatusCode, want)
		}
		if p == "/sv/integritetspolicy/" && string(body) != page {
			t.Errorf("GET %s: not the page as built and checked at start", p)
		}
	}
}

// An endpoint started with -theme on a folder built with another theme
// says how to build what it serves: with that -theme.
func TestEndpointNamesItsThemeInTheBuildItAsksFor(t *testing.T) {
	t.Parallel()
	src := framsteget(t)
	copyDir(t, "../../themes/default", filepath.Join(src, "themes", "plain"))
	editFile(t, filepath.Join(src, "themes", "plain", "layouts", "base.html"), `<meta charset="utf-8">`, `<meta charset="utf-8"><meta name="theme" content="plain">`)
	public := filepath.Join(t.TempDir(), "public")
	mustRun(t, context.Background(), "build", "-source", src, "-out", public)
	err := run(context.Background(), []string{"endpoint", "-addr", "127.0.0.1:0", "-db", "sqlite:" + filepath.Join(t.TempDir(), "consent.db"), "-source", src, "-theme", "plain", "-public", public}, io.Discard, io.Discard)
	want := "run `integritet build -source " + src + " -theme plain -out " + public + "` first"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("endpoint -theme plain on a default build: %v, want %q", err, want)
	}
}
