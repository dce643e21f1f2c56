package settings

import (
	"net/url"
	"reflect"
	"strings"

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
	switch t := v.(type) {
	case map[string]string:
		masked := make(map[string]string, len(t))
		for k := range t {
			masked[k] = schema.Mask
		}
		v = masked
	case string:
		v = RedactURL(t)
	}
	return Display(s, v, false)
}

// RedactURL masks the password of a URL with user information; other
// strings are returned unchanged.
func RedactURL(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); !ok {
		return raw
	}
	u.User = url.UserPassword(u.User.Username(), "xxxxx")
	return strings.Replace(u.String(), "xxxxx", schema.Mask, 1)
}
