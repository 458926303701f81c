package notice

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestReleasesRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rs := []Release{
		{Version: "2026.1", Date: Date{Time: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}, Summary: Text{"sv": `Första "versionen"`, "en": "First\\version"},
			Digest: "sha256:" + strings.Repeat("ab", 32), Revision: "0123456789abcdef"},
		{Version: "2026.2", Date: Date{Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}, Summary: Text{"sv": "Kommatering."},
			Digest: "sha256:" + strings.Repeat("cd", 32), Revision: "fedcba9876543210", Editorial: "Bara kommatering.", Accepts: []string{"0123456789abcdef"}},
	}
	if err := WriteReleases(dir, rs); err != nil {
		t.Fatal(err)
	}
	got, err := ReadReleases(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i].At = Pos{}
	}
	if !reflect.DeepEqual(got, rs) {
		t.Errorf("read back:\n%+v\nwant:\n%+v", got, rs)
	}
	if none, err := ReadReleases(t.TempDir()); none != nil || err != nil {
		t.Errorf("a site without releases: %v, %v", none, err)
	}
}

func TestReleasesRejectsBadEntriesWithPositions(t *testing.T) {
	t.Parallel()
	src := "[[release]]\nversion = \"2026.1\"\ndate = 2026-11-24\ndigest = \"md5:x\"\n\n[[release]]\nversion = \"2026.1\"\ndigest = \"sha256:" + strings.Repeat("0", 64) + "\"\ncolour = \"red\"\n"
	_, err := parseReleases("releases/releases.toml", src)
	var ds Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("error %v is not Diagnostics", err)
	}
	want := []string{
		`releases/releases.toml:4:10: digest "md5:x": want sha256: and 64 lowercase hex digits`,
		`releases/releases.toml:7:11: version "2026.1" is released twice`,
		`releases/releases.toml:9:1: unknown key "colour"`,
	}
	var got []string
	for _, d := range ds {
		if !strings.Contains(d.String(), "date") {
			got = append(got, d.String())
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func FuzzReleases(f *testing.F) {
	if b, err := os.ReadFile("../releases/releases.toml"); err == nil {
		f.Add(string(b))
	}
	f.Add("[[release]]\nversion = 1\n")
	f.Add("[[release]\n")
	f.Add("[[release]]\nversion = \"a\"\ndate = \"2026-13\"\naccepts = [1]\n")
	f.Fuzz(func(t *testing.T, src string) {
		_, err := parseReleases("releases/releases.toml", src)
		if err == nil {
			return
		}
		var ds Diagnostics
		if !errors.As(err, &ds) {
			t.Fatalf("error is not Diagnostics: %v", err)
		}
		for _, d := range ds {
			if d.Pos.File == "" || (d.Pos.Line == 0 && d.Pos.Path == "") {
				t.Fatalf("diagnostic without position or key path: %+v", d)
			}
		}
	})
}

// TestLoadChecksHistoryAgainstReleases: a version listed twice in
// [[history]], or released (releases/releases.toml) without a [[history]]
// entry, is an error at load, at the file:line:col of the entry in
// question; a history that lists each released version once loads.
func TestLoadChecksHistoryAgainstReleases(t *testing.T) {
	t.Parallel()
	entry := func(v, date string) string {
		return "\n[[history]]\nversion = \"" + v + "\"\ndate = " + date + "\nsummary = {sv = \"Ä.\", en = \"C.\"}\n"
	}
	released := func(vs ...string) string {
		var b strings.Builder
		for i, v := range vs {
			fmt.Fprintf(&b, "[[release]]\nversion = %q\ndate = 2026-11-%02d\ndigest = \"sha256:%s\"\nrevision = \"0123456789abcdef\"\n\n", v, 20+i, strings.Repeat("ab", 32))
		}
		return b.String()
	}
	tests := []struct {
		name     string
		history  string
		releases string
		want     []string
	}{
		{"agree", entry("2", "2026-11-21") + entry("1", "2026-11-20"), released("1", "2"), nil},
		{"an unreleased current version is not yet released", entry("3", "2026-11-22") + entry("1", "2026-11-20"), released("1"), nil},
		{"nothing released", entry("1", "2026-11-20"), "", nil},
		{"listed twice", entry("1", "2026-11-20") + entry("1", "2026-11-20"), released("1"),
			[]string{`content/notice.toml:19:11: [[history]] lists version "1" twice (first at content/notice.toml:14:11): keep one entry per version`}},
		{"released, not in the history", entry("2", "2026-11-21"), released("1", "2"),
			[]string{`releases/releases.toml:2:11: version "1" is released, but [[history]] does not list it: add to content/notice.toml a [[history]] entry with version = "1", date = 2026-11-20 and its summary, as released`}},
		{"both, each where it is", entry("2", "2026-11-21") + entry("2", "2026-11-21"), released("1", "2"),
			[]string{
				`content/notice.toml:19:11: [[history]] lists version "2" twice (first at content/notice.toml:14:11): keep one entry per version`,
				`releases/releases.toml:2:11: version "1" is released, but [[history]] does not list it: add to content/notice.toml a [[history]] entry with version = "1", date = 2026-11-20 and its summary, as released`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			write := func(name, src string) {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("content/notice.toml", minimal+tt.history)
			write("content/purposes.toml", purposes)
			if tt.releases != "" {
				write("releases/releases.toml", tt.releases)
			}
			_, err := Load(dir)
			var got []string
			var ds Diagnostics
			if errors.As(err, &ds) {
				for _, d := range ds {
					got = append(got, d.String())
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("load:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
