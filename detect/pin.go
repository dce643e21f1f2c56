package detect

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"

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
}

// requirementsFiles returns requirements.txt, the other requirements*.txt
// in name order, then requirements/*.txt.
func (d *detector) requirementsFiles() []string {
	var top []string
	d.list(d.opts.Dir, "requirements*.txt")
	for name := range d.names {
		if strings.HasPrefix(name, "requirements") && strings.HasSuffix(name, ".txt") {
			top = append(top, d.path(name))
		}
	}
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
	if d.has("requirements") {
		d.list(d.path("requirements"), "*.txt")
		sub, _ := filepath.Glob(filepath.Join(d.path("requirements"), "*.txt"))
		top = append(top, sub...)
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
		if strings.HasPrefix(text, "-") {
			if inc, ok := includeOption(text); ok {
				if !filepath.IsAbs(inc) {
					inc = filepath.Join(filepath.Dir(file), inc)
				}
				d.requirements(inc, seen, depth+1)
			}
			continue
		}
		if opt := strings.Index(text, " -"); opt >= 0 {
			text = text[:opt] // per-requirement options: --hash=...
		}
		if name, version, ok := exactPin(text); ok {
			d.found(name, version, Pin, sources.Position{File: file, Line: start})
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

// exactPin reads a PEP 508 requirement and returns its name and version
// when it pins exactly one version (name==X or name===X, whatever other
// clauses, extras and markers it has).
func exactPin(req string) (name, version string, ok bool) {
	req, _, _ = strings.Cut(req, ";") // markers
	i := 0
	for i < len(req) && isNameByte(req[i]) {
		i++
	}
	name, rest := req[:i], strings.TrimSpace(req[i:])
	if name == "" {
		return "", "", false
	}
	if strings.HasPrefix(rest, "[") { // extras
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "", "", false
		}
		rest = strings.TrimSpace(rest[end+1:])
	}
	if strings.HasPrefix(rest, "@") { // a URL
		return "", "", false
	}
	rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")"))
	for _, clause := range strings.Split(rest, ",") {
		clause = strings.TrimSpace(clause)
		v, ok := strings.CutPrefix(clause, "===")
		if !ok {
			v, ok = strings.CutPrefix(clause, "==")
		}
		if v = strings.TrimSpace(v); ok && v != "" && !strings.ContainsAny(v, "* ") {
			return name, v, true
		}
	}
	return "", "", false
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// poetryPin reads a Poetry version constraint and returns the version when
// it is exact: "3.4.25", "==3.4.25" or "=3.4.25".
func poetryPin(c string) (string, bool) {
	c = strings.TrimSpace(c)
	v := strings.TrimLeft(c, "=")
	if len(c)-len(v) > 3 || v == "" || strings.ContainsAny(v, "<>!~^*|, ") {
		return "", false
	}
	if v[0] < '0' || v[0] > '9' {
		return "", false
	}
	return v, true
}

// pyproject reads the exact pins among pyproject.toml's dependencies:
// [project] dependencies and optional-dependencies, [dependency-groups],
// uv's override and constraint dependencies, PDM's dev-dependencies, and
// Poetry's dependency tables.
func (d *detector) pyproject(file string, data []byte) {
	bad := walkTOML(file, data, func(table, key []string, v *unstable.Node, p *unstable.Parser) {
		if key == nil {
			return
		}
		path := append(slices.Clip(table), key...)
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
	if bad != nil {
		d.skipped = append(d.skipped, *bad)
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
			if name, version, ok := exactPin(s); ok {
				d.found(name, version, Pin, sources.Position{File: file, Line: line(p, n)})
			}
		}
	}
}

// poetryDependency reads one Poetry dependency: name = "3.4.25" or
// name = { version = "3.4.25", ... }.
func (d *detector) poetryDependency(file, name string, v *unstable.Node, p *unstable.Parser) {
	if !d.missing(name) || v == nil {
		return
	}
	if s, ok := str(versionOf(v)); ok {
		if version, ok := poetryPin(s); ok {
			d.found(name, version, Pin, sources.Position{File: file, Line: line(p, v)})
		}
	}
}

// pipfile reads Pipfile's [packages] and [dev-packages]: name = "==3.4.25"
// or name = { version = "==3.4.25", ... }.
func (d *detector) pipfile(file string, data []byte) {
	bad := walkTOML(file, data, func(table, key []string, v *unstable.Node, p *unstable.Parser) {
		if key == nil {
			return
		}
		path := append(slices.Clip(table), key...)
		switch {
		case len(path) == 2 && (path[0] == "packages" || path[0] == "dev-packages"):
		case len(path) == 3 && (path[0] == "packages" || path[0] == "dev-packages") && path[2] == "version":
		default:
			return
		}
		name := path[1]
		if !d.missing(name) {
			return
		}
		if s, ok := str(versionOf(v)); ok {
			if _, version, ok := exactPin(name + s); ok {
				d.found(name, version, Pin, sources.Position{File: file, Line: line(p, v)})
			}
		}
	})
	if bad != nil {
		d.skipped = append(d.skipped, *bad)
	}
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
