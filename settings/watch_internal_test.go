package settings

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
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
