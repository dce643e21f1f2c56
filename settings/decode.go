package settings

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/schema/coerce"
	"github.com/strata-settings/strata/sources"
)

// decodeError is a value that does not fit its setting. Member, when set,
// names the member of a union type that rejected it.
type decodeError struct {
	msgs    []string
	members []string
}

func (e *decodeError) Error() string { return strings.Join(e.msgs, "; ") }

// add notes that the value of key of a dict setting is invalid, as msg
// says; pydantic reports each such key apart.
func (e *decodeError) add(key, msg string) {
	e.members = append(e.members, key)
	e.msgs = append(e.msgs, msg)
}

// err is e, or nil when nothing was added.
func (e *decodeError) err() error {
	if len(e.msgs) == 0 {
		return nil
	}
	return e
}

func fail(format string, args ...any) error {
	return &decodeError{msgs: []string{fmt.Sprintf(format, args...)}}
}

// fromEnv reports whether a layer delivers values as environment strings,
// which Prefect JSON-decodes for some kinds before validation.
func fromEnv(k sources.Kind) bool { return k == sources.Env || k == sources.DotEnv }

// decode turns a raw source value into the setting's Go value, with the
// coercion rules of release rel for the layer it came from. A nil result
// means None.
func decode(rel *release.Release, s *schema.Setting, layer sources.Kind, raw any) (any, error) {
	if raw == nil { // a JSON null in a group
		switch {
		case s.Optional || s.Kind == schema.Vacuum || s.Kind == schema.Any:
			return nil, nil // None, where the type allows it
		case s.Kind != schema.IntSet && s.Kind != schema.StringSet && s.Kind != schema.StringList && s.Kind != schema.NumberOrList:
			return nil, fail("Input should be a valid %s, not null", s.Kind)
		}
	}
	switch s.Kind {
	case schema.Bool:
		return coerce.Bool(raw)
	case schema.Int:
		return coerce.Int(raw)
	case schema.Float:
		return coerce.Float(raw)
	case schema.String, schema.Path:
		return coerce.Str(raw)
	case schema.Secret:
		v, err := coerce.Str(raw)
		if err != nil {
			return nil, err
		}
		return schema.NewSecret(v), nil
	case schema.LogLevel:
		v, ok := raw.(string)
		if n, isInt := raw.(int64); isInt && n%10 == 0 && n >= 10 && n <= 50 {
			// Prefect crashes on a number; Python's numeric levels are
			// unambiguous, so Strata accepts them.
			return s.Enum[n/10-1], nil
		}
		if !ok {
			return nil, fail("Input should be a valid string, got %s", typeName(raw))
		}
		up := strings.ToUpper(v)
		if !slices.Contains(s.Enum, up) {
			return nil, fail("Input should be %s", enumList(s.Enum))
		}
		return up, nil
	case schema.Enum:
		v, ok := raw.(string)
		if !ok || !slices.Contains(s.Enum, v) {
			return nil, fail("Input should be %s", enumList(s.Enum))
		}
		return v, nil
	case schema.Duration:
		return coerce.Duration(raw)
	case schema.SecondsDuration:
		return coerce.SecondsDuration(raw)
	case schema.StringList:
		if !rel.ExtraLoggersSet {
			return decodeStrOrList(s, layer, raw)
		}
		return decodeSet(s, layer, raw)
	case schema.IntSet, schema.StringSet:
		return decodeSet(s, layer, raw)
	case schema.FloatOrList:
		return decodeFloatOrList(layer, raw)
	case schema.NumberOrList:
		return decodeNumberOrList(s, layer, raw)
	case schema.Headers:
		return decodeHeaders(rel, layer, raw)
	case schema.DurationMap:
		return decodeDurationMap(layer, raw)
	case schema.Vacuum:
		return decodeVacuum(layer, raw)
	case schema.Any:
		return raw, nil
	}
	return nil, fail("unsupported kind %s", s.Kind)
}

func enumList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	case nil:
		return "null"
	}
	return "date or time"
}

// jsonFirst decodes an environment string as JSON when it is JSON, as
// pydantic-settings does for union settings with a list member; other
// strings stay as they are.
func jsonFirst(layer sources.Kind, raw any) any {
	s, ok := raw.(string)
	if !ok || !fromEnv(layer) || !json.Valid([]byte(s)) {
		return raw
	}
	var v any
	if err := decodeJSON(s, &v); err != nil {
		return raw
	}
	return v
}

// decodeJSON decodes s keeping integers as int64 and other numbers as
// float64, the types TOML values have.
func decodeJSON(s string, v *any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("extra data after the JSON value")
	}
	*v = numbers(x)
	return nil
}

func numbers(x any) any {
	switch t := x.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	case []any:
		for i := range t {
			t[i] = numbers(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = numbers(t[k])
		}
	}
	return x
}

// falsy reports Python truthiness false for a decoded value.
func falsy(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case bool:
		return !t
	case int64:
		return t == 0
	case float64:
		return t == 0
	case []any:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// decodeSet handles the comma-list sets: client.retry_extra_codes,
// plugins.allow and plugins.deny, logging.extra_loggers.
func decodeSet(s *schema.Setting, layer sources.Kind, raw any) (any, error) {
	v := jsonFirst(layer, raw)
	ints := s.Kind == schema.IntSet
	var items []any
	switch t := v.(type) {
	case string:
		if t == "" {
			break
		}
		for _, part := range strings.Split(t, ",") {
			items = append(items, strings.TrimSpace(part))
		}
	case []any:
		items = t
	default:
		if falsy(v) {
			break
		}
		if ints {
			items = []any{v}
			break
		}
		return nil, fail("Input should be a valid set, got %s", typeName(v))
	}
	if ints {
		out := []int64{}
		for _, it := range items {
			var n int64
			var err error
			if str, ok := it.(string); ok {
				n, err = parsePyInt(str)
			} else {
				n, err = coerce.Int(it)
			}
			if err != nil {
				return nil, err
			}
			if n < 100 || n > 599 {
				return nil, fail("Input should be between 100 and 599, got %d", n)
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out, nil
	}
	out := []string{}
	for _, it := range items {
		str, ok := it.(string)
		if !ok {
			return nil, fail("Input should be a valid string, got %s", typeName(it))
		}
		if !slices.Contains(out, str) {
			out = append(out, str)
		}
	}
	slices.Sort(out)
	return out, nil
}

// decodeStrOrList handles logging.extra_loggers before it became a set
// (release.Release.ExtraLoggersSet off), a str or a list[str] whose string
// Prefect splits: a value neither member accepts is reported under both,
// a list's non-string items each under its index, as pydantic reports the
// members of a union. None and every string are a list of names.
func decodeStrOrList(s *schema.Setting, layer sources.Kind, raw any) (any, error) {
	switch t := jsonFirst(layer, raw).(type) {
	case nil, string:
		return decodeSet(s, layer, raw)
	case []any:
		e := &decodeError{msgs: []string{"Input should be a valid string, or a list of strings"}, members: []string{"str"}}
		for i, it := range t {
			if _, ok := it.(string); !ok {
				e.members = append(e.members, fmt.Sprintf("list[str].%d", i))
			}
		}
		if len(e.members) > 1 {
			return nil, e
		}
		return decodeSet(s, layer, raw)
	default:
		return nil, &decodeError{
			msgs:    []string{fmt.Sprintf("Input should be a valid string or a list of strings, got %s", typeName(t))},
			members: []string{"str", "list[str]"},
		}
	}
}

// parsePyInt parses a comma-list item as Python's int() does.
func parsePyInt(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" || strings.Contains(t, ".") {
		return 0, fail("Input should be a valid integer, unable to parse string as an integer")
	}
	return coerce.Int(t)
}

// decodeFloatOrList handles tasks.default_retry_delay_seconds.
func decodeFloatOrList(layer sources.Kind, raw any) (any, error) {
	v := jsonFirst(layer, raw)
	if str, ok := v.(string); ok {
		str = strings.TrimSpace(str)
		if str == "" {
			return nil, nil
		}
		var secs []float64
		for _, part := range strings.Split(str, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			f, err := coerce.Float(part)
			if err != nil {
				return nil, err
			}
			secs = append(secs, f)
		}
		if len(secs) == 0 {
			return nil, fail("Input should be a valid number")
		}
		return schema.RetryDelay{Seconds: secs, List: len(secs) > 1}, nil
	}
	return numberOrList(v)
}

func numberOrList(v any) (any, error) {
	switch t := v.(type) {
	case []any:
		secs := make([]float64, 0, len(t))
		for _, it := range t {
			f, err := coerce.Float(it)
			if err != nil {
				return nil, err
			}
			secs = append(secs, f)
		}
		return schema.RetryDelay{Seconds: secs, List: true}, nil
	case bool:
		return nil, fail("Input should be a valid number")
	}
	f, err := coerce.Float(v)
	if err != nil {
		return nil, err
	}
	return schema.RetryDelay{Seconds: []float64{f}}, nil
}

// decodeNumberOrList handles flows.default_retry_delay_seconds, an int, a
// float or a list of floats; a value none of them accepts is reported once
// per member, as pydantic does.
func decodeNumberOrList(s *schema.Setting, layer sources.Kind, raw any) (any, error) {
	v := jsonFirst(layer, raw)
	if str, ok := v.(string); ok {
		if n, err := coerce.Int(str); err == nil {
			return schema.RetryDelay{Seconds: []float64{float64(n)}}, nil
		}
		if f, err := coerce.Float(str); err == nil {
			return schema.RetryDelay{Seconds: []float64{f}}, nil
		}
		return nil, &decodeError{
			msgs:    []string{"Input should be a valid integer, a valid number or a list of numbers"},
			members: s.Members,
		}
	}
	out, err := numberOrList(v)
	if err != nil {
		return nil, &decodeError{msgs: []string{err.Error()}, members: s.Members}
	}
	return out, nil
}

// jsonObject returns the object a dict setting was given. A source that
// reads strings (the environment, .env, the TOML files, the profile)
// JSON-decodes a string first; a value of a group JSON object, or one .env
// gives as written (Layer.Verbatim), reaches validation as it is. There a
// string is decoded again only by a setting that decodes strings itself
// (decodes: client.custom_headers from 3.4.21, release.Release.HeadersJSON).
func jsonObject(layer sources.Kind, raw any, decodes bool) (map[string]any, error) {
	v := raw
	if str, ok := raw.(string); ok && layer != sources.GroupJSON {
		if err := decodeJSON(str, &v); err != nil {
			return nil, fail("Input should be a JSON object: %v", jsonErr(err))
		}
		if v == nil && fromEnv(layer) {
			return nil, nil // JSON null: the source holds nothing
		}
	}
	if str, ok := v.(string); ok && decodes {
		if err := decodeJSON(str, &v); err != nil {
			return nil, fail("Input should be a JSON object: %v", jsonErr(err))
		}
	}
	if o, ok := v.(map[string]any); ok {
		return o, nil
	}
	return nil, fail("Input should be a valid dictionary, got %s", typeName(v))
}

func jsonErr(err error) string {
	if se, ok := err.(*json.SyntaxError); ok {
		return fmt.Sprintf("%s at offset %d", se.Error(), se.Offset)
	}
	return err.Error()
}

func decodeHeaders(rel *release.Release, layer sources.Kind, raw any) (any, error) {
	obj, err := jsonObject(layer, raw, rel.HeadersJSON)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(obj))
	bad := &decodeError{}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		str, ok := obj[k].(string)
		if !ok {
			bad.add(k, "Input should be a valid string, got "+typeName(obj[k]))
			continue
		}
		out[k] = str
	}
	return out, bad.err()
}

func decodeDurationMap(layer sources.Kind, raw any) (any, error) {
	obj, err := jsonObject(layer, raw, false)
	if err != nil {
		return nil, err
	}
	out := make(map[string]schema.Timedelta, len(obj))
	keys := slices.Sorted(maps.Keys(obj))
	bad := &decodeError{}
	for _, k := range keys {
		d, err := coerce.SecondsDuration(obj[k])
		if err != nil {
			bad.add(k, err.Error())
			continue
		}
		out[k] = d
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	// The check of the whole object runs once every value is valid.
	for _, k := range keys {
		if d := out[k]; d.Compare(schema.Timedelta{}) <= 0 {
			return nil, fail("Retention override for '%s' must be positive, got %s", k, d.PyString())
		}
	}
	return out, nil
}

func decodeVacuum(layer sources.Kind, raw any) (any, error) {
	v := jsonFirst(layer, raw)
	yes, no := true, false
	switch t := v.(type) {
	case bool:
		return schema.VacuumTypes{Bool: &t}, nil
	case int64:
		if t == 1 {
			return schema.VacuumTypes{Bool: &yes}, nil
		}
		if t == 0 {
			return schema.VacuumTypes{Bool: &no}, nil
		}
	case string:
		low := strings.ToLower(strings.TrimSpace(t))
		switch low {
		case "true", "1":
			return schema.VacuumTypes{Bool: &yes}, nil
		case "false", "0", "":
			return schema.VacuumTypes{Bool: &no}, nil
		}
		names := []string{}
		for _, part := range strings.Split(t, ",") {
			if p := strings.TrimSpace(part); p != "" && !slices.Contains(names, p) {
				names = append(names, p)
			}
		}
		slices.Sort(names)
		return schema.VacuumTypes{Names: names}, nil
	case []any:
		names := []string{}
		for _, it := range t {
			str, ok := it.(string)
			if !ok {
				return nil, fail("Input should be a valid string, got %s", typeName(it))
			}
			if !slices.Contains(names, str) {
				names = append(names, str)
			}
		}
		slices.Sort(names)
		return schema.VacuumTypes{Names: names}, nil
	}
	return nil, fail("Input should be a set of vacuum types or a boolean, got %s", typeName(v))
}

// inOrder is a string list as Prefect keeps it before 3.1.1 (release.
// Release.ExtraLoggersSet off): a comma list split at every comma, in the
// order written, each name stripped, empty ones and duplicates kept ("a,,b"
// is "a", "", "b"; an empty string is no name). set is the decoded set, for
// the inputs that are not a comma list or a JSON array; Prefect crashes on
// an array, which Strata takes in order.
func inOrder(layer sources.Kind, raw any, set []string) []string {
	switch t := jsonFirst(layer, raw).(type) {
	case string:
		if t == "" {
			return []string{}
		}
		parts := strings.Split(t, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	case []any:
		out := make([]string, 0, len(t))
		for _, it := range t {
			if str, ok := it.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	return set
}
