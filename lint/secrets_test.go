package lint

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/schema"
)

func TestURLPassword(t *testing.T) {
	tests := []struct {
		in, pw string
	}{
		{"postgresql+asyncpg://prefect:s3cret@db:5432/prefect", "s3cret"},
		{"postgresql+asyncpg://prefect:pa#ss@db/prefect", "pa#ss"},
		{"postgresql+asyncpg://prefect:pa$$w0rd@db/prefect", "pa$$w0rd"},
		{"postgresql+asyncpg://prefect:p@ss@db/prefect", "p"},
		{"postgresql+asyncpg://prefect:a/b?c@db/prefect", "a/b?c"},
		{"https://user:tok3n@prefect.example.com/api", "tok3n"},
		{"postgresql+asyncpg://prefect:${PREFECT_SERVER_DATABASE_PASSWORD}@db/prefect", "${PREFECT_SERVER_DATABASE_PASSWORD}"},
		{"postgresql+asyncpg://prefect@db/prefect", ""},
		{"postgresql+asyncpg://prefect:@db/prefect", ""},
		{"http://prefect.internal:4200/api", ""},
		{"http://prefect.internal:4200/api?owner=a@b", ""},
		{"http://prefect.internal/a:b@c", ""},
		{"sqlite+aiosqlite:///home/me/.prefect/prefect.db", ""},
		{"not a url", ""},
	}
	for _, tt := range tests {
		pw, ok := urlPassword(tt.in)
		if pw != tt.pw || ok != (tt.pw != "") {
			t.Errorf("urlPassword(%q) = %q, %v; want %q", tt.in, pw, ok, tt.pw)
		}
	}
}

func TestCredential(t *testing.T) {
	setting := func(name string) *schema.Setting {
		s, ok := schema.Lookup(name)
		if !ok {
			t.Fatalf("no setting %s", name)
		}
		return s
	}
	tests := []struct {
		setting string
		raw     any
		want    string
	}{
		{"api.key", "pnu_1a2b3c4d5e6f", "holds a secret"},
		{"api.key", "pnu_#1$2@3", "holds a secret"},
		{"api.auth_string", "admin:pa#ss", "holds a secret"},
		{"server.api.auth_string", "admin:${unclosed", "holds a secret"},
		{"server.database.password", "pa$$word", "holds a secret"},
		{"server.database.connection_url", "postgresql+asyncpg://u:p#w@db/p", "holds a password in its URL"},
		{"server.database.connection_url", "postgresql+asyncpg://u:p@w@db/p", "holds a password in its URL"},
		{"api.url", "https://ci:tok3n@prefect.example.com/api", "holds a password in its URL"},
		{"client.custom_headers", map[string]any{"Authorization": "Bearer abc123", "X-Team": "data"}, `holds the credential header "Authorization"`},
		{"client.custom_headers", `{"CF-Access-Client-Secret": "s", "CF-Access-Client-Id": "id", "X-API-Key": "k"}`, `holds the credential header "CF-Access-Client-Secret", "X-API-Key"`},
		// No secret: empty, references, placeholders, local defaults.
		{"api.key", "", ""},
		{"api.key", "${PREFECT_API_KEY}", ""},
		{"api.key", "$PREFECT_API_KEY", ""},
		{"api.key", "<your-api-key>", ""},
		{"api.key", "your-api-key", ""},
		{"api.key", "changeme", ""},
		{"api.key", "xxxxxxxx", ""},
		{"api.key", "{{ prefect_api_key }}", ""},
		{"server.database.password", "postgres", ""},
		{"server.database.connection_url", "postgresql+asyncpg://u:${PREFECT_SERVER_DATABASE_PASSWORD}@db/p", ""},
		{"server.database.connection_url", "postgresql+asyncpg://u@db/p", ""},
		{"server.database.connection_url", "sqlite+aiosqlite:///prefect.db", ""},
		{"api.url", "http://prefect.internal:4200/api", ""},
		{"api.key", int64(12345678), ""},
		{"client.custom_headers", map[string]any{"Authorization": "Bearer <token>", "X-Team": "data"}, ""},
		{"client.custom_headers", `{"X-Request-Source": "ci"}`, ""},
	}
	for _, tt := range tests {
		if got := credential(setting(tt.setting), tt.raw); got != tt.want {
			t.Errorf("credential(%s, %#v) = %q; want %q", tt.setting, tt.raw, got, tt.want)
		}
	}
}

// project is a realistic project with a secret in every file that can
// hold one, correct settings beside them, and a .gitignore that keeps
// .env.local and the profiles of .prefect/ out of git.
var project = map[string]string{
	"prefect.toml":                "[api]\nurl = \"https://prefect.example.com/api\"\n\n[server.database]\nconnection_url = \"postgresql+asyncpg://prefect:pa#ss@db:5432/prefect\"\n",
	"pyproject.toml":              "[project]\nname = \"flows\"\n\n[tool.prefect.client]\nmax_retries = 5\ncustom_headers = { \"X-Team\" = \"data\" }\n",
	".env":                        "PREFECT_API_URL=https://prefect.example.com/api\nPREFECT_API_KEY=\"pnu_#abc$def@ghi\"\n",
	".env.local":                  "PREFECT_API_KEY=pnu_local\n",
	".env.example":                "PREFECT_API_URL=https://prefect.example.com/api\nPREFECT_API_KEY=<your-api-key>\n",
	"deploy/ci.env":               "PREFECT_API_KEY=${CI_PREFECT_API_KEY}\nPREFECT_API_AUTH_STRING='admin:p$ss'\n",
	".prefect/profiles.toml":      "active = \"dev\"\n[profiles.dev]\nPREFECT_API_KEY = \"pnu_ignored\"\n",
	"config/profiles.toml":        "active = \"ci\"\n[profiles.ci]\nPREFECT_API_URL = \"https://prefect.example.com/api\"\nPREFECT_API_KEY = \"pnu_shared_profile\"\n",
	".gitignore":                  ".env.local\n.prefect/\n",
	"home/.prefect/profiles.toml": "active = \"me\"\n[profiles.me]\nPREFECT_API_KEY = \"pnu_home\"\n",
}

// tracked are the files the project has committed.
var tracked = []string{".gitignore", "prefect.toml", "pyproject.toml", ".env"}

const (
	wantCommitted = "prefect.toml:5:1: warning: server.database.connection_url holds a password in its URL; prefect.toml is committed with the project: set PREFECT_SERVER_DATABASE_CONNECTION_URL in the environment or in a .env file git ignores [secret-in-committed-file]\n"
	wantTracked   = ".env:2:1: warning: api.key holds a secret; git tracks this file, so the secret is in the repository's history: rotate it, then git rm --cached .env and ignore the file [secret-in-committed-file]\n"
	wantShared    = "config/profiles.toml:4:1: warning: api.key holds a secret; git does not ignore this file, so the next commit can share it: add profiles.toml to .gitignore [secret-in-committed-file]\n" +
		"deploy/ci.env:2:1: warning: api.auth_string holds a secret; git does not ignore this file, so the next commit can share it: add ci.env to .gitignore [secret-in-committed-file]\n"
)

// TestSecretsWhereTheyLeak lints the project in a git work tree, asking
// git and, with git hidden, reading the repository; and outside any work
// tree, where only the TOML files are shared.
func TestSecretsWhereTheyLeak(t *testing.T) {
	git, gitErr := exec.LookPath("git")
	tests := []struct {
		name    string
		repo    bool // git init, and commit the tracked files (needs git)
		dotGit  bool // a bare .git directory: a work tree git never indexed
		withGit bool // let lint ask git
		want    string
	}{
		{name: "git answers", repo: true, withGit: true, want: wantTracked + wantShared + wantCommitted},
		{name: "the repository read without git", repo: true, want: wantTracked + wantShared + wantCommitted},
		{name: "a work tree with no index, without git", dotGit: true, want: ".env:2:1: warning: api.key holds a secret; git does not ignore this file, so the next commit can share it: add .env to .gitignore [secret-in-committed-file]\n" + wantShared + wantCommitted},
		{name: "outside a work tree, with git", withGit: true, want: wantCommitted},
		{name: "outside a work tree, without git", want: wantCommitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.repo || tt.withGit) && gitErr != nil {
				t.Skip("git is not installed")
			}
			dir := t.TempDir()
			write(t, dir, project)
			home := filepath.Join(dir, "home")
			environ := []string{"HOME=" + home, "CI_PREFECT_API_KEY=pnu_from_ci", "GIT_CONFIG_NOSYSTEM=1"}
			if tt.repo {
				for _, args := range [][]string{
					{"init", "-q"},
					append([]string{"add"}, tracked...),
					{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init"},
				} {
					cmd := exec.Command(git, args...)
					cmd.Dir, cmd.Env = dir, environ
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
					}
				}
			}
			if tt.dotGit {
				if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if !tt.withGit {
				defer func(f func() (string, error)) { lookGit = f }(lookGit)
				lookGit = func() (string, error) { return "", exec.ErrNotFound }
			}
			fs, err := Run(Options{Dir: dir, Home: home, Environ: environ,
				Paths: []string{".", "home/.prefect/profiles.toml"}, Disabled: []string{RuleUnknownSetting}})
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range fs {
				if f.Rule == RuleSecretInFile {
					got = append(got, f)
				}
			}
			if g := lines(got); g != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s\nall findings:\n%s", g, tt.want, lines(fs))
			}
		})
	}
}

// TestReadGitIgnoreFiles checks the fallback against the ignore files git
// reads besides .gitignore: info/exclude, the global excludes file, and a
// .gitignore deeper in the tree that re-includes a file.
func TestReadGitIgnoreFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		".git/info/exclude":  "secrets.env\n",
		"home/.gitconfig":    "[core]\n\texcludesFile = ~/global-ignore\n",
		"home/global-ignore": "*.local.env\n",
		"app/.gitignore":     "*.env\n!keep.env\n",
		"app/sub/.gitignore": "# nothing here\n",
	})
	home := filepath.Join(dir, "home")
	tests := []struct {
		file string
		want gitState
	}{
		{"secrets.env", gitIgnored},
		{"dev.local.env", gitIgnored},
		{"app/x.env", gitIgnored},
		{"app/sub/y.env", gitIgnored},
		{"app/keep.env", gitUntracked},
		{".env", gitUntracked},
	}
	for _, tt := range tests {
		if got := readGit(filepath.Join(dir, tt.file), home, nil); got != tt.want {
			t.Errorf("readGit(%s) = %d; want %d", tt.file, got, tt.want)
		}
	}
	if got := readGit(filepath.Join(t.TempDir(), ".env"), home, nil); got != gitOutside {
		t.Errorf("readGit outside a work tree = %d; want %d", got, gitOutside)
	}
}

// TestAskGitFallsBack checks that a git that cannot answer (missing, or
// refusing the repository) leaves the answer to the fallback.
func TestAskGitFallsBack(t *testing.T) {
	defer func(f func() (string, error)) { lookGit = f }(lookGit)
	lookGit = func() (string, error) { return "", exec.ErrNotFound }
	if _, err := askGit(filepath.Join(t.TempDir(), ".env"), nil); !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("askGit without git: %v; want exec.ErrNotFound", err)
	}
	lookGit = func() (string, error) { return "/bin/false", nil }
	if _, err := askGit(filepath.Join(t.TempDir(), ".env"), nil); err == nil {
		t.Errorf("askGit with a failing git: no error; want one")
	}
}
