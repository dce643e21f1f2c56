// Paths as filepath cleans them, without cleaning again the paths a run
// made clean already: a run handles each file's path many times.

package lint

import (
	"path/filepath"
	"strings"
)

// isClean reports whether filepath.Clean returns p as it is. It may say no
// of a clean path (one starting with ".."), never yes of another.
func isClean(p string) bool {
	switch {
	case p == "." || p == "/":
		return true
	case p == "" || p[len(p)-1] == '/':
		return false
	}
	for i := 0; i < len(p); {
		j := strings.IndexByte(p[i:], '/')
		if j < 0 {
			j = len(p) - i
		}
		if seg := p[i : i+j]; seg == "." || seg == ".." || seg == "" && i > 0 {
			return false
		}
		i += j + 1
	}
	return true
}

// cleanPath is filepath.Clean.
func cleanPath(p string) string {
	if isClean(p) {
		return p
	}
	return filepath.Clean(p)
}

// joinPath is filepath.Join of dir and the relative path p.
func joinPath(dir, p string) string {
	if p != "." && !filepath.IsAbs(p) && isClean(dir) && isClean(p) {
		if dir == "/" {
			return dir + p
		}
		if dir != "." {
			return dir + "/" + p
		}
	}
	return filepath.Join(dir, p)
}

// parentDir is filepath.Dir.
func parentDir(p string) string {
	if !isClean(p) {
		return filepath.Dir(p)
	}
	switch i := strings.LastIndexByte(p, '/'); i {
	case -1:
		return "."
	case 0:
		return "/"
	default:
		return p[:i]
	}
}

// absPath is absPath(l.abs(p)): the absolute path of p, as the run names
// it, cleaned.
func (l *linter) absPath(p string) string {
	if a, ok := l.absOf[p]; ok {
		return a
	}
	if l.dirClean && p != "." && !filepath.IsAbs(p) && isClean(p) {
		if l.opts.Dir == "/" {
			return "/" + p
		}
		return l.opts.Dir + "/" + p
	}
	return absPath(l.abs(p))
}
