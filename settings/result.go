package settings

import (
	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// Result is the outcome of one resolution: every setting's effective value,
// where it came from, the active profile and the warnings.
type Result struct {
	// Release is the Prefect release whose resolution the result
	// reproduces.
	Release *release.Release
	// Prefect are the versions that selected Release, and where each came
	// from: an option, a STRATA_ variable, the project's files, or none.
	Prefect Versions
	// Settings holds every effective value, typed, of the newest
	// release's settings: for an older release the settings it lacks are
	// zero, and the ones only it has are in Values.
	Settings schema.Settings
	// Profile is the name of the profile whose values apply; "ephemeral"
	// when the packaged default applies, "" when none does (test mode, or a
	// profiles file that is not valid TOML).
	Profile string
	// ProfilesFile is the profiles file the settings were read from.
	ProfilesFile sources.ProfilesFile
	// TestMode is set when a test-mode variable turned profiles off.
	TestMode bool
	// Layers are the sources read, in precedence order.
	Layers []*sources.Layer
	// Warnings are the conditions Prefect warns about, and the ones Strata
	// adds (an API key and an auth string both set, dropped headers).
	Warnings []Warning
	// Notes are facts worth telling that are no problem (diagnostics of
	// severity diag.Info): for a container (Options.Container), the files
	// of this machine it sees, and those of the working directory it does
	// not.
	Notes []Warning

	values  [schema.Total]any
	origins [schema.Total]Origin

	// profilesInvalid is why the profiles file applies no profile, when
	// it is not valid TOML: Prefect only warns, but a watcher must not
	// take the profile-less settings for an edit.
	profilesInvalid error
}

// Warning is a condition worth telling the user about. It never holds a
// secret's value.
type Warning struct {
	Setting string           // dotted path of the setting concerned, if one is
	Pos     sources.Position // where the value came from, if known
	Msg     string
}

// Diagnostic returns the warning as a diagnostic of severity
// diag.Warning: its message is "setting: message", or the message alone.
func (w Warning) Diagnostic() diag.Diagnostic {
	d := (&Error{Pos: w.Pos, Setting: w.Setting, Msg: w.Msg}).Diagnostic()
	d.Severity = diag.Warning
	return d
}

// String renders the warning as "position: warning: setting: message",
// the diagnostic's one rendering.
func (w Warning) String() string { return w.Diagnostic().String() }

func (r *Result) warn(setting string, pos sources.Position, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = sprintf(format, args...)
	}
	r.Warnings = append(r.Warnings, Warning{Setting: setting, Pos: pos, Msg: msg})
}

// Candidate is one value a layer holds for a setting.
type Candidate struct {
	Layer sources.Kind
	File  string           // the file of the layer, if any
	Key   string           // the key or variable name as written
	Alias int              // 1 when Key is the legacy alias
	Raw   any              // the value as the source holds it
	Pos   sources.Position // where it was written
	Group string           // for group JSON: the variable holding the group

	layer, seq int32 // precedence of the layer, order of reading
	rank       int32 // the layer's rank in the winner's choice (layer, or Env's for an alias ordered across layers)
	key        int32 // the name the value is keyed by across layers: Alias, or FieldNameAlias (collect)
	verbatim   bool  // a .env value validated as written (sources.Layer.Verbatim)
}

// Origin is the record of how a setting got its value: every candidate in
// precedence order, the one that won, and the derivation that derived or
// changed the value, if any.
type Origin struct {
	Setting    *schema.Setting
	Layer      sources.Kind // the winning layer; Default when no layer holds a value
	Candidates []Candidate  // every layer's value, highest precedence first
	Winner     int          // index in Candidates of the value used (when Layer != Default)
	Derivation string       // how the value was derived or changed, if it was: "from api.url"
	From       []string     // the settings the value was derived from, by accessor
	Invalid    bool         // the winning value was invalid
}

// Source returns the winning candidate, or nil when the value is a default
// or derived (Derivation).
func (o *Origin) Source() *Candidate {
	if o.Layer == sources.Default || len(o.Candidates) == 0 {
		return nil
	}
	return &o.Candidates[o.Winner]
}

// Shadowed returns the candidates that lost to the winner.
func (o *Origin) Shadowed() []Candidate {
	if o.Layer == sources.Default {
		return o.Candidates
	}
	return o.Candidates[o.Winner+1:]
}

// Value returns the effective value of the setting with the accessor or
// environment name, as its Go value (nil for None).
func (r *Result) Value(name string) (any, bool) {
	s, ok := r.Schema().Lookup(name)
	if !ok {
		return nil, false
	}
	return r.values[s.Index], true
}

// Origin returns the record of how the named setting got its value.
func (r *Result) Origin(name string) (*Origin, bool) {
	s, ok := r.Schema().Lookup(name)
	if !ok {
		return nil, false
	}
	return &r.origins[s.Index], true
}

// Schema returns the settings of the release resolved.
func (r *Result) Schema() *schema.Set {
	if r.Release == nil {
		return schema.Newest()
	}
	return r.Release.Schema()
}

// Values returns every effective value, indexed by schema.Setting.Index:
// Total of them, nil for the settings the release does not have.
func (r *Result) Values() []any { return r.values[:] }

// Origins returns every setting's origin, indexed by schema.Setting.Index:
// Total of them; those of the settings the release does not have have a
// nil Setting.
func (r *Result) Origins() []Origin { return r.origins[:] }
