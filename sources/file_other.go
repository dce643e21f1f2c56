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
