package lint

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// packagedNames are the profiles Prefect ships with.
var packagedNames = []string{"ephemeral", "local", "test", "cloud"}

// profileInput is what locates the profiles file from directory d.
func (l *linter) profileInput(d string) *sources.ProfileInput {
	dl := l.dir(d)
	return &sources.ProfileInput{Environ: l.env, DotEnv: dl.dotenv, Prefect: dl.prefect, Pyproject: dl.pyproject,
		Dir: l.abs(d), Home: l.opts.Home, Name: l.opts.Profile}
}

// profilesPath returns the profiles file Prefect reads from directory d,
// as shown in findings, or "" for the packaged profiles.
func (l *linter) profilesPath(d string) string {
	loc := sources.LocateProfiles(l.profileInput(d))
	if loc.Packaged {
		return ""
	}
	if filepath.IsAbs(loc.Path) {
		return l.display(loc.Path)
	}
	return filepath.Join(d, loc.Path)
}

// display shows an absolute path under Dir relative to it, as the files
// found by searching Dir are shown.
func (l *linter) display(p string) string {
	if l.opts.Dir == "" || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(l.opts.Dir, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return p
}

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

// selectedProfile checks the profile --profile or PREFECT_PROFILE selects.
func (l *linter) selectedProfile() {
	name, pos, sev, by := l.opts.Profile, sources.Position{Env: "--profile"}, Error, "--profile"
	if name == "" {
		name, pos, sev, by = l.env["PREFECT_PROFILE"], sources.Position{Env: "PREFECT_PROFILE"}, Warning, "PREFECT_PROFILE"
	}
	if name == "" {
		return
	}
	in := l.profileInput(".")
	if in.TestMode() {
		return
	}
	file := l.profilesPath(".")
	var doc *sources.ProfilesDoc
	if file != "" {
		data, err := os.ReadFile(l.abs(file))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return
		default:
			if doc, err = sources.ParseProfiles(file, data); err != nil {
				return // reported as the file's syntax error
			}
		}
	}
	if doc != nil && doc.Profile(name) != nil || doc == nil && slices.Contains(packagedNames, name) {
		return
	}
	if doc == nil {
		doc = &sources.ProfilesDoc{File: file}
	}
	l.missingProfile(sev, pos, name, by, doc)
}

// missingProfile reports the profile name, chosen by by, that is not in
// doc.
func (l *linter) missingProfile(sev Severity, pos sources.Position, name, by string, doc *sources.ProfilesDoc) {
	file := doc.File
	if file == "" {
		file = "Prefect's packaged profiles"
	}
	var names []string
	for _, p := range doc.Profiles {
		names = append(names, p.Profile)
	}
	near := nearestProfile(name, names)
	if slices.Contains(packagedNames, name) {
		if name == "ephemeral" {
			return // the fallback is this very profile
		}
		l.reportAs(Warning, RuleMissingProfile, pos, "", near,
			"profile %q (from %s) is not in %s, only among Prefect's packaged profiles: its settings loader applies the packaged \"ephemeral\" profile instead", name, by, file)
		return
	}
	msg := "profile %q (from %s) does not exist in %s: Prefect applies the packaged \"ephemeral\" profile instead"
	if by == "--profile" {
		msg = "profile %q (from %s) does not exist in %s: prefect --profile fails with \"Unknown profile\""
	}
	if near != "" {
		msg += "; did you mean " + quote(near) + "?"
	}
	l.reportAs(sev, RuleMissingProfile, pos, "", near, msg, name, by, file)
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func nearestProfile(name string, names []string) string {
	return schema.Nearest(name, append(slices.Clone(names), packagedNames...))
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
