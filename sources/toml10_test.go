package sources

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestScanTOML10(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a = {b = 1,\n c = 2}\n", "1:12 a line break inside an inline table"},
		{"a = {b = 1, # c\n c = 2}\n", "1:16 a line break inside an inline table"},
		{"a = {b = 1, c = 2,}\n", "1:19 a trailing comma in an inline table"},
		{"a = \"\\e\"\n", `1:6 the escape \e`},
		{"a = \"\"\"\n\\x41\"\"\"\n", `2:1 the escape \x`},
		{"a = 07:32\n", "1:5 a time without seconds"},
		{"a = 1979-05-27T07:32\n", "1:16 a time without seconds"},
		{"a = 1979-05-27 07:32Z\n", "1:16 a time without seconds"},
		{"a = [1,\n2,]\nb = {c = [1,\n2]}\n", ""},
		{"a = '\\e'\nb = '''\\x'''\n", ""},
		{"a = \"{,}\" # { x,\n[t]\nb = 07:32:00\nc = 1979-05-27T07:32:00.5Z\n", ""},
		{"[\"a{\".b]\nc = \"\"\"x\\\n  y\"\"\"\nd = {}\n", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range scanTOML10([]byte(tt.in)) {
			got = append(got, fmt.Sprintf("%d:%d %s", p.Line, p.Column, p.Msg))
		}
		g := strings.Join(got, "\n")
		if tt.want == "" && g != "" || tt.want != "" && !strings.HasPrefix(g, tt.want) || strings.Count(g, "\n") > 0 {
			t.Errorf("scanTOML10(%q):\n%s\nwant %s", tt.in, g, tt.want)
		}
	}
}

// FuzzTOML10 scans arbitrary TOML for TOML 1.1 syntax: no panic, and every
// problem lies inside the document.
func FuzzTOML10(f *testing.F) {
	for _, seed := range []string{
		"a = {b = 1,\n c = 2}\n",
		"a = {b = 1, c = 2,}\n",
		"a = \"\\e\\x41\"\n",
		"a = 07:32\nb = 1979-05-27 07:32Z\n",
		"a = \"\"\"x\\\n  y\"\"\"\"\"\n",
		"[\"a{\".b] # {\nc = '''{,}'''\n",
		"a = \"unterminated\n{",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range scanTOML10(data) {
			if p.Line < 1 || p.Line > lines || p.Column < 1 {
				t.Errorf("problem %+v outside the document of %d lines", p, lines)
			}
		}
	})
}

// TestTOML11Refused checks that every TOML reader reports TOML 1.1 syntax as
// Prefect's TOML 1.0 parser would refuse it, and that the TOML readers still
// return the whole layer for the tools that check it further.
func TestTOML11Refused(t *testing.T) {
	const doc = "[api]\nurl = \"http://x/api\"\n[client]\ncustom_headers = { \"X-A\" = \"a\", }\n"
	tests := []struct {
		name  string
		read  func(data []byte) (values int, err error)
		want  string
		layer int
	}{{
		name: "prefect.toml",
		read: func(data []byte) (int, error) {
			l, err := ParsePrefectTOML("prefect.toml", data)
			return len(l.Values), err
		},
		want:  "prefect.toml:4:33: invalid TOML: a trailing comma in an inline table is TOML 1.1; Prefect's TOML 1.0 parser rejects the file",
		layer: 2,
	}, {
		name: "pyproject.toml, outside [tool.prefect]",
		read: func(data []byte) (int, error) {
			l, err := ParsePyproject("pyproject.toml", append([]byte("[tool.prefect.api]\nkey = \"k\"\n[tool.x]\n"), data...))
			return len(l.Values), err
		},
		want:  "pyproject.toml:7:33: invalid TOML: a trailing comma in an inline table is TOML 1.1; Prefect's TOML 1.0 parser rejects the file",
		layer: 1,
	}, {
		name: "profiles.toml, every profile",
		read: func(data []byte) (int, error) {
			d, err := ParseProfiles("profiles.toml", []byte("[profiles.a]\nPREFECT_API_URL = \"http://x/api\"\nX = \"\\e\"\n"))
			return len(d.Profiles[0].Values), err
		},
		want:  `profiles.toml:3:6: invalid TOML: the escape \e is TOML 1.1; Prefect's TOML 1.0 parser rejects the file; write \u001b`,
		layer: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.read([]byte(doc))
			if !errors.Is(err, ErrTOML11) || err.Error() != tt.want {
				t.Errorf("error %v; want %s, wrapping ErrTOML11", err, tt.want)
			}
			if n != tt.layer {
				t.Errorf("%d values; want the whole layer, %d", n, tt.layer)
			}
		})
	}
}

// TestReadProfilesTOML11 checks that a profiles file in TOML 1.1 applies no
// profile at all, as a file Prefect cannot parse.
func TestReadProfilesTOML11(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "profiles.toml", "active = \"a\"\n[profiles.a]\nPREFECT_API_URL = \"http://x/api\"\nPREFECT_CLIENT_MAX_RETRIES = { a = 1,\n}\n")
	l, _ := ReadProfiles(&ProfileInput{Environ: map[string]string{"PREFECT_PROFILES_PATH": p}})
	if l.Profile != "" || len(l.Values) != 0 || len(l.Warnings) != 1 || !errors.Is(l.Warnings[0], ErrTOML11) {
		t.Errorf("profile %q, %d values, warnings %v; want no profile and the TOML 1.1 warning", l.Profile, len(l.Values), l.Warnings)
	}
}
