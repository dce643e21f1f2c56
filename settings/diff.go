package settings

import (
	"reflect"

	"github.com/strata-settings/strata/schema"
)

// Change is one setting whose effective value differs between two
// resolutions. Old and New are the typed values (nil for None); secrets stay
// schema.SecretString, which never prints its value.
type Change struct {
	Setting string // dotted path: "server.api.port"
	Old     any
	New     any
}

// String renders the change as "setting: old -> new", values as config
// view shows them. Secrets, header values and URL passwords are masked.
func (c Change) String() string {
	s, ok := schema.ByPath(c.Setting)
	if !ok {
		return c.Setting + ": changed"
	}
	return c.Setting + ": " + maskedDisplay(s, c.Old) + " -> " + maskedDisplay(s, c.New)
}

// Diff returns the settings whose effective value differs from old's, in
// schema order. A nil old stands for a resolution with every value None.
func (r *Result) Diff(old *Result) []Change {
	var out []Change
	for i := range r.values {
		var was any
		if old != nil {
			was = old.values[i]
		}
		if !reflect.DeepEqual(was, r.values[i]) {
			out = append(out, Change{Setting: schema.All()[i].Path, Old: was, New: r.values[i]})
		}
	}
	return out
}

// maskedDisplay renders a value for a change report: Display with secrets
// masked, and also the values that can carry a credential (header values,
// URL passwords).
func maskedDisplay(s *schema.Setting, v any) string {
	return Display(s, schema.Masked(s, "", v), false)
}

// RedactURL masks the password of every URL with user information in raw.
func RedactURL(raw string) string {
	v, _ := schema.Masked(nil, "", raw).(string)
	return v
}
