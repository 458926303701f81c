package site

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/integritet/integritet/notice"
)

// Digest is "sha256:" and the hex SHA-256 of everything a visitor reads
// in every language of the rendered site: the visible text of each notice
// page (the cookie table included), and the banner's and the settings'
// texts (categories with their cookies, and the banner's own strings).
// Markup, links, scripts and styles are not part of it, so a theme's
// markup or an archive's base path leaves it alone, while any change of
// wording changes it.
func Digest(n *notice.Notice, files map[string][]byte) string {
	h := sha256.New()
	for _, lang := range n.Meta.Languages {
		fmt.Fprintf(h, "lang %s\npage\n%s\n", lang, VisibleText(files[lang+"/"+n.Meta.Slug[lang]+"/index.html"]))
		if cfg := files["assets/consent-config."+lang+".json"]; cfg != nil {
			var c struct {
				Categories json.RawMessage `json:"categories"`
				Text       map[string]string
			}
			if err := json.Unmarshal(cfg, &c); err == nil {
				t, _ := json.Marshal(c.Text) // sorted keys
				fmt.Fprintf(h, "banner\n%s\n%s\n", c.Categories, t)
			}
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// VisibleText is the text a reader sees in a rendered page: tags dropped
// (each as a space), scripts, styles and comments left out, entities
// decoded, white space collapsed. The same page minified or not, or under
// another base path, gives the same text.
func VisibleText(page []byte) string {
	var b strings.Builder
	b.Grow(len(page) / 2)
	s := string(page)
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			break
		}
		tag := strings.ToLower(s[1:end])
		s = s[end+1:]
		for _, raw := range []string{"script", "style", "template"} {
			if tag == raw || strings.HasPrefix(tag, raw+" ") {
				close := strings.Index(strings.ToLower(s), "</"+raw)
				if close < 0 {
					s = ""
				} else {
					s = s[close:]
				}
			}
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// UnreleasedError says that the content reads differently from the
// released version of the same number, or that its version is not
// released: the build refuses it.
type UnreleasedError struct {
	Version string
	// Released is the released digest; empty when the version is not
	// released at all.
	Released, Now string
	// What says what changed, one line per language.
	What []string
}

func (e *UnreleasedError) Error() string {
	var b strings.Builder
	if e.Released == "" {
		fmt.Fprintf(&b, "version %s of the notice is not released (content digest %s).\n", e.Version, e.Now)
	} else {
		fmt.Fprintf(&b, "the notice reads differently from its released version %s (released %s, now %s):\n", e.Version, e.Released, e.Now)
		for _, w := range e.What {
			b.WriteString("  " + w + "\n")
		}
	}
	b.WriteString("To publish it as a new version: set a new [notice] version and effective_date in content/, add a [[history]] entry for it, and run `integritet release`. `integritet serve` shows the draft meanwhile.")
	return b.String()
}

// releaseStatus compares the render with the releases: nil when the
// current version is released with this digest, or when the site has
// released nothing.
func releaseStatus(dir string, n *notice.Notice, rs []notice.Release, digest string) *UnreleasedError {
	if len(rs) == 0 {
		return nil
	}
	rel, ok := notice.FindRelease(rs, n.Meta.Version)
	switch {
	case !ok:
		return &UnreleasedError{Version: n.Meta.Version, Now: digest}
	case rel.Digest == digest:
		return nil
	}
	e := &UnreleasedError{Version: n.Meta.Version, Released: rel.Digest, Now: digest}
	return e
}

// explain fills e.What from the archived pages of the release and the
// current render: for each language, the first place where the visible
// text differs.
func (e *UnreleasedError) explain(dir string, n *notice.Notice, files map[string][]byte) {
	pages := archivedPages(dir, e.Version)
	for _, lang := range n.Meta.Languages {
		old, err := os.ReadFile(filepath.Join(dir, notice.ReleasesDir, e.Version, "site", filepath.FromSlash(pages[lang])))
		if pages[lang] == "" || err != nil {
			e.What = append(e.What, lang+": (no archived page to compare with)")
			continue
		}
		a := strings.Fields(VisibleText(old))
		b := strings.Fields(VisibleText(files[lang+"/"+n.Meta.Slug[lang]+"/index.html"]))
		if slices.Equal(a, b) {
			e.What = append(e.What, lang+": the page reads the same; the banner's or the settings' texts changed")
			continue
		}
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		j := 0
		for j < len(a)-i && j < len(b)-i && a[len(a)-1-j] == b[len(b)-1-j] {
			j++
		}
		from := max(0, i-5)
		e.What = append(e.What, fmt.Sprintf("%s: … %s [-%s-] {+%s+} %s …", lang, strings.Join(a[from:i], " "),
			clip(a[i:len(a)-j]), clip(b[i:len(b)-j]), strings.Join(a[len(a)-j:min(len(a), len(a)-j+5)], " ")))
	}
}

func clip(w []string) string {
	if len(w) > 12 {
		return strings.Join(w[:12], " ") + " …"
	}
	return strings.Join(w, " ")
}

// archivedPages finds the archived notice page of each language of
// version v: lang → path under releases/v/site/ ("sv/integritetspolicy/index.html").
func archivedPages(dir, v string) map[string]string {
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
	for lang, p := range archivedPages(dir, v) {
		out[lang] = notice.ReleasesDir + "/" + v + "/" + strings.TrimSuffix(p, "index.html")
	}
	return out
}

// releaseLink is what the history page shows of a released version.
type releaseLink struct {
	Href, ChangesHref string
}

// archive reads every released version's archived pages for publishing
// under releases/VERSION/, and the links the history page shows.
func archive(dir string, rs []notice.Release, base string) (map[string][]byte, map[string]map[string]releaseLink, error) {
	files := map[string][]byte{}
	links := map[string]map[string]releaseLink{}
	for _, r := range rs {
		root := filepath.Join(dir, notice.ReleasesDir, r.Version, "site")
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[path.Join(notice.ReleasesDir, r.Version, filepath.ToSlash(rel))] = b
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("archive of release %s: %w", r.Version, err)
		}
		links[r.Version] = map[string]releaseLink{}
		for lang, p := range archivedPages(dir, r.Version) {
			dirPath := base + "/" + notice.ReleasesDir + "/" + r.Version + "/" + strings.TrimSuffix(p, "index.html")
			l := releaseLink{Href: dirPath}
			if _, ok := files[path.Join(notice.ReleasesDir, r.Version, strings.TrimSuffix(p, "index.html"), "changes/index.html")]; ok {
				l.ChangesHref = dirPath + "changes/"
			}
			links[r.Version][lang] = l
		}
	}
	return files, links, nil
}

// ReleasesJSON is the machine-readable list of released versions that the
// site publishes at .well-known/integritet-releases.json.
func releasesJSON(n *notice.Notice, rs []notice.Release, links map[string]map[string]releaseLink) ([]byte, error) {
	type rel struct {
		Version   string            `json:"version"`
		Date      string            `json:"date"`
		Summary   map[string]string `json:"summary,omitempty"`
		Digest    string            `json:"digest"`
		Revision  string            `json:"revision"`
		Editorial string            `json:"editorial,omitempty"`
		Accepts   []string          `json:"accepts,omitempty"`
		Pages     map[string]string `json:"pages"`
		Changes   map[string]string `json:"changes,omitempty"`
	}
	out := struct {
		Controller string `json:"controller"`
		Current    string `json:"current"`
		Releases   []rel  `json:"releases"`
	}{Controller: n.Controller.Name, Current: n.Meta.Version}
	for _, r := range rs {
		e := rel{Version: r.Version, Date: r.Date.String(), Summary: r.Summary, Digest: r.Digest, Revision: r.Revision, Editorial: r.Editorial, Accepts: r.Accepts, Pages: map[string]string{}}
		for lang, l := range links[r.Version] {
			e.Pages[lang] = abs(n.Meta.BaseURL, l.Href)
			if l.ChangesHref != "" {
				if e.Changes == nil {
					e.Changes = map[string]string{}
				}
				e.Changes[lang] = abs(n.Meta.BaseURL, l.ChangesHref)
			}
		}
		out.Releases = append(out.Releases, e)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	return append(b, '\n'), err
}

var bodyRE = regexp.MustCompile(`<body[^>]*>`)

// markDraft puts a visible "unreleased draft" notice at the top of every
// notice and history page (serve does this instead of refusing).
func (r *renderer) markDraft(out *Output) {
	for _, lang := range r.n.Meta.Languages {
		p := r.newPage(lang, "")
		note := []byte(`<p class="draft" role="status"><strong>` + html.EscapeString(p.T("draft_notice")) + `</strong></p>`)
		for _, f := range []string{p.dir + "index.html", p.dir + "history/index.html"} {
			if b, ok := out.Files[f]; ok {
				if loc := bodyRE.FindIndex(b); loc != nil {
					out.Files[f] = slices.Concat(b[:loc[1]], note, b[loc[1]:])
				}
			}
		}
	}
}
