package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// TestRepositoryIsReleased checks that FRAMSTEGET's content reads exactly
// as its released version: `integritet build` on the repository stays
// green. When a change of content, theme or UI strings alters what a
// visitor reads, this fails with what changed: release it as a new version
// (README, "release it").
func TestRepositoryIsReleased(t *testing.T) {
	t.Parallel()
	if _, err := site.Render(context.Background(), "../..", siteOptions("default")); err != nil {
		t.Fatalf("integritet build on the repository: %v", err)
	}
}

// TestArchiveHoldsWhatWasReleased checks every committed release: its
// archived pages and banner texts, read back from releases/VERSION/site,
// have exactly the digest the release recorded, with the archived content.
func TestArchiveHoldsWhatWasReleased(t *testing.T) {
	t.Parallel()
	rs, err := notice.ReadReleases("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("the repository has no releases")
	}
	for _, r := range rs {
		dir := filepath.Join("../..", notice.ReleasesDir, r.Version)
		n, err := notice.Load(dir)
		if err != nil {
			t.Fatalf("%s: archived content: %v", r.Version, err)
		}
		files := map[string][]byte{}
		root := filepath.Join(dir, "site")
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			files[filepath.ToSlash(rel)] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := site.Digest(n, files); got != r.Digest {
			t.Errorf("%s: archived pages have digest %s, the release recorded %s", r.Version, got, r.Digest)
		}
	}
}
