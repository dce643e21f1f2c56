// The checks of prefect.toml and pyproject.toml's [tool.prefect].

package lint

import (
	"bytes"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// lintTOML checks prefect.toml or pyproject.toml.
func (l *linter) lintTOML(t target, p *prepared) {
	kind, prefix := sources.PrefectTOML, ""
	if t.kind == kindPyproject {
		kind, prefix = sources.PyprojectTOML, "tool.prefect."
	}
	layer := p.layer
	if l.syntaxErrors(t.path, p.err) {
		return
	}
	l.laterTOML(t.path, p.data, p.rd)
	switch filepath.Base(t.path) {
	case "prefect.toml":
		l.setLayer(parentDir(t.path), func(dl *dirLayers) { dl.prefect = layer })
	case "pyproject.toml":
		l.setLayer(parentDir(t.path), func(dl *dirLayers) { dl.pyproject = layer })
	}
	for _, v := range layer.Values {
		l.value(kind, v, true)
	}
	for _, v := range layer.Plugins {
		l.report(RuleLegacyAlias, v.Pos, v.Setting.Path, prefix+v.Setting.Path,
			"[experiments.plugins] is the legacy table of %s; write %q", v.Setting.Path, prefix+v.Setting.Path)
		l.value(kind, v, true)
	}
	keys := func() []tomlEntry { // every key as written, listed on demand
		if p.entries == nil {
			p.entries = tomlEntries(t.path, p.data)
		}
		return p.entries
	}
	var pre []string
	if t.kind == kindPyproject {
		pre = []string{"tool", "prefect"}
		l.pyprojectCase(keys())
		l.pyprojectStray(keys())
		l.lintEnvTables(t.path, keys())
	}
	for _, ig := range layer.Ignored {
		l.ignoredTOML(ig, pre, p.data, keys)
	}
}

// ignoredTOML says why Prefect does not read a key of prefect.toml or
// pyproject.toml (pre is [tool prefect]), data, whose keys as written
// keys lists.
func (l *linter) ignoredTOML(ig sources.Ignored, pre []string, data []byte, keys func() []tomlEntry) {
	full := splitKey(ig.Key)
	if len(full) <= len(pre) {
		return
	}
	rel := full[len(pre):]
	prefix := ""
	if len(pre) > 0 {
		prefix = joinKey(pre) + "."
	}
	path := strings.Join(rel, ".")
	if ig.Reason != "unknown setting" {
		sugg := ""
		if strings.Contains(rel[len(rel)-1], ".") {
			if s, ok := l.releaseFor(ig.Pos).rel.Schema().ByPath(path); ok {
				sugg = prefix + s.Path
			}
		}
		kind, setting := sources.PrefectTOML, ""
		if len(pre) > 0 {
			kind = sources.PyprojectTOML
		}
		if s, ok := settings.Meant(l.releaseFor(ig.Pos).rel.Schema(), kind, ig); ok {
			setting = s.Path
		}
		if sugg != "" {
			l.reportRename(full, splitKey(sugg), RuleIgnoredKey, ig.Pos, setting, sugg, "Prefect ignores %s: %s; write %s", ig.Key, ig.Reason, sugg)
		} else {
			l.report(RuleIgnoredKey, ig.Pos, setting, "", "Prefect ignores %s: %s", ig.Key, ig.Reason)
		}
		return
	}
	if rel[0] == "profiles" || len(rel) == 1 && rel[0] == "active" {
		l.report(RuleIgnoredKey, ig.Pos, "", "",
			"Prefect reads profiles only from the profiles file (~/.prefect/profiles.toml, or PREFECT_PROFILES_PATH): %s here does nothing; move it there, or write the settings themselves in this file", ig.Key)
		return
	}
	if len(rel) == 1 && strings.EqualFold(rel[0], "ui") {
		l.uiTable(ig, full, pre, keys())
		return
	}
	lower := strings.ToLower(path)
	if lower != path && settingOrGroupIn(l.releaseFor(ig.Pos).rel.Schema(), lower) {
		l.caseTOML(ig, full, pre, keys())
		return
	}
	last := rel[len(rel)-1]
	if strings.EqualFold(last, "PREFECT_PROFILE") {
		l.report(RuleIgnoredKey, ig.Pos, "", "",
			"PREFECT_PROFILE is read only from the environment; in a TOML file it does nothing")
		return
	}
	if underHeader(ig, full, pre, data) && l.wrongTable(full, pre, keys()) {
		return
	}
	if s, _, ok := l.releaseFor(ig.Pos).rel.Schema().ByEnv(last); ok {
		l.reportRename(full, splitKey(prefix+s.Path), RuleIgnoredKey, ig.Pos, s.Path, prefix+s.Path,
			"%s is an environment variable name, which TOML files do not read; write %s", ig.Key, prefix+s.Path)
		return
	}
	l.unknown(ig.Pos, ig.Key, prefix, l.suggest(path, true))
}

// isSettingOrGroup reports whether path is a setting or group of some
// release.
func isSettingOrGroup(path string) bool { return settingOrGroupIn(schema.Ever(), path) }

// settingOrGroupIn reports whether path is a setting or group of set.
func settingOrGroupIn(set *schema.Set, path string) bool {
	_, ok := set.ByPath(path)
	return ok || set.IsGroup(path)
}

// keyName renders the key of e as the reader sees it written: "[ui] url"
// for a key right under its header, else the dotted path.
func keyName(e tomlEntry) string {
	if !e.isHeader && e.header != nil && len(e.path) == len(e.header)+1 {
		return headerText(e.header) + " " + joinKey(e.path[len(e.path)-1:])
	}
	return joinKey(e.path)
}

// uiTable reports every key of a [ui] table (full is its path), which
// Prefect does not have, at the key's own line, naming the setting meant.
func (l *linter) uiTable(ig sources.Ignored, full, pre []string, entries []tomlEntry) {
	reported := false
	headerFix := l.uiHeaderFix(full, pre, entries)
	for _, e := range entries {
		if e.isHeader || len(e.path) != len(full)+1 || !hasPrefix(e.path, full) {
			continue
		}
		reported = true
		key := strings.ToLower(e.path[len(e.path)-1])
		name := keyName(e)
		underHeader := strings.HasPrefix(name, "[")
		var setting, where string
		var to []string // the key's path, written right
		switch {
		case isSetting("server.ui." + key):
			setting = "server.ui." + key
			to = append(slices.Clone(pre), "server", "ui", key)
			where = joinKey(to)
			if underHeader {
				where = headerText(append(slices.Clone(pre), "server", "ui")) + " " + key
			}
		case isSetting("ui_" + key):
			setting = "ui_" + key
			to = append(slices.Clone(pre), setting)
			where = joinKey(to)
		}
		if setting == "" {
			l.report(RuleUITable, e.pos, "", "",
				"%s does nothing: Prefect has no [ui] table, and no UI setting named %q", name, key)
			continue
		}
		// A dotted key is renamed; a [ui] table whose keys are all
		// [server.ui] settings is renamed whole.
		m := more{fixes: headerFix}
		if !underHeader {
			m.fixes = l.renameFix(e.pos, e.path, to)
		}
		l.reportMore(m, RuleUITable, e.pos, setting, where,
			"%s does nothing: Prefect has no [ui] table; the setting is %s", name, where)
	}
	if !reported {
		l.report(RuleUITable, ig.Pos, "", "",
			"Prefect has no %s table; the UI settings are under %s", headerText(full),
			headerText(append(slices.Clone(pre), "server", "ui")))
	}
}

// uiHeaderFix returns the fix that renames the [ui] table at full (pre is
// [tool prefect]) to [server.ui], when the table holds only keys of
// [server.ui] settings, spelt as they are there, and the file has no
// [server.ui] table already.
func (l *linter) uiHeaderFix(full, pre []string, entries []tomlEntry) []diag.Fix {
	var header *tomlEntry
	for i, e := range entries {
		switch {
		case !hasPrefix(e.path, full):
		case e.isHeader && len(e.path) == len(full):
			if header != nil {
				return nil // [[ui]], or written twice
			}
			header = &entries[i]
		case e.isHeader || len(e.path) != len(full)+1 || !slices.Equal(e.header, full):
			return nil // a table inside it, or a key written elsewhere
		case !isSetting("server.ui." + e.path[len(full)]):
			return nil
		}
	}
	if header == nil {
		return nil
	}
	return l.renameFix(header.pos, full, append(slices.Clone(pre), "server", "ui"))
}

func isSetting(path string) bool {
	_, ok := schema.Ever().ByPath(path)
	return ok
}

// caseTOML reports the tables and keys under full, a path Prefect ignores
// because it is spelled in another case than a setting or group, where
// each is written.
func (l *linter) caseTOML(ig sources.Ignored, full, pre []string, entries []tomlEntry) {
	reported := false
	for _, e := range entries {
		if !hasPrefix(e.path, full) || !e.isHeader && e.header != nil && hasPrefix(e.header, full) {
			continue // a key under a header already reported
		}
		fixed := append(slices.Clone(pre), lowerWhileValid(e.path[len(pre):])...)
		if e.isHeader {
			l.reportRename(e.path, fixed, RuleIgnoredKey, e.pos, settingOf(strings.Join(fixed[len(pre):], ".")), headerText(fixed),
				"Prefect matches table names exactly: it does not read %s; write %s", headerText(e.path), headerText(fixed))
		} else {
			l.reportRename(e.path, fixed, RuleIgnoredKey, e.pos, settingOf(strings.Join(fixed[len(pre):], ".")), joinKey(fixed),
				"TOML keys are lower-case: Prefect does not read %s; write %s", joinKey(e.path), joinKey(fixed))
		}
		reported = true
	}
	if !reported {
		lower := strings.ToLower(strings.Join(full[len(pre):], "."))
		prefix := ""
		if len(pre) > 0 {
			prefix = joinKey(pre) + "."
		}
		l.reportRename(full, splitKey(prefix+lower), RuleIgnoredKey, ig.Pos, settingOf(lower), prefix+lower,
			"TOML keys are lower-case: Prefect does not read %s; write %s", ig.Key, prefix+lower)
	}
}

// lowerWhileValid lower-cases the keys of path for as long as they spell a
// group or setting, and keeps the rest as written.
func lowerWhileValid(path []string) []string {
	out := slices.Clone(path)
	for i := range out {
		lower := strings.ToLower(strings.Join(out[:i+1], "."))
		if !isSettingOrGroup(lower) {
			break
		}
		out[i] = strings.ToLower(out[i])
	}
	return out
}

// wrongTable reports the keys under full that a table header above them
// took in: keys that name a Prefect setting or group as written (a path
// such as logging.level, or an environment name such as
// PREFECT_LOGGING_LEVEL), but not under that header. It reports whether
// full itself was written as part of such a key.
func (l *linter) wrongTable(full, pre []string, entries []tomlEntry) (self bool) {
	var done [][]string
	for _, e := range entries {
		if e.isHeader || !hasPrefix(e.path, full) || len(e.header) <= len(pre) || !hasPrefix(e.path, e.header) {
			continue
		}
		if slices.ContainsFunc(done, func(d []string) bool { return hasPrefix(e.path, d) }) {
			continue
		}
		written := e.path[len(e.header):]
		path, env := strings.Join(written, "."), ""
		if !isSettingOrGroup(path) {
			s, ok := envKeySetting(written)
			if !ok || strings.HasPrefix(s.Path, strings.Join(e.header[len(pre):], ".")+".") {
				continue // none, or one of the header's group: ignoredTOML says how to write it there
			}
			path, env = s.Path, written[0]
		}
		done = append(done, e.path)
		// full was written under the header, as part of this key: the key
		// explains it.
		self = self || len(full) > len(e.header)
		top := "to the top of the file, before the first table header"
		if len(pre) > 0 {
			top = "right under " + headerText(pre)
		}
		if env != "" {
			l.report(RuleWrongTable, e.pos, path, path,
				"%s is read as %s because of the %s header above it, and Prefect ignores it; move it %s, as %s (TOML files take setting paths, not environment names)",
				env, joinKey(e.path), headerText(e.header), top, path)
			continue
		}
		l.report(RuleWrongTable, e.pos, settingOf(path), "",
			"%s is read as %s because of the %s header above it, and Prefect ignores it; move it %s",
			joinKey(written), joinKey(e.path), headerText(e.header), top)
	}
	return self
}

// underHeader reports whether wrongTable may find, among the keys of
// data, a key of full, an unknown key (pre is [tool prefect]), that a
// table header turned into it: what it tells from full alone spares
// listing the keys of most files. A key of no table (no table of leaves
// in ig, no inline table and no array of tables in data) has no key under
// it: only a header that is a part of full can have made it, leaving a
// setting, a group or an environment name written under it.
func underHeader(ig sources.Ignored, full, pre []string, data []byte) bool {
	if len(ig.Keys) > 0 || bytes.IndexByte(data, '{') >= 0 || bytes.Contains(data, []byte("[[")) {
		return true
	}
	for h := len(pre) + 1; h < len(full); h++ {
		written := full[h:]
		if _, ok := envKeySetting(written); ok || isSettingOrGroup(strings.Join(written, ".")) {
			return true
		}
	}
	return false
}

// envKeySetting returns the setting a key path written as one environment
// name (PREFECT_LOGGING_LEVEL) names, in some release.
func envKeySetting(written []string) (*schema.Setting, bool) {
	if len(written) != 1 || !isPrefectName(written[0]) {
		return nil, false
	}
	s, _, ok := schema.Ever().ByEnv(written[0])
	return s, ok
}

// pyprojectStray reports the Prefect settings written under another
// tool's table of pyproject.toml ([tool.ruff], [project]): a header above
// them took them in. Only what can be nothing but a Prefect setting counts:
// a dotted setting path (api.url) or a PREFECT_ environment name.
func (l *linter) pyprojectStray(entries []tomlEntry) {
	for _, e := range entries {
		if e.isHeader || len(e.header) == 0 || !hasPrefix(e.path, e.header) ||
			len(e.header) >= 2 && strings.EqualFold(e.header[0], "tool") && strings.EqualFold(e.header[1], "prefect") {
			continue
		}
		if _, ok := envTableOf(e.path); ok {
			continue // another tool's environment: checked as such (envtables.go)
		}
		written := e.path[len(e.header):]
		path := strings.Join(written, ".")
		s, ok := schema.Ever().ByPath(path)
		if !ok || len(written) < 2 {
			if len(written) != 1 {
				continue
			}
			if s, _, ok = schema.Ever().ByEnv(written[0]); !ok || !strings.HasPrefix(strings.ToUpper(written[0]), "PREFECT_") {
				continue
			}
		}
		l.report(RuleWrongTable, e.pos, s.Path, "[tool.prefect] "+s.Path,
			"%s is read as %s because of the %s header above it, and Prefect ignores it; move it under [tool.prefect] as %s",
			joinKey(written), joinKey(e.path), headerText(e.header), s.Path)
	}
}

// pyprojectCase reports [tool.prefect] spelled in another case: Prefect
// reads only the table of that exact name.
func (l *linter) pyprojectCase(entries []tomlEntry) {
	for _, e := range entries {
		p := e.path
		if len(p) < 2 || !strings.EqualFold(p[0], "tool") || !strings.EqualFold(p[1], "prefect") || p[0] == "tool" && p[1] == "prefect" {
			continue
		}
		if !e.isHeader && e.header != nil && len(e.header) >= 2 && strings.EqualFold(e.header[0], "tool") && strings.EqualFold(e.header[1], "prefect") {
			continue // a key under a header already reported
		}
		fixed := append([]string{"tool", "prefect"}, p[2:]...)
		got, want := joinKey(p), joinKey(fixed)
		if e.isHeader {
			got, want = headerText(p), headerText(fixed)
		}
		l.reportRename(p, fixed, RuleIgnoredKey, e.pos, "", want,
			"Prefect matches table names exactly: it reads [tool.prefect] and ignores %s; write %s", got, want)
	}
}

// splitKey splits a dotted key as sources writes it ("a.\"b.c\"") into its
// keys.
func splitKey(key string) []string {
	if strings.IndexByte(key, '"') < 0 {
		return strings.Split(key, ".") // no quoted part: each part is as written, no copy of its own
	}
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
