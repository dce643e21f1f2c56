package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitFor waits, generously, until the buffer holds text.
func waitFor(t *testing.T, b *lockedBuffer, text string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(b.String(), text) {
			return
		}
	}
	t.Fatalf("output never held %q:\n%s", text, b.String())
}

// TestViewWatch: config view --watch prints the settings, the changes and
// the settings again after an edit, the errors of an invalid edit, and
// stops when its context ends.
func TestViewWatch(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", dir)
	t.Setenv("PREFECT_API_KEY", "pnu_watched")
	toml := filepath.Join(dir, "prefect.toml")
	if err := os.WriteFile(toml, []byte("[server.api]\nport = 4201\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, stop := startCLI("config", "view", "--watch")

	waitFor(t, stdout, "PREFECT_SERVER_API_PORT='4201' (from prefect.toml)")
	if err := os.WriteFile(toml, []byte("[server.api]\nport = 4202\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stdout, "\nchanged: server.api.port: 4201 -> 4202\n")
	waitFor(t, stdout, "PREFECT_SERVER_API_PORT='4202' (from prefect.toml)")
	if err := os.WriteFile(toml, []byte("[server.api]\nport = \"many\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stderr, "server.api.port")
	waitFor(t, stderr, "the settings printed last stay in force")
	if code := stop(); code != exitOK {
		t.Errorf("exit %d; want 0", code)
	}
	if strings.Contains(stdout.String()+stderr.String(), "pnu_watched") {
		t.Error("the API key is printed")
	}
}

// TestViewWatchOlderRelease: a setting only an older release has, changed
// in .env, is printed as a change, with --show-secrets too.
func TestViewWatchOlderRelease(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", dir)
	stdout, stderr, stop := startCLI("--prefect-version", "3.0.11", "config", "view", "--watch", "--show-secrets")
	waitFor(t, stdout, "PREFECT_PROFILE=")
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("PREFECT_ASYNC_FETCH_STATE_RESULT=true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stdout, "\nchanged: async_fetch_state_result: False -> True\n")
	waitFor(t, stdout, "PREFECT_ASYNC_FETCH_STATE_RESULT='true' (from .env file)")
	if code := stop(); code != exitOK {
		t.Errorf("exit %d; want 0\n%s", code, stderr.String())
	}
}

// startCLI runs strata with args until stop, which ends its context and
// returns its exit status: for commands that run until stopped, such as
// config view --watch.
func startCLI(args ...string) (stdout, stderr *lockedBuffer, stop func() int) {
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = newLockedBuffer(), newLockedBuffer()
	c := &cli{stdout: stdout, stderr: stderr, ctx: ctx}
	done := make(chan int)
	go func() { done <- c.main(args) }()
	return stdout, stderr, func() int {
		cancel()
		return <-done
	}
}
