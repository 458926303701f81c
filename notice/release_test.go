package notice

import (
	"errors"
	"os"
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
