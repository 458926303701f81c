package site

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/integritet/integritet/export"
	"github.com/integritet/integritet/lint"
	"github.com/integritet/integritet/notice"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// root is the repository root, which holds FRAMSTEGET's content/.
const root = ".."

func render(t testing.TB, dir string, minify bool) *Output {
	t.Helper()
	out, err := Render(context.Background(), dir, buildOptions(minify))
	if err != nil {
		t.Fatalf("render %s: %v", dir, err)
	}
	return out
}

// TestGoldenPages compares the readable (not minified) notice pages of both
// languages with testdata/golden. Refresh with go test ./site -update.
func TestGoldenPages(t *testing.T) {
	t.Parallel()
	goldens(t, render(t, root, false), "", "sv/integritetspolicy/index.html", "en/privacy-notice/index.html", "assets/consent-config.sv.json", "assets/snippet.en.html", "index.html")
}

// goldens compares the files at paths of out with testdata/golden/<prefix>
// plus the path with "/" as "_", or rewrites them with -update.
func goldens(t *testing.T, out *Output, prefix string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		got, ok := out.Files[p]
		if !ok {
			t.Fatalf("no %s in %v", p, out.Paths())
		}
		golden := filepath.Join("testdata", "golden", prefix+strings.ReplaceAll(p, "/", "_"))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./site -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test ./site -update and review the diff)", p, golden)
		}
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := render(t, root, true), render(t, root, true)
	if strings.Join(a.Paths(), "\n") != strings.Join(b.Paths(), "\n") {
		t.Fatalf("file sets differ:\n%v\n%v", a.Paths(), b.Paths())
	}
	for _, p := range a.Paths() {
		if !bytes.Equal(a.Files[p], b.Files[p]) {
			t.Errorf("%s differs between two builds of the same input", p)
		}
	}
}

func TestMinifiedOutputIsSmallerAndFingerprinted(t *testing.T) {
	t.Parallel()
	full, min := render(t, root, false), render(t, root, true)
	p := "sv/integritetspolicy/index.html"
	if len(min.Files[p]) >= len(full.Files[p]) {
		t.Errorf("minified %s is %d bytes, readable %d", p, len(min.Files[p]), len(full.Files[p]))
	}
	fp := regexp.MustCompile(`^assets/(notice|consent)\.[0-9a-f]{10}\.(css|js)$`)
	n := 0
	for _, f := range min.Paths() {
		if fp.MatchString(f) {
			n++
			if !bytes.Contains(min.Files[p], []byte("/"+f)) {
				t.Errorf("page does not link %s", f)
			}
		}
	}
	if n != 3 {
		t.Errorf("want 3 fingerprinted assets (notice.css, consent.css, consent.js), got %d in %v", n, min.Paths())
	}
	for _, lang := range []string{"sv", "en"} {
		if !bytes.Contains(min.Files["assets/snippet."+lang+".html"], []byte(`id=integritet-config`)) &&
			!bytes.Contains(min.Files["assets/snippet."+lang+".html"], []byte(`id="integritet-config"`)) {
			t.Errorf("snippet.%s.html lacks the config block", lang)
		}
	}
}

// TestMinifyLeavesInputUntouched guards the pitfall in design/performance.md:
// minify rewrites its input buffer for JS and for HTML with <script>.
func TestMinifyLeavesInputUntouched(t *testing.T) {
	t.Parallel()
	m := newMinifier()
	for _, tc := range []struct{ typ, in string }{
		{"application/javascript", "function  f ( a ) {  return a  +  1 ; }\nconst  x = f( 2 );"},
		{"text/html", "<html><body><p>  hej  </p><script>var  a = 1 ;  var b = 2;</script></body></html>"},
		{"text/css", "a  {  color : red ;  }"},
	} {
		in := []byte(tc.in)
		if _, err := m.bytes(tc.typ, in); err != nil {
			t.Fatal(err)
		}
		if string(in) != tc.in {
			t.Errorf("%s: input changed to %q", tc.typ, in)
		}
	}
}

// copySite copies the repository's site (content only; theme, i18n and
// assets come from the built-in defaults) into a temp folder.
func copySite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(root, "content", "*.toml"))
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
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
	return dir
}

func TestFailedBuildLeavesPreviousOutput(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	pub := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), dir, pub, Options{Minify: true}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, pub)
	if err := os.WriteFile(filepath.Join(pub, "stale.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "content", "purposes.toml")
	src, _ := os.ReadFile(p)
	bad := strings.Replace(string(src), `basis = "contract"`, `basis = "contrct"`, 1)
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), dir, pub, Options{Minify: true})
	var ds notice.Diagnostics
	if !errors.As(err, &ds) || !strings.Contains(ds.Error(), `content/purposes.toml:`) || !strings.Contains(ds.Error(), `unknown legal basis "contrct"`) {
		t.Fatalf("err = %v, want a positioned diagnostic", err)
	}
	after := snapshot(t, pub)
	delete(after, "stale.txt")
	if len(after) != len(before) {
		t.Fatalf("failed build changed the output: %d files before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("failed build changed %s", k)
		}
	}
	// A good build again replaces everything, and files it no longer
	// produces do not linger.
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), dir, pub, Options{Minify: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(pub, "stale.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale.txt lingers after a good build: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(pub), ".public.new-*")); len(left) != 0 {
		t.Errorf("temporary folders left behind: %v", left)
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRawHTMLFromTOMLIsEscaped(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	p := filepath.Join(dir, "content", "notice.toml")
	src, _ := os.ReadFile(p)
	evil := strings.Replace(string(src), "[notice]\n", "[notice]\n", 1)
	// The notice's version only: two [[history]] entries of one version
	// would not load.
	loc := regexp.MustCompile(`(?m)^version = ".*"$`).FindStringIndex(evil)
	evil = evil[:loc[0]] + `version = "<script>alert(1)</script>"` + evil[loc[1]:]
	if err := os.WriteFile(p, []byte(evil), 0o644); err != nil {
		t.Fatal(err)
	}
	// Markdown prose with raw HTML: goldmark must not pass it through.
	extra := "[[history]]\nversion = \"0\"\ndate = 2020-01-01\nsummary = {sv = \"<img src=x onerror=alert(1)>\", en = \"<b>x</b>\"}\n"
	if err := os.WriteFile(filepath.Join(dir, "content", "zz.toml"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	out := render(t, dir, false)
	for _, f := range []string{"sv/integritetspolicy/index.html", "sv/integritetspolicy/history/index.html", "en/privacy-notice/history/index.html"} {
		b := string(out.Files[f])
		for _, bad := range []string{"<script>alert", "<img src=x", "<b>x</b>"} {
			if strings.Contains(b, bad) {
				t.Errorf("%s contains raw %q", f, bad)
			}
		}
	}
}

// pageText is the visible text of a page: tags become spaces, entities are
// decoded, runs of white space are one space.
func pageText(b []byte) string {
	s := regexp.MustCompile(`(?s)<script.*?</script>|<head>.*?</head>`).ReplaceAllString(string(b), " ")
	s = regexp.MustCompile(`</?(em|strong|a|code|span|time|abbr)\b[^>]*>`).ReplaceAllString(s, "")
	s = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(s, " ")
	return norm(html.UnescapeString(s))
}

func norm(s string) string {
	s = strings.NewReplacer(":", " ", "\u00a0", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// BenchmarkRender renders FRAMSTEGET in memory, minified, as the build does.
func BenchmarkRender(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Render(context.Background(), root, Options{Minify: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// buildOptions are the hooks integritet build wires in (lint, the public
// exports, the JSON-LD), so that tests and goldens render what a build does.
func buildOptions(minify bool) Options {
	return Options{Minify: minify, Check: lint.Check, Exports: export.Public, JSONLD: export.JSONLD, Drafts: true}
}

// TestWebshopGoldens compares the example web shop's pages, in its three
// languages, with testdata/golden (go test ./site -update), and checks that
// it builds without a lint finding.
func TestWebshopGoldens(t *testing.T) {
	t.Parallel()
	out := render(t, filepath.Join("..", "examples", "webshop"), false)
	goldens(t, out, "webshop_", "sv/integritetspolicy/index.html", "en/privacy-notice/index.html", "de/datenschutz/index.html", "assets/consent-config.de.json")
	if len(out.Findings) > 0 {
		t.Errorf("the example has lint findings:\n%s", out.Findings.Error())
	}
}
