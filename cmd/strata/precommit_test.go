package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/strata-settings/strata/deploy"
)

// TestPreCommitHook runs the strata-lint hook of .pre-commit-hooks.yaml
// through pre-commit itself, with this checkout's HEAD as the hook
// repository and a global flag in its args, as users configure it: a
// commit of an invalid .env fails with the finding, the fixed one passes,
// and a commit of no settings file does not run the hook. Without pre-commit the test is skipped, unless
// STRATA_REQUIRE_PRECOMMIT is set (as .ci/run sets it).
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the hook with go install")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		if os.Getenv("STRATA_REQUIRE_PRECOMMIT") != "" {
			t.Fatal("pre-commit is not installed")
		}
		t.Skip("pre-commit is not installed")
	}
	root, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skip("not a git checkout")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	gomodcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "cache"),
		"GOMODCACHE="+strings.TrimSpace(string(gomodcache)), // the modules the build already fetched
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
	)
	run := func(name string, args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(name string, args ...string) {
		t.Helper()
		if out, err := run(name, args...); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	must("git", "init", "-q")
	write(".pre-commit-config.yaml", "repos:\n  - repo: "+strings.TrimSpace(string(root))+
		"\n    rev: "+strings.TrimSpace(string(head))+"\n    hooks:\n      - id: strata-lint\n        args: [--prefect-version, '3.4.2']\n")
	must("pre-commit", "install")

	write(".env", "PREFECT_SERVER_API_PORT=many\n")
	must("git", "add", ".")
	out, err := run("git", "commit", "-q", "-m", "invalid port")
	if err == nil {
		t.Fatalf("the commit of an invalid .env passed:\n%s", out)
	}
	if want := ".env:1:1: error: server.api.port: Input should be a valid integer"; !strings.Contains(out, want) {
		t.Fatalf("the failing commit does not say %q:\n%s", want, out)
	}

	write(".env", "PREFECT_SERVER_API_PORT=4300\n")
	must("git", "add", ".")
	out, err = run("git", "commit", "-q", "-m", "valid port")
	if err != nil || !strings.Contains(out, "strata lint") || !strings.Contains(out, "Passed") {
		t.Fatalf("the commit of a valid .env: %v\n%s", err, out)
	}

	write("notes.txt", "PREFECT_SERVER_API_PORT=many\n")
	must("git", "add", ".")
	out, err = run("git", "commit", "-q", "-m", "no settings file")
	if err != nil || !strings.Contains(out, "(no files to check)Skipped") {
		t.Fatalf("the commit of no settings file: %v\n%s", err, out)
	}
}

// hookFiles returns the files pattern of the strata-lint hook, a verbose
// Python regular expression, as a Go one: without its white space and
// comments.
func hookFiles(t *testing.T) *regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID    string `yaml:"id"`
		Files string `yaml:"files"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil || len(hooks) != 1 || hooks[0].ID != "strata-lint" {
		t.Fatalf(".pre-commit-hooks.yaml: %v %+v", err, hooks)
	}
	pattern, verbose := strings.CutPrefix(strings.TrimSpace(hooks[0].Files), "(?x)")
	if verbose {
		var b strings.Builder
		for _, line := range strings.Split(pattern, "\n") {
			if i := strings.Index(line, "#"); i >= 0 && (i == 0 || line[i-1] != '\\') {
				line = line[:i]
			}
			b.WriteString(strings.Join(strings.Fields(line), ""))
		}
		pattern = b.String()
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatalf("files pattern %q: %v", pattern, err)
	}
	return re
}

// hookEntry returns the strata lint arguments of the hook's entry.
func hookEntry(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct{ Entry string }
	if err := yaml.Unmarshal(data, &hooks); err != nil || len(hooks) != 1 {
		t.Fatalf(".pre-commit-hooks.yaml: %v %+v", err, hooks)
	}
	words := strings.Fields(hooks[0].Entry)
	if len(words) < 2 || words[0] != "strata" || words[1] != "lint" {
		t.Fatalf("the hook's entry %q is not strata lint", hooks[0].Entry)
	}
	return words[1:]
}

// TestPreCommitFiles checks the files the hook passes to strata lint: the
// settings files and every kind of deployment file, wherever they are,
// and only files strata lint takes (reads, or passes over with the
// entry's --skip-unknown), so that the hook never fails a commit with a
// usage error.
func TestPreCommitFiles(t *testing.T) {
	re := hookFiles(t)
	args := hookEntry(t)
	tests := []struct {
		path string
		want bool
	}{
		{"prefect.toml", true},
		{"deploy/prefect.toml", true},
		{"pyproject.toml", true},
		{"home/.prefect/profiles.toml", true},
		{".env", true},
		{"app/.env.local", true},
		{".env.example", true},
		{"prod.env", true},
		{"env.example", true},
		{"app/.env-example", true},
		{".env_template", true},
		{"prod.env.example", true},
		{"docker-compose.yml", true},
		{"deploy/compose.prod.yaml", true},
		{"k8s/worker.yaml", true},
		{"values.yaml", true},
		{"mkdocs.yml", true},
		{"package.json", true},
		{"Dockerfile", true},
		{"docker/worker.Dockerfile", true},
		{"Dockerfile.dev", true},
		{"Containerfile", true},
		{"scripts/start-worker.sh", true},
		{".envrc", true},
		{"Makefile", true},
		{"make/prefect.mk", true},
		{".github/workflows/deploy.yml", true},
		{".github/actions/login/action.yml", true},
		{".gitlab-ci.yml", true},
		{"prefect.yaml", true},
		{"bin/entrypoint", true},
		{"docker-entrypoint", true},
		{"notes.txt", false},
		{"prefect.toml.bak", false},
		{"myprefect.toml", false},
		{"settings.env/readme.md", false},
		{"docs/prefect.md", false},
		{"flows/etl.py", false},
		{"README", false},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		if got := re.MatchString(tt.path); got != tt.want {
			t.Errorf("files pattern on %q: %v; want %v", tt.path, got, tt.want)
		}
		if !tt.want {
			continue
		}
		file := filepath.Join(dir, tt.path)
		os.MkdirAll(filepath.Dir(file), 0o755)
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(strataBin, append(args, tt.path)...)
		cmd.Dir, cmd.Env = dir, []string{"HOME=" + dir}
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 2 {
			t.Errorf("the hook passes %s, which strata lint refuses:\n%s", tt.path, out)
		}
	}
	// Every file a directory search reads, the hook takes.
	for _, tt := range tests {
		name := filepath.Base(tt.path)
		settings := name == "prefect.toml" || name == "pyproject.toml" || name == "profiles.toml" ||
			name == ".env" || strings.HasPrefix(name, ".env.") || strings.HasSuffix(name, ".env") || deploy.IsDotEnvTemplate(name)
		if (settings || deploy.Candidate(tt.path)) && !re.MatchString(tt.path) {
			t.Errorf("strata lint reads %s in a directory search, but the hook does not pass it", tt.path)
		}
	}
}
