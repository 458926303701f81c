package preview

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watched are the folders of a site whose changes trigger a rebuild.
var watched = []string{"content", "themes", "i18n", "assets"}

// Watch rebuilds whenever a file under the site's content/, themes/, i18n/
// or assets/ changes, until ctx is done. Bursts of events (an editor's
// write, rename and chmod) within the debounce interval make one build.
// onBuild, when not nil, is called with the result of every build.
func (s *Server) Watch(ctx context.Context, onBuild func(Result)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", s.cfg.Dir, err)
	}
	defer w.Close()
	// The root itself, to see a watched folder appear.
	if err := w.Add(s.cfg.Dir); err != nil {
		return fmt.Errorf("watch %s: %w", s.cfg.Dir, err)
	}
	for _, d := range watched {
		if err := addTree(w, filepath.Join(s.cfg.Dir, d)); err != nil {
			return err
		}
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	close(s.ready)
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			s.log.Warn("watch", "err", err)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if !s.relevant(ev) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					if err := addTree(w, ev.Name); err != nil {
						s.log.Warn("watch", "err", err)
					}
				}
			}
			timer.Reset(s.cfg.Debounce)
		case <-timer.C:
			res := s.Build(ctx)
			if onBuild != nil {
				onBuild(res)
			}
		}
	}
}

// relevant reports whether ev may change the site: a file under a watched
// folder (or the folder itself appearing), not an editor's temporary file,
// not a mere change of permissions.
func (s *Server) relevant(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	rel, err := filepath.Rel(s.cfg.Dir, ev.Name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return false
	}
	top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	isWatched := false
	for _, d := range watched {
		if top == d {
			isWatched = true
		}
	}
	return isWatched && !tempFile(filepath.Base(ev.Name))
}

// tempFile reports whether name is an editor's scratch file: vim's .swp,
// .swx and 4913 probe, backup files ending in ~, Emacs lock files .#name.
func tempFile(name string) bool {
	switch {
	case strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"),
		strings.HasSuffix(name, "~"), strings.HasPrefix(name, ".#"), name == "4913",
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"), name == ".DS_Store":
		return true
	}
	return false
}

// addTree watches dir and every folder below it; a missing dir is fine.
func addTree(w *fsnotify.Watcher, dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		return w.Add(p)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	return nil
}
