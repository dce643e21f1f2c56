package lint

import (
	"fmt"
	"path/filepath"
	"testing"
)

var sprintf = fmt.Sprintf

// TestInForceIsTheEngines: the checks of what several sources decide
// together take the value in force from the engine, so they agree with
// config view: group JSON wins over the variables, the last spelling
// written wins within a layer, and a .env the release ignores decides
// nothing.
func TestInForceIsTheEngines(t *testing.T) {
	const keyAndAuth = "both api.key and api.auth_string are set (the auth string at %s): Strata sends the key as a Bearer token, Prefect's Python client sends the auth string, and a server that expects the auth string answers 401 [key-and-auth-string]\n"
	tests := []struct {
		name    string
		files   map[string]string
		environ []string
		env     bool
		version string
		want    string
	}{{
		name:    "an API key given as group JSON in the environment",
		files:   map[string]string{"prefect.toml": "[api]\nauth_string = \"u:p\"\n"},
		environ: []string{`PREFECT_API={"key": "pnu_x"}`},
		env:     true,
		want:    "env PREFECT_API: warning: " + sprintf(keyAndAuth, "prefect.toml:2:1"),
	}, {
		name:  "an API key given as group JSON in .env",
		files: map[string]string{"prefect.toml": "[api]\nauth_string = \"u:p\"\n", ".env": "PREFECT_API='{\"key\": \"pnu_x\"}'\n"},
		want:  ".env:1:1: warning: " + sprintf(keyAndAuth, "prefect.toml:2:1"),
	}, {
		name:    "group JSON setting the auth string empty wins over the variable",
		files:   map[string]string{".env": "PREFECT_API_KEY=pnu_x\n"},
		environ: []string{"PREFECT_API_AUTH_STRING=u:p", `PREFECT_API={"auth_string": ""}`},
		env:     true,
		want:    "",
	}, {
		name:  "a .env the release ignores sets nothing",
		files: map[string]string{"prefect.toml": "[api]\nauth_string = \"u:p\"\n", ".env": "PREFECT_API_KEY=pnu_x\n"},
		// Prefect 3.4.25 on pydantic-settings 2.14 ignores .env.
		version: "3.4.25",
		want:    ".env:1:1: warning: Prefect ignores this .env: this project uses 3.4.25 (as selected), on pydantic-settings ≥ 2.14, assumed as none is given or found, which passes .env's arguments shifted (Prefect issue #21664); pin pydantic-settings<2.14 or upgrade Prefect to 3.6.28 or later [dotenv-ignored]\n",
	}, {
		name:    "of two spellings of a variable the last written wins",
		environ: []string{"PREFECT_API_KEY=pnu_x", "prefect_api_key=", "PREFECT_API_AUTH_STRING=u:p"},
		env:     true,
		want:    "",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files)
			fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home"), Environ: tt.environ, Env: tt.env, PrefectVersion: tt.version,
				Disabled: []string{RuleSecretInFile}})
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
