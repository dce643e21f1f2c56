// Package pypath handles paths as Python's pathlib does: joined and
// normalised without resolving "..", which the system resolves only after
// the symbolic links before it. path/filepath's Join and Clean drop a
// directory before "..", so that "cfg/../x" names ./x even when cfg is a
// link to another directory, where the system, and Prefect, find
// cfg's target's sibling x.
package pypath

import (
	"path/filepath"
	"strings"
)

// Clean normalises a path as pathlib.PurePosixPath prints it: repeated
// and trailing slashes and "." segments go, ".." stays, and the empty path
// is ".".
func Clean(p string) string {
	root := rootOf(p)
	if p != root && clean(p[len(root):]) {
		return p
	}
	return rebuild(p, root)
}

// rootOf returns the root p starts with, as pathlib keeps it: "//" (two
// slashes exactly), "/", or none.
func rootOf(p string) string {
	switch {
	case strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///"):
		return "//"
	case strings.HasPrefix(p, "/"):
		return "/"
	}
	return ""
}

// rebuild is Clean of p, whose root is root, segment by segment.
func rebuild(p, root string) string {
	var parts []string
	for _, seg := range strings.Split(p, "/") {
		if seg != "" && seg != "." {
			parts = append(parts, seg)
		}
	}
	out := root + strings.Join(parts, "/")
	if out == "" {
		return "."
	}
	return out
}

// clean reports whether rel, a path after its root, is as Clean writes
// it: not empty, and no segment empty or ".".
func clean(rel string) bool {
	for rel != "" {
		seg, rest, more := strings.Cut(rel, "/")
		if seg == "" || seg == "." || more && rest == "" {
			return false
		}
		rel = rest
	}
	return true
}

// Dir returns the directory p is in, as Path(p).parent: p without its
// last component, ".." before it kept ("cfg/../x/f" is in "cfg/../x").
func Dir(p string) string {
	p = Clean(p)
	i := strings.LastIndexByte(p, '/')
	switch {
	case i < 0:
		return "."
	case strings.Trim(p[:i+1], "/") == "":
		return p[:i+1] // the root
	}
	return p[:i]
}

// Join returns p taken from the directory dir, as Path(dir) / p: p itself
// when it is absolute or dir is empty, else the two joined by Clean.
func Join(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return Clean(dir + "/" + p)
}
