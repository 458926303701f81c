package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
	"github.com/integritet/integritet/notice"
	build "github.com/integritet/integritet/site"
)

// nonce is the CSP nonce of the company page, whose inline gated script
// carries it (an inline script needs a nonce or a hash under a strict CSP).
const nonce = "dGVzdC1ub25jZQ"

// strictCSP is the policy every page is served with. The company page adds a
// nonce to script-src for its inline gated script; nothing else is allowed.
const strictCSP = "default-src 'self'"

// lang describes one language of the built site.
type lang struct {
	code    string // "sv"
	notice  string // URL path of the notice page, "/sv/integritetspolicy/"
	company string // URL path of the company page that includes the snippet
	reopen  string // text of the page's reopen control
	cfg     config
}

// config is the part of the banner configuration that the tests look at.
type config struct {
	Lang     string   `json:"lang"`
	Revision string   `json:"revision"`
	Accepts  []string `json:"accepts"`
	Version  string   `json:"version"`
	Endpoint string   `json:"endpoint"`
	Notice   string   `json:"notice"`
	GPC      bool     `json:"gpc"`
	Cookie   struct {
		Name     string `json:"name"`
		Lifetime [3]int `json:"lifetime"`
	} `json:"cookie"`
	Categories []struct {
		Key       string `json:"key"`
		Necessary bool   `json:"necessary"`
		Title     string `json:"title"`
		Cookies   []struct {
			Name  string `json:"name"`
			About string `json:"about"`
		} `json:"cookies"`
	} `json:"categories"`
	Text map[string]string `json:"text"`
}

// optional lists the keys of the non-necessary categories.
func (c config) optional() []string {
	var keys []string
	for _, cat := range c.Categories {
		if !cat.Necessary {
			keys = append(keys, cat.Key)
		}
	}
	return keys
}

// site is a built site in a directory, as `integritet build` writes it, plus
// the company page of the tests.
type site struct {
	dir   string
	langs []lang
}

var configBlock = regexp.MustCompile(`(?s)<script type="application/json" id="integritet-config">(.*?)</script>`)

// repoRoot is the site root of FRAMSTEGET: the repository, whose content/
// holds the real notice.
var repoRoot = filepath.Join("..", "..")

// testCookies declares what an analytics tag and an ad pixel set, so that a
// withdrawal has cookies to delete. FRAMSTEGET itself declares none yet.
const testCookies = `[[cookie]]
name = "_pk_ls_*"
pattern = true
kind = "local-storage"
provider = "FRAMSTEGET (Matomo)"
category = "statistics"
lifetime = "P13M"
purpose = {sv = "Sparar statistik i webbläsaren.", en = "Keeps statistics in the browser."}

[[cookie]]
name = "ad_session"
kind = "session-storage"
provider = "Meta"
category = "marketing"
lifetime = "session"
purpose = {sv = "Håller ihop ett annonsbesök.", en = "Holds one ad visit together."}

[[cookie]]
name = "_pk_id.*"
pattern = true
provider = "FRAMSTEGET (Matomo)"
category = "statistics"
lifetime = "P13M"
path = "/"
purpose = {sv = "Känner igen en återkommande besökare i statistiken.", en = "Recognises a returning visitor in the statistics."}

[[cookie]]
name = "_pk_ses.*"
pattern = true
provider = "FRAMSTEGET (Matomo)"
category = "statistics"
lifetime = "session"
path = "/"
purpose = {sv = "Håller ihop ett besök i statistiken.", en = "Holds one visit together in the statistics."}

[[cookie]]
name = "_fbp"
provider = "Meta"
category = "marketing"
lifetime = "P3M"
path = "/"
purpose = {sv = "Mäter hur våra annonser fungerar.", en = "Measures how our ads perform."}
`

// render renders the site root with the build's own options (minified, as
// `integritet build` ships it).
func render(t *testing.T, root string) *build.Output {
	t.Helper()
	out, err := build.Render(context.Background(), root, build.Options{Minify: true})
	if err != nil {
		t.Fatalf("render %s: %v", root, err)
	}
	return out
}

// buildSite builds FRAMSTEGET's real site into a folder and adds the company
// page that includes the built snippet.
func buildSite(t *testing.T) site {
	t.Helper()
	return writeSite(t, render(t, repoRoot))
}

// buildSiteWithCookies builds FRAMSTEGET's content plus declared statistics
// and marketing cookies. The cookies are consent-relevant, so its revision
// differs from the real site's.
func buildSiteWithCookies(t *testing.T) site {
	t.Helper()
	root := copyContent(t, nil)
	writeFile(t, filepath.Join(root, "content", "zz-test-cookies.toml"), []byte(testCookies))
	return writeSite(t, render(t, root))
}

// buildSiteEditorial builds FRAMSTEGET's content with a wording change in
// the statistics category (so a new revision) released as editorial: the
// release keeps the revision of the site as built (old) valid.
func buildSiteEditorial(t *testing.T, old string) site {
	t.Helper()
	root := copyContent(t, func(_ string, b []byte) []byte {
		return bytes.Replace(b, []byte("används så att vi kan förbättra den."), []byte("används, så att vi kan förbättra den."), 1)
	})
	draft, err := build.Render(context.Background(), root, build.Options{Minify: true, Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	if draft.Revision == old {
		t.Fatalf("the wording change left the revision at %s", old)
	}
	m := draft.Notice.Meta
	rel := notice.Release{Version: m.Version, Date: m.EffectiveDate, Summary: notice.Text{"sv": "Kommatering."}, Digest: draft.Digest,
		Revision: draft.Revision, Editorial: "Kommatering; samma innebörd.", Accepts: []string{old}}
	arch, err := build.Render(context.Background(), root, build.Options{Minify: true, Archive: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := build.Write(arch, filepath.Join(root, notice.ReleasesDir, m.Version, "site")); err != nil {
		t.Fatal(err)
	}
	if err := notice.WriteReleases(root, []notice.Release{rel}); err != nil {
		t.Fatal(err)
	}
	return writeSite(t, render(t, root))
}

// copyContent copies FRAMSTEGET's content/*.toml, without its releases,
// into a new site root, each file through edit (by base name) when edit is
// not nil, and returns the root.
func copyContent(t *testing.T, edit func(name string, b []byte) []byte) string {
	t.Helper()
	root := t.TempDir()
	files, err := filepath.Glob(filepath.Join(repoRoot, "content", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no content/*.toml under %s: %v", repoRoot, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			b = edit(filepath.Base(f), b)
		}
		writeFile(t, filepath.Join(root, "content", filepath.Base(f)), b)
	}
	return root
}

// writeSite writes a rendered site with site.Write and describes its
// languages from the notice it came from.
func writeSite(t *testing.T, out *build.Output) site {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	if err := build.Write(out, dir); err != nil {
		t.Fatal(err)
	}
	s := site{dir: dir}
	meta := out.Notice.Meta
	for _, code := range meta.Languages {
		notice := "/" + code + "/" + meta.Slug[code] + "/"
		if _, ok := out.Files[strings.TrimPrefix(notice, "/")+"index.html"]; !ok {
			t.Fatalf("the build wrote no notice page %s", notice)
		}
		s.langs = append(s.langs, lang{code: code, notice: notice})
	}
	addCompanyPages(t, &s)
	return s
}

// addCompanyPages writes the company's own page, once per language, with the
// built snippet included, and the gated resources it refers to.
func addCompanyPages(t *testing.T, s *site) {
	t.Helper()
	for _, f := range []string{"site.css", "stats.js", "frame.html", "pixel.svg"} {
		writeFile(t, filepath.Join(s.dir, "company", f), readFixture(t, f))
	}
	tmpl := string(readFixture(t, "company.html"))
	for i := range s.langs {
		l := &s.langs[i]
		snippet, err := os.ReadFile(filepath.Join(s.dir, "assets", "snippet."+l.code+".html"))
		if err != nil {
			t.Fatalf("the build wrote no snippet for %s: %v", l.code, err)
		}
		mt := configBlock.FindSubmatch(snippet)
		if mt == nil {
			t.Fatalf("snippet.%s.html has no integritet-config block", l.code)
		}
		// The tests read the full configuration; the snippet's block is
		// the part of it that the first layer needs.
		full, err := os.ReadFile(filepath.Join(s.dir, "assets", "consent-config."+l.code+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(full, &l.cfg); err != nil {
			t.Fatalf("consent-config.%s.json: %v", l.code, err)
		}
		var first config
		if err := json.Unmarshal(mt[1], &first); err != nil || first.Revision != l.cfg.Revision {
			t.Fatalf("snippet.%s.html: config %v, revision %s, want %s", l.code, err, first.Revision, l.cfg.Revision)
		}
		l.company = "/company/" + l.code + "/"
		l.reopen = l.cfg.Text["settingsTitle"]
		page := strings.NewReplacer("{{lang}}", l.code, "{{reopen}}", l.reopen, "{{nonce}}", nonce, "{{snippet}}", string(snippet)).Replace(tmpl)
		writeFile(t, filepath.Join(s.dir, "company", l.code, "index.html"), []byte(page))
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// post is one decision that the banner sent to the endpoint.
type post struct {
	ID       string          `json:"id"`
	Subject  string          `json:"subject"`
	Revision string          `json:"revision"`
	Version  string          `json:"version"`
	Language string          `json:"language"`
	Method   string          `json:"method"`
	Choices  map[string]bool `json:"choices"`
}

// server serves a built site on 127.0.0.1 with a strict CSP, records the
// paths it was asked for, and passes consent decisions at /api/consent to the
// real endpoint (package consent, SQLite store) after checking them against
// the contract and recording them with their receipts.
type server struct {
	*httptest.Server
	dir      atomic.Pointer[site]
	endpoint atomic.Pointer[http.Handler]
	store    consent.Store
	// fault makes /api/consent fail as a network does: see the fault
	// constants. Requests that fail never reach the endpoint.
	fault atomic.Int32
	// slow is closed by answerSlow: the answers held back by faultSlow go.
	slow     chan struct{}
	slowOnce sync.Once
	// noSettings makes the server answer 503 for the settings layer.
	noSettings atomic.Bool
	// stale lets the endpoint refuse decisions with 409 (its policy is
	// older than the site) without that counting as a broken contract.
	stale atomic.Bool

	mu        sync.Mutex
	paths     []string
	posts     []post // decisions the endpoint stored (201)
	subjects  []string
	replays   int // repeats answered with the first receipt (200)
	conflicts int // 409 answers while stale
	beacons   int // requests sent with sendBeacon (text/plain)
	problems  []string
}

// Faults of the consent endpoint.
const (
	faultNone = iota
	faultDown // the connection is closed without an answer
	fault500  // 500 Internal Server Error, nothing stored
	faultSlow // the decision is stored, its answer waits for answerSlow
	fault404  // no endpoint at that address (a static host without it)
)

// serve switches the server to the site s, with an endpoint whose policy is
// that site's, over the same store.
func (srv *server) serve(s site) {
	srv.serveEndpoint(s)
	srv.dir.Store(&s)
}

// serveEndpoint switches only the endpoint to the policy of site s, as when
// the site and the endpoint were not deployed together.
func (srv *server) serveEndpoint(s site) {
	cfg := s.langs[0].cfg
	p := consent.Policy{Revision: cfg.Revision, Version: cfg.Version, Categories: cfg.optional(), Origins: []string{srv.URL}}
	for _, l := range s.langs {
		p.Languages = append(p.Languages, l.code)
	}
	h := consent.NewServer(nil, srv.store, p, consent.Options{Rate: -1})
	srv.endpoint.Store(&h)
}

// emptyStore is the file of a new, empty SQLite store, made once per test
// binary: each server opens a copy of its own, so that the migrations
// (a fifth of the package's CPU time under -race when each server ran
// them) run once.
var emptyStore struct {
	once sync.Once
	db   []byte
	err  error
}

func newStore(t *testing.T) consent.Store {
	t.Helper()
	emptyStore.once.Do(func() {
		dir, err := os.MkdirTemp("", "integritet-store-")
		if err != nil {
			emptyStore.err = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "consent.db")
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			emptyStore.err = err
			return
		}
		// Closing the last connection folds the write-ahead log into the file.
		if err := st.Close(); err != nil {
			emptyStore.err = err
			return
		}
		emptyStore.db, emptyStore.err = os.ReadFile(path)
	})
	if emptyStore.err != nil {
		t.Fatalf("empty store: %v", emptyStore.err)
	}
	path := filepath.Join(t.TempDir(), "consent.db")
	writeFile(t, path, emptyStore.db)
	store, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return store
}

func newServer(t *testing.T, s site) *server {
	t.Helper()
	store := newStore(t)
	t.Cleanup(func() { store.Close() })
	srv := &server{store: store, slow: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/consent", srv.consent)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		srv.mu.Lock()
		srv.paths = append(srv.paths, r.URL.Path)
		srv.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/assets/consent-settings.") && srv.noSettings.Load() {
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		csp := strictCSP
		if strings.HasPrefix(r.URL.Path, "/company/") {
			csp += "; script-src 'self' 'nonce-" + nonce + "'"
		}
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Cache-Control", "no-store")
		http.FileServer(http.Dir(srv.dir.Load().dir)).ServeHTTP(w, r)
	})
	srv.Server = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(srv.answerSlow) // before Close, which waits for every answer
	srv.serve(s)
	return srv
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// consent checks a decision against the contract, passes it to the real
// endpoint, and records it with the subject of the receipt.
func (s *server) consent(w http.ResponseWriter, r *http.Request) {
	switch s.fault.Load() {
	case faultDown:
		if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
			c.Close()
		}
		return
	case fault500:
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
		return
	case fault404:
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var p post
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(&p)
	var problems []string
	// The banner sends text/plain (a simple request, no preflight), with
	// fetch or, on page hide, with navigator.sendBeacon.
	if ct := r.Header.Get("Content-Type"); ct != "text/plain;charset=UTF-8" {
		problems = append(problems, "content type "+ct)
	}
	beacon := r.Header.Get("Sec-Fetch-Mode") == "no-cors"
	if !hex32.MatchString(p.ID) {
		problems = append(problems, "id "+p.ID)
	}
	if err != nil {
		problems = append(problems, "body: "+err.Error())
	}
	var cfg *config
	for _, l := range s.dir.Load().langs {
		if l.code == p.Language {
			cfg = &l.cfg
		}
	}
	switch {
	case cfg == nil:
		problems = append(problems, "language "+p.Language)
	case p.Revision != cfg.Revision:
		problems = append(problems, "revision "+p.Revision+", want "+cfg.Revision)
	default:
		if p.Version != cfg.Version {
			problems = append(problems, "version "+p.Version)
		}
		keys := make([]string, 0, len(p.Choices))
		for k := range p.Choices {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := cfg.optional()
		slices.Sort(want)
		if !slices.Equal(keys, want) {
			problems = append(problems, fmt.Sprintf("choices %v, want exactly %v", keys, want))
		}
	}
	if p.Subject != "" && !hex32.MatchString(p.Subject) {
		problems = append(problems, "subject "+p.Subject)
	}
	if !slices.Contains([]string{"accept-all", "reject-all", "custom", "withdraw", "gpc"}, p.Method) {
		problems = append(problems, "method "+p.Method)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	(*s.endpoint.Load()).ServeHTTP(rec, r)
	var receipt struct {
		Subject string `json:"subject"`
	}
	stale := rec.Code == http.StatusConflict && s.stale.Load()
	if !stale && (rec.Code != http.StatusCreated && rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &receipt) != nil || !hex32.MatchString(receipt.Subject)) {
		problems = append(problems, fmt.Sprintf("endpoint answered %d %s", rec.Code, rec.Body.Bytes()))
	}
	s.mu.Lock()
	switch {
	case len(problems) > 0:
		s.problems = append(s.problems, strings.Join(problems, "; "))
	case stale:
		s.conflicts++
	case rec.Code == http.StatusOK:
		s.replays++
	default:
		s.posts = append(s.posts, p)
		s.subjects = append(s.subjects, receipt.Subject)
	}
	if beacon {
		s.beacons++
	}
	s.mu.Unlock()
	if s.fault.Load() == faultSlow {
		select {
		case <-s.slow:
		case <-r.Context().Done():
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// answerSlow lets the answers that faultSlow holds back go.
func (s *server) answerSlow() {
	s.slowOnce.Do(func() { close(s.slow) })
}

// subject returns the subject of the receipt of the i-th decision.
func (s *server) subject(i int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subjects[i]
}

func (s *server) recorded() ([]post, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.posts), slices.Clone(s.problems)
}

// settingsRequests are the paths of the settings layer that the server was
// asked for.
func (s *server) settingsRequests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var got []string
	for _, p := range s.paths {
		if strings.HasPrefix(p, "/assets/consent-settings.") {
			got = append(got, p)
		}
	}
	return got
}

func (s *server) requested(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.paths, path)
}
