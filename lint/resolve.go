// The checks of what Prefect resolves from several files together.

package lint

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// inDir checks what Prefect resolves from directory d: the environment
// (with Env), .env, prefect.toml, pyproject.toml and the active profile,
// together.
func (l *linter) inDir(d string) {
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
	l.keyNotCloud(layers)
	l.databaseParts(layers)
}

// keyAndAuth warns when the layers, highest first, give a client both an
// API key and an auth string.
func (l *linter) keyAndAuth(layers []*sources.Layer) {
	key, auth := winner(layers, schema.IAPIKey), winner(layers, schema.IAPIAuthString)
	if key == nil || auth == nil {
		return
	}
	l.report(RuleKeyAndAuthString, key.Pos, "api.key", "",
		"both api.key and api.auth_string are set (the auth string at %s): Strata sends the key as a Bearer token, Prefect's Python client sends the auth string, and a server that expects the auth string answers 401", whereFrom(auth.Pos, key.Pos))
}

// whereFrom renders pos for a message about from: "line N" in the same
// file, else the whole position.
func whereFrom(pos, from sources.Position) string {
	if pos.File != "" && pos.File == from.File && pos.Line > 0 {
		return "line " + strconv.Itoa(pos.Line)
	}
	return Finding{Pos: pos}.Where()
}

// winner returns the value of setting i that Prefect uses from layers,
// highest first, when it is a non-empty string.
func winner(layers []*sources.Layer, i int) *sources.Value {
	if v := top(layers, i); v != nil {
		if s, ok := v.Raw.(string); ok && s != "" {
			return v
		}
	}
	return nil
}

// top returns the value of setting i that Prefect uses from layers,
// highest first: in the highest layer that sets it, the canonical name
// before its aliases.
func top(layers []*sources.Layer, i int) *sources.Value {
	for _, x := range layers {
		var best *sources.Value
		for k := range x.Values {
			v := &x.Values[k]
			if v.Setting.Index == i && (best == nil || v.Alias < best.Alias) {
				best = v
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// homePaths notes, at every PREFECT_HOME written outside the environment,
// that it does not move the profiles file (unless the same file sets
// that path), and at every one the paths it does not move and that
// nothing sets.
func (l *linter) homePaths() {
	for _, h := range l.homes {
		if h.kind != sources.Env && (h.kind == sources.Profile || !l.movesProfiles[h.Pos.File]) {
			l.report(RuleHomeOutsideEnv, h.Pos, "home", "",
				"PREFECT_HOME set in %s moves home but not the profiles file: Prefect looks for profiles.toml under PREFECT_HOME only when it comes from the environment", placeName(h.kind))
		}
	}
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

// set returns the value of setting i that Prefect uses from layers,
// highest first, unless it is an empty string.
func set(layers []*sources.Layer, i int) *sources.Value {
	if v := top(layers, i); v != nil {
		if s, ok := v.Raw.(string); ok && s == "" {
			return nil
		}
		return v
	}
	return nil
}

// keyNotCloud warns, as Prefect's security guide does, when the layers give
// a client an API key while api.url points at a server that is not Prefect
// Cloud: a self-hosted server authenticates with an auth string.
func (l *linter) keyNotCloud(layers []*sources.Layer) {
	key, apiURL := winner(layers, schema.IAPIKey), winner(layers, schema.IAPIURL)
	if key == nil || apiURL == nil || winner(layers, schema.IAPIAuthString) != nil {
		return // no key, no server named, or key-and-auth-string says it
	}
	raw, _ := apiURL.Raw.(string)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || strings.Contains(raw, "${") {
		return
	}
	host := strings.ToLower(u.Hostname())
	if host == "prefect.cloud" || strings.HasSuffix(host, ".prefect.cloud") {
		return
	}
	if c := winner(layers, schema.ICloudAPIURL); c != nil {
		if cu, err := url.Parse(c.Raw.(string)); err == nil && strings.EqualFold(cu.Hostname(), host) {
			return // a Cloud reached at another address
		}
	}
	l.report(RuleKeyNotCloud, key.Pos, "api.key", "api.auth_string",
		"api.key is set, but api.url (at %s) points at %s, which is not Prefect Cloud: a self-hosted server does not take API keys and answers 401 when it checks auth; set api.auth_string instead",
		whereFrom(apiURL.Pos, key.Pos), host)
}

// databaseParts warns when the layers set parts of a database connection
// but neither a driver nor a connection URL: Prefect then stays on SQLite
// under PREFECT_HOME and ignores the parts.
func (l *linter) databaseParts(layers []*sources.Layer) {
	if set(layers, schema.IServerDatabaseDriver) != nil || set(layers, schema.IServerDatabaseConnectionURL) != nil {
		return
	}
	var first *sources.Value
	var names []string
	building := false // a part that only builds a URL: a password alone may be for a URL set elsewhere
	for _, i := range []int{schema.IServerDatabaseHost, schema.IServerDatabasePort, schema.IServerDatabaseUser,
		schema.IServerDatabasePassword, schema.IServerDatabaseName} {
		if v := set(layers, i); v != nil {
			names = append(names, v.Setting.Path)
			building = building || i != schema.IServerDatabasePassword
			if first == nil {
				first = v
			}
		}
	}
	if !building {
		return
	}
	verb := "is"
	if len(names) > 1 {
		verb = "are"
	}
	l.report(RuleDatabaseParts, first.Pos, first.Setting.Path, "server.database.driver",
		"%s %s set, but with no server.database.driver and no server.database.connection_url Prefect stays on SQLite and ignores them; set server.database.driver to \"postgresql+asyncpg\"",
		strings.Join(names, ", "), verb)
}
