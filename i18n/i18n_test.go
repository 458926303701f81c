package i18n

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestEveryLanguageHasEveryString checks that each built-in file parses and
// holds exactly the message ids of en.toml, so that no language falls back
// to another one's words. Number words (number_N, for {duration.words}) are
// optional: where a language has none, the digit is shown.
func TestEveryLanguageHasEveryString(t *testing.T) {
	t.Parallel()
	ids := func(name string) []string {
		b, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var out []string
		for k := range m {
			if !strings.HasPrefix(k, "number_") {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	want := ids("en.toml")
	files, _ := fs.Glob(FS, "*.toml")
	if len(files) < 3 {
		t.Fatalf("only %v", files)
	}
	for _, f := range files {
		got := ids(f)
		for _, k := range want {
			if !slices.Contains(got, k) {
				t.Errorf("%s lacks %q", f, k)
			}
		}
		for _, k := range got {
			if !slices.Contains(want, k) {
				t.Errorf("%s has %q, which en.toml lacks", f, k)
			}
		}
	}
}
