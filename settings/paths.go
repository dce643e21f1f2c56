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
