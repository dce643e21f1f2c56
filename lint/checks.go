package lint

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// coerce checks a value with the engine's own coercion, naming the usual
// mistakes by their own rule.
func (l *linter) coerce(kind sources.Kind, v sources.Value) {
	s := v.Setting
	switch {
	case s.Kind.IsJSON() && kind == sources.Profile:
		if m, ok := v.Raw.(map[string]any); ok {
			l.report(RuleProfileInline, v.Pos, s.Path, inlineSuggestion(s, m),
				"%s in a profile must be a JSON string; Prefect crashes on a table", v.Key)
			return
		}
	case isCORS(s):
		if a, ok := v.Raw.([]any); ok {
			parts := make([]string, len(a))
			for i, x := range a {
				parts[i] = fmt.Sprint(x)
			}
			l.report(RuleCORSArray, v.Pos, s.Path, strconv.Quote(strings.Join(parts, ",")),
				"%s takes one comma-separated string, not an array; write %q", s.Path, strings.Join(parts, ","))
			return
		}
	case s.Kind == schema.Duration:
		if str, ok := v.Raw.(string); ok {
			if _, err := strconv.ParseFloat(strings.TrimSpace(str), 64); err == nil {
				n := strings.TrimSpace(str)
				sugg := "PT" + strings.TrimPrefix(n, "+") + "S"
				if kind == sources.PrefectTOML || kind == sources.PyprojectTOML || kind == sources.Profile {
					sugg = n
				}
				l.report(RuleBareNumber, v.Pos, s.Path, sugg,
					"%s: Prefect rejects a number in a string as a duration; write %s", s.Path, sugg)
				return
			}
		}
	}
	if err := settings.Validate(s, kind, v.Raw); err != nil {
		l.report(RuleInvalidValue, v.Pos, s.Path, "", "%s: %v", s.Path, err)
	}
}

func isCORS(s *schema.Setting) bool {
	switch s.Index {
	case schema.IServerAPICORSAllowedOrigins, schema.IServerAPICORSAllowedMethods, schema.IServerAPICORSAllowedHeaders:
		return true
	}
	return false
}

// inlineSuggestion writes a profile's table as the JSON string Prefect
// wants, with the values left out: a header may carry a credential.
func inlineSuggestion(s *schema.Setting, m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		q, _ := json.Marshal(k)
		b.Write(q)
		b.WriteString(`: "..."`)
	}
	b.WriteByte('}')
	return s.Canonical() + " = '" + b.String() + "'"
}

// holdsSecret reports whether raw is a secret worth protecting: any
// non-empty string, but for a database URL only one with a password that
// is not a placeholder.
func holdsSecret(s *schema.Setting, raw any) bool {
	str, ok := raw.(string)
	if !ok || str == "" || strings.HasPrefix(str, "${") {
		return false
	}
	if s.Index == schema.IServerDatabaseConnectionURL {
		u, err := url.Parse(str)
		if err != nil || u.User == nil {
			return false
		}
		pw, ok := u.User.Password()
		return ok && pw != "" && !strings.HasPrefix(pw, "${") && !strings.HasPrefix(pw, "$%7B")
	}
	return true
}

// protectedHeaders lists, sorted, the custom header names Prefect's client
// drops, from a table or a JSON object string.
func protectedHeaders(raw any) []string {
	m, ok := raw.(map[string]any)
	if str, isStr := raw.(string); isStr {
		ok = json.Unmarshal([]byte(str), &m) == nil
	}
	if !ok {
		return nil
	}
	var out []string
	for k := range m {
		if slices.ContainsFunc(settings.ProtectedHeaders, func(p string) bool { return strings.EqualFold(p, k) }) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
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
		l.report(RuleUIAPIURLTable, ig.Pos, "server.ui.api_url", "[server.ui] api_url",
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

// suggest is Suggest (with key, also naming groups), remembered for the run: a
// tree often repeats one misspelling.
func (l *linter) suggest(name string, key bool) string {
	k := suggestion{name, key}
	if s, ok := l.suggestions[k]; ok {
		return s
	}
	s := schema.Suggest(name)
	if key {
		s = schema.SuggestKey(name)
	}
	l.suggestions[k] = s
	return s
}

type suggestion struct {
	name string
	key  bool
}

func (l *linter) unknown(pos sources.Position, key, prefix, near string) {
	if near == "" {
		l.report(RuleUnknownSetting, pos, "", "", "unknown setting %q", key)
		return
	}
	l.report(RuleUnknownSetting, pos, "", prefix+near, "unknown setting %q; did you mean %q?", key, prefix+near)
}

func settingOf(path string) string {
	if s, ok := schema.ByPath(path); ok {
		return s.Path
	}
	return ""
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

// lintProfiles checks every profile of a profiles file.
func (l *linter) lintProfiles(file string, data []byte) {
	doc, err := sources.ParseProfiles(file, data)
	if l.syntaxErrors(file, err) {
		return
	}
	if doc.HasActive && doc.Active != "" && doc.Profile(doc.Active) == nil {
		l.missingProfile(Warning, doc.ActivePos, doc.Active, "the active key", doc)
	}
	for _, p := range doc.Profiles {
		for _, v := range p.Values {
			l.value(sources.Profile, v, false)
		}
		for _, ig := range p.Ignored {
			l.ignoredProfile(ig)
		}
		l.keyAndAuth([]*sources.Layer{p})
	}
}

func (l *linter) ignoredProfile(ig sources.Ignored) {
	switch {
	case strings.EqualFold(ig.Key, "PREFECT_PROFILE"):
		l.report(RuleIgnoredKey, ig.Pos, "", "",
			"PREFECT_PROFILE inside a profile is not a setting: a profile cannot select a profile")
	case strings.HasPrefix(ig.Reason, "profile keys must be upper-case"):
		s, _, _ := schema.ByEnv(ig.Key)
		l.report(RuleIgnoredKey, ig.Pos, s.Path, strings.ToUpper(ig.Key),
			"profile keys are upper-case: Prefect does not read %s; write %s", ig.Key, strings.ToUpper(ig.Key))
	case strings.HasPrefix(ig.Reason, "profile keys must be environment names"):
		s, _ := schema.ByPath(ig.Key)
		l.report(RuleIgnoredKey, ig.Pos, s.Path, s.Canonical(),
			"profile keys are environment names: Prefect does not read %s; write %s", ig.Key, s.Canonical())
	case ig.Reason != "unknown setting":
		l.report(RuleIgnoredKey, ig.Pos, "", "", "Prefect ignores %s: %s", ig.Key, ig.Reason)
	default:
		l.unknown(ig.Pos, ig.Key, "", l.suggest(ig.Key, false))
	}
}

// lintDotEnv checks a .env file as python-dotenv reads it.
func (l *linter) lintDotEnv(file string, data []byte) {
	layer, err := sources.ReadDotEnv(l.abs(file), l.lookup)
	if l.syntaxErrors(file, err) {
		return
	}
	relocate(layer, file)
	if filepath.Base(file) == ".env" {
		l.dir(filepath.Dir(file)).dotenv = layer
	}
	for _, w := range layer.Warnings {
		if se, ok := w.(*sources.SyntaxError); ok {
			l.reportAs(Warning, RuleSyntax, se.Pos, "", "", "%s", se.Msg)
		}
	}
	for _, v := range layer.Values {
		l.value(sources.DotEnv, v, true)
		if v.Setting.Index == schema.IProfilesPath && v.Key != "PREFECT_PROFILES_PATH" {
			l.report(RuleIgnoredKey, v.Pos, v.Setting.Path, "PREFECT_PROFILES_PATH",
				"%s sets profiles_path, but Prefect looks for the profiles file only under the upper-case name; write PREFECT_PROFILES_PATH", v.Key)
		}
	}
	l.groups(layer)
	for _, ig := range layer.Ignored {
		if strings.EqualFold(ig.Key, "PREFECT_PROFILE") {
			l.report(RuleIgnoredKey, ig.Pos, "", "",
				"PREFECT_PROFILE is read only from the environment: Prefect does not export .env values")
			continue
		}
		l.unknown(ig.Pos, ig.Key, "", l.suggest(ig.Key, false))
	}
}

// relocate names file in every position of the layer.
func relocate(layer *sources.Layer, file string) {
	layer.File = file
	for i := range layer.Values {
		layer.Values[i].Pos.File = file
	}
	for i := range layer.Groups {
		layer.Groups[i].Pos.File = file
	}
	for i := range layer.Ignored {
		layer.Ignored[i].Pos.File = file
	}
	for _, w := range layer.Warnings {
		if se, ok := w.(*sources.SyntaxError); ok {
			se.Pos.File = file
		}
	}
}

// lintEnv checks the PREFECT_* variables of the environment.
func (l *linter) lintEnv() {
	layer := sources.ReadEnv(l.opts.Environ)
	l.envLayer = layer
	for _, v := range layer.Values {
		l.value(sources.Env, v, false)
	}
	l.groups(layer)
	for _, ig := range layer.Ignored {
		if strings.EqualFold(ig.Key, "PREFECT_PROFILE") || strings.HasPrefix(strings.ToUpper(ig.Key), "PREFECT__") {
			continue // read by Prefect, but no setting
		}
		l.unknown(ig.Pos, ig.Key, "", l.suggest(ig.Key, false))
	}
}

// groups checks the variables that hold a whole group as JSON.
func (l *linter) groups(layer *sources.Layer) {
	for _, g := range layer.Groups {
		var v any
		str, _ := g.Raw.(string)
		if err := json.Unmarshal([]byte(str), &v); err != nil {
			l.report(RuleInvalidValue, g.Pos, g.Group, "", "%s holds the group %q and must be a JSON object", g.Key, g.Group)
			continue
		}
		if _, ok := v.(map[string]any); !ok {
			l.report(RuleInvalidValue, g.Pos, g.Group, "", "%s holds the group %q and must be a JSON object", g.Key, g.Group)
		}
	}
}
