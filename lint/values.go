// The checks of one value, whatever file or variable holds it.

package lint

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// value checks one value a source holds for a setting; committed says the
// value is in a file, which may be shared through version control.
func (l *linter) value(kind sources.Kind, v sources.Value, committed bool) {
	s := v.Setting
	l.valueName(v)
	switch s.Index {
	case schema.IHome:
		l.mu.Lock()
		l.homes = append(l.homes, homeValue{v, kind})
		l.mu.Unlock()
	case schema.IProfilesPath:
		if kind != sources.DotEnv || v.Key == "PREFECT_PROFILES_PATH" {
			l.mu.Lock()
			l.movesProfiles[v.Pos.File] = true // the only spelling Prefect's locator reads in .env
			l.mu.Unlock()
		}
	}
	if committed {
		l.secretInFile(kind, v)
	}
	l.coerce(kind, v)
	l.meaning(kind, v)
	if s.Index == schema.IClientCustomHeaders {
		for _, name := range protectedHeaders(v.Raw) {
			l.report(RuleProtectedHeader, v.Pos, s.Path, "",
				"custom header %q is dropped: Prefect's client manages User-Agent, Prefect-Csrf-Token and Prefect-Csrf-Client itself", name)
		}
	}
}

// valueName checks the name a value is given under: a setting of
// another release, a legacy alias.
func (l *linter) valueName(v sources.Value) {
	s := v.Setting
	l.mu.Lock()
	l.pathsSet[s.Index] = true
	l.mu.Unlock()
	l.releaseValue(v)
	if v.Alias > 0 {
		l.reportRename([]string{v.Key}, []string{s.Canonical()}, RuleLegacyAlias, v.Pos, s.Path, s.Canonical(),
			"%s is the legacy name of %s; use %q", v.Key, s.Path, s.Canonical())
	}
}

func placeName(kind sources.Kind) string {
	switch kind {
	case sources.DotEnv:
		return "a .env file"
	case sources.Profile:
		return "a profile"
	}
	return kind.String()
}

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

// headerTable reads client.custom_headers as written: a TOML table, or a
// JSON object string (the environment's and profiles' form).
func headerTable(raw any) (map[string]any, bool) {
	if str, isStr := raw.(string); isStr {
		var m map[string]any // on the heap only when decoded into
		return m, json.Unmarshal([]byte(str), &m) == nil
	}
	m, ok := raw.(map[string]any)
	return m, ok
}

// protectedHeaders lists, sorted, the custom header names Prefect's client
// drops, from a table or a JSON object string.
func protectedHeaders(raw any) []string {
	m, ok := headerTable(raw)
	if !ok {
		return nil
	}
	if len(m) == 0 {
		return nil
	}
	protected := settings.ProtectedHeaders()
	var out []string
	for k := range m {
		if slices.ContainsFunc(protected, func(p string) bool { return strings.EqualFold(p, k) }) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// suggest is Suggest (with key, also naming groups), remembered for the run: a
// tree often repeats one misspelling.
func (l *linter) suggest(name string, key bool) string {
	k := suggestion{name, key}
	l.mu.Lock()
	s, ok := l.suggestions[k]
	l.mu.Unlock()
	if ok {
		return s
	}
	set := l.release.rel.Schema() // the names of the project's release
	s = set.Suggest(name)
	if key {
		s = set.SuggestKey(name)
	}
	l.mu.Lock()
	l.suggestions[k] = s
	l.mu.Unlock()
	return s
}

type suggestion struct {
	name string
	key  bool
}

func (l *linter) unknown(pos sources.Position, key, prefix, near string) {
	if prefix == "" && l.oldName(pos, key) {
		return
	}
	if l.releaseUnknown(pos, key, prefix) {
		return
	}
	if near == "" {
		l.report(RuleUnknownSetting, pos, "", "", "unknown setting %q", key)
		return
	}
	meant := ""
	if s, ok := schema.Ever().Lookup(near); ok {
		meant = s.Path
	}
	l.reportRename(splitKey(key), splitKey(prefix+near), RuleUnknownSetting, pos, meant, prefix+near,
		"unknown setting %q; did you mean %q?", key, prefix+near)
}

// settingOf returns path when it is a setting of some release, else "".
func settingOf(path string) string {
	if s, ok := schema.Ever().ByPath(path); ok {
		return s.Path
	}
	return ""
}
