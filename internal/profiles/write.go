package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/sources"
)

// Editor applies changes to profiles files. Its zero value works.
type Editor struct {
	// Waiting, when set, is called once when another writer still holds
	// the file's lock after WaitNotice, with the lock file's path, so that
	// a command can say what it is waiting for.
	Waiting func(lockFile string)
	// WaitNotice is how long to wait for the lock before calling Waiting;
	// a second when zero.
	WaitNotice time.Duration

	// after starts the WaitNotice timer; tests replace the clock.
	after func(time.Duration) (<-chan time.Time, func())
}

// LockError is a lock file that cannot be used: a symbolic link (never
// followed, so that a link cannot make a writer create or truncate another
// file), something other than a regular file, or a system error.
type LockError struct {
	File string // the lock file
	Msg  string
	Err  error // the system's error, if any
}

// Error renders the problem with the lock file's name.
func (e *LockError) Error() string { return e.File + ": " + e.Msg }

// Unwrap returns the system's error.
func (e *LockError) Unwrap() error { return e.Err }

// Edit applies change to the profiles file at path with a zero Editor.
func Edit(path string, change func(*Doc) error) (bool, error) {
	return (&Editor{}).Edit(path, change)
}

// Edit applies change to the profiles file at path under an advisory lock,
// and writes the result atomically when it differs from what was read. A
// missing file is an empty document; it is created, with its directory, only
// if change leaves something to write. Edit reports whether it wrote.
//
// Everything that decides the change is read under the lock: change sees
// the file as it is while no other writer can change it. Temporary files a
// crashed writer left beside the file are removed.
//
// A path that is a symbolic link edits the file it points to, and keeps
// the link; every error names path, the file the user knows, and says
// which file it links to where the problem is that file's.
func (e *Editor) Edit(path string, change func(*Doc) error) (bool, error) {
	real := path
	if r, err := filepath.EvalSymlinks(path); err == nil {
		real = r // replace the file a link points to, not the link
	}
	wrote, err := e.edit(path, real, change)
	if err != nil && real != path {
		err = throughLink(err, path, real)
	}
	return wrote, err
}

// edit is Edit of the file at real, known to the user as name.
func (e *Editor) edit(name, path string, change func(*Doc) error) (bool, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		// A directory, a FIFO or a device is refused before anything,
		// a lock file beside it included, is created.
		if _, err := readFile(path); err != nil {
			return false, err
		}
		return false, &sources.ReadError{File: path, Err: errors.New("not a regular file")}
	}
	if err := mkdirAll(pypath.Dir(path)); err != nil {
		return false, err
	}
	unlock, err := e.lock(path+".lock", targetOf(path))
	if err != nil {
		return false, err
	}
	defer unlock()
	removeStale(path)

	data, err := readFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	exists := err == nil
	doc, err := Parse(name, data)
	if err != nil {
		return false, err
	}
	if err := change(doc); err != nil {
		return false, err
	}
	if exists && bytes.Equal(doc.Bytes(), data) || !exists && len(doc.Bytes()) == 0 {
		return false, nil
	}
	return true, writeFile(path, doc.Bytes(), targetOf(path))
}

// throughLink renames the errors of an edit of real, which the user knows
// as the link name: the file named is the link, and the problem of the
// file as a whole says which file the link points to.
func throughLink(err error, name, real string) error {
	var (
		fe *sources.FileError
		re *sources.ReadError
		le *LockError
	)
	switch {
	case errors.As(err, &fe) && fe.Pos.File == real:
		c := *fe
		c.Pos.File, c.Msg = name, c.Msg+"; "+linkNote(real)
		return &c
	case errors.As(err, &re) && re.File == real:
		return &sources.ReadError{File: name, Err: &linked{err: unwrapPath(re.Err), target: real}}
	case errors.As(err, &le):
		return err // names the lock file, beside the file the link points to
	case strings.Contains(err.Error(), real) || !strings.Contains(err.Error(), name):
		return fmt.Errorf("%s: %w; %s", name, err, linkNote(real))
	}
	return err
}

func linkNote(real string) string { return "the file is a link to " + real }

// linked is the cause of a ReadError of a file reached through a link.
type linked struct {
	err    error
	target string
}

func (l *linked) Error() string { return l.err.Error() + "; " + linkNote(l.target) }
func (l *linked) Unwrap() error { return l.err }

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Read parses the profiles file at path; a missing file is an empty
// document. A file that exists but cannot be read is a
// *sources.ReadError.
func Read(path string) (*Doc, error) {
	data, err := readFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return Parse(path, data)
}

// readFile reads the file at path as every source does; a missing file is
// fs.ErrNotExist, a FIFO, a device or a file beyond the size limit a
// *sources.FileError, any other failure a *sources.ReadError.
func readFile(path string) ([]byte, error) {
	return sources.ReadFile(path)
}

// beforeRename, when set by a test, runs between writing and syncing the
// temporary file and renaming it: where a crash leaves it behind.
var beforeRename func(tmp string)

// WriteFile replaces the file at path with data atomically: it writes a
// temporary file in the same directory, syncs it and renames it over path.
// The temporary file is created 0600, whatever the mode of path, so that a
// crash before the rename never leaves credentials readable by others; it
// then takes the owner, group and mode of the file it replaces, so that a
// write by root keeps the file its owner's. A new file gets 0600, since
// profiles hold credentials.
func WriteFile(path string, data []byte) error {
	return writeFile(path, data, targetOf(path))
}

func writeFile(path string, data []byte, t target) (err error) {
	dir := pypath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(path)+"*"+tempSuffix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil { // CreateTemp's mode, whatever the umask
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if beforeRename != nil {
		beforeRename(tmp.Name())
	}
	if t.owner != nil {
		if err = keepOwner(tmp, t.owner); err != nil {
			return fmt.Errorf("%s: cannot keep the file's owner and group, nothing written: %w", path, err)
		}
	}
	if err = tmp.Chmod(t.perm); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// target is what a written profiles file and its lock are given: the owner
// and group of owner (nil: the writer's), and the mode perm.
type target struct {
	owner fs.FileInfo
	perm  fs.FileMode
}

// targetOf says what the file at path must be given when written. An
// existing file keeps its owner, group and mode. A new file is 0600; when
// root writes it, it takes the owner and group of its directory, so that
// root writing in a user's directory leaves a file the user can read.
func targetOf(path string) target {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		return target{owner: st, perm: st.Mode().Perm()}
	}
	t := target{perm: 0o600}
	if st, err := os.Stat(pypath.Dir(path)); err == nil && os.Geteuid() == 0 {
		t.owner = st
	}
	return t
}

// mkdirAll creates dir and its missing parents 0700. Created by root, each
// takes the owner and group of its parent.
func mkdirAll(dir string) error {
	st, err := os.Stat(dir)
	if err == nil {
		if !st.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
		}
		return nil
	}
	parent := pypath.Dir(dir) // as the system follows it: ".." after a link leads out of its target
	if parent != dir {
		if err := mkdirAll(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil
		}
		return err
	}
	if os.Geteuid() == 0 {
		if pst, err := os.Stat(parent); err == nil {
			if d, err := os.Open(dir); err == nil {
				keepOwner(d, pst)
				d.Close()
			}
		}
	}
	return nil
}

// The temporary files of path are named .NAME.DIGITS.tmp, as os.CreateTemp
// names them.
const tempSuffix = ".tmp"

func tempPrefix(path string) string { return "." + filepath.Base(path) + "." }

// isTemp reports whether name is one of our temporary files for path.
func isTemp(path, name string) bool {
	mid, ok := strings.CutPrefix(name, tempPrefix(path))
	if !ok {
		return false
	}
	mid, ok = strings.CutSuffix(mid, tempSuffix)
	if !ok || mid == "" {
		return false
	}
	for _, c := range mid {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// removeStale removes the temporary files a crashed writer of path left
// behind. It runs under the file's lock: every writer holds the lock from
// before it creates its temporary file until after the rename, so a
// temporary file seen while holding the lock belongs to no live writer.
// Only regular files named as WriteFile names them are removed.
func removeStale(path string) {
	entries, err := os.ReadDir(pypath.Dir(path))
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() && isTemp(path, e.Name()) {
			os.Remove(pypath.Join(pypath.Dir(path), e.Name()))
		}
	}
}

// syncDir makes a rename in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
