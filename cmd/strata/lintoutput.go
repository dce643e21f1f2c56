package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-settings/strata/lint"
)

// relativeTo rewrites the file of each finding under dir relative to dir,
// and any other file as an absolute path: what CI needs when lint runs in
// a subdirectory of the repository and annotations, problem matchers and
// SARIF want paths from the repository's root. Relative paths, dir's too,
// start at wd.
func relativeTo(findings []lint.Finding, dir, wd string) {
	abs := func(p string) string {
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		return filepath.Clean(p)
	}
	base := abs(dir)
	if real, err := filepath.EvalSymlinks(base); err == nil {
		base = real
	}
	if real, err := filepath.EvalSymlinks(wd); err == nil {
		wd = real
	}
	rewrite := func(f *string) {
		if *f == "" {
			return
		}
		*f = abs(*f)
		if rel, err := filepath.Rel(base, *f); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			*f = rel
		}
	}
	// A finding's related places and fixes name files too.
	for i := range findings {
		f := &findings[i]
		rewrite(&f.Pos.File)
		for j := range f.Related {
			rewrite(&f.Related[j].Pos.File)
		}
		for j := range f.Fixes {
			for k := range f.Fixes[j].Edits {
				rewrite(&f.Fixes[j].Edits[k].Pos.File)
			}
		}
	}
}

// writeOutputFile writes the file name as write makes it, and names the
// file in its error. A regular file, or a new one, is written through a
// temporary file in its directory renamed over it, so that a reader never
// sees it half written and a failure leaves any earlier file as it was.
// Anything else is written through as a shell's redirection writes it: a
// link at its target, a device or pipe (/dev/stdout) in place, never
// replaced.
func writeOutputFile(name string, write func(io.Writer) error) error {
	err := writeThrough(name, write)
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		err = pe.Err // the path may be the temporary file's
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func writeThrough(name string, write func(io.Writer) error) error {
	st, err := os.Lstat(name)
	switch {
	case err == nil && st.IsDir():
		return errors.New("is a directory")
	case err == nil && !st.Mode().IsRegular():
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		err = write(w)
		if err == nil {
			err = w.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return writeFileAtomic(name, write)
}

// writeFileAtomic writes a file through a temporary file in its directory
// renamed over it, so that a reader never sees it half written and a
// failure leaves any earlier file as it was.
func writeFileAtomic(name string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriter(tmp)
	if err = write(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
