package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Edit applies change to the profiles file at path under an advisory lock,
// and writes the result atomically when it differs from what was read. A
// missing file is an empty document; it is created, with its directory, only
// if change leaves something to write. Edit reports whether it wrote.
func Edit(path string, change func(*Doc) error) (bool, error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real // replace the file a link points to, not the link
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	unlock, err := lock(path + ".lock")
	if err != nil {
		return false, fmt.Errorf("%s: cannot lock: %w", path, err)
	}
	defer unlock()

	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	exists := err == nil
	doc, err := Parse(path, data)
	if err != nil {
		return false, err
	}
	if err := change(doc); err != nil {
		return false, err
	}
	if exists && bytes.Equal(doc.Bytes(), data) || !exists && len(doc.Bytes()) == 0 {
		return false, nil
	}
	return true, WriteFile(path, doc.Bytes())
}

// Read parses the profiles file at path; a missing file is an empty
// document.
func Read(path string) (*Doc, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return Parse(path, data)
}

// WriteFile replaces the file at path with data atomically: it writes a
// temporary file in the same directory, syncs it and renames it over path.
// An existing file keeps its mode; a new one gets 0600, since profiles hold
// credentials.
func WriteFile(path string, data []byte) (err error) {
	mode := fs.FileMode(0o600)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
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

// syncDir makes a rename in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
