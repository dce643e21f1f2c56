package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/strata-settings/strata/internal/profiles"
)

// TestConcurrentSet runs 16 config set processes at once on one profiles
// file, each setting a different setting: the lock serialises them, so all
// 16 values land and the file's comment survives.
func TestConcurrentSet(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".prefect", "profiles.toml")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("# shared by the team\nactive = \"ci\"\n\n[profiles.ci]\n"), 0o600)
	names := []string{
		"PREFECT_API_URL=http://ci/api", "PREFECT_CLIENT_MAX_RETRIES=3", "PREFECT_LOGGING_LEVEL=DEBUG",
		"PREFECT_API_REQUEST_TIMEOUT=30", "PREFECT_SERVER_API_PORT=4300", "PREFECT_SERVER_API_HOST=0.0.0.0",
		"PREFECT_CLIENT_RETRY_JITTER_FACTOR=0.5", "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false", "PREFECT_DEBUG_MODE=true",
		"PREFECT_SERVER_UI_ENABLED=false", "PREFECT_API_ENABLE_HTTP2=true", "PREFECT_CLIENT_RETRY_EXTRA_CODES=502",
		"PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true", "PREFECT_TASKS_DEFAULT_RETRIES=2",
		"PREFECT_FLOWS_DEFAULT_RETRIES=1", "PREFECT_RESULTS_PERSIST_BY_DEFAULT=true",
	}
	var wg sync.WaitGroup
	for _, arg := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(strataBin, "config", "set", arg)
			cmd.Dir = home
			cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("config set %s: %v\n%s", arg, err, out)
			}
		}()
	}
	wg.Wait()
	doc, err := profiles.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, e := range doc.Entries("ci") {
		got[e.Key] = e.Value
	}
	for _, arg := range names {
		k, v, _ := strings.Cut(arg, "=")
		if got[k] != v {
			t.Errorf("%s = %v, want %q", k, got[k], v)
		}
	}
	if len(got) != len(names) {
		t.Errorf("%d keys, want %d:\n%s", len(got), len(names), doc.Bytes())
	}
	if !bytes.HasPrefix(doc.Bytes(), []byte("# shared by the team\n")) {
		t.Errorf("the comment was lost:\n%s", doc.Bytes())
	}
}

// TestNoSecretsInOutput runs every command over files holding secrets, in
// every layer, and finds none of their values in any output unless
// --show-secrets asked for it.
func TestNoSecretsInOutput(t *testing.T) {
	secrets := map[string]string{
		"env":     "pnu_env_secret_1",
		"dotenv":  "dotenv-auth:secret2",
		"toml":    "toml-db-password-3",
		"profile": "pnu_profile_secret_4",
		"pyproj":  "pyproject-auth-secret-5",
		"dburl":   "dburl-secret-6",
	}
	setup := func(t *testing.T) (string, []string) {
		root := t.TempDir()
		home := filepath.Join(root, "home")
		work := filepath.Join(root, "work")
		os.MkdirAll(filepath.Join(home, ".prefect"), 0o700)
		os.MkdirAll(work, 0o700)
		write := func(path, text string) {
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		write(filepath.Join(work, ".env"), "PREFECT_API_AUTH_STRING="+secrets["dotenv"]+"\n")
		write(filepath.Join(work, "prefect.toml"), "[server.database]\npassword = \""+secrets["toml"]+"\"\n")
		write(filepath.Join(work, "pyproject.toml"), "[tool.prefect.server.api]\nauth_string = \""+secrets["pyproj"]+"\"\n")
		write(filepath.Join(home, ".prefect", "profiles.toml"), "active = \"dev\"\n[profiles.dev]\nPREFECT_API_KEY = \""+secrets["profile"]+
			"\"\nPREFECT_SERVER_DATABASE_CONNECTION_URL = \"postgresql+asyncpg://u:"+secrets["dburl"]+"@db/prefect\"\n[profiles.other]\n")
		env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "PREFECT_API_KEY=" + secrets["env"]}
		return work, env
	}
	runs := [][]string{
		{"config", "dump"}, {"config", "view"}, {"config", "view", "--show-defaults"}, {"config", "view", "-o", "json"},
		{"config", "get", "api.key", "api.auth_string", "server.database.password", "server.database.connection_url", "server.api.auth_string"},
		{"config", "explain", "api.key", "api.auth_string", "server.database.password", "server.database.connection_url", "server.api.auth_string"},
		{"config", "explain", "-o", "json", "api.key", "server.database.connection_url"},
		{"config", "validate"},
		{"config", "set", "PREFECT_API_KEY=pnu_new_secret_7", "PREFECT_SERVER_API_AUTH_STRING=new:secret8"},
		{"config", "set", "PREFECT_CLIENT_MAX_RETRIES=bad", "PREFECT_API_KEY=pnu_new_secret_7"},
		{"config", "unset", "PREFECT_API_KEY"},
		{"profile", "ls"}, {"profile", "inspect"}, {"profile", "inspect", "dev", "-o", "json"},
		{"profile", "create", "copy", "--from", "dev"}, {"profile", "rename", "other", "renamed"},
		{"profile", "use", "dev"}, {"profile", "delete", "other"}, {"profile", "populate-defaults"},
		{"schema"},
	}
	if lookupCommand("lint") != nil {
		runs = append(runs, []string{"lint"}, []string{"lint", "--env"}, []string{"lint", "--format", "json"}, []string{"lint", "--format", "sarif"}, []string{"lint", "--format", "github"})
	}
	all := []string{"pnu_new_secret_7", "new:secret8"}
	for _, s := range secrets {
		all = append(all, s)
	}
	for _, args := range runs {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			work, env := setup(t)
			cmd := exec.Command(strataBin, args...)
			cmd.Dir = work
			cmd.Env = env
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			cmd.Run()
			for _, s := range all {
				if strings.Contains(out.String(), s) {
					t.Errorf("output holds the secret %q:\n%s", s, out.String())
				}
			}
			if strings.Contains(out.String(), "panic:") {
				t.Errorf("panic:\n%s", out.String())
			}
		})
	}
	// And --show-secrets shows them: the test above is not vacuous.
	for _, args := range [][]string{{"config", "dump", "--show-secrets"}, {"config", "view", "--show-secrets"}} {
		work, env := setup(t)
		cmd := exec.Command(strataBin, args...)
		cmd.Dir, cmd.Env = work, env
		out, _ := cmd.CombinedOutput()
		for _, k := range []string{"env", "dotenv", "toml", "pyproj"} {
			if !strings.Contains(string(out), secrets[k]) {
				t.Errorf("%s: the secret from %s is missing:\n%s", strings.Join(args, " "), k, out)
			}
		}
	}
}

// TestConfirmations answers the questions unset, delete and
// populate-defaults ask on a terminal.
func TestConfirmations(t *testing.T) {
	tests := []struct {
		args       []string
		answer     string
		code       int
		wantStderr string
		changed    bool
	}{
		{[]string{"config", "unset", "PREFECT_API_URL"}, "n\n", 1, "Are you sure you want to unset the following setting(s): 'PREFECT_API_URL'? [y/N]: Unset aborted.\n", false},
		{[]string{"config", "unset", "PREFECT_API_URL"}, "\n", 1, "Unset aborted.\n", false},
		{[]string{"config", "unset", "PREFECT_API_URL"}, "yes\n", 0, "[y/N]: ", true},
		{[]string{"config", "unset", "--yes", "PREFECT_API_URL"}, "", 0, "", true},
		{[]string{"profile", "delete", "old"}, "no\n", 1, "Are you sure you want to delete profile with name 'old'? [y/N]: Deletion aborted.\n", false},
		{[]string{"profile", "delete", "old"}, "y\n", 0, "[y/N]: ", true},
		{[]string{"profile", "populate-defaults"}, "n\n", 0, "Update profiles at", false},
		{[]string{"profile", "populate-defaults"}, "\n", 0, "[Y/n]: ", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " ")+" "+strings.TrimSpace(tt.answer), func(t *testing.T) {
			home := t.TempDir()
			path := filepath.Join(home, ".prefect", "profiles.toml")
			os.MkdirAll(filepath.Dir(path), 0o700)
			before := "active = \"dev\"\n\n[profiles.dev]\nPREFECT_API_URL = \"http://dev/api\"\n\n[profiles.old]\n"
			os.WriteFile(path, []byte(before), 0o600)
			t.Setenv("HOME", home)
			t.Chdir(home)
			var stdout, stderr bytes.Buffer
			c := &cli{stdout: &stdout, stderr: &stderr, stdin: strings.NewReader(tt.answer), interactive: true}
			if code := c.main(tt.args); code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q does not hold %q", stderr.String(), tt.wantStderr)
			}
			after, _ := os.ReadFile(path)
			if changed := string(after) != before; changed != tt.changed {
				t.Errorf("file changed: %v, want %v\n%s", changed, tt.changed, after)
			}
		})
	}
}
