package detect

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-settings/strata/sources"
)

// virtualenvs reads the packages installed in the active virtualenv, then
// in .venv/ and venv/ of the working directory.
func (d *detector) virtualenvs() {
	var roots []string
	if d.opts.VirtualEnv != "" {
		roots = append(roots, d.path(d.opts.VirtualEnv))
	}
	for _, name := range []string{".venv", "venv"} {
		if d.opts.Dir != "" && d.has(name) {
			roots = append(roots, d.path(name))
		}
	}
	seen := map[string]bool{}
	for _, root := range roots {
		if seen[root] || d.done() {
			continue
		}
		seen[root] = true
		for _, site := range sitePackages(root) {
			d.sitePackages(site)
		}
	}
}

// sitePackages returns the site-packages directories of a virtualenv:
// lib/python3.X/site-packages on Unix, Lib/site-packages on Windows.
func sitePackages(root string) []string {
	dirs, _ := filepath.Glob(filepath.Join(root, "lib", "python3*", "site-packages"))
	if st, err := os.Stat(filepath.Join(root, "Lib", "site-packages")); err == nil && st.IsDir() && len(dirs) == 0 {
		dirs = append(dirs, filepath.Join(root, "Lib", "site-packages"))
	}
	return dirs
}

// sitePackages reads the versions of the wanted packages installed in
// site: the Version: line of NAME-VERSION.dist-info/METADATA, else the
// version in the directory's name.
func (d *detector) sitePackages(site string) {
	entries, err := os.ReadDir(site)
	if err != nil {
		return
	}
	for _, e := range entries {
		stem, ok := strings.CutSuffix(e.Name(), ".dist-info")
		if !ok || !e.IsDir() {
			continue
		}
		name, version, ok := strings.Cut(stem, "-")
		if !ok || !d.missing(name) {
			continue
		}
		dir := filepath.Join(site, e.Name())
		meta := filepath.Join(dir, "METADATA")
		if v, line, ok := metadataVersion(meta); ok {
			d.found(name, v, Virtualenv, sources.Position{File: meta, Line: line})
			continue
		}
		d.found(name, version, Virtualenv, sources.Position{File: dir})
	}
}

// metadataVersion reads the Version: field of a core metadata file and its
// line. Only the header is read: it ends at the first empty line.
func metadataVersion(file string) (string, int, bool) {
	f, err := sources.OpenRegular(file)
	if err != nil {
		return "", 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			break
		}
		if k, v, ok := strings.Cut(text, ":"); ok && strings.EqualFold(k, "Version") {
			if v = strings.TrimSpace(v); v != "" {
				return v, line, true
			}
		}
	}
	return "", 0, false
}
