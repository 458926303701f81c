package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hashedName matches file names that carry a content hash
// (consent.3f2a9c0d.js): they never change, so they may be cached forever.
var hashedName = regexp.MustCompile(`\.[0-9a-f]{8,64}\.[a-z0-9]+$`)

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

// compressible lists the extensions of the text files a build writes
// (and a site may add) that gzip shrinks, with the Content-Type each is
// sent with, gzipped or not, whatever the machine's /etc/mime.types says
// (a container may have none). Everything else (images, fonts, archives,
// PDF) is compressed already or not worth it, and is served as it is.
var compressible = map[string]string{
	".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
	".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
	".json": "application/json", ".jsonld": "application/ld+json", ".map": "application/json",
	".webmanifest": "application/manifest+json", ".xml": "text/xml; charset=utf-8", ".svg": "image/svg+xml",
	".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8",
}

const (
	// maxGzipFile is the largest file kept compressed in memory.
	maxGzipFile = 8 << 20
	// gzipBudget bounds the memory of all compressed variants; files past
	// it are served uncompressed.
	gzipBudget = 64 << 20
)

// staticSite serves the built site in the folder dir (scan serves the
// folder it checks with it). The folder is opened as an os.Root, so that
// no link leads out of it. See staticFS.
func staticSite(dir string) http.Handler {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return http.NotFoundHandler() // no folder: nothing to serve
	}
	return staticFS(root.FS())
}

// staticFS serves the built site fsys: no directory listings, no
// dotfiles, immutable caching for hashed assets, revalidation for pages,
// and security headers that do not get in the way of the notice. Text
// files go out gzipped to clients that accept it: each is compressed once
// (at start, and again only when the file changes), with a strong ETag
// per encoding and Vary: Accept-Encoding; Range, HEAD and conditional
// requests behave as with http.FileServer, on the encoding sent.
func staticFS(fsys fs.FS) http.Handler {
	s := &static{fsys: fsys, files: http.FileServerFS(fsys), gz: map[string]*variant{}}
	s.precompress()
	return s
}

type static struct {
	fsys  fs.FS
	files http.Handler
	mu    sync.Mutex
	gz    map[string]*variant // by clean path of the file
	kept  int64               // bytes of compressed variants in gz
}

// variant is what is known of one text file as it was when it was read.
type variant struct {
	fi      fs.FileInfo // the file's stat when it was read
	size    int64
	modTime time.Time
	etag    string // strong, of the file's bytes: `"<hex>"`
	gz      []byte // its gzip encoding; nil when that is not smaller, or over budget
}

// same reports whether fi is the stat of the file v was read from, as it
// was then.
func (v *variant) same(fi fs.FileInfo) bool {
	return (v.fi == fi || os.SameFile(v.fi, fi)) && v.size == fi.Size() && v.modTime.Equal(fi.ModTime())
}

// precompress compresses every text file of the site, so that no visitor
// waits for it.
func (s *static) precompress() {
	fs.WalkDir(s.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := "/" + p
		if p != "." && hiddenPath(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if _, text := compressible[path.Ext(name)]; text && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				s.variant(name, fi)
			}
		}
		return nil
	})
}

// fsName is the name in fsys of the clean URL path p ("/" is ".").
func fsName(p string) string {
	if p == "/" {
		return "."
	}
	return strings.TrimPrefix(p, "/")
}

// variant returns the compressed variant of the file at name whose
// stat is fi, reading and compressing it when it is not known as it is
// now; nil when it cannot be read.
func (s *static) variant(name string, fi fs.FileInfo) *variant {
	s.mu.Lock()
	v, ok := s.gz[name]
	s.mu.Unlock()
	if ok && v.same(fi) {
		return v
	}
	if fi.Size() > maxGzipFile {
		return nil
	}
	raw, err := fs.ReadFile(s.fsys, fsName(name))
	if err != nil || int64(len(raw)) != fi.Size() {
		return nil // changed while read: the next request reads it again
	}
	sum := sha256.Sum256(raw)
	v = &variant{fi: fi, size: fi.Size(), modTime: fi.ModTime(), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.gz[name]; ok {
		s.kept -= int64(len(old.gz))
	}
	if z.Len() < len(raw) && s.kept+int64(z.Len()) <= gzipBudget {
		v.gz = z.Bytes()
		s.kept += int64(z.Len())
	}
	s.gz[name] = v
	return v
}

func (s *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	fi, err := fs.Stat(s.fsys, fsName(p))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	name := p // the file whose bytes are sent
	isDir := fi.IsDir()
	if isDir {
		name = path.Join(p, "index.html")
		fi, err = fs.Stat(s.fsys, fsName(name))
		if err != nil || !fi.Mode().IsRegular() {
			http.NotFound(w, r) // no listings
			return
		}
	} else if !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Security-Policy", "base-uri 'self'; object-src 'none'; frame-ancestors 'self'; form-action 'self'")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	switch {
	case path.Ext(name) == ".html":
		h.Set("Cache-Control", "no-cache")
	case hashedName.MatchString(p):
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	default:
		h.Set("Cache-Control", "public, max-age=3600")
	}
	// http.FileServer redirects /x/index.html to /x/, a folder without its
	// slash to it, and a file with one to the file: those answers it gives
	// itself.
	upath := r.URL.Path
	redirect := strings.HasSuffix(upath, "/index.html") || strings.HasSuffix(upath, "/") != isDir
	ctype, text := compressible[path.Ext(name)]
	if redirect || !text {
		s.files.ServeHTTP(w, r)
		return
	}
	h.Set("Content-Type", ctype)
	h.Add("Vary", "Accept-Encoding")
	v := s.variant(name, fi)
	if v == nil {
		s.files.ServeHTTP(w, r)
		return
	}
	if v.gz == nil || !acceptsGzip(r.Header.Values("Accept-Encoding")) {
		h.Set("ETag", v.etag)
		s.files.ServeHTTP(w, r)
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Set("ETag", strings.TrimSuffix(v.etag, `"`)+`-gzip"`)
	// ServeContent leaves Content-Length out when Content-Encoding is set
	// (for handlers that compress as they write); this body is the whole
	// encoding. A range, a 304 or an error sets or removes it.
	h.Set("Content-Length", strconv.Itoa(len(v.gz)))
	http.ServeContent(w, r, name, v.modTime, bytes.NewReader(v.gz))
}

// acceptsGzip reports whether Accept-Encoding values take gzip: named with
// a q-value above 0 (x-gzip too), or not named and * above 0.
func acceptsGzip(values []string) bool {
	gz, star := -1.0, -1.0
	for _, value := range values {
		for _, part := range strings.Split(value, ",") {
			coding, params, _ := strings.Cut(part, ";")
			q := 1.0
			for _, param := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(param, "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
					continue
				}
				if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil && f >= 0 && f <= 1 {
					q = f
				} else {
					q = 0
				}
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gz = max(gz, q)
			case "*":
				star = max(star, q)
			}
		}
	}
	if gz >= 0 {
		return gz > 0
	}
	return star > 0
}

// memFS is a built site held in memory as an fs.FS: its files by path
// under the site ("sv/integritetspolicy/index.html"), and each folder that
// holds one ("sv", "." for the root). Nothing on disk is read once it is
// made, so the site served is the one that was checked.
type memFS map[string]*memEntry

// memEntry is a file or a folder of a memFS; it is its own fs.FileInfo.
type memEntry struct {
	name    string
	data    []byte
	modTime time.Time
	dir     bool
}

func (e *memEntry) Name() string       { return e.name }
func (e *memEntry) Size() int64        { return int64(len(e.data)) }
func (e *memEntry) ModTime() time.Time { return e.modTime }
func (e *memEntry) IsDir() bool        { return e.dir }
func (e *memEntry) Sys() any           { return nil }
func (e *memEntry) Mode() fs.FileMode {
	if e.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

// newMemFS holds files (path under the site → bytes), each with the
// modification time modTime gives it.
func newMemFS(files map[string][]byte, modTime func(name string) time.Time) memFS {
	m := memFS{".": {name: ".", dir: true}}
	for p, b := range files {
		t := modTime(p)
		m[p] = &memEntry{name: path.Base(p), data: b, modTime: t}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if e, ok := m[d]; ok {
				if t.After(e.modTime) {
					e.modTime = t
				}
				continue
			}
			m[d] = &memEntry{name: path.Base(d), dir: true, modTime: t}
		}
	}
	return m
}

// Open implements fs.FS.
func (m memFS) Open(name string) (fs.File, error) {
	e, ok := m[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{memEntry: e, Reader: bytes.NewReader(e.data)}, nil
}

// Stat implements fs.StatFS.
func (m memFS) Stat(name string) (fs.FileInfo, error) {
	e, ok := m[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return e, nil
}

// ReadDir implements fs.ReadDirFS, for fs.WalkDir.
func (m memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	e, ok := m[name]
	if !ok || !e.dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	var out []fs.DirEntry
	for p, c := range m {
		if p != "." && path.Dir(p) == name {
			out = append(out, fs.FileInfoToDirEntry(c))
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// memFile is an open memEntry; it seeks, for http.ServeContent.
type memFile struct {
	*memEntry
	*bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.memEntry, nil }
func (f *memFile) Close() error               { return nil }
