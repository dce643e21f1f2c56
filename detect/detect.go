package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/sources"
)

// The distributions detection looks for, by their normalized names.
const (
	Prefect          = "prefect"
	PydanticSettings = "pydantic-settings"
)

// PrefectClient is Prefect's client-only distribution, which ships the same
// settings code: a version of it is a version of Prefect.
const PrefectClient = "prefect-client"

// Kind says what kind of file a version was read from.
type Kind uint8

// The kinds of files, most reliable first.
const (
	None       Kind = iota // not found
	Virtualenv             // an installed package's metadata
	Lock                   // a lock file
	Pin                    // an exact pin among the project's dependencies
)

var kindNames = [...]string{None: "none", Virtualenv: "virtualenv", Lock: "lock file", Pin: "pin"}

// String returns "virtualenv", "lock file", "pin" or "none".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Options say which project to look at. The zero value looks at nothing.
type Options struct {
	// Dir is the project's working directory, where .venv/, venv/, the
	// lock files, requirements*.txt, pyproject.toml and Pipfile are read.
	Dir string
	// VirtualEnv is the active virtualenv ($VIRTUAL_ENV); a relative path
	// is taken from Dir. Empty means none is active.
	VirtualEnv string

	// Entries, when not nil, are the names of Dir's entries, from a
	// listing of it just made: Dir is not listed again.
	Entries []string
	// ReadFile, when not nil, reads the files detection reads, in place
	// of sources.ReadFileMax and with its errors: a caller that reads
	// some of them too keeps what was read.
	ReadFile func(path string, max int64) ([]byte, error)

	// VersionsOnly says the caller uses only Project.Prefect and
	// Project.PydanticSettings, which are found as without it: Skipped,
	// Read and Listed are left empty, and the work that serves them
	// alone is not done (the paths of the files looked for, the notes on
	// what was passed over). A linter detecting the release of each of
	// many projects sets it.
	VersionsOnly bool
}

// Found is a version read from the project.
type Found struct {
	// Version is the version as written ("3.4.25", "3.5.0rc1"); empty when
	// none was found.
	Version string
	// Kind is the kind of file it was read from.
	Kind Kind
	// Pos is where it was written: the file and line.
	Pos sources.Position

	where string // the entry's markers, for the note on a later entry
}

// OK reports whether a version was found.
func (f Found) OK() bool { return f.Version != "" }

// String renders the find as "3.4.25 (uv.lock:120)", or "unknown".
func (f Found) String() string {
	if !f.OK() {
		return "unknown"
	}
	return fmt.Sprintf("%s (%s)", f.Version, f.Pos)
}

// Skipped is a file, or an entry of a file, detection passed over, and
// why.
type Skipped struct {
	Pos    sources.Position // the file, and the line of the problem when known
	Reason string

	pkg string // for an entry passed over for an earlier one of the same file: the package
}

// String renders the skip as "file:line: reason".
func (s Skipped) String() string { return s.Pos.String() + ": " + s.Reason }

// Project is what detection found in one project.
type Project struct {
	Prefect          Found
	PydanticSettings Found
	// Skipped lists the files that could have said and did not: malformed,
	// unreadable, or a lock file naming no Prefect.
	Skipped []Skipped
	// Read lists every file and directory detection read or looked for,
	// whether or not it exists: creating, changing or removing one may
	// change the answer. Files of lower precedence than the ones that
	// answered are not looked for, so are not listed.
	Read []string
	// Listed are the names detection looked for by listing a directory
	// (requirements*.txt, a virtualenv's python3.* and *.dist-info): a
	// file whose name matches, created or removed there, may change the
	// answer.
	Listed []Pattern
}

// Pattern is the entries of Dir whose names match Name, a filepath.Match
// pattern.
type Pattern struct {
	Dir, Name string
}

// Detect reads the versions of Prefect and pydantic-settings the project in
// opts.Dir runs. It never fails: what it cannot read it skips, and says so
// in Project.Skipped.
func Detect(opts Options) *Project {
	p := &Project{}
	d := newDetector(opts, p)
	if opts.Dir != "" {
		// One read of the directory tells which files exist, so that a
		// project with few of them costs few system calls.
		names := opts.Entries
		if names == nil {
			entries, _ := os.ReadDir(opts.Dir)
			names = make([]string, len(entries))
			for i, e := range entries {
				names[i] = e.Name()
			}
		}
		d.setNames(names)
	}
	if opts.Dir != "" || opts.VirtualEnv != "" {
		for _, step := range []func(){d.virtualenvs, d.locks, d.pins} {
			if d.done() {
				break
			}
			step()
		}
	}
	p.Skipped = d.skipped
	p.Read, p.Listed = d.read, d.patterns
	return p
}

// wanted are the packages detection looks for, by their normalized names;
// a detector's want and ranged are in this order.
var wanted = [...]string{Prefect, PydanticSettings}

// wantedIndex returns the index of the normalized name k in wanted, or -1.
func wantedIndex(k string) int {
	switch k {
	case Prefect:
		return 0
	case PydanticSettings:
		return 1
	}
	return -1
}

// A detector is arrays and slices rather than maps: one is made for each
// project and each file parsed, and small maps cost more to build than
// the few lookups they serve.
type detector struct {
	opts     Options
	want     [len(wanted)]*Found // where to file the version of each wanted package
	ranged   [len(wanted)]Found  // the first range found for each, used when no pin is; Version "" for none
	skipped  []Skipped
	listed   bool            // opts.Dir was listed: names (or byName) holds its entries
	names    []string        // the entries of opts.Dir, when few
	byName   map[string]bool // the entries of opts.Dir, when many
	read     []string        // the files read or looked for
	patterns []Pattern       // the names looked for by listing a directory
	seen     map[string]bool // the entries of read
}

// manyNames is the number of entries of opts.Dir beyond which a map finds
// a name faster than a look through the list.
const manyNames = 32

// setNames records names, the entries of opts.Dir.
func (d *detector) setNames(names []string) {
	d.listed = true
	if len(names) <= manyNames {
		d.names = names
		return
	}
	d.byName = make(map[string]bool, len(names))
	for _, name := range names {
		d.byName[name] = true
	}
}

// entry reports whether opts.Dir holds an entry named name, or was not
// listed.
func (d *detector) entry(name string) bool {
	switch {
	case !d.listed:
		return true
	case d.byName != nil:
		return d.byName[name]
	}
	return slices.Contains(d.names, name)
}

// look records that detection read, or looked for, the file at path.
func (d *detector) look(path string) {
	if d.opts.VersionsOnly {
		return
	}
	if d.seen == nil {
		// A project's few files are found in the list itself; a map
		// takes over when it grows long.
		if slices.Contains(d.read, path) {
			return
		}
		d.read = append(d.read, path)
		if len(d.read) > 32 {
			d.seen = make(map[string]bool, 2*len(d.read))
			for _, p := range d.read {
				d.seen[p] = true
			}
		}
		return
	}
	if !d.seen[path] {
		d.seen[path] = true
		d.read = append(d.read, path)
	}
}

// list records that detection looked for the names in dir that match
// name.
func (d *detector) list(dir, name string) {
	if d.opts.VersionsOnly {
		return
	}
	d.patterns = append(d.patterns, Pattern{Dir: dir, Name: name})
}

func newDetector(opts Options, p *Project) *detector {
	return &detector{opts: opts, want: [...]*Found{&p.Prefect, &p.PydanticSettings}}
}

// has reports whether the working directory holds an entry named name.
func (d *detector) has(name string) bool {
	if !d.opts.VersionsOnly {
		d.look(d.path(name))
	}
	return d.entry(name)
}

// done reports whether every package has been found.
func (d *detector) done() bool {
	for _, f := range d.want {
		if !f.OK() {
			return false
		}
	}
	return true
}

// key returns the package detection looks for that name is (prefect for
// prefect-client), and whether it is one.
func (d *detector) key(name string) (string, bool) {
	k := normalize(name)
	if k == PrefectClient {
		k = Prefect
	}
	return k, wantedIndex(k) >= 0
}

// wants returns where the version of k, a package detection looks for,
// is filed.
func (d *detector) wants(k string) *Found {
	return d.want[wantedIndex(k)]
}

// found files a version, unless the package was found already at a higher
// precedence. The version must be one version as PEP 440 writes it (a pin
// "==3.4.2" is taken as "3.4.2"); another is passed over, and said so. A
// later entry of the same file for a package it gave (under other
// markers, for another platform) is passed over, and said so: the first
// entry is taken. where describes the entry (its markers) for that note.
func (d *detector) found(name, version string, kind Kind, pos sources.Position, where string) {
	k, ok := d.key(name)
	if !ok || version == "" {
		return
	}
	text := strings.TrimSpace(version)
	if t, ok := strings.CutPrefix(text, "==="); ok {
		text = strings.TrimSpace(t)
	} else if t, ok := strings.CutPrefix(text, "=="); ok {
		text = strings.TrimSpace(t)
	}
	f := d.wants(k)
	if f.OK() {
		if f.Pos.File == pos.File && f.Kind == kind && (f.Version != text || f.where != where) {
			d.note(Skipped{Pos: pos, pkg: k, Reason: fmt.Sprintf(
				"%s %s passed over: line %d names %s %s before it, and the first entry is taken; which one is installed depends on the environment",
				name, describeEntry(text, where), f.Pos.Line, k, describeEntry(f.Version, f.where))})
		}
		return
	}
	if q, err := release.ParseRequirement(text); err != nil || q.IsRange() {
		d.skip(pos, "%s passed over: %s", name, versionError(version))
		return
	}
	*f = Found{Version: text, Kind: kind, Pos: pos, where: where}
}

// describeEntry renders an entry's version and markers: "3.6.0" or
// "3.6.0 (python_version >= \"3.10\")".
func describeEntry(version, where string) string {
	if where == "" {
		return version
	}
	return version + " (" + where + ")"
}

// versionError says why a version read from a file is not one version,
// control characters escaped.
func versionError(version string) string {
	return fmt.Sprintf("%q is not a version", version)
}

// foundRange files the first range a pin file gives for a package, used at
// the end of the pins when no exact pin names it.
func (d *detector) foundRange(name, spec string, pos sources.Position) {
	k, ok := d.key(name)
	if !ok || d.wants(k).OK() {
		return
	}
	if r := &d.ranged[wantedIndex(k)]; r.Version == "" {
		*r = Found{Version: spec, Kind: Pin, Pos: pos}
	}
}

// missing reports whether name is wanted and not found yet.
func (d *detector) missing(name string) bool {
	k, ok := d.key(name)
	return ok && !d.wants(k).OK()
}

// skip notes that what is at pos was passed over, and why.
func (d *detector) skip(pos sources.Position, format string, args ...any) {
	if !d.opts.VersionsOnly {
		d.note(Skipped{Pos: pos, Reason: fmt.Sprintf(format, args...)})
	}
}

// note adds s to the skipped, unless only the versions are wanted.
func (d *detector) note(s Skipped) {
	if !d.opts.VersionsOnly {
		d.skipped = append(d.skipped, s)
	}
}

// path returns name under the working directory, as the system finds it:
// a ".." after a link in Dir leads out of the link's target.
func (d *detector) path(name string) string {
	if d.opts.Dir == "" {
		return name
	}
	return pypath.Join(d.opts.Dir, name)
}

// glob returns the entries of dir whose names match pattern, a
// filepath.Match pattern, in name order, each joined to dir as the system
// follows it (filepath.Glob cleans away a ".." after a link).
func glob(dir, pattern string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if ok, _ := filepath.Match(pattern, e.Name()); ok {
			out = append(out, pypath.Join(dir, e.Name()))
		}
	}
	return out
}

// isNormalized reports whether normalize returns name as it is: lower-case
// letters and digits, single "-" between them.
func isNormalized(name string) bool {
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && i > 0 && i < len(name)-1 && name[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// normalize returns a distribution name as PEP 503 compares it: lower
// case, every run of "-", "_" and "." one "-".
func normalize(name string) string {
	if isNormalized(name) {
		return name // most names are: no need to build one
	}
	return buildNormalized(name)
}

// buildNormalized builds what normalize returns.
func buildNormalized(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.TrimSpace(name) {
		if c == '-' || c == '_' || c == '.' {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}
