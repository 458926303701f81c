package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestStaticSiteGzipsText: with -public, text files go out gzipped to
// clients that accept gzip, and as they are to the others, with Vary and
// an ETag per encoding; images are never compressed again; Range, HEAD
// and conditional requests work on the encoding sent; a file rebuilt on
// disk is served new; the security and caching headers stay.
func TestStaticSiteGzipsText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page := "<!doctype html><title>Integritetspolicy</title>" + strings.Repeat("<p>Vi behandlar personuppgifter enligt GDPR.</p>", 40)
	os.MkdirAll(filepath.Join(dir, "sv", "integritetspolicy"), 0o755)
	os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
	os.WriteFile(filepath.Join(dir, "sv", "integritetspolicy", "index.html"), []byte(page), 0o644)
	css := strings.Repeat(".itg{color:#123456}", 50)
	os.WriteFile(filepath.Join(dir, "assets", "consent.3f2a9c0d.css"), []byte(css), 0o644)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 2000)...)
	os.WriteFile(filepath.Join(dir, "assets", "logo.png"), png, 0o644)
	os.WriteFile(filepath.Join(dir, "robots.txt"), []byte("x"), 0o644) // gzip would grow it
	h := staticSite(dir)

	get := func(method, path string, hdr ...string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(method, path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	const pagePath = "/sv/integritetspolicy/"
	tests := []struct {
		name, path, accept string
		gzipped, vary      bool
	}{
		{"a page to a browser", pagePath, "gzip, deflate, br", true, true},
		{"a page to a client without gzip", pagePath, "", false, true},
		{"gzip refused", pagePath, "gzip;q=0, deflate", false, true},
		{"any coding", pagePath, "*", true, true},
		{"any coding but gzip", pagePath, "*, gzip;q=0", false, true},
		{"x-gzip, upper case", pagePath, "X-GZIP", true, true},
		{"gzip with a lower q-value", pagePath, "br;q=1.0, gzip;q=0.5", true, true},
		{"a stylesheet", "/assets/consent.3f2a9c0d.css", "gzip", true, true},
		{"an image", "/assets/logo.png", "gzip", false, false},
		{"a file gzip would grow", "/robots.txt", "gzip", false, true},
	}
	for _, tc := range tests {
		w := get("GET", tc.path, "Accept-Encoding", tc.accept)
		hd := w.Header()
		if w.Code != 200 {
			t.Errorf("%s: %d", tc.name, w.Code)
			continue
		}
		if got := hd.Get("Content-Encoding") == "gzip"; got != tc.gzipped {
			t.Errorf("%s: Content-Encoding %q, want gzip %v", tc.name, hd.Get("Content-Encoding"), tc.gzipped)
		}
		if got := hd.Get("Vary") == "Accept-Encoding"; got != tc.vary {
			t.Errorf("%s: Vary %q, want Accept-Encoding %v", tc.name, hd.Get("Vary"), tc.vary)
		}
		body := w.Body.String()
		if tc.gzipped {
			body = gunzip(t, w.Body.Bytes())
			if !strings.HasSuffix(hd.Get("ETag"), `-gzip"`) || hd.Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
				t.Errorf("%s: ETag %q, Content-Length %q of %d bytes", tc.name, hd.Get("ETag"), hd.Get("Content-Length"), w.Body.Len())
			}
		} else if tc.vary && (hd.Get("ETag") == "" || strings.Contains(hd.Get("ETag"), "gzip")) {
			t.Errorf("%s: ETag %q, want the identity one", tc.name, hd.Get("ETag"))
		}
		want, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(tc.path, "/")+map[bool]string{true: "/index.html"}[strings.HasSuffix(tc.path, "/")])))
		if body != string(want) {
			t.Errorf("%s: body is not the file", tc.name)
		}
		if tc.path == pagePath && (hd.Get("Content-Type") != "text/html; charset=utf-8" || hd.Get("Cache-Control") != "no-cache" ||
			hd.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(hd.Get("Content-Security-Policy"), "frame-ancestors 'self'")) {
			t.Errorf("%s: headers %v", tc.name, hd)
		}
	}

	gz := get("GET", pagePath, "Accept-Encoding", "gzip")
	plain := get("GET", pagePath)
	if gz.Body.Len()*3 > plain.Body.Len() {
		t.Errorf("gzipped page %d bytes, the page %d: want under a third", gz.Body.Len(), plain.Body.Len())
	}
	// Range applies to the encoding sent, as with a stored .gz file.
	w := get("GET", pagePath, "Accept-Encoding", "gzip", "Range", "bytes=0-9")
	if w.Code != 206 || w.Header().Get("Content-Range") != "bytes 0-9/"+strconv.Itoa(gz.Body.Len()) || !bytes.Equal(w.Body.Bytes(), gz.Body.Bytes()[:10]) {
		t.Errorf("range of the gzipped page: %d %q", w.Code, w.Header().Get("Content-Range"))
	}
	if w := get("GET", pagePath, "Range", "bytes=0-9"); w.Code != 206 || w.Body.String() != page[:10] {
		t.Errorf("range of the page: %d %q", w.Code, w.Body.String())
	}
	if w := get("GET", pagePath, "Accept-Encoding", "gzip", "Range", "bytes=99999-"); w.Code != 416 || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("a range past the gzipped page: %d %v", w.Code, w.Header())
	}
	if w := get("HEAD", pagePath, "Accept-Encoding", "gzip"); w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != strconv.Itoa(gz.Body.Len()) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
	}
	// Each encoding revalidates with its own ETag.
	if w := get("GET", pagePath, "Accept-Encoding", "gzip", "If-None-Match", gz.Header().Get("ETag")); w.Code != 304 || w.Header().Get("Vary") != "Accept-Encoding" {
		t.Errorf("If-None-Match of the gzipped page: %d %v", w.Code, w.Header())
	}
	if w := get("GET", pagePath, "Accept-Encoding", "gzip", "If-None-Match", plain.Header().Get("ETag")); w.Code != 200 {
		t.Errorf("the identity ETag matched the gzipped page: %d", w.Code)
	}
	if w := get("GET", pagePath, "If-None-Match", plain.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("If-None-Match of the page: %d", w.Code)
	}
	// http.FileServer's redirects stay.
	for p, want := range map[string]string{"/sv/integritetspolicy": "integritetspolicy/", "/sv/integritetspolicy/index.html": "./"} {
		if w := get("GET", p, "Accept-Encoding", "gzip"); w.Code != 301 || w.Header().Get("Location") != want {
			t.Errorf("GET %s: %d %q, want 301 to %s", p, w.Code, w.Header().Get("Location"), want)
		}
	}
	// Visitors at once, while the page is rebuilt (go test -race).
	done := make(chan bool)
	for range 4 {
		go func() {
			for range 20 {
				req := httptest.NewRequest("GET", pagePath, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
			done <- true
		}()
	}
	// A rebuilt page is served new, compressed again.
	rebuilt := strings.Replace(page, "GDPR", "dataskyddsförordningen", 1)
	os.WriteFile(filepath.Join(dir, "sv", "integritetspolicy", "index.html"), []byte(rebuilt), 0o644)
	later := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(dir, "sv", "integritetspolicy", "index.html"), later, later)
	for range 4 {
		<-done
	}
	w = get("GET", pagePath, "Accept-Encoding", "gzip")
	if gunzip(t, w.Body.Bytes()) != rebuilt || w.Header().Get("ETag") == gz.Header().Get("ETag") {
		t.Errorf("after a rebuild: the old page or its ETag %q", w.Header().Get("ETag"))
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{"gzip"}, true},
		{[]string{"deflate", "gzip;q=0.1"}, true},
		{[]string{"gzip; q=0"}, false},
		{[]string{"gzip;q=0.000"}, false},
		{[]string{"gzip;q=abc"}, false},
		{[]string{"identity"}, false},
		{[]string{"*;q=0.5"}, true},
		{[]string{"*;q=0"}, false},
	} {
		if got := acceptsGzip(tc.values); got != tc.want {
			t.Errorf("Accept-Encoding %q: %v, want %v", tc.values, got, tc.want)
		}
	}
}

// Each text file goes out with one Content-Type, gzipped or not, and the
// same on every machine: not what /etc/mime.types happens to say (a
// container without it would send the exports' CSV and JSON-LD as
// application/octet-stream when gzipped, sniffed text/plain when not).
func TestStaticSiteTypesTextAlike(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"a.html": "text/html; charset=utf-8", "a.css": "text/css; charset=utf-8", "a.js": "text/javascript; charset=utf-8",
		"a.json": "application/json", "a.jsonld": "application/ld+json", "a.csv": "text/csv; charset=utf-8",
		"a.txt": "text/plain; charset=utf-8", "a.md": "text/markdown; charset=utf-8", "a.svg": "image/svg+xml",
		"a.xml": "text/xml; charset=utf-8", "a.webmanifest": "application/manifest+json", "a.map": "application/json",
		"a.mjs": "text/javascript; charset=utf-8",
	}
	files := map[string][]byte{}
	for name := range want {
		files[name] = []byte(strings.Repeat(`{"a": "integritet"} `, 40))
	}
	h := staticFS(newMemFS(files, func(string) time.Time { return time.Unix(0, 0) }))
	for name, ctype := range want {
		for _, accept := range []string{"", "gzip"} {
			req := httptest.NewRequest("GET", "/"+name, nil)
			req.Header.Set("Accept-Encoding", accept)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if got := w.Header().Get("Content-Type"); w.Code != 200 || got != ctype {
				t.Errorf("GET /%s (Accept-Encoding %q): %d %q, want %q", name, accept, w.Code, got, ctype)
			}
		}
	}
}

// FuzzStaticSite: whatever the path, Accept-Encoding, Range and
// If-None-Match of a request, the static site never fails (no 5xx, no
// panic), and what it sends with 200 is one of its files, whole, as it is
// or gzipped, never a hidden one.
func FuzzStaticSite(f *testing.F) {
	files := map[string][]byte{
		"index.html":                      []byte("<!doctype html><p>" + strings.Repeat("root ", 100)),
		"sv/integritetspolicy/index.html": []byte("<!doctype html><p>" + strings.Repeat("integritet ", 100)),
		"assets/consent.3f2a9c0d.js":      []byte(strings.Repeat("var a=1;", 100)),
		"assets/logo.png":                 []byte("\x89PNG\r\n\x1a\n"),
		".well-known/gpc.json":            []byte(`{"gpc":true}`),
		".env":                            []byte("SECRET=1"),
	}
	h := staticFS(newMemFS(files, func(string) time.Time { return time.Unix(0, 0) }))
	for _, seed := range [][4]string{
		{"/sv/integritetspolicy/", "gzip", "", ""},
		{"/sv/integritetspolicy", "", "bytes=0-9", ""},
		{"/assets/../.env", "gzip;q=0.5, *;q=0", "bytes=5-", `"x"`},
		{"/%2e%2e/%2e%2e/etc/passwd", "x-gzip", "bytes=-5", "*"},
		{"/.well-known/gpc.json", "gzip;q=abc", "bytes=0-0,2-3", ""},
		{"//index.html", "*", "bytes=99999-", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, path, accept, rng, inm string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path = path
		req.Header.Set("Accept-Encoding", accept)
		req.Header.Set("Range", rng)
		req.Header.Set("If-None-Match", inm)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET %q: %d", path, w.Code)
		}
		if w.Code != 200 {
			return
		}
		body := w.Body.Bytes()
		if w.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("GET %q: a gzipped answer that is not gzip: %v", path, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		for name, b := range files {
			if bytes.Equal(body, b) {
				if strings.HasPrefix(name, ".env") {
					t.Fatalf("GET %q served the hidden %s", path, name)
				}
				return
			}
		}
		t.Fatalf("GET %q: 200 with %q, which is none of the site's files", path, body)
	})
}
