package settings

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// Precedence returns the order of the layers, highest first. A value from a
// higher layer wins over every lower one, whatever name it was written
// under; within one layer the canonical name wins over the legacy alias.
//
//	group JSON   PREFECT_<GROUP>='{"key": ...}' in the environment, .env or profile
//	env          the process environment (names in any case)
//	.env         the .env file in the working directory
//	prefect.toml prefect.toml in the working directory
//	pyproject    [tool.prefect] of pyproject.toml in the working directory
//	profile      the active profile of profiles.toml
//	legacy       [experiments.plugins] tables (plugins.* only)
//	default      the declared default, or the value a derivation gives
//
// It is made from the order of the sources.Kind constants, the one
// declaration of the order; Result.Layers follow it. The slice is the
// caller's own.
func Precedence() []sources.Kind { return slices.Clone(precedence) }

// precedence is the order Precedence returns.
var precedence = func() []sources.Kind {
	var out []sources.Kind
	for k := sources.Kind(0); k <= sources.Default; k++ {
		out = append(out, k)
	}
	return out
}()

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
	dotenv, err := o.readWork(".env",
		func(p string) (*sources.Layer, error) { return rd.DotEnv(p, lookup) },
		func(p string, data []byte) (*sources.Layer, error) { return rd.DotEnvData(p, data, lookup) })
	errs.addSource(sources.DotEnv, err)
	prefect, err := refused(o.readWork("prefect.toml", rd.PrefectTOML, rd.ParsePrefectTOML))
	errs.addSource(sources.PrefectTOML, err)
	pyproject, err := refused(o.readWork("pyproject.toml", rd.Pyproject, rd.ParsePyproject))
	errs.addSource(sources.PyprojectTOML, err)
	if !rel.TOMLErrors {
		errs.crashes(rel)
	}
	profile, file := sources.ReadProfiles(&sources.ProfileInput{
		Environ: env, DotEnv: dotenv, Prefect: prefect, Pyproject: pyproject,
		Dir: o.Dir, Home: o.Home, Name: o.Profile, Release: rel, Files: o.files(), Content: o.content(),
	})
	profile = o.located(profile, file.Path)
	profile, file = o.imageProfile(r, rel, profile, file)
	r.Profile, r.ProfilesFile, r.TestMode = profile.Profile, file, file.Why == "test mode"
	users := machineUsers
	if o.Container != nil {
		users = nil // the container's users are not this machine's
	}
	r.merge(o.Home, users, env, []*sources.Layer{envLayer, dotenv, prefect, pyproject, profile}, &errs)
	o.containerReport(r, host)
	errs.Sort()
	return r, errs.Err()
}

// Input is what one resolution reads, read already: the layers Load reads
// from the environment and files Options name. Resolve merges them, for a
// caller that holds the layers, such as a linter that has read the files.
type Input struct {
	// Release is the Prefect release whose resolution to reproduce; nil
	// means the newest.
	Release *release.Release
	// Layers are the layers read, in any order: the environment, .env,
	// prefect.toml, pyproject.toml and the active profile (the kinds
	// sources.Env, DotEnv, PrefectTOML, PyprojectTOML and Profile). A layer
	// left out holds nothing. The group JSON and legacy plugin layers are
	// made from them, as Load makes them.
	Layers []*sources.Layer
	// ProfilesFile is the profiles file the profile layer was read from,
	// if known.
	ProfilesFile sources.ProfilesFile
	// Environ is the environment as NAME=VALUE strings, for the derivations
	// that read variables other than settings (SSL_CERT_FILE).
	Environ []string
	// Home is the user's home directory, for ~ in paths.
	Home string
}

// Resolve merges layers already read as Load merges the layers it reads:
// precedence, coercion, Prefect's derivations and validation. Its Result has no
// Prefect versions (the release is given) and its errors are those of the
// values alone; the errors of reading are the reader's.
func Resolve(in Input) (*Result, error) {
	rel := in.Release
	if rel == nil {
		rel = release.Default()
	}
	r := &Result{Release: rel, ProfilesFile: in.ProfilesFile, TestMode: in.ProfilesFile.Why == "test mode"}
	for _, l := range in.Layers {
		if l != nil && l.Kind == sources.Profile {
			r.Profile = l.Profile
		}
	}
	env := make(map[string]string, len(in.Environ))
	for _, kv := range in.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	var errs ErrorList
	r.merge(in.Home, machineUsers, env, in.Layers, &errs)
	errs.Sort()
	return r, errs.Err()
}

// InForce returns, for each setting of settings (by schema.Setting.Index),
// the candidate whose value is in force when in's layers are merged as
// Resolve merges them: the one Resolve's Origin.Source returns, nil when
// the default or a derived value applies. It resolves nothing else: no
// value is decoded or validated (the candidate of an invalid value is
// returned), no derivation is applied and no warning is made, so that a
// caller checking where a few settings come from, such as a linter, pays
// only for them. A setting the release does not have has none.
func InForce(in Input, settings ...int) []*Candidate {
	rel := in.Release
	if rel == nil {
		rel = release.Default()
	}
	cands := make([][]Candidate, len(settings))
	gather(rel.Schema(), ordered(rel, in.Layers, new(ErrorList)), func(i int) *[]Candidate {
		if k := slices.Index(settings, i); k >= 0 {
			return &cands[k]
		}
		return nil
	})
	out := make([]*Candidate, len(settings))
	for k, i := range settings {
		order(rel, i, cands[k])
		if w := known(cands[k]); w < len(cands[k]) {
			out[k] = &cands[k][w]
		}
	}
	return out
}

// merge resolves the layers read (of the kinds Env, DotEnv, PrefectTOML,
// PyprojectTOML and Profile, in any order) into r: it makes the group JSON
// and legacy plugin layers, orders every layer by Precedence, collects each
// setting's candidates, decodes the winners and applies Prefect's
// derivations.
func (r *Result) merge(home string, users func(string) (string, bool), env map[string]string, read []*sources.Layer, errs *ErrorList) {
	rel := r.Release
	r.Layers = ordered(rel, read, errs)
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
			d, _ := diag.Of(w)
			r.warn("", d.Pos, "%s", d.Message)
		}
	}
	profile := r.Layers[sources.Profile]
	if file := r.ProfilesFile; !unreadable && file.Path != "" && len(profile.Warnings) > 0 && profile.Profile == "" {
		d, _ := diag.Of(profile.Warnings[0])
		r.Warnings[len(r.Warnings)-1].Msg = fmt.Sprintf("failed to load profiles from %s: the file is not valid TOML, so no profile applies: %s",
			file.Path, d.Message)
		r.profilesInvalid = profile.Warnings[0]
	}

	r.collect()
	for _, s := range rel.Schema().All() {
		r.resolve(s, errs)
	}
	res := &resolution{r: r, rel: rel, env: env, opts: Options{Home: home}, errs: errs, users: users}
	res.apply()
	for i, v := range r.values[:schema.Len] {
		r.Settings.Set(i, v)
	}
}

// ordered returns the layers read (of the kinds Env, DotEnv, PrefectTOML,
// PyprojectTOML and Profile, in any order; a kind left out holds nothing)
// with the group JSON and legacy plugin layers made from them: one layer
// of each kind below Default, in precedence order, so that a layer's
// index is its kind.
func ordered(rel *release.Release, read []*sources.Layer, errs *ErrorList) []*sources.Layer {
	layers := make([]*sources.Layer, sources.Default)
	for _, l := range read {
		if l != nil && l.Kind < sources.Default {
			layers[l.Kind] = l
		}
	}
	for k := range layers {
		if layers[k] == nil {
			layers[k] = &sources.Layer{Kind: sources.Kind(k)}
		}
	}
	prefect, pyproject := layers[sources.PrefectTOML], layers[sources.PyprojectTOML]
	layers[sources.GroupJSON] = groupLayer(rel, layers[sources.Env], layers[sources.DotEnv], layers[sources.Profile], errs)
	layers[sources.LegacyPlugins] = &sources.Layer{Kind: sources.LegacyPlugins, Values: append(slices.Clip(prefect.Plugins), pyproject.Plugins...)}
	return layers
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
			d, _ := diag.Of(t)
			*l = append(*l, &Error{Pos: t.Pos, Layer: kind, Msg: t.Msg, Err: t, Related: d.Related})
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

// unjoin lists the errors of err, the errors joined in it (at any depth)
// one by one.
func unjoin(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		if err == nil {
			return nil
		}
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, unjoin(e)...)
	}
	return out
}

// collect gathers every layer's values into each setting's candidates, in
// the order the winner is chosen from them (gather, order).
func (r *Result) collect() {
	set := r.Release.Schema()
	gather(set, r.Layers, func(i int) *[]Candidate { return &r.origins[i].Candidates })
	for i := range r.origins {
		order(r.Release, i, r.origins[i].Candidates)
	}
}

// gather appends every value of layers, in precedence order, to the
// candidates of its setting, cands(i) for setting i; cands returns nil
// for a setting not wanted. A value for no setting, or for one set does
// not have (a layer read for another release), is none of them.
func gather(set *schema.Set, layers []*sources.Layer, cands func(i int) *[]Candidate) {
	for li, l := range layers {
		verbatim := l.Verbatim
		for vi, v := range l.Values {
			asWritten := len(verbatim) > 0 && verbatim[0] == vi
			if asWritten {
				verbatim = verbatim[1:]
			}
			if v.Setting == nil || !set.HasIndex(v.Setting.Index) {
				continue
			}
			c := cands(v.Setting.Index)
			if c == nil {
				continue
			}
			*c = append(*c, Candidate{
				Layer: l.Kind, File: l.File, Key: v.Key, Alias: v.Alias, Raw: v.Raw, Pos: v.Pos, Group: v.Group,
				layer: int32(li), seq: int32(len(*c)), verbatim: asWritten,
			})
		}
	}
}

// order sorts c, the candidates of setting i gathered in precedence order,
// into the order the winner is chosen in, first first.
//
// Within a layer the canonical name wins, and of two spellings of one
// name the last written wins. On pydantic-settings before 2.14 the name
// a source keys a value by decides across the environment and .env
// (release.Release.AliasOrder): the name listed first wins, whatever
// the source. Before 3.1.2 the profile, prefect.toml and pyproject.toml
// key a setting that has a legacy name by its bare field name, which
// is listed first of all (release.Release.AliasLowest off).
func order(rel *release.Release, i int, c []Candidate) {
	if len(c) < 2 {
		return
	}
	env := int32(sources.Env) // the environment's rank: a layer's is its kind (ordered)
	for k := range c {
		c[k].rank, c[k].key = c[k].layer, int32(c[k].Alias)
		if !rel.AliasOrder {
			continue
		}
		switch c[k].Layer {
		case sources.Env, sources.DotEnv:
			c[k].rank = env
		case sources.Profile, sources.PrefectTOML, sources.PyprojectTOML:
			if !rel.AliasLowest && len(schema.Every(i).Env) > 1 {
				c[k].rank, c[k].key = env, sources.FieldNameAlias
			}
		}
	}
	slices.SortStableFunc(c, func(a, b Candidate) int {
		return int(cmp.Or(a.rank-b.rank, a.key-b.key, a.layer-b.layer, int32(a.Alias-b.Alias), b.seq-a.seq))
	})
}

// decodeAs is the layer whose coercion the candidate's value gets: its
// own, but a .env value Prefect validates as written (Layer.Verbatim) is
// coerced as a group JSON object's value is, without the JSON decoding a
// source gives a string.
func (c *Candidate) decodeAs() sources.Kind {
	if c.verbatim {
		return sources.GroupJSON
	}
	return c.Layer
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
	v, err := decode(r.Release, s, c.decodeAs(), c.Raw)
	if err == nil && s.Kind == schema.StringList && !r.Release.ExtraLoggersSet {
		v = inOrder(c.Layer, c.Raw, v.([]string))
	}
	if err == nil {
		err = checkConstraint(s, v)
	}
	if err != nil {
		errs.addValue(s, c, r.underGroup(s, c, err))
		o.Invalid = true
		r.values[i] = s.Default
		return
	}
	r.values[i] = v
}

// underGroup adds to err where Prefect reports it when a group JSON
// variable holds a group the setting is in: the group's init arguments
// then carry the value, and pydantic names it in the group (the deepest
// one given) by the key its source passed it under, the levels between
// left out. The environment and .env pass the field name, or on
// pydantic-settings before 2.14 the env name given (for a setting Prefect
// gives AliasChoices); the profile and the TOML files the field name, or
// its lowest-priority env name from when they key values by it
// (release.Release.AliasLowest). PREFECT_SERVER='{...}' and an invalid
// profile PREFECT_SERVER_API_PORT: server.port.
func (r *Result) underGroup(s *schema.Setting, c Candidate, err error) error {
	if c.Layer == sources.GroupJSON {
		return err
	}
	var group, by string
	for _, l := range r.Layers {
		if l.Kind != sources.Env && l.Kind != sources.DotEnv && l.Kind != sources.Profile {
			continue
		}
		for _, g := range l.Groups {
			if strings.HasPrefix(s.Path, g.Group+".") && (group == "" || strings.Count(g.Group, ".") > strings.Count(group, ".")) {
				group, by = g.Group, g.Key
			}
		}
	}
	if group == "" {
		return err
	}
	key := s.Path[strings.LastIndexByte(s.Path, '.')+1:]
	switch c.Layer {
	case sources.Env, sources.DotEnv:
		if r.Release.AliasOrder && s.AliasChoices() && c.Alias != sources.FieldNameAlias {
			key = strings.ToLower(c.Key)
		}
	case sources.Profile, sources.PrefectTOML, sources.PyprojectTOML:
		if r.Release.AliasLowest && s.AliasChoices() {
			key = strings.ToLower(s.Env[len(s.Env)-1])
		}
	}
	loc := group + "." + key
	if de, ok := err.(*decodeError); ok && len(de.members) > 0 {
		return err // a union's members or a dict's keys name themselves
	}
	return &decodeError{msgs: []string{fmt.Sprintf("%s (Prefect names it %s, as %s holds its group)", err.Error(), loc, by)}}
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
		v, err := decode(r.Release, s, c.decodeAs(), c.Raw)
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
		o.Derivation = fmt.Sprintf("merged from %d layers, higher layers winning key by key", layers)
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
		for i, m := range de.members {
			if len(de.msgs) == len(de.members) { // one message a key of a dict setting
				msg = hideValue(s, c.Raw, de.msgs[i])
			}
			*l = append(*l, &Error{Pos: c.Pos, Layer: c.Layer, Setting: s.Path + "." + m, Key: c.Key, Msg: msg, Err: err})
		}
		return
	}
	_ = key
	*l = append(*l, &Error{Pos: c.Pos, Layer: c.Layer, Setting: s.Path, Key: c.Key, Msg: msg, Err: err})
}

// groupLayer reads the group JSON variables of the environment, .env and
// the profile: PREFECT_SERVER_API='{"port": 4201}' sets server.api.port
// above every other source. Prefect hands a group's merged object to the
// group's settings as their init arguments, so a shallower group wins over
// a deeper one whatever its source; at one depth the environment wins over
// .env, and .env over the profile.
func groupLayer(rel *release.Release, env, dotenv, profile *sources.Layer, errs *ErrorList) *sources.Layer {
	l := &sources.Layer{Kind: sources.GroupJSON}
	type blob struct {
		sources.Value
		kind sources.Kind
	}
	var blobs []blob
	for _, from := range []*sources.Layer{env, dotenv, profile} {
		for _, b := range from.Groups {
			blobs = append(blobs, blob{b, from.Kind})
		}
	}
	slices.SortStableFunc(blobs, func(a, b blob) int {
		return cmp.Or(strings.Count(a.Group, ".")-strings.Count(b.Group, "."), int(a.kind)-int(b.kind))
	})
	g := groupReader{set: rel.Schema(), l: l, hoistPlugins: rel.PluginsMove}
	// Of two values of one setting in the layer the one filed last wins:
	// file the lowest group first.
	for _, b := range slices.Backward(blobs) {
		var v any
		var raw string
		switch t := b.Raw.(type) {
		case sources.Deferred:
			continue // known only when deployed
		case string:
			raw = t
		default:
			if b.kind != sources.Profile {
				continue // not a variable's value: no layer Load reads holds one
			}
			// a profile's TOML value, on which Prefect stops with a TypeError
			*errs = append(*errs, &Error{Pos: b.Pos, Layer: b.kind, Setting: b.Group, Key: b.Key,
				Msg: fmt.Sprintf("%s holds the group %q and must be a JSON object in a string, not a TOML %s", b.Key, b.Group, typeName(t))})
			continue
		}
		if err := decodeJSON(raw, &v); err != nil {
			*errs = append(*errs, &Error{Pos: b.Pos, Layer: b.kind, Setting: b.Group, Key: b.Key,
				Msg: fmt.Sprintf("%s holds the group %q and must be a JSON object: %s", b.Key, b.Group, jsonErr(err)), Err: err})
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			*errs = append(*errs, &Error{Pos: b.Pos, Layer: b.kind, Setting: b.Group, Key: b.Key,
				Msg: fmt.Sprintf("%s holds the group %q and must be a JSON object, not %s", b.Key, b.Group, typeName(v))})
			continue
		}
		g.fold = b.kind != sources.Profile
		g.values(b.Value, b.Group, b.Key, obj, 0)
	}
	return l
}

// groupReader files the settings of group JSON objects into a layer.
type groupReader struct {
	set *schema.Set
	l   *sources.Layer
	// fold: the object's keys name settings without regard to case, as
	// pydantic-settings renames them for the environment and .env; a
	// profile's must be exact.
	fold bool
	// hoistPlugins: a "plugins" object of the experiments group is the
	// legacy form of the plugins group (release.Release.PluginsMove).
	hoistPlugins bool
}

// values files the settings of one group JSON object, written at key.
// legacy is 1 for an object in a legacy place, whose values lose to the
// same setting's in the canonical one.
func (g *groupReader) values(b sources.Value, group, key string, obj map[string]any, legacy int) {
	for k, v := range obj {
		// null is a value: None for an optional setting, else an error.
		if s, alias, ok := g.member(group, k); ok {
			g.l.Values = append(g.l.Values, sources.Value{Setting: s, Key: key + "." + k, Alias: max(alias, legacy), Raw: v, Pos: b.Pos, Group: b.Key})
			continue
		}
		sub := k
		if g.fold {
			sub = strings.ToLower(k)
		}
		m, ok := v.(map[string]any)
		switch {
		case !ok:
		case g.set.IsGroup(group + "." + sub):
			g.values(b, group+"."+sub, key+"."+k, m, legacy)
		case g.hoistPlugins && group == "experiments" && k == "plugins":
			// Prefect moves the object, key for key, under the plugins
			// group, whose own keys win (Settings._hoist_legacy_experiments_plugins).
			g.values(b, "plugins", key+"."+k, m, 1)
		}
	}
}

// member finds the setting of group that key k of a group JSON object
// names, and which of its names it is. Pydantic takes a setting's field
// name, or for a setting with AliasChoices (schema.Setting.AliasChoices)
// its field name and its environment names as Prefect writes them, in
// lower case; for the environment and .env pydantic-settings first renames
// a key equal to the field name of a setting without AliasChoices, or to
// an environment name of one with them, without regard to case. Any other
// key is ignored.
func (g *groupReader) member(group, k string) (*schema.Setting, int, bool) {
	for _, s := range g.set.All() {
		if s.Group() != group {
			continue
		}
		if s.AliasChoices() {
			for alias, name := range s.Env {
				if k == strings.ToLower(name) || g.fold && strings.EqualFold(k, name) {
					return s, alias, true
				}
			}
			if k == s.Field() {
				return s, 0, true
			}
			continue
		}
		if k == s.Field() || g.fold && strings.EqualFold(k, s.Field()) {
			return s, 0, true
		}
	}
	return nil, 0, false
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
