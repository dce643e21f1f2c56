package settings

import (
	"reflect"

	"github.com/strata-settings/strata/internal/render"
	"github.com/strata-settings/strata/schema"
)

// Change is one setting whose effective value differs between two
// resolutions. Old and New are the typed values (nil for None); secrets stay
// schema.SecretString, which never prints its value.
type Change struct {
	Setting string // dotted path: "server.api.port"
	Old     any
	New     any

	def *schema.Setting // the setting as the newer result's release has it, else the older's
}

// String renders the change as "setting: old -> new", values as config
// view shows them. Secrets, header values and URL passwords are masked.
func (c Change) String() string {
	s := c.Schema()
	if s == nil {
		return c.Setting + ": changed"
	}
	return c.Setting + ": " + maskedDisplay(s, c.Old) + " -> " + maskedDisplay(s, c.New)
}

// Schema returns the setting that changed, as the release of the newer
// result has it (or, for a setting that release lacks, the older one), or
// nil when c.Setting names no setting of any release.
func (c Change) Schema() *schema.Setting {
	if c.def != nil {
		return c.def
	}
	for i := range schema.Total {
		if s := schema.Every(i); s.Path == c.Setting {
			return s
		}
	}
	return nil
}

// Diff returns the settings whose effective value differs from old's, in
// schema order (schema.Setting.Index). A nil old stands for a resolution
// with every value None. The two results may come from different releases:
// a setting only one of them has is a change from or to None.
func (r *Result) Diff(old *Result) []Change {
	var out []Change
	for i := range r.values {
		var was any
		if old != nil {
			was = old.values[i]
		}
		if reflect.DeepEqual(was, r.values[i]) {
			continue
		}
		def := r.origins[i].Setting
		if def == nil && old != nil {
			def = old.origins[i].Setting
		}
		if def == nil {
			def = schema.Every(i)
		}
		out = append(out, Change{Setting: def.Path, Old: was, New: r.values[i], def: def})
	}
	return out
}

// maskedDisplay renders a value for a change report: Display with secrets
// masked, and also the values that can carry a credential (header values,
// URL passwords).
func maskedDisplay(s *schema.Setting, v any) string {
	return render.Display(s, schema.Masked(s, "", v), false)
}

// RedactURL masks the password of every URL with user information in raw.
func RedactURL(raw string) string {
	v, _ := schema.Masked(nil, "", raw).(string)
	return v
}
