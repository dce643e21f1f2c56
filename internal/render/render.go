// Package render writes setting values as Prefect shows them, for the
// command's outputs: Python's str for config view (Display), Python's repr
// for a string (PyRepr), the JSON of config dump (JSONValue) and the
// environment form of config get (EnvValue). It is presentation, not
// resolution: the settings package uses it only to render a Change and a
// Result's JSON.
package render

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pelletier/go-toml/v2"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/schema/coerce"
)

// pyFloat is a float that marshals as Python writes it (60.0, 1e-05).
type pyFloat float64

func (f pyFloat) MarshalJSON() ([]byte, error) {
	if math.IsInf(float64(f), 0) || math.IsNaN(float64(f)) {
		return []byte("null"), nil
	}
	return []byte(coerce.FormatFloat(float64(f))), nil
}

// JSONValue returns the value v of setting s in its JSON form. Secrets,
// header values and URL passwords are masked unless showSecrets
// (schema.Masked).
func JSONValue(s *schema.Setting, v any, showSecrets bool) any {
	if !showSecrets {
		v = schema.Masked(s, "", v)
	}
	switch t := v.(type) {
	case nil:
		return nil
	case schema.SecretString:
		return t.Reveal()
	case float64:
		return pyFloat(t)
	case schema.Timedelta:
		return coerce.FormatDuration(t)
	case schema.RetryDelay:
		if !t.List && len(t.Seconds) == 1 {
			return pyFloat(t.Seconds[0])
		}
		out := make([]pyFloat, len(t.Seconds))
		for i, f := range t.Seconds {
			out[i] = pyFloat(f)
		}
		return out
	case map[string]schema.Timedelta:
		out := make(map[string]string, len(t))
		for k, d := range t {
			out[k] = coerce.FormatDuration(d)
		}
		return out
	case schema.VacuumTypes:
		if t.Bool != nil {
			return *t.Bool
		}
		return slices.Sorted(slices.Values(t.Names))
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = JSONValue(s, x, showSecrets)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = JSONValue(s, x, showSecrets)
		}
		return out
	case toml.LocalDate:
		return t.String()
	case toml.LocalTime:
		return pyTime(t.Hour, t.Minute, t.Second, t.Nanosecond)
	case toml.LocalDateTime:
		return t.LocalDate.String() + "T" + pyTime(t.Hour, t.Minute, t.Second, t.Nanosecond)
	case time.Time:
		zone := "Z"
		if _, off := t.Zone(); off != 0 {
			sign := "+"
			if off < 0 {
				sign, off = "-", -off
			}
			zone = fmt.Sprintf("%s%02d:%02d", sign, off/3600, off/60%60)
		}
		return t.Format("2006-01-02") + "T" + pyTime(t.Hour(), t.Minute(), t.Second(), t.Nanosecond()) + zone
	}
	return v
}

// pyTime writes a time of day as pydantic does: HH:MM:SS, and the
// microseconds in six digits when there are any.
func pyTime(h, m, s, ns int) string {
	if us := ns / 1000; us != 0 {
		return fmt.Sprintf("%02d:%02d:%02d.%06d", h, m, s, us)
	}
	return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
}

// Display renders the value v of setting s as Prefect's `config view` shows
// effective values (Python's str): True, 60.0, 1:00:00, ['a', 'b'], None.
// Secrets, header values and URL passwords are masked unless showSecrets
// (schema.Masked).
func Display(s *schema.Setting, v any, showSecrets bool) string {
	if !showSecrets {
		v = schema.Masked(s, "", v)
	}
	switch t := v.(type) {
	case nil:
		return "None"
	case string:
		return t
	case schema.SecretString:
		return t.Reveal()
	case bool:
		if t {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return coerce.FormatFloat(t)
	case schema.Timedelta:
		return t.PyString()
	case []int64:
		if s.Kind == schema.IntSet {
			if len(t) == 0 {
				return "set()"
			}
			return "{" + joinInts(t) + "}"
		}
		return "[" + joinInts(t) + "]"
	case []string:
		q := make([]string, len(t))
		for i, x := range t {
			q[i] = pyRepr(x)
		}
		if s.Kind == schema.StringSet {
			if len(t) == 0 {
				return "set()"
			}
			return "{" + strings.Join(q, ", ") + "}"
		}
		return "[" + strings.Join(q, ", ") + "]"
	case schema.RetryDelay:
		if !t.List && len(t.Seconds) == 1 {
			return coerce.FormatFloat(t.Seconds[0])
		}
		q := make([]string, len(t.Seconds))
		for i, f := range t.Seconds {
			q[i] = coerce.FormatFloat(f)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case schema.VacuumTypes:
		return t.String()
	case map[string]string:
		keys := slices.Sorted(mapKeys(t))
		q := make([]string, len(keys))
		for i, k := range keys {
			q[i] = pyRepr(k) + ": " + pyRepr(t[k])
		}
		return "{" + strings.Join(q, ", ") + "}"
	case map[string]schema.Timedelta:
		keys := slices.Sorted(mapKeys(t))
		q := make([]string, len(keys))
		for i, k := range keys {
			q[i] = pyRepr(k) + ": datetime.timedelta(seconds=" + coerce.FormatFloat(t[k].Seconds()) + ")"
		}
		return "{" + strings.Join(q, ", ") + "}"
	}
	return fmt.Sprint(v)
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func joinInts(ns []int64) string {
	q := make([]string, len(ns))
	for i, n := range ns {
		q[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(q, ", ")
}

// pyRepr quotes a string as Python's repr does for plain text.
func pyRepr(s string) string { return PyRepr(s) }

// PyRepr quotes s as Python's repr does: single quotes unless s holds a
// single quote and no double quote, with backslash escapes for the quote,
// backslashes and control characters.
func PyRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x100 && !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000 && !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// EnvValue renders the value v of setting s as Prefect writes settings into
// a subprocess's environment: True and False, 60.0, durations in ISO 8601,
// lists sorted and joined with commas, objects as JSON, None as "". Secrets
// are masked unless showSecrets.
func EnvValue(s *schema.Setting, v any, showSecrets bool) string {
	switch t := JSONValue(s, v, showSecrets).(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		if t {
			return "True"
		}
		return "False"
	case pyFloat:
		return coerce.FormatFloat(float64(t))
	case []int64, []string, []pyFloat:
		return joinSorted(t)
	case map[string]string, map[string]any:
		b, _ := json.Marshal(t)
		return pyJSON(b)
	}
	return fmt.Sprint(v)
}

func joinSorted(v any) string {
	var parts []string
	switch t := v.(type) {
	case []int64:
		for _, n := range t {
			parts = append(parts, strconv.FormatInt(n, 10))
		}
	case []string:
		parts = append(parts, t...)
	case []pyFloat:
		for _, f := range t {
			parts = append(parts, coerce.FormatFloat(float64(f)))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// pyJSON spaces compact JSON as Python's json.dumps does.
func pyJSON(b []byte) string {
	var out strings.Builder
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		out.WriteByte(c)
		switch {
		case c == '\\' && inString:
			i++
			out.WriteByte(b[i])
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			out.WriteByte(' ')
		}
	}
	return out.String()
}
