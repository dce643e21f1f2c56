package main

import (
	"bufio"
	"io"
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
