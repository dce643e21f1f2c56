package release

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
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

// Requirement is what names a release, from a flag, a variable or a
// project's files. Every source is read by the same rule: one version in
// PEP 440's form ("3.4.2", "v3.4.2", "3.4", "3.5.0rc1", "3.2.16.dev1",
// "==3.4.2"), which stands for its release number (3.5.0rc1 for 3.5.0); or
// a range, PEP 440 specifiers joined by commas ("~=3.4.0", ">=3.4,<3.5",
// "==3.4.*"), which stands for the newest known release inside it: what
// pip would install today.
type Requirement struct {
	text    string
	version Version  // one version: its release number
	clauses []clause // a range; nil for one version
}

// clause is one specifier of a range: ">=3.4", "==3.4.*".
type clause struct {
	op       string // "~=", "==", "!=", "<=", ">=", "<", ">", "==="
	v        pep440
	text     string // the version as written, for ===
	wildcard bool   // "==3.4.*" or "!=3.4.*"
}

// maxRequirement bounds the length of a requirement read: no real one comes
// near.
const maxRequirement = 200

// ParseRequirement reads s as one version or a range of versions. The
// error shows the forms expected; it quotes s, control characters escaped.
func ParseRequirement(s string) (Requirement, error) {
	t := strings.TrimSpace(s)
	bad := func() (Requirement, error) {
		return Requirement{}, fmt.Errorf("malformed version %q: want a version such as 3.4.2, or a range such as ~=3.4.0", s)
	}
	if t == "" || len(t) > maxRequirement || strings.ContainsFunc(t, unicode.IsControl) {
		return bad()
	}
	if !strings.ContainsAny(t, "<>=!~,") {
		v, ok := parsePEP440(t)
		if !ok {
			return bad()
		}
		return Requirement{text: t, version: v.number()}, nil
	}
	var cs []clause
	for _, part := range strings.Split(t, ",") {
		c, ok := parseClause(strings.TrimSpace(part))
		if !ok {
			return bad()
		}
		cs = append(cs, c)
	}
	if len(cs) == 1 && (cs[0].op == "==" || cs[0].op == "===") && !cs[0].wildcard {
		return Requirement{text: t, version: cs[0].v.number()}, nil // an exact pin
	}
	return Requirement{text: t, clauses: cs}, nil
}

// String returns the requirement as written.
func (q Requirement) String() string { return q.text }

// IsRange reports whether q is a range rather than one version.
func (q Requirement) IsRange() bool { return q.clauses != nil }

// Version returns the release number of one version; zero for a range.
func (q Requirement) Version() Version { return q.version }

// Allows reports whether the release v is inside q.
func (q Requirement) Allows(v Version) bool {
	if !q.IsRange() {
		return v == q.version
	}
	p := pep440{release: []int{v.Major, v.Minor, v.Patch}, pre: noPre, post: -1, dev: -1}
	for _, c := range q.clauses {
		if !c.allows(p, v) {
			return false
		}
	}
	return true
}

// Newest returns the newest of known, sorted oldest first, that q allows.
func (q Requirement) Newest(known []Version) (Version, bool) {
	for i := len(known) - 1; i >= 0; i-- {
		if q.Allows(known[i]) {
			return known[i], true
		}
	}
	return Version{}, false
}

// lowest returns the oldest release number q allows, for a range no
// known release is inside: of the versions its clauses name (and the
// patch after each, for ">"), and every Prefect 3 release number up to
// ten minor releases past the newest known.
func (q Requirement) lowest() (Version, bool) {
	var cands []Version
	for _, c := range q.clauses {
		v := c.v.number()
		cands = append(cands, v, Version{v.Major, v.Minor, v.Patch + 1})
	}
	for minor := 0; minor <= newest.Minor+10; minor++ {
		for patch := range 100 {
			cands = append(cands, Version{3, minor, patch})
		}
	}
	slices.SortFunc(cands, Version.Compare)
	for _, v := range cands {
		if q.Allows(v) {
			return v, true
		}
	}
	return Version{}, false
}

// parseClause reads one specifier: an operator and a version.
func parseClause(s string) (clause, bool) {
	for _, op := range []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"} {
		rest, ok := strings.CutPrefix(s, op)
		if !ok {
			continue
		}
		c := clause{op: op, text: strings.TrimSpace(rest)}
		vs := c.text
		if op == "==" || op == "!=" {
			vs, c.wildcard = strings.CutSuffix(vs, ".*")
		}
		v, ok := parsePEP440(vs)
		if !ok || c.wildcard && (v.pre != noPre || v.post >= 0 || v.dev >= 0 || v.local) ||
			op == "~=" && len(v.release) < 2 {
			return clause{}, false
		}
		c.v = v
		return c, true
	}
	return clause{}, false
}

// allows reports whether the final release p (v's number) satisfies c.
func (c clause) allows(p pep440, v Version) bool {
	switch c.op {
	case "===":
		return c.text == v.String()
	case "==":
		if c.wildcard {
			return p.hasPrefix(c.v.release)
		}
		return p.compare(c.v) == 0
	case "!=":
		if c.wildcard {
			return !p.hasPrefix(c.v.release)
		}
		return p.compare(c.v) != 0
	case "<=":
		return p.compare(c.v) <= 0
	case ">=":
		return p.compare(c.v) >= 0
	case "<":
		return p.compare(c.v) < 0
	case ">":
		return p.compare(c.v) > 0
	case "~=":
		return p.compare(c.v) >= 0 && p.hasPrefix(c.v.release[:len(c.v.release)-1])
	}
	return false
}

// pep440 is a version as PEP 440 orders it.
type pep440 struct {
	release []int
	pre     [2]int // phase (0 a, 1 b, 2 rc) and number; noPre for none
	post    int    // -1 for none
	dev     int    // -1 for none
	local   bool   // a local label (+abc) was given
}

var noPre = [2]int{-1, -1}

// pep440Pattern is PEP 440's version pattern (packaging's VERSION_PATTERN),
// with the leading "v" it allows. The groups: epoch, release, pre-release
// label and number, post-release number (-1 form), label and number, dev
// label and number, local label.
var pep440Pattern = regexp.MustCompile(`^(?i)v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)` +
	`(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?` +
	`(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?` +
	`(?:[-_.]?(dev)[-_.]?([0-9]+)?)?` +
	`(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$`)

// maxDigits bounds a number of a version, so that it fits an int.
const maxDigits = 9

// parsePEP440 reads a PEP 440 version. Epochs other than 0 are refused:
// no Prefect or pydantic-settings release has one.
func parsePEP440(s string) (pep440, bool) {
	m := pep440Pattern.FindStringSubmatch(s)
	if m == nil {
		return pep440{}, false
	}
	ok := true
	num := func(s string) int {
		if len(s) > maxDigits {
			ok = false
			return 0
		}
		n, _ := strconv.Atoi(s) // digits only, or empty: 0
		return n
	}
	if num(m[1]) != 0 {
		return pep440{}, false
	}
	v := pep440{pre: noPre, post: -1, dev: -1, local: m[10] != ""}
	for _, seg := range strings.Split(m[2], ".") {
		v.release = append(v.release, num(seg))
	}
	if m[3] != "" {
		phase := map[string]int{"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}[strings.ToLower(m[3])]
		v.pre = [2]int{phase, num(m[4])}
	}
	if m[5] != "" || m[6] != "" {
		v.post = num(m[5] + m[7])
	}
	if m[8] != "" {
		v.dev = num(m[9])
	}
	return v, ok
}

// number returns the release number: the first three segments, padded.
func (v pep440) number() Version {
	var n [3]int
	copy(n[:], v.release)
	return Version{n[0], n[1], n[2]}
}

// compare orders v and w as PEP 440 does, local labels aside: a
// development release before the pre-releases, the pre-releases before
// the release, and the post-releases after it.
func (v pep440) compare(w pep440) int {
	if c := compareRelease(v.release, w.release); c != 0 {
		return c
	}
	key := func(p pep440) [3][2]int {
		pre := p.pre
		switch {
		case p.pre == noPre && p.post < 0 && p.dev >= 0:
			pre = [2]int{-2, 0} // 3.4.0.dev1 sorts before 3.4.0a1
		case p.pre == noPre:
			pre = [2]int{3, 0} // the release, after its pre-releases
		}
		dev := [2]int{1, 0} // none: after any development release
		if p.dev >= 0 {
			dev = [2]int{0, p.dev}
		}
		return [3][2]int{pre, {p.post, 0}, dev}
	}
	a, b := key(v), key(w)
	for i := range a {
		if c := cmp.Or(cmp.Compare(a[i][0], b[i][0]), cmp.Compare(a[i][1], b[i][1])); c != 0 {
			return c
		}
	}
	return 0
}

// compareRelease compares release segments, missing ones taken as zeros.
func compareRelease(a, b []int) int {
	for i := range max(len(a), len(b)) {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// hasPrefix reports whether v's release starts with prefix, as "==3.4.*"
// matches, missing segments of v taken as zeros.
func (v pep440) hasPrefix(prefix []int) bool {
	for i, n := range prefix {
		x := 0
		if i < len(v.release) {
			x = v.release[i]
		}
		if x != n {
			return false
		}
	}
	return true
}
