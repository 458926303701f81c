package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
	"github.com/integritet/integritet/site"
)

func runRelease(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("release", "[-source DIR] [-theme NAME] [-editorial REASON]", stderr)
	src := fs.String("source", ".", "site root: the folder that holds content/; the archive goes to its releases/")
	theme := fs.String("theme", "default", "theme folder under themes/, as given to build (the archive and the digest are of the pages it renders)")
	editorial := fs.String("editorial", "", "legal's reason why the change of consent revision from the version before is editorial: consent given before stays valid (refused when what visitors consent to changed beyond its wording)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	out, rel, err := site.Release(ctx, *src, siteOptions(*theme), *editorial)
	if out != nil {
		printFindings(stderr, out.Findings)
	}
	var ds notice.Diagnostics
	switch {
	case errors.Is(err, release.ErrAlreadyReleased):
		fmt.Fprintf(stdout, "version %s is already released with this content (%s); nothing to do\n", rel.Version, rel.Digest)
		return nil
	case errors.As(err, &ds):
		return reportDiagnostics(stderr, err)
	case err != nil && out != nil:
		fmt.Fprintf(stderr, "release: %v\n", err)
		return fmt.Errorf("%w: %s not released", errReported, out.Notice.Meta.Version)
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "released %s (%s): digest %s, consent revision %s, archived in %s\n", rel.Version, rel.Date, rel.Digest, rel.Revision, filepath.Join(notice.ReleasesDir, rel.Version))
	if rel.Editorial != "" && len(rel.Accepts) > 0 {
		fmt.Fprintf(stdout, "consent given under revision %s stays valid: %s\n", strings.Join(rel.Accepts, ", "), rel.Editorial)
	}
	return nil
}
