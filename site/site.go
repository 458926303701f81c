// Package site renders a notice into a static site: the notice page in each
// language, its history page, the banner's assets, configuration and
// snippets, and the public exports. Rendering happens in memory; Write then
// replaces the output folder in one step, so a failed build never touches
// the previous output.
package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
)

// Options tune a render. The hooks keep this package free of the lint and
// export packages; cmd/integritet wires them.
type Options struct {
	// Theme is the folder name under themes/ (default "default").
	Theme string
	// Minify minifies HTML, CSS and JS (the build does; goldens do not).
	Minify bool
	// Endpoint overrides the banner's consent endpoint URL.
	Endpoint string
	// Check lints the loaded notice; errors fail the render.
	Check func(*notice.Notice) notice.Diagnostics
	// Exports returns extra public files by path (exports/, .well-known/),
	// given the notice and its consent revision.
	Exports func(n *notice.Notice, revision string) (map[string][]byte, error)
	// JSONLD returns the notice as a JSON-LD document for a language.
	JSONLD func(n *notice.Notice, lang string) ([]byte, error)
	// Inject is added before </body> of every HTML page (the preview's
	// reload script). Trusted: it comes from the program, not from TOML.
	Inject template.HTML
	// Drafts renders content that differs from its released version (or
	// whose version is not released) with an "unreleased draft" notice on
	// its pages, instead of refusing it (serve, release).
	Drafts bool
	// Archive renders the pages of the version being released for the
	// archive: under base_url + releases/VERSION/, without the banner's
	// script (its configuration and texts are kept), the history page or
	// the published archive of earlier versions.
	Archive bool
}

// Output is a rendered site: file contents by slash path under the output
// folder, plus the notice it came from and the lint findings (warnings and
// accepted findings; errors fail Render).
type Output struct {
	Files    map[string][]byte
	Notice   *notice.Notice
	Findings notice.Diagnostics
	// Revision is the consent revision, the banner's texts included.
	Revision string
	// Digest is what a visitor reads, hashed (see Digest).
	Digest string
	// Releases are the released versions (releases/releases.toml).
	Releases []notice.Release
	// Draft is set when the content differs from its released version
	// and opts.Drafts let the render through.
	Draft *release.UnreleasedError
}

// Paths returns the output paths in order.
func (o *Output) Paths() []string {
	out := make([]string, 0, len(o.Files))
	for p := range o.Files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Render loads the notice under dir/content, checks it, and renders every
// file of the site into memory.
func Render(ctx context.Context, dir string, opts Options) (*Output, error) {
	if opts.Theme == "" {
		opts.Theme = "default"
	}
	n, err := notice.Load(dir)
	if err != nil {
		return nil, err
	}
	rs, err := notice.ReadReleases(dir)
	if err != nil {
		return nil, err
	}
	if opts.Archive {
		u, err := url.Parse(n.Meta.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("archive: base_url: %w", err)
		}
		u.Path = strings.TrimRight(u.Path, "/") + "/" + notice.ReleasesDir + "/" + n.Meta.Version + "/"
		n.Meta.BaseURL = u.String()
	}
	out := &Output{Files: map[string][]byte{}, Notice: n, Releases: rs}
	// Lint and the exports only read the notice: they run on the other
	// core while the pages render, and their results are waited for
	// before anything is returned.
	var wg sync.WaitGroup
	defer wg.Wait()
	var findings notice.Diagnostics
	if opts.Check != nil {
		wg.Add(1)
		go func() { defer wg.Done(); findings = opts.Check(n) }()
	}
	// lintErrors waits for lint (and the exports) and returns its errors:
	// they come before any other error, as when lint ran first.
	lintErrors := func() error {
		wg.Wait()
		if findings.HasErrors() {
			return findings
		}
		out.Findings = findings
		return nil
	}
	src := source{dir: dir, theme: opts.Theme}
	r, err := newRenderer(src, n, opts)
	if err != nil {
		if lerr := lintErrors(); lerr != nil {
			return nil, lerr
		}
		return nil, err
	}
	var exported map[string][]byte
	var exportErr error
	if opts.Exports != nil && !opts.Archive {
		wg.Add(1)
		go func() { defer wg.Done(); exported, exportErr = opts.Exports(n, r.revision) }()
	}
	if rel, ok := notice.FindRelease(rs, n.Meta.Version); ok {
		r.accepts = rel.Accepts
	}
	var archived map[string][]byte
	if !opts.Archive {
		if archived, r.releases, err = r.archive(dir, rs); err != nil {
			return nil, err
		}
	}
	out.Revision = r.revision
	if err := r.render(ctx, out); err != nil {
		if lerr := lintErrors(); lerr != nil {
			return nil, lerr
		}
		return nil, err
	}
	if err := lintErrors(); err != nil {
		return nil, err
	}
	out.Digest = release.Digest(n, out.Files)
	if opts.Archive {
		return out, nil
	}
	if e := release.Status(dir, n, rs, out.Digest, out.Files); e != nil {
		if !opts.Drafts {
			return nil, e
		}
		out.Draft = e
		r.markDraft(out)
	}
	for p, b := range archived {
		out.Files[p] = b
	}
	if len(rs) > 0 {
		b, err := release.JSON(n, rs, r.releases)
		if err != nil {
			return nil, fmt.Errorf("releases: %w", err)
		}
		out.Files[".well-known/integritet-releases.json"] = b
	}
	if opts.Exports != nil {
		if exportErr != nil {
			return nil, fmt.Errorf("exports: %w", exportErr)
		}
		for p, b := range exported {
			if _, dup := out.Files[p]; dup {
				return nil, fmt.Errorf("exports: %s is also a page", p)
			}
			out.Files[p] = b
		}
	}
	return out, nil
}

// Build renders dir and writes the site to outDir.
func Build(ctx context.Context, dir, outDir string, opts Options) (*Output, error) {
	out, err := Render(ctx, dir, opts)
	if err != nil {
		return nil, err
	}
	if err := Write(out, outDir); err != nil {
		return nil, err
	}
	return out, nil
}

// Write replaces outDir with exactly the files of out. It writes a complete
// new tree beside outDir, then swaps it in with renames, so a reader (or a
// crash) sees either the old tree or the new one, and files the build no
// longer produces do not linger.
func Write(out *Output, outDir string) error {
	outDir = filepath.Clean(outDir)
	parent := filepath.Dir(outDir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", outDir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(outDir)+".new-")
	if err != nil {
		return fmt.Errorf("write %s: %w", outDir, err)
	}
	defer os.RemoveAll(tmp)
	// Folders first, each once; then the files, two writers at a time
	// (creating files is most of a build's time in the kernel).
	paths := out.Paths()
	made := map[string]bool{tmp: true}
	for _, p := range paths {
		if d := filepath.Dir(filepath.Join(tmp, filepath.FromSlash(p))); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("write %s: %w", p, err)
			}
			made[d] = true
		}
	}
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(paths); i += 2 {
				if err := os.WriteFile(filepath.Join(tmp, filepath.FromSlash(paths[i])), out.Files[paths[i]], 0o644); err != nil {
					errs[i] = fmt.Errorf("write %s: %w", paths[i], err)
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", outDir, err)
	}
	old := ""
	if _, err := os.Stat(outDir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(outDir, old); err != nil {
			return fmt.Errorf("write %s: %w", outDir, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("write %s: %w", outDir, err)
	}
	if err := os.Rename(tmp, outDir); err != nil {
		if old != "" {
			_ = os.Rename(old, outDir) // put the previous output back
		}
		return fmt.Errorf("write %s: %w", outDir, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// minifier minifies by media type. Every call gets its own copy of the
// input: minify rewrites its input buffer in place for JS and for HTML with
// <script> (design/performance.md), so a buffer is never minified twice.
type minifier struct{ m *minify.M }

func newMinifier() minifier {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	return minifier{m}
}

func (mf minifier) bytes(mediatype string, in []byte) ([]byte, error) {
	cp := append([]byte(nil), in...)
	return mf.m.Bytes(mediatype, cp)
}

// fingerprint names a file by its content: consent.js → consent.1a2b3c4d5e.js.
func fingerprint(name string, b []byte) string {
	sum := sha256.Sum256(b)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
}

// minifyPage minifies rendered HTML when asked.
func (r *renderer) page(b []byte) ([]byte, error) {
	if !r.opts.Minify {
		return b, nil
	}
	return r.min.bytes("text/html", b)
}

var _ = bytes.MinRead
