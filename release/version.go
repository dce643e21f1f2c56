package release

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// Version is a release number, major.minor.patch.
type Version struct {
	Major, Minor, Patch int
}

// String renders the version as "3.4.2".
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Compare returns -1, 0 or +1 as v is older than, equal to or newer than w.
func (v Version) Compare(w Version) int {
	return cmp.Or(cmp.Compare(v.Major, w.Major), cmp.Compare(v.Minor, w.Minor), cmp.Compare(v.Patch, w.Patch))
}

// Less reports whether v is older than w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// IsZero reports whether v is the zero Version (no version given).
func (v Version) IsZero() bool { return v == Version{} }

// ParseVersion reads a version written "X.Y.Z" (three decimal numbers; a
// leading "v" is accepted, as in a git tag). It refuses anything else,
// pre-releases included, with an error that shows the expected form.
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(t, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("malformed version %q: want X.Y.Z, such as 3.4.2", s)
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || len(p) > 6 || strings.TrimLeft(p, "0123456789") != "" || len(p) > 1 && p[0] == '0' {
			return Version{}, fmt.Errorf("malformed version %q: want X.Y.Z, such as 3.4.2", s)
		}
		n[i], _ = strconv.Atoi(p)
	}
	return Version{n[0], n[1], n[2]}, nil
}

// MustParseVersion is ParseVersion for versions known to be valid; it
// panics on a malformed one.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}
