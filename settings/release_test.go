package settings_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/settings"
)

// TestLoadRelease selects the release from the options, else from the
// environment, and refuses a bad one before reading anything.
func TestLoadRelease(t *testing.T) {
	for _, tc := range []struct {
		name            string
		prefect, ps     string
		env             []string
		want            string // the release resolved
		warning, errMsg string
	}{
		{name: "default is the newest", want: "Prefect " + release.Newest().String()},
		{name: "options", prefect: "3.4.25", ps: "2.13.1", want: "Prefect 3.4.25 (pydantic-settings 2.13.1)"},
		{name: "environment", env: []string{"STRATA_PREFECT_VERSION=3.2.15", "STRATA_PYDANTIC_SETTINGS_VERSION=2.14.1"}, want: "Prefect 3.2.15 (pydantic-settings 2.14.1)"},
		{name: "options beat the environment", prefect: "3.1.15", env: []string{"STRATA_PREFECT_VERSION=3.2.15"}, want: "Prefect 3.1.15"},
		{name: "newer warns", prefect: "3.99.0", want: "Prefect " + release.Newest().String(), warning: "Prefect 3.99.0 is newer than the newest release Strata knows"},
		{name: "older fails", prefect: "3.0.0", errMsg: "prefect version 3.0.0 is not supported: " + "Strata supports Prefect " + release.Oldest().String() + " … " + release.Newest().String()},
		{name: "malformed fails", env: []string{"STRATA_PREFECT_VERSION=3.x"}, errMsg: `prefect version: malformed version "3.x": want a version such as 3.4.2, or a range such as ~=3.4.0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := project(t, nil, tc.env...)
			opts.PrefectVersion, opts.PydanticSettingsVersion = tc.prefect, tc.ps
			r, err := settings.Load(opts)
			if tc.errMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errMsg) {
					t.Fatalf("error %v; want %q", err, tc.errMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Release.String(); got != tc.want {
				t.Errorf("release %q; want %q", got, tc.want)
			}
			var warned []string
			for _, w := range r.Warnings {
				warned = append(warned, w.Msg)
			}
			if tc.warning != "" && !strings.Contains(strings.Join(warned, "\n"), tc.warning) {
				t.Errorf("warnings %q; want %q", warned, tc.warning)
			}
		})
	}
}

// TestReleaseSwitches resolves, for each switch of release.Switches that
// changes a resolution, one project as the last release without the
// change and as the first with it.
func TestReleaseSwitches(t *testing.T) {
	profile := func(url string) string {
		return "active = \"x\"\n[profiles.x]\nPREFECT_API_URL = \"" + url + "\"\n"
	}
	type side struct{ prefect, ps, want string } // want "error": resolution fails
	for _, tc := range []struct {
		name     string
		files    map[string]string
		env      []string
		setting  string
		old, new side
	}{
		{"tomlfiles", map[string]string{"work/prefect.toml": "server.api.port = 4300\n"}, nil,
			"server.api.port", side{"3.0.11", "", "4200"}, side{"3.1.0", "", "4300"}},
		{"profilespathsources", map[string]string{"work/.env": "PREFECT_PROFILES_PATH=../p.toml\n", "p.toml": profile("http://p/api")}, nil,
			"api.url", side{"3.1.0", "", "None"}, side{"3.1.1", "", "http://p/api"}},
		{"extraloggersset", nil, []string{"PREFECT_LOGGING_EXTRA_LOGGERS=b, a,b"},
			"logging.extra_loggers", side{"3.1.0", "", "['b', 'a', 'b']"}, side{"3.1.1", "", "['a', 'b']"}},
		{"dotenvfilter", map[string]string{"work/.env": "NAME=mydb\n"}, nil,
			"server.database.name", side{"3.1.1", "2.13.1", "mydb"}, side{"3.1.2", "2.13.1", "None"}},
		{"dotenvfilter: the bare field name first", map[string]string{"work/.env": "PREFECT_UI_API_URL=http://legacy/api\napi_url=http://field/api\n"},
			[]string{"PREFECT_SERVER_UI_API_URL=http://env/api"},
			"server.ui.api_url", side{"3.0.11", "2.13.1", "http://field/api"}, side{"3.0.11", "2.14.1", "http://env/api"}},
		{"dotenvpositional", map[string]string{"work/.env": "PREFECT_API_URL=http://d/api\n"}, nil,
			"api.url", side{"3.1.1", "", "http://d/api"}, side{"3.1.2", "", "None"}},
		{"dotenvpositional fixed", map[string]string{"work/.env": "PREFECT_API_URL=http://d/api\n"}, nil,
			"api.url", side{"3.6.27", "", "None"}, side{"3.6.28", "", "http://d/api"}},
		{"dotenvpositional on 2.13", map[string]string{"work/.env": "PREFECT_API_URL=http://d/api\n"}, nil,
			"api.url", side{"3.4.25", "2.14.1", "None"}, side{"3.4.25", "2.13.1", "http://d/api"}},
		{"defaultprofilefallback", map[string]string{"home/.prefect/profiles.toml": profile("http://a/api")}, []string{"PREFECT_PROFILE=nope"},
			"server.ephemeral.enabled", side{"3.1.4", "", "False"}, side{"3.1.5", "", "True"}},
		{"homemovesprofiles", map[string]string{"ph/profiles.toml": profile("http://h/api")}, []string{"PREFECT_HOME=$ROOT/ph"},
			"api.url", side{"3.2.0", "", "None"}, side{"3.2.1", "", "http://h/api"}},
		{"nestedhomepaths", nil, []string{"PREFECT_HOME=$ROOT/ph"},
			"logging.config_path", side{"3.4.7", "", "$ROOT/ph/logging.yml"}, side{"3.4.8", "", "$ROOT/home/.prefect/logging.yml"}},
		{"secondsafter", nil, []string{"PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS=30"},
			"server.services.late_runs.after_seconds", side{"3.6.1", "", "error"}, side{"3.6.2", "", "0:00:30"}},
		{"cloudlogcap", nil, []string{"PREFECT_API_URL=https://api.prefect.cloud/api/accounts/a/workspaces/w"},
			"logging.to_api.max_log_size", side{"3.6.3", "", "1000000"}, side{"3.6.4", "", "25000"}},
		{"postgresnopassword", nil, []string{"PREFECT_SERVER_DATABASE_DRIVER=postgresql+asyncpg", "PREFECT_SERVER_DATABASE_HOST=db",
			"PREFECT_SERVER_DATABASE_USER=u", "PREFECT_SERVER_DATABASE_NAME=n"},
			"server.database.connection_url", side{"3.6.6", "", "error"}, side{"3.6.7", "", "postgresql+asyncpg://u@db:5432/n"}},
		{"tomllib", map[string]string{"work/prefect.toml": "[client]\nretry_extra_codes = [502, \"503\"]\n"}, nil,
			"client.retry_extra_codes", side{"3.6.13", "", "error"}, side{"3.6.14", "", "{502, 503}"}},
		{"tomlerrors", map[string]string{"work/prefect.toml": "[api\nurl = 1\n"}, nil,
			"prefect.toml", side{"3.7.1", "", "error: Prefect 3.7.1 stops with an uncaught TOML error"}, side{"3.7.2", "", "error: invalid TOML"}},
		{"dicttables", map[string]string{"work/prefect.toml": "[client.custom_headers]\nX-A = \"b\"\n"}, nil,
			"client.custom_headers", side{"3.6.20", "", "{}"}, side{"3.6.21", "", "{'X-A': 'b'}"}},
		{"aliasorder", map[string]string{"work/.env": "PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS=dotenv\n"}, []string{"PREFECT_SERVER_CORS_ALLOWED_ORIGINS=env"},
			"server.api.cors_allowed_origins", side{"3.8.3", "2.14.1", "env"}, side{"3.8.3", "2.13.1", "dotenv"}},
		{"aliasorder with the profile before aliaslowest", map[string]string{"home/.prefect/profiles.toml": "active = \"x\"\n[profiles.x]\nPREFECT_SERVER_API_CORS_ALLOWED_ORIGINS = \"profile\"\n"},
			[]string{"PREFECT_SERVER_CORS_ALLOWED_ORIGINS=env"},
			"server.api.cors_allowed_origins", side{"3.4.25", "2.13.1", "env"}, side{"3.0.11", "2.13.1", "profile"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, sd := range []side{tc.old, tc.new} {
				opts := project(t, tc.files, slices.Clone(tc.env)...)
				opts.PrefectVersion, opts.PydanticSettingsVersion = sd.prefect, sd.ps
				r, err := settings.Load(opts)
				if msg, ok := strings.CutPrefix(sd.want, "error"); ok {
					if err == nil || !strings.Contains(err.Error(), strings.Split(tc.setting, ".")[0]) ||
						!strings.Contains(err.Error(), strings.TrimPrefix(msg, ": ")) {
						t.Errorf("Prefect %s: error %v; want one naming %s%s", sd.prefect, err, tc.setting, msg)
					}
					if strings.Contains(sd.want, "invalid") && strings.Contains(err.Error(), "stops with") {
						t.Errorf("Prefect %s: error %v says the release crashes", sd.prefect, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Prefect %s: %v", sd.prefect, err)
				}
				root := filepath.Dir(opts.Dir)
				if got := strings.ReplaceAll(value(t, r, tc.setting), root, "$ROOT"); got != sd.want {
					t.Errorf("Prefect %s (pydantic-settings %q): %s = %q; want %q", sd.prefect, sd.ps, tc.setting, got, sd.want)
				}
			}
		})
	}
}
