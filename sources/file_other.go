//go:build !unix

package sources

import "os"

// openNonBlocking opens path for reading after checking it names a regular
// file, so that a pipe is not opened and waited on.
func openNonBlocking(path string) (*os.File, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, &os.PathError{Op: "open", Path: path, Err: errNotRegular{st.Mode()}}
	}
	return os.Open(path)
}

type errNotRegular struct{ mode os.FileMode }

func (e errNotRegular) Error() string { return "not a regular file (" + modeName(e.mode) + ")" }

// readRegular reads the file at path if it is a regular file, at most max
// bytes (why says why no more).
func readRegular(path string, max int64, why string) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	return readLimited(path, f, size, max, why)
}
