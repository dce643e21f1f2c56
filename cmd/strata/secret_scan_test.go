package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/schema"
)

// scanSecrets are credentials planted in every source a command reads: the
// environment, .env, prefect.toml, pyproject.toml and the profiles file;
// in secret settings, in custom header values, in URL passwords and in
// unknown keys whose names say they hold a secret.
var scanSecrets = []string{
	"pnu_envkey111", "dotpw222", "tomlpw333", "pyprojpw444", "urlpw555", "hdrtok666", "proxytok777",
	"smtppw888", "unktok999", "dbpw121", "tabletok131", "pnu_profkey141", "otherpw191", "envhdr202",
	"pnu_compose303", "composepw404", "k8ssecret505", "mountedpw606", "composehdr707", "pnu_part808",
	"pnu_docker909", "dockerpw919", "dockerhdr929",
}

// goTOMLPrefix matches go-toml's "toml: " at the start of a message.
var goTOMLPrefix = regexp.MustCompile(`(?m)(^|: )toml: `)

// scanFiles lays out a project and a home that hold scanSecrets.
var scanFiles = map[string]string{
	"work/.env": `PREFECT_API_AUTH_STRING="dotuser:dotpw222"
PREFECT_LOGGING_LEVEL=INFO
`,
	"work/prefect.toml": `[server.api]
auth_string = "tomluser:tomlpw333"

[client.custom_headers]
X-Table-Token = "tabletok131"
`,
	"work/pyproject.toml": `[tool.prefect.server.database]
password = "pyprojpw444"
`,
	// A Compose file and Kubernetes manifests holding credentials in
	// every way they can: literal, interpolated, from a Secret of the
	// files, in a mounted .env, in a header, and a key an unset variable
	// leaves half-written.
	"work/compose.yaml": `services:
  worker:
    image: prefecthq/prefect:3.6.29-python3.12
    environment:
      PREFECT_API_KEY: pnu_compose303
      PREFECT_API_URL: https://user:urlpw555@prefect.example.com/api
      PREFECT_SERVER_DATABASE_CONNECTION_URL: postgresql+asyncpg://prefect:composepw404@db/prefect
      PREFECT_CLIENT_CUSTOM_HEADERS: '{"X-Compose-Token": "composehdr707"}'
    volumes:
      - ./deploy.env:/opt/prefect/.env
  half:
    image: prefecthq/prefect:3.6.29-python3.12
    environment:
      PREFECT_API_KEY: pnu_part808${KEY_SUFFIX}
      PREFECT_SERVER_DATABASE_PASSWORD: ${DB_PASSWORD}
`,
	"work/deploy.env": "PREFECT_API_AUTH_STRING=user:mountedpw606\n",
	// A Dockerfile whose credentials are known only when the image is
	// built: shown as written, they are the references alone.
	"work/Dockerfile": `FROM prefecthq/prefect:3.6.29-python3.12
ARG KEY_SUFFIX
ENV PREFECT_API_KEY=pnu_docker909${KEY_SUFFIX} \\
    PREFECT_CLIENT_CUSTOM_HEADERS="{\"X-Docker\": \"dockerhdr929$KEY_SUFFIX\"}"
RUN prefect config set PREFECT_SERVER_DATABASE_PASSWORD=dockerpw919$(cat /run/secrets/pw)
ENV PREFECT_API_URL=https://user:urlpw555@prefect.example.com/api
`,
	"work/k8s.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: prefect
stringData:
  key: k8ssecret505
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: prefecthq/prefect:3.6.29-python3.12
          env:
            - name: PREFECT_API_KEY
              valueFrom:
                secretKeyRef:
                  name: prefect
                  key: key
            - name: PREFECT_API_AUTH_STRING
              valueFrom:
                secretKeyRef:
                  name: elsewhere
                  key: auth
            - name: PREFECT_CLIENT_CUSTOM_HEADERS
              value: '{"X-K8s": "k8ssecret505"}'
`,
	"home/.prefect/profiles.toml": `active = "prod"

[profiles.prod]
PREFECT_API_URL = "https://apiuser:urlpw555@prefect.example.com/api"
PREFECT_API_KEY = "pnu_profkey141"
PREFECT_CLIENT_CUSTOM_HEADERS = '{"Authorization": "Bearer hdrtok666", "X-Proxy-Token": "proxytok777"}'
PREFECT_SMTP_PASSWORD = "smtppw888"
PREFECT_API_TOKEN = "unktok999"
PREFECT_API_AUTH_STRNG = "prefect:otherpw191"
PREFECT_UI_API_URL = "https://apiuser:urlpw555@prefect.example.com/api"

[profiles.other]
PREFECT_SERVER_DATABASE_CONNECTION_URL = "postgresql+asyncpg://prefect:otherpw191@db/prefect"
PREFECT_API_URL = "http://user:otherpw191@127.0.0.1:1/api"
`,
}

var scanEnv = []string{
	"PREFECT_API_KEY=pnu_envkey111",
	"PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://prefect:dbpw121@db:5432/prefect",
	"PREFECT_SERVER_DATABASE_USER=prefect",
	`PREFECT_CLIENT_CUSTOM_HEADERS={"X-Env-Token": "envhdr202"}`,
}

// scanCommands are every command, in every output format, with and
// without the flags that change what is printed.
func scanCommands() [][]string {
	var names []string
	for i := range schema.All() {
		names = append(names, schema.All()[i].Path)
	}
	cmds := [][]string{
		{"config", "dump"},
		{"--profile", "other", "config", "dump"},
		{"config", "view"},
		{"config", "view", "-o", "json"},
		{"config", "view", "--show-defaults"},
		{"config", "view", "--show-defaults", "-o", "json"},
		{"config", "view", "--hide-sources"},
		{"config", "view", "--show-secrets", "--hide-secrets"},
		{"--profile", "other", "config", "view", "--show-defaults"},
		{"config", "validate"},
		{"config", "validate", "-o", "json"},
		append([]string{"config", "get"}, names...),
		append([]string{"config", "get", "-o", "json"}, names...),
		append([]string{"config", "explain"}, names...),
		append([]string{"config", "explain", "-o", "json"}, names...),
		{"profile", "ls"},
		{"profile", "ls", "-o", "json"},
		{"profile", "inspect"},
		{"profile", "inspect", "prod"},
		{"profile", "inspect", "prod", "-o", "json"},
		{"profile", "inspect", "other"},
		{"profile", "inspect", "other", "-o", "json"},
		{"profile", "create", "copy", "--from", "prod"},
		{"profile", "inspect", "copy"},
		{"profile", "rename", "copy", "copied"},
		{"profile", "delete", "--yes", "copied"},
		{"profile", "populate-defaults", "--yes"},
		{"profile", "use", "--no-check", "prod"},
		{"--profile", "other", "profile", "use", "other"},
		{"profile", "use", "--no-check", "prod"},
		{"lint"},
		{"lint", "--env"},
		{"lint", "--env", "--format", "json"},
		{"lint", "--env", "--format", "sarif"},
		{"lint", "--env", "--format", "github"},
		{"lint", "../home/.prefect/profiles.toml", ".env", "prefect.toml", "pyproject.toml"},
		{"schema"},
		{"version"},
		{"version", "-o", "json"},
		{"completion", "bash"},
		{"__complete", "profile", "inspect", ""},
		{"config", "set", `PREFECT_CLIENT_CUSTOM_HEADERS={"Authorization": "Bearer hdrtok666"}`},
		{"config", "set", "PREFECT_API_URL=https://apiuser:urlpw555@prefect.example.com/api"},
		{"config", "set", "PREFECT_API_AUTH_STRING=dotuser:dotpw222"},
		{"config", "set", "PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://prefect:dbpw121@db/prefect"},
		{"config", "unset", "--yes", "PREFECT_API_AUTH_STRING"},
	}
	// Every config command of a container, of each kind of file, in
	// every format.
	for _, container := range []string{"--compose compose.yaml --service worker", "--compose compose.yaml --service half", "--k8s k8s.yaml --workload worker", "--dockerfile Dockerfile"} {
		for _, cmd := range []string{
			"dump", "view", "view --show-defaults", "view -o json",
			"explain " + containerSecrets, "explain -o json " + containerSecrets,
			"get api.url " + containerSecrets, "get -o json api.url " + containerSecrets,
		} {
			cmds = append(cmds, strings.Fields("config "+cmd+" "+container))
		}
	}
	return cmds
}

// containerSecrets are the settings the deployment files of the scan set
// with credentials.
const containerSecrets = "api.key api.auth_string client.custom_headers server.database.connection_url server.database.password"

// TestSecretScan runs every command and format over files and an
// environment full of credentials, and looks for them in everything
// printed. Then it breaks the values (invalid JSON in the headers, a bad
// value next to the secrets) and looks again in the errors.
func TestSecretScan(t *testing.T) {
	scenarios := []struct {
		name  string
		env   []string
		files map[string]string // replacing scanFiles' files
	}{
		{"valid", scanEnv, nil},
		{"files that cannot be read", scanEnv, map[string]string{
			"work/prefect.toml": "[api]\nkey = pnu_envkey111\n[client.custom_headers]\nX-Table-Token = \"tabletok131\n",
			"work/.env":         "PREFECT_API_AUTH_STRING dotuser:dotpw222\nexport PREFECT_API_KEY='pnu_profkey141\n",
			"work/poetry.lock":  "[[package]]\nname = \"prefect\"\nversion = \"3.4.2\"\n[metadata\n",
			"home/.prefect/profiles.toml": "active = \"prod\"\n[profiles.prod]\nPREFECT_API_URL = https://apiuser:urlpw555@h/api\n" +
				"PREFECT_CLIENT_CUSTOM_HEADERS = {\"Authorization\": \"Bearer hdrtok666\"}\n",
		}},
		// Deployment files their readers refuse, whose errors must not
		// quote the credentials beside what is wrong, as compose-go's,
		// yaml's and BuildKit's own messages do.
		{"deployment files that cannot be read", scanEnv, map[string]string{
			"work/compose.yaml": "services:\n  worker:\n    image: x\n    environment:\n      PREFECT_API_KEY: pnu_compose303${\n",
			"work/k8s.yaml":     "apiVersion: v1\nkind: Secret\nmetadata: {name: prefect}\nstringData:\n  key: !!int k8ssecret505\n",
			"work/Dockerfile":   "FROM x\nENV PREFECT_API_URL=x PREFECT_API_KEY pnu_docker909\n",
		}},
		{"deployment files with values that cannot be read", scanEnv, map[string]string{
			"work/compose.yaml": "services:\n  worker:\n    image: x\n    environment:\n      PREFECT_API_KEY: !!bool pnu_compose303\n",
			"work/k8s.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: worker}\nspec:\n  containers:\n  - name: a\n    env:\n" +
				"    - {name: PREFECT_API_KEY, value: k8ssecret505}\n    - {name: PREFECT_API_AUTH_STRING, value: \"$(PREFECT_API_KEY)\", x: [\n",
			"work/Dockerfile": "FROM x\nENV PREFECT_API_KEY=\"pnu_docker909 PREFECT_API_AUTH_STRING=${dockerpw919\n",
		}},
		{"env files that cannot be read", scanEnv, map[string]string{
			"work/compose.yaml": "services:\n  worker:\n    image: x\n    env_file: worker.env\n",
			"work/worker.env":   "PREFECT_API_URL=x\nPREFECT_API_KEY=\"pnu_compose303\n",
			"work/.env":         "PREFECT_API_KEY!=composepw404\n",
		}},
		{"invalid headers", append(slices.Clone(scanEnv), `PREFECT_CLIENT_CUSTOM_HEADERS={"Authorization": "Bearer envhdr202"`), nil},
		{"headers not an object", append(slices.Clone(scanEnv), `PREFECT_CLIENT_CUSTOM_HEADERS=Bearer envhdr202`), nil},
		{"header value not a string", append(slices.Clone(scanEnv), `PREFECT_CLIENT_CUSTOM_HEADERS={"X-Env-Token": ["envhdr202"]}`), nil},
		{"invalid URL setting", append(slices.Clone(scanEnv), "PREFECT_SERVER_API_PORT=https://u:urlpw555@h"), nil},
	}
	covered := map[string]bool{}
	shown := map[string]bool{} // the diagnostics' fields that hold text, seen in some output
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			dir := scanProject(t, sc.env, sc.files)
			for _, args := range scanCommands() {
				var stdout, stderr bytes.Buffer
				run(args, &stdout, &stderr)
				covered[commandOf(args)] = true
				out := stdout.String() + stderr.String()
				for _, s := range scanSecrets {
					if strings.Contains(out, s) {
						t.Errorf("strata %s printed the secret %q:\n%s", strings.Join(args, " "), s, out)
					}
				}
				// go-toml's own prefix tells users nothing.
				if goTOMLPrefix.MatchString(out) {
					t.Errorf("strata %s printed go-toml's prefix:\n%s", strings.Join(args, " "), out)
				}
				for _, field := range []string{`"fixes"`, `"related"`, `"relatedLocations"`} {
					if strings.Contains(out, field) {
						shown[field] = true
					}
				}
			}
			// Files written by the commands keep the secrets: the scan is
			// of what is printed, not of what is stored.
			if b, _ := os.ReadFile(filepath.Join(dir, "home/.prefect/profiles.toml")); sc.files == nil && !bytes.Contains(b, []byte("hdrtok666")) {
				t.Errorf("profiles file lost its values:\n%s", b)
			}
		})
	}
	for _, cmd := range commands {
		if !covered[cmd.name] {
			t.Errorf("command %q is not in the secret scan", cmd.name)
		}
	}
	// The scan covers the fields a finding's fixes and related places
	// print in: some output holds each.
	for _, field := range []string{`"fixes"`, `"related"`, `"relatedLocations"`} {
		if !shown[field] {
			t.Errorf("no output holds %s: the scan does not cover it", field)
		}
	}

	// The scan is not vacuous: --show-secrets prints them.
	scanProject(t, scanEnv, nil)
	var stdout, stderr bytes.Buffer
	run([]string{"config", "view", "--show-secrets"}, &stdout, &stderr)
	for _, s := range []string{"pnu_envkey111", "dotpw222", "tomlpw333", "urlpw555", "hdrtok666", "tabletok131", "envhdr202"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("config view --show-secrets does not show %q:\n%s", s, stdout.String())
		}
	}
	for args, secrets := range map[string][]string{
		"config view --show-secrets --compose compose.yaml --service worker": {"pnu_compose303", "composepw404", "mountedpw606", "composehdr707"},
		"config view --show-secrets --compose compose.yaml --service half":   {"pnu_part808"},
		"config view --show-secrets --k8s k8s.yaml --workload worker":        {"k8ssecret505"},
	} {
		stdout.Reset()
		run(strings.Fields(args), &stdout, &stderr)
		for _, s := range secrets {
			if !strings.Contains(stdout.String(), s) {
				t.Errorf("strata %s does not show %q:\n%s", args, s, stdout.String())
			}
		}
	}
}

// scanProject writes scanFiles, with the files of replace instead of
// theirs, under a new directory, moves into its work directory and sets
// the environment to env alone.
func scanProject(t *testing.T, env []string, replace map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := maps.Clone(scanFiles)
	maps.Copy(files, replace)
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(filepath.Join(dir, "work"))
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(strings.ToUpper(k), "PREFECT_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	t.Setenv("HOME", filepath.Join(dir, "home"))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	return dir
}

// commandOf names the registered command args run.
func commandOf(args []string) string {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		args = args[2:]
	}
	if len(args) > 1 {
		if lookupCommand(args[0]+" "+args[1]) != nil {
			return args[0] + " " + args[1]
		}
	}
	return args[0]
}
