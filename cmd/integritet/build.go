package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/export"
	"github.com/integritet/integritet/lint"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
	"github.com/integritet/integritet/site"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", "[-source DIR] [-out DIR] [-anchors FILE|URL]", stderr)
	src := fs.String("source", ".", "site root: the folder that holds content/ (and optionally themes/, i18n/, assets/)")
	out := fs.String("out", "public", "output folder; replaced as a whole only when the build succeeds")
	theme := fs.String("theme", "default", "theme folder under themes/")
	anchors := fs.String("anchors", "", "publish the consent endpoint's anchor log (`file or URL`) as .well-known/consent-chain.json, for sites served apart from the endpoint")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	// A build lives for tens of milliseconds with a heap of a few MB:
	// collecting it a quarter as often saves about a sixth of the build.
	debug.SetGCPercent(400)
	start := time.Now()
	var doc []byte
	if *anchors != "" {
		as, err := loadAnchors(ctx, *anchors)
		if err != nil {
			return fmt.Errorf("build: %w", err)
		}
		var b bytes.Buffer
		consent.WriteAnchorDocument(&b, as)
		doc = b.Bytes()
	}
	res, err := site.Render(ctx, *src, siteOptions(*theme))
	if err != nil {
		var ue *release.UnreleasedError
		if errors.As(err, &ue) {
			return reportUnreleased(ctx, stderr, *src, *theme, ue)
		}
		return reportDiagnostics(stderr, err)
	}
	if doc != nil {
		res.Files[".well-known/consent-chain.json"] = doc
	}
	if err := site.Write(res, *out); err != nil {
		return err
	}
	printFindings(stderr, res.Findings)
	fmt.Fprintf(stdout, "built %d files into %s in %s\n", len(res.Files), *out, time.Since(start).Round(time.Millisecond))
	return nil
}

// siteOptions wires the lint and export packages into the build.
func siteOptions(theme string) site.Options {
	return site.Options{Theme: theme, Minify: true, Check: lint.Check, Exports: export.Public, JSONLD: export.JSONLD}
}

// reportDiagnostics prints a notice's diagnostics one per line, like a
// compiler, and returns errReported; other errors are returned as they are.
func reportDiagnostics(stderr io.Writer, err error) error {
	var ds notice.Diagnostics
	if errors.As(err, &ds) {
		for _, d := range ds {
			fmt.Fprintln(stderr, d.String())
		}
		n := 0
		for _, d := range ds {
			if d.Severity == notice.Error {
				n++
			}
		}
		return fmt.Errorf("%w: %d errors", errReported, n)
	}
	return err
}

func printFindings(stderr io.Writer, ds notice.Diagnostics) {
	for _, d := range ds {
		fmt.Fprintln(stderr, d.String())
	}
}

// reportUnreleased explains a refused build: the changes against the
// archived content of the released version, as `diff` lists them, and how
// to release.
func reportUnreleased(ctx context.Context, stderr io.Writer, src, theme string, ue *release.UnreleasedError) error {
	if ue.Released == "" {
		fmt.Fprintf(stderr, "build: %v\n", ue)
		return fmt.Errorf("%w: version %s is not released", errReported, ue.Version)
	}
	fmt.Fprintf(stderr, "build: the notice reads differently from its released version %s (released %s, now %s).\n", ue.Version, ue.Released, ue.Now)
	archived := filepath.Join(src, notice.ReleasesDir, ue.Version)
	if _, err := os.Stat(filepath.Join(archived, "content")); err == nil {
		var b strings.Builder
		if err := runDiff(ctx, []string{"-color", "never", "-theme", theme, archived, src}, &b, stderr); err == nil {
			fmt.Fprintf(stderr, "What changed since the release (integritet diff %s %s):\n%s", archived, src, b.String())
		}
	} else {
		for _, w := range ue.What {
			fmt.Fprintln(stderr, "  "+w)
		}
	}
	fmt.Fprintln(stderr, release.HowToRelease)
	return fmt.Errorf("%w: the content differs from released version %s", errReported, ue.Version)
}
