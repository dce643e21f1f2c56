package settings

import (
	"fmt"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// Meant returns the setting of set, the settings of the release the layer
// was read for, that ig, a key a layer of the kind holds and Prefect does
// not read, was clearly written for: under another table ([ui] api_url
// for server.ui.api_url), in another case, as a quoted dotted key, as an
// environment name in a TOML file or an accessor in a profile, or
// misspelt. ok is false when the key names no setting of set.
func Meant(set *schema.Set, kind sources.Kind, ig sources.Ignored) (s *schema.Setting, ok bool) {
	if kind == sources.PrefectTOML || kind == sources.PyprojectTOML {
		path := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(ig.Key, "tool.prefect."), `"`, ""))
		// Another case, a quoted dotted key, a key a table header
		// swallowed: the path, or its end, is a setting's.
		for p := path; ; {
			if s, ok := set.ByPath(p); ok {
				return s, true
			}
			i := strings.IndexByte(p, '.')
			if i < 0 {
				break
			}
			p = p[i+1:]
		}
		if s, _, ok := set.ByEnv(path[strings.LastIndexByte(path, '.')+1:]); ok {
			return s, true
		}
		if len(ig.Keys) > 0 {
			return nil, false // a table: its keys say what they are for
		}
		return set.ByPath(set.SuggestKey(path))
	}
	if s, _, ok := set.ByEnv(ig.Key); ok {
		return s, true
	}
	if s, ok := set.ByPath(strings.ToLower(ig.Key)); ok {
		return s, true
	}
	if len(ig.Keys) > 0 {
		return nil, false // a table in a profile: its keys say what they are for
	}
	if near := set.Suggest(ig.Key); near != "" {
		if s, _, ok := set.ByEnv(near); ok {
			return s, true
		}
	}
	return nil, false
}

// IgnoredKey is a key Prefect did not read, in a layer of the kind, with
// the reason.
type IgnoredKey struct {
	Layer sources.Kind
	sources.Ignored
}

// IgnoredFor lists the keys of r's layers that Prefect did not read and
// that were clearly written for s (Meant, among the settings of r's
// release), the keys inside a table Prefect does not read ([ui]) included. The reason of a key that names no setting
// says how s is written there.
func (r *Result) IgnoredFor(s *schema.Setting) []IgnoredKey {
	var out []IgnoredKey
	set := r.Schema()
	add := func(kind sources.Kind, ig sources.Ignored) bool {
		if m, ok := Meant(set, kind, ig); !ok || m.Index != s.Index {
			return false
		}
		if ig.Reason == "unknown setting" {
			ig.Reason = "it names no setting; " + s.Path + " is written " + writtenIn(kind, s)
		}
		ig.Keys = nil
		out = append(out, IgnoredKey{Layer: kind, Ignored: ig})
		return true
	}
	for _, l := range r.Layers {
		for _, ig := range l.Ignored {
			if add(l.Kind, ig) {
				continue
			}
			for _, k := range ig.Keys {
				add(l.Kind, k)
			}
		}
	}
	return out
}

// writtenIn says how s is written in a layer of the kind: "[server.ui]
// api_url" in prefect.toml, "[tool.prefect.server.ui] api_url" in
// pyproject.toml, its canonical environment name elsewhere.
func writtenIn(kind sources.Kind, s *schema.Setting) string {
	switch kind {
	case sources.PrefectTOML, sources.PyprojectTOML:
		group, key := "", s.Path
		if i := strings.LastIndexByte(s.Path, '.'); i >= 0 {
			group, key = s.Path[:i], s.Path[i+1:]
		}
		if kind == sources.PyprojectTOML {
			group = strings.TrimSuffix("tool.prefect."+group, ".")
		}
		return fmt.Sprintf("[%s] %s", group, key)
	}
	return s.Canonical()
}
