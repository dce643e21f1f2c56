//go:build !unix

package profiles

import (
	"errors"
	"io/fs"
	"os"
	"time"
)

// lock creates the file at path exclusively, waiting while another writer
// holds it, and returns the function that removes it. A lock file that is
// a link is refused.
func (e *Editor) lock(path string, t target) (func(), error) {
	start := time.Now()
	told := false
	notice := e.WaitNotice
	if notice <= 0 {
		notice = time.Second
	}
	for i := 0; ; i++ {
		if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
			return nil, &LockError{File: path, Msg: "is a symbolic link, which Strata does not follow; remove it"}
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, fs.ErrExist) || i > 1000 {
			return nil, &LockError{File: path, Msg: "cannot lock: " + reason(err), Err: err}
		}
		if !told && e.Waiting != nil && time.Since(start) >= notice {
			told = true
			e.Waiting(path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// keepOwner does nothing where files have no Unix owner.
func keepOwner(f *os.File, like fs.FileInfo) error { return nil }

// reason is a system error without the path it repeats.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
