package sources

import (
	"errors"
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
			switch {
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
