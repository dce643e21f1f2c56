package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommitHook runs the strata-lint hook of .pre-commit-hooks.yaml
// through pre-commit itself, with this checkout's HEAD as the hook
// repository: a commit of an invalid .env fails with the finding, the
// fixed one passes, and a commit of no settings file does not run the
// hook. Without pre-commit the test is skipped, unless
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
		"\n    rev: "+strings.TrimSpace(string(head))+"\n    hooks:\n      - id: strata-lint\n")
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
