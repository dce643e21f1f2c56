package detect

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// pins reads exact pins: requirements files, then pyproject.toml, then
// Pipfile.
func (d *detector) pins() {
	if d.opts.Dir == "" {
		return
	}
	seen := map[string]bool{}
	for _, file := range d.requirementsFiles() {
		if !d.done() {
			d.requirements(file, seen, 0)
		}
	}
	if !d.done() && d.has("pyproject.toml") {
		d.cached(d.path("pyproject.toml"), (*detector).pyproject)
	}
	if !d.done() && d.has("Pipfile") {
		d.cached(d.path("Pipfile"), (*detector).pipfile)
	}
	// No exact pin: a range stands for the newest known release inside
	// it, as pip would install today (release.ParseRequirement).
	for i, f := range d.ranged {
		if f.Version == "" || d.want[i].OK() {
			continue
		}
		if wanted[i] == PydanticSettings {
			f = d.pydanticSettingsRange(f)
		}
		*d.want[i] = f
	}
}

// pydanticSettingsReleases are the releases of pydantic-settings 2, oldest
// first (its repository's tags). Which side of 2.14 a version is on is all
// the resolution asks, so a later release missing here changes nothing,
// unless a range allows only releases after the last one listed.
var pydanticSettingsReleases = func() []release.Version {
	var vs []release.Version
	for _, s := range strings.Fields(`2.0.0 2.0.1 2.0.2 2.0.3 2.1.0 2.2.0 2.2.1 2.3.0 2.3.1 2.3.2 2.3.3 2.3.4
		2.4.0 2.5.0 2.5.1 2.5.2 2.6.0 2.6.1 2.7.0 2.7.1 2.8.0 2.8.1 2.9.0 2.9.1 2.10.0 2.10.1
		2.11.0 2.12.0 2.13.0 2.13.1 2.14.0 2.14.1 2.14.2 2.15.0`) {
		v, err := release.ParseVersion(s)
		if err != nil {
			panic(err)
		}
		vs = append(vs, v)
	}
	return vs
}()

// pydanticSettingsRange resolves a pydantic-settings range a project gives
// (pydantic-settings<2.14, which keeps Prefect reading .env as before) as
// pip would install it today: the newest release inside it, said in a
// note. A range no listed release is inside is passed over, and the newest
// pydantic-settings assumed.
func (d *detector) pydanticSettingsRange(f Found) Found {
	q, err := release.ParseRequirement(f.Version)
	if err != nil {
		return Found{}
	}
	v, ok := q.Newest(pydanticSettingsReleases)
	if !ok {
		d.skip(f.Pos, "%s%s passed over: no pydantic-settings release Strata knows is inside it; the newest is assumed", PydanticSettings, f.Version)
		return Found{}
	}
	d.skip(f.Pos, "%s%s is a range: taken as %s, the newest release inside it, which pip would install today", PydanticSettings, f.Version, v)
	f.Version = v.String()
	return f
}

// requirementsFiles returns requirements.txt, the other requirements*.txt
// in name order, then requirements/*.txt.
func (d *detector) requirementsFiles() []string {
	var top []string
	d.list(d.opts.Dir, "requirements*.txt")
	names := d.names
	if d.byName != nil {
		names = slices.Collect(maps.Keys(d.byName))
	}
	for _, name := range names {
		if strings.HasPrefix(name, "requirements") && strings.HasSuffix(name, ".txt") {
			top = append(top, d.path(name))
		}
	}
	if len(top) > 1 {
		main := d.path("requirements.txt")
		slices.SortStableFunc(top, func(a, b string) int {
			switch {
			case a == main:
				return -1
			case b == main:
				return 1
			}
			return strings.Compare(a, b)
		})
	}
	if d.has("requirements") {
		d.list(d.path("requirements"), "*.txt")
		top = append(top, glob(d.path("requirements"), "*.txt")...)
	}
	return top
}

// maxIncludes bounds how deep -r and -c includes are followed.
const maxIncludes = 8

// requirements reads a pip requirements file, following the files it
// includes with -r and -c (relative to it) where they appear.
func (d *detector) requirements(file string, seen map[string]bool, depth int) {
	if seen[file] || depth > maxIncludes {
		return
	}
	seen[file] = true
	data, ok := d.readFile(file)
	if !ok {
		return
	}
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines) && !d.done(); i++ {
		start := i + 1
		text := lines[i]
		for strings.HasSuffix(strings.TrimRight(text, "\r"), `\`) && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(strings.TrimRight(text, "\r"), `\`) + " " + lines[i]
		}
		text = strings.TrimSpace(stripComment(text))
		if text == "" {
			continue
		}
		pos := sources.Position{File: file, Line: start}
		if strings.HasPrefix(text, "-") {
			if inc, ok := includeOption(text); ok {
				inc = pypath.Join(pypath.Dir(file), inc)
				d.requirements(inc, seen, depth+1)
			} else if arg, ok := editableOption(text); ok {
				d.directReference(pos, arg)
			}
			continue
		}
		text = cutOptions(text) // per-requirement options: --hash=...
		if isURLOrPath(text) {
			d.directReference(pos, text)
			continue
		}
		if r, ok := parseRequirement(text); ok {
			d.requirement(pos, r)
		}
	}
}

// cutOptions removes a requirement line's options: from the first "-"
// after white space on.
func cutOptions(s string) string {
	for i := 1; i < len(s); i++ {
		if s[i] == '-' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// editableOption returns the argument of a -e/--editable line.
func editableOption(line string) (string, bool) {
	for _, opt := range []string{"--editable", "-e"} {
		if rest, ok := strings.CutPrefix(line, opt); ok {
			rest = strings.TrimSpace(strings.TrimPrefix(rest, "="))
			if f := strings.Fields(rest); len(f) > 0 {
				return f[0], true
			}
		}
	}
	return "", false
}

// isURLOrPath reports whether a requirement line installs from a URL or a
// path rather than naming a distribution.
func isURLOrPath(s string) bool {
	return strings.Contains(s, "://") && !strings.Contains(s, "@") ||
		strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "file:") ||
		strings.HasPrefix(s, "git+") || strings.HasPrefix(s, "hg+") || strings.HasPrefix(s, "svn+") || strings.HasPrefix(s, "bzr+")
}

// directReference notes a wanted package installed from a URL or a path
// (pip's "#egg=prefect", or "prefect @ git+https://..."): which release it
// installs cannot be told from the project.
func (d *detector) directReference(pos sources.Position, ref string) {
	name := ""
	if _, frag, ok := strings.Cut(ref, "#"); ok {
		for _, kv := range strings.Split(frag, "&") {
			if v, ok := strings.CutPrefix(kv, "egg="); ok {
				name = v
			}
		}
	}
	if name == "" {
		if r, ok := parseRequirement(ref); ok && r.url != "" {
			name, ref = r.name, r.url
		}
	}
	if name == "" || !d.missing(name) {
		return
	}
	flag := "--prefect-version"
	if k, _ := d.key(name); k == PydanticSettings {
		flag = "--pydantic-settings-version"
	}
	d.skip(pos, "%s comes from %s, a URL or a path: which release that is cannot be told; select one with %s", name, schema.MaskURL(ref), flag)
}

// requirement files what one PEP 508 requirement says of a wanted
// package: an exact pin, a range, or a direct reference.
func (d *detector) requirement(pos sources.Position, r requirement) {
	_, ok := d.key(r.name)
	switch {
	case !ok:
	case r.url != "":
		d.directReference(pos, r.name+" @ "+r.url)
	case r.spec == "": // any version: says nothing of which
	default:
		q, err := release.ParseRequirement(r.spec)
		switch {
		case err != nil:
			if d.missing(r.name) {
				d.skip(pos, "%s%s passed over: %v", r.name, r.spec, err)
			}
		case !q.IsRange():
			d.found(r.name, r.spec, Pin, pos, r.markers)
		default:
			d.foundRange(r.name, r.spec, pos)
		}
	}
}

// stripComment removes a comment: a "#" at the start of the line or after
// white space, as pip reads it.
func stripComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i]
		}
	}
	return s
}

// includeOption returns the file of a -r/--requirement or -c/--constraint
// line.
func includeOption(line string) (string, bool) {
	for _, opt := range []string{"--requirement", "--constraint", "-r", "-c"} {
		rest, ok := strings.CutPrefix(line, opt)
		if !ok {
			continue
		}
		if strings.HasPrefix(rest, "=") {
			rest = rest[1:]
		} else if len(opt) > 2 && rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			continue // --requirementsX: another option
		}
		rest = strings.TrimSpace(rest)
		if f := strings.Fields(rest); len(f) > 0 {
			return f[0], true
		}
	}
	return "", false
}

// requirement is a PEP 508 requirement as a project lists it.
type requirement struct {
	name    string
	spec    string // the version specifiers, white space normalized: "==3.4.2", ">=3.4, <3.5"; "" for none
	url     string // for "name @ url"
	markers string // after ";"
}

// parseRequirement reads a PEP 508 requirement: a name, extras, then
// version specifiers (in parentheses or not) or "@ url", then markers
// after ";". ok is false when no name starts it.
func parseRequirement(s string) (requirement, bool) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	r := requirement{name: s[:i]}
	rest := strings.TrimSpace(s[i:])
	if r.name == "" {
		return r, false
	}
	if strings.HasPrefix(rest, "[") { // extras
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return r, false
		}
		rest = strings.TrimSpace(rest[end+1:])
	}
	if url, ok := strings.CutPrefix(rest, "@"); ok {
		url = strings.TrimSpace(url)
		if j := strings.IndexFunc(url, unicode.IsSpace); j >= 0 {
			url = url[:j] // markers follow after white space: a URL may hold ";"
		}
		r.url = url
		return r, url != ""
	}
	spec, markers, _ := strings.Cut(rest, ";")
	r.markers = strings.Join(strings.Fields(markers), " ")
	spec = strings.TrimSpace(spec)
	if strings.HasPrefix(spec, "(") && strings.HasSuffix(spec, ")") {
		spec = spec[1 : len(spec)-1]
	}
	r.spec = strings.Join(strings.Fields(spec), " ")
	return r, true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// poetrySpec turns a Poetry version constraint into PEP 440 specifiers:
// "3.4.25" and "==3.4.25" pin, "^3.4" is ">=3.4,<4.0", "~3.4.2" is
// ">=3.4.2,<3.5.0", "3.4.*" is "==3.4.*"; comparisons stay. ok is false
// for "*" (any version) and for what it cannot read ("||" alternatives).
func poetrySpec(c string) (string, bool) {
	var out []string
	c = operatorSpace.ReplaceAllString(strings.ReplaceAll(c, ",", " "), "$1")
	for _, tok := range strings.Fields(c) {
		switch {
		case tok == "*" || strings.Contains(tok, "|"):
			return "", false
		case strings.HasPrefix(tok, "^"), strings.HasPrefix(tok, "~") && !strings.HasPrefix(tok, "~="):
			q, err := release.ParseRequirement(tok[1:])
			if err != nil || q.IsRange() {
				return "", false
			}
			n := len(strings.Split(tok[1:], "."))
			out = append(out, ">="+tok[1:], "<"+bumpUpper(q.Version(), n, tok[0] == '^'))
		case tok[0] >= '0' && tok[0] <= '9':
			out = append(out, "=="+tok)
		case strings.HasPrefix(tok, "=") && !strings.HasPrefix(tok, "=="):
			out = append(out, "="+tok)
		default:
			out = append(out, tok)
		}
	}
	if len(out) == 0 {
		return "", false
	}
	return strings.Join(out, ","), true
}

// operatorSpace is an operator of a Poetry constraint and the white space
// after it (">= 3.4").
var operatorSpace = regexp.MustCompile(`([<>=!~^]+)\s+`)

// bumpUpper returns the exclusive upper bound of a Poetry caret or tilde
// constraint on v written with n numbers.
func bumpUpper(v release.Version, n int, caret bool) string {
	switch {
	case caret && (v.Major > 0 || n == 1):
		return fmt.Sprintf("%d.0.0", v.Major+1)
	case caret && (v.Minor > 0 || n == 2):
		return fmt.Sprintf("0.%d.0", v.Minor+1)
	case caret:
		return fmt.Sprintf("0.0.%d", v.Patch+1)
	case n == 1:
		return fmt.Sprintf("%d.0.0", v.Major+1)
	}
	return fmt.Sprintf("%d.%d.0", v.Major, v.Minor+1)
}

// pyproject reads the exact pins among pyproject.toml's dependencies:
// [project] dependencies and optional-dependencies, [dependency-groups],
// uv's override and constraint dependencies, PDM's dev-dependencies, and
// Poetry's dependency tables.
func (d *detector) pyproject(file string, data []byte) {
	d.pinsTOML(file, data, func(at *walkPath, v *unstable.Node, p *unstable.Parser) {
		if len(at.key) == 0 {
			return
		}
		path := at.path()
		switch {
		case is(path, "project", "dependencies"),
			len(path) == 3 && is(path[:2], "project", "optional-dependencies"),
			len(path) == 2 && path[0] == "dependency-groups",
			is(path, "tool", "uv", "override-dependencies"),
			is(path, "tool", "uv", "constraint-dependencies"),
			is(path, "tool", "uv", "dev-dependencies"),
			len(path) == 4 && is(path[:3], "tool", "pdm", "dev-dependencies"):
			d.pep508Array(file, v, p)
		case len(path) == 4 && is(path[:2], "tool", "poetry") && (path[2] == "dependencies" || path[2] == "dev-dependencies"):
			d.poetryDependency(file, path[3], v, p)
		case len(path) == 5 && is(path[:2], "tool", "poetry") && path[2] == "dependencies" && path[4] == "version":
			d.poetryDependency(file, path[3], v, p) // prefect.version = "3.4.25"
		case len(path) == 6 && is(path[:3], "tool", "poetry", "group") && path[4] == "dependencies":
			d.poetryDependency(file, path[5], v, p)
		}
	})
}

// pinsTOML visits the key/value pairs of a TOML pin file (pyproject.toml,
// Pipfile), and drops what the visits found when the document is not
// read (walkTOML).
//
// When only the versions are wanted, the document is first walked
// without the checks: most pin files name Prefect with no version, or not
// at all, and whether a document that pins nothing is valid changes no
// version. Only one that pins something is walked again with the checks,
// which cost several times the walk.
func (d *detector) pinsTOML(file string, data []byte, visit tomlVisit) {
	before := d.mark()
	if d.opts.VersionsOnly {
		if walkTOMLUnchecked(data, visit); d.mark() == before {
			return
		}
		d.reset(before)
	}
	bad, discard := walkTOML(file, data, visit)
	if discard {
		d.reset(before)
	}
	if bad != nil {
		d.note(*bad)
	}
}

// pep508Array reads an array of PEP 508 requirement strings.
func (d *detector) pep508Array(file string, v *unstable.Node, p *unstable.Parser) {
	if v == nil || v.Kind != unstable.Array {
		return
	}
	it := v.Children()
	for it.Next() {
		n := it.Node()
		if s, ok := str(n); ok {
			if r, ok := parseRequirement(s); ok {
				d.requirement(sources.Position{File: file, Line: line(p, n)}, r)
			}
		}
	}
}

// poetryDependency reads one Poetry dependency: name = "3.4.25",
// name = { version = "3.4.25", ... }, or Poetry's multiple constraints,
// an array of such tables each for its own Python or markers.
func (d *detector) poetryDependency(file, name string, v *unstable.Node, p *unstable.Parser) {
	if _, ok := d.key(name); !ok || v == nil {
		return
	}
	vs := []*unstable.Node{v}
	if v.Kind == unstable.Array {
		vs = nil
		for it := v.Children(); it.Next(); {
			vs = append(vs, it.Node())
		}
	}
	for _, v := range vs {
		if s, ok := str(versionOf(v)); ok {
			if spec, ok := poetrySpec(s); ok {
				d.requirement(sources.Position{File: file, Line: line(p, v)}, requirement{name: name, spec: spec, markers: poetryMarkers(v)})
			}
		}
	}
}

// poetryMarkers returns the conditions of a Poetry dependency table
// (python = "<3.10", markers = "..."), for the note on an entry passed
// over for another.
func poetryMarkers(v *unstable.Node) string {
	if v.Kind != unstable.InlineTable {
		return ""
	}
	var out []string
	for kids := v.Children(); kids.Next(); {
		kv := kids.Node()
		k := keyPath(kv.Key())
		if s, ok := str(kv.Value()); ok && (is(k, "python") || is(k, "markers")) {
			out = append(out, k[0]+" "+strings.Join(strings.Fields(s), " "))
		}
	}
	return strings.Join(out, "; ")
}

// pipfile reads Pipfile's [packages] and [dev-packages]: name = "==3.4.25"
// or name = { version = "==3.4.25", ... }.
func (d *detector) pipfile(file string, data []byte) {
	d.pinsTOML(file, data, func(at *walkPath, v *unstable.Node, p *unstable.Parser) {
		if len(at.key) == 0 {
			return
		}
		path := at.path()
		switch {
		case len(path) == 2 && (path[0] == "packages" || path[0] == "dev-packages"):
		case len(path) == 3 && (path[0] == "packages" || path[0] == "dev-packages") && path[2] == "version":
		default:
			return
		}
		name := path[1]
		if _, ok := d.key(name); !ok {
			return
		}
		if s, ok := str(versionOf(v)); ok && strings.TrimSpace(s) != "*" {
			d.requirement(sources.Position{File: file, Line: line(p, v)}, requirement{name: name, spec: strings.Join(strings.Fields(s), " ")})
		}
	})
}

// versionOf returns the version = value of an inline table dependency
// ({ version = "==3.4.25", ... }), else v itself: a plain string, or a
// table without a version, which str then refuses.
func versionOf(v *unstable.Node) *unstable.Node {
	if v.Kind != unstable.InlineTable {
		return v
	}
	kids := v.Children()
	for kids.Next() {
		if kv := kids.Node(); is(keyPath(kv.Key()), "version") {
			return kv.Value()
		}
	}
	return v
}
