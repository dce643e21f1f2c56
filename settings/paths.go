package settings

import (
	"os/user"
	"strings"
)

// expandUser replaces a leading ~ with home, as Python's expanduser does
// for the current user, and a leading ~name with that user's home
// directory, which users looks up (nil: no user's is known).
func expandUser(p, home string, users func(name string) (string, bool)) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		return home + p[1:]
	}
	if !strings.HasPrefix(p, "~") || users == nil {
		return p
	}
	name, rest, _ := strings.Cut(p[1:], "/")
	if h, ok := users(name); ok {
		if h = strings.TrimRight(h, "/") + "/" + rest; rest == "" {
			h = h[:len(h)-1]
		}
		if h == "" {
			return "/"
		}
		return h
	}
	return p
}

// machineUsers looks a user's home directory up in this machine's
// password database, as Python's expanduser does for ~name.
func machineUsers(name string) (string, bool) {
	u, err := user.Lookup(name)
	if err != nil || u.HomeDir == "" {
		return "", false
	}
	return u.HomeDir, true
}
