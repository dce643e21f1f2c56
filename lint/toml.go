// The checks of prefect.toml and pyproject.toml's [tool.prefect].

package lint

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// lintTOML checks prefect.toml or pyproject.toml.
func (l *linter) lintTOML(t target, data []byte) {
	kind, prefix := sources.PrefectTOML, ""
	parse := sources.ParsePrefectTOML
	if t.kind == kindPyproject {
		kind, prefix, parse = sources.PyprojectTOML, "tool.prefect.", sources.ParsePyproject
	}
	layer, err := parse(t.path, data)
	if l.syntaxErrors(t.path, err) {
		return
	}
	switch filepath.Base(t.path) {
	case "prefect.toml":
		l.dir(filepath.Dir(t.path)).prefect = layer
	case "pyproject.toml":
		l.dir(filepath.Dir(t.path)).pyproject = layer
	}
	for _, v := range layer.Values {
		l.value(kind, v, true)
	}
	for _, v := range layer.Plugins {
		l.report(RuleLegacyAlias, v.Pos, v.Setting.Path, prefix+v.Setting.Path,
			"[experiments.plugins] is the legacy table of %s; write %q", v.Setting.Path, prefix+v.Setting.Path)
		l.value(kind, v, true)
	}
	var root map[string]any // decoded on demand, for the ignored tables
	for _, ig := range layer.Ignored {
		l.ignoredTOML(ig, prefix, data, &root)
	}
}

// ignoredTOML says why Prefect does not read a key of prefect.toml or
// pyproject.toml (prefix "tool.prefect.").
func (l *linter) ignoredTOML(ig sources.Ignored, prefix string, data []byte, root *map[string]any) {
	segs := splitKey(strings.TrimPrefix(ig.Key, prefix))
	path := strings.Join(segs, ".")
	if ig.Reason != "unknown setting" {
		sugg := ""
		if len(segs) > 0 && strings.Contains(segs[len(segs)-1], ".") {
			if s, ok := schema.ByPath(path); ok {
				sugg = prefix + s.Path
			}
		}
		if sugg != "" {
			l.report(RuleIgnoredKey, ig.Pos, "", sugg, "Prefect ignores %s: %s; write %s", ig.Key, ig.Reason, sugg)
		} else {
			l.report(RuleIgnoredKey, ig.Pos, "", "", "Prefect ignores %s: %s", ig.Key, ig.Reason)
		}
		return
	}
	if path == "ui.api_url" || path == "ui" && l.tableHas(data, root, prefix, "ui", "api_url") {
		l.report(RuleUITable, ig.Pos, "server.ui.api_url", "[server.ui] api_url",
			"[ui] api_url does nothing: there is no ui table; the setting is [server.ui] api_url")
		if path == "ui.api_url" {
			return
		}
	}
	last := segs[len(segs)-1]
	lower := strings.ToLower(path)
	if _, isSetting := schema.ByPath(lower); lower != path && (isSetting || schema.IsGroup(lower)) {
		l.report(RuleIgnoredKey, ig.Pos, settingOf(lower), prefix+lower,
			"TOML keys are lower-case: Prefect does not read %s; write %s", ig.Key, prefix+lower)
		return
	}
	if strings.EqualFold(last, "PREFECT_PROFILE") {
		l.report(RuleIgnoredKey, ig.Pos, "", "",
			"PREFECT_PROFILE is read only from the environment; in a TOML file it does nothing")
		return
	}
	if s, _, ok := schema.ByEnv(last); ok {
		l.report(RuleIgnoredKey, ig.Pos, s.Path, prefix+s.Path,
			"%s is an environment variable name, which TOML files do not read; write %s", ig.Key, prefix+s.Path)
		return
	}
	if path == "ui" {
		return
	}
	l.unknown(ig.Pos, ig.Key, prefix, l.suggest(path, true))
}

// tableHas reports whether the table at prefix+path of the TOML document
// data holds key.
func (l *linter) tableHas(data []byte, root *map[string]any, prefix string, path, key string) bool {
	if *root == nil {
		if toml.Unmarshal(data, root) != nil {
			return false
		}
	}
	t := *root
	for _, k := range append(splitKey(strings.TrimSuffix(prefix, ".")), path) {
		if k == "" {
			continue
		}
		next, ok := t[k].(map[string]any)
		if !ok {
			return false
		}
		t = next
	}
	_, ok := t[key]
	return ok
}

// splitKey splits a dotted key as sources writes it ("a.\"b.c\"") into its
// keys.
func splitKey(key string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(key); i++ {
		switch c := key[i]; c {
		case '"':
			j := i + 1
			for j < len(key) && key[j] != '"' {
				if key[j] == '\\' {
					j++
				}
				j++
			}
			if uq, err := strconv.Unquote(key[i:min(j+1, len(key))]); err == nil {
				cur.WriteString(uq)
			} else {
				cur.WriteString(key[i+1 : min(j, len(key))])
			}
			i = j
		case '.':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(out, cur.String())
}
