package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunExitCodes pins the exit codes: 0 success, 1 failure, 2 usage.
func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", dir)
	tests := []struct {
		args   []string
		env    []string
		code   int
		stderr string
	}{
		{[]string{"config", "dump"}, nil, 0, ""},
		{[]string{"config", "view", "-o", "json"}, nil, 0, ""},
		{[]string{"config", "view", "--help"}, nil, 0, ""},
		{[]string{"config", "explain", "server.api.port", "-o", "json"}, nil, 0, ""},
		{[]string{"config", "get", "server.api.port", "--show-secrets", "-o", "json"}, nil, 0, ""},
		{[]string{"config", "get", "--", "-o"}, nil, 1, `unknown setting "-o"`},
		{[]string{"config", "get", "server.api.port", "--prefect-version", "3.4.2"}, nil, 0, ""},
		{[]string{"config", "get", "server.api.port", "--prefect-version", "2.0.0"}, nil, 1, "not supported"},
		{[]string{"lint", "--prefect-version", "3.4.2"}, nil, 0, ""},
		{[]string{"lint", "-o", "yaml"}, nil, 2, `unknown format "yaml"`},
		{[]string{"config", "dump", "extra"}, nil, 2, `unexpected argument "extra"`},
		{[]string{"profile", "rename", "one"}, nil, 2, "missing OLD NEW"},
		{[]string{"--version"}, nil, 0, ""},
		{[]string{"help"}, nil, 0, ""},
		{[]string{"help", "nope"}, nil, 2, `unknown command "nope"`},
		{[]string{"config", "dump"}, []string{"PREFECT_SERVER_API_PORT=x"}, 1, "server.api.port"},
		{[]string{"config", "view", "-o", "yaml"}, nil, 2, "only 'json' output format is supported"},
		{nil, nil, 2, "usage: strata"},
		{[]string{"config"}, nil, 2, "strata config: missing command: dump, view, get, explain, set, unset, validate"},
		{[]string{"config", "nope"}, nil, 2, `unknown command "config nope"`},
		{[]string{"--bogus"}, nil, 2, "flag provided but not defined"},
		{[]string{"config", "dump", "--bogus"}, nil, 2, "flag provided but not defined"},
		{[]string{"lint"}, nil, 0, ""},
		{[]string{"lint", "--env"}, []string{"PREFECT_SERVER_API_PORT=x"}, 1, ""},
		{[]string{"lint", "--env", "--strict"}, []string{"PREFECT_SERVER_API_PROT=1"}, 1, ""},
		{[]string{"lint", "--format", "yaml"}, nil, 2, `unknown format "yaml"`},
		{[]string{"lint", "--disable", "nope"}, nil, 2, `unknown rule "nope"`},
		{[]string{"lint", "missing"}, nil, 2, "missing: no such file or directory"},
		{[]string{"lint", "--sarif-file", "nodir/x.sarif"}, nil, 2, "--sarif-file nodir/x.sarif: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append(tt.args, tt.env...), " "), func(t *testing.T) {
			for _, kv := range tt.env {
				k, v, _ := strings.Cut(kv, "=")
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.code {
				t.Errorf("exit %d; want %d\nstderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q; want it to contain %q", stderr.String(), tt.stderr)
			}
		})
	}
}

// TestViewWithoutConfiguration is the promise of README.md and docs/cli.md: with no
// configuration anywhere, config view prints the ephemeral profile.
func TestViewWithoutConfiguration(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", filepath.Join(dir, "home"))
	os.MkdirAll(filepath.Join(dir, "home"), 0o755)
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(strings.ToUpper(k), "PREFECT_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"config", "view"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "PREFECT_PROFILE='ephemeral'\n") {
		t.Errorf("stdout %q", stdout.String())
	}
}

func TestUseColor(t *testing.T) {
	tests := []struct {
		terminal bool
		env      map[string]string
		want     bool
	}{
		{true, nil, true},
		{false, nil, false},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"TERM": "dumb"}, false},
		{false, map[string]string{"FORCE": "1"}, false},
	}
	for _, tt := range tests {
		if got := useColor(tt.terminal, func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("useColor(%v, %v) = %v, want %v", tt.terminal, tt.env, got, tt.want)
		}
	}
}

func TestDiagColor(t *testing.T) {
	var b strings.Builder
	c := &cli{stderr: &b, color: true}
	c.diag("error", "bad %q", "x")
	if got, want := b.String(), "\x1b[31merror\x1b[0m: bad \"x\"\n"; got != want {
		t.Errorf("coloured: %q, want %q", got, want)
	}
	b.Reset()
	c.color = false
	c.diag("warning", "plain")
	if got := b.String(); got != "warning: plain\n" {
		t.Errorf("plain: %q", got)
	}
	// A key or value quoted from a file cannot clear the screen or hide a
	// line; the message's own line breaks stay, the lines after the first
	// indented, so that none can pass for another diagnostic.
	b.Reset()
	c.diag("warning", "unknown key %s\nsecond line", "a\x1b[2J\rb")
	if got, want := b.String(), "warning: unknown key a\\x1b[2J\\rb\n\tsecond line\n"; got != want {
		t.Errorf("control characters: %q, want %q", got, want)
	}
}

// TestHelpEveryCommand: --help, -h and "strata help COMMAND" work on every
// command, print its synopsis and flags on stdout and exit 0.
func TestHelpEveryCommand(t *testing.T) {
	for _, cmd := range commands {
		if cmd.hidden {
			continue
		}
		for _, args := range [][]string{
			append(strings.Fields(cmd.name), "--help"),
			append(strings.Fields(cmd.name), "-h"),
			append([]string{"help"}, strings.Fields(cmd.name)...),
		} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				if code := run(args, &stdout, &stderr); code != 0 {
					t.Errorf("exit %d\n%s", code, stderr.String())
				}
				if want := "usage: " + cmd.synopsis() + "\n"; !strings.HasPrefix(stdout.String(), want) {
					t.Errorf("stdout does not start with %q:\n%s", want, stdout.String())
				}
				if !strings.Contains(stdout.String(), "--prefect-version X.Y.Z") {
					t.Errorf("stdout does not list the global flags:\n%s", stdout.String())
				}
				if stderr.Len() > 0 {
					t.Errorf("stderr: %s", stderr.String())
				}
			})
		}
	}
}

// TestHelpGroups: help for a group of commands, or for help itself, is
// the usage on stdout and exit 0, however it is asked for.
func TestHelpGroups(t *testing.T) {
	for _, args := range [][]string{
		{"help"}, {"--help"}, {"-h"}, {"help", "help"}, {"help", "--help"}, {"help", "-h"},
		{"help", "config"}, {"help", "profile"}, {"help", "profiles"}, {"config", "--help"}, {"profile", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Errorf("exit %d\n%s", code, stderr.String())
			}
			if !strings.HasPrefix(stdout.String(), "usage: strata") || stderr.Len() > 0 {
				t.Errorf("stdout %q, stderr %q; want the usage on stdout alone", stdout.String(), stderr.String())
			}
		})
	}
}
