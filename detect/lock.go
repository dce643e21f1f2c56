package detect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/strata-settings/strata/sources"
)

// maxFile bounds what detection reads of one file.
const maxFile = 64 << 20

// tomlLocks are the TOML lock files, in precedence order, with the array
// of tables that lists their packages. uv, Poetry and PDM write
// [[package]] tables; a PEP 751 lock writes [[packages]].
var tomlLocks = []struct{ file, array string }{
	{"uv.lock", "package"},
	{"poetry.lock", "package"},
	{"pdm.lock", "package"},
	{"pylock.toml", "packages"},
}

// locks reads the lock files of the working directory.
func (d *detector) locks() {
	if d.opts.Dir == "" {
		return
	}
	for _, l := range tomlLocks {
		if !d.done() && d.has(l.file) {
			d.cached(d.path(l.file), func(r *detector, file string, data []byte) { r.tomlLock(file, data, l.array) })
		}
	}
	if !d.done() && d.has("Pipfile.lock") {
		d.cached(d.path("Pipfile.lock"), (*detector).pipfileLock)
	}
}

// readFile reads a file detection may use; a missing file is no problem.
func (d *detector) readFile(file string) ([]byte, bool) {
	d.look(file)
	read := sources.ReadFileMax
	if d.opts.ReadFile != nil {
		read = d.opts.ReadFile
	}
	data, err := read(file, maxFile)
	if err == nil {
		return data, true
	}
	d.unread(file, err)
	return nil, false
}

// unread notes why file could not be read, unless it does not exist. It
// is apart from readFile because the targets of errors.As escape: there,
// they were allocated for every file read.
func (d *detector) unread(file string, err error) {
	var fe *sources.FileError
	var re *sources.ReadError
	switch {
	case errors.Is(err, os.ErrNotExist):
	case errors.Is(err, syscall.EISDIR): // a directory named like the file: as a FIFO is
		d.skip(sources.Position{File: file}, "not a regular file (a directory), not read")
	case errors.As(err, &fe): // a FIFO or a device, never waited on; or too large
		d.skip(sources.Position{File: file}, "%s, not read", strings.TrimSuffix(fe.Msg, ": settings are read only from regular files"))
	case errors.As(err, &re):
		d.skip(sources.Position{File: file}, "%s", re.Reason())
	default:
		d.skip(sources.Position{File: file}, "cannot be read: %v", unwrapPath(err))
	}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// tomlLock reads the name, version and markers of each [[array]] table of
// a lock file. The first entry of a package wins (uv lists one package
// several times only when its versions differ by platform, each entry
// under its resolution-markers; Poetry under markers, PDM and PEP 751
// under marker).
func (d *detector) tomlLock(file string, data []byte, array string) {
	type entry struct {
		name, version, markers string
		offset                 int64
	}
	var entries []entry
	bad, _ := walkTOML(file, data, func(at *walkPath, v *unstable.Node, p *unstable.Parser) {
		table, key := at.table, at.key
		if !is(table, array) {
			return
		}
		if len(key) == 0 {
			entries = append(entries, entry{})
			return
		}
		if len(entries) == 0 {
			return
		}
		e := &entries[len(entries)-1]
		s, ok := str(v)
		switch {
		case !ok:
		case is(key, "name"):
			e.name = s
		case is(key, "version"):
			e.version, e.offset = s, int64(v.Raw.Offset)
		}
		if is(key, "resolution-markers") || is(key, "markers") || is(key, "marker") {
			e.markers = lockMarkers(v)
		}
	})
	if bad != nil {
		d.note(*bad)
		return
	}
	d.lockEntries(file, func(yield func(name, version, markers string, line func() int)) {
		for _, e := range entries {
			yield(e.name, e.version, e.markers, func() int { return lineAt(data, e.offset) })
		}
	})
}

// lockMarkers renders the markers of a lock file's entry, for the note on
// an entry passed over for another: a string (Poetry's markers, PDM's and
// PEP 751's marker), an array of them (uv's resolution-markers, any of
// which selects the entry), or a table of them by dependency group
// (Poetry 2's markers = { main = "..." }).
func lockMarkers(v *unstable.Node) string {
	if s, ok := str(v); ok {
		return strings.Join(strings.Fields(s), " ")
	}
	var out []string
	sep := " or "
	for kids := v.Children(); kids.Next(); {
		n := kids.Node()
		switch {
		case v.Kind == unstable.Array:
			if s, ok := str(n); ok {
				out = append(out, strings.Join(strings.Fields(s), " "))
			}
		case v.Kind == unstable.InlineTable && n.Kind == unstable.KeyValue:
			if s, ok := str(n.Value()); ok {
				out = append(out, strings.Join(keyPath(n.Key()), ".")+": "+strings.Join(strings.Fields(s), " "))
				sep = "; "
			}
		}
	}
	return strings.Join(out, sep)
}

// lockEntries files the wanted packages of a lock file, and says so when
// the file names no Prefect, or names it without a version.
func (d *detector) lockEntries(file string, entries func(yield func(name, version, markers string, line func() int))) {
	named, versioned := false, false
	entries(func(name, version, markers string, line func() int) {
		k, ok := d.key(name)
		if k == Prefect {
			named, versioned = true, versioned || version != ""
		}
		if version == "" || !ok {
			return
		}
		d.found(name, version, Lock, sources.Position{File: file, Line: line()}, markers)
	})
	switch {
	case !named:
		d.skip(sources.Position{File: file}, "names no %s package", Prefect)
	case !versioned && d.missing(Prefect):
		d.skip(sources.Position{File: file}, "names %s without a version", Prefect)
	}
}

// pipfileLock reads Pipfile.lock, JSON written by Pipenv: in its "default"
// and "develop" objects, each package maps to {"version": "==3.4.25"}.
func (d *detector) pipfileLock(file string, data []byte) {
	type entry struct {
		name, version, markers string
		line                   int
	}
	var entries []entry
	err := walkPipfileLock(data, func(name, version, markers string, offset int64) {
		entries = append(entries, entry{name, strings.TrimLeft(version, "="), strings.Join(strings.Fields(markers), " "), lineAt(data, offset)})
	})
	if err != nil {
		pos := sources.Position{File: file}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			pos.Line = lineAt(data, se.Offset)
		}
		d.skip(pos, "not valid JSON: %v", err)
		return
	}
	d.lockEntries(file, func(yield func(name, version, markers string, line func() int)) {
		for _, e := range entries {
			if strings.ContainsAny(e.version, "<>!~*, ") {
				e.version = "" // not one version
			}
			yield(e.name, e.version, e.markers, func() int { return e.line })
		}
	})
}

// walkPipfileLock visits each package of the "default" and "develop"
// sections, with its version, its markers and the byte offset of the
// version's value.
func walkPipfileLock(data []byte, visit func(name, version, markers string, offset int64)) error {
	if !json.Valid(data) {
		var v any
		return json.Unmarshal(data, &v) // the error, with its offset
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("want a JSON object")
	}
	for dec.More() {
		section, err := dec.Token()
		if err != nil {
			return err
		}
		if section != "default" && section != "develop" {
			if err := skipValue(dec); err != nil {
				return err
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return fmt.Errorf("%q: want an object of packages", section)
		}
		for dec.More() {
			name, err := dec.Token()
			if err != nil {
				return err
			}
			if err := pipfilePackage(dec, name.(string), visit); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // }
			return err
		}
	}
	return nil
}

// pipfilePackage reads one package's object and visits its version, with
// its markers.
func pipfilePackage(dec *json.Decoder, name string, visit func(name, version, markers string, offset int64)) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return nil // not an object: nothing to read
	}
	var version, markers string
	var offset int64
	hasVersion := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		if key != "version" && key != "markers" {
			if err := skipValue(dec); err != nil {
				return err
			}
			continue
		}
		start := dec.InputOffset()
		v, err := dec.Token()
		if err != nil {
			return err
		}
		if s, ok := v.(string); ok && key == "version" {
			version, offset, hasVersion = s, start+1, true
		} else if ok {
			markers = s
		} else if d, ok := v.(json.Delim); ok && (d == '{' || d == '[') {
			if err := skipRest(dec); err != nil {
				return err
			}
		}
	}
	if hasVersion {
		visit(name, version, markers, offset)
	}
	_, err = dec.Token() // }
	return err
}

// skipValue skips the next value of dec.
func skipValue(dec *json.Decoder) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); ok && (d == '{' || d == '[') {
		return skipRest(dec)
	}
	return nil
}

// skipRest skips the rest of an object or array whose opening delimiter
// was just read.
func skipRest(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// lineAt returns the 1-based line of the byte at offset, skipping the
// white space a JSON decoder's offset may point at.
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	for offset < int64(len(data)) && (data[offset] == ' ' || data[offset] == '\t' || data[offset] == ':') {
		offset++
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}
