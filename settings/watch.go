package settings

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchDebounce is how long Watch waits after the last change to a file
// before resolving again, so that a burst of writes (an editor saving, a
// tool rewriting a file in pieces) gives one resolution.
const WatchDebounce = 100 * time.Millisecond

// Watch resolves the settings, calls fn with the result, then watches every
// file the resolution read or could read: .env, prefect.toml and
// pyproject.toml in the working directory, and the profiles file (the
// default ~/.prefect/profiles.toml when none exists yet); for a container
// (Options.Container), the files it was read from, which Watch reads again
// with Container.Reload, and the files of this machine it sees. Files are watched
// through their directories, so files created later and atomic replaces
// (write a temporary file, rename it over the old one) are seen.
// A file that is a symbolic link is watched at its target too, and a link
// swapped in its directory (a Kubernetes ConfigMap update) is seen.
//
// After a burst of changes Watch resolves again and calls fn with the new
// result only when an effective value changed (Result.Diff says which).
// When the new resolution is invalid, as a file caught half-written can
// be, fn gets the error and a nil Result; the previous result stays in
// force, and the next valid resolution is delivered even when it equals the
// previous one. An invalid first resolution is delivered the same way.
//
// fn is called from the goroutine that called Watch, one call at a time.
// Watch returns nil when ctx is done, or the error that stopped it from
// watching.
func Watch(ctx context.Context, opts Options, fn func(*Result, error)) error {
	o, _, err := opts.resolved()
	if err != nil {
		return fmt.Errorf("resolving settings: %w", err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching settings files: %w", err)
	}
	defer w.Close()

	// Watch the working directory before the first resolution, so that
	// nothing written while it runs is missed.
	ws := &watchSet{w: w, dirs: map[string]bool{}}
	ws.update(watchedFiles(o, nil))
	r, err := Load(o)
	ws.update(watchedFiles(o, r))
	cur, failed := r, err != nil
	if failed {
		cur, r = nil, nil
	}
	fn(r, err)

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return errors.New("watching settings files: watcher closed")
			}
			if ws.relevant(ev.Name) {
				timer.Reset(WatchDebounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return errors.New("watching settings files: watcher closed")
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				timer.Reset(WatchDebounce) // events were lost: resolve again
				continue
			}
			return fmt.Errorf("watching settings files: %w", err)
		case <-timer.C:
			var r *Result
			reloaded, err := o.reloaded()
			if err == nil {
				o = reloaded
				r, err = Load(o)
			}
			if ws.update(watchedFiles(o, r)) {
				// A directory appeared: what was written in it before
				// the watch began is seen by resolving once more.
				timer.Reset(WatchDebounce)
			}
			if err != nil {
				fn(nil, err)
				failed = true
				continue
			}
			if failed || len(r.Diff(cur)) > 0 {
				cur, failed = r, false
				fn(r, nil)
			}
		}
	}
}

// watchedFiles lists the files a resolution read or could read.
func watchedFiles(o Options, r *Result) []string {
	if o.Container != nil {
		return o.Container.watched(r)
	}
	files := []string{
		filepath.Join(o.Dir, ".env"),
		filepath.Join(o.Dir, "prefect.toml"),
		filepath.Join(o.Dir, "pyproject.toml"),
	}
	if r != nil {
		switch pf := r.ProfilesFile; {
		case !pf.Packaged && pf.Path != "":
			p := pf.Path
			if !filepath.IsAbs(p) {
				p = filepath.Join(o.Dir, p)
			}
			files = append(files, p)
		case pf.Why == "no profiles file" && o.Home != "":
			files = append(files, filepath.Join(o.Home, ".prefect", "profiles.toml"))
		}
	}
	return files
}

// watchSet is the directories watched for a set of files. A directory that
// does not exist yet is watched through its nearest existing ancestor, so
// its creation is seen.
type watchSet struct {
	w     *fsnotify.Watcher
	dirs  map[string]bool // directories added to the watcher
	files map[string]bool // the files, and the missing directories leading to them
	anyIn map[string]bool // directories where any change counts: those holding a link
}

// update watches the directories of files, and stops watching the ones no
// longer needed. A file that is a symbolic link is also watched at its
// target, and any change in the link's directory counts, since that is
// where a link swap happens (Kubernetes updates a mounted ConfigMap by
// renaming a link to a new directory over the old one). update reports
// whether it began watching a directory.
func (ws *watchSet) update(files []string) (added bool) {
	want := map[string]bool{}
	ws.files, ws.anyIn = map[string]bool{}, map[string]bool{}
	for _, f := range files {
		f = filepath.Clean(f)
		ws.add(f, want)
		if st, err := os.Lstat(f); err == nil && st.Mode()&os.ModeSymlink != 0 {
			ws.anyIn[filepath.Dir(f)] = true
			if real, err := filepath.EvalSymlinks(f); err == nil && real != f {
				ws.add(real, want)
			}
		}
	}
	for d := range ws.dirs {
		if !want[d] {
			ws.w.Remove(d)
			delete(ws.dirs, d)
		}
	}
	for d := range want {
		if !ws.dirs[d] && ws.w.Add(d) == nil {
			ws.dirs[d] = true
			added = true
		}
	}
	return added
}

// add files f as relevant, and its directory, or the nearest existing
// ancestor when that does not exist yet, as wanted.
func (ws *watchSet) add(f string, want map[string]bool) {
	ws.files[f] = true
	dir := filepath.Dir(f)
	for {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			break
		}
		ws.files[dir] = true // its creation matters
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	want[dir] = true
}

// relevant reports whether an event on name can change the settings.
func (ws *watchSet) relevant(name string) bool {
	name = filepath.Clean(name)
	return ws.files[name] || ws.anyIn[filepath.Dir(name)]
}
