package settings_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-settings/strata/profiles"
	"github.com/strata-settings/strata/settings"
)

// delivery is one call of Watch's callback.
type delivery struct {
	r   *settings.Result
	err error
}

// watcher runs settings.Watch over a fresh home and working directory
// until the test ends, and returns its deliveries after the first.
func watcher(t *testing.T, setup map[string]string, links [][2]string, env ...string) (root string, ch <-chan delivery) {
	t.Helper()
	root = t.TempDir()
	for _, d := range []string{"home", "work"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range setup {
		write(t, filepath.Join(root, name), data)
	}
	for _, l := range links {
		if err := os.Symlink(l[0], filepath.Join(root, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	env = append(env, "HOME="+filepath.Join(root, "home"))
	opts := settings.Options{Environ: env, Dir: filepath.Join(root, "work"), Home: filepath.Join(root, "home")}
	out := make(chan delivery, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- settings.Watch(ctx, opts, func(r *settings.Result, err error) { out <- delivery{r, err} })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	})
	first := next(t, out)
	if first.err != nil {
		t.Fatalf("first resolution: %v", first.err)
	}
	return root, out
}

// next waits for a delivery; the timeout is generous, since a loaded
// machine may be slow to pass file events on.
func next(t *testing.T, ch <-chan delivery) delivery {
	t.Helper()
	select {
	case d := <-ch:
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10s")
	}
	return delivery{}
}

// quiet asserts that nothing is delivered for a while: longer than the
// debounce, short enough to keep the test fast.
func quiet(t *testing.T, ch <-chan delivery) {
	t.Helper()
	select {
	case d := <-ch:
		t.Fatalf("unexpected delivery: result %v, error %v", d.r != nil, d.err)
	case <-time.After(8 * settings.WatchDebounce):
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func port(t *testing.T, d delivery) int64 {
	t.Helper()
	if d.err != nil {
		t.Fatalf("delivered error: %v", d.err)
	}
	return d.r.Settings.Server.API.Port
}

func TestWatch(t *testing.T) {
	const profilesTOML = "active = \"a\"\n\n[profiles.a]\nPREFECT_SERVER_API_PORT = \"4301\"\n\n[profiles.b]\nPREFECT_SERVER_API_PORT = \"4302\"\n"
	tests := []struct {
		name   string
		setup  map[string]string
		links  [][2]string // target, link
		change func(t *testing.T, root string)
		want   int64
	}{{
		name:  "edit",
		setup: map[string]string{"work/prefect.toml": "[server.api]\nport = 4201\n"},
		change: func(t *testing.T, root string) {
			write(t, filepath.Join(root, "work/prefect.toml"), "[server.api]\nport = 4202\n")
		},
		want: 4202,
	}, {
		name:  "atomic replace",
		setup: map[string]string{"work/prefect.toml": "[server.api]\nport = 4201\n"},
		change: func(t *testing.T, root string) {
			tmp := filepath.Join(root, "work/.prefect.toml.tmp")
			write(t, tmp, "[server.api]\nport = 4203\n")
			if err := os.Rename(tmp, filepath.Join(root, "work/prefect.toml")); err != nil {
				t.Fatal(err)
			}
		},
		want: 4203,
	}, {
		name: "file created after the start",
		change: func(t *testing.T, root string) {
			write(t, filepath.Join(root, "work/.env"), "PREFECT_SERVER_API_PORT=4204\n")
		},
		want: 4204,
	}, {
		name: "profiles file created with its directory",
		change: func(t *testing.T, root string) {
			write(t, filepath.Join(root, "home/.prefect/profiles.toml"), profilesTOML)
		},
		want: 4301,
	}, {
		name:  "profile use",
		setup: map[string]string{"home/.prefect/profiles.toml": profilesTOML},
		change: func(t *testing.T, root string) {
			_, err := profiles.Edit(filepath.Join(root, "home/.prefect/profiles.toml"), func(d *profiles.Doc) error {
				return d.SetActive("b")
			})
			if err != nil {
				t.Fatal(err)
			}
		},
		want: 4302,
	}, {
		name: "a link swapped as Kubernetes updates a ConfigMap",
		setup: map[string]string{
			"work/..v1/prefect.toml": "[server.api]\nport = 4201\n",
			"work/..v2/prefect.toml": "[server.api]\nport = 4206\n",
		},
		links: [][2]string{{"..v1", "work/..data"}, {"..data/prefect.toml", "work/prefect.toml"}},
		change: func(t *testing.T, root string) {
			tmp := filepath.Join(root, "work/..data_tmp")
			if err := os.Symlink("..v2", tmp); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, filepath.Join(root, "work/..data")); err != nil {
				t.Fatal(err)
			}
		},
		want: 4206,
	}, {
		name:  "pyproject.toml removed",
		setup: map[string]string{"work/pyproject.toml": "[tool.prefect.server.api]\nport = 4205\n"},
		change: func(t *testing.T, root string) {
			if err := os.Remove(filepath.Join(root, "work/pyproject.toml")); err != nil {
				t.Fatal(err)
			}
		},
		want: 4200,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root, ch := watcher(t, tt.setup, tt.links)
			tt.change(t, root)
			d := next(t, ch)
			if got := port(t, d); got != tt.want {
				t.Fatalf("server.api.port = %d, want %d", got, tt.want)
			}
			quiet(t, ch)
		})
	}
}

// TestWatchBurst: several writes in a row give one delivery, of the last
// state.
func TestWatchBurst(t *testing.T) {
	root, ch := watcher(t, nil, nil)
	p := filepath.Join(root, "work/prefect.toml")
	for _, port := range []string{"4211", "4212", "4213", "4214"} {
		write(t, p, "[server.api]\nport = "+port+"\n")
	}
	if got := port(t, next(t, ch)); got != 4214 {
		t.Fatalf("server.api.port = %d, want 4214", got)
	}
	quiet(t, ch)
}

// TestWatchNoChange: an edit that changes no value delivers nothing.
func TestWatchNoChange(t *testing.T) {
	root, ch := watcher(t, map[string]string{"work/prefect.toml": "[server.api]\nport = 4201\n"}, nil)
	write(t, filepath.Join(root, "work/prefect.toml"), "# the port\n[server.api]\nport = 4201\n")
	write(t, filepath.Join(root, "work/unrelated.txt"), "x")
	quiet(t, ch)
}

// TestWatchInvalid: a half-written file is delivered as an error, the
// previous result stays in force, and the repaired file is delivered.
func TestWatchInvalid(t *testing.T) {
	root, ch := watcher(t, map[string]string{"work/prefect.toml": "[server.api]\nport = 4201\n"}, nil)
	p := filepath.Join(root, "work/prefect.toml")
	write(t, p, "[server.api]\nport = ")
	d := next(t, ch)
	if d.err == nil || d.r != nil {
		t.Fatalf("got result %v, error %v; want only an error", d.r != nil, d.err)
	}
	if !strings.Contains(d.err.Error(), "prefect.toml") {
		t.Errorf("error does not name the file: %v", d.err)
	}
	write(t, p, "[server.api]\nport = 4201\n")
	if got := port(t, next(t, ch)); got != 4201 {
		t.Fatalf("server.api.port = %d, want 4201", got)
	}
}

func TestDiff(t *testing.T) {
	dir, home := t.TempDir(), t.TempDir()
	load := func(env ...string) *settings.Result {
		t.Helper()
		r, err := settings.Load(settings.Options{Environ: env, Dir: dir, Home: home})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	old := load("PREFECT_API_KEY=old-key", "PREFECT_API_URL=http://user:pw@a/api")
	r := load("PREFECT_API_KEY=new-key", "PREFECT_API_URL=http://user:pw2@b/api",
		"PREFECT_SERVER_API_PORT=4201", `PREFECT_CLIENT_CUSTOM_HEADERS={"X-Token": "t0k"}`)
	var got []string
	for _, c := range r.Diff(old) {
		got = append(got, c.String())
	}
	want := []string{
		"api.url: http://user:********@a/api -> http://user:********@b/api",
		"api.key: ******** -> ********",
		"client.custom_headers: {} -> {'X-Token': '********'}",
		"server.api.port: 4200 -> 4201",
		"server.ui.api_url: http://user:********@a/api -> http://user:********@b/api",
		"ui_url: http://user:********@a -> http://user:********@b",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := r.Diff(r); len(d) != 0 {
		t.Errorf("Diff with itself: %v", d)
	}
}

// TestDiffAcrossReleases: a setting only an older release has is compared
// as any other, and one the other release lacks changes from or to None.
func TestDiffAcrossReleases(t *testing.T) {
	dir, home := t.TempDir(), t.TempDir()
	load := func(version string, env ...string) *settings.Result {
		t.Helper()
		r, err := settings.Load(settings.Options{Environ: append([]string{}, env...), Dir: dir, Home: home, PrefectVersion: version})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	old := load("3.0.11")
	for _, tc := range []struct {
		name string
		r    *settings.Result
		want []string
	}{
		{"a setting only the older release has", load("3.0.11", "PREFECT_ASYNC_FETCH_STATE_RESULT=true"),
			[]string{"async_fetch_state_result: False -> True"}},
		{"another release", load("3.1.0", "PREFECT_ASYNC_FETCH_STATE_RESULT=true"), []string{
			"experiments.warn: None -> True",
			"async_fetch_state_result: False -> None",
			"experimental_enable_schedule_concurrency: False -> None",
			"experimental_warn: True -> None",
			"experiments.worker_logging_to_api_enabled: None -> False",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range tc.r.Diff(old) {
				got = append(got, c.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
