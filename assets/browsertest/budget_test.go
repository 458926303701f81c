package browsertest

import (
	"bytes"
	"compress/gzip"
	"path"
	"slices"
	"testing"
)

// sizeBudget is the most that the banner may cost a visitor: JS, CSS and one
// language's configuration, as the build ships them (minified), each
// compressed with gzip -9.
const sizeBudget = 5120

func TestBannerFitsSizeBudget(t *testing.T) {
	t.Parallel()
	out := render(t, repoRoot)
	parts := []struct{ name, pattern string }{
		{"js", "assets/consent.*.js"},
		{"css", "assets/consent.*.css"},
		{"config", "assets/consent-config.sv.json"},
	}
	total := 0
	for _, p := range parts {
		var found []string
		for name := range out.Files {
			if ok, _ := path.Match(p.pattern, name); ok {
				found = append(found, name)
			}
		}
		if len(found) != 1 {
			slices.Sort(found)
			t.Fatalf("the build wrote %d files matching %s, want 1: %v", len(found), p.pattern, found)
		}
		b := out.Files[found[0]]
		n := gzipSize(t, b)
		t.Logf("%s (%s): %d bytes, %d gzip -9", p.name, found[0], len(b), n)
		total += n
	}
	t.Logf("total gzip -9: %d bytes (budget %d)", total, sizeBudget)
	if total > sizeBudget {
		t.Errorf("banner costs %d bytes gzip, %d over the budget of %d", total, total-sizeBudget, sizeBudget)
	}
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}
