// Package everyrelease gives tests one release of every published settings
// schema, and an environment that sets every setting of a schema to a value
// other than its default, so that code walking a release's settings can be
// tried on each set.
package everyrelease

import (
	"strings"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
)

// Versions returns the newest release of each published settings schema,
// oldest first.
func Versions() []string {
	var out []string
	last := ""
	for _, v := range release.Known() {
		r, _, err := release.Select(v.String(), "")
		if err != nil {
			panic(err)
		}
		if id := r.Schema().ID; id == last {
			out[len(out)-1] = v.String() // a newer release of the same schema
		} else {
			out, last = append(out, v.String()), id
		}
	}
	return out
}

// Environs returns, for the release version, two environments: base
// alone, and base with every setting of the release set (Environ).
func Environs(version string, base ...string) [][]string {
	r, _, err := release.Select(version, "")
	if err != nil {
		panic(err)
	}
	return [][]string{append([]string{}, base...), append(Environ(r.Schema()), base...)}
}

// Environ returns PREFECT_ variables that set every setting of set to a
// valid value other than its default, by canonical name.
func Environ(set *schema.Set) []string {
	var env []string
	for _, s := range set.All() {
		if v, ok := Value(s); ok {
			env = append(env, s.Canonical()+"="+v)
		}
	}
	return env
}

// Value returns a valid value, as the environment writes it, that differs
// from the setting's default; ok is false for the settings left alone
// (the ones that move other files, or change how others are read).
func Value(s *schema.Setting) (string, bool) {
	switch s.Path {
	case "home", "profiles_path", "debug_mode", "testing.test_mode", "testing.unit_test_mode", "testing.test_setting":
		return "", false
	}
	switch s.Kind {
	case schema.Bool:
		if d, _ := s.Default.(bool); d {
			return "false", true
		}
		return "true", true
	case schema.Int:
		return "12345", true
	case schema.Float:
		return "31.5", true
	case schema.String, schema.Any:
		if strings.Contains(s.Path, "url") {
			return "http://example.invalid:4300/api", true
		}
		return "strata-sample", true
	case schema.Secret:
		return "strata-secret", true
	case schema.Path:
		return "/tmp/strata-sample", true
	case schema.LogLevel:
		return "CRITICAL", true
	case schema.Enum:
		for _, e := range s.Enum {
			if e != s.Default {
				return e, true
			}
		}
		return "", false
	case schema.Duration, schema.SecondsDuration:
		return "PT12345S", true
	case schema.IntSet:
		return "599,598", true
	case schema.StringSet, schema.StringList:
		return "strata-a,strata-b", true
	case schema.FloatOrList, schema.NumberOrList:
		return "7", true
	case schema.Headers:
		return `{"X-Strata": "sample"}`, true
	case schema.DurationMap:
		return `{"strata": 5}`, true
	case schema.Vacuum:
		return "false", true
	}
	return "", false
}
