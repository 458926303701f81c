package main

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/integritet/integritet/export"
	"github.com/integritet/integritet/notice"
)

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diff", "OLD [NEW]  (site roots holding content/, or git:REV for that revision of content/; NEW defaults to .)", stderr)
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
	old, err := loadVersion(ctx, fs.Arg(0), stderr)
	if err != nil {
		return err
	}
	cur, err := loadVersion(ctx, newArg, stderr)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Notice %s → %s\n\n", versionLine(old), versionLine(cur))
	changes := export.Changes(old, cur)
	if len(changes) == 0 {
		b.WriteString("No material changes (purposes, bases, retention, recipients, cookies, categories).\n")
	}
	for _, c := range changes {
		fmt.Fprintf(&b, "- %s\n", c)
	}
	if r0, r1 := old.Revision(), cur.Revision(); r0 != r1 {
		fmt.Fprintf(&b, "\nVisitors must be asked again: yes (consent revision %s → %s)\n", r0, r1)
	} else {
		fmt.Fprintf(&b, "\nVisitors must be asked again: no (consent revision %s)\n", r0)
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}

func versionLine(n *notice.Notice) string {
	s := n.Meta.Version
	if d := n.Meta.EffectiveDate.String(); d != "" {
		s += " (" + d + ")"
	}
	return s
}

// loadVersion loads a site root, or with git:REV that revision of the
// content/ folder of the repository the working directory is in.
func loadVersion(ctx context.Context, arg string, stderr io.Writer) (*notice.Notice, error) {
	dir := arg
	if rev, ok := strings.CutPrefix(arg, "git:"); ok {
		tmp, err := os.MkdirTemp("", "integritet-diff-")
		if err != nil {
			return nil, fmt.Errorf("diff: %w", err)
		}
		defer os.RemoveAll(tmp)
		if err := gitContent(ctx, rev, tmp); err != nil {
			return nil, fmt.Errorf("diff %s: %w", arg, err)
		}
		dir = tmp
	}
	n, err := notice.Load(dir)
	if err != nil {
		var ds notice.Diagnostics
		if errors.As(err, &ds) {
			fmt.Fprintf(stderr, "%s:\n%s\n", arg, ds.Error())
			return nil, errReported
		}
		return nil, fmt.Errorf("diff %s: %w", arg, err)
	}
	return n, nil
}

// gitContent extracts content/ (under the working directory's path in the
// repository) at rev into dir/content.
func gitContent(ctx context.Context, rev, dir string) error {
	prefix, err := exec.CommandContext(ctx, "git", "rev-parse", "--show-prefix").Output()
	if err != nil {
		return fmt.Errorf("git rev-parse: %w", err)
	}
	p := strings.TrimSpace(string(prefix)) + "content"
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", rev, "--", p)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
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
		if !ok || strings.Contains(rel, "/") || strings.Contains(rel, "..") {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		full := filepath.Join(dir, "content", rel)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			return err
		}
	}
}
