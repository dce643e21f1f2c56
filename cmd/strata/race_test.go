package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a stderr that tests read while a command still runs; it
// signals each write.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes chan struct{}
}

func newLockedBuffer() *lockedBuffer { return &lockedBuffer{writes: make(chan struct{}, 16)} }

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.b.Write(p)
	select {
	case l.writes <- struct{}{}:
	default:
	}
	return n, err
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// raceHome lays out a profiles file with profile a active and profile b.
func raceHome(t *testing.T) string {
	home := t.TempDir()
	t.Chdir(home)
	t.Setenv("HOME", home)
	t.Setenv("PREFECT_PROFILE", "")
	path := filepath.Join(home, ".prefect", "profiles.toml")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("active = \"a\"\n\n[profiles.a]\n\n[profiles.b]\nPREFECT_API_URL = \"http://b/api\"\n"), 0o600)
	return path
}

// inProcess is one strata invocation run in this process, with its hooks.
type inProcess struct {
	args           []string
	stdout, stderr *lockedBuffer
	c              *cli
	code           chan int
}

func start(args []string, setup func(*cli)) *inProcess {
	cmd := &inProcess{args: args, stdout: newLockedBuffer(), stderr: newLockedBuffer(), code: make(chan int, 1)}
	cmd.c = &cli{stdout: cmd.stdout, stderr: cmd.stderr, stdin: strings.NewReader("")}
	if setup != nil {
		setup(cmd.c)
	}
	go func() { cmd.code <- cmd.c.main(args) }()
	return cmd
}

// pauseAt makes the command stop at stage until the returned function is
// called; reached is closed when it gets there.
func pauseAt(stage string) (setup func(*cli), reached chan struct{}, resume func()) {
	reached, release := make(chan struct{}), make(chan struct{})
	setup = func(c *cli) {
		c.stage = func(s string) {
			if s == stage {
				close(reached)
				<-release
			}
		}
	}
	return setup, reached, func() { close(release) }
}

// TestDeleteRacingUse forces the two orders in which profile delete and
// profile use can meet, and checks that active never names a deleted
// profile: every read that decides the deletion happens under the lock.
func TestDeleteRacingUse(t *testing.T) {
	t.Run("use lands while delete waits for the lock", func(t *testing.T) {
		path := raceHome(t)
		setup, reached, resume := pauseAt("before the lock")
		del := start([]string{"profile", "delete", "--yes", "b"}, setup)
		<-reached // delete has read the file and resolved the settings: a is active
		use := start([]string{"profile", "use", "--no-check", "b"}, nil)
		if code := <-use.code; code != 0 {
			t.Fatalf("use: exit %d: %s", code, use.stderr)
		}
		resume()
		if code := <-del.code; code != 1 {
			t.Errorf("delete: exit %d, want 1", code)
		}
		if got, want := del.stderr.String(), "error: profile 'b' is the active profile; switch profiles before deleting it\n"; got != want {
			t.Errorf("delete: stderr %q, want %q", got, want)
		}
		want := "active = \"b\"\n\n[profiles.a]\n\n[profiles.b]\nPREFECT_API_URL = \"http://b/api\"\n"
		if b, _ := os.ReadFile(path); string(b) != want {
			t.Errorf("file:\n%s\nwant:\n%s", b, want)
		}
	})
	t.Run("use waits while delete holds the lock", func(t *testing.T) {
		path := raceHome(t)
		setup, reached, resume := pauseAt("under the lock")
		del := start([]string{"profile", "delete", "--yes", "b"}, setup)
		<-reached
		use := start([]string{"profile", "use", "--no-check", "b"}, func(c *cli) { c.lockNotice = time.Nanosecond })
		<-use.stderr.writes // told it waits for the lock
		resume()
		if code := <-del.code; code != 0 {
			t.Errorf("delete: exit %d: %s", code, del.stderr)
		}
		if code := <-use.code; code != 1 {
			t.Errorf("use: exit %d, want 1", code)
		}
		want := "info: waiting for the lock on .prefect/profiles.toml.lock: another program is writing the profiles file\n" +
			"error: profile 'b' not found\n"
		if got := use.stderr.String(); got != want {
			t.Errorf("use: stderr %q, want %q", got, want)
		}
		if b, _ := os.ReadFile(path); string(b) != "active = \"a\"\n\n[profiles.a]\n\n" {
			t.Errorf("file:\n%s", b)
		}
	})
}
