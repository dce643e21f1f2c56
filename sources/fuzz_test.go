package sources

import (
	"errors"
	"strings"
	"testing"
)

// FuzzTOMLLayer reads arbitrary prefect.toml and pyproject.toml contents: no
// panic, and every error and every value has a position in the file.
func FuzzTOMLLayer(f *testing.F) {
	for _, seed := range []string{
		"[server.api]\nport = 4200\n",
		"api.url = \"http://x/api\"\n[client.custom_headers]\nX-A = \"a\"\n",
		"api = \"x\"\n",
		"[tool.prefect]\nserver.api.port = 1\n[tool.prefect.experiments.plugins]\nenabled = true\n",
		"\"api.url\" = 1\n[api\n",
		"a = [1, {b = 2}]\n[[t]]\nx = 1979-05-27T07:32:00Z\n",
		"[client]\nretry_jitter_factor = 0xFFFFFFFFFFFFFFFFFF\nx = [-99_999_999_999_999_999_999, {y = 0o7777777777777777777777777}]\n",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, pyproject bool) {
		kind, prefix := PrefectTOML, []string(nil)
		if pyproject {
			kind, prefix = PyprojectTOML, []string{"tool", "prefect"}
		}
		l, err := Reader{}.tomlLayer(kind, "f.toml", data, prefix)
		for _, e := range unwrapAll(err) {
			var se *SyntaxError
			var ve *ValueError
			var fe *FileError
			switch {
			case errors.As(e, &fe):
				if fe.Pos.File != "f.toml" {
					t.Errorf("refusal without the file: %v", fe)
				}
			case errors.As(e, &se):
				if se.Pos.File != "f.toml" {
					t.Errorf("syntax error without the file: %v", se)
				}
			case errors.As(e, &ve):
				if ve.Pos.File != "f.toml" || ve.Pos.Line < 1 || ve.Setting == "" {
					t.Errorf("value error without a position: %v", ve)
				}
			default:
				t.Errorf("unexpected error %T: %v", e, e)
			}
		}
		for _, v := range l.Values {
			if v.Setting == nil || v.Pos.Line < 1 || v.Pos.Column < 1 {
				t.Errorf("value without a setting or position: %+v", v)
			}
		}
	})
}

func unwrapAll(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// FuzzDotEnv reads arbitrary .env contents: no panic, every binding and
// every problem has a line and column inside the file, and no value is
// longer than the limit.
func FuzzDotEnv(f *testing.F) {
	for _, seed := range []string{
		"A=1\nexport B='x'\n# c\nC=\"m\nl\" # c\n",
		"A=${B:-d}${:${C}\rD=${A}\r\n",
		"'k'=v\n=bad\nNOVALUE\nE=\"unterminated\n",
		"A=" + strings.Repeat("${:", 20) + "}\n",
	} {
		f.Add([]byte(seed))
	}
	lookup := func(name string) (string, bool) { return "env-" + name, name == "C" }
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, errs := ParseDotEnv(data, lookup)
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		for _, e := range entries {
			if e.Line < 1 || e.Line > lines || e.Column < 1 {
				t.Errorf("binding %q at %d:%d", e.Key, e.Line, e.Column)
			}
			if e.Value != nil && len(*e.Value) > MaxValueLen {
				t.Errorf("value of %q longer than the limit", e.Key)
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines || e.Column < 1 {
				t.Errorf("error at %d:%d: %s", e.Line, e.Column, e.Msg)
			}
		}
	})
}

// FuzzTOMLPkg reads arbitrary TOML as Prefect before 3.6.14 does, with the
// toml package's decoder: no panic, every failure positioned in the file,
// every key read with its position, and no more rescanning than the
// bound.
func FuzzTOMLPkg(f *testing.F) {
	for _, seed := range []string{
		"ü = 1\napi = {port = 4300}\napi.host = \"h\"\n",
		"api . url = \"x\"\n\"\\u0055\" = 1\n'a\\tb' = 2\n",
		"[[a]]\nb = [1, 2.0]\n[a.c]\nd = 1979-05-27T07:32:00z\n",
		"a.b = \"\"\"x\ny\"\"\"\nc = [\"\"\"x\n\"\"\", 'y']\n",
		"a = [{b = 1}, 5] # c\r\nd = 07:32:00.5\re = -0.0\n",
		"[p.q]\n[r.p]\n[r.p]\na=b=1\n{c = 1}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseTOMLPkg("f.toml", data, false)
		if err != nil {
			var se *SyntaxError
			var fe *FileError
			switch {
			case errors.As(err, &fe):
				if fe.Pos.File != "f.toml" {
					t.Errorf("refusal without the file: %v", fe)
				}
			case errors.As(err, &se):
				if se.Pos.File != "f.toml" || se.Pos.Line < 1 || se.Pos.Column < 1 {
					t.Errorf("syntax error without a position: %v", se)
				}
			default:
				t.Errorf("unexpected error %T: %v", err, err)
			}
			return
		}
		var walk func(path []string, v any)
		walk = func(path []string, v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					p := append(path[:len(path):len(path)], k)
					if pos := doc.position(p); pos.Line < 1 || pos.Column < 1 {
						t.Errorf("key %q without a position", p)
					}
					walk(p, e)
				}
			case []any:
				for _, e := range x {
					walk(path, e)
				}
			}
		}
		walk(nil, doc.root)
	})
}
