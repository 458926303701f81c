package main

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/integritet/integritet/export"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
	"github.com/integritet/integritet/site"
)

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diff", `[-format text|json|html] [-color auto|always|never] OLD [NEW]
  OLD and NEW are site roots holding content/ (releases/VERSION for a released
  version), or git:REV for that commit (its content/, i18n/, themes/ and releases/); NEW defaults to .

Every structural change and every wording change, the banner's and the
settings' texts included, grouped by section, each classed by this rule: a
structural change (purposes, bases, data, recipients, countries, transfer
mechanisms, retention, rights, controller, DPO, authority, cookies, consent
categories, banner) is material; a change of the notice's title,
description, slug or base_url, of the history or of lint acceptances is
editorial; a wording change of punctuation, case or spacing only is
editorial; every other wording change is material. Visitors are asked again
when the consent revision changes: they must be, and release -editorial
refuses, when what they consent to changed beyond its wording. A change of
what visitors read under the same version is refused by build until it is
released; the html output is the page of what changed, in -lang.

flags:`, stderr)
	format := fs.String("format", "text", "output: text (coloured on a terminal), json, or html (what the changes page shows visitors, in -lang)")
	color := fs.String("color", "auto", "colour the text output: auto (on a terminal), always, never")
	lang := fs.String("lang", "", "language of the html output (default: the notice's default language)")
	theme := fs.String("theme", "default", "theme folder under themes/ that a site root is rendered with, as given to build")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fs.Usage()
		return fmt.Errorf("%w: want OLD [NEW]", errUsage)
	}
	newArg := "."
	if fs.NArg() == 2 {
		newArg = fs.Arg(1)
	}
	old, _, err := loadVersion(ctx, fs.Arg(0), *theme, stderr)
	if err != nil {
		return err
	}
	cur, curStr, err := loadVersion(ctx, newArg, *theme, stderr)
	if err != nil {
		return err
	}
	d := export.Compare(old.Notice, cur.Notice, export.DiffOptions{
		OldRevision: old.Revision, NewRevision: cur.Revision, OldUI: old.UI, NewUI: cur.UI,
		OldDigest: old.Digest, NewDigest: cur.Digest, NewAccepts: cur.Accepts, NewKeptBy: cur.KeptBy,
		Duration: curStr.Duration,
	})
	switch *format {
	case "json":
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(b, '\n'))
		return err
	case "html":
		l := *lang
		if l == "" {
			l = cur.Notice.Meta.DefaultLanguage
		}
		b, ok := cur.Changes(old, l, func(id string) string { return curStr.T(l, id) }, func(d notice.Date) string { return curStr.Date(l, d) })
		if !ok {
			return fmt.Errorf("%w: -lang %q: both versions need a page in that language", errUsage, l)
		}
		_, err = stdout.Write(b)
		return err
	case "text":
	default:
		return fmt.Errorf("%w: -format %q: want text, json or html", errUsage, *format)
	}
	var col bool
	switch *color {
	case "always":
		col = true
	case "auto":
		col = isTerminal(stdout)
	case "never":
	default:
		return fmt.Errorf("%w: -color %q: want auto, always or never", errUsage, *color)
	}
	_, err = io.WriteString(stdout, export.DiffText(d, col))
	return err
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// loadVersion loads one side of the comparison: a site root, rendered as
// the build would with theme (drafts allowed); the archive of a released version
// (releases/VERSION), as it was released; or with git:REV that revision of
// the content/, i18n/, themes/ and releases/ folders of the repository the
// working directory is in (so a released commit is seen as released).
func loadVersion(ctx context.Context, arg, theme string, stderr io.Writer) (*release.Version, *site.Strings, error) {
	dir := arg
	if rev, ok := strings.CutPrefix(arg, "git:"); ok {
		tmp, err := os.MkdirTemp("", "integritet-diff-")
		if err != nil {
			return nil, nil, fmt.Errorf("diff: %w", err)
		}
		defer os.RemoveAll(tmp)
		for _, folder := range []string{"content", "i18n", "themes", notice.ReleasesDir} {
			if err := gitFolder(ctx, rev, folder, tmp); err != nil {
				return nil, nil, fmt.Errorf("diff %s: %w", arg, err)
			}
		}
		dir = tmp
	}
	var v *release.Version
	var str *site.Strings
	var err error
	if release.IsArchive(dir) {
		if v, err = release.Open(dir); err == nil {
			str, err = site.LoadStrings(dir, v.Notice)
		}
	} else {
		v, str, err = site.Version(ctx, dir, theme)
	}
	if err != nil {
		var ds notice.Diagnostics
		if errors.As(err, &ds) {
			fmt.Fprintf(stderr, "%s:\n%s\n", arg, ds.Error())
			return nil, nil, errReported
		}
		return nil, nil, fmt.Errorf("diff %s: %w", arg, err)
	}
	return v, str, nil
}

// gitFolder extracts folder (content, i18n, themes, releases; under the working
// directory's path in the repository) at rev into dir/folder, subfolders
// included. A folder that does not exist at rev is left out.
func gitFolder(ctx context.Context, rev, folder, dir string) error {
	prefix, err := exec.CommandContext(ctx, "git", "rev-parse", "--show-prefix").Output()
	if err != nil {
		return fmt.Errorf("git rev-parse: %w", err)
	}
	p := strings.TrimSpace(string(prefix)) + folder
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", rev, "--", p)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if folder != "content" && strings.Contains(errb.String(), "did not match any files") {
			return nil
		}
		return fmt.Errorf("git archive %s: %v: %s", rev, err, strings.TrimSpace(errb.String()))
	}
	tr := tar.NewReader(&out)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		rel, ok := strings.CutPrefix(h.Name, p+"/")
		if !ok || rel == "" || slices.Contains(strings.Split(rel, "/"), "..") {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		full := filepath.Join(dir, folder, rel)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			return err
		}
	}
}
