package settings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/schema/coerce"
)

// JSON returns every effective setting as one nested JSON object keyed like
// prefect.toml, in the form Prefect serialises them: durations in ISO 8601
// (PT1H), sets as sorted lists, None as null. Secrets are masked unless
// showSecrets.
func (r *Result) JSON(showSecrets bool) ([]byte, error) {
	root := map[string]any{}
	for _, s := range r.Schema().All() {
		i := s.Index
		t := root
		path := strings.Split(s.Path, ".")
		for _, k := range path[:len(path)-1] {
			next, ok := t[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				t[k] = next
			}
			t = next
		}
		t[path[len(path)-1]] = JSONValue(s, r.values[i], showSecrets)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

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
	}
	return v
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

// EscapeControl escapes the characters of s that could forge or hide
// output on a terminal, as diag.Escape does: control characters (a
// newline, an escape sequence, C1 controls) and the Unicode marks that
// reorder or separate text. \n, \r and \t are written so; the others as
// \xNN or \uNNNN. Everything else, backslashes included, is kept, so that
// ordinary values print as Prefect prints them; a byte that is not UTF-8
// becomes U+FFFD.
func EscapeControl(s string) string { return diag.Escape(s) }

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
