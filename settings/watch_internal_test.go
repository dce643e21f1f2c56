package settings

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// TestWatchEditBeforeWatch: an edit to the profiles file made after the
// first resolution read it, but before its directory was watched, is in
// the first delivery.
func TestWatchEditBeforeWatch(t *testing.T) {
	root := t.TempDir()
	profiles := filepath.Join(root, "elsewhere", "profiles.toml")
	writeFile := func(path, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(profiles, "active = \"a\"\n[profiles.a]\nPREFECT_SERVER_API_PORT = \"4301\"\n")
	writeFile(filepath.Join(root, "work", ".env"), "PREFECT_PROFILES_PATH="+profiles+"\n")
	afterFirstLoad = func() {
		writeFile(profiles, "active = \"a\"\n[profiles.a]\nPREFECT_SERVER_API_PORT = \"4302\"\n")
	}
	defer func() { afterFirstLoad = nil }()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ports := make(chan int64, 4)
	done := make(chan error, 1)
	opts := Options{Environ: []string{}, Dir: filepath.Join(root, "work"), Home: filepath.Join(root, "home"), PrefectVersion: "3.8.3"}
	go func() {
		done <- Watch(ctx, opts, func(r *Result, err error) {
			if err != nil {
				t.Errorf("delivered error: %v", err)
				ports <- 0
				return
			}
			ports <- r.Settings.Server.API.Port
		})
	}()
	select {
	case p := <-ports:
		if p != 4302 {
			t.Errorf("first delivery: server.api.port = %d; want 4302, the edit made before the watch", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10s")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestWatchRefusedDirectory: a directory the system refuses to watch is a
// warning of the first result delivered after the refusal, and of no
// later one.
func TestWatchRefusedDirectory(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home")
	work := filepath.Join(root, "work")
	for _, d := range []string{filepath.Join(home, ".prefect"), work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(work, "prefect.toml"), []byte("[server.api]\nport = 4201\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	refuse := map[string]error{filepath.Join(home, ".prefect"): syscall.ENOSPC}
	addWatch = func(w *fsnotify.Watcher, d string) error {
		if err, ok := refuse[d]; ok {
			return err
		}
		return w.Add(d)
	}
	defer func() { addWatch = (*fsnotify.Watcher).Add }()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	results := make(chan *Result, 4)
	done := make(chan error, 1)
	opts := Options{Environ: []string{}, Dir: work, Home: home, PrefectVersion: "3.8.3"}
	go func() {
		done <- Watch(ctx, opts, func(r *Result, err error) {
			if err != nil {
				t.Errorf("delivered error: %v", err)
			}
			results <- r
		})
	}()
	next := func() *Result {
		t.Helper()
		select {
		case r := <-results:
			return r
		case <-time.After(10 * time.Second):
			t.Fatal("no delivery within 10s")
		}
		return nil
	}
	refusals := func(r *Result) []string {
		var out []string
		for _, w := range r.Warnings {
			if strings.Contains(w.Msg, "refuses to watch") {
				out = append(out, w.Diagnostic().String())
			}
		}
		return out
	}
	want := []string{
		home + "/.prefect: warning: changes in this directory are not seen: the system refuses to watch it: its limit on watches is reached (on Linux, raise fs.inotify.max_user_watches)",
	}
	if got := refusals(next()); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("first delivery's warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := os.WriteFile(filepath.Join(work, "prefect.toml"), []byte("[server.api]\nport = 4202\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := next()
	if r.Settings.Server.API.Port != 4202 {
		t.Errorf("server.api.port = %d; want 4202", r.Settings.Server.API.Port)
	}
	if got := refusals(r); len(got) > 0 {
		t.Errorf("the refusals again:\n%s", strings.Join(got, "\n"))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestRefusal(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{syscall.ENOSPC, "its limit on watches is reached (on Linux, raise fs.inotify.max_user_watches)"},
		{syscall.EACCES, "permission denied"},
		{&os.PathError{Op: "open", Path: "/x", Err: syscall.EPERM}, "permission denied"},
		{syscall.EMFILE, "too many files are open"},
		{syscall.ELOOP, syscall.ELOOP.Error()},
	}
	for _, tt := range tests {
		if got := refusal(tt.err); got != tt.want {
			t.Errorf("refusal(%v) = %q; want %q", tt.err, got, tt.want)
		}
	}
}
