//go:build !unix

package profiles

import (
	"errors"
	"io/fs"
	"os"
	"time"
)

// lock creates the file at path exclusively, waiting while another writer
// holds it, and returns the function that removes it.
func lock(path string) (func(), error) {
	for i := 0; ; i++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, fs.ErrExist) || i > 1000 {
			return nil, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
