//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestViewWatchRefusedDirectory: config view --watch prints, once, that the
// system refuses to watch a directory the settings are read from (here
// one it may not read), and goes on watching the others.
func TestViewWatchRefusedDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may watch any directory")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", dir)
	locked := filepath.Join(dir, ".prefect")
	if err := os.Mkdir(locked, 0o300); err != nil { // no read permission: no watch
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	toml := filepath.Join(dir, "prefect.toml")
	if err := os.WriteFile(toml, []byte("[server.api]\nport = 4201\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, stop := startCLI("config", "view", "--watch")

	const refused = ".prefect: warning: changes in this directory are not seen: the system refuses to watch it: permission denied"
	waitFor(t, stdout, "PREFECT_SERVER_API_PORT='4201' (from prefect.toml)")
	waitFor(t, stderr, refused)
	if err := os.WriteFile(toml, []byte("[server.api]\nport = 4202\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stdout, "PREFECT_SERVER_API_PORT='4202' (from prefect.toml)")
	if code := stop(); code != exitOK {
		t.Errorf("exit %d; want 0", code)
	}
	if n := strings.Count(stderr.String(), refused); n != 1 {
		t.Errorf("the refusal printed %d times; want once:\n%s", n, stderr.String())
	}
}
