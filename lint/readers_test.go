package lint

import (
	"testing"
)

// TestRunReleaseReaders: the files are read as the project's release reads
// them. Before 3.6.14 the toml package reads TOML files: what it takes
// is no error, and what TOML 1.0, which later releases read, refuses is a
// warning; what it refuses is an error. A release hit by Prefect issue
// #21664 reads some .env names; only the others are reported ignored.
func TestRunReleaseReaders(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		prefect string
		want    string
	}{{
		name:    "a non-ASCII bare key the toml package takes",
		files:   map[string]string{"prefect.toml": "ü = 1\n[api]\nurl = \"http://127.0.0.1:4200/api\"\n"},
		prefect: "3.4.2",
		want: "prefect.toml:1:1: warning: Prefect 3.6.14 and later, which read TOML 1.0, refuse this file (this project's Prefect 3.4.2 reads it): invalid character at start of key: U+00C3 'Ã' [toml-1.0]\n" +
			"prefect.toml:1:1: warning: unknown setting \"\\\"ü\\\"\" [unknown-setting]\n",
	}, {
		name:    "the same key on a release reading TOML 1.0",
		files:   map[string]string{"prefect.toml": "ü = 1\n"},
		prefect: "3.6.14",
		want:    "prefect.toml:1:1: error: prefect.toml could not be read: invalid character at start of key: U+00C3 'Ã' [syntax]\n",
	}, {
		name:    "an array the toml package refuses",
		files:   map[string]string{"prefect.toml": "[logging]\nextra_loggers = [\"a\", 1]\n"},
		prefect: "3.6.13",
		want:    "prefect.toml:2:1: error: prefect.toml could not be read: invalid TOML for this Prefect release: logging.extra_loggers mixes strings and integers in one array (the toml package, which Prefect reads TOML with before 3.6.14, rejects it) [syntax]\n",
	}, {
		name:    "a profiles file the toml package reads otherwise",
		files:   map[string]string{"profiles.toml": "active = \"p\"\n[profiles.p]\nPREFECT_API_URL = \"http://127.0.0.1:4200/api\"\n\"\\u0050REFECT_LOGGING_LEVEL\" = \"DEBUG\"\n"},
		prefect: "3.4.2",
		want:    "profiles.toml:4:1: warning: unknown setting \"\\\\u0050REFECT_LOGGING_LEVEL\" [unknown-setting]\n",
	}, {
		name:    "a .env whose lower-case names the release reads",
		files:   map[string]string{".env": "prefect_server_ui_api_url=http://127.0.0.1:4200/api\nPREFECT_LOGGING_LEVEL=DEBUG\n"},
		prefect: "3.4.2",
		want:    ".env:2:1: warning: Prefect ignores 1 of this .env's 2 settings, PREFECT_LOGGING_LEVEL first (it reads only names such as prefect_server_ui_api_url or PREFECT_SERVER_UI_api_url): this project uses 3.4.2 (as selected), on pydantic-settings ≥ 2.14, assumed as none is given or found, which passes .env's arguments shifted (Prefect issue #21664); pin pydantic-settings<2.14 or upgrade Prefect to 3.6.28 or later [dotenv-ignored]\n",
	}, {
		name:    "a .env the release reads whole",
		files:   map[string]string{".env": "prefect_server_ui_api_url=http://127.0.0.1:4200/api\nPREFECT_LOGGING_level=DEBUG\n"},
		prefect: "3.4.2",
		want:    "",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files)
			environ := []string{"HOME=" + dir, "PREFECT_PROFILES_PATH=" + dir + "/profiles.toml"}
			fs, err := Run(Options{Dir: dir, Environ: environ, Home: dir, PrefectVersion: tt.prefect})
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
