// The checks of what Prefect resolves from several files together. Which
// value is in force is the engine's answer (settings.InForce), never
// worked out here.

package lint

import (
	"errors"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// inDir checks what Prefect resolves from directory d: the environment
// (with Env), .env, prefect.toml, pyproject.toml and the active profile,
// together, read as the directory's release reads them and resolved by the
// engine.
func (l *linter) inDir(d string) {
	dl := l.dir(d)
	sel := l.releaseFor(sources.Position{File: filepath.Join(d, ".env")})
	var layers []*sources.Layer
	for _, x := range []*sources.Layer{l.envLayer, dl.dotenv, dl.prefect, dl.pyproject} {
		if x != nil {
			layers = append(layers, x)
		}
	}
	in := l.profileInput(d)
	in.Release = sel.rel
	profile, loc := sources.ReadProfiles(in)
	if !loc.Packaged && profile.File != sources.PackagedProfiles {
		if file := l.profilesPath(d); file != "" {
			relocate(profile, file)
		}
		layers = append(layers, profile)
	}
	if !holdsAny(layers, resolveFor) {
		return // as read for the per-file checks, they hold nothing to check
	}
	if sel.rel != release.Default() {
		// The files were read as the newest release reads them: read
		// them again as the directory's release does.
		rd := sources.Reader{Release: sel.rel}
		for i, x := range layers {
			if x == l.envLayer {
				layers[i] = rd.Env(l.opts.Environ)
			} else if x != profile {
				layers[i] = l.reread(rd, x)
			}
		}
	}
	r := l.resolve(sel, layers)
	if r == nil {
		return
	}
	l.keyAndAuth(r)
	l.keyNotCloud(r)
	l.databaseParts(r)
}

// reread reads the file of layer x, a .env, prefect.toml or pyproject.toml
// linted already, with rd, from the bytes already read. A TOML file
// Prefect's parser refuses yields nothing, as for Prefect.
func (l *linter) reread(rd sources.Reader, x *sources.Layer) *sources.Layer {
	f, ok := l.texts[cleanPath(x.File)]
	if !ok {
		return x
	}
	data := f.data
	var y *sources.Layer
	var err error
	switch x.Kind {
	case sources.DotEnv:
		y, err = rd.DotEnvData(x.File, data, l.lookup)
	case sources.PrefectTOML:
		y, err = rd.ParsePrefectTOML(x.File, data)
	case sources.PyprojectTOML:
		y, err = rd.ParsePyproject(x.File, data)
	default:
		return x
	}
	var se *sources.SyntaxError
	var fe *sources.FileError
	if y == nil || errors.As(err, &fe) || x.Kind != sources.DotEnv && errors.As(err, &se) {
		return &sources.Layer{Kind: x.Kind, File: x.File}
	}
	return y
}

// resolveFor are the settings without which the checks of this file find
// nothing: an API key (keyAndAuth, keyNotCloud) or a database part
// (databaseParts). A resolution whose layers hold none of them is skipped.
var resolveFor = []int{schema.IAPIKey, schema.IServerDatabaseHost, schema.IServerDatabasePort,
	schema.IServerDatabaseUser, schema.IServerDatabasePassword, schema.IServerDatabaseName}

// checked are the settings whose value in force the checks of resolved
// values read (keyAndAuth, keyNotCloud, databaseParts): all the engine is
// asked to resolve.
var checked = []int{schema.IAPIKey, schema.IAPIAuthString, schema.IAPIURL, schema.ICloudAPIURL,
	schema.IServerDatabaseDriver, schema.IServerDatabaseConnectionURL, schema.IServerDatabaseHost,
	schema.IServerDatabasePort, schema.IServerDatabaseUser, schema.IServerDatabasePassword, schema.IServerDatabaseName}

// resolved tells the checks of resolved values the candidate whose value
// is in force for setting i, or nil when none is (the default, or a
// derived value, applies).
type resolved func(i int) *settings.Candidate

// ofResult is the resolved of a whole resolution.
func ofResult(r *settings.Result) resolved {
	return func(i int) *settings.Candidate { return inForce(r, i) }
}

// resolve asks the engine which values of the layers are in force as the
// selected release, for the checked settings; nil when the layers hold
// nothing the checks need.
func (l *linter) resolve(sel *selected, layers []*sources.Layer) resolved {
	if !holdsAny(layers, resolveFor) {
		return nil
	}
	environ := l.opts.Environ
	if environ == nil {
		environ = []string{}
	}
	// Invalid values are reported where they are written; the candidate
	// of one is still the value in force.
	in := settings.InForce(settings.Input{Release: sel.rel, Layers: layers, Environ: environ, Home: l.opts.Home}, checked...)
	return func(i int) *settings.Candidate {
		k := slices.Index(checked, i)
		if k < 0 {
			panic("lint: " + schema.Every(i).Path + " is not among the settings resolved (checked)")
		}
		return in[k]
	}
}

// holdsAny reports whether the layers hold a value of one of the settings,
// or a group JSON variable, which may.
func holdsAny(layers []*sources.Layer, settings []int) bool {
	for _, x := range layers {
		if len(x.Groups) > 0 {
			return true
		}
		for _, v := range x.Values {
			for _, i := range settings {
				if v.Setting.Index == i {
					return true
				}
			}
		}
	}
	return false
}

// winner returns the candidate whose value is in force for setting i, when
// it is a non-empty string.
func winner(r resolved, i int) *settings.Candidate {
	if c := r(i); c != nil {
		if s, ok := c.Raw.(string); ok && s != "" {
			return c
		}
	}
	return nil
}

// inForce returns the candidate of r whose value is in force for setting
// i, or nil when none is (the default, or a derived value, applies).
func inForce(r *settings.Result, i int) *settings.Candidate {
	o := &r.Origins()[i]
	if o.Setting == nil {
		return nil // not a setting of the release
	}
	return o.Source()
}

// set returns the candidate in force for setting i, unless it is an empty
// string.
func set(r resolved, i int) *settings.Candidate {
	if c := r(i); c != nil {
		if s, ok := c.Raw.(string); ok && s == "" {
			return nil
		}
		return c
	}
	return nil
}

// keyAndAuth warns when the value in force gives a client both an API key
// and an auth string.
func (l *linter) keyAndAuth(r resolved) {
	key, auth := winner(r, schema.IAPIKey), winner(r, schema.IAPIAuthString)
	if key == nil || auth == nil {
		return
	}
	l.reportMore(more{related: []diag.Related{{Pos: auth.Pos, Message: "api.auth_string is set here"}}},
		RuleKeyAndAuthString, key.Pos, "api.key", "",
		"both api.key and api.auth_string are set (the auth string at %s): Strata sends the key as a Bearer token, Prefect's Python client sends the auth string, and a server that expects the auth string answers 401", whereFrom(auth.Pos, key.Pos))
}

// whereFrom renders pos for a message about from: "line N" in the same
// file, else the whole position.
func whereFrom(pos, from sources.Position) string {
	if pos.File != "" && pos.File == from.File && pos.Line > 0 {
		return "line " + strconv.Itoa(pos.Line)
	}
	return diag.Where(pos)
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

// keyNotCloud warns, as Prefect's security guide does, when the values in
// force give a client an API key while api.url points at a server that is
// not Prefect Cloud: a self-hosted server authenticates with an auth
// string.
func (l *linter) keyNotCloud(r resolved) {
	key, apiURL := winner(r, schema.IAPIKey), winner(r, schema.IAPIURL)
	if key == nil || apiURL == nil || winner(r, schema.IAPIAuthString) != nil {
		return // no key, no server named, or key-and-auth-string says it
	}
	raw, _ := apiURL.Raw.(string)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || strings.Contains(raw, "$") {
		return // no URL, or one built from a variable
	}
	host := strings.ToLower(u.Hostname())
	if host == "prefect.cloud" || strings.HasSuffix(host, ".prefect.cloud") {
		return
	}
	if c := winner(r, schema.ICloudAPIURL); c != nil {
		if cu, err := url.Parse(c.Raw.(string)); err == nil && strings.EqualFold(cu.Hostname(), host) {
			return // a Cloud reached at another address
		}
	}
	l.reportMore(more{related: []diag.Related{{Pos: apiURL.Pos, Message: "api.url is set here"}}},
		RuleKeyNotCloud, key.Pos, "api.key", "api.auth_string",
		"api.key is set, but api.url (at %s) points at %s, which is not Prefect Cloud: a self-hosted server does not take API keys and answers 401 when it checks auth; set api.auth_string instead",
		whereFrom(apiURL.Pos, key.Pos), host)
}

// databaseParts warns when the values in force set parts of a database
// connection but neither a driver nor a connection URL: Prefect then stays
// on SQLite under PREFECT_HOME and ignores the parts.
func (l *linter) databaseParts(r resolved) {
	if set(r, schema.IServerDatabaseDriver) != nil || set(r, schema.IServerDatabaseConnectionURL) != nil {
		return
	}
	var first *settings.Candidate
	var names []string
	var related []diag.Related
	building := false // a part that only builds a URL: a password alone may be for a URL set elsewhere
	for _, i := range []int{schema.IServerDatabaseHost, schema.IServerDatabasePort, schema.IServerDatabaseUser,
		schema.IServerDatabasePassword, schema.IServerDatabaseName} {
		if c := set(r, i); c != nil {
			path := schema.All()[i].Path
			names = append(names, path)
			building = building || i != schema.IServerDatabasePassword
			if first == nil {
				first = c
			} else {
				related = append(related, diag.Related{Pos: c.Pos, Message: path + " is set here"})
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
	l.reportMore(more{related: related}, RuleDatabaseParts, first.Pos, names[0], "server.database.driver",
		"%s %s set, but with no server.database.driver and no server.database.connection_url Prefect stays on SQLite and ignores them; set server.database.driver to \"postgresql+asyncpg\"",
		strings.Join(names, ", "), verb)
}
