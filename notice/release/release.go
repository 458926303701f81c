// Package release is what a released version of a notice is and how it
// comes about, in one place: the rules (a released version never changes;
// what consent depends on decides whether a release may be editorial;
// the digest of what a visitor reads names the text), the archive
// (written once by Make, published by every build under any base path),
// and the page of what changed from one version to the next.
//
// The releases file itself (releases/releases.toml) is read and written
// by package notice, which checks the notice's [[history]] against it at
// load. Package site renders; this package takes its renders.
package release

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/integritet/integritet/notice"
)

// versionRE is what a released version may be called: it becomes a path.
var versionRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Candidate is the version to release, as rendered.
type Candidate struct {
	Notice *notice.Notice
	// Digest and Revision are the render's (site.Output).
	Digest, Revision string
	// Draft says how the content differs from its released version of the
	// same number, if it does (site.Output.Draft).
	Draft *UnreleasedError
	// Archive is the render of the version's archive (site.Options.Archive):
	// the files of releases/VERSION/site/.
	Archive map[string][]byte
}

// ErrAlreadyReleased says that the version is released with exactly this
// content: there is nothing to do.
var ErrAlreadyReleased = errors.New("already released with this content")

// Make releases c, a render of the site rooted at dir, whose earlier
// releases are rs (oldest first): it checks the rules, writes the archive
// releases/VERSION/ (the archived pages under site/, the content under
// content/) and appends the release to releases/releases.toml. The archive
// is written beside its final place and renamed into it, and removed again
// if the list cannot be written: a failed release leaves nothing behind.
//
// editorial is legal's reason for releasing a change of consent revision as
// editorial, so that consent given under the revisions before stays valid;
// Make refuses it when what visitors consent to changed beyond its wording
// (notice.ConsentTerms), the same rule by which `integritet diff` says
// visitors must be asked again.
func Make(dir string, rs []notice.Release, c Candidate, editorial string) (notice.Release, error) {
	n := c.Notice
	v := n.Meta.Version
	if !versionRE.MatchString(v) {
		return notice.Release{}, notice.Diagnostics{{Pos: n.Where("notice.version"), Severity: notice.Error,
			Message: fmt.Sprintf("release: version %q: want letters, digits, '.', '-' or '_' (it names the archive folder)", v)}}
	}
	if r, ok := notice.FindRelease(rs, v); ok {
		if r.Digest == c.Digest {
			return r, ErrAlreadyReleased
		}
		msg := fmt.Sprintf("version %s is already released with other content; a released version never changes", v)
		if c.Draft != nil {
			msg += ".\n" + c.Draft.Error()
		}
		return notice.Release{}, errors.New(msg)
	}
	var hist notice.Change
	for _, h := range n.History {
		if h.Version == v {
			hist = h
		}
	}
	if hist.Version == "" || len(hist.Summary) == 0 {
		return notice.Release{}, notice.Diagnostics{{Pos: n.Where("notice.version"), Severity: notice.Error,
			Message: fmt.Sprintf("release %s: add a [[history]] entry with version = %q, its date and a one-line summary in every language; the history page and the list of releases show it", v, v)}}
	}
	date := n.Meta.EffectiveDate
	if date.IsZero() {
		date = hist.Date
	}
	rel := notice.Release{Version: v, Date: date, Summary: hist.Summary, Digest: c.Digest, Revision: c.Revision}
	var prev *notice.Release
	if len(rs) > 0 {
		prev = &rs[len(rs)-1]
	}
	if editorial != "" {
		if prev == nil {
			return notice.Release{}, errors.New("-editorial: there is no earlier release whose consent would stay valid")
		}
		if err := checkEditorial(dir, *prev, n); err != nil {
			return notice.Release{}, err
		}
		rel.Editorial = editorial
		if prev.Revision != rel.Revision {
			rel.Accepts = append(slices.Clone(prev.Accepts), prev.Revision)
		}
	}
	// Nothing that consent depends on changed: what stood before stands
	// (otherwise a release after an editorial one would drop the revisions
	// that one kept valid, and their visitors would be asked again).
	if prev != nil && prev.Revision == rel.Revision {
		rel.Accepts = slices.Clone(prev.Accepts)
	}
	if err := write(dir, rel, c.Archive, append(slices.Clone(rs), rel)); err != nil {
		return notice.Release{}, fmt.Errorf("release %s: %w", v, err)
	}
	return rel, nil
}

// checkEditorial refuses an editorial release of n after prev when what
// visitors consent to changed beyond its wording.
func checkEditorial(dir string, prev notice.Release, n *notice.Notice) error {
	old, err := notice.Load(filepath.Join(dir, notice.ReleasesDir, prev.Version))
	if err != nil {
		return fmt.Errorf("-editorial: load the archived content of %s: %w", prev.Version, err)
	}
	if d := TermChanges(old.ConsentTerms(), n.ConsentTerms()); len(d) > 0 {
		return fmt.Errorf("-editorial: what visitors consent to changed since %s, not only its wording:\n  %s\nConsent given before cannot stand for it: release without -editorial, and visitors are asked again", prev.Version, strings.Join(d, "\n  "))
	}
	return nil
}

// AskedAgain reports whether visitors who consented under revision old are
// asked again on a version of revision new whose release keeps the
// revisions accepts valid (notice.Release.Accepts): the revision changed,
// and no editorial release kept old valid. diff and the page of what
// changed both say it by this rule, as the endpoint accepts by it.
func AskedAgain(old, new string, accepts []string) bool {
	return old != new && !slices.Contains(accepts, old)
}

// KeptBy maps each revision that the release of version in rs keeps valid
// (its Accepts) to the editorial release that recorded why: the newest
// release up to it, of its revision, that was released as editorial and
// accepts that revision. (A release after an editorial one that changes
// nothing consent depends on takes its Accepts over, and its reason with
// them.)
func KeptBy(rs []notice.Release, version string) map[string]notice.Release {
	i := slices.IndexFunc(rs, func(r notice.Release) bool { return r.Version == version })
	if i < 0 {
		return nil
	}
	out := map[string]notice.Release{}
	for _, rev := range rs[i].Accepts {
		for j := i; j >= 0 && rs[j].Revision == rs[i].Revision; j-- {
			if rs[j].Editorial != "" && slices.Contains(rs[j].Accepts, rev) {
				out[rev] = rs[j]
				break
			}
		}
	}
	return out
}

// TermChanges lists how the terms of consent (notice.ConsentTerms) differ
// from old to new, line by line: "- " a line only old has, "+ " one only
// new has, in order. None: consent given under old can stand for new.
func TermChanges(old, new []string) []string {
	var out []string
	for _, e := range align(len(old), len(new), func(i, j int) bool { return old[i] == new[j] }) {
		switch e.op {
		case '-':
			out = append(out, "- "+old[e.i])
		case '+':
			out = append(out, "+ "+new[e.j])
		}
	}
	return out
}

// write writes the archive of rel (its archived pages, and dir's content)
// and then the list of releases rs, which ends with rel.
func write(dir string, rel notice.Release, archive map[string][]byte, rs []notice.Release) error {
	relDir := filepath.Join(dir, notice.ReleasesDir)
	if err := os.MkdirAll(relDir, 0o755); err != nil {
		return err
	}
	final := filepath.Join(relDir, rel.Version)
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("%s exists but %s does not list it; remove it or list it", final, notice.ReleasesFile)
	}
	tmp, err := os.MkdirTemp(relDir, "."+rel.Version+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	files := map[string][]byte{}
	for p, b := range archive {
		files["site/"+p] = b
	}
	contents, err := filepath.Glob(filepath.Join(dir, "content", "*.toml"))
	if err != nil {
		return err
	}
	for _, f := range contents {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		files["content/"+filepath.Base(f)] = b
	}
	for p, b := range files {
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	if err := notice.WriteReleases(dir, rs); err != nil {
		_ = os.RemoveAll(final) // no archive without its entry
		return err
	}
	return nil
}
