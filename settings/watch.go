package settings

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/strata-settings/strata/detect"
	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/sources"
)

// WatchDebounce is how long Watch waits after the last change to a file
// before resolving again, so that a burst of writes (an editor saving, a
// tool rewriting a file in pieces) gives one resolution.
const WatchDebounce = 100 * time.Millisecond

// WatchMaxDelay bounds how long changes that keep coming postpone the
// resolution: a file rewritten more often than WatchDebounce is still
// resolved at least this often.
const WatchMaxDelay = 10 * WatchDebounce

// maxSettle bounds the resolutions Watch makes before its first delivery
// while each one leads it to watch a new directory.
const maxSettle = 8

// Watch resolves the settings, calls fn with the result, then watches every
// file the resolution read or could read: .env, prefect.toml and
// pyproject.toml in the working directory, the profiles file (the default
// ~/.prefect/profiles.toml when none exists yet), and the files that chose
// the release (the virtualenv's metadata, lock files, requirements files,
// pins: see package detect). Files are watched through their directories,
// so files created later and atomic replaces (write a temporary file,
// rename it over the old one) are seen. Every symbolic link on the way to
// a file, in its directories or the file itself, is watched too, so that a
// link swapped (a Kubernetes ConfigMap update, ~/.prefect or the working
// directory pointing to another directory) is seen; a watched directory
// deleted, moved away or replaced is watched again where it now is. For a
// container (Options.Container), the files are those it was read from,
// which Watch reads again with Container.Reload, and the files of this
// machine it sees.
//
// After a burst of changes (WatchDebounce after the last, WatchMaxDelay at
// most after the first) Watch resolves again and calls fn with the new
// result only when an effective value changed (Result.Diff says which).
// A directory the system refuses to watch (its limit on watches reached,
// no permission) is a warning in the Warnings of the next result
// delivered, once: fn is then called even when no value changed. Changes
// there are not seen; each later resolution tries to watch it again.
//
// When the new resolution is invalid, as a file caught half-written can
// be, fn gets the error and a nil Result; the previous result stays in
// force, and the next valid resolution is delivered even when it equals the
// previous one. A profiles file that is not valid TOML is such an error
// here, though Load only warns about it (as Prefect does, applying no
// profile): an edit must not silently drop the profile's URL and key. An
// invalid first resolution is delivered the same way.
//
// fn is called from the goroutine that called Watch, one call at a time.
// Watch returns nil when ctx is done, or the error that stopped it from
// watching.
func Watch(ctx context.Context, opts Options, fn func(*Result, error)) error {
	o, _, err := opts.fill()
	if err != nil {
		return fmt.Errorf("resolving settings: %w", err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching settings files: %w", err)
	}
	defer w.Close()

	// Watch the working directory before the first resolution, then
	// resolve until the resolution reads no file outside the watch, so
	// that nothing written meanwhile (in the profiles directory, which
	// only the resolution names) is missed.
	ws := newWatchSet(w)
	ws.update(watchedFiles(o, nil))
	r, err := Load(o)
	if afterFirstLoad != nil {
		afterFirstLoad()
	}
	for i := 0; ws.update(watchedFiles(o, r)) && i < maxSettle; i++ {
		r, err = Load(o)
	}
	var cur *Result
	failed := true
	deliver := func(r *Result, err error) {
		if err == nil {
			err = r.invalidForWatch()
		}
		if err != nil {
			failed = true
			fn(nil, err)
			return
		}
		refused := ws.refusals()
		r.Warnings = append(r.Warnings, refused...)
		if failed || len(refused) > 0 || len(r.Diff(cur)) > 0 {
			cur, failed = r, false
			fn(r, nil)
		}
	}
	deliver(r, err)

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	var deadline time.Time // when the burst under way must be resolved; zero: none
	settle := 0            // resolutions in a row made because a directory was watched anew
	wait := func() {
		now := time.Now()
		if deadline.IsZero() {
			deadline = now.Add(WatchMaxDelay)
		}
		timer.Reset(max(0, min(WatchDebounce, deadline.Sub(now))))
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return errors.New("watching settings files: watcher closed")
			}
			if ws.relevant(ev.Name) {
				settle = 0
				wait()
			}
		case err, ok := <-w.Errors:
			if !ok {
				return errors.New("watching settings files: watcher closed")
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				settle = 0
				wait() // events were lost: resolve again
				continue
			}
			return fmt.Errorf("watching settings files: %w", err)
		case <-timer.C:
			deadline = time.Time{}
			var r *Result
			reloaded, err := o.reloaded() // a container: read again from its files
			if err == nil {
				o = reloaded
				r, err = Load(o)
			}
			if ws.update(watchedFiles(o, r)) && settle < maxSettle {
				// A directory is watched anew: what was written in it
				// before the watch began is seen by resolving once more.
				settle++
				wait()
			}
			deliver(r, err)
		}
	}
}

// afterFirstLoad, set by a test, runs between Watch's first resolution and
// the watch on the files it read.
var afterFirstLoad func()

// invalidForWatch returns, as an ErrorList, what makes r a state Watch
// must not deliver as settings: a profiles file that is not valid TOML.
func (r *Result) invalidForWatch() error {
	if r.profilesInvalid == nil {
		return nil
	}
	var l ErrorList
	l.addSource(sources.Profile, r.profilesInvalid)
	return l.Err()
}

// watchList is what a resolution read or could read: files, and names
// matching a pattern in a directory.
type watchList struct {
	files    []string
	patterns []detect.Pattern
	partial  bool // not known from a resolution: the files of the last one still count
}

// watchedFiles lists the files a resolution read or could read. Without a
// result (before the first resolution, or one that failed before reading
// the files, on a bad release), the working directory's files, the default
// profiles file and the files that choose the release.
func watchedFiles(o Options, r *Result) watchList {
	if o.Container != nil {
		l := watchList{files: o.Container.watched(r), partial: r == nil}
		if r != nil {
			l.files, l.patterns = append(l.files, r.Prefect.Read...), r.Prefect.Listed
		}
		return l
	}
	l := watchList{files: []string{
		pypath.Join(o.Dir, ".env"),
		pypath.Join(o.Dir, "prefect.toml"),
		pypath.Join(o.Dir, "pyproject.toml"),
	}}
	defaultProfiles := pypath.Join(o.Home, ".prefect/profiles.toml")
	if r == nil {
		v := o.Versions()
		l.files = append(append(l.files, defaultProfiles), v.Read...)
		l.patterns, l.partial = v.Listed, true
		return l
	}
	switch pf := r.ProfilesFile; {
	case !pf.Packaged && pf.Path != "":
		p := pf.Path
		l.files = append(l.files, pypath.Join(o.Dir, p))
	case pf.Why == "no profiles file" && o.Home != "":
		l.files = append(l.files, defaultProfiles)
	}
	l.files = append(l.files, r.Prefect.Read...)
	l.patterns = append(l.patterns, r.Prefect.Listed...)
	return l
}

// watchSet is the directories watched for a set of files. Each file is
// watched at the directory it really is in, every symbolic link on its way
// resolved; each link is watched in its own directory. A directory that
// does not exist yet is watched through its nearest existing ancestor, so
// its creation is seen.
type watchSet struct {
	w        *fsnotify.Watcher
	dirs     map[string]os.FileInfo // the directories watched, as they were when the watch began
	files    map[string]bool        // the files, the links leading to them and the missing directories on their way
	patterns map[string][]string    // directory → the patterns of names that count there
	last     watchList              // the list of the last successful resolution
	refused  map[string]error       // the directories the system refuses to watch, with why
	warned   map[string]bool        // the refused directories a warning was delivered for
}

func newWatchSet(w *fsnotify.Watcher) *watchSet {
	return &watchSet{w: w, dirs: map[string]os.FileInfo{}, refused: map[string]error{}, warned: map[string]bool{}}
}

// addWatch asks the system to watch a directory; a test replaces it.
var addWatch = (*fsnotify.Watcher).Add

// refusals returns a warning for each directory the system refuses to
// watch that none was returned for yet.
func (ws *watchSet) refusals() []Warning {
	var out []Warning
	for d, err := range ws.refused {
		if ws.warned[d] {
			continue
		}
		ws.warned[d] = true
		out = append(out, Warning{Pos: sources.Position{File: d}, Msg: "changes in this directory are not seen: the system refuses to watch it: " + refusal(err)})
	}
	slices.SortFunc(out, func(a, b Warning) int { return strings.Compare(a.Pos.File, b.Pos.File) })
	return out
}

// refusal says why the system refused to watch a directory.
func refusal(err error) string {
	var errno syscall.Errno
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "its limit on watches is reached (on Linux, raise fs.inotify.max_user_watches)"
	case errors.Is(err, syscall.EMFILE):
		return "too many files are open"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.As(err, &errno):
		return errno.Error()
	}
	return err.Error()
}

// update watches what l names, and stops watching the directories no
// longer needed. Without a resolution's files (l holds only the working
// directory's), the files of the last one stay watched, so that the file
// whose repair makes the next resolution succeed is seen. A directory
// whose kernel watch was dropped (deleted, moved away) or that is no
// longer the directory watched (replaced) is watched again. update reports
// whether it began watching a directory: what was written there before is
// seen by resolving again.
func (ws *watchSet) update(l watchList) (added bool) {
	if l.partial {
		l.files = append(l.files, ws.last.files...)
		l.patterns = append(l.patterns, ws.last.patterns...)
	} else {
		ws.last = l
	}
	want := map[string]bool{}
	ws.files, ws.patterns = map[string]bool{}, map[string][]string{}
	for _, f := range l.files {
		ws.addFile(f, want)
	}
	for _, p := range l.patterns {
		if dir, ok := ws.addFile(p.Dir, want); ok {
			want[dir] = true
			ws.patterns[dir] = append(ws.patterns[dir], p.Name)
		}
	}
	for d := range ws.refused {
		if !want[d] {
			delete(ws.refused, d) // no longer needed
		}
	}
	live := map[string]bool{}
	for _, d := range ws.w.WatchList() {
		live[d] = true
	}
	for d, was := range ws.dirs {
		st, err := os.Stat(d)
		if !want[d] || !live[d] || err != nil || !os.SameFile(was, st) {
			ws.w.Remove(d) // fails for a watch the kernel dropped
			delete(ws.dirs, d)
		}
	}
	for d := range want {
		if ws.dirs[d] != nil {
			continue
		}
		before, err := os.Stat(d)
		if err != nil {
			added = true // gone meanwhile: look again
			continue
		}
		if err := addWatch(ws.w, d); err != nil {
			// Gone meanwhile: look again. Else it cannot be watched (no
			// permission, the system's limit reached): the next update
			// tries again, without a resolution of its own, which would
			// come round for ever; the next delivery warns of it once.
			if errors.Is(err, fs.ErrNotExist) {
				added = true
			} else {
				ws.refused[d] = err
			}
			continue
		}
		delete(ws.refused, d)
		after, err := os.Stat(d)
		if err != nil || !os.SameFile(before, after) {
			ws.w.Remove(d)
			added = true // replaced meanwhile: not sure which is watched
			continue
		}
		ws.dirs[d] = after
		added = true
	}
	return added
}

// addFile files f, the links on its way and the missing directories
// leading to it as relevant, and the directories to watch for them: each
// link's, and f's own or its nearest existing ancestor. It returns the
// real path of f, and whether it exists as a directory.
func (ws *watchSet) addFile(f string, want map[string]bool) (string, bool) {
	if wd, err := os.Getwd(); err == nil {
		f = pypath.Join(wd, f) // a ".." after a link leads out of its target
	}
	links, real := trail(f)
	for _, l := range links {
		ws.files[l] = true
		want[filepath.Dir(l)] = true
	}
	ws.files[real] = true
	dir := filepath.Dir(real)
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
	st, err := os.Stat(real)
	return real, err == nil && st.IsDir()
}

// relevant reports whether an event on name can change the settings: it
// concerns a file, a link or a directory on the way to one, a watched
// directory itself (deleted or moved away), or a name a pattern matches.
func (ws *watchSet) relevant(name string) bool {
	name = filepath.Clean(name)
	if ws.files[name] || ws.dirs[name] != nil {
		return true
	}
	for _, p := range ws.patterns[filepath.Dir(name)] {
		if ok, _ := filepath.Match(p, filepath.Base(name)); ok {
			return true
		}
	}
	return false
}

// maxLinks bounds the symbolic links followed resolving one path, as the
// system's limit does.
const maxLinks = 40

// trail resolves the absolute path p as the system does, one component at
// a time, and returns the symbolic links met on the way (each by its path
// with every link before it resolved) and the path p resolves to. From the
// first component that does not exist on, the rest is kept as written.
func trail(p string) (links []string, real string) {
	vol := filepath.VolumeName(p)
	root := vol + string(filepath.Separator)
	cur := root
	rest := split(p[len(vol):])
	for len(rest) > 0 {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, c)
		st, err := os.Lstat(next)
		if err != nil || st.Mode()&os.ModeSymlink == 0 || len(links) == maxLinks {
			if err != nil {
				return links, filepath.Join(append([]string{next}, rest...)...)
			}
			cur = next
			continue
		}
		links = append(links, next)
		target, err := os.Readlink(next)
		if err != nil {
			return links, filepath.Join(append([]string{next}, rest...)...)
		}
		if tv := filepath.VolumeName(target); filepath.IsAbs(target) {
			cur = tv + string(filepath.Separator)
			target = target[len(tv):]
		}
		rest = append(split(target), rest...)
	}
	return links, cur
}

// split returns the components of a path.
func split(p string) []string {
	return strings.FieldsFunc(p, func(r rune) bool { return r == filepath.Separator || r == '/' })
}
