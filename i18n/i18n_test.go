package i18n

import (
	"io/fs"
	"regexp"
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
		if lang, variant, ok := strings.Cut(strings.TrimSuffix(f, ".toml"), "."); ok {
			// A register's variant (de.informal.toml) holds only the
			// strings that differ from its language's file.
			if _, err := fs.Stat(FS, lang+".toml"); err != nil {
				t.Errorf("%s: a %s variant of %s, which has no file", f, variant, lang)
			}
			for _, k := range got {
				if !slices.Contains(want, k) {
					t.Errorf("%s has %q, which en.toml lacks", f, k)
				}
			}
			continue
		}
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

// formalRE finds the German formal address (Sie, Ihr, Ihnen) as words.
var formalRE = regexp.MustCompile(`\b(Sie|Ihr|Ihre|Ihrer|Ihrem|Ihren|Ihres|Ihnen)\b`)

// TestInformalGermanSaysDu checks de.informal.toml against de.toml: every
// string that addresses the reader as "Sie" has its "du" form, and no
// informal string says "Sie", so that register = "informal" needs no
// string of the site's own. draft_notice speaks to the editor.
func TestInformalGermanSaysDu(t *testing.T) {
	t.Parallel()
	read := func(name string) map[string]string {
		b, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out := map[string]string{}
		for k, v := range m {
			switch x := v.(type) {
			case string:
				out[k] = x
			case map[string]any:
				out[k], _ = x["other"].(string)
			}
		}
		return out
	}
	formal, informal := read("de.toml"), read("de.informal.toml")
	for k, s := range formal {
		if formalRE.MatchString(s) && k != "draft_notice" && informal[k] == "" {
			t.Errorf("de.toml %s says %q: de.informal.toml lacks its du form", k, s)
		}
	}
	for k, s := range informal {
		if m := formalRE.FindString(s); m != "" {
			t.Errorf("de.informal.toml %s says %q: %s", k, m, s)
		}
		if s == formal[k] {
			t.Errorf("de.informal.toml %s is the same as de.toml's: leave it out", k)
		}
	}
}
