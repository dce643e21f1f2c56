package sources

import "github.com/strata-settings/strata/schema"

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
// issue #21664), its PREFECT_ names reach no setting: they are listed in
// Layer.Ignored.
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
	l := &Layer{Kind: DotEnv, File: path}
	set := rd.set()
	entries, bad := ParseDotEnv(data, lookup)
	for _, b := range bad {
		if b.Limit {
			return &Layer{Kind: DotEnv, File: path}, limitError(Position{File: path, Line: b.Line, Column: b.Column}, "%s", b.Msg)
		}
	}
	unfiltered := !rd.rel().DotenvFilter
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
	if rd.rel().DotenvPositional {
		l.dropShifted()
	}
	for _, b := range bad {
		l.Warnings = append(l.Warnings, &SyntaxError{Pos: Position{File: path, Line: b.Line, Column: b.Column}, Msg: b.Msg})
	}
	return l, nil
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

// dropShifted moves every value and group of a .env layer to Ignored, as a
// release hit by Prefect issue #21664 ignores them; the values stay
// readable there for the profile locator (PREFECT_PROFILES_PATH), which
// reads .env by itself.
func (l *Layer) dropShifted() {
	const why = "this Prefect release, on pydantic-settings 2.14 or later, does not read Prefect settings from .env (Prefect issue #21664; fixed in 3.6.28)"
	for _, v := range append(l.Values, l.Groups...) {
		l.Ignored = append(l.Ignored, Ignored{Key: v.Key, Pos: v.Pos, Reason: why})
	}
	l.Shifted, l.Values, l.Groups = l.Values, nil, nil
}
