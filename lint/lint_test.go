package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/sources"
)

// write creates the files, keyed by slash-separated path, under dir.
func write(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func lines(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestRun(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		environ []string
		env     bool
		profile string
		want    string
	}{{
		name:  "correct settings raise nothing",
		files: map[string]string{"prefect.toml": "[server.api]\nport = 4200\ncsrf_token_expiration = 3600\ncors_allowed_origins = \"a,b\"\n[client.custom_headers]\nX-A = \"a\"\n"},
		want:  "",
	}, {
		name:  "unknown key with did you mean",
		files: map[string]string{"prefect.toml": "[server.api]\nprot = 1\n"},
		want:  "prefect.toml:2:1: warning: unknown setting \"server.api.prot\"; did you mean \"server.api.port\"? [unknown-setting]\n",
	}, {
		name:  "invalid value with the engine's reason",
		files: map[string]string{"prefect.toml": "[logging]\nlevel = \"loud\"\n"},
		want:  "prefect.toml:2:1: error: logging.level: Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL' [invalid-value]\n",
	}, {
		name:  "a scalar where a group belongs",
		files: map[string]string{"prefect.toml": "api = \"x\"\n"},
		want:  "prefect.toml:1:1: error: api: \"api\" is a group of settings and takes a table, not a value [invalid-value]\n",
	}, {
		name:  "upper-case TOML table",
		files: map[string]string{"prefect.toml": "[API]\nurl = \"x\"\n"},
		want:  "prefect.toml:1:2: warning: Prefect matches table names exactly: it does not read [API]; write [api] [ignored-key]\n",
	}, {
		name:  "env-style name in pyproject",
		files: map[string]string{"pyproject.toml": "[tool.prefect]\nPREFECT_API_URL = \"x\"\n"},
		want:  "pyproject.toml:2:1: warning: tool.prefect.PREFECT_API_URL is an environment variable name, which TOML files do not read; write tool.prefect.api.url [ignored-key]\n",
	}, {
		name:  "ui api_url as a dotted key",
		files: map[string]string{"prefect.toml": "ui.api_url = \"x\"\n"},
		want:  "prefect.toml:1:1: warning: ui.api_url does nothing: Prefect has no [ui] table; the setting is server.ui.api_url [ui-table]\n",
	}, {
		name:  "bare number duration in .env",
		files: map[string]string{".env": "PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION=3600\n"},
		want:  ".env:1:1: error: server.api.csrf_token_expiration: Prefect rejects a number in a string as a duration; write PT3600S [bare-number-duration]\n",
	}, {
		name:  "seconds durations take bare numbers",
		files: map[string]string{".env": "PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS=30\n"},
		want:  "",
	}, {
		name:  "a profiles path in .env that does not move the profiles file",
		files: map[string]string{".env": "prefect_profiles_path=p.toml\n"},
		want:  ".env:1:1: warning: prefect_profiles_path sets profiles_path, but Prefect looks for the profiles file only under the upper-case name; write PREFECT_PROFILES_PATH [ignored-key]\n",
	}, {
		name:  "legacy alias in .env",
		files: map[string]string{".env": "PREFECT_API_DATABASE_TIMEOUT=10\n"},
		want:  ".env:1:1: warning: PREFECT_API_DATABASE_TIMEOUT is the legacy name of server.database.timeout; use \"PREFECT_SERVER_DATABASE_TIMEOUT\" [legacy-alias]\n",
	}, {
		name:  "database URL with a placeholder is no secret",
		files: map[string]string{".env": "PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://u:${PREFECT_SERVER_DATABASE_PASSWORD}@h/db\n"},
		want:  ".env:1:63: info: ${PREFECT_SERVER_DATABASE_PASSWORD} is set neither earlier in this file nor in lint's environment: unless it is set where Prefect runs, python-dotenv expands it to an empty string and Prefect gets server.database.connection_url with an empty string in its place (a secret: its value is not shown) [undefined-variable]\n",
	}, {
		name:  "database URL with a password is a secret",
		files: map[string]string{"prefect.toml": "[server.database]\nconnection_url = \"postgresql+asyncpg://u:pw@h/db\"\n"},
		want:  "prefect.toml:2:1: warning: server.database.connection_url holds a password in its URL; prefect.toml is committed with the project: set PREFECT_SERVER_DATABASE_CONNECTION_URL in the environment or in a .env file git ignores [secret-in-committed-file]\n",
	}, {
		name:    "key in .env, auth string in the environment",
		files:   map[string]string{".env": "PREFECT_API_KEY=k\n"},
		environ: []string{"PREFECT_API_AUTH_STRING=a:b"},
		env:     true,
		want:    ".env:1:1: warning: both api.key and api.auth_string are set (the auth string at env PREFECT_API_AUTH_STRING): Strata sends the key as a Bearer token, Prefect's Python client sends the auth string, and a server that expects the auth string answers 401 [key-and-auth-string]\n",
	}, {
		name:    "an empty auth string is no credential",
		environ: []string{"PREFECT_API_AUTH_STRING=", "PREFECT_API_KEY=k"},
		env:     true,
		want:    "",
	}, {
		name:    "the environment's own names",
		environ: []string{"PREFECT_PROFILE=ephemeral", "PREFECT__FLOW_RUN_ID=x", "PATH=/bin", "PREFECT_LOGGING_LEVLE=INFO"},
		env:     true,
		want:    "env PREFECT_LOGGING_LEVLE: warning: unknown setting \"PREFECT_LOGGING_LEVLE\"; did you mean \"PREFECT_LOGGING_LEVEL\"? [unknown-setting]\n",
	}, {
		name:  "profile inline table and lower-case key",
		files: map[string]string{"home/.prefect/profiles.toml": "active = \"a\"\n[profiles.a]\nPREFECT_CLIENT_CUSTOM_HEADERS = { X-A = \"secret-ish\" }\nprefect_api_url = \"x\"\n"},
		want: "home/.prefect/profiles.toml:3:1: error: PREFECT_CLIENT_CUSTOM_HEADERS in a profile must be a JSON string; Prefect crashes on a table [profile-inline-table]\n" +
			"home/.prefect/profiles.toml:4:1: warning: profile keys are upper-case: Prefect does not read prefect_api_url; write PREFECT_API_URL [ignored-key]\n",
	}, {
		name:    "--profile naming no profile",
		files:   map[string]string{"home/.prefect/profiles.toml": "active = \"dev\"\n[profiles.dev]\n"},
		profile: "deb",
		want:    "flag --profile: error: profile \"deb\" (from --profile) does not exist in home/.prefect/profiles.toml: prefect --profile fails with \"Unknown profile\"; did you mean \"dev\"? [missing-profile]\n",
	}, {
		name:    "without a profiles file the packaged profiles apply",
		environ: []string{"PREFECT_PROFILE=local"},
		want:    "",
	}, {
		name:    "PREFECT_HOME from the environment moves the profiles file",
		files:   map[string]string{"h/profiles.toml": "[profiles.x]\nPREFECT_API_URLL = \"x\"\n"},
		environ: []string{"PREFECT_HOME=h"},
		want:    "h/profiles.toml:2:1: warning: unknown setting \"PREFECT_API_URLL\"; did you mean \"PREFECT_API_URL\"? [unknown-setting]\n",
	}, {
		name:  "paths set beside PREFECT_HOME",
		files: map[string]string{"prefect.toml": "home = \"/h\"\nlogging.config_path = \"/h/l.yml\"\nresults.local_storage_path = \"/h/s\"\n"},
		want: "prefect.toml:1:1: info: PREFECT_HOME does not move server.memo_store_path: it stays under ~/.prefect unless set [home-not-moving-paths]\n" +
			"prefect.toml:1:1: warning: PREFECT_HOME set in prefect.toml moves home but not the profiles file: Prefect looks for profiles.toml under PREFECT_HOME only when it comes from the environment [home-outside-env]\n",
	}, {
		name:  "a database URL of a driver that is not async, named without the URL",
		files: map[string]string{"prefect.toml": "[server.database]\nconnection_url = \"postgres://prefect:Pw0rd@db/prefect\"\n"},
		want: "prefect.toml:2:1: warning: server.database.connection_url names the driver postgres://, which is not async: Prefect's server opens its database with an async engine and does not start with it; use postgresql+asyncpg:// [database-sync-driver]\n" +
			"prefect.toml:2:1: warning: server.database.connection_url holds a password in its URL; prefect.toml is committed with the project: set PREFECT_SERVER_DATABASE_CONNECTION_URL in the environment or in a .env file git ignores [secret-in-committed-file]\n",
	}, {
		name:  "a SQLite URL of the sync driver",
		files: map[string]string{".env": "PREFECT_API_DATABASE_CONNECTION_URL=SQLite:////data/prefect.db\n"},
		want: ".env:1:1: warning: server.database.connection_url names the driver SQLite://, which is not async: Prefect's server opens its database with an async engine and does not start with it; use sqlite+aiosqlite:// [database-sync-driver]\n" +
			".env:1:1: warning: PREFECT_API_DATABASE_CONNECTION_URL is the legacy name of server.database.connection_url; use \"PREFECT_SERVER_DATABASE_CONNECTION_URL\" [legacy-alias]\n",
	}, {
		name: "database URLs of async drivers",
		files: map[string]string{
			".env":           "PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://prefect@db:5432/prefect\n",
			"a/.env":         "PREFECT_SERVER_DATABASE_CONNECTION_URL=sqlite+aiosqlite:///file::memory:?cache=shared&uri=true\n",
			"b/prefect.toml": "[server.database]\nconnection_url = \"postgresql+psycopg://prefect@db/prefect\"\n",
		},
		want: "",
	}, {
		name:  "invalid TOML",
		files: map[string]string{"prefect.toml": "[api\nurl = 1\n"},
		want:  "prefect.toml:1:5: error: prefect.toml could not be read: expected ']' to close table name [syntax]\n",
	}, {
		name:  "TOML 1.1 time",
		files: map[string]string{"prefect.toml": "[x]\nt = 10:30\n"},
		want: "prefect.toml:1:2: warning: unknown setting \"x\" [unknown-setting]\n" +
			"prefect.toml:2:5: error: a time without seconds is TOML 1.1; Prefect's TOML 1.0 parser rejects the file [toml-1.0]\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files)
			fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home"), Environ: tt.environ, Env: tt.env, Profile: tt.profile})
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestRunOptions(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"a/prefect.toml": "[server.api]\nport = \"x\"\nprot = 1\n"})
	tests := []struct {
		opts Options
		want string
		err  string
	}{
		{Options{Paths: []string{"a"}}, "a/prefect.toml:2:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]\n" +
			"a/prefect.toml:3:1: warning: unknown setting \"server.api.prot\"; did you mean \"server.api.port\"? [unknown-setting]\n", ""},
		{Options{Paths: []string{"a/prefect.toml"}, Disabled: []string{"invalid-value, unknown-setting"}}, "", ""},
		{Options{Disabled: []string{"no-such-rule"}}, "", `unknown rule "no-such-rule"`},
		{Options{Paths: []string{"b"}}, "", "b: no such file or directory"},
	}
	for _, tt := range tests {
		tt.opts.Dir = dir
		fs, err := Run(tt.opts)
		if fmt.Sprint(err) != tt.err && !(err == nil && tt.err == "") {
			t.Errorf("%+v: error %v; want %q", tt.opts, err, tt.err)
		}
		if got := lines(fs); got != tt.want {
			t.Errorf("%+v: got:\n%s\nwant:\n%s", tt.opts, got, tt.want)
		}
	}
}

func TestRulesAreKebabCaseAndSorted(t *testing.T) {
	rs := Rules()
	if len(rs) == 0 {
		t.Error("no rules")
	}
	for i, r := range rs {
		if r.ID != strings.ToLower(r.ID) || strings.ContainsAny(r.ID, " _") || r.Summary == "" {
			t.Errorf("rule %+v", r)
		}
		if i > 0 && rs[i-1].ID >= r.ID {
			t.Errorf("rules not sorted at %s", r.ID)
		}
	}
}

// secretFiles holds every secret setting in every place a secret can be
// written, with mistakes around them that bring findings.
var secretFiles = map[string]string{
	"prefect.toml": "[api]\nkey = \"S3CRET-toml-key\"\nauth_string = \"S3CRET-toml-auth\"\n" +
		"[server.database]\npassword = \"S3CRET-toml-pw\"\nconnection_url = \"postgresql+asyncpg://u:S3CRET-toml-url@h/db\"\n" +
		"[server.api]\nauth_string = 12345678\ncors_allowed_origins = [\"http://u:S3CRET-cors@h\", \"https://app\"]\n",
	"pyproject.toml": "[tool.prefect.api]\nkey = [\"S3CRET-py-key\"]\n",
	".env": "PREFECT_API_KEY=S3CRET-env-key\nPREFECT_API_AUTH_STRING=S3CRET-env-auth\nPREFECT_API={\"key\": \"S3CRET-group\"\n" +
		"PREFECT_CLIENT_CUSTOM_HEADERS={\"Authorization\": \"Bearer S3CRET-header\", \"User-Agent\": \"S3CRET-ua\"}\n" +
		"PREFECT_API_KEYY=S3CRET-typo\nbad line S3CRET-bad\n",
	"home/.prefect/profiles.toml": "active = \"p\"\n[profiles.p]\nPREFECT_API_KEY = \"S3CRET-profile-key\"\nPREFECT_API_AUTH_STRING = \"S3CRET-profile-auth\"\n" +
		"PREFECT_CLIENT_CUSTOM_HEADERS = { Authorization = \"S3CRET-inline\" }\nprefect_api_key = \"S3CRET-lower\"\n",
	"broken/prefect.toml": "[api]\nkey = \"S3CRET-unterminated\n",
	"stack/compose.yaml": "services:\n  server:\n    image: prefecthq/prefect:3-latest\n    command: prefect server start\n  worker:\n    image: prefecthq/prefect:3-latest\n    command: prefect worker start --pool p\n    environment:\n" +
		"      PREFECT_API_KEY: S3CRET-compose-key\n      PREFECT_API_AUTH_STRING: S3CRET-${UNSET_PART}\n      PREFECT_API_URL: http://u:S3CRET-url@127.0.0.1:4200/api\n" +
		"      PREFECT_SERVER_DATABASE_CONNECTION_URL: postgresql+asyncpg://u:S3CRET-db@db/prefect\n      PREFECT_DB_PASSWORD: S3CRET-own\n      PREFECT_API_KEYY: S3CRET-typo\n",
	"stack/k8s.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  key: S3CRET-k8s-secret\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: prefecthq/prefect:3-latest\n      env:\n" +
		"        - name: PREFECT_API_KEY\n          value: S3CRET-$(NOPE)\n        - name: PREFECT_API_AUTH_STRING\n          value: S3CRET-$HOME\n        - name: PREFECT_SERVER_API_PORT\n          valueFrom:\n            secretKeyRef: {name: s, key: key}\n",
	"stack/Dockerfile": "FROM prefecthq/prefect:3-latest\nENV PREFECT_API_KEY=S3CRET-docker PREFECT_API_AUTH_STRING=S3CRET-docker-auth\nRUN prefect config set PREFECT_API_KEY=S3CRET-config-set\n",
}

// TestNoSecretInFindings lints secrets written everywhere and checks that no
// output format shows any of them.
func TestNoSecretInFindings(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, secretFiles)
	fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home"), Env: true,
		Environ: []string{"PREFECT_SERVER_API_AUTH_STRING=S3CRET-env", "PREFECT_API_KEY=S3CRET-process", "PREFECT_SERVER_DATABASE_PASSWORD=["}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) < 10 {
		t.Fatalf("only %d findings:\n%s", len(fs), lines(fs))
	}
	for name, w := range map[string]func(*bytes.Buffer, []Finding) error{
		"text":   func(b *bytes.Buffer, fs []Finding) error { return WriteText(b, fs) },
		"json":   func(b *bytes.Buffer, fs []Finding) error { return WriteJSON(b, fs) },
		"sarif":  func(b *bytes.Buffer, fs []Finding) error { return WriteSARIF(b, fs) },
		"github": func(b *bytes.Buffer, fs []Finding) error { return WriteGitHub(b, fs) },
	} {
		var b bytes.Buffer
		if err := w(&b, fs); err != nil {
			t.Fatal(err)
		}
		if i := max(strings.Index(b.String(), "S3CRET"), strings.Index(b.String(), "12345678")); i >= 0 {
			line := b.String()[strings.LastIndexByte(b.String()[:i], '\n')+1:]
			t.Errorf("%s output shows a secret: %s", name, line[:strings.IndexByte(line, '\n')])
		}
	}
}

// TestSARIFSchema validates the SARIF output against the SARIF 2.1.0 JSON
// schema, for findings in files, in the environment and without a line.
func TestSARIFSchema(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, secretFiles)
	write(t, dir, map[string]string{"sub dir/x.env": "PREFECT_LOGGING_LEVEL=loud\n"})
	write(t, dir, deployFormatFiles)
	fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home"), Env: true, Environ: []string{"PREFECT_X=1"}, Profile: "nope"})
	if err != nil {
		t.Fatal(err)
	}
	fs = append(fs, Finding{Pos: sourcesPosition(filepath.Join(dir, "abs.toml"), 0), Severity: Info, Rule: RuleSyntax, Message: "no line"})
	var b bytes.Buffer
	if err := WriteSARIF(&b, fs); err != nil {
		t.Fatal(err)
	}
	var log any
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	validate(t, "sarif-schema-2.1.0.json", sarifSchemaURL, log)
	for _, want := range []string{`"uri": "sub%20dir/x.env"`, `"uri": "file://`} {
		var again bytes.Buffer
		WriteSARIF(&again, fs)
		if !strings.Contains(again.String(), want) {
			t.Errorf("SARIF output lacks %s", want)
		}
	}
}

func TestWriteGitHubEscapes(t *testing.T) {
	var b bytes.Buffer
	WriteGitHub(&b, []Finding{
		{Pos: sourcesPosition("a,b:c.toml", 3), Severity: Warning, Rule: RuleIgnoredKey, Message: "100% sure\nreally"},
		{Pos: envPosition("PREFECT_X"), Severity: Info, Rule: RuleUnknownSetting, Message: "m"},
	})
	want := "::warning file=a%2Cb%3Ac.toml,line=3,col=1,title=ignored-key::100%25 sure%0Areally\n" +
		"::notice title=unknown-setting::env PREFECT_X: m\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func sourcesPosition(file string, line int) sources.Position {
	if line == 0 {
		return sources.Position{File: file}
	}
	return sources.Position{File: file, Line: line, Column: 1}
}

func envPosition(name string) sources.Position { return sources.Position{Env: name} }

// TestRunFollowsLinkedFiles lints a settings file linked into the tree, and
// skips what is not a regular file.
func TestRunFollowsLinkedFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"shared/prefect.toml": "[server.api]\nport = \"x\"\n"})
	if err := os.MkdirAll(filepath.Join(dir, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "shared", "prefect.toml"), filepath.Join(dir, "app", "prefect.toml")); err != nil {
		t.Skip(err)
	}
	fs, err := Run(Options{Dir: dir, Paths: []string{"app"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "app/prefect.toml:2:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]\n"
	if got := lines(fs); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestFileNamesEscaped lints files whose names hold a newline and an
// escape sequence: the text and GitHub outputs escape them as values are
// escaped, so that a name can neither forge a finding nor reach the
// terminal, and every finding stays one line.
func TestFileNamesEscaped(t *testing.T) {
	dir := t.TempDir()
	forged := "x.env\nprefect.toml:1:1: error: forged [syntax]\n.env"
	files := map[string]string{forged: "PREFECT_LOGGING_LEVEL=loud\n", "\x1b[2J\x1b]0;owned\a.env": "PREFECT_LOGGING_LEVEL=loud\n"}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Skip("the file system refuses the name:", err)
		}
	}
	fs, err := Run(Options{Dir: dir, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("got %d findings; want 2:\n%s", len(fs), lines(fs))
	}
	for name, w := range map[string]func(*bytes.Buffer, []Finding) error{
		"text":   func(b *bytes.Buffer, fs []Finding) error { return WriteText(b, fs) },
		"github": func(b *bytes.Buffer, fs []Finding) error { return WriteGitHub(b, fs) },
	} {
		var b bytes.Buffer
		if err := w(&b, fs); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.Count(out, "\n") != 2 || strings.ContainsAny(out, "\x1b\a") || strings.Contains(out, "forged [syntax]\n") {
			t.Errorf("%s output forges a line or shows a control character:\n%q", name, out)
		}
	}
	var b bytes.Buffer
	WriteText(&b, fs)
	want := "\\x1b[2J\\x1b]0;owned\\x07.env:1:1: error: logging.level: Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL' [invalid-value]\n" +
		"x.env\\nprefect.toml:1:1: error: forged [syntax]\\n.env:1:1: error: logging.level: Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL' [invalid-value]\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	var j bytes.Buffer
	WriteJSON(&j, fs)
	if !strings.Contains(j.String(), `"file": "x.env\nprefect.toml:1:1: error: forged [syntax]\n.env"`) {
		t.Errorf("JSON does not carry the file's name as it is:\n%s", j.String())
	}
}

// TestRunsShareNoFindings: the findings a run returns are its caller's,
// untouched by the runs after it, though runs reuse what holds findings
// while they are reported.
func TestRunsShareNoFindings(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("p%d/.env", i)] = "PREFECT_API_ULR=http://x\nPREFECT_LOGGING_LEVL=INFO\n"
	}
	write(t, first, files)
	for i := range 40 {
		files[fmt.Sprintf("p%d/.env", i)] = "PREFECT_UI_API_URL=http://y\n"
	}
	write(t, second, files)
	got, err := Run(Options{Dir: first, Home: filepath.Join(first, "home")})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint(got)
	if _, err := Run(Options{Dir: second, Home: filepath.Join(second, "home")}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != want {
		t.Errorf("a run's findings changed with the next run:\n%v\nwere\n%v", got, want)
	}
}
