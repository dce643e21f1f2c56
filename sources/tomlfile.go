package sources

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-settings/strata/schema"
)

// ReadPrefectTOML reads the settings of the prefect.toml file at path. A
// missing file yields an empty layer. Keys are the settings' accessors, with
// tables for groups ([server.api] port = 4200); keys Prefect does not read
// are listed in Layer.Ignored. The error is a *SyntaxError for invalid TOML,
// or a list of *ValueError for values Prefect cannot use. TOML 1.1 syntax,
// which go-toml reads and Prefect's TOML 1.0 parser rejects, is a
// *SyntaxError wrapping ErrTOML11 for each place, first in the list; the
// layer is then complete, for tools that check it further.
func ReadPrefectTOML(path string) (*Layer, error) { return Reader{}.PrefectTOML(path) }

// PrefectTOML is ReadPrefectTOML for the reader's release. A release that
// reads no TOML files (3.0) yields an empty layer.
func (rd Reader) PrefectTOML(path string) (*Layer, error) {
	return rd.readTOMLLayer(PrefectTOML, path, nil)
}

// ReadPyproject reads the settings of pyproject.toml's [tool.prefect] table
// at path, as ReadPrefectTOML does for prefect.toml.
func ReadPyproject(path string) (*Layer, error) { return Reader{}.Pyproject(path) }

// Pyproject is ReadPyproject for the reader's release.
func (rd Reader) Pyproject(path string) (*Layer, error) {
	return rd.readTOMLLayer(PyprojectTOML, path, []string{"tool", "prefect"})
}

// ValueError is a value a source holds that cannot be used, at its position.
type ValueError struct {
	Pos     Position
	Setting string // dotted path of the setting or group concerned
	Key     string // the key as written
	Msg     string
}

// Error renders the problem with its position and key.
func (e *ValueError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Pos, e.Setting, e.Msg)
}

func (rd Reader) readTOMLLayer(kind Kind, path string, prefix []string) (*Layer, error) {
	l := &Layer{Kind: kind}
	if !rd.rel().TOMLFiles {
		return l, nil
	}
	data, err := ReadFile(path)
	if absent(err) {
		return l, nil
	}
	if err != nil {
		return l, err
	}
	return rd.tomlLayer(kind, path, data, prefix)
}

// tomlLayer reads the settings of data, the contents of the TOML file path,
// from the table at prefix.
func (rd Reader) tomlLayer(kind Kind, path string, data []byte, prefix []string) (*Layer, error) {
	rel := rd.rel()
	doc, err := rd.parseTOML(path, data, kind == PyprojectTOML)
	if err != nil {
		return &Layer{Kind: kind, File: path}, err
	}
	w := walker{set: rel.Schema(), dictTables: rel.DictTables, plugins: rel.PluginsMove}
	if rd.NoCache { // the document is the caller's alone: read it once, directly
		l := new(Layer)
		err := doc.readLayer(w, kind, prefix, l)
		return l, errors.Join(append(slices.Clip(doc.toml11), err)...)
	}
	read := doc.layers(w, kind, prefix)
	l := read.layer // the slices are shared and read-only
	return &l, errors.Join(append(slices.Clip(doc.toml11), read.err)...)
}

// readLayer reads the settings of the document's table at prefix with w
// into l.
func (d *tomlDoc) readLayer(w walker, kind Kind, prefix []string, l *Layer) error {
	*l = Layer{Kind: kind, File: d.file}
	if t := d.table(prefix...); t != nil {
		var errs []error
		keyPath := make([]string, len(prefix), len(prefix)+4) // walk's buffer
		copy(keyPath, prefix)
		buf := borrowValues()
		l.Values = *buf
		d.walk(w, l, t, "", keyPath, &errs)
		sortValues(l.Values)
		l.Values = keepValues(buf, l.Values)
		sortValues(l.Plugins)
		slices.SortFunc(l.Ignored, func(a, b Ignored) int { return comparePos(a.Pos, b.Pos) })
		return errors.Join(errs...)
	}
	return nil
}

// walker is how a release reads a TOML file's settings.
type walker struct {
	set        *schema.Set
	dictTables bool // a table is a dict setting's value (release.Release.DictTables)
	plugins    bool // [experiments.plugins] is the legacy form of [plugins]
}

// walk reads the table t, which holds the settings of group (an accessor
// prefix, "" at the root); keyPath is where t stands in the file. Its
// spare capacity is walk's to write in: the key paths of t's keys are
// built there, one at a time, and none is kept.
func (d *tomlDoc) walk(w walker, l *Layer, t map[string]any, group string, keyPath []string, errs *[]error) {
	groupKeys := 0 // the keys of group's path
	if group != "" {
		groupKeys = strings.Count(group, ".") + 1
	}
	atRoot := len(keyPath) == groupKeys // no prefix: t's keys are written as their paths
	for k, v := range t {
		path := k
		if group != "" {
			path = group + "." + k
		}
		kp := append(keyPath, k)
		pos := d.position(kp)
		m, isTable := v.(map[string]any)
		if strings.Contains(k, ".") {
			l.Ignored = append(l.Ignored, Ignored{Key: keyName(kp, path, atRoot), Pos: pos,
				Reason: "a quoted key is one key: its dots do not make a path"})
			continue
		}
		if s, ok := w.set.ByPath(path); ok {
			if isTable && !s.Kind.IsJSON() {
				l.Ignored = append(l.Ignored, Ignored{Key: keyName(kp, path, atRoot), Pos: pos,
					Reason: fmt.Sprintf("a table where setting %q takes a value", path)})
				continue
			}
			if isTable && !w.dictTables {
				l.Ignored = append(l.Ignored, Ignored{Key: keyName(kp, path, atRoot), Pos: pos,
					Reason: fmt.Sprintf("this Prefect release drops a table given for %q (fixed in 3.6.21); give the value as a JSON string", path)})
				continue
			}
			l.Values = append(l.Values, Value{Setting: s, Key: keyName(kp, path, atRoot), Raw: v, Pos: pos})
			continue
		}
		if path == "experiments.plugins" && isTable && w.plugins {
			for pk, pv := range m {
				s, ok := w.set.ByPath("plugins." + pk)
				pkp := append(kp, pk)
				ppos := d.position(pkp)
				if !ok {
					l.Ignored = append(l.Ignored, Ignored{Key: dotted(pkp), Pos: ppos, Reason: "unknown setting"})
					continue
				}
				l.Plugins = append(l.Plugins, Value{Setting: s, Key: dotted(pkp), Raw: pv, Pos: ppos})
			}
			continue
		}
		if w.set.IsGroup(path) {
			if !isTable {
				*errs = append(*errs, &ValueError{Pos: pos, Setting: path, Key: keyName(kp, path, atRoot),
					Msg: fmt.Sprintf("%q is a group of settings and takes a table, not a value", path)})
				continue
			}
			d.walk(w, l, m, path, kp, errs)
			continue
		}
		l.Ignored = append(l.Ignored, Ignored{Key: keyName(kp, path, atRoot), Pos: pos, Reason: "unknown setting", Keys: d.leaves(m, kp, 0)})
	}
}

// keyName is dotted(kp), the key at kp as written, for the setting or
// group at path: path itself when the file's root holds the settings
// (atRoot) and the key is bare, as every group's is, without making it again.
func keyName(kp []string, path string, atRoot bool) string {
	if atRoot && bare(kp[len(kp)-1]) {
		return path
	}
	return dotted(kp)
}

// leaves lists the keys of the table t at keyPath, and of the tables in it,
// sorted by position, each keyed by its path without the first from keys
// (a profile's keys without "profiles.NAME").
func (d *tomlDoc) leaves(t map[string]any, keyPath []string, from int) []Ignored {
	var out []Ignored
	for k, v := range t {
		kp := append(slices.Clip(keyPath), k)
		if m, ok := v.(map[string]any); ok {
			out = append(out, d.leaves(m, kp, from)...)
			continue
		}
		out = append(out, Ignored{Key: dotted(kp[from:]), Pos: d.position(kp), Reason: "unknown setting"})
	}
	slices.SortFunc(out, func(a, b Ignored) int { return comparePos(a.Pos, b.Pos) })
	return out
}

func sortValues(vs []Value) {
	slices.SortStableFunc(vs, func(a, b Value) int { return comparePos(a.Pos, b.Pos) })
}

func comparePos(a, b Position) int {
	return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

// ParsePrefectTOML is ReadPrefectTOML for data, the contents of the file at
// path, for callers that already hold the bytes (a linter reading a tree).
func ParsePrefectTOML(path string, data []byte) (*Layer, error) {
	return Reader{}.ParsePrefectTOML(path, data)
}

// ParsePrefectTOML is ParsePrefectTOML for the reader's release.
func (rd Reader) ParsePrefectTOML(path string, data []byte) (*Layer, error) {
	return rd.tomlLayer(PrefectTOML, path, data, nil)
}

// ParsePyproject is ReadPyproject for data, the contents of the file at path.
func ParsePyproject(path string, data []byte) (*Layer, error) {
	return Reader{}.ParsePyproject(path, data)
}

// ParsePyproject is ParsePyproject for the reader's release.
func (rd Reader) ParsePyproject(path string, data []byte) (*Layer, error) {
	return rd.tomlLayer(PyprojectTOML, path, data, []string{"tool", "prefect"})
}
