package settings

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// Precedence is the order of the layers, highest first. A value from a
// higher layer wins over every lower one, whatever name it was written
// under; within one layer the canonical name wins over the legacy alias.
//
//	group JSON   PREFECT_<GROUP>='{"key": ...}' in the environment or .env
//	env          the process environment (names in any case)
//	.env         the .env file in the working directory
//	prefect.toml prefect.toml in the working directory
//	pyproject    [tool.prefect] of pyproject.toml in the working directory
//	profile      the active profile of profiles.toml
//	legacy       [experiments.plugins] tables (plugins.* only)
//	default      the declared default, or the value a rule derives
var Precedence = []sources.Kind{
	sources.GroupJSON, sources.Env, sources.DotEnv, sources.PrefectTOML,
	sources.PyprojectTOML, sources.Profile, sources.LegacyPlugins, sources.Default,
}

// Load resolves every Prefect setting as Prefect does, from the sources
// Options name. It returns the settings with the origin of every value and
// the warnings Prefect would give. When any value is invalid it returns
// the Result so far and an ErrorList naming every invalid setting.
func Load(opts Options) (*Result, error) {
	o, env, err := opts.resolved()
	if err != nil {
		return nil, fmt.Errorf("resolving settings: %w", err)
	}
	versions := o.Versions()
	rel, relWarnings, err := versions.Release()
	if err != nil {
		return nil, err
	}
	r := &Result{Release: rel, Prefect: versions}
	for _, w := range relWarnings {
		r.warn("", versions.pos(), "%s", w)
	}
	var errs ErrorList
	host := o.Dir
	o, env = o.inside(env)
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }

	rd := sources.Reader{Release: rel}
	envLayer := o.envLayer(rd)
	dotenv, err := rd.DotEnv(o.workFile(".env"), lookup)
	errs.addSource(sources.DotEnv, err)
	prefect, err := refused(rd.PrefectTOML(o.workFile("prefect.toml")))
	errs.addSource(sources.PrefectTOML, err)
	pyproject, err := refused(rd.Pyproject(o.workFile("pyproject.toml")))
	errs.addSource(sources.PyprojectTOML, err)
	if !rel.TOMLErrors {
		errs.crashes(rel)
	}
	profile, file := sources.ReadProfiles(&sources.ProfileInput{
		Environ: env, DotEnv: dotenv, Prefect: prefect, Pyproject: pyproject,
		Dir: o.Dir, Home: o.Home, Name: o.Profile, Release: rel, Files: o.files(),
	})
	r.Profile, r.ProfilesFile, r.TestMode = profile.Profile, file, file.Why == "test mode"
	groups := groupLayer(rel.Schema(), envLayer, dotenv, &errs)
	legacy := &sources.Layer{Kind: sources.LegacyPlugins, Values: append(slices.Clip(prefect.Plugins), pyproject.Plugins...)}
	r.Layers = []*sources.Layer{groups, envLayer, dotenv, prefect, pyproject, profile, legacy}
	unreadable := false
	for _, l := range r.Layers {
		for _, w := range l.Warnings {
			// A profiles file that exists but cannot be read stops
			// Prefect, and one Strata refuses to read stops Strata: an
			// error, not a warning.
			if isUnreadable(w) {
				errs.addSource(l.Kind, w)
				unreadable = true
				continue
			}
			r.warn("", sources.Position{}, w.Error())
		}
	}
	if !unreadable && file.Path != "" && len(profile.Warnings) > 0 && profile.Profile == "" {
		r.Warnings[len(r.Warnings)-1].Msg = fmt.Sprintf("failed to load profiles from %s: the file is not valid TOML, so no profile applies: %v",
			file.Path, profile.Warnings[0])
	}

	r.collect()
	for _, s := range rel.Schema().All() {
		r.resolve(s, &errs)
	}
	res := &resolution{r: r, rel: rel, env: env, opts: o, errs: &errs}
	res.apply()
	for i, v := range r.values[:schema.Len] {
		r.Settings.Set(i, v)
	}
	o.containerReport(r, host)
	errs.Sort()
	return r, errs.Err()
}

// addSource files a source's read error: a syntax error for the whole
// file, or the values it could not use.
func (l *ErrorList) addSource(kind sources.Kind, err error) {
	if err == nil {
		return
	}
	for _, e := range unjoin(err) {
		switch t := e.(type) {
		case *sources.SyntaxError:
			*l = append(*l, &Error{Pos: t.Pos, Layer: kind, Msg: t.Msg, Err: t})
		case *sources.FileError:
			*l = append(*l, &Error{Pos: t.Pos, Layer: kind, Msg: t.Msg, Err: t})
		case *sources.ReadError:
			*l = append(*l, &Error{Pos: sources.Position{File: t.File}, Layer: kind, Msg: t.Reason(), Err: t})
		case *sources.ValueError:
			*l = append(*l, &Error{Pos: t.Pos, Layer: kind, Setting: t.Setting, Key: t.Key, Msg: t.Msg, Err: t})
		default:
			*l = append(*l, &Error{Layer: kind, Msg: e.Error(), Err: e})
		}
	}
}

// refused is what Prefect makes of a TOML file its parser rejects, TOML
// 1.1 syntax included: a settings error naming the file, and no values
// from it.
func refused(l *sources.Layer, err error) (*sources.Layer, error) {
	var syntax []error
	for _, e := range unjoin(err) {
		var se *sources.SyntaxError
		if errors.As(e, &se) {
			syntax = append(syntax, e)
		}
	}
	if len(syntax) == 0 {
		return l, err
	}
	return &sources.Layer{Kind: l.Kind, File: l.File}, errors.Join(syntax...)
}

// isUnreadable reports whether err is a file Strata cannot or will not read.
func isUnreadable(err error) bool {
	var fe *sources.FileError
	var re *sources.ReadError
	return errors.As(err, &fe) || errors.As(err, &re)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// collect gathers every layer's values into each setting's candidates, in
// precedence order.
func (r *Result) collect() {
	for li, l := range r.Layers {
		for _, v := range l.Values {
			i := v.Setting.Index
			r.origins[i].Candidates = append(r.origins[i].Candidates, Candidate{
				Layer: l.Kind, File: l.File, Key: v.Key, Alias: v.Alias, Raw: v.Raw, Pos: v.Pos, Group: v.Group,
				layer: li, seq: len(r.origins[i].Candidates),
			})
		}
	}
	// Within a layer the canonical name wins, and of two spellings of one
	// name the last written wins. On pydantic-settings before 2.14 the name
	// listed first wins across the environment and .env (and, before 3.1.2,
	// the profile) whatever their order (release.Release.AliasOrder).
	env := slices.IndexFunc(r.Layers, func(l *sources.Layer) bool { return l.Kind == sources.Env })
	for i := range r.origins {
		c := r.origins[i].Candidates
		if len(c) < 2 {
			continue
		}
		for k := range c {
			c[k].rank = c[k].layer
			if r.Release.AliasOrder && (c[k].Layer == sources.Env || c[k].Layer == sources.DotEnv ||
				c[k].Layer == sources.Profile && !r.Release.AliasLowest) {
				c[k].rank = env
			}
		}
		slices.SortStableFunc(c, func(a, b Candidate) int {
			return cmp.Or(a.rank-b.rank, a.Alias-b.Alias, a.layer-b.layer, b.seq-a.seq)
		})
	}
}

// resolve decodes the winning candidate of setting s.
func (r *Result) resolve(s *schema.Setting, errs *ErrorList) {
	i := s.Index
	if i == schema.IServerServicesLateRunsAfterSeconds && !r.Release.SecondsAfter {
		d := *s
		d.Kind = schema.Duration // a number in a string is no duration
		s = &d
	}
	o := &r.origins[i]
	o.Setting = s
	if len(o.Candidates) == 0 {
		o.Layer = sources.Default
		r.values[i] = s.Default
		return
	}
	w := known(o.Candidates) // a value known only when deployed is resolved as unset
	if w == len(o.Candidates) {
		o.Layer = sources.Default
		r.values[i] = s.Default
		return
	}
	c := o.Candidates[w]
	o.Layer, o.Winner = c.Layer, w
	if s.Kind.IsJSON() {
		r.values[i] = r.mergeObjects(s, o, errs)
		return
	}
	v, err := decode(s, c.Layer, c.Raw)
	if err == nil && s.Kind == schema.StringList && !r.Release.ExtraLoggersSet {
		v = inOrder(c.Layer, c.Raw, v.([]string))
	}
	if err == nil {
		err = checkConstraint(s, v)
	}
	if err != nil {
		errs.addValue(s, c, err)
		o.Invalid = true
		r.values[i] = s.Default
		return
	}
	r.values[i] = v
}

// mergeObjects resolves a dict setting (client.custom_headers, the event
// retention overrides): as pydantic-settings deep-merges its sources, every
// layer's object contributes, and a higher layer wins key by key.
func (r *Result) mergeObjects(s *schema.Setting, o *Origin, errs *ErrorList) any {
	var headers map[string]string
	var durations map[string]schema.Timedelta
	layers := 0
	for k := len(o.Candidates) - 1; k >= 0; k-- {
		c := o.Candidates[k]
		if _, deferred := c.Raw.(sources.Deferred); deferred {
			continue
		}
		v, err := decode(s, c.Layer, c.Raw)
		if err != nil {
			errs.addValue(s, c, err)
			o.Invalid = true
			continue
		}
		switch t := v.(type) {
		case map[string]string:
			if headers == nil {
				headers = map[string]string{}
			}
			maps.Copy(headers, t)
		case map[string]schema.Timedelta:
			if durations == nil {
				durations = map[string]schema.Timedelta{}
			}
			maps.Copy(durations, t)
		case nil:
			continue // JSON null: the layer holds nothing
		}
		layers++
	}
	if layers > 1 {
		o.Rule = fmt.Sprintf("merged from %d layers, higher layers winning key by key", layers)
	}
	switch {
	case headers != nil:
		return headers
	case durations != nil:
		return durations
	case s.Kind == schema.Headers:
		return map[string]string{}
	}
	return s.Default
}

// addValue files an invalid value; union settings name each member that
// rejected it, as Prefect does.
func (l *ErrorList) addValue(s *schema.Setting, c Candidate, err error) {
	msg := hideValue(s, c.Raw, err.Error())
	key := c.Key
	if c.Layer == sources.PrefectTOML || c.Layer == sources.PyprojectTOML || c.Layer == sources.Profile {
		key = ""
	}
	if de, ok := err.(*decodeError); ok && len(de.members) > 0 {
		for _, m := range de.members {
			*l = append(*l, &Error{Pos: c.Pos, Layer: c.Layer, Setting: s.Path + "." + m, Key: c.Key, Msg: msg, Err: err})
		}
		return
	}
	_ = key
	*l = append(*l, &Error{Pos: c.Pos, Layer: c.Layer, Setting: s.Path, Key: c.Key, Msg: msg, Err: err})
}

// groupLayer reads the group JSON variables of the environment and .env:
// PREFECT_SERVER_API='{"port": 4201}' sets server.api.port above every
// other source. A shallower group wins over a deeper one, and the
// environment over .env.
func groupLayer(set *schema.Set, env, dotenv *sources.Layer, errs *ErrorList) *sources.Layer {
	l := &sources.Layer{Kind: sources.GroupJSON}
	var blobs []sources.Value
	blobs = append(blobs, env.Groups...)
	blobs = append(blobs, dotenv.Groups...)
	slices.SortStableFunc(blobs, func(a, b sources.Value) int {
		return strings.Count(a.Group, ".") - strings.Count(b.Group, ".")
	})
	for _, b := range blobs {
		var v any
		kind := sources.Env
		if b.Pos.File != "" && b.Pos.Env == "" {
			kind = sources.DotEnv
		}
		raw, ok := b.Raw.(string)
		if !ok {
			continue // known only when deployed (sources.Deferred)
		}
		if err := decodeJSON(raw, &v); err != nil {
			*errs = append(*errs, &Error{Pos: b.Pos, Layer: kind, Setting: b.Group, Key: b.Key,
				Msg: fmt.Sprintf("%s holds the group %q and must be a JSON object: %s", b.Key, b.Group, jsonErr(err)), Err: err})
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			*errs = append(*errs, &Error{Pos: b.Pos, Layer: kind, Setting: b.Group, Key: b.Key,
				Msg: fmt.Sprintf("%s holds the group %q and must be a JSON object, not %s", b.Key, b.Group, typeName(v))})
			continue
		}
		groupValues(set, l, b, b.Group, obj)
	}
	return l
}

// groupValues files the settings of one group JSON object; its keys are
// field names or environment names, in any case.
func groupValues(set *schema.Set, l *sources.Layer, b sources.Value, group string, obj map[string]any) {
	for k, v := range obj {
		if v == nil {
			continue
		}
		path := group + "." + strings.ToLower(k)
		if s, ok := set.ByPath(path); ok {
			l.Values = append(l.Values, sources.Value{Setting: s, Key: b.Key + "." + k, Raw: v, Pos: b.Pos, Group: b.Key})
			continue
		}
		if s, alias, ok := set.ByEnv(k); ok && s.Group() == group {
			l.Values = append(l.Values, sources.Value{Setting: s, Key: b.Key + "." + k, Alias: alias, Raw: v, Pos: b.Pos, Group: b.Key})
			continue
		}
		if m, ok := v.(map[string]any); ok && set.IsGroup(path) {
			groupValues(set, l, b, path, m)
		}
	}
}

// crashes notes, on each TOML file that cannot be read, that the release
// stops with an uncaught error there (release.Release.TOMLErrors off).
func (l ErrorList) crashes(rel *release.Release) {
	for _, e := range l {
		var se *sources.SyntaxError
		if (e.Layer == sources.PrefectTOML || e.Layer == sources.PyprojectTOML) && errors.As(e.Err, &se) {
			e.Msg += fmt.Sprintf(" (Prefect %s stops with an uncaught TOML error on this file)", rel.Version)
		}
	}
}
