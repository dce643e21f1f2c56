package settings

import "strings"

// expandUser replaces a leading ~ with home, as Python's expanduser does
// for the current user.
func expandUser(p, home string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		return home + p[1:]
	}
	return p
}

// pyPath normalises a path as Python's pathlib.PurePosixPath prints it:
// repeated and trailing slashes and "." segments go, ".." stays, and the
// empty path is ".".
func pyPath(p string) string {
	root := ""
	switch {
	case strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///"):
		root = "//"
	case strings.HasPrefix(p, "/"):
		root = "/"
	}
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
