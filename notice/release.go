package notice

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// ReleasesDir is the folder, at the site root beside content/, that holds
// the released versions: ReleasesFile, and for each version its archived
// pages (VERSION/site/) and the content they were built from
// (VERSION/content/). It is committed, so that old versions survive later
// builds.
const ReleasesDir = "releases"

// ReleasesFile lists the released versions, oldest first.
const ReleasesFile = "releases.toml"

// Release is one [[release]] of releases/releases.toml: a version of the
// notice as it was published, written by `integritet release`.
type Release struct {
	Version string `toml:"version"`
	Date    Date   `toml:"date"`
	Summary Text   `toml:"summary"`
	// Digest is "sha256:" and the hex SHA-256 of everything a visitor
	// reads in every language: the notice page, the banner's and the
	// settings' texts, the cookie table (release.Digest).
	Digest string `toml:"digest"`
	// Revision is the consent revision of the version.
	Revision string `toml:"revision"`
	// Editorial is legal's reason for treating the change of revision from
	// the release before as editorial: consent given under the earlier
	// revisions (Accepts) stays valid.
	Editorial string   `toml:"editorial"`
	Accepts   []string `toml:"accepts"`
	// At is where its version is stated in the releases file.
	At Pos `toml:"-"`
}

var digestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// ReadReleases reads dir/releases/releases.toml. A site without one has
// released nothing: nil, no error. Errors carry file:line:col.
func ReadReleases(dir string) ([]Release, error) {
	name := filepath.Join(ReleasesDir, ReleasesFile)
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return parseReleases(filepath.ToSlash(name), string(b))
}

// parseReleases reads the releases file src, reported as name.
func parseReleases(name, src string) ([]Release, error) {
	var doc struct {
		Release []Release `toml:"release"`
	}
	md, err := toml.Decode(src, &doc)
	if err != nil {
		return nil, Diagnostics{decodeDiagnostic(name, src, err)}
	}
	pos := posIndex{"": Pos{File: name}}
	scanPositions(pos, name, src, map[string]int{})
	var ds Diagnostics
	for _, k := range outermost(md.Undecoded()) {
		ds = append(ds, undecoded(pos, name, src, k, reflect.TypeOf(doc))...)
	}
	seen := map[string]bool{}
	for i := range doc.Release {
		r := &doc.Release[i]
		r.At = pos.lookup(fmt.Sprintf("release[%d].version", i))
		bad := func(field, msg string) {
			ds = append(ds, Diagnostic{Pos: pos.lookup(fmt.Sprintf("release[%d].%s", i, field)), Severity: Error, Message: msg})
		}
		switch {
		case r.Version == "":
			bad("version", "a release needs its version")
		case seen[r.Version]:
			bad("version", fmt.Sprintf("version %q is released twice", r.Version))
		}
		seen[r.Version] = true
		if !digestRE.MatchString(r.Digest) {
			bad("digest", fmt.Sprintf("digest %q: want sha256: and 64 lowercase hex digits", r.Digest))
		}
		if r.Date.IsZero() {
			bad("date", "a release needs its date")
		}
	}
	if len(ds) > 0 {
		ds.Sort()
		return nil, ds
	}
	return doc.Release, nil
}

// checkHistory checks the notice's [[history]] against the versions the
// site rooted at dir has released (releases/releases.toml): one entry per
// version, and one for every released version, since the history page
// lists what was released and the list of releases links it. err is what
// the load found before; the problems found here join it, sorted.
func checkHistory(dir string, n *Notice, err error) error {
	var ds Diagnostics
	if err != nil && !errors.As(err, &ds) {
		return err
	}
	first := map[string]int{}
	for i, h := range n.History {
		if h.Version == "" {
			continue
		}
		j, dup := first[h.Version]
		if !dup {
			first[h.Version] = i
			continue
		}
		at := n.Where(fmt.Sprintf("history[%d].version", j))
		ds = append(ds, Diagnostic{Pos: n.Where(fmt.Sprintf("history[%d].version", i)), Severity: Error,
			Message: fmt.Sprintf("[[history]] lists version %q twice (first at %s:%d:%d): keep one entry per version", h.Version, at.File, at.Line, at.Col)})
	}
	rs, rerr := ReadReleases(dir)
	var rds Diagnostics
	switch {
	case errors.As(rerr, &rds):
		ds = append(ds, rds...)
	case rerr != nil:
		return rerr
	}
	file := n.Where("notice").File
	if len(n.History) > 0 {
		file = n.History[0].At.File
	}
	for _, r := range rs {
		if _, ok := first[r.Version]; !ok {
			ds = append(ds, Diagnostic{Pos: r.At, Severity: Error,
				Message: fmt.Sprintf("version %q is released, but [[history]] does not list it: add to %s a [[history]] entry with version = %q, date = %s and its summary, as released", r.Version, file, r.Version, r.Date)})
		}
	}
	if !ds.HasErrors() {
		return nil
	}
	ds.Sort()
	return ds
}

// FindRelease returns the release of version v.
func FindRelease(rs []Release, v string) (Release, bool) {
	for _, r := range rs {
		if r.Version == v {
			return r, true
		}
	}
	return Release{}, false
}

// ReleaseByDigest returns the release whose digest is d.
func ReleaseByDigest(rs []Release, d string) (Release, bool) {
	for _, r := range rs {
		if r.Digest == d {
			return r, true
		}
	}
	return Release{}, false
}

// WriteReleases writes rs to dir/releases/releases.toml, replacing it in
// one rename.
func WriteReleases(dir string, rs []Release) error {
	var b strings.Builder
	b.WriteString("# Released versions of the notice, oldest first. Written by `integritet release`;\n")
	b.WriteString("# each version's archived pages are in VERSION/site/, its content in VERSION/content/.\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "\n[[release]]\nversion = %s\ndate = %s\n", quote(r.Version), r.Date.String())
		if len(r.Summary) > 0 {
			b.WriteString("summary = {")
			for i, l := range sortedKeys(r.Summary) {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%s = %s", l, quote(r.Summary[l]))
			}
			b.WriteString("}\n")
		}
		fmt.Fprintf(&b, "digest = %s\nrevision = %s\n", quote(r.Digest), quote(r.Revision))
		if r.Editorial != "" {
			fmt.Fprintf(&b, "editorial = %s\n", quote(r.Editorial))
		}
		if len(r.Accepts) > 0 {
			qs := make([]string, len(r.Accepts))
			for i, a := range r.Accepts {
				qs[i] = quote(a)
			}
			fmt.Fprintf(&b, "accepts = [%s]\n", strings.Join(qs, ", "))
		}
	}
	path := filepath.Join(dir, ReleasesDir, ReleasesFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// quote writes s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
