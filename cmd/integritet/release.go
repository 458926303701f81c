package main

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/integritet/integritet/export"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// versionRE is what a released version may be called: it becomes a path.
var versionRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func runRelease(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("release", "[-source DIR] [-editorial REASON]", stderr)
	src := fs.String("source", ".", "site root: the folder that holds content/; the archive goes to its releases/")
	editorial := fs.String("editorial", "", "legal's reason why the change of consent revision from the version before is editorial: consent given before stays valid")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	opts := siteOptions("default")
	opts.Drafts = true
	out, err := site.Render(ctx, *src, opts) // lint errors refuse it
	if err != nil {
		return reportDiagnostics(stderr, err)
	}
	printFindings(stderr, out.Findings)
	n := out.Notice
	v := n.Meta.Version
	if !versionRE.MatchString(v) {
		return fmt.Errorf("release: [notice] version %q: want letters, digits, '.', '-' or '_' (it names the archive folder)", v)
	}
	if rel, ok := notice.FindRelease(out.Releases, v); ok {
		if rel.Digest == out.Digest {
			fmt.Fprintf(stdout, "version %s is already released with this content (%s); nothing to do\n", v, rel.Digest)
			return nil
		}
		fmt.Fprintf(stderr, "release: version %s is already released with other content; a released version never changes.\n%v\n", v, out.Draft)
		return fmt.Errorf("%w: version %s is already released with other content", errReported, v)
	}
	var hist notice.Change
	for _, h := range n.History {
		if h.Version == v {
			hist = h
		}
	}
	if hist.Version == "" || len(hist.Summary) == 0 {
		at := n.Where("notice.version")
		fmt.Fprintf(stderr, "%s:%d:%d: release %s: add a [[history]] entry with version = %q, its date and a one-line summary in every language; the history page and the list of releases show it\n", at.File, at.Line, at.Col, v, v)
		return fmt.Errorf("%w: no [[history]] entry for %s", errReported, v)
	}
	date := n.Meta.EffectiveDate
	if date.IsZero() {
		date = hist.Date
	}
	rel := notice.Release{Version: v, Date: date, Summary: hist.Summary, Digest: out.Digest, Revision: out.Revision}
	var prev *notice.Release
	if len(out.Releases) > 0 {
		prev = &out.Releases[len(out.Releases)-1]
	}
	if *editorial != "" {
		if prev == nil {
			return fmt.Errorf("%w: -editorial: there is no earlier release whose consent would stay valid", errUsage)
		}
		old, err := notice.Load(filepath.Join(*src, notice.ReleasesDir, prev.Version))
		if err != nil {
			return fmt.Errorf("release -editorial: load the archived content of %s: %w", prev.Version, err)
		}
		if a, b := consentShape(old), consentShape(n); a != b {
			fmt.Fprintf(stderr, "release: -editorial: the consent categories or the cookies changed since %s, not only their wording:\n  before: %s\n  now:    %s\nConsent given before cannot stand for them; release without -editorial and visitors are asked again.\n", prev.Version, a, b)
			return fmt.Errorf("%w: not an editorial change", errReported)
		}
		rel.Editorial = *editorial
		if prev.Revision != rel.Revision {
			rel.Accepts = append(slices.Clone(prev.Accepts), prev.Revision)
		}
	}
	// Nothing that consent depends on changed: what stood before stands
	// (otherwise a release after an editorial one would drop the revisions
	// that one kept valid, and their visitors would be asked again).
	if prev != nil && prev.Revision == rel.Revision {
		rel.Accepts = slices.Clone(prev.Accepts)
	}

	// The archive: the pages as a visitor reads them, under their own path,
	// the content they came from, and what changed against the version
	// before; written beside the final folder, then renamed into place.
	aopts := site.Options{Theme: "default", Minify: true, Archive: true, JSONLD: export.JSONLD}
	arch, err := site.Render(ctx, *src, aopts)
	if err != nil {
		return fmt.Errorf("release %s: archive: %w", v, err)
	}
	relDir := filepath.Join(*src, notice.ReleasesDir)
	if err := os.MkdirAll(relDir, 0o755); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	final := filepath.Join(relDir, v)
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("release %s: %s exists but releases.toml does not list it; remove it or list it", v, final)
	}
	tmp, err := os.MkdirTemp(relDir, "."+v+".new-")
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	defer os.RemoveAll(tmp)
	files := map[string][]byte{}
	for p, b := range arch.Files {
		files["site/"+p] = b
	}
	contents, err := filepath.Glob(filepath.Join(*src, "content", "*.toml"))
	if err != nil {
		return err
	}
	for _, f := range contents {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("release: %w", err)
		}
		files["content/"+filepath.Base(f)] = b
	}
	if prev != nil {
		pages, err := changesPages(*src, *prev, n, arch, rel)
		if err != nil {
			fmt.Fprintf(stderr, "release %s: no changes page against %s: %v\n", v, prev.Version, err)
		}
		for p, b := range pages {
			files["site/"+p] = b
		}
	}
	for p, b := range files {
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("release: %w", err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			return fmt.Errorf("release: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := notice.WriteReleases(*src, append(out.Releases, rel)); err != nil {
		_ = os.RemoveAll(final) // no archive without its entry
		return fmt.Errorf("release: %w", err)
	}
	fmt.Fprintf(stdout, "released %s (%s): digest %s, consent revision %s, archived in %s\n", v, date, rel.Digest, rel.Revision, filepath.Join(notice.ReleasesDir, v))
	if rel.Editorial != "" {
		fmt.Fprintf(stdout, "consent given under revision %s stays valid: %s\n", strings.Join(rel.Accepts, ", "), rel.Editorial)
	}
	return nil
}

// changesPages renders, for each language, the page of what changed from
// the release before (whose content is archived) to this one, beside the
// archived notice page: LANG/SLUG/changes/index.html.
func changesPages(dir string, prev notice.Release, n *notice.Notice, arch *site.Output, rel notice.Release) (map[string][]byte, error) {
	old, err := notice.Load(filepath.Join(dir, notice.ReleasesDir, prev.Version))
	if err != nil {
		return nil, fmt.Errorf("load the archived content of %s: %w", prev.Version, err)
	}
	str, err := site.LoadStrings(dir, n)
	if err != nil {
		return nil, err
	}
	d := export.Compare(old, n, export.DiffOptions{OldRevision: prev.Revision, NewRevision: rel.Revision, Duration: str.Duration})
	if rel.Editorial != "" {
		d.Reconsent = false
	}
	var css string
	base := arch.Notice.Meta.BasePath() // the archive's own path
	for p := range arch.Files {
		if strings.HasPrefix(p, "assets/notice.") && strings.HasSuffix(p, ".css") {
			css = base + "/" + p
		}
	}
	out := map[string][]byte{}
	for _, lang := range n.Meta.Languages {
		frag, err := export.DiffHTML(d, lang, str.T)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		err = changesPage.Execute(&b, map[string]any{
			"Lang": lang, "CSS": css, "Title": str.T(lang, "history_changes") + " – " + n.Meta.Title[lang] + " " + rel.Version,
			"Diff": template.HTML(frag), "Back": base + "/" + lang + "/" + n.Meta.Slug[lang] + "/", "BackText": str.T(lang, "back_to_notice"),
		})
		if err != nil {
			return nil, err
		}
		out[path.Join(lang, n.Meta.Slug[lang], "changes", "index.html")] = []byte(b.String())
	}
	return out, nil
}

// changesPage frames the diff's HTML as a page of the archive. Its CSS is
// the archived theme's.
var changesPage = template.Must(template.New("changes").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
{{with .CSS}}<link rel="stylesheet" href="{{.}}">{{end}}
</head>
<body>
<main id="main" class="narrow">
<h1>{{.Title}}</h1>
{{.Diff}}
<p><a href="{{.Back}}">{{.BackText}}</a></p>
</main>
</body>
</html>
`))

// consentShape is what a consent decision is bound to beyond wording: the
// categories a visitor chooses (the consent cookie holds one bit each, in
// this order) and the cookies with their lifetimes. A change of it is never
// editorial.
func consentShape(n *notice.Notice) string {
	parts := []string{"categories " + strings.Join(n.OptionalCategories(), ",")}
	for _, c := range n.Cookies {
		parts = append(parts, fmt.Sprintf("cookie %s (%s, %s, %s)", c.Name, c.Category, c.LifetimeText, c.KindKey()))
	}
	return strings.Join(parts, "; ")
}
