// The tables of pyproject.toml where other tools set the environment of
// the commands they run: hatch's env-vars, pytest-env's, tox's set_env,
// the env of PDM, Poe the Poet and Rye scripts, pixi's activation env.
// Setting PREFECT_ variables there is the point of those tables: they are
// checked as the environment Prefect will read (an unknown name, with the
// name meant; a value Prefect rejects; a secret in a file git shares), not
// as keys written in the wrong table.

package lint

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/sources"
)

// envTable is a table of another tool whose keys name environment
// variables, or, with list, an array of "NAME=value" strings.
type envTable struct {
	path []string // "*" matches any one key
	tool string
	list bool
}

// envTables are the tables of pyproject.toml that set the environment.
var envTables = []envTable{
	{path: []string{"tool", "hatch", "envs", "*", "env-vars"}, tool: "hatch"},
	{path: []string{"tool", "pytest_env"}, tool: "pytest-env"},
	{path: []string{"tool", "pytest", "ini_options", "env"}, tool: "pytest-env", list: true},
	{path: []string{"tool", "tox", "env_run_base", "set_env"}, tool: "tox"},
	{path: []string{"tool", "tox", "env_pkg_base", "set_env"}, tool: "tox"},
	{path: []string{"tool", "tox", "env", "*", "set_env"}, tool: "tox"},
	{path: []string{"tool", "pdm", "scripts", "*", "env"}, tool: "PDM"},
	{path: []string{"tool", "poe", "env"}, tool: "Poe the Poet"},
	{path: []string{"tool", "poe", "tasks", "*", "env"}, tool: "Poe the Poet"},
	{path: []string{"tool", "rye", "scripts", "*", "env"}, tool: "Rye"},
	{path: []string{"tool", "pixi", "activation", "env"}, tool: "pixi"},
	{path: []string{"tool", "pixi", "feature", "*", "activation", "env"}, tool: "pixi"},
	{path: []string{"tool", "pixi", "target", "*", "activation", "env"}, tool: "pixi"},
	{path: []string{"tool", "pixi", "feature", "*", "target", "*", "activation", "env"}, tool: "pixi"},
}

// envTableOf returns the table of envTables that path is, or is under.
func envTableOf(path []string) (envTable, bool) {
	for _, t := range envTables {
		if len(path) < len(t.path) {
			continue
		}
		match := true
		for i, k := range t.path {
			if k != "*" && k != path[i] {
				match = false
				break
			}
		}
		if match {
			return t, true
		}
	}
	return envTable{}, false
}

// envBinding is one variable an environment table sets.
type envBinding struct {
	name, value string
	pos         sources.Position
	checkValue  bool // the value is a literal, not a template the tool expands
}

// envBindings lists the variables the environment tables of a document
// set, whose keys as written entries lists.
func envBindings(entries []tomlEntry) []envBinding {
	var out []envBinding
	for _, e := range entries {
		if e.isHeader || e.value == nil {
			continue
		}
		t, ok := envTableOf(e.path)
		if !ok {
			continue
		}
		rest := e.path[len(t.path):]
		switch {
		case t.list && len(rest) == 0:
			items, _ := e.value.v.([]tomlValue)
			for _, it := range items {
				s, ok := it.v.(string)
				if !ok {
					continue
				}
				raw := strings.TrimPrefix(strings.TrimPrefix(s, "D:"), "R:") // pytest-env's default and raw flags
				name, value, ok := strings.Cut(raw, "=")
				if !ok {
					continue
				}
				out = append(out, envBinding{strings.TrimSpace(name), strings.TrimSpace(value), it.pos, !templated(value)})
			}
		case t.list:
		case len(rest) == 1:
			value, ok := pythonStr(e.value.v)
			out = append(out, envBinding{rest[0], value, e.pos, ok && !templated(value)})
		case len(rest) == 2 && t.tool == "pytest-env" && rest[1] == "value":
			// NAME = { value = "...", skip_if_set = true }
			value, ok := pythonStr(e.value.v)
			out = append(out, envBinding{rest[0], value, e.pos, ok && !templated(value)})
		}
	}
	return out
}

// template matches what the tools expand in a value: {env:NAME} (hatch,
// tox), ${NAME} (PDM, Poe, pixi), {NAME} (pytest-env), {root} (hatch).
var template = regexp.MustCompile(`\$\{[^}]*\}|\{env:[^}]*\}|\{[A-Za-z_][A-Za-z0-9_:.]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

func templated(value string) bool { return template.MatchString(value) }

// pythonStr renders a TOML scalar as Python's str() does, as pytest-env
// and the other tools set it; ok is false for an array, a table or a date.
func pythonStr(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case bool:
		if t {
			return "True", true
		}
		return "False", true
	case int64:
		return strconv.FormatInt(t, 10), true
	case float64:
		switch {
		case math.IsNaN(t):
			return "nan", true
		case math.IsInf(t, 1):
			return "inf", true
		case math.IsInf(t, -1):
			return "-inf", true
		}
		s := strconv.FormatFloat(t, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		return s, true
	}
	return "", false
}

// lintEnvTables checks the variables the environment tables of a
// pyproject.toml set as the environment Prefect reads.
func (l *linter) lintEnvTables(file string, entries []tomlEntry) {
	for _, b := range envBindings(entries) {
		if b.name == "" || strings.ContainsAny(b.name, "=\x00") {
			continue
		}
		layer := sources.ReadEnv([]string{b.name + "=" + b.value})
		layer.File = file
		for i := range layer.Values {
			layer.Values[i].Pos = b.pos
			v := layer.Values[i]
			if !b.checkValue {
				l.valueName(v) // a template: its value is the tool's to give
				continue
			}
			l.value(sources.Env, v, false)
			l.secretInFile(sources.PyprojectTOML, v)
		}
		for i := range layer.Groups {
			layer.Groups[i].Pos = b.pos
		}
		if b.checkValue {
			l.groups(layer)
		}
		for _, ig := range layer.Ignored {
			ig.Pos = b.pos
			l.envIgnored(ig)
		}
	}
}
