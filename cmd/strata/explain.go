package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/internal/render"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// lookupSettingIn finds a setting of set by accessor or any environment
// name in any case, or says which name was probably meant, or, when the
// release rel (nil: the newest) lacks it, which releases have it.
func lookupSettingIn(set *schema.Set, rel *release.Release, name string) (*schema.Setting, error) {
	if s, ok := set.Lookup(name); ok {
		return s, nil
	}
	if s, ok := set.ByPath(strings.ToLower(name)); ok {
		return s, nil
	}
	if rel != nil {
		if err := notInRelease(rel, name); err != nil {
			return nil, err
		}
	}
	if near := set.Suggest(name); near != "" {
		return nil, fmt.Errorf("unknown setting %q; did you mean %q?", name, near)
	}
	return nil, fmt.Errorf("unknown setting %q", name)
}

// get prints the value of each setting named, one a line as Prefect's
// environment would hold it, or as one JSON object keyed by the names as
// given, with the values typed as config dump writes them.
func (c *cli) get(names []string, asJSON, showSecrets bool) int {
	set, rel := c.settingsOf()
	if set == nil {
		return exitFail
	}
	var wanted []*schema.Setting
	for _, name := range names {
		s, err := lookupSettingIn(set, rel, name)
		if err != nil {
			fmt.Fprintf(c.stderr, "strata config get: %v\n", err)
			return exitFail
		}
		wanted = append(wanted, s)
	}
	r := c.load()
	if r == nil {
		return exitFail
	}
	if asJSON {
		obj := orderedObject{}
		for i, s := range wanted {
			if !slices.ContainsFunc(obj, func(m member) bool { return m.key == names[i] }) {
				obj = append(obj, member{names[i], render.JSONValue(s, r.Values()[s.Index], showSecrets)})
			}
		}
		writeJSON(c.stdout, obj)
		return exitOK
	}
	for _, s := range wanted {
		// One line a name: control characters in a value are escaped.
		fmt.Fprintln(c.stdout, diag.Escape(render.EnvValue(s, r.Values()[s.Index], showSecrets)))
	}
	return exitOK
}

// explanation is the story of one setting, as config explain -o json
// prints it.
type explanation struct {
	Release    *releaseJS    `json:"release,omitempty"` // -o json only: the release resolved as, and where it came from
	Setting    string        `json:"setting"`
	Env        []string      `json:"env"`
	Type       string        `json:"type"`
	Default    any           `json:"default"`
	Value      any           `json:"value"`
	Layer      string        `json:"layer"`
	Why        string        `json:"why"`
	Derivation string        `json:"derivation,omitempty"`
	Invalid    bool          `json:"invalid,omitempty"`
	Deferred   string        `json:"deferred,omitempty"` // where a value known only when the container is deployed comes from; Value is resolved without it
	From       []sourceJS    `json:"derived_from,omitempty"`
	Candidates []candidateJS `json:"candidates"`
	Ignored    []ignoredJS   `json:"ignored,omitempty"`
	Warnings   []string      `json:"warnings,omitempty"`
	Notes      []string      `json:"notes,omitempty"`
}

// sourceJS is a setting a derived value was derived from, and where that
// setting's own value came from.
type sourceJS struct {
	Setting    string `json:"setting"`
	Layer      string `json:"layer"`                // a layer, "derived" or "default"
	Position   string `json:"position,omitempty"`   // where the value was written
	Key        string `json:"key,omitempty"`        // the key or variable as written
	Derivation string `json:"derivation,omitempty"` // for a derived value, how it was derived
}

// ignoredJS is a key Prefect did not read that was written for the
// setting.
type ignoredJS struct {
	Layer    string `json:"layer"`
	Position string `json:"position"`
	Key      string `json:"key"`
	Reason   string `json:"reason"`
}

type candidateJS struct {
	Layer    string `json:"layer"`
	Position string `json:"position"`
	Key      string `json:"key"`
	Alias    bool   `json:"legacy_alias,omitempty"`
	Value    any    `json:"value"`
	Status   string `json:"status"`             // "wins", "shadowed", "invalid" or "deferred"
	Deferred string `json:"deferred,omitempty"` // for a value known only when deployed: where it comes from
}

func (c *cli) explain(names []string, asJSON, showSecrets bool) int {
	set, rel := c.settingsOf()
	if set == nil {
		return exitFail
	}
	var wanted []*schema.Setting
	for _, name := range names {
		s, err := lookupSettingIn(set, rel, name)
		if err != nil {
			fmt.Fprintf(c.stderr, "strata config explain: %v\n", err)
			return exitFail
		}
		wanted = append(wanted, s)
	}
	// Explain even when some setting is invalid: that is when it is needed.
	r, err := settings.Load(c.options())
	if r == nil {
		c.fatal("strata", err)
		return exitFail
	}
	var all []explanation
	for _, s := range wanted {
		all = append(all, explain(r, s, showSecrets))
	}
	inForce := c.releaseOf(r.Release, &r.Prefect)
	if asJSON {
		for i := range all {
			all[i].Release = &inForce
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(all)
		return exitOK
	}
	fmt.Fprintf(c.stdout, "release: %s\n", inForce)
	for _, e := range all {
		fmt.Fprintln(c.stdout)
		printExplanation(c.stdout, e)
	}
	return exitOK
}

func explain(r *settings.Result, s *schema.Setting, showSecrets bool) explanation {
	o := &r.Origins()[s.Index]
	e := explanation{
		Setting: s.Path, Env: s.Env, Type: s.Kind.String(),
		Default: render.JSONValue(s, s.Default, showSecrets),
		Value:   render.JSONValue(s, r.Values()[s.Index], showSecrets),
		Layer:   layerName(o), Derivation: o.Derivation, Invalid: o.Invalid,
		Candidates: []candidateJS{},
	}
	if s.Computed && s.Default == nil {
		e.Default = "(computed)"
	}
	win := o.Source()
	for k, cand := range o.Candidates {
		status := "shadowed"
		if win != nil && k == o.Winner {
			status = "wins"
			if o.Invalid {
				status = "invalid"
			}
		}
		var v any = cand.Raw
		if !showSecrets {
			v = schema.Masked(s, "", v)
		}
		deferred := ""
		if d, ok := cand.Raw.(sources.Deferred); ok {
			v, deferred, status = nil, string(d), "deferred"
		}
		pos := cand.Pos
		pos.File = relative(pos.File)
		e.Candidates = append(e.Candidates, candidateJS{
			Layer: cand.Layer.String(), Position: pos.String(), Key: cand.Key,
			Alias: cand.Alias > 0, Value: v, Status: status, Deferred: deferred,
		})
	}
	for _, path := range o.From {
		e.From = append(e.From, sourceOf(r, path))
	}
	e.Ignored = ignoredFor(r, s)
	e.Why = why(r, o, e.From)
	if d, ok := o.Deferred(); ok {
		e.Deferred = string(d.Raw.(sources.Deferred))
		e.Why = fmt.Sprintf("%s at %s sets it only when the container is deployed, from %s: the value then is not known here; resolved without it, %s",
			d.Key, position(d.Pos), e.Deferred, e.Why)
	}
	e.Notes = pydanticSettingsNotes(r, s)
	for _, w := range r.Warnings {
		if w.Setting == s.Path || strings.HasPrefix(s.Path, w.Setting+".") {
			e.Warnings = append(e.Warnings, w.Msg)
		}
	}
	return e
}

func layerName(o *settings.Origin) string {
	if o.Source() == nil {
		if o.Derivation != "" {
			return "derived"
		}
		return "default"
	}
	return o.Layer.String()
}

// why says in a sentence why the value in force won.
func why(r *settings.Result, o *settings.Origin, from []sourceJS) string {
	win := o.Source()
	switch {
	case win == nil && o.Derivation != "":
		return "no layer holds a value; " + o.Derivation + derivedFrom(from)
	case win == nil:
		return "no layer holds a value; the default applies"
	}
	var b strings.Builder
	if higher := slices.ContainsFunc(o.Shadowed(), func(c settings.Candidate) bool { return c.Layer < win.Layer }); higher {
		// On pydantic-settings before 2.14 the first of the setting's
		// names any layer gives wins (release.Release.AliasOrder).
		name := win.Key
		switch {
		case win.Layer == sources.Profile || win.Layer == sources.PrefectTOML || win.Layer == sources.PyprojectTOML:
			name = "the bare field name " + o.Setting.Field() + " (under which this release keys every profile and TOML value)"
		case win.Alias == sources.FieldNameAlias:
			name = "the bare field name " + win.Key
		}
		fmt.Fprintf(&b, "%s wins over higher layers: on pydantic-settings before 2.14 Prefect takes the first of the setting's names any layer gives, and %s comes first", win.Layer, name)
	} else {
		fmt.Fprintf(&b, "%s is the highest layer holding a value", win.Layer)
	}
	if win.Layer == sources.Profile {
		fmt.Fprintf(&b, " (profile %q from %s)", r.Profile, relative(r.ProfilesFile.Path))
	}
	for _, c := range o.Shadowed() {
		if c.Layer == win.Layer {
			if win.Layer == sources.GroupJSON && c.Group != win.Group && c.Alias == win.Alias {
				b.WriteString("; within it the shallower group, or at one depth the higher source, wins over " + c.Key)
			} else if win.Alias == sources.FieldNameAlias && c.Alias > win.Alias {
				b.WriteString("; within it the bare field name " + win.Key + ", which this release's .env reader takes before the environment names, beats " + c.Key)
			} else if c.Alias > win.Alias {
				b.WriteString("; within it the canonical name beats the legacy alias " + c.Key)
			} else if c.Key == win.Key {
				b.WriteString("; within it the value written last wins over the one at " + position(c.Pos))
			} else {
				b.WriteString("; within it the last spelling written wins over " + c.Key)
			}
			break
		}
	}
	if o.Derivation != "" {
		b.WriteString("; then " + o.Derivation + derivedFrom(from))
	}
	return b.String()
}

// sourceOf says where the value of the setting at path, which another
// value was derived from, came from.
func sourceOf(r *settings.Result, path string) sourceJS {
	src := sourceJS{Setting: path, Layer: "default"}
	o, ok := r.Origin(path)
	if !ok {
		return src
	}
	src.Layer = layerName(o)
	if c := o.Source(); c != nil {
		pos := c.Pos
		pos.File = relative(pos.File)
		src.Position, src.Key = pos.String(), c.Key
	} else {
		src.Derivation = o.Derivation
	}
	return src
}

// derivedFrom tells, in parentheses, where each setting a value was
// derived from came from: "(api.url came from profile at profiles.toml:6:1)".
func derivedFrom(from []sourceJS) string {
	if len(from) == 0 {
		return ""
	}
	parts := make([]string, len(from))
	for i, f := range from {
		switch {
		case f.Position != "" && strings.HasPrefix(f.Position, "env "):
			parts[i] = fmt.Sprintf("%s came from %s", f.Setting, f.Position)
		case f.Position != "":
			parts[i] = fmt.Sprintf("%s came from %s at %s", f.Setting, f.Layer, f.Position)
		case f.Derivation != "":
			parts[i] = fmt.Sprintf("%s is derived %s", f.Setting, f.Derivation)
		default:
			parts[i] = f.Setting + " is its default"
		}
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// ignoredFor lists the keys Prefect did not read that were clearly written
// for s (settings.Result.IgnoredFor), positioned relative to the working
// directory.
func ignoredFor(r *settings.Result, s *schema.Setting) []ignoredJS {
	var out []ignoredJS
	for _, ig := range r.IgnoredFor(s) {
		pos := ig.Pos
		pos.File = relative(pos.File)
		out = append(out, ignoredJS{Layer: ig.Layer.String(), Position: pos.String(), Key: ig.Key, Reason: ig.Reason})
	}
	return out
}

// printExplanation prints e as text; everything from the user's files and
// environment has its control characters escaped (diag.Escape).
func printExplanation(w interface{ Write([]byte) (int, error) }, e explanation) {
	esc := diag.Escape
	val, _ := json.Marshal(e.Value)
	def, _ := json.Marshal(e.Default)
	if e.Deferred != "" {
		fmt.Fprintf(w, "%s = <set when deployed: %s>\n", e.Setting, esc(e.Deferred))
	} else {
		fmt.Fprintf(w, "%s = %s\n", e.Setting, esc(string(val)))
	}
	fmt.Fprintf(w, "  env:     %s\n", strings.Join(e.Env, ", "))
	fmt.Fprintf(w, "  type:    %s, default %s\n", e.Type, esc(string(def)))
	fmt.Fprintf(w, "  from:    %s\n", e.Layer)
	fmt.Fprintf(w, "  why:     %s\n", esc(e.Why))
	if e.Invalid {
		fmt.Fprintf(w, "  invalid: the winning value cannot be used; run 'strata config dump' for the error\n")
	}
	for _, c := range e.Candidates {
		v, _ := json.Marshal(c.Value)
		alias := ""
		if c.Alias {
			alias = " (legacy alias)"
		}
		if c.Deferred != "" {
			v = []byte("<set when deployed: " + c.Deferred + ">")
		}
		fmt.Fprintf(w, "  %-9s %-14s %s  %s = %s%s\n", c.Status, c.Layer, esc(c.Position), esc(c.Key), esc(string(v)), alias)
	}
	for _, ig := range e.Ignored {
		fmt.Fprintf(w, "  ignored   %-14s %s  %s  (Prefect does not read it: %s)\n", ig.Layer, esc(ig.Position), esc(ig.Key), esc(ig.Reason))
	}
	for _, warn := range e.Warnings {
		lines := strings.Split(warn, "\n")
		for i, l := range lines {
			lines[i] = esc(l)
		}
		fmt.Fprintf(w, "  warning: %s\n", strings.Join(lines, "\n           "))
	}
	for _, note := range e.Notes {
		fmt.Fprintf(w, "  note:    %s\n", note)
	}
}

// pydanticSettingsNotes says where the pydantic-settings version, assumed
// because the project does not say it, decides the setting: on the .env
// releases of Prefect issue #21664, and for a setting written under two of
// its names in the environment and .env (pydantic-settings #813).
func pydanticSettingsNotes(r *settings.Result, s *schema.Setting) []string {
	if r.Release == nil || !r.Prefect.PydanticSettingsAssumed() {
		return nil
	}
	var inDotEnv bool
	names := map[sources.Kind]map[string]bool{}
	for _, l := range r.Layers {
		for _, v := range l.Values {
			if v.Setting != nil && v.Setting.Index == s.Index {
				inDotEnv = inDotEnv || l.Kind == sources.DotEnv
				if names[l.Kind] == nil {
					names[l.Kind] = map[string]bool{}
				}
				names[l.Kind][strings.ToUpper(v.Key)] = true
			}
		}
		if l.Kind == sources.DotEnv {
			for _, ig := range l.Ignored {
				inDotEnv = inDotEnv || slices.ContainsFunc(s.Env, func(e string) bool { return strings.EqualFold(e, ig.Key) })
			}
		}
	}
	var notes []string
	assumed := fmt.Sprintf("pydantic-settings ≥ %s is assumed (not found in the project)", psChange())
	if inDotEnv && r.Release.DotenvPositional {
		notes = append(notes, fmt.Sprintf("%s: on it Prefect %s ignores .env's usual names, and reads only lower-case ones or a group's prefix before a field name (Prefect issue #21664); on an older one .env applies: give --pydantic-settings-version", assumed, r.Release.Version))
	}
	rank := func(name string) int {
		return slices.IndexFunc(s.Env, func(e string) bool { return strings.EqualFold(e, name) })
	}
	for n := range names[sources.Env] {
		for m := range names[sources.DotEnv] {
			if rank(m) >= 0 && rank(m) < rank(n) {
				notes = append(notes, fmt.Sprintf("%s: on an older one %s in .env would win, as it is listed before %s (pydantic-settings #813)", assumed, m, n))
				return notes
			}
		}
	}
	return notes
}
