package release

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/integritet/integritet/notice"
)

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
	b.WriteString(HowToRelease)
	return b.String()
}

// HowToRelease says how to publish changed content.
const HowToRelease = "To publish it as a new version: set a new [notice] version and effective_date in content/, add a [[history]] entry for it, and run `integritet release`. `integritet serve` shows the draft meanwhile."

// Status compares a render of the site rooted at dir (its files, and the
// digest of what they say) with the releases rs: nil when the notice's
// version is released with this digest, or when the site has released
// nothing. Otherwise what changed, language by language, against the
// archived pages.
func Status(dir string, n *notice.Notice, rs []notice.Release, digest string, files map[string][]byte) *UnreleasedError {
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
	e.explain(dir, n, files)
	return e
}

// explain fills e.What from the archived pages of the release and the
// current render: for each language, the first place where the visible
// text differs.
func (e *UnreleasedError) explain(dir string, n *notice.Notice, files map[string][]byte) {
	pages := pagesOf(dir, e.Version)
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
