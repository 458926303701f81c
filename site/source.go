package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/integritet/integritet/assets"
	"github.com/integritet/integritet/i18n"
	"github.com/integritet/integritet/themes"
)

// source finds the files of a site: the site's own folder first, then the
// defaults carried in the binary. One lookup, as in Hugo: a site overrides a
// theme file by putting a file of the same name in the same place.
type source struct {
	dir   string // site root
	theme string
}

// read returns the file at rel ("themes/default/layouts/notice.html",
// "i18n/sv.toml", "assets/consent.js") and the name to report it by.
func (s source) read(rel string) ([]byte, string, error) {
	own := filepath.Join(s.dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(own)
	if err == nil {
		return b, own, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, own, fmt.Errorf("read %s: %w", own, err)
	}
	var fsys fs.FS
	name := rel
	switch {
	case hasPrefix(rel, "themes/"):
		fsys, name = themes.FS, rel[len("themes/"):]
	case hasPrefix(rel, "i18n/"):
		fsys, name = i18n.FS, rel[len("i18n/"):]
	case hasPrefix(rel, "assets/"):
		fsys, name = assets.FS, rel[len("assets/"):]
	default:
		return nil, own, fmt.Errorf("read %s: %w", own, fs.ErrNotExist)
	}
	b, err = fs.ReadFile(fsys, name)
	if err != nil {
		return nil, own, fmt.Errorf("read %s (nor in the built-in defaults): %w", own, fs.ErrNotExist)
	}
	return b, "(built-in) " + rel, nil
}

// layer is one file of a stack read by layers: its bytes and its name,
// and whether it is the binary's own.
type layer struct {
	b       []byte
	name    string
	builtin bool
}

// layers returns the built-in file at rel (when the binary carries one)
// and then the site's own (when it has one), for files that a site
// overrides entry by entry rather than as a whole (i18n/<lang>.toml).
func (s source) layers(rel string) ([]layer, error) {
	var out []layer
	if hasPrefix(rel, "i18n/") {
		if b, err := fs.ReadFile(i18n.FS, rel[len("i18n/"):]); err == nil {
			out = append(out, layer{b, "(built-in) " + rel, true})
		}
	}
	own := filepath.Join(s.dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(own)
	switch {
	case err == nil:
		out = append(out, layer{b, own, false})
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read %s: %w", own, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read %s (nor in the built-in defaults): %w", own, fs.ErrNotExist)
	}
	return out, nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
