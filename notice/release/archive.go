package release

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/integritet/integritet/notice"
)

// An archive is releases/VERSION/ under the site root: site/ holds the
// pages as the visitor read them (the notice page in each language, the
// root page, the theme's stylesheet and the banner's configuration with its
// texts), content/ the TOML they were rendered from. It is written once,
// by Make, and never changed: every build publishes it under
// /releases/VERSION/ of whatever base path the site has then (Read
// re-bases its references), and makes the page of what changed from the
// version before (Changes) beside it.

// Archive is one released version as a build publishes it.
type Archive struct {
	Release notice.Release
	// Files are its archived files re-based for the site that publishes
	// them, by path under that site ("releases/2026.1/assets/notice.css").
	Files map[string][]byte
	// Pages are the folders of its notice page in each language, under
	// the site: "releases/2026.1/sv/integritetspolicy/".
	Pages map[string]string
	// page and config are the notice page and the banner's configuration
	// of each language as archived.
	page, config map[string][]byte
}

// Link is what the history page shows of a released version in one
// language: its archived page and the page of what changed since the
// version before (empty when there is none), as paths on the site with
// its base path ("/legal/releases/2026.1/sv/integritetspolicy/").
type Link struct {
	Href, ChangesHref string
}

// Read reads the archive of every release in rs under dir/releases/, each
// re-based for publishing on the site of n (see rebase): its pages work
// under n's base_url whatever base path they were released under, by
// whatever version of integritet. A changes page kept in an archive by an
// earlier integritet is left out: the build makes it anew.
func Read(dir string, rs []notice.Release, n *notice.Notice) ([]Archive, error) {
	out := make([]Archive, 0, len(rs))
	for _, r := range rs {
		a, err := read(dir, r, n)
		if err != nil {
			return nil, fmt.Errorf("archive of release %s: %w", r.Version, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func read(dir string, r notice.Release, n *notice.Notice) (Archive, error) {
	a := Archive{Release: r, Files: map[string][]byte{}, Pages: map[string]string{}, page: map[string][]byte{}, config: map[string][]byte{}}
	root := filepath.Join(dir, notice.ReleasesDir, r.Version, "site")
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return a, notice.Diagnostics{{Pos: r.At, Severity: notice.Error, Message: fmt.Sprintf(
			"version %q is released, but its archive %s is missing: restore it from version control (a released version is published from its archive, which never changes)",
			r.Version, path.Join(notice.ReleasesDir, r.Version, "site"))}}
	}
	raw, err := readFiles(root)
	if err != nil {
		return a, err
	}
	pages := pagesOf(dir, r.Version)
	for lang, p := range pages {
		a.Pages[lang] = path.Join(notice.ReleasesDir, r.Version, strings.TrimSuffix(p, "index.html")) + "/"
		a.page[lang] = raw[p]
		a.config[lang] = raw["assets/consent-config."+lang+".json"]
		delete(raw, strings.TrimSuffix(p, "index.html")+"changes/index.html")
	}
	rb := newRebaser(r.Version, raw, n)
	for p, b := range raw {
		a.Files[path.Join(notice.ReleasesDir, r.Version, p)] = rb.file(p, b)
	}
	return a, nil
}

// readFiles reads every file under root: path under root → bytes.
func readFiles(root string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	return files, err
}

// pagesOf finds the archived notice page of each language of version v:
// lang → path under releases/v/site/ ("sv/integritetspolicy/index.html").
func pagesOf(dir, v string) map[string]string {
	out := map[string]string{}
	root := filepath.Join(dir, notice.ReleasesDir, v, "site")
	langs, _ := os.ReadDir(root)
	for _, l := range langs {
		if !l.IsDir() || l.Name() == "assets" {
			continue
		}
		slugs, _ := os.ReadDir(filepath.Join(root, l.Name()))
		for _, s := range slugs {
			if _, err := os.Stat(filepath.Join(root, l.Name(), s.Name(), "index.html")); err == nil && s.IsDir() {
				out[l.Name()] = l.Name() + "/" + s.Name() + "/index.html"
			}
		}
	}
	return out
}

// ArchivedPages returns the archived notice page of each language of the
// released version v of the site rooted at dir, as a path under the site:
// lang → "releases/v/sv/integritetspolicy/".
func ArchivedPages(dir, v string) map[string]string {
	out := map[string]string{}
	for lang, p := range pagesOf(dir, v) {
		out[lang] = notice.ReleasesDir + "/" + v + "/" + strings.TrimSuffix(p, "index.html")
	}
	return out
}
