package release

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/integritet/integritet/notice"
)

// Version is one side of a comparison (integritet diff): a notice and
// what a visitor reads of it.
type Version struct {
	Notice *notice.Notice
	// UI are the banner's and the settings' own texts by language and key
	// (site.Strings.UI): the consent revision covers them.
	UI map[string]map[string]string
	// Revision is the consent revision, Digest what a visitor reads,
	// hashed: a change of it needs a release, as the build says.
	Revision, Digest string
	// Files are the rendered notice pages and banner configurations by
	// path under the site ("sv/integritetspolicy/index.html").
	Files map[string][]byte
	// Accepts and KeptBy are what the releases recorded, when it is a
	// released version: the earlier revisions whose consent it keeps
	// valid, and for each the editorial release that recorded why (see
	// KeptBy).
	Accepts []string
	KeptBy  map[string]notice.Release
}

// IsArchive reports whether dir is the archive of a released version
// (releases/VERSION/): content/ beside site/ with its root page. (A site
// root may have a folder called site of its own.)
func IsArchive(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "content"))
	if err != nil || !st.IsDir() {
		return false
	}
	st, err = os.Stat(filepath.Join(dir, "site", "index.html"))
	return err == nil && st.Mode().IsRegular()
}

// Open reads the archive at dir as it was released: its content, its pages
// and the banner's texts as they were (from its banner configuration), so
// that its consent revision and digest are the ones its release recorded,
// whatever the UI strings of this integritet say now. (The content is read
// with this integritet's schema.)
func Open(dir string) (*Version, error) {
	n, err := notice.Load(dir)
	if err != nil {
		return nil, err
	}
	v := &Version{Notice: n, UI: map[string]map[string]string{}}
	if v.Files, err = readFiles(filepath.Join(dir, "site")); err != nil {
		return nil, fmt.Errorf("archive %s: %w", dir, err)
	}
	for _, l := range n.Meta.Languages {
		cfg := v.Files["assets/consent-config."+l+".json"]
		if cfg == nil {
			continue
		}
		var c struct{ Text map[string]string }
		if err := json.Unmarshal(cfg, &c); err != nil {
			return nil, fmt.Errorf("archive %s: banner configuration (%s): %w", dir, l, err)
		}
		v.UI[l] = c.Text
	}
	v.Revision = n.Revision(v.UI)
	v.Digest = Digest(n, v.Files)
	// In its place under a site's releases/, the release's record is what
	// consent records name (and says the revision of a notice that asks
	// nothing, whose archive keeps no banner texts).
	if abs, err := filepath.Abs(dir); err == nil && filepath.Base(filepath.Dir(abs)) == notice.ReleasesDir {
		if rs, err := notice.ReadReleases(filepath.Dir(filepath.Dir(abs))); err == nil {
			if r, ok := notice.FindRelease(rs, n.Meta.Version); ok && filepath.Base(abs) == r.Version {
				v.Revision, v.Digest, v.Accepts, v.KeptBy = r.Revision, r.Digest, r.Accepts, KeptBy(rs, r.Version)
			}
		}
	}
	return v, nil
}

func (v *Version) side() side {
	s := side{page: map[string][]byte{}, config: map[string][]byte{}, version: v.Notice.Meta.Version, date: v.Notice.Meta.EffectiveDate, revision: v.Revision, accepts: v.Accepts}
	for _, l := range v.Notice.Meta.Languages {
		s.page[l] = v.Files[l+"/"+v.Notice.Meta.Slug[l]+"/index.html"]
		s.config[l] = v.Files["assets/consent-config."+l+".json"]
	}
	return s
}

// Changes is what changed for a visitor from old to v in lang, as the
// changes page shows it (Archive.Changes): false when either has no page
// in lang.
func (v *Version) Changes(old *Version, lang string, t func(id string) string, date func(notice.Date) string) ([]byte, bool) {
	h, ok := changesHTML(old.side(), v.side(), lang, t, date)
	return []byte(h), ok
}
