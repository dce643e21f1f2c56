//go:build unix

package profiles

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// lock takes an exclusive advisory lock on the file at path, creating it
// with the owner and group the profiles file has or will have, and its
// permissions, so that a write by root does not lock the owner out. A
// lock file that is a symbolic link is never followed. It returns the
// function that releases the lock.
func (e *Editor) lock(path string, t target) (func(), error) {
	perm := 0o600 | t.perm&0o666
	like := t.owner
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, perm)
	created := err == nil
	if errors.Is(err, fs.ErrExist) {
		f, err = os.OpenFile(path, os.O_RDWR|syscall.O_NOFOLLOW, 0)
	}
	if err != nil {
		if st, lerr := os.Lstat(path); lerr == nil {
			switch {
			case st.Mode()&fs.ModeSymlink != 0:
				return nil, &LockError{File: path, Msg: "is a symbolic link, which Strata does not follow; remove it", Err: err}
			case !st.Mode().IsRegular():
				return nil, &LockError{File: path, Msg: "is not a regular file; remove it", Err: err}
			}
		}
		return nil, &LockError{File: path, Msg: "cannot lock: " + reason(err), Err: err}
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		f.Close()
		return nil, &LockError{File: path, Msg: "is not a regular file; remove it"}
	}
	if created {
		f.Chmod(perm) // whatever the umask
	}
	if like != nil && err == nil && !sameOwner(st, like) {
		// A new lock, or one a write as root made before, takes the
		// profiles file's owner. Where that is not allowed, a new lock
		// is removed rather than left to lock the owner out.
		if err := keepOwner(f, like); err != nil && created {
			f.Close()
			os.Remove(path)
			return nil, &LockError{File: path, Msg: "cannot give the lock file the profiles file's owner: " + reason(err), Err: err}
		}
	}
	if err := e.flock(f, path); err != nil {
		f.Close()
		return nil, &LockError{File: path, Msg: "cannot lock: " + reason(err), Err: err}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// flock takes the lock on f, calling e.Waiting once if another writer
// holds it for longer than e.WaitNotice.
func (e *Editor) flock(f *os.File, path string) error {
	fd := int(f.Fd())
	err := flockRetry(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if !errors.Is(err, syscall.EWOULDBLOCK) {
		return err
	}
	if e.Waiting != nil {
		notice := e.WaitNotice
		if notice <= 0 {
			notice = time.Second
		}
		after := e.after
		if after == nil {
			after = func(d time.Duration) (<-chan time.Time, func()) {
				t := time.NewTimer(d)
				return t.C, func() { t.Stop() }
			}
		}
		fire, stopTimer := after(notice)
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			select {
			case <-fire:
				e.Waiting(path)
			case <-stop:
			}
		}()
		defer func() {
			close(stop)
			<-done // Waiting has returned, or will not be called
			stopTimer()
		}()
	}
	return flockRetry(fd, syscall.LOCK_EX)
}

func flockRetry(fd, how int) error {
	for {
		err := syscall.Flock(fd, how)
		if err != syscall.EINTR {
			return err
		}
	}
}

// sameOwner reports whether a and b have the same owner and group.
func sameOwner(a, b fs.FileInfo) bool {
	sa, ok1 := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return !ok1 || !ok2 || sa.Uid == sb.Uid && sa.Gid == sb.Gid
}

// keepOwner gives f the owner and group of like, when they differ.
func keepOwner(f *os.File, like fs.FileInfo) error {
	want, ok := like.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if sameOwner(st, like) {
		return nil
	}
	return f.Chown(int(want.Uid), int(want.Gid))
}

// reason is a system error without the path it repeats.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
