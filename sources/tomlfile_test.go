package sources

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// got renders a layer's values as "key@line:col=raw" for comparison.
func got(l *Layer) []string {
	var out []string
	for _, v := range l.Values {
		out = append(out, v.Setting.Path+"="+strings.TrimSpace(strings.ReplaceAll(toString(v.Raw), "\n", " "))+"@"+v.Pos.String()[strings.LastIndex(v.Pos.String(), "/")+1:])
	}
	return out
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func TestReadPrefectTOML(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		want    []string
		ignored []string
		err     string
	}{{
		name: "tables and dotted keys fold together",
		file: "api.url = \"http://x/api\"\n\n[server]\napi.host = \"0.0.0.0\"\n\n[server.services.scheduler]\nenabled = false\n",
		want: []string{"api.url=http://x/api@prefect.toml:1:1", "server.api.host=0.0.0.0@prefect.toml:4:1", "server.services.scheduler.enabled=false@prefect.toml:7:1"},
	}, {
		name:    "unknown keys, env-style keys, quoted dotted keys and upper case are ignored",
		file:    "PREFECT_API_URL = \"x\"\n\"api.url\" = \"y\"\n[API]\nURL = \"z\"\n[server.api]\nauth_sting = \"typo\"\n",
		ignored: []string{"PREFECT_API_URL@1:1", `"api.url"@2:1`, "API@3:2", "server.api.auth_sting@6:1"},
	}, {
		name:    "a table where a value belongs is ignored",
		file:    "[api.url]\nx = 1\n",
		ignored: []string{"api.url@1:2"},
	}, {
		name: "a dict setting takes a table",
		file: "[client.custom_headers]\nX-A = \"a\"\n",
		want: []string{"client.custom_headers=map[X-A:a]@prefect.toml:1:2"},
	}, {
		name: "a value where a group belongs is an error",
		file: "api = \"x\"\n",
		err:  `prefect.toml:1:1: api: "api" is a group of settings and takes a table, not a value`,
	}, {
		name: "invalid TOML",
		file: "[api\nurl = 1\n",
		err:  "prefect.toml:1:5: invalid TOML",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, "prefect.toml", tt.file)
			l, err := ReadPrefectTOML(p)
			if tt.err != "" {
				if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), dir+"/", ""), tt.err) {
					t.Fatalf("error %v; want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g := strings.Join(got(l), "\n"); g != strings.Join(tt.want, "\n") {
				t.Errorf("values:\n%s\nwant:\n%s", g, strings.Join(tt.want, "\n"))
			}
			var ign []string
			for _, i := range l.Ignored {
				ign = append(ign, i.Key+"@"+strings.TrimPrefix(i.Pos.String(), p+":"))
			}
			if g := strings.Join(ign, "\n"); g != strings.Join(tt.ignored, "\n") {
				t.Errorf("ignored:\n%s\nwant:\n%s", g, strings.Join(tt.ignored, "\n"))
			}
		})
	}
}

func TestReadPyproject(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "pyproject.toml", "[project]\nname = \"demo\"\n\n[tool.prefect]\napi.url = \"http://p/api\"\n\n[tool.prefect.server.api]\nport = 1\n")
	l, err := ReadPyproject(p)
	if err != nil {
		t.Fatal(err)
	}
	want := "api.url=http://p/api@pyproject.toml:5:1\nserver.api.port=1@pyproject.toml:8:1"
	if g := strings.Join(got(l), "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
	if l.Values[0].Key != "tool.prefect.api.url" {
		t.Errorf("key %q; want the path as written", l.Values[0].Key)
	}
}

func TestReadMissingFiles(t *testing.T) {
	dir := t.TempDir()
	for _, read := range []func(string) (*Layer, error){ReadPrefectTOML, ReadPyproject} {
		l, err := read(filepath.Join(dir, "nope.toml"))
		if err != nil || len(l.Values) != 0 || l.File != "" {
			t.Errorf("missing file: %v, %+v", err, l)
		}
	}
	var se *SyntaxError
	_, err := ReadPrefectTOML(writeFile(t, dir, "bad.toml", "a = \n"))
	if !errors.As(err, &se) || se.Pos.Line != 1 {
		t.Errorf("invalid TOML: %v", err)
	}
}
