package release

import (
	"bytes"
	"html"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/integritet/integritet/notice"
)

// A rebaser rewrites the references of one archive's files for the site
// that publishes them. An archive's pages were rendered under the base
// path and host the site had when the version was released, so they name
// their stylesheet, their other languages and themselves as
// "/releases/2026.1/..." (or "/legal/releases/2026.1/...", or
// "https://framsteget.net/releases/2026.1/..."). Published under another
// base path they would load nothing. So every reference into the archive
// becomes relative to the page (it then works under any path, on any
// host), every absolute URL of the archive (canonical, alternates, the
// JSON-LD's identifiers) moves to the current base_url, and a reference
// out of the archive to the version history goes to the history page the
// site has now. Only references change: the text a visitor reads, and so
// the digest, stays as it was released.
type rebaser struct {
	version string
	// marker is "/releases/VERSION/": what precedes it in a reference is
	// the base path the archive was rendered under.
	marker string
	files  map[string][]byte
	n      *notice.Notice
	// oldHost is the host the archive was rendered for (from a page's
	// canonical link); an absolute URL on any other host is not the
	// archive's. Empty when no page has one.
	oldHost string
}

func newRebaser(version string, files map[string][]byte, n *notice.Notice) *rebaser {
	rb := &rebaser{version: version, marker: "/" + notice.ReleasesDir + "/" + version + "/", files: files, n: n}
	for p, b := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if m := canonicalRE.FindSubmatch(b); m != nil {
			if u, err := url.Parse(html.UnescapeString(string(m[1]))); err == nil && u.Host != "" {
				rb.oldHost = u.Host
				break
			}
		}
	}
	return rb
}

var (
	canonicalRE = regexp.MustCompile(`<link[^>]*\brel="?canonical"?[^>]*\bhref="([^"]+)"`)
	// configNoticeRE is the banner configuration's link to the notice.
	configNoticeRE = regexp.MustCompile(`"notice":\s*"([^"]*)"`)
	// absURLRE is an absolute URL in a JSON-LD document.
	absURLRE = regexp.MustCompile(`https?://[^"\\\s<>]+`)
	// refreshRE is a meta refresh's content: "0; url=/releases/2026.1/sv/".
	refreshRE = regexp.MustCompile(`(?i)^(\s*\d+\s*;\s*url\s*=\s*['"]?)([^'"]*)(['"]?\s*)$`)
)

// file returns the archived file at p (a path under the archive's site/)
// with its references re-based.
func (rb *rebaser) file(p string, b []byte) []byte {
	switch {
	case strings.HasSuffix(p, ".html"):
		return rb.html(p, b)
	case strings.HasSuffix(p, ".json"):
		// The banner's configuration links the notice from whatever page
		// shows the banner: a path on the site, not one relative to the
		// file.
		return configNoticeRE.ReplaceAllFunc(b, func(m []byte) []byte {
			v := string(configNoticeRE.FindSubmatch(m)[1])
			return bytes.Replace(m, []byte(v), []byte(rb.ref(v, p, true)), 1)
		})
	}
	return b
}

// attrEscaper escapes a value for a double-quoted attribute.
var attrEscaper = strings.NewReplacer(`&`, "&amp;", `"`, "&#34;")

// urlAttrs are the attributes whose value is one URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "poster": true, "cite": true, "data": true}

// html re-bases the references of a page: URL attributes, srcset, a meta
// refresh, and the absolute URLs of a JSON-LD script. The rest of the page
// is copied byte for byte.
func (rb *rebaser) html(page string, b []byte) []byte {
	var out bytes.Buffer
	last := 0
	replace := func(start, end int, s string) {
		out.Write(b[last:start])
		out.WriteString(s)
		last = end
	}
	for i := 0; i < len(b); {
		lt := bytes.IndexByte(b[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		if bytes.HasPrefix(b[i:], []byte("<!--")) {
			end := bytes.Index(b[i:], []byte("-->"))
			if end < 0 {
				break
			}
			i += end + 3
			continue
		}
		t, ok := scanTag(b, i)
		if !ok {
			i = max(t.end, i+1)
			continue
		}
		refresh := strings.EqualFold(t.attr(b, "http-equiv"), "refresh")
		for _, a := range t.attrs {
			if !a.hasValue {
				continue
			}
			v := html.UnescapeString(string(b[a.start:a.end]))
			nv := v
			switch {
			case urlAttrs[a.name]:
				nv = rb.ref(v, page, false)
			case a.name == "srcset":
				parts := strings.Split(v, ",")
				for k, part := range parts {
					if f := strings.Fields(part); len(f) > 0 {
						if r := rb.ref(f[0], page, false); r != f[0] {
							parts[k] = strings.Replace(part, f[0], r, 1)
						}
					}
				}
				nv = strings.Join(parts, ",")
			case a.name == "content" && t.name == "meta" && refresh:
				if m := refreshRE.FindStringSubmatch(v); m != nil {
					nv = m[1] + rb.ref(m[2], page, false) + m[3]
				}
			}
			if nv != v {
				replace(a.quotedStart, a.quotedEnd, `"`+attrEscaper.Replace(nv)+`"`)
			}
		}
		i = t.end
		if t.name == "script" || t.name == "style" {
			close := indexFold(b[i:], "</"+t.name)
			if close < 0 {
				break
			}
			if t.name == "script" && strings.EqualFold(t.attr(b, "type"), "application/ld+json") {
				body := b[i : i+close]
				nb := absURLRE.ReplaceAllFunc(body, func(u []byte) []byte { return []byte(rb.ref(string(u), page, false)) })
				if !bytes.Equal(nb, body) {
					replace(i, i+close, string(nb))
				}
			}
			i += close
		}
	}
	if last == 0 {
		return b
	}
	out.Write(b[last:])
	return out.Bytes()
}

// ref re-bases one reference of the archived file at page. A reference
// that is not into the archive (another site, mailto:, a fragment, a
// relative path) is returned as it is. rootRelative asks for a path on the
// site ("/legal/releases/...") instead of one relative to page.
func (rb *rebaser) ref(raw, page string, rootRelative bool) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
		return raw
	}
	if u.Host == "" && !strings.HasPrefix(u.Path, "/") {
		return raw // relative already, or only a fragment
	}
	if u.Host != "" && rb.oldHost != "" && !strings.EqualFold(u.Host, rb.oldHost) {
		return raw
	}
	var in string
	if i := strings.Index(u.Path, rb.marker); i >= 0 {
		in = u.Path[i+len(rb.marker):]
	} else if !strings.HasSuffix(u.Path, strings.TrimSuffix(rb.marker, "/")) {
		return raw
	}
	target := notice.ReleasesDir + "/" + rb.version + "/" + in
	if !rb.inArchive(in) {
		if p, ok := rb.outside(in); ok {
			target = p
		}
	}
	// The query and the fragment stay as they were written.
	tail := ""
	if i := strings.IndexAny(strings.TrimSpace(raw), "?#"); i >= 0 {
		tail = strings.TrimSpace(raw)[i:]
	}
	switch {
	case u.Host != "":
		return abs(rb.n.Meta.BaseURL, rb.n.Meta.BasePath()+"/"+target) + tail
	case rootRelative:
		return rb.n.Meta.BasePath() + "/" + target + tail
	}
	from := path.Dir(notice.ReleasesDir + "/" + rb.version + "/" + page)
	return relative(from, target) + tail
}

// inArchive reports whether p, a path under the archive ("" and folders
// mean their index.html), is one of its files.
func (rb *rebaser) inArchive(p string) bool {
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	_, ok := rb.files[p]
	return ok
}

// outside maps a reference out of the archive to the page the site has
// now: an archived page's link to the version history
// ("sv/integritetspolicy/history/") goes to the current history page of
// that language, or of the default language when the notice no longer
// has it. The result is a path under the site without its base path.
func (rb *rebaser) outside(p string) (string, bool) {
	parts := strings.Split(strings.TrimSuffix(p, "/"), "/")
	if len(parts) != 3 || parts[2] != "history" {
		return "", false
	}
	lang := parts[0]
	if rb.n.Meta.Slug[lang] == "" {
		lang = rb.n.Meta.DefaultLanguage
	}
	return lang + "/" + rb.n.Meta.Slug[lang] + "/history/", true
}

// relative is the reference from a page in folder from to the file or
// folder (ending in "/") to, both paths under the site root.
func relative(from, to string) string {
	fs := strings.Split(strings.Trim(from, "/"), "/")
	if from == "." || from == "" {
		fs = nil
	}
	ts := strings.Split(to, "/")
	k := 0
	for k < len(fs) && k < len(ts)-1 && fs[k] == ts[k] {
		k++
	}
	rel := strings.Repeat("../", len(fs)-k) + strings.Join(ts[k:], "/")
	if rel == "" {
		return "./"
	}
	// A first segment with a colon would read as a scheme.
	if first, _, _ := strings.Cut(rel, "/"); strings.Contains(first, ":") {
		rel = "./" + rel
	}
	return rel
}

// abs makes the site path p (which already holds the base path) absolute
// on the host of base; without a base_url it stays a path.
func abs(base, p string) string {
	u, err := url.Parse(base)
	if base == "" || err != nil || u.Host == "" {
		return p
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: p}).String()
}

// tag is a start tag: its lower-case name, its attributes and the offset
// just past its '>'.
type tag struct {
	name  string
	attrs []attr
	end   int
}

// attr is one attribute; start and end bound its value without quotes,
// quotedStart and quotedEnd with them.
type attr struct {
	name                               string
	hasValue                           bool
	start, end, quotedStart, quotedEnd int
}

func (t tag) attr(b []byte, name string) string {
	for _, a := range t.attrs {
		if a.name == name && a.hasValue {
			return html.UnescapeString(string(b[a.start:a.end]))
		}
	}
	return ""
}

// scanTag reads the start tag at b[i] == '<'. End tags, doctypes and a
// '<' that starts no tag are not start tags. A start tag that does not end
// (an attribute's quote left open) runs to the end of the page, as in a
// browser: its end is len(b).
func scanTag(b []byte, i int) (tag, bool) {
	j := i + 1
	for j < len(b) && isNameByte(b[j]) {
		j++
	}
	if j == i+1 || !isLetter(b[i+1]) {
		if gt := bytes.IndexByte(b[i:], '>'); gt >= 0 && i+1 < len(b) && (b[i+1] == '/' || b[i+1] == '!' || b[i+1] == '?') {
			return tag{end: i + gt + 1}, false
		}
		return tag{}, false
	}
	t := tag{name: strings.ToLower(string(b[i+1 : j]))}
	for {
		for j < len(b) && (isSpace(b[j]) || b[j] == '/') {
			j++
		}
		if j >= len(b) {
			return tag{end: len(b)}, false
		}
		if b[j] == '>' {
			t.end = j + 1
			return t, true
		}
		ns := j
		for j < len(b) && !isSpace(b[j]) && b[j] != '=' && b[j] != '>' && b[j] != '/' {
			j++
		}
		a := attr{name: strings.ToLower(string(b[ns:j]))}
		k := j
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		if k < len(b) && b[k] == '=' {
			k++
			for k < len(b) && isSpace(b[k]) {
				k++
			}
			if k >= len(b) {
				return tag{end: len(b)}, false
			}
			a.hasValue, a.quotedStart = true, k
			if q := b[k]; q == '"' || q == '\'' {
				e := bytes.IndexByte(b[k+1:], q)
				if e < 0 {
					return tag{end: len(b)}, false
				}
				a.start, a.end, a.quotedEnd = k+1, k+1+e, k+2+e
			} else {
				e := k
				for e < len(b) && !isSpace(b[e]) && b[e] != '>' {
					e++
				}
				a.start, a.end, a.quotedEnd = k, e, e
			}
			j = a.quotedEnd
		}
		t.attrs = append(t.attrs, a)
	}
}

func isSpace(c byte) bool    { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
func isLetter(c byte) bool   { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isNameByte(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c == '-' || c == ':' }

// indexFold is the index of the ASCII string s in b, ignoring case.
func indexFold(b []byte, s string) int {
	n := len(s)
	if n == 0 {
		return 0
	}
	first := s[0]
	for i := 0; i+n <= len(b); i++ {
		if c := b[i]; c != first && c|0x20 != first|0x20 {
			continue
		}
		if asciiEqualFold(b[i:i+n], s) {
			return i
		}
	}
	return -1
}

func asciiEqualFold(b []byte, s string) bool {
	for k := range len(s) {
		if b[k] != s[k] && (b[k]|0x20 != s[k]|0x20 || !isLetter(s[k])) {
			return false
		}
	}
	return true
}
