package detect

import (
	"bufio"
	"io"
	"os"
	"strings"

	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/sources"
)

// virtualenvs reads the packages installed in the active virtualenv, then
// in .venv/ and venv/ of the working directory.
func (d *detector) virtualenvs() {
	var roots []string
	if d.opts.VirtualEnv != "" {
		roots = append(roots, d.path(d.opts.VirtualEnv))
		d.look(roots[0])
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
		for _, site := range d.sitePackagesDirs(root) {
			d.sitePackages(site)
		}
	}
}

// sitePackagesDirs returns the site-packages directories of a virtualenv:
// lib/python3.X/site-packages on Unix, Lib/site-packages on Windows.
func (d *detector) sitePackagesDirs(root string) []string {
	lib := pypath.Join(root, "lib")
	d.look(lib)
	d.list(lib, "python3*")
	var dirs []string
	for _, py := range glob(lib, "python3*") {
		site := pypath.Join(py, "site-packages")
		d.look(site)
		if st, err := os.Stat(site); err == nil && st.IsDir() {
			dirs = append(dirs, site)
		}
	}
	win := pypath.Join(root, "Lib/site-packages")
	d.look(win)
	if st, err := os.Stat(win); err == nil && st.IsDir() && len(dirs) == 0 {
		dirs = append(dirs, win)
	}
	return dirs
}

// sitePackages reads the versions of the wanted packages installed in
// site: the Version: line of NAME-VERSION.dist-info/METADATA, else the
// version in the directory's name.
func (d *detector) sitePackages(site string) {
	d.list(site, "*.dist-info")
	entries, err := os.ReadDir(site)
	if err != nil {
		return
	}
	for _, e := range entries {
		stem, ok := strings.CutSuffix(e.Name(), ".dist-info")
		if !ok {
			continue
		}
		name, version, ok := strings.Cut(stem, "-")
		if !ok || !d.missing(name) {
			continue
		}
		dir := pypath.Join(site, e.Name())
		if !e.IsDir() { // a link to the package's directory (Nix, Bazel) counts too
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				continue
			}
		}
		meta := pypath.Join(dir, "METADATA")
		d.look(dir)
		d.look(meta)
		if v, line, ok := metadataVersion(meta); ok {
			d.found(name, v, Virtualenv, sources.Position{File: meta, Line: line}, "")
			continue
		}
		d.found(name, version, Virtualenv, sources.Position{File: dir}, "")
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
