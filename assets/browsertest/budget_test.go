package browsertest

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// sizeBudget is the most that the banner may cost a visitor: JS, CSS and one
// language's configuration, each minified and compressed with gzip -9.
const sizeBudget = 4096

func TestBannerFitsSizeBudget(t *testing.T) {
	t.Parallel()
	m := newMinifier()
	parts := []struct{ name, path, mediatype string }{
		{"js", filepath.Join("..", "consent.js"), "application/javascript"},
		{"css", filepath.Join("..", "consent.css"), "text/css"},
		{"config", fixtureDir + "/config.sv.json", ""},
	}
	total := 0
	for _, p := range parts {
		src, err := os.ReadFile(p.path)
		if err != nil {
			t.Fatal(err)
		}
		min := src
		if p.mediatype != "" {
			// m.Bytes may rewrite its input: give it a copy.
			if min, err = m.Bytes(p.mediatype, bytes.Clone(src)); err != nil {
				t.Fatalf("minify %s: %v", p.path, err)
			}
		}
		n := gzipSize(t, min)
		t.Logf("%s: %d bytes, %d minified, %d gzip -9", p.name, len(src), len(min), n)
		total += n
	}
	t.Logf("total gzip -9: %d bytes (budget %d)", total, sizeBudget)
	if total > sizeBudget {
		t.Errorf("banner costs %d bytes gzip, budget is %d", total, sizeBudget)
	}
}

// newMinifier minifies JS and CSS as the build does.
func newMinifier() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	return m
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
