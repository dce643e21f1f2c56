package lint

import (
	"testing"

	"github.com/strata-settings/strata/release"
)

// TestRunProfilesRelease checks a profiles file against the settings of
// the project's release, as Prefect of that release reads it: a setting
// only older releases have is a setting there, its value checked, and a
// key written for it in another case or as an accessor is named.
func TestRunProfilesRelease(t *testing.T) {
	tests := []struct {
		name    string
		prefect string
		profile string
		want    string
	}{{
		name:    "a setting the newest release renamed",
		prefect: "3.4.2",
		profile: "PREFECT_RUNNER_HEARTBEAT_FREQUENCY = \"abc\"\n",
		want:    "profiles.toml:3:1: error: runner.heartbeat_frequency: Input should be a valid integer, unable to parse string as an integer [invalid-value]\n",
	}, {
		name:    "a setting the newest release lacks, in lower case",
		prefect: "3.0.11",
		profile: "prefect_experimental_warn = \"true\"\n",
		want:    "profiles.toml:3:1: warning: profile keys are upper-case: Prefect does not read prefect_experimental_warn; write PREFECT_EXPERIMENTAL_WARN [ignored-key]\n",
	}, {
		name:    "a setting the newest release lacks, as an accessor",
		prefect: "3.0.11",
		profile: "experimental_warn = \"true\"\n",
		want:    "profiles.toml:3:1: warning: profile keys are environment names: Prefect does not read experimental_warn; write PREFECT_EXPERIMENTAL_WARN [ignored-key]\n",
	}, {
		name:    "a setting the newest release lacks, as a dotted accessor",
		prefect: "3.0.11",
		profile: "server.database.sqlalchemy_pool_size = \"5\"\n",
		want:    "profiles.toml:3:1: warning: profile keys are environment names: Prefect does not read server.database.sqlalchemy_pool_size; write PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_SIZE [ignored-key]\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"profiles.toml": "active = \"x\"\n[profiles.x]\n" + tt.profile})
			environ := []string{"HOME=" + dir, "PREFECT_PROFILES_PATH=" + dir + "/profiles.toml"}
			fs, err := Run(Options{Dir: dir, Environ: environ, Home: dir, PrefectVersion: tt.prefect})
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%swant:\n%s", got, tt.want)
			}
		})
	}
}

// TestRunTOMLRelease checks the keys of prefect.toml against the settings
// of the project's release: a key in another case than one of its
// settings, an environment name, a misspelt name.
func TestRunTOMLRelease(t *testing.T) {
	tests := []struct {
		name    string
		prefect string
		files   map[string]string
		want    string
	}{{
		name:    "a setting of the release, in another case",
		prefect: "3.4.2",
		files:   map[string]string{"prefect.toml": "[runner]\nHEARTBEAT_FREQUENCY = 40\n"},
		want:    "prefect.toml:2:1: warning: TOML keys are lower-case: Prefect does not read runner.HEARTBEAT_FREQUENCY; write runner.heartbeat_frequency [ignored-key]\n",
	}, {
		name:  "the same on the newest, which renamed it",
		files: map[string]string{"prefect.toml": "[runner]\nHEARTBEAT_FREQUENCY = 40\n"},
		want:  "prefect.toml:2:1: warning: runner.heartbeat_frequency became flows.heartbeat_frequency in Prefect 3.6.13; this project uses " + release.Newest().String() + ", the newest Strata knows (no version given or found), which ignores runner.HEARTBEAT_FREQUENCY [not-in-release]\n",
	}, {
		name:    "an environment name of the release",
		prefect: "3.4.2",
		files:   map[string]string{"prefect.toml": "PREFECT_RUNNER_HEARTBEAT_FREQUENCY = 40\n"},
		want:    "prefect.toml:1:1: warning: PREFECT_RUNNER_HEARTBEAT_FREQUENCY is an environment variable name, which TOML files do not read; write runner.heartbeat_frequency [ignored-key]\n",
	}, {
		name:    "a misspelt name of the release",
		prefect: "3.4.2",
		files:   map[string]string{".env": "PREFECT_RUNNER_HEARTBEAT_FREQUENC=40\n"},
		want:    ".env:1:1: warning: unknown setting \"PREFECT_RUNNER_HEARTBEAT_FREQUENC\"; did you mean \"PREFECT_RUNNER_HEARTBEAT_FREQUENCY\"? [unknown-setting]\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files)
			environ := []string{"HOME=" + dir, "PREFECT_PROFILES_PATH=" + dir + "/profiles.toml"}
			fs, err := Run(Options{Dir: dir, Environ: environ, Home: dir, PrefectVersion: tt.prefect, PydanticSettingsVersion: "2.13.1"})
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%swant:\n%s", got, tt.want)
			}
		})
	}
}
