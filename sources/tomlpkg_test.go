package sources

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// TestTOMLPkgReadings reads every case of testdata/tomlpkg/readings.json
// as Prefect before 3.6.14 reads a TOML file, and compares with what the
// toml package 0.10.2 read (record.py recorded it): the same tables,
// keys, values and types, or the same failure on the same line.
func TestTOMLPkgReadings(t *testing.T) {
	raw, err := os.ReadFile("testdata/tomlpkg/readings.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name string
		TOML string
		Want any
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			doc, err := parseTOMLPkg("f.toml", []byte(c.TOML), false)
			var got any
			if err != nil {
				got = pkgFailure(t, err)
			} else {
				got = canonTOML(doc.root)
			}
			if !reflect.DeepEqual(got, c.Want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(c.Want)
				t.Errorf("%q:\ngot  %s\nwant %s", c.TOML, g, w)
			}
		})
	}
}

// pkgFailure renders a failure as record.py does.
func pkgFailure(t *testing.T, err error) map[string]any {
	var se *SyntaxError
	var pe *pkgError
	if !errors.As(err, &se) || !errors.As(err, &pe) || !errors.Is(err, ErrTOMLPackage) {
		t.Fatalf("error %T %v: want a *SyntaxError wrapping ErrTOMLPackage", err, err)
	}
	if se.Pos.File != "f.toml" || se.Pos.Line < 1 || se.Pos.Column < 1 {
		t.Errorf("error without a position: %v", err)
	}
	if pe.crash != "" {
		return map[string]any{"error": "crash:" + pe.crash}
	}
	return map[string]any{"error": "decode", "line": float64(se.Pos.Line)}
}

// canonTOML renders a document's values as record.py renders Python's.
func canonTOML(v any) any {
	switch t := v.(type) {
	case bool:
		return t
	case map[string]any:
		m := map[string]any{}
		for k, x := range t {
			m[k] = canonTOML(x)
		}
		return m
	case []any:
		out := []any{}
		for _, x := range t {
			out = append(out, canonTOML(x))
		}
		return out
	case string:
		return "s:" + t
	case int64:
		return fmt.Sprintf("i:%d", t)
	case float64:
		if math.IsNaN(t) {
			return "f:nan"
		}
		return fmt.Sprintf("f:%d", int64(math.Float64bits(t)))
	case toml.LocalDate:
		return fmt.Sprintf("d:%04d-%02d-%02d", t.Year, t.Month, t.Day)
	case toml.LocalDateTime:
		return fmt.Sprintf("dt:%04d-%02d-%02dT%02d:%02d:%02d.%06d", t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Nanosecond/1000)
	case time.Time:
		_, off := t.Zone()
		return fmt.Sprintf("dt:%04d-%02d-%02dT%02d:%02d:%02d.%06d%+d", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000, off)
	case toml.LocalTime:
		return fmt.Sprintf("t:%02d:%02d:%02d.%06d", t.Hour, t.Minute, t.Second, t.Nanosecond/1000)
	}
	return fmt.Sprintf("?%T", v)
}

// TestTOMLPkgPositions: every key the toml package reads has the position
// where it is written, and a file it cannot decode names where.
func TestTOMLPkgPositions(t *testing.T) {
	data := "ü = 1\r\n[server . api]\r\nport = 4300\r\n  api.url = \"x\"\rinline = {a = 1, \"b\" = [{c = 2}]}\n"
	doc, err := parseTOMLPkg("f.toml", []byte(data), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path []string
		want string
	}{
		{[]string{"ü"}, "f.toml:1:1"},
		{[]string{"server"}, "f.toml:2:2"},
		{[]string{"server", "api"}, "f.toml:2:2"},
		{[]string{"server", "api", "port"}, "f.toml:3:1"},
		{[]string{"server", "api", "api", "url"}, "f.toml:4:3"},
		{[]string{"server", "api", "inline", "a"}, "f.toml:5:11"},
		{[]string{"server", "api", "inline", "b", "c"}, "f.toml:5:26"},
	} {
		if got := doc.position(tt.path).String(); got != tt.want {
			t.Errorf("%q at %s, want %s", tt.path, got, tt.want)
		}
	}
	for _, tt := range []struct{ data, want string }{
		{"a = 1\nb = [1, \"x\"]\n", "f.toml:2:1: invalid TOML for this Prefect release: b mixes integers and strings in one array"},
		{"a = 1\n  b c = 1\n", "f.toml:2:5: invalid TOML for this Prefect release: invalid character 'c' in a key; the key needs quotes"},
		{"a = \"x\n", "f.toml:1:7: invalid TOML for this Prefect release: a string without its closing quote"},
		{"a = 1\n[a]\n", "f.toml:2:1: invalid TOML for this Prefect release: the table \"a\" is already defined"},
		{"x = 1\na = \"\xff\"\n", "f.toml:2:6: invalid TOML: not UTF-8 text"},
		{"a = []\n[a.b]\n", "f.toml:2:1: invalid TOML for this Prefect release: a table inside an array; the toml package, which Prefect reads TOML with before 3.6.14, fails on it with IndexError"},
	} {
		_, err := parseTOMLPkg("f.toml", []byte(tt.data), false)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: %v\nwant %s…", tt.data, err, tt.want)
		}
	}
	if _, err := parseTOMLPkg("f.toml", []byte("a = [1, 2.0]\n"), false); !errors.Is(err, ErrMixedArray) {
		t.Errorf("a mixed array: %v, not ErrMixedArray", err)
	}
}
