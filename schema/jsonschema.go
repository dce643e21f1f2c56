package schema

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/schema/coerce"
)

// JSONSchema returns a JSON Schema (draft 2020-12) of prefect.toml: every
// group a table, every setting a key with its type, default, constraints
// and environment names. Editors such as Taplo (Even Better TOML) use it
// through a "#:schema" comment at the top of the file.
func JSONSchema() ([]byte, error) { return Newest().JSONSchema() }

// JSONSchema returns the JSON Schema of prefect.toml for the settings of
// the set: a release's own settings, types and defaults.
func (set *Set) JSONSchema() ([]byte, error) {
	root := object()
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://github.com/strata-settings/strata/prefect.toml.schema.json"
	root["title"] = "prefect.toml"
	for _, s := range set.All() {
		t := root
		path := strings.Split(s.Path, ".")
		for _, g := range path[:len(path)-1] {
			props := t["properties"].(map[string]any)
			next, ok := props[g].(map[string]any)
			if !ok {
				next = object()
				props[g] = next
			}
			t = next
		}
		t["properties"].(map[string]any)[path[len(path)-1]] = property(s)
	}
	// Prefect still reads the plugins settings from the legacy
	// [experiments.plugins] table (3.7 on; before, it is the real one).
	if !set.IsGroup("plugins") || set.IsGroup("experiments.plugins") {
		return json.MarshalIndent(root, "", "  ")
	}
	legacy := object()
	for k, v := range root["properties"].(map[string]any)["plugins"].(map[string]any)["properties"].(map[string]any) {
		legacy["properties"].(map[string]any)[k] = v
	}
	root["properties"].(map[string]any)["experiments"].(map[string]any)["properties"].(map[string]any)["plugins"] = legacy
	return json.MarshalIndent(root, "", "  ")
}

func object() map[string]any {
	return map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": false}
}

func property(s *Setting) map[string]any {
	p := map[string]any{}
	switch s.Kind {
	case Bool:
		p["type"] = []string{"boolean", "string"}
	case Int:
		p["type"] = []string{"integer", "string"}
	case Float:
		p["type"] = []string{"number", "string"}
	case String, Path, Any:
		if s.Kind != Any {
			p["type"] = "string"
		}
	case Secret:
		p["type"], p["writeOnly"] = "string", true
	case LogLevel:
		levels := append([]string(nil), s.Enum...)
		for _, l := range s.Enum {
			levels = append(levels, strings.ToLower(l))
		}
		p["type"], p["enum"] = "string", levels
	case Enum:
		p["type"], p["enum"] = "string", s.Enum
	case Duration, SecondsDuration:
		p["type"], p["format"] = []string{"string", "number"}, "duration"
	case IntSet:
		p["type"] = []string{"string", "integer", "array"}
		p["items"] = map[string]any{"type": "integer", "minimum": 100, "maximum": 599}
	case StringSet, StringList:
		p["type"], p["items"] = []string{"string", "array"}, map[string]any{"type": "string"}
	case FloatOrList, NumberOrList:
		p["type"], p["items"] = []string{"number", "string", "array"}, map[string]any{"type": "number"}
	case Headers:
		p["type"], p["additionalProperties"] = []string{"object", "string"}, map[string]any{"type": "string"}
	case DurationMap:
		p["type"], p["additionalProperties"] = []string{"object", "string"}, map[string]any{"type": []string{"string", "number"}}
	case Vacuum:
		p["type"], p["items"] = []string{"string", "boolean", "array"}, map[string]any{"type": "string"}
	}
	for _, c := range strings.Split(s.Validate, ",") {
		op, val, ok := strings.Cut(c, "=")
		if !ok {
			continue
		}
		n, _ := strconv.ParseFloat(val, 64)
		p[map[string]string{"gte": "minimum", "gt": "exclusiveMinimum", "lte": "maximum", "lt": "exclusiveMaximum"}[op]] = n
	}
	if d := schemaDefault(s); d != nil {
		p["default"] = d
	}
	p["description"] = "Environment: " + strings.Join(s.Env, ", ") + ". Type: " + s.Kind.String() + "."
	p["x-env"] = s.Env
	return p
}

func schemaDefault(s *Setting) any {
	switch d := s.Default.(type) {
	case Timedelta:
		return coerce.FormatDuration(d)
	case RetryDelay:
		return d.Seconds[0]
	case VacuumTypes:
		return d.Names
	case map[string]Timedelta:
		out := map[string]string{}
		for k, v := range d {
			out[k] = coerce.FormatDuration(v)
		}
		return out
	}
	return s.Default
}
