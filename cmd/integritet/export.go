package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/integritet/integritet/export"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// exportFormats maps -format to the files it selects (by name prefix).
var exportFormats = map[string][]string{
	"retention": {"retention."},
	"cookies":   {"cookies."},
	"consent":   {"consent-categories."},
	"jsonld":    {"notice.jsonld"},
	"record":    {"record-of-processing."},
	"gpc":       {".well-known/gpc.json"},
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "[-source dir] [-out dir] [-format all|retention|cookies|consent|jsonld|record|gpc]", stderr)
	source := fs.String("source", ".", "site root (the folder holding content/)")
	outDir := fs.String("out", "exports", "folder to write the exports to")
	format := fs.String("format", "all", "which exports, comma-separated: all, retention, cookies, consent, jsonld, record (Art. 30, not published), gpc")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	var prefixes []string
	for _, f := range strings.Split(*format, ",") {
		if f == "all" {
			prefixes = append(prefixes, "")
			continue
		}
		p, ok := exportFormats[f]
		if !ok {
			fs.Usage()
			return fmt.Errorf("%w: -format %q: want all, retention, cookies, consent, jsonld, record or gpc", errUsage, f)
		}
		prefixes = append(prefixes, p...)
	}
	n, err := notice.Load(*source)
	if err != nil {
		var ds notice.Diagnostics
		if errors.As(err, &ds) {
			fmt.Fprintln(stderr, ds.Error())
			return errReported
		}
		return fmt.Errorf("export: %w", err)
	}
	rev, err := site.Revision(*source, n)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	files, err := export.All(n, rev)
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		for _, pre := range prefixes {
			if strings.HasPrefix(p, pre) {
				paths = append(paths, p)
				break
			}
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(*outDir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		fmt.Fprintln(stdout, full)
	}
	return nil
}
