package sources

import (
	"errors"
	"io/fs"
)

// ReadDotEnv reads the settings of the .env file at path, parsed as
// python-dotenv parses it (Prefect's reader), with ${VAR} expanded from the
// file's earlier bindings and lookup. A missing file yields an empty layer.
// Lines python-dotenv cannot parse are skipped and listed in Layer.Warnings.
// A file that is not a regular file, or is beyond Strata's limits, is a
// *FileError.
func ReadDotEnv(path string, lookup func(string) (string, bool)) (*Layer, error) {
	l := &Layer{Kind: DotEnv}
	data, err := ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return l, err
	}
	l.File = path
	entries, bad := ParseDotEnv(data, lookup)
	for _, b := range bad {
		if b.Limit {
			return &Layer{Kind: DotEnv, File: path}, limitError(Position{File: path, Line: b.Line, Column: b.Column}, "%s", b.Msg)
		}
	}
	for _, e := range entries {
		if e.Value == nil {
			continue
		}
		l.add(e.Key, *e.Value, Position{File: path, Line: e.Line, Column: e.Column})
	}
	for _, b := range bad {
		l.Warnings = append(l.Warnings, &SyntaxError{Pos: Position{File: path, Line: b.Line, Column: b.Column}, Msg: b.Msg})
	}
	return l, nil
}

// DotEnvValue returns the last value bound to name, compared exactly, in
// the .env layer l. Prefect's profile locator reads PREFECT_PROFILES_PATH so.
func (l *Layer) DotEnvValue(name string) (string, bool) {
	for i := len(l.Values) - 1; i >= 0; i-- {
		if v := l.Values[i]; v.Key == name {
			s, ok := v.Raw.(string)
			return s, ok
		}
	}
	return "", false
}
