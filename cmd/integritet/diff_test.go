package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copySite copies ../../content into a temp site root, applying edits
// (file → old → new).
func copySite(t *testing.T, edits map[string][2]string) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob("../../content/*.toml")
	if len(files) == 0 {
		t.Fatal("no ../../content/*.toml")
	}
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := edits[filepath.Base(f)]; ok {
			if !bytes.Contains(b, []byte(e[0])) {
				t.Fatalf("%s: %q not found", f, e[0])
			}
			b = bytes.Replace(b, []byte(e[0]), []byte(e[1]), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, "content", filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDiffNamesMaterialChangesAndRevision(t *testing.T) {
	t.Parallel()
	old := copySite(t, nil)
	tests := []struct {
		name  string
		edits map[string][2]string
		want  []string
	}{
		{"retention only", map[string][2]string{"retention.toml": {`duration = "P18M"`, `duration = "P24M"`}},
			[]string{"material  retention[paid-invoice].duration: P18M → P24M", "sv: 18 månader → 24 månader", "Visitors must be asked again: no"}},
		{"cookie lifetime", map[string][2]string{"cookies.toml": {`lifetime = "P6M"`, `lifetime = "P12M"`}},
			[]string{"material  cookie[framsteget_consent].lifetime: P6M → P12M", "Visitors must be asked again: yes", "+ cookie framsteget_consent: category necessary, provider FRAMSTEGET, lifetime P12M, path /"}},
		{"wording only", map[string][2]string{"notice.toml": {`Integritetspolicy"`, `Integritetspolicyn"`}},
			[]string{"editorial notice.title: wording changed", "sv: [-Integritetspolicy-] {+Integritetspolicyn+}", "Visitors must be asked again: no"}},
		{"banner text wording", map[string][2]string{"cookies.toml": {`description = {sv = "Hjälper oss att förstå hur webbplatsen används så att vi kan förbättra den."`, `description = {sv = "Delar din surfhistorik med annonsnätverk."`}},
			[]string{"material  consent_category[statistics].description: wording changed", "Visitors must be asked again: unless editorial"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			if err := run(context.Background(), []string{"diff", old, copySite(t, tt.edits)}, &out, &errOut); err != nil {
				t.Fatalf("diff: %v\n%s", err, errOut.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
