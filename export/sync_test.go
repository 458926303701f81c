package export_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/integritet/integritet/export"
	"github.com/integritet/integritet/lint"
	"github.com/integritet/integritet/site"
)

// siteWith copies the shipped content/ into a temp site root, replacing old
// by new in file (when file is not empty).
func siteWith(t *testing.T, file, old, new string) string {
	t.Helper()
	return siteFrom(t, "..", file, old, new)
}

// siteFrom is siteWith for the site at root.
func siteFrom(t *testing.T, root, file, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(root, "content", "*.toml"))
	if len(files) == 0 {
		t.Fatalf("no %s/content/*.toml", root)
	}
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(f) == file {
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("%s: %q not found", f, old)
			}
			b = bytes.Replace(b, []byte(old), []byte(new), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, "content", filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestOneRetentionChangeChangesEverythingThatStatesIt is the sync the
// issue asks for: one duration changed in TOML changes the Swedish and
// English pages, the retention export and the JSON-LD together, and nothing
// else.
func TestOneRetentionChangeChangesEverythingThatStatesIt(t *testing.T) {
	t.Parallel()
	opts := site.Options{Check: lint.Check, Exports: export.Public, JSONLD: export.JSONLD}
	render := func(dir string) map[string][]byte {
		out, err := site.Render(context.Background(), dir, opts)
		if err != nil {
			t.Fatalf("render %s: %v", dir, err)
		}
		return out.Files
	}
	before := render(siteWith(t, "", "", ""))
	after := render(siteWith(t, "retention.toml", `duration = "P18M"`, `duration = "P24M"`))

	var changed []string
	for p, b := range before {
		if a, ok := after[p]; !ok || !bytes.Equal(a, b) {
			changed = append(changed, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	want := []string{"en/privacy-notice/index.html", "exports/notice.jsonld", "exports/retention.csv", "exports/retention.json", "sv/integritetspolicy/index.html"}
	if !slices.Equal(changed, want) {
		t.Errorf("changed files:\n%q\nwant\n%q", changed, want)
	}
	for _, c := range []struct{ path, old, new string }{
		{"sv/integritetspolicy/index.html", "18 månader", "24 månader"},
		{"en/privacy-notice/index.html", "18 months", "24 months"},
		{"exports/retention.json", `"P18M"`, `"P24M"`},
		{"exports/retention.csv", ",P18M,", ",P24M,"},
		{"exports/notice.jsonld", `"P18M"`, `"P24M"`},
	} {
		if !bytes.Contains(before[c.path], []byte(c.old)) || bytes.Contains(after[c.path], []byte(c.old)) || !bytes.Contains(after[c.path], []byte(c.new)) {
			t.Errorf("%s: want %q replaced by %q", c.path, c.old, c.new)
		}
	}
}

// TestWebshopSyncsToo runs the same sync on the example web shop, in its
// three languages: one retention period changed in TOML changes the three
// pages, the retention export and the JSON-LD, and nothing else.
func TestWebshopSyncsToo(t *testing.T) {
	t.Parallel()
	opts := site.Options{Check: lint.Check, Exports: export.Public, JSONLD: export.JSONLD}
	render := func(dir string) map[string][]byte {
		out, err := site.Render(context.Background(), dir, opts)
		if err != nil {
			t.Fatalf("render %s: %v", dir, err)
		}
		return out.Files
	}
	root := filepath.Join("..", "examples", "webshop")
	before := render(siteFrom(t, root, "", "", ""))
	after := render(siteFrom(t, root, "retention.toml", `duration = "P14M"`, `duration = "P13M"`))
	var changed []string
	for p, b := range before {
		if a, ok := after[p]; !ok || !bytes.Equal(a, b) {
			changed = append(changed, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	want := []string{"de/datenschutz/index.html", "en/privacy-notice/index.html", "exports/notice.jsonld", "exports/retention.csv", "exports/retention.json", "sv/integritetspolicy/index.html"}
	if !slices.Equal(changed, want) {
		t.Errorf("changed files:\n%q\nwant\n%q", changed, want)
	}
	for _, c := range []struct{ path, old, new string }{
		{"sv/integritetspolicy/index.html", "14 månader", "13 månader"},
		{"en/privacy-notice/index.html", "14 months", "13 months"},
		{"de/datenschutz/index.html", "14 Monate", "13 Monate"},
		{"exports/retention.csv", ",P14M,", ",P13M,"},
	} {
		if !bytes.Contains(before[c.path], []byte(c.old)) || bytes.Contains(after[c.path], []byte(c.old)) || !bytes.Contains(after[c.path], []byte(c.new)) {
			t.Errorf("%s: want %q replaced by %q", c.path, c.old, c.new)
		}
	}
}
