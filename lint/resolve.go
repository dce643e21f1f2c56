// The checks of what Prefect resolves from several files together.

package lint

import (
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// keyAndAuthInDir checks the client credentials Prefect resolves from
// directory d: the environment (with Env), .env, prefect.toml,
// pyproject.toml and the active profile, together.
func (l *linter) keyAndAuthInDir(d string) {
	dl := l.dir(d)
	var layers []*sources.Layer
	if l.envLayer != nil {
		layers = append(layers, l.envLayer)
	}
	for _, x := range []*sources.Layer{dl.dotenv, dl.prefect, dl.pyproject} {
		if x != nil {
			layers = append(layers, x)
		}
	}
	profile, loc := sources.ReadProfiles(l.profileInput(d))
	if !loc.Packaged && profile.File != sources.PackagedProfiles {
		if file := l.profilesPath(d); file != "" {
			relocate(profile, file)
		}
		layers = append(layers, profile)
	}
	l.keyAndAuth(layers)
}

// keyAndAuth warns when the layers, highest first, give a client both an
// API key and an auth string.
func (l *linter) keyAndAuth(layers []*sources.Layer) {
	key, auth := winner(layers, schema.IAPIKey), winner(layers, schema.IAPIAuthString)
	if key == nil || auth == nil {
		return
	}
	where := Finding{Pos: auth.Pos}.Where()
	if auth.Pos.File != "" && auth.Pos.File == key.Pos.File {
		where = strings.TrimPrefix(where, auth.Pos.File+":")
		where = "line " + strings.Split(where, ":")[0]
	}
	l.report(RuleKeyAndAuthString, key.Pos, "api.key", "",
		"both api.key and api.auth_string are set (the auth string at %s): Strata sends the key as a Bearer token, Prefect's Python client sends the auth string, and a server that expects the auth string answers 401", where)
}

// winner returns the value of setting i that Prefect uses from layers,
// highest first, when it is a non-empty string.
func winner(layers []*sources.Layer, i int) *sources.Value {
	for _, x := range layers {
		var best *sources.Value
		for k := range x.Values {
			v := &x.Values[k]
			if v.Setting.Index == i && (best == nil || v.Alias < best.Alias) {
				best = v
			}
		}
		if best != nil {
			if s, ok := best.Raw.(string); ok && s != "" {
				return best
			}
			return nil
		}
	}
	return nil
}

// homePaths notes, at every PREFECT_HOME written, the paths it does not
// move and that nothing sets.
func (l *linter) homePaths() {
	var left []string
	for _, i := range []int{schema.ILoggingConfigPath, schema.IResultsLocalStoragePath, schema.IServerMemoStorePath} {
		if !l.pathsSet[i] {
			left = append(left, schema.All()[i].Path)
		}
	}
	if len(left) == 0 {
		return
	}
	they := "they stay"
	if len(left) == 1 {
		they = "it stays"
	}
	for _, h := range l.homes {
		l.report(RuleHomeNotMovingPath, h.Pos, "home", "",
			"PREFECT_HOME does not move %s: %s under ~/.prefect unless set", strings.Join(left, ", "), they)
	}
}
