package sources

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrMixedArray is wrapped by every *SyntaxError for an array mixing types
// ([1, "a"]), which TOML 1.0 accepts and the toml package Prefect parsed
// its files with before 3.6.14 (release.Release.TOMLLib) rejects.
var ErrMixedArray = errors.New("an array mixing types, which the toml package rejects")

// mixedArrays returns a *SyntaxError wrapping ErrMixedArray for each array
// of the table at prefix that mixes types, in file order.
func (d *tomlDoc) mixedArrays(prefix []string) []error {
	t := d.table(prefix...)
	if t == nil {
		return nil
	}
	var errs []error
	var walk func(path []string, v any)
	walk = func(path []string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(append(slices.Clip(path), k), e)
			}
		case []any:
			for _, e := range x {
				if tomlType(e) != tomlType(x[0]) {
					pos := d.position(path)
					errs = append(errs, &SyntaxError{Pos: pos, Err: ErrMixedArray,
						Msg: fmt.Sprintf("invalid TOML for this Prefect release: %s mixes %s and %s in one array (Prefect's toml parser before 3.6.14 rejects it)", dotted(path), tomlType(x[0]), tomlType(e))})
					return
				}
			}
			for _, e := range x {
				walk(path, e)
			}
		}
	}
	walk(slices.Clone(prefix), t)
	slices.SortFunc(errs, func(a, b error) int {
		return comparePos(a.(*SyntaxError).Pos, b.(*SyntaxError).Pos)
	})
	return errs
}

// tomlType names the TOML type of a decoded value.
func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	case time.Time:
		return "datetime"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", v), "toml.")
}
