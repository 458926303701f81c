package browsertest

import (
	"bytes"
	"os/exec"
	"path"
	"slices"
	"strings"
	"testing"
)

// sizeBudget is the most that the banner may cost a visitor: JS, CSS and one
// language's configuration, as the build ships them (minified), each file
// compressed on its own as `gzip -9n` does (no file name, no time stamp),
// the way a static host precompresses them.
const sizeBudget = 5120

// settingsBudget is the most that opening the settings may add: the
// settings layer's script (with one language's categories and texts) and
// stylesheet, loaded when the settings are first opened.
const settingsBudget = 2048

func TestBannerFitsSizeBudget(t *testing.T) {
	t.Parallel()
	gz, err := exec.LookPath("gzip")
	if err != nil {
		missing(t, "gzip")
	}
	out := render(t, repoRoot)
	file := func(pattern string) (string, []byte) {
		t.Helper()
		var found []string
		for name := range out.Files {
			if ok, _ := path.Match(pattern, name); ok {
				found = append(found, name)
			}
		}
		if len(found) != 1 {
			slices.Sort(found)
			t.Fatalf("the build wrote %d files matching %s, want 1: %v", len(found), pattern, found)
		}
		return found[0], out.Files[found[0]]
	}
	// The configuration a visitor gets is the block in the snippet.
	_, snippet := file("assets/snippet.sv.html")
	m := configBlock.FindSubmatch(snippet)
	if m == nil {
		t.Fatal("snippet.sv.html has no integritet-config block")
	}
	jsName, js := file("assets/consent.*.js")
	cssName, css := file("assets/consent.*.css")
	parts := []struct {
		name, file string
		b          []byte
	}{
		{"js", jsName, js},
		{"css", cssName, css},
		{"config", "the snippet's integritet-config block (sv)", m[1]},
	}
	total := 0
	for _, p := range parts {
		n := gzipSize(t, gz, p.b)
		t.Logf("%s (%s): %d bytes, %d gzip -9n", p.name, p.file, len(p.b), n)
		total += n
	}
	t.Logf("total gzip -9n: %d bytes (budget %d)", total, sizeBudget)
	if total > sizeBudget {
		t.Errorf("banner costs %d bytes gzip, %d over the budget of %d", total, total-sizeBudget, sizeBudget)
	}
	sjsName, sjs := file("assets/consent-settings.sv.*.js")
	scssName, scss := file("assets/consent-settings.*.css")
	settings := 0
	for _, p := range []struct {
		name string
		b    []byte
	}{{sjsName, sjs}, {scssName, scss}} {
		n := gzipSize(t, gz, p.b)
		t.Logf("settings layer (%s): %d bytes, %d gzip -9n", p.name, len(p.b), n)
		settings += n
	}
	t.Logf("settings layer gzip -9n: %d bytes (budget %d)", settings, settingsBudget)
	if settings > settingsBudget {
		t.Errorf("the settings layer costs %d bytes gzip, %d over its budget of %d", settings, settings-settingsBudget, settingsBudget)
	}
	// The snippet links the settings layer that the build wrote.
	if !bytes.Contains(m[1], []byte(`"/`+sjsName+`"`)) || !bytes.Contains(m[1], []byte(`"/`+scssName+`"`)) {
		t.Errorf("the snippet's configuration does not name %s and %s: %s", sjsName, scssName, m[1])
	}
}

// gzipSize is the size of b compressed by `gzip -9n`.
func gzipSize(t *testing.T, gz string, b []byte) int {
	t.Helper()
	cmd := exec.Command(gz, "-9n", "-c")
	cmd.Stdin = bytes.NewReader(b)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	z, err := cmd.Output()
	if err != nil {
		t.Fatalf("gzip -9n: %v %s", err, stderr.String())
	}
	return len(z)
}
