package settings_test

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/strata-settings/strata/internal/pypath"
	"github.com/strata-settings/strata/internal/render"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// project lays out files under a temporary root (paths relative to it; the
// working directory is root/work, the home root/home) and returns options
// that resolve settings for it with the given environment.
func project(t testing.TB, files map[string]string, env ...string) settings.Options {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"work", "home"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range env {
		env[i] = strings.ReplaceAll(env[i], "$ROOT", root)
	}
	return settings.Options{Environ: env, Dir: filepath.Join(root, "work"), Home: filepath.Join(root, "home")}
}

func mustLoad(t *testing.T, opts settings.Options) *settings.Result {
	t.Helper()
	r, err := settings.Load(opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

func value(t *testing.T, r *settings.Result, name string) string {
	t.Helper()
	v, ok := r.Value(name)
	if !ok {
		t.Fatalf("no setting %q", name)
	}
	s, _ := schema.Lookup(name)
	return render.Display(s, v, true)
}

func TestPrecedence(t *testing.T) {
	all := map[string]string{
		"home/.prefect/profiles.toml": "active = \"a\"\n[profiles.a]\nPREFECT_SERVER_DATABASE_TIMEOUT = \"1\"\n",
		"work/pyproject.toml":         "[tool.prefect.server.database]\ntimeout = 2\n",
		"work/prefect.toml":           "[server.database]\ntimeout = 3\n",
		"work/.env":                   "PREFECT_SERVER_DATABASE_TIMEOUT=4\n",
	}
	without := func(drop ...string) map[string]string {
		m := map[string]string{}
		for k, v := range all {
			m[k] = v
		}
		for _, d := range drop {
			delete(m, d)
		}
		return m
	}
	tests := []struct {
		name  string
		files map[string]string
		env   []string
		want  string
		layer sources.Kind
		pos   string
	}{
		{"env beats everything", all, []string{"PREFECT_SERVER_DATABASE_TIMEOUT=5"}, "5.0", sources.Env, "env PREFECT_SERVER_DATABASE_TIMEOUT"},
		{".env beats the files", all, nil, "4.0", sources.DotEnv, ".env:1:1"},
		{"prefect.toml beats pyproject.toml", without("work/.env"), nil, "3.0", sources.PrefectTOML, "prefect.toml:2:1"},
		{"pyproject.toml beats the profile", without("work/.env", "work/prefect.toml"), nil, "2.0", sources.PyprojectTOML, "pyproject.toml:2:1"},
		{"the profile beats the default", without("work/.env", "work/prefect.toml", "work/pyproject.toml"), nil, "1.0", sources.Profile, "profiles.toml:3:1"},
		{"env legacy alias beats .env canonical", all, []string{"PREFECT_API_DATABASE_TIMEOUT=42"}, "42.0", sources.Env, "env PREFECT_API_DATABASE_TIMEOUT"},
		{"canonical beats legacy within env", nil, []string{"PREFECT_API_DATABASE_TIMEOUT=42", "PREFECT_SERVER_DATABASE_TIMEOUT=99"}, "99.0", sources.Env, "env PREFECT_SERVER_DATABASE_TIMEOUT"},
		{"env names in any case", nil, []string{"prefect_server_database_timeout=7"}, "7.0", sources.Env, "env prefect_server_database_timeout"},
		{"group JSON beats the variable", nil, []string{"PREFECT_SERVER_DATABASE_TIMEOUT=7", `PREFECT_SERVER_DATABASE={"timeout": 8}`}, "8.0", sources.GroupJSON, "env PREFECT_SERVER_DATABASE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustLoad(t, project(t, tt.files, tt.env...))
			if got := value(t, r, "server.database.timeout"); got != tt.want {
				t.Errorf("value %s; want %s", got, tt.want)
			}
			o, _ := r.Origin("server.database.timeout")
			if o.Layer != tt.layer {
				t.Errorf("layer %v; want %v", o.Layer, tt.layer)
			}
			if pos := o.Source().Pos.String(); !strings.HasSuffix(pos, tt.pos) {
				t.Errorf("position %s; want …%s", pos, tt.pos)
			}
		})
	}
}

func TestOriginRecordsShadowedCandidates(t *testing.T) {
	r := mustLoad(t, project(t, map[string]string{
		"work/.env":         "PREFECT_API_URL=http://dotenv/api\n",
		"work/prefect.toml": "[api]\nurl = \"http://toml/api\"\n",
	}, "PREFECT_API_URL=http://env/api"))
	o, _ := r.Origin("PREFECT_API_URL")
	var got []string
	for _, c := range o.Shadowed() {
		got = append(got, fmt.Sprintf("%v %v", c.Layer, c.Raw))
	}
	if want := ".env http://dotenv/api|prefect.toml http://toml/api"; strings.Join(got, "|") != want {
		t.Errorf("shadowed %q; want %q", strings.Join(got, "|"), want)
	}
	ui, _ := r.Origin("server.ui.api_url")
	if ui.Layer != sources.Default || ui.Derivation != "from api.url" || strings.Join(ui.From, ",") != "api.url" {
		t.Errorf("server.ui.api_url origin %v %q from %q; want derived from api.url", ui.Layer, ui.Derivation, ui.From)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		env   []string
		want  []string // the whole error lines, with the root removed
	}{{
		name: "every invalid setting at once, with positions",
		files: map[string]string{
			"work/prefect.toml": "[server.api]\nport = \"http\"\n",
			"work/.env":         "\nPREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION=3600\n",
		},
		env: []string{"PREFECT_LOGGING_LEVEL=verbose"},
		want: []string{
			"env PREFECT_LOGGING_LEVEL: error: logging.level: Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'",
			"work/.env:2:1: error: server.api.csrf_token_expiration: Input should be a valid timedelta, expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]",
			"work/prefect.toml:2:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer",
		},
	}, {
		name:  "a union names each member",
		files: map[string]string{"work/prefect.toml": "[flows]\ndefault_retry_delay_seconds = \"1,2\"\n"},
		want: []string{
			"work/prefect.toml:2:1: error: flows.default_retry_delay_seconds.float: Input should be a valid integer, a valid number or a list of numbers",
			"work/prefect.toml:2:1: error: flows.default_retry_delay_seconds.int: Input should be a valid integer, a valid number or a list of numbers",
			"work/prefect.toml:2:1: error: flows.default_retry_delay_seconds.list[float]: Input should be a valid integer, a valid number or a list of numbers",
		},
	}, {
		name: "an integer beyond 64 bits, which Python would hold",
		env:  []string{"PREFECT_SERVER_API_DEFAULT_LIMIT=99999999999999999999999"},
		want: []string{
			"env PREFECT_SERVER_API_DEFAULT_LIMIT: error: server.api.default_limit: Input should be an integer that fits in 64 bits",
		},
	}, {
		name: "an invalid value while a group JSON variable holds its group",
		env:  []string{`PREFECT_SERVER={"log_retryable_errors": "off"}`},
		files: map[string]string{
			"home/.prefect/profiles.toml": "active = \"p\"\n[profiles.p]\nPREFECT_SERVER_API_PORT = \"x\"\nPREFECT_SERVER_EVENTS_RELATED_RESOURCE_CACHE_TTL = \"x\"\n",
		},
		want: []string{
			"home/.prefect/profiles.toml:3:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer (Prefect names it server.port, as PREFECT_SERVER holds its group)",
			"home/.prefect/profiles.toml:4:1: error: server.events.related_resource_cache_ttl: Input should be a valid timedelta, expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS] (Prefect names it server.prefect_api_events_related_resource_cache_ttl, as PREFECT_SERVER holds its group)",
		},
	}, {
		name: "constraints",
		env:  []string{"PREFECT_FLOWS_HEARTBEAT_FREQUENCY=10", "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD=60"},
		want: []string{
			"env PREFECT_FLOWS_HEARTBEAT_FREQUENCY: error: flows.heartbeat_frequency: Input should be greater than or equal to 30",
			"env PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD: error: server.services.db_vacuum.retention_period: Input should be greater than 1:00:00",
		},
	}, {
		name:  "a scalar where a group belongs",
		files: map[string]string{"work/prefect.toml": "api = \"x\"\n"},
		want:  []string{`work/prefect.toml:1:1: error: api: "api" is a group of settings and takes a table, not a value`},
	}, {
		name: "a log size larger than the batch",
		env:  []string{"PREFECT_LOGGING_TO_API_BATCH_SIZE=10", "PREFECT_LOGGING_TO_API_MAX_LOG_SIZE=20"},
		want: []string{"env PREFECT_LOGGING_TO_API_MAX_LOG_SIZE: error: logging.to_api.max_log_size: (model logging.to_api) PREFECT_LOGGING_TO_API_MAX_LOG_SIZE cannot be larger than PREFECT_LOGGING_TO_API_BATCH_SIZE"},
	}, {
		name: "a database password placeholder without a password",
		env:  []string{"PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://u:${PREFECT_SERVER_DATABASE_PASSWORD}@db/p"},
		want: []string{"env PREFECT_SERVER_DATABASE_CONNECTION_URL: error: server.database.connection_url: database password is None - please set PREFECT_SERVER_DATABASE_PASSWORD"},
	}, {
		name: "TOML 1.1 syntax refuses the whole file, as Prefect's TOML 1.0 parser does",
		files: map[string]string{
			"work/prefect.toml":   "[server.api]\nport = \"http\"\n[client]\ncustom_headers = { \"X-A\" = \"a\",\n  \"X-B\" = \"b\" }\n",
			"work/pyproject.toml": "[tool.black]\nx = { a = 1, }\n[tool.prefect.api]\nurl = \"http://x/api\"\n",
		},
		want: []string{
			"work/prefect.toml:4:32: error: invalid TOML: a line break inside an inline table is TOML 1.1; Prefect's TOML 1.0 parser rejects the file",
			"work/pyproject.toml:2:14: error: invalid TOML: a trailing comma in an inline table is TOML 1.1; Prefect's TOML 1.0 parser rejects the file",
		},
	}, {
		name: "custom headers that are not JSON",
		env:  []string{"PREFECT_CLIENT_CUSTOM_HEADERS=X-A: 1"},
		want: []string{"env PREFECT_CLIENT_CUSTOM_HEADERS: error: client.custom_headers: Input should be a JSON object: invalid character 'X' looking for beginning of value at offset 1"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := project(t, tt.files, tt.env...)
			_, err := settings.Load(opts)
			var list settings.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v; want an ErrorList", err)
			}
			root := filepath.Dir(opts.Dir) + "/"
			var got []string
			for _, e := range list {
				got = append(got, strings.ReplaceAll(e.Error(), root, ""))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestSecretsNeverInErrorsOrWarnings(t *testing.T) {
	const secret = "hunter2-very-secret"
	opts := project(t, map[string]string{
		"work/prefect.toml": "[server.database]\nconnection_url = 5\npassword = \"" + secret + "\"\n",
	}, "PREFECT_API_KEY="+secret, "PREFECT_API_AUTH_STRING="+secret)
	r, err := settings.Load(opts)
	if err == nil {
		t.Fatal("want an error for a number as the connection URL")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error shows the secret: %v", err)
	}
	for _, w := range r.Warnings {
		if strings.Contains(w.String(), secret) {
			t.Errorf("warning shows the secret: %v", w)
		}
	}
	s := fmt.Sprintf("%v %+v %s %q %#v", r.Settings.API.Key, r.Settings.API, *r.Settings.API.Key, *r.Settings.API.Key, r.Settings.API.AuthString)
	if strings.Contains(s, secret) {
		t.Errorf("fmt shows the secret: %s", s)
	}
	out, _ := r.JSON(false)
	if strings.Contains(string(out), secret) {
		t.Error("JSON(false) shows the secret")
	}
}

func TestCredentials(t *testing.T) {
	tests := []struct {
		env         []string
		auth        string
		bothWarning bool
	}{
		{nil, "", false},
		{[]string{"PREFECT_API_KEY=pnu_k"}, "Bearer pnu_k", false},
		{[]string{"PREFECT_API_AUTH_STRING=admin:pass"}, "Basic YWRtaW46cGFzcw==", false},
		{[]string{"PREFECT_API_KEY=pnu_k", "PREFECT_API_AUTH_STRING=admin:pass"}, "Bearer pnu_k", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.env, ","), func(t *testing.T) {
			r := mustLoad(t, project(t, nil, tt.env...))
			if got := r.Credentials().Authorization(); got != tt.auth {
				t.Errorf("Authorization %q; want %q", got, tt.auth)
			}
			warned := false
			for _, w := range r.Warnings {
				warned = warned || w.Setting == "api.key"
			}
			if warned != tt.bothWarning {
				t.Errorf("warning when both are set: %v; want %v", warned, tt.bothWarning)
			}
		})
	}
}

func TestClientHeadersDropProtected(t *testing.T) {
	r := mustLoad(t, project(t, nil, `PREFECT_CLIENT_CUSTOM_HEADERS={"user-agent": "x", "Prefect-Csrf-Token": "t", "X-Ok": "1"}`))
	h := r.ClientHeaders()
	if len(h) != 1 || h.Get("X-Ok") != "1" {
		t.Errorf("headers %v; want only X-Ok", h)
	}
	var dropped []string
	for _, w := range r.Warnings {
		if w.Setting == "client.custom_headers" {
			dropped = append(dropped, w.Msg[:strings.Index(w.Msg, " is ignored")])
		}
	}
	if got := strings.Join(dropped, ","); got != `custom header "Prefect-Csrf-Token",custom header "user-agent"` {
		t.Errorf("warnings for %s", got)
	}
}

func TestDerivations(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		setting string
		want    string
	}{
		{"ui_url from a Cloud API URL", []string{"PREFECT_API_URL=https://api.prefect.cloud/api/accounts/A/workspaces/W"}, "ui_url", "https://app.prefect.cloud/account/A/workspace/W"},
		{"ui_url from a server URL", []string{"PREFECT_API_URL=http://my-orion/api"}, "ui_url", "http://my-orion"},
		{"ui_url unset without api.url", nil, "ui_url", "None"},
		{"cloud.ui_url from a custom Cloud URL", []string{"PREFECT_CLOUD_API_URL=https://api.theoretical.prefect.bonkers/api"}, "cloud.ui_url", "https://app.theoretical.prefect.bonkers"},
		{"cloud.ui_url from a customer domain", []string{"PREFECT_CLOUD_API_URL=https://api.theoretical.prefect.customer.com/api"}, "cloud.ui_url", "https://api.theoretical.prefect.customer.com"},
		{"server.ui.api_url from api.url", []string{"PREFECT_API_URL=http://x/api"}, "server.ui.api_url", "http://x/api"},
		{"server.ui.api_url from host and port, base path ignored", []string{"PREFECT_SERVER_API_HOST=0.0.0.0", "PREFECT_SERVER_API_PORT=4300", "PREFECT_SERVER_API_BASE_PATH=/v2"}, "server.ui.api_url", "http://0.0.0.0:4300/api"},
		{"debug mode forces DEBUG", []string{"PREFECT_DEBUG_MODE=true", "PREFECT_LOGGING_LEVEL=ERROR"}, "logging.level", "DEBUG"},
		{"test mode forces DEBUG", []string{"PREFECT_TESTING_TEST_MODE=1"}, "internal.logging_level", "DEBUG"},
		{"sqlite URL under PREFECT_HOME", []string{"PREFECT_HOME=/data/prefect"}, "server.database.connection_url", "sqlite+aiosqlite:////data/prefect/prefect.db"},
		{"database name ignored without a driver", []string{"PREFECT_HOME=/h", "PREFECT_SERVER_DATABASE_NAME=x.db"}, "server.database.connection_url", "sqlite+aiosqlite:////h/prefect.db"},
		{"postgres URL from parts", []string{"PREFECT_SERVER_DATABASE_DRIVER=postgresql+asyncpg", "PREFECT_SERVER_DATABASE_HOST=db", "PREFECT_SERVER_DATABASE_USER=pre fect", "PREFECT_SERVER_DATABASE_PASSWORD=p@ss/w", "PREFECT_SERVER_DATABASE_NAME=prefect"}, "server.database.connection_url", "postgresql+asyncpg://pre fect:p%40ss%2Fw@db:5432/prefect"},
		{"password placeholder substituted", []string{"PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://u:${PREFECT_API_DATABASE_PASSWORD}@db/p", "PREFECT_SERVER_DATABASE_PASSWORD=s3"}, "server.database.connection_url", "postgresql+asyncpg://u:s3@db/p"},
		{"log size capped for Cloud", []string{"PREFECT_API_URL=https://api.prefect.cloud/api/accounts/A/workspaces/W"}, "logging.to_api.max_log_size", "25000"},
		{"home expands ~", []string{"PREFECT_HOME=~/p"}, "home", "$HOME/p"},
		{"profiles_path substitutes $PREFECT_HOME", []string{"PREFECT_HOME=/h", "PREFECT_PROFILES_PATH=$PREFECT_HOME/x.toml"}, "profiles_path", "/h/x.toml"},
		{"paths ignore PREFECT_HOME", []string{"PREFECT_HOME=/h"}, "results.local_storage_path", "$HOME/.prefect/storage"},
		{"empty path is .", []string{"PREFECT_LOGGING_CONFIG_PATH="}, "logging.config_path", "."},
		{"comma sets", []string{"PREFECT_CLIENT_RETRY_EXTRA_CODES=503, 429,429"}, "client.retry_extra_codes", "{429, 503}"},
		{"zero means no extra codes", []string{"PREFECT_CLIENT_RETRY_EXTRA_CODES=0"}, "client.retry_extra_codes", "set()"},
		{"task retry delays as a comma list", []string{"PREFECT_TASKS_DEFAULT_RETRY_DELAY_SECONDS=1,2,3"}, "tasks.default_retry_delay_seconds", "[1.0, 2.0, 3.0]"},
		{"vacuum types", []string{"PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED=flow_runs, events"}, "server.services.db_vacuum.enabled", "{'events', 'flow_runs'}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := project(t, nil, tt.env...)
			r := mustLoad(t, opts)
			want := strings.ReplaceAll(tt.want, "$HOME", opts.Home)
			if got := value(t, r, tt.setting); got != want {
				t.Errorf("%s = %s; want %s", tt.setting, got, want)
			}
		})
	}
}

// TestHomeOfNamedUser pins ~name in PREFECT_HOME: the named user's home
// directory from this machine's password database, as Python's expanduser
// finds it, and the paths under home follow it.
func TestHomeOfNamedUser(t *testing.T) {
	u, err := user.Current()
	if err != nil || u.Username == "" || u.HomeDir == "" {
		t.Skip("no current user with a home directory")
	}
	home := pypath.Clean(u.HomeDir + "/p")
	r := mustLoad(t, project(t, nil, "PREFECT_HOME=~"+u.Username+"/p"))
	if got := value(t, r, "home"); got != home {
		t.Errorf("home = %s; want %s", got, home)
	}
	if got, want := value(t, r, "profiles_path"), home+"/profiles.toml"; got != want {
		t.Errorf("profiles_path = %s; want %s", got, want)
	}
	r = mustLoad(t, project(t, nil, "PREFECT_HOME=~no-such-user-of-this-machine/p"))
	if got, want := value(t, r, "home"), "~no-such-user-of-this-machine/p"; got != want {
		t.Errorf("home of an unknown user = %s; want %s, as written", got, want)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		env   []string
		want  string
	}{
		{"a mistyped Cloud URL", nil, []string{"PREFECT_API_URL=https://app.prefect.cloud/account/A/workspace/W"}, "PREFECT_API_URL points to app.prefect.cloud"},
		{"an unused database password", nil, []string{"PREFECT_SERVER_DATABASE_CONNECTION_URL=sqlite:///x", "PREFECT_SERVER_DATABASE_PASSWORD=pw"}, "PREFECT_SERVER_DATABASE_PASSWORD is set but not included"},
		{"a deprecated plugins variable", nil, []string{"PREFECT_EXPERIMENTS_PLUGINS_STRICT=true"}, "PREFECT_EXPERIMENTS_PLUGINS_STRICT -> PREFECT_PLUGINS_STRICT"},
		{"an invalid profiles file", map[string]string{"home/.prefect/profiles.toml": "[profiles.a\n"}, nil, "profiles.toml: the file is not valid TOML, so no profile applies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustLoad(t, project(t, tt.files, tt.env...))
			var all []string
			for _, w := range r.Warnings {
				all = append(all, w.String())
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.want) {
				t.Errorf("warnings:\n%s\nwant one containing %q", strings.Join(all, "\n"), tt.want)
			}
		})
	}
}

func TestProfiles(t *testing.T) {
	file := "active = \"a\"\n[profiles.a]\nPREFECT_API_URL = \"http://a/api\"\n[profiles.b]\nPREFECT_API_URL = \"http://b/api\"\napi_url = \"lower\"\n"
	tests := []struct {
		name    string
		files   map[string]string
		env     []string
		profile string // Options.Profile
		want    string // active profile
		url     string
	}{
		{"the active key", map[string]string{"home/.prefect/profiles.toml": file}, nil, "", "a", "http://a/api"},
		{"PREFECT_PROFILE beats active", map[string]string{"home/.prefect/profiles.toml": file}, []string{"PREFECT_PROFILE=b"}, "", "b", "http://b/api"},
		{"Options.Profile beats PREFECT_PROFILE", map[string]string{"home/.prefect/profiles.toml": file}, []string{"PREFECT_PROFILE=a"}, "b", "b", "http://b/api"},
		{"an unknown profile falls back to the packaged ephemeral", map[string]string{"home/.prefect/profiles.toml": file}, []string{"PREFECT_PROFILE=nope"}, "", "ephemeral", "None"},
		{"no file at all", nil, nil, "", "ephemeral", "None"},
		{"PREFECT_HOME moves the file", map[string]string{"ph/profiles.toml": file}, []string{"PREFECT_HOME=$ROOT/ph"}, "", "a", "http://a/api"},
		{"PREFECT_PROFILES_PATH names the file", map[string]string{"etc/p.toml": file}, []string{"PREFECT_PROFILES_PATH=$ROOT/etc/p.toml"}, "", "a", "http://a/api"},
		{".env's PREFECT_PROFILES_PATH names the file", map[string]string{"etc/p.toml": file, "work/.env": "PREFECT_PROFILES_PATH=../etc/p.toml\n"}, nil, "", "a", "http://a/api"},
		{"PREFECT_HOME in .env does not move the file", map[string]string{"ph/profiles.toml": file, "work/.env": "PREFECT_HOME=$ROOT/ph\n"}, nil, "", "ephemeral", "None"},
		{"test mode turns profiles off", map[string]string{"home/.prefect/profiles.toml": file}, []string{"PREFECT_TEST_MODE=0"}, "", "", "None"},
		{"the packaged local profile when there is no file", nil, []string{"PREFECT_PROFILE=local"}, "", "local", "http://127.0.0.1:4200/api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := project(t, nil, tt.env...)
			root := filepath.Dir(opts.Dir)
			for name, data := range tt.files {
				p := filepath.Join(root, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(strings.ReplaceAll(data, "$ROOT", root)), 0o644)
			}
			opts.Profile = tt.profile
			r := mustLoad(t, opts)
			if r.Profile != tt.want {
				t.Errorf("profile %q; want %q", r.Profile, tt.want)
			}
			if got := value(t, r, "api.url"); got != tt.url {
				t.Errorf("api.url %s; want %s", got, tt.url)
			}
		})
	}
}

// TestLoadConcurrently resolves settings for several environments at once;
// run with -race.
func TestLoadConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		opts := project(t, map[string]string{"work/prefect.toml": fmt.Sprintf("[server.api]\nport = %d\n", 5000+i)})
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := settings.Load(opts)
			if err != nil {
				t.Error(err)
				return
			}
			if r.Settings.Server.API.Port != int64(5000+i) {
				t.Errorf("port %d; want %d", r.Settings.Server.API.Port, 5000+i)
			}
		}()
	}
	wg.Wait()
}

// TestWherePrefectCrashes pins what Strata does with input on which Prefect
// itself crashes with an internal error: accept an unambiguous value, or
// fail naming the setting and where it was written.
func TestWherePrefectCrashes(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		env   []string
		check string // setting=value when accepted
		err   string // the error, when refused
	}{
		{"a profile inline table for custom headers", map[string]string{
			"home/.prefect/profiles.toml": "active = \"p\"\n[profiles.p]\nPREFECT_CLIENT_CUSTOM_HEADERS = { \"X-A\" = \"a\" }\n"},
			nil, "client.custom_headers={'X-A': 'a'}", ""},
		{"a numeric log level", map[string]string{"work/prefect.toml": "[logging]\nlevel = 10\n"}, nil, "logging.level=DEBUG", ""},
		{"a log level number that is no level", map[string]string{"work/prefect.toml": "[logging]\nlevel = 15\n"}, nil, "",
			"work/prefect.toml:2:1: error: logging.level: Input should be a valid string, got integer"},
		{"a string that is not JSON for a dict setting", map[string]string{"work/prefect.toml": "[server.services.db_vacuum]\nevent_retention_overrides = \"x\"\n"}, nil, "",
			"work/prefect.toml:2:1: error: server.services.db_vacuum.event_retention_overrides: Input should be a JSON object: invalid character 'x' looking for beginning of value at offset 1"},
		{"a scalar where a nested group belongs", map[string]string{"work/prefect.toml": "[server]\napi = 1\n"}, nil, "",
			`work/prefect.toml:2:1: error: server.api: "server.api" is a group of settings and takes a table, not a value`},
		{"a group variable that is not JSON", nil, []string{"PREFECT_SERVER_API=port=1"}, "",
			`env PREFECT_SERVER_API: error: server.api: PREFECT_SERVER_API holds the group "server.api" and must be a JSON object: invalid character 'p' looking for beginning of value at offset 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := project(t, tt.files, tt.env...)
			r, err := settings.Load(opts)
			if tt.err != "" {
				got := ""
				if err != nil {
					got = strings.ReplaceAll(err.Error(), filepath.Dir(opts.Dir)+"/", "")
				}
				if got != tt.err {
					t.Fatalf("error %q; want %q", got, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			name, want, _ := strings.Cut(tt.check, "=")
			if got := value(t, r, name); got != want {
				t.Errorf("%s = %s; want %s", name, got, want)
			}
		})
	}
}

// TestUnreadableProfilesFile: a profiles file that exists but cannot be
// read is an error naming it, never a warning that it is not valid TOML.
func TestUnreadableProfilesFile(t *testing.T) {
	opts := project(t, map[string]string{"work/prefect.toml": "[api]\nurl = \"http://x/api\"\n"})
	dir := filepath.Join(opts.Dir, "profiles.toml")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	opts.Environ = append(opts.Environ, "PREFECT_PROFILES_PATH="+dir)
	r, err := settings.Load(opts)
	var list settings.ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("err = %v, want one error", err)
	}
	if got, want := list[0].Error(), dir+": error: cannot be read: is a directory"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
	var re *sources.ReadError
	if !errors.As(list[0], &re) {
		t.Errorf("error %T does not wrap a *sources.ReadError", list[0].Err)
	}
	for _, w := range r.Warnings {
		if strings.Contains(w.Msg, "TOML") {
			t.Errorf("warning: %s", w.Msg)
		}
	}
}

// TestDerivedFrom checks that each derivation names the settings it
// derived a value from.
func TestDerivedFrom(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		setting string
		from    string
	}{
		{"the UI's API URL from host and port", nil, "server.ui.api_url", "server.api.host,server.api.port"},
		{"the UI URL from the API URL", []string{"PREFECT_API_URL=http://x/api"}, "ui_url", "api.url"},
		{"Cloud's UI URL", nil, "cloud.ui_url", "cloud.api_url"},
		{"the profiles file under home", nil, "profiles_path", "home"},
		{"debug mode forces the level", []string{"PREFECT_DEBUG_MODE=true"}, "logging.level", "debug_mode"},
		{"a database URL from its parts", []string{"PREFECT_SERVER_DATABASE_DRIVER=postgresql+asyncpg", "PREFECT_SERVER_DATABASE_HOST=db",
			"PREFECT_SERVER_DATABASE_USER=u", "PREFECT_SERVER_DATABASE_NAME=n"}, "server.database.connection_url",
			"server.database.driver,server.database.host,server.database.user,server.database.name"},
		{"the SQLite file under home", nil, "server.database.connection_url", "home"},
		{"a password substituted", []string{"PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://u:${PREFECT_SERVER_DATABASE_PASSWORD}@db/n",
			"PREFECT_SERVER_DATABASE_PASSWORD=p"}, "server.database.connection_url", "server.database.password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustLoad(t, project(t, nil, tt.env...))
			o, _ := r.Origin(tt.setting)
			if got := strings.Join(o.From, ","); got != tt.from {
				t.Errorf("%s derived from %q (derivation %q); want %q", tt.setting, got, o.Derivation, tt.from)
			}
		})
	}
}
