package main

import (
	"bytes"
	"context"
	"html"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryReferenceResolves is a link checker over whole built sites:
// every href, src, srcset and meta refresh of every page, the archived
// versions and the pages of what changed included, and the banner
// configuration's link to the notice, resolved as a browser would against
// the page's URL, must name a file of the build (a folder: its
// index.html), on the site's host and under its base path; a fragment
// must name an id or name in the page it points to. Each site is
// released at the root and then built at the root and under a path, as
// a new user does: FRAMSTEGET with the archives in the repository
// (written by an earlier integritet), FRAMSTEGET's first version released
// twice by this one, and the example web shop in three languages,
// released twice.
func TestEveryReferenceResolves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	type site struct {
		name string
		make func(t *testing.T) (dir, baseURL string)
	}
	// released twice: release, change a retention period under a new
	// version, release again.
	releasedTwice := func(content, oldDur, newDur, next, date, summary string) func(t *testing.T) (string, string) {
		return func(t *testing.T) (string, string) {
			dir := t.TempDir()
			copyDir(t, content, filepath.Join(dir, "content"))
			mustRun(t, ctx, "release", "-source", dir)
			n := readFile(t, filepath.Join(dir, "content", "notice.toml"))
			v := regexp.MustCompile(`(?m)^version = "([^"]+)"$`).FindStringSubmatch(n)[1]
			n = strings.Replace(n, `version = "`+v+`"`, `version = "`+next+`"`, 1)
			n = regexp.MustCompile(`(?m)^effective_date = .*$`).ReplaceAllString(n, "effective_date = "+date)
			n += "\n[[history]]\nversion = \"" + next + "\"\ndate = " + date + "\nsummary = " + summary + "\n"
			writeFile(t, filepath.Join(dir, "content", "notice.toml"), n)
			editFile(t, filepath.Join(dir, "content", "retention.toml"), `duration = "`+oldDur+`"`, `duration = "`+newDur+`"`)
			mustRun(t, ctx, "release", "-source", dir)
			return dir, baseURLOf(t, dir)
		}
	}
	sites := []site{
		{"framsteget as committed", func(t *testing.T) (string, string) {
			dir := t.TempDir()
			copyDir(t, "../../content", filepath.Join(dir, "content"))
			copyDir(t, "../../releases", filepath.Join(dir, "releases"))
			return dir, baseURLOf(t, dir)
		}},
		{"framsteget 2026.1 released twice", releasedTwice("../../releases/2026.1/content", "P18M", "P2Y", "2026.2", "2026-12-01",
			`{sv = "Ny lagringstid.", en = "A new retention period."}`)},
		{"webshop released twice", releasedTwice("../../examples/webshop/content", "P3Y", "P2Y", "2026.3", "2026-12-01",
			`{sv = "Ny lagringstid.", en = "A new retention period.", de = "Eine neue Speicherfrist."}`)},
	}
	for _, s := range sites {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			dir, released := s.make(t)
			for _, base := range []string{released, "https://example.se/legal/", "https://example.se/"} {
				editFile(t, filepath.Join(dir, "content", "notice.toml"), `base_url = "`+baseURLOf(t, dir)+`"`, `base_url = "`+base+`"`)
				out := filepath.Join(t.TempDir(), "public")
				mustRun(t, ctx, "build", "-source", dir, "-out", out)
				checkLinks(t, base, out)
			}
		})
	}
}

// checkLinks follows every reference of every page under out, published
// at base.
func checkLinks(t *testing.T, base, out string) {
	t.Helper()
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	prefix := strings.TrimSuffix(b.Path, "/") + "/"
	files := map[string][]byte{}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]int{} // page → references checked
	for p, page := range files {
		var refs []string
		switch {
		case strings.HasSuffix(p, ".html"):
			refs = references(page)
		case strings.HasPrefix(p, "assets/consent-config.") && strings.HasSuffix(p, ".json"):
			if m := regexp.MustCompile(`"notice":"([^"]*)"`).FindSubmatch(page); m != nil {
				refs = []string{string(m[1])}
			}
		default:
			continue
		}
		// A page names itself and its languages on the site's host.
		for _, m := range canonicalRE.FindAllSubmatch(page, -1) {
			if u, err := url.Parse(html.UnescapeString(string(m[1]))); err != nil || u.Host != b.Host || !strings.HasPrefix(u.Path, prefix) {
				t.Errorf("%s: canonical or alternate link %s is not on the site at %s", p, m[1], base)
			}
		}
		// The page's URL: a folder's index.html is the folder.
		pageURL := b.ResolveReference(&url.URL{Path: prefix + strings.TrimSuffix(p, "index.html")})
		if strings.HasSuffix(p, ".json") {
			pageURL = b.ResolveReference(&url.URL{Path: prefix}) // used from any page
		}
		for _, ref := range refs {
			r, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s: reference %q: %v", p, ref, err)
				continue
			}
			u := pageURL.ResolveReference(r)
			if u.Scheme != "http" && u.Scheme != "https" || u.Host != b.Host {
				continue // mailto:, another site
			}
			checked[p]++
			target, ok := strings.CutPrefix(u.Path, prefix)
			if !ok && u.Path+"/" != prefix {
				t.Errorf("%s: %q goes to %s, outside the site under %s", p, ref, u.Path, prefix)
				continue
			}
			if target == "" || strings.HasSuffix(target, "/") {
				target += "index.html"
			}
			tb, ok := files[target]
			if !ok {
				t.Errorf("%s: %q is %s: not found (404)", p, ref, u)
				continue
			}
			if f := u.Fragment; f != "" && strings.HasSuffix(target, ".html") && !bytes.Contains(tb, []byte(`id="`+f+`"`)) && !bytes.Contains(tb, []byte(`name="`+f+`"`)) {
				t.Errorf("%s: %q: %s has no element with id %q", p, ref, target, f)
			}
		}
	}
	// Every page was checked, the archived ones and the changes pages
	// among them.
	var archived, changes int
	for p := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if checked[p] == 0 {
			t.Errorf("%s: no reference checked", p)
		}
		if strings.HasPrefix(p, "releases/") {
			archived++
			if strings.HasSuffix(p, "/changes/index.html") {
				changes++
			}
		}
	}
	if archived < 4 || changes < 2 {
		t.Errorf("%d archived pages, %d changes pages: the releases were not published", archived, changes)
	}
}

var (
	canonicalRE = regexp.MustCompile(`<link rel="(?:canonical|alternate)"[^>]*href="([^"]+)"`)
	tagRE       = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	attrRE      = regexp.MustCompile(`\s(href|src|srcset|action|poster|content)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
)

// references are the URLs a page refers to.
func references(page []byte) []string {
	var out []string
	for _, tag := range tagRE.FindAll(page, -1) {
		isRefresh := bytes.Contains(bytes.ToLower(tag), []byte(`http-equiv="refresh"`))
		for _, m := range attrRE.FindAllSubmatch(tag, -1) {
			v := html.UnescapeString(strings.Trim(string(m[2]), `"'`))
			switch string(m[1]) {
			case "content":
				if _, u, ok := strings.Cut(v, "url="); ok && isRefresh {
					out = append(out, u)
				}
			case "srcset":
				for _, c := range strings.Split(v, ",") {
					if f := strings.Fields(c); len(f) > 0 {
						out = append(out, f[0])
					}
				}
			default:
				out = append(out, v)
			}
		}
	}
	return out
}

func mustRun(t *testing.T, ctx context.Context, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(ctx, args, &out, &errOut); err != nil {
		t.Fatalf("integritet %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
}

func baseURLOf(t *testing.T, dir string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^base_url = "([^"]*)"`).FindStringSubmatch(readFile(t, filepath.Join(dir, "content", "notice.toml")))
	if m == nil {
		t.Fatalf("%s: no base_url", dir)
	}
	return m[1]
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", from, to).CombinedOutput(); err != nil {
		t.Fatalf("cp -r %s %s: %v %s", from, to, err, out)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
