package sources

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/strata-settings/strata/schema"
)

// ReadDotEnv reads the settings of the .env file at path, parsed as
// python-dotenv parses it (Prefect's reader), with ${VAR} expanded from the
// file's earlier bindings and lookup. A missing file yields an empty layer.
// Lines python-dotenv cannot parse are skipped and listed in Layer.Warnings.
// A directory is no file, for Prefect as here (a virtualenv is often named
// .env). A file that is not a regular file, or is beyond Strata's limits, is a
// *FileError.
func ReadDotEnv(path string, lookup func(string) (string, bool)) (*Layer, error) {
	return Reader{}.DotEnv(path, lookup)
}

// DotEnv is ReadDotEnv for the reader's release. Where the release reads
// .env with shifted arguments (release.Release.DotenvPositional, Prefect
// issue #21664), names are compared case-sensitively and without the
// PREFECT_ prefix, as readShifted says: the usual names reach no setting
// and are listed in Layer.Ignored.
func (rd Reader) DotEnv(path string, lookup func(string) (string, bool)) (*Layer, error) {
	data, err := ReadFile(path)
	if absent(err) {
		return &Layer{Kind: DotEnv}, nil
	}
	if err != nil {
		return &Layer{Kind: DotEnv}, err
	}
	return rd.DotEnvData(path, data, lookup)
}

// DotEnvData is DotEnv for data, the contents of the .env file at path,
// for callers that already hold the bytes (a linter reading a tree).
func (rd Reader) DotEnvData(path string, data []byte, lookup func(string) (string, bool)) (*Layer, error) {
	entries, bad := ParseDotEnv(data, lookup)
	return rd.DotEnvEntries(path, entries, bad)
}

// DotEnvEntries is DotEnvData for the bindings and errors ParseDotEnv
// read from the .env file at path, for callers that parse the file for
// more than its settings (a linter). It only reads them.
func (rd Reader) DotEnvEntries(path string, entries []DotEnvEntry, bad []*DotEnvError) (*Layer, error) {
	l := &Layer{Kind: DotEnv, File: path}
	set := rd.set()
	for _, b := range bad {
		if b.Limit {
			return &Layer{Kind: DotEnv, File: path}, limitError(Position{File: path, Line: b.Line, Column: b.Column}, "%s", b.Msg)
		}
	}
	if rd.rel().DotenvPositional {
		err := l.readShifted(set, entries)
		l.addWarnings(bad)
		return l, err
	}
	unfiltered := !rd.rel().DotenvFilter
	buf := borrowValues()
	l.Values = *buf
	for _, e := range entries {
		if e.Value == nil {
			continue
		}
		pos := Position{File: path, Line: e.Line, Column: e.Column, EndLine: e.Line, EndColumn: e.EndColumn}
		if unfiltered && l.addFieldName(set, e.Key, *e.Value, pos) {
			continue
		}
		l.add(set, e.Key, *e.Value, pos)
	}
	l.Values = keepValues(buf, l.Values)
	l.addWarnings(bad)
	return l, nil
}

// addWarnings lists the lines python-dotenv skips.
func (l *Layer) addWarnings(bad []*DotEnvError) {
	for _, b := range bad {
		l.Warnings = append(l.Warnings, &SyntaxError{Pos: Position{File: l.File, Line: b.Line, Column: b.Column}, Msg: b.Msg})
	}
}

// FieldNameAlias is Value.Alias for a value given under a setting's bare
// field name: listed before the canonical name, so it wins over both names
// within a source and, on pydantic-settings before 2.14, across sources.
const FieldNameAlias = -1

// addFieldName adds, for a release whose .env reader keeps every name
// (before 3.1.2), the value of a line named like a field ("api_url",
// "enabled") to every setting that takes that field name, and reports
// whether there was one.
func (l *Layer) addFieldName(set *schema.Set, name, value string, pos Position) bool {
	ss := set.ByFieldName(name)
	for _, s := range ss {
		l.Values = append(l.Values, Value{Setting: s, Key: name, Alias: FieldNameAlias, Raw: value, Pos: pos})
	}
	return len(ss) > 0
}

// DotEnvValue returns the last value bound to name, compared exactly, in
// the .env layer l. Prefect's profile locator reads PREFECT_PROFILES_PATH so.
func (l *Layer) DotEnvValue(name string) (string, bool) {
	vs := l.Values
	if l.Shifted != nil {
		vs = l.Shifted
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if v := vs[i]; v.Key == name {
			s, ok := v.Raw.(string)
			return s, ok
		}
	}
	return "", false
}

// ShiftedReason is why a release hit by Prefect issue #21664 does not read
// a .env line (release.Release.DotenvPositional).
const ShiftedReason = "this Prefect release, on pydantic-settings 2.14 or later, reads .env names case-sensitively and without the PREFECT_ prefix, so it does not read this name (Prefect issue #21664; fixed in 3.6.28)"

// readShifted reads the .env entries as Prefect 3.1.2 … 3.6.27 does on
// pydantic-settings 2.14 and later (Prefect issue #21664): its .env source
// gets its arguments shifted, case_sensitive="PREFECT_..." (the prefix,
// so names compare case-sensitively), env_prefix_target=False (so the
// prefix is not part of any name) and dotenv_filtering=False. Each
// settings group reads the file by itself, with prefix P (PREFECT_SERVER_UI_
// for server.ui):
//
//   - a line named exactly as Prefect's code spells one of a setting's env
//     names, in lower case (prefect_server_ui_api_url), sets it as an
//     environment value would, the first name listed winning; a setting
//     with one name has none, its only name being the field name, which
//     Prefect removes from .env;
//   - a line named P followed by a field name or one of those lower-case
//     names (PREFECT_SERVER_UI_api_url), and not empty, reaches the
//     settings as written, without the JSON decoding environment values
//     get (pydantic-settings' extra values); P and the field name win over
//     the lower-case names, and then the names in their order;
//   - P followed by a group's field name (PREFECT_SERVER_api) hands the
//     group a string, which its validation rejects;
//   - every other line, the usual PREFECT_API_URL among them, sets
//     nothing.
//
// The values read are in Values, the others in Ignored and Shifted (the
// profiles file's locator reads .env by itself, exactly by name).
func (l *Layer) readShifted(set *schema.Set, entries []DotEnvEntry) error {
	names := shiftedNames(set)
	var errs []error
	for _, e := range entries {
		pos := Position{File: l.File, Line: e.Line, Column: e.Column}
		v := Value{Key: e.Key, Pos: pos}
		if e.Value != nil {
			v.Raw = *e.Value
		}
		read := false
		for _, t := range names[e.Key] {
			switch {
			case e.Value == nil || t.verbatim && *e.Value == "":
				continue // python-dotenv's None, or an empty extra value
			case t.group != "":
				errs = append(errs, &ValueError{Pos: pos, Setting: t.group, Key: e.Key,
					Msg: fmt.Sprintf("this Prefect release, on pydantic-settings 2.14 or later, hands the group %q this .env line's string as the whole group, which it rejects (Prefect issue #21664; fixed in 3.6.28)", t.group)})
			default:
				if t.verbatim {
					l.Verbatim = append(l.Verbatim, len(l.Values))
				}
				l.Values = append(l.Values, Value{Setting: t.setting, Key: e.Key, Alias: t.alias, Raw: *e.Value, Pos: pos})
			}
			read = true
		}
		if !read {
			l.Shifted = append(l.Shifted, v)
			if e.Value != nil && len(e.Key) >= len("PREFECT_") && strings.EqualFold(e.Key[:len("PREFECT_")], "PREFECT_") {
				l.Ignored = append(l.Ignored, Ignored{Key: e.Key, Pos: pos, Reason: ShiftedReason})
			}
		}
	}
	return errors.Join(errs...)
}

// shiftedTarget is what a .env name reaches in the shifted reading.
type shiftedTarget struct {
	setting  *schema.Setting
	alias    int    // the name's rank within .env: FieldNameAlias, then the names in order
	verbatim bool   // an extra value, passed on as written
	group    string // a group handed a string
}

var shiftedIndex sync.Map // *schema.Set → map[string][]shiftedTarget

// shiftedNames maps every .env name the shifted reading takes, exactly as
// it must be written, to what it sets.
func shiftedNames(set *schema.Set) map[string][]shiftedTarget {
	if m, ok := shiftedIndex.Load(set); ok {
		return m.(map[string][]shiftedTarget)
	}
	m := map[string][]shiftedTarget{}
	prefix := func(group string) string {
		if group == "" {
			return "PREFECT_"
		}
		return "PREFECT_" + strings.ToUpper(strings.ReplaceAll(group, ".", "_")) + "_"
	}
	for _, s := range set.All() {
		p := prefix(s.Group())
		m[p+s.Field()] = append(m[p+s.Field()], shiftedTarget{setting: s, alias: FieldNameAlias, verbatim: true})
		if !s.AliasChoices() {
			continue // no AliasChoices: the field name is the only name
		}
		for i, env := range s.Env {
			low := strings.ToLower(env)
			m[low] = append(m[low], shiftedTarget{setting: s, alias: i})
			m[p+low] = append(m[p+low], shiftedTarget{setting: s, alias: len(s.Env) + i, verbatim: true})
		}
	}
	for _, g := range set.Groups() {
		parent, field := "", g
		if i := strings.LastIndexByte(g, '.'); i >= 0 {
			parent, field = g[:i], g[i+1:]
		}
		m[prefix(parent)+field] = append(m[prefix(parent)+field], shiftedTarget{group: g, verbatim: true})
	}
	got, _ := shiftedIndex.LoadOrStore(set, m)
	return got.(map[string][]shiftedTarget)
}
