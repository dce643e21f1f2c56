package settings_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-settings/strata/internal/profiles"
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
	return root, watchWith(t, opts)
}

// watchWith runs settings.Watch with opts until the test ends, and returns
// its deliveries after the first, which must be a result.
func watchWith(t *testing.T, opts settings.Options) <-chan delivery {
	t.Helper()
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
	return out
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

// writeWhole replaces the file at path at once (written aside, renamed
// over it), so that no resolution sees it half-written.
func writeWhole(t *testing.T, path, data string) {
	t.Helper()
	write(t, path+".part", data)
	if err := os.Rename(path+".part", path); err != nil {
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
		name: "a relative profiles path with .. after a link",
		setup: map[string]string{
			"work/.env":            "PREFECT_PROFILES_PATH=cfg/../x/profiles.toml\n",
			"real/sub/.keep":       "",
			"real/x/profiles.toml": strings.Replace(profilesTOML, "4301", "4207", 1),
		},
		links: [][2]string{{"../real/sub", "work/cfg"}}, // cfg/.. is real, not work
		change: func(t *testing.T, root string) {
			writeWhole(t, filepath.Join(root, "real/x/profiles.toml"), strings.Replace(profilesTOML, "4301", "4208", 1))
		},
		want: 4208,
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

// TestWatchEnviron: a watch of another environment resolves with that
// environment every time, never the process's (its API key included); a
// watch of the process's own reads the process's.
func TestWatchEnviron(t *testing.T) {
	t.Setenv("PREFECT_API_KEY", "the-process-key")
	t.Setenv("PREFECT_SERVER_API_PORT", "4555")
	root := t.TempDir()
	write(t, filepath.Join(root, "prefect.toml"), "[server.api]\nhost = \"one\"\n")
	t.Setenv("HOME", root)
	t.Chdir(root)
	tests := []struct {
		name string
		opts settings.Options
		key  string
		port int64
	}{
		{"another environment", settings.Options{Environ: []string{"PREFECT_SERVER_API_PORT=4999"}, Dir: root, Home: root}, "", 4999},
		{"the process's", settings.Options{}, "the-process-key", 4555},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := make(chan delivery, 16)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- settings.Watch(ctx, tt.opts, func(r *settings.Result, err error) { out <- delivery{r, err} })
			}()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("Watch: %v", err)
				}
			}()
			check := func(d delivery, host string) {
				t.Helper()
				if d.err != nil {
					t.Fatal(d.err)
				}
				s, key := d.r.Settings, ""
				if s.API.Key != nil {
					key = s.API.Key.Reveal()
				}
				if key != tt.key || s.Server.API.Port != tt.port || s.Server.API.Host != host {
					t.Errorf("api.key %q, server.api.port %d, server.api.host %q; want %q, %d, %q",
						key, s.Server.API.Port, s.Server.API.Host, tt.key, tt.port, host)
				}
			}
			check(next(t, out), "one")
			writeWhole(t, filepath.Join(root, "prefect.toml"), "[server.api]\nhost = \"two\"\n")
			check(next(t, out), "two")
			writeWhole(t, filepath.Join(root, "prefect.toml"), "[server.api]\nhost = \"one\"\n")
			check(next(t, out), "one")
		})
	}
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
			"experimental_warn: True -> None",
			"async_fetch_state_result: False -> None",
			"experimental_enable_schedule_concurrency: False -> None",
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

// mustDo fails the test on an error of a file operation.
func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// swapLink points the link at path to target as ln -sfn does: a new link
// renamed over the old one.
func swapLink(t *testing.T, target, path string) {
	t.Helper()
	tmp := path + ".tmp"
	mustDo(t, os.Symlink(target, tmp))
	mustDo(t, os.Rename(tmp, path))
}

// await waits for the delivery of server.api.port = want (an error for
// -1), passing over the states on the way: a step may take several
// events, and a loaded machine may resolve between them.
func await(t *testing.T, ch <-chan delivery, want int64) {
	t.Helper()
	for {
		d := next(t, ch)
		switch {
		case want < 0 && d.err != nil, d.err == nil && d.r.Settings.Server.API.Port == want:
			return
		}
	}
}

// TestWatchReestablished: a watched directory deleted and recreated, moved
// away and replaced, or reached through a symbolic link that is swapped,
// is watched again where it now is: the change is delivered, and so is
// the next edit made there.
func TestWatchReestablished(t *testing.T) {
	const prof = "active = \"a\"\n[profiles.a]\nPREFECT_SERVER_API_PORT = \"%s\"\n"
	profiles := func(port string) string { return strings.Replace(prof, "%s", port, 1) }
	toml := func(port string) string { return "[server.api]\nport = " + port + "\n" }
	type step struct {
		do   func(t *testing.T, root string)
		want int64 // server.api.port after it; -1: an error
	}
	tests := []struct {
		name  string
		setup map[string]string
		links [][2]string // target, link
		dir   string      // the working directory under the root; "work" when empty
		steps []step
	}{{
		name:  "profiles directory deleted and recreated",
		setup: map[string]string{"home/.prefect/profiles.toml": profiles("4301")},
		steps: []step{
			{func(t *testing.T, root string) { mustDo(t, os.RemoveAll(filepath.Join(root, "home/.prefect"))) }, 4200},
			{func(t *testing.T, root string) {
				writeWhole(t, filepath.Join(root, "home/.prefect/profiles.toml"), profiles("4302"))
			}, 4302},
			{func(t *testing.T, root string) {
				writeWhole(t, filepath.Join(root, "home/.prefect/profiles.toml"), profiles("4303"))
			}, 4303},
		},
	}, {
		name:  "profiles directory moved away and replaced",
		setup: map[string]string{"home/.prefect/profiles.toml": profiles("4301"), "home/new/profiles.toml": profiles("4302")},
		steps: []step{
			{func(t *testing.T, root string) {
				mustDo(t, os.Rename(filepath.Join(root, "home/.prefect"), filepath.Join(root, "home/old")))
				mustDo(t, os.Rename(filepath.Join(root, "home/new"), filepath.Join(root, "home/.prefect")))
			}, 4302},
			{func(t *testing.T, root string) {
				writeWhole(t, filepath.Join(root, "home/.prefect/profiles.toml"), profiles("4303"))
			}, 4303},
		},
	}, {
		name:  "~/.prefect a link swapped to another directory",
		setup: map[string]string{"home/v1/profiles.toml": profiles("4301"), "home/v2/profiles.toml": profiles("4302")},
		links: [][2]string{{"v1", "home/.prefect"}},
		steps: []step{
			{func(t *testing.T, root string) { swapLink(t, "v2", filepath.Join(root, "home/.prefect")) }, 4302},
			{func(t *testing.T, root string) {
				writeWhole(t, filepath.Join(root, "home/v2/profiles.toml"), profiles("4303"))
			}, 4303},
		},
	}, {
		name:  "the working directory a link swapped to another release",
		setup: map[string]string{"r1/prefect.toml": toml("4301"), "r2/prefect.toml": toml("4302")},
		links: [][2]string{{"r1", "current"}},
		dir:   "current",
		steps: []step{
			{func(t *testing.T, root string) { swapLink(t, "r2", filepath.Join(root, "current")) }, 4302},
			{func(t *testing.T, root string) { writeWhole(t, filepath.Join(root, "r2/prefect.toml"), toml("4303")) }, 4303},
		},
	}, {
		name:  "the working directory deleted and recreated",
		setup: map[string]string{"work/prefect.toml": toml("4301")},
		steps: []step{
			{func(t *testing.T, root string) { mustDo(t, os.RemoveAll(filepath.Join(root, "work"))) }, -1},
			{func(t *testing.T, root string) { writeWhole(t, filepath.Join(root, "work/prefect.toml"), toml("4302")) }, 4302},
			{func(t *testing.T, root string) { writeWhole(t, filepath.Join(root, "work/prefect.toml"), toml("4303")) }, 4303},
		},
	}, {
		name:  "a directory on the way to a linked file moved away and replaced",
		setup: map[string]string{"conf/prefect.toml": toml("4301"), "conf2/prefect.toml": toml("4302")},
		links: [][2]string{{"../conf/prefect.toml", "work/prefect.toml"}},
		steps: []step{
			{func(t *testing.T, root string) {
				mustDo(t, os.Rename(filepath.Join(root, "conf"), filepath.Join(root, "conf.old")))
				mustDo(t, os.Rename(filepath.Join(root, "conf2"), filepath.Join(root, "conf")))
			}, 4302},
			{func(t *testing.T, root string) { writeWhole(t, filepath.Join(root, "conf/prefect.toml"), toml("4303")) }, 4303},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			for _, d := range []string{"home", "work"} {
				mustDo(t, os.MkdirAll(filepath.Join(root, d), 0o755))
			}
			for name, data := range tt.setup {
				write(t, filepath.Join(root, name), data)
			}
			for _, l := range tt.links {
				mustDo(t, os.Symlink(l[0], filepath.Join(root, l[1])))
			}
			dir := cmpOr(tt.dir, "work")
			ch := watchWith(t, settings.Options{Environ: []string{}, Dir: filepath.Join(root, dir), Home: filepath.Join(root, "home")})
			for _, st := range tt.steps {
				st.do(t, root)
				await(t, ch, st.want)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestWatchInvalidProfiles: a profiles file that is not valid TOML is
// delivered as an error naming it, not as settings without the profile;
// the repaired file is delivered.
func TestWatchInvalidProfiles(t *testing.T) {
	const good = "active = \"a\"\n[profiles.a]\nPREFECT_API_URL = \"http://prefect/api\"\nPREFECT_SERVER_API_PORT = \"4301\"\n"
	root, ch := watcher(t, map[string]string{"home/.prefect/profiles.toml": good}, nil)
	p := filepath.Join(root, "home/.prefect/profiles.toml")
	writeWhole(t, p, strings.Replace(good, "[profiles.a]", "[profiles.a", 1))
	d := next(t, ch)
	if d.err == nil || d.r != nil {
		t.Fatalf("got result %v, error %v; want only an error", d.r != nil, d.err)
	}
	if want := p + ":2:"; !strings.Contains(d.err.Error(), want) {
		t.Errorf("error %q does not name %s", d.err, want)
	}
	writeWhole(t, p, good)
	if got := port(t, next(t, ch)); got != 4301 {
		t.Fatalf("server.api.port = %d, want 4301", got)
	}
}

// busy rewrites path until the test ends, each time well within
// WatchDebounce of the last, and returns the function that stops it.
func busy(t *testing.T, path string, data func(i int) string) (stop func()) {
	t.Helper()
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(settings.WatchDebounce / 5)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-tick.C: // a whole file each time: written aside, renamed over
				if os.WriteFile(path+".tmp", []byte(data(i)), 0o644) == nil {
					os.Rename(path+".tmp", path)
				}
			}
		}
	}()
	var once bool
	stop = func() {
		if !once {
			once = true
			close(done)
			<-stopped
		}
	}
	t.Cleanup(stop)
	return stop
}

// TestWatchBusy: changes that keep coming do not postpone the resolution
// for ever: neither a busy file beside a linked profiles file, nor the
// settings file itself rewritten without a pause.
func TestWatchBusy(t *testing.T) {
	const prof = "active = \"a\"\n[profiles.a]\nPREFECT_SERVER_API_PORT = \"4301\"\n"
	t.Run("a busy file beside a linked profiles file", func(t *testing.T) {
		t.Parallel()
		root, ch := watcher(t, map[string]string{"home/real/profiles.toml": prof, "home/.prefect/prefect.db": ""},
			[][2]string{{"../real/profiles.toml", "home/.prefect/profiles.toml"}})
		busy(t, filepath.Join(root, "home/.prefect/prefect.db"), func(i int) string { return strings.Repeat("x", i) })
		writeWhole(t, filepath.Join(root, "home/real/profiles.toml"), strings.Replace(prof, "4301", "4302", 1))
		if got := port(t, next(t, ch)); got != 4302 {
			t.Fatalf("server.api.port = %d, want 4302", got)
		}
	})
	t.Run("a settings file rewritten without a pause", func(t *testing.T) {
		t.Parallel()
		root, ch := watcher(t, map[string]string{"work/prefect.toml": "[server.api]\nport = 4201\n"}, nil)
		stop := busy(t, filepath.Join(root, "work/prefect.toml"), func(int) string { return "[server.api]\nport = 4202\n" })
		if got := port(t, next(t, ch)); got != 4202 {
			t.Fatalf("server.api.port = %d, want 4202", got)
		}
		stop()
	})
}

// TestWatchRelease: an edit to a file that chooses the release (a lock
// file, a requirements file, an installed package's metadata), or one
// created where detection looks, is delivered with the new release.
func TestWatchRelease(t *testing.T) {
	lock := func(v string) string { return "[[package]]\nname = \"prefect\"\nversion = \"" + v + "\"\n" }
	meta := func(v string) string { return "Metadata-Version: 2.1\nName: prefect\nVersion: " + v + "\n\n" }
	const site = "work/.venv/lib/python3.11/site-packages/"
	tests := []struct {
		name   string
		setup  map[string]string
		change func(t *testing.T, root string)
		want   string
	}{{
		name:  "lock file edited",
		setup: map[string]string{"work/uv.lock": lock("3.3.3")},
		change: func(t *testing.T, root string) {
			writeWhole(t, filepath.Join(root, "work/uv.lock"), lock("3.3.4"))
		},
		want: "3.3.4",
	}, {
		name:  "lock file created above a pin",
		setup: map[string]string{"work/requirements.txt": "prefect==3.3.3\n"},
		change: func(t *testing.T, root string) {
			writeWhole(t, filepath.Join(root, "work/poetry.lock"), lock("3.3.4"))
		},
		want: "3.3.4",
	}, {
		name: "requirements file created",
		change: func(t *testing.T, root string) {
			writeWhole(t, filepath.Join(root, "work/requirements-prod.txt"), "prefect==3.3.3\n")
		},
		want: "3.3.3",
	}, {
		name:  "an included requirements file edited",
		setup: map[string]string{"work/requirements.txt": "-r deps/base.txt\n", "work/deps/base.txt": "prefect==3.3.3\n"},
		change: func(t *testing.T, root string) {
			writeWhole(t, filepath.Join(root, "work/deps/base.txt"), "prefect==3.3.4\n")
		},
		want: "3.3.4",
	}, {
		name:  "package upgraded in the virtualenv",
		setup: map[string]string{site + "prefect-3.3.3.dist-info/METADATA": meta("3.3.3"), "work/uv.lock": lock("3.3.3")},
		change: func(t *testing.T, root string) {
			mustDo(t, os.RemoveAll(filepath.Join(root, site+"prefect-3.3.3.dist-info")))
			writeWhole(t, filepath.Join(root, site+"prefect-3.3.4.dist-info/METADATA"), meta("3.3.4"))
		},
		want: "3.3.4",
	}, {
		name:  "virtualenv created",
		setup: map[string]string{"work/uv.lock": lock("3.3.3")},
		change: func(t *testing.T, root string) {
			writeWhole(t, filepath.Join(root, site+"prefect-3.3.4.dist-info/METADATA"), meta("3.3.4"))
		},
		want: "3.3.4",
	}, {
		name:  "pin edited in pyproject.toml",
		setup: map[string]string{"work/pyproject.toml": "[project]\ndependencies = [\"prefect==3.3.3\"]\n"},
		change: func(t *testing.T, root string) {
			writeWhole(t, filepath.Join(root, "work/pyproject.toml"), "[project]\ndependencies = [\"prefect==3.3.4\"]\n")
		},
		want: "3.3.4",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root, ch := watcher(t, tt.setup, nil)
			tt.change(t, root)
			d := next(t, ch)
			if d.err != nil {
				t.Fatal(d.err)
			}
			if got := d.r.Release.Version.String(); got != tt.want {
				t.Fatalf("release %s; want %s", got, tt.want)
			}
		})
	}
}

// TestWatchDirCreatedLater: a working directory that does not exist yet is
// an error, then its settings once it is created.
func TestWatchDirCreatedLater(t *testing.T) {
	root := t.TempDir()
	opts := settings.Options{Environ: []string{}, Dir: filepath.Join(root, "deploy", "work"), Home: root}
	out := make(chan delivery, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- settings.Watch(ctx, opts, func(r *settings.Result, err error) { out <- delivery{r, err} })
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	}()
	if d := next(t, out); d.err == nil || !strings.Contains(d.err.Error(), "no such file or directory") {
		t.Fatalf("first delivery: result %v, error %v; want the missing directory", d.r != nil, d.err)
	}
	// The directory appears whole, as a deployment renamed into place.
	write(t, filepath.Join(root, "staging", "work", "prefect.toml"), "[server.api]\nport = 4301\n")
	mustDo(t, os.Rename(filepath.Join(root, "staging"), filepath.Join(root, "deploy")))
	if got := port(t, next(t, out)); got != 4301 {
		t.Fatalf("server.api.port = %d, want 4301", got)
	}
}
