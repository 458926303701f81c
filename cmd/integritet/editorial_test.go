package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEditorialRefusedExactlyWhenDiffSaysAskAgain: for each kind of edit
// of a released notice, diff says whether visitors must be asked again
// (yes: what they consent to changed; unless editorial: only its wording;
// no: the revision stands), and `release -editorial` is refused exactly
// when diff says yes. One definition (notice.ConsentTerms) decides both.
func TestEditorialRefusedExactlyWhenDiffSaysAskAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		edit func(t *testing.T, dir string)
		want string // diff's verdict
	}{
		{"a new purpose on consent given in the banner", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content", "ads.toml"), "[[purpose]]\nkey = \"ads\"\ntitle = {sv = \"Annonser\", en = \"Ads\"}\n"+
				"description = {sv = \"Vi mäter annonser.\", en = \"We measure ads.\"}\nbasis = \"consent\"\nconsent = \"marketing\"\n"+
				"data_categories = [\"customer-data\"]\nretention = [\"troubleshooting\"]\n")
		}, "yes"},
		{"a purpose moves to consent", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, "content", "purposes.toml"), "basis = \"legitimate-interests\"\ntitle = {sv = \"Utveckling av tjänster\"",
				"basis = [\"legitimate-interests\", \"consent\"]\nconsent = \"statistics\"\ntitle = {sv = \"Utveckling av tjänster\"")
		}, "yes"},
		{"a cookie's lifetime", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, "content", "cookies.toml"), `lifetime = "P6M"`, `lifetime = "P12M"`)
		}, "yes"},
		{"a cookie's provider", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, "content", "cookies.toml"), `provider = "FRAMSTEGET"`, `provider = "Acme Analytics"`)
		}, "yes"},
		{"a category added", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "content", "cookies.toml")
			writeFile(t, p, readFile(t, p)+"\n[[consent_category]]\nkey = \"preferences\"\ntitle = {sv = \"Inställningar\", en = \"Preferences\"}\n"+
				"description = {sv = \"Kommer ihåg dina val.\", en = \"Remembers your choices.\"}\n")
		}, "yes"},
		{"a category's description, wording only", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, "content", "cookies.toml"), "används så att vi", "används, så att vi")
		}, "unless editorial"},
		{"a cookie's purpose, wording only", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, "content", "cookies.toml"), "så att vi inte frågar igen.", "så att vi slipper fråga igen.")
		}, "unless editorial"},
		{"the banner's own text, from the site's i18n", func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, "i18n"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "i18n", "sv.toml"), "banner_reject = \"Neka alla\"\n")
		}, "unless editorial"},
		{"a retention period", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, "content", "retention.toml"), `duration = "P18M"`, `duration = "P2Y"`)
		}, "no"},
	}
	verdictRE := regexp.MustCompile(`(?m)^Visitors must be asked again: (yes|unless editorial|no)\b`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			copyDir(t, "../../releases/2026.1/content", filepath.Join(dir, "content"))
			mustRun(t, ctx, "release", "-source", dir)
			tt.edit(t, dir)
			n := filepath.Join(dir, "content", "notice.toml")
			editFile(t, n, `version = "2026.1"`, `version = "2026.2"`)
			writeFile(t, n, readFile(t, n)+"\n[[history]]\nversion = \"2026.2\"\ndate = 2026-12-01\nsummary = {sv = \"Ändrat.\", en = \"Changed.\"}\n")

			var out, errOut bytes.Buffer
			if err := run(ctx, []string{"diff", "-color", "never", filepath.Join(dir, "releases", "2026.1"), dir}, &out, &errOut); err != nil {
				t.Fatalf("diff: %v\n%s", err, errOut.String())
			}
			m := verdictRE.FindStringSubmatch(out.String())
			if m == nil || m[1] != tt.want {
				t.Fatalf("diff says:\n%s\nwant \"Visitors must be asked again: %s\"", out.String(), tt.want)
			}
			out.Reset()
			errOut.Reset()
			err := run(ctx, []string{"release", "-source", dir, "-editorial", "Legal says so."}, &out, &errOut)
			if refused := err != nil; refused != (m[1] == "yes") {
				t.Fatalf("diff says %q, release -editorial refused = %v (%v):\n%s%s", m[1], refused, err, out.String(), errOut.String())
			}
			if err != nil {
				if !strings.Contains(errOut.String(), "what visitors consent to changed since 2026.1, not only its wording") {
					t.Errorf("refusal does not say why:\n%s", errOut.String())
				}
				if _, err := os.Stat(filepath.Join(dir, "releases", "2026.2")); err == nil {
					t.Error("a refused release left its archive behind")
				}
			}
		})
	}
}
