package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/integritet/integritet/assets"
	"github.com/integritet/integritet/docs"
	"github.com/integritet/integritet/i18n"
	"github.com/integritet/integritet/themes"
)

// starter is the content a new site begins with: a notice for no one in
// particular, with TODO at every place to fill in. It is carried in the
// binary so that init works from an installed integritet anywhere.
//
//go:embed starter/content/*.toml
var starter embed.FS

// siteGitignore keeps the build output and the preview's consent store out
// of the new site's repository.
const siteGitignore = "public/\n.integritet/\n"

func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := newFlags("init", "[-eject] DIR", stderr)
	eject := flags.Bool("eject", false, "also copy the default theme, i18n strings and banner assets into the site, to edit them")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return fmt.Errorf("%w: want exactly one folder, the new site's root", errUsage)
	}
	dir := flags.Arg(0)
	if err := emptyDir(dir); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	type tree struct {
		from fs.FS
		root string // folder inside from
		to   string // folder under dir
	}
	copies := []tree{{starter, "starter/content", "content"}, {docs.FS, ".", "docs"}}
	// The defaults stay in the binary unless asked for: a site that copies
	// them keeps old files when integritet is upgraded.
	if *eject {
		copies = append(copies, tree{themes.FS, "default", "themes/default"}, tree{i18n.FS, ".", "i18n"}, tree{assets.FS, ".", "assets"})
	}
	n := 0
	for _, c := range copies {
		k, err := copyTree(c.from, c.root, filepath.Join(dir, filepath.FromSlash(c.to)))
		if err != nil {
			return fmt.Errorf("init: %w", err)
		}
		n += k
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(siteGitignore), 0o644); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintf(stdout, `Created a new site in %s (%d files).

Next steps:
  1. Fill in every TODO in %s.
  2. cd %s && integritet lint      # says, file:line:col, what is still missing
  3. integritet serve              # preview at http://127.0.0.1:1313/ with live reload
  4. integritet build              # writes the site to public/

%s`, dir, n+1, filepath.Join(dir, "content"), dir, ejectNote(*eject))
	return nil
}

func ejectNote(eject bool) string {
	if eject {
		return `themes/, i18n/ and assets/ are copies of the defaults: change them freely, or
delete a file to use the built-in one. A file in i18n/ overrides the built-in
strings one by one: keep only those you change.
`
	}
	return `The theme, the UI strings and the banner come from the binary. To change one,
put a file of the same name in the site (integritet init -eject copies them
all); a file in i18n/ overrides the built-in strings one by one.
`
}

// emptyDir creates dir, or accepts it when it exists and is empty.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: give a new or empty folder", dir)
	}
	return nil
}

// copyTree copies every file under root of fsys to the folder to and
// returns how many it wrote.
func copyTree(fsys fs.FS, root, to string) (int, error) {
	n := 0
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := p
		if root != "." {
			rel = p[len(root):]
		}
		target := filepath.Join(to, filepath.FromSlash(path.Clean("/"+rel)))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		n++
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		return n, fmt.Errorf("write %s: %w", to, err)
	}
	return n, nil
}
