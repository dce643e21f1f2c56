package settings_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strata-settings/strata/internal/render"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// at is a position in the deployment file of the tests.
func at(line, col int) sources.Position {
	return sources.Position{File: "compose.yaml", Line: line, Column: col}
}

// hostProject lays out a project on this machine with settings of every
// kind, none of which a container sees unless it mounts them, and sets
// the process environment and home to say so too.
func hostProject(t *testing.T) (dir, home string) {
	t.Helper()
	root := t.TempDir()
	dir, home = filepath.Join(root, "work"), filepath.Join(root, "home")
	write(t, filepath.Join(dir, ".env"), "PREFECT_LOGGING_LEVEL=ERROR\n")
	write(t, filepath.Join(dir, "prefect.toml"), "[server.api]\nport = 4999\n")
	write(t, filepath.Join(dir, "pyproject.toml"), "[tool.prefect.client]\nmax_retries = 9\n")
	write(t, filepath.Join(home, ".prefect", "profiles.toml"), "active = \"host\"\n[profiles.host]\nPREFECT_API_URL = \"http://host/api\"\n")
	write(t, filepath.Join(dir, "uv.lock"), "version = 1\n\n[[package]]\nname = \"prefect\"\nversion = \"3.2.15\"\n")
	t.Setenv("HOME", home)
	t.Setenv("PREFECT_API_KEY", "pnu_host")
	return dir, home
}

// TestLoadContainer: a container's settings are its environment's, its
// home's and its mounted files', positioned in the deployment file; the
// process's environment, home and files count for nothing.
func TestLoadContainer(t *testing.T) {
	dir, home := hostProject(t)
	mounted := filepath.Join(t.TempDir(), "deploy")
	write(t, filepath.Join(mounted, "prefect.toml"), "[logging]\nlevel = \"WARNING\"\n")
	write(t, filepath.Join(mounted, "profiles.toml"), "active = \"c\"\n[profiles.c]\nPREFECT_CLIENT_MAX_RETRIES = 2\n")
	write(t, filepath.Join(mounted, "app", "prefect.toml"), "[server.api]\nhost = \"0.0.0.0\"\n")

	type want struct {
		setting, value string // value as Display shows it
		pos            string // where it came from; "" for a default or derived value
	}
	tests := []struct {
		name    string
		c       settings.Container
		want    []want
		profile string
		notes   []string // substrings, one a note
	}{
		{
			name: "variables, positioned; no file of the host",
			c: settings.Container{Env: []sources.Var{
				{Name: "PREFECT_API_URL", Value: "http://server:4200/api", Pos: at(12, 24)},
				{Name: "PREFECT_LOGGING_LEVEL", Value: "debug", Pos: at(13, 30)},
			}},
			want: []want{
				{"api.url", "http://server:4200/api", "compose.yaml:12:24"},
				{"logging.level", "DEBUG", "compose.yaml:13:30"},
				{"api.key", "None", ""},
				{"server.api.port", "4200", ""},
				{"client.max_retries", "5", ""},
				{"home", "/root/.prefect", ""},
			},
			profile: "ephemeral",
			notes:   []string{".env: not read", "prefect.toml: not read", "pyproject.toml: not read"},
		},
		{
			name: "HOME of its environment",
			c:    settings.Container{Env: []sources.Var{{Name: "HOME", Value: "/home/app", Pos: at(3, 7)}}},
			want: []want{{"home", "/home/app/.prefect", ""}, {"profiles_path", "/home/app/.prefect/profiles.toml", ""}},
		},
		{
			name: "its home, when its environment has none",
			c:    settings.Container{Home: "/home/flows"},
			want: []want{{"home", "/home/flows/.prefect", ""}},
		},
		{
			name: "a home that is this machine's is still not read",
			c:    settings.Container{Home: home},
			want: []want{{"api.url", "None", ""}}, profile: "ephemeral",
		},
		{
			name: "mounted files, read where they are and positioned there",
			c: settings.Container{
				Env: []sources.Var{{Name: "PREFECT_LOGGING_LEVEL", Value: "INFO", Pos: at(5, 30)}},
				Files: []settings.Mount{
					{Path: "/opt/prefect/prefect.toml", File: filepath.Join(mounted, "prefect.toml"), Pos: at(20, 9)},
					{Path: "/root/.prefect/profiles.toml", File: filepath.Join(mounted, "profiles.toml"), Pos: at(21, 9)},
				},
			},
			want: []want{
				{"logging.level", "INFO", "compose.yaml:5:30"},
				{"client.max_retries", "2", filepath.Join(mounted, "profiles.toml") + ":3:1"},
			},
			profile: "c",
			notes: []string{
				"prefect.toml: read as /opt/prefect/prefect.toml in the container, put there at compose.yaml:20:9",
				"profiles.toml: read as /root/.prefect/profiles.toml in the container",
			},
		},
		{
			name: "a directory mounted as the working directory",
			c: settings.Container{Dir: "/app", Files: []settings.Mount{
				{Path: "/app", File: filepath.Join(mounted, "app"), Pos: at(20, 9)},
			}},
			want: []want{{"server.api.host", "0.0.0.0", filepath.Join(mounted, "app", "prefect.toml") + ":2:1"}},
		},
		{
			name: "a file mounted elsewhere than the working directory is not read",
			c: settings.Container{Files: []settings.Mount{
				{Path: "/etc/prefect.toml", File: filepath.Join(mounted, "prefect.toml"), Pos: at(20, 9)},
			}},
			want: []want{{"logging.level", "INFO", ""}},
		},
		{
			name: "a later value of a name wins",
			c: settings.Container{Env: []sources.Var{
				{Name: "PREFECT_API_URL", Value: "http://env-file/api", Pos: at(1, 1)},
				{Name: "PREFECT_API_URL", Value: "http://environment/api", Pos: at(9, 24)},
			}},
			want: []want{{"api.url", "http://environment/api", "compose.yaml:9:24"}},
		},
		{
			name: "a group JSON variable",
			c:    settings.Container{Env: []sources.Var{{Name: "PREFECT_SERVER_API", Value: `{"port": 4300}`, Pos: at(4, 26)}}},
			want: []want{{"server.api.port", "4300", "compose.yaml:4:26"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			r, err := settings.Load(settings.Options{Container: &c, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				s, _ := r.Schema().Lookup(w.setting)
				if got := render.Display(s, r.Values()[s.Index], true); got != w.value {
					t.Errorf("%s = %q, want %q", w.setting, got, w.value)
				}
				o, _ := r.Origin(w.setting)
				pos := ""
				if src := o.Source(); src != nil {
					pos = src.Pos.String()
				}
				if pos != w.pos {
					t.Errorf("%s from %q, want %q", w.setting, pos, w.pos)
				}
			}
			if tt.profile != "" && r.Profile != tt.profile {
				t.Errorf("profile %q, want %q", r.Profile, tt.profile)
			}
			var notes []string
			for _, n := range r.Notes {
				notes = append(notes, n.Pos.String()+": "+n.Msg)
			}
			for _, n := range tt.notes {
				if !slices.ContainsFunc(notes, func(got string) bool { return strings.Contains(got, n) }) {
					t.Errorf("no note says %q; notes:\n%s", n, strings.Join(notes, "\n"))
				}
			}
			if r.Prefect.Prefect.Source != settings.FromDetected || r.Release.Version.String() != "3.2.15" {
				t.Errorf("release %s from %v; want the project's 3.2.15", r.Release.Version, r.Prefect.Prefect.Where())
			}
		})
	}
}

// TestLoadContainerDeferred: a value set only when the container is
// deployed is resolved as unset, hides the values written before it, and
// is told, never shown as the default without a word.
func TestLoadContainerDeferred(t *testing.T) {
	dir, _ := hostProject(t)
	c := &settings.Container{Env: []sources.Var{
		{Name: "PREFECT_API_KEY", Value: "pnu_from_env_file", Pos: at(2, 1)},
		{Name: "PREFECT_API_KEY", Pos: at(9, 21), Deferred: "secretKeyRef prefect/api-key"},
		{Name: "PREFECT_API_URL", Value: "http://server/api", Pos: at(10, 22)},
		{Name: "PREFECT_CLIENT_CUSTOM_HEADERS", Value: `{"X-A": "1"}`, Pos: at(11, 22)},
		{Name: "PREFECT_CLIENT_CUSTOM_HEADERS", Pos: at(12, 22), Deferred: "secretKeyRef prefect/headers"},
		{Name: "PREFECT_SERVER_API", Pos: at(13, 22), Deferred: "secretKeyRef prefect/server-api"},
	}, Release: settings.ContainerRelease{Newest: true}}
	r, err := settings.Load(settings.Options{Container: c, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		setting, from string
		pos           string
	}{
		{"api.key", "secretKeyRef prefect/api-key", "compose.yaml:9:21"},
		{"client.custom_headers", "secretKeyRef prefect/headers", "compose.yaml:12:22"},
	} {
		o, _ := r.Origin(tt.setting)
		d, ok := o.Deferred()
		if !ok || string(d.Raw.(sources.Deferred)) != tt.from || d.Pos.String() != tt.pos {
			t.Errorf("%s: deferred %v %v, want from %q at %s", tt.setting, ok, d, tt.from, tt.pos)
		}
		if o.Source() != nil {
			t.Errorf("%s: resolved from %v; the value written before the deferred one is overridden", tt.setting, o.Source().Raw)
		}
		found := slices.ContainsFunc(r.Warnings, func(w settings.Warning) bool {
			return w.Setting == tt.setting && strings.Contains(w.Msg, "only when the container is deployed ("+tt.from+")")
		})
		if !found {
			t.Errorf("%s: no warning of the deferred value; warnings: %v", tt.setting, r.Warnings)
		}
	}
	if r.Settings.API.Key != nil && r.Settings.API.Key.Reveal() != "" {
		t.Errorf("api.key = %q, want unset", r.Settings.API.Key.Reveal())
	}
	if o, _ := r.Origin("api.url"); func() bool { _, ok := o.Deferred(); return ok }() {
		t.Error("api.url is known, not deferred")
	}
	if !slices.ContainsFunc(r.Warnings, func(w settings.Warning) bool {
		return w.Setting == "server.api" && strings.Contains(w.Msg, "the settings of its group are not known")
	}) {
		t.Errorf("no warning of the deferred group; warnings: %v", r.Warnings)
	}
	for _, w := range r.Warnings {
		if strings.Contains(w.String(), "pnu_") {
			t.Errorf("a warning shows a secret: %s", w)
		}
	}
}

// TestContainerRelease: the release a container's file names selects the
// release, before the project's; Prefect 2 is refused where it is named.
func TestContainerRelease(t *testing.T) {
	dir, _ := hostProject(t)
	newest34 := ""
	for _, v := range release.Known() {
		if v.Major == 3 && v.Minor == 4 {
			newest34 = v.String()
		}
	}
	image := func(tag string) settings.ContainerRelease {
		return settings.ContainerRelease{Version: tag, Pos: at(4, 12), From: "image prefecthq/prefect:" + tag}
	}
	tests := []struct {
		name    string
		rel     settings.ContainerRelease
		opts    settings.Options
		version string
		source  settings.VersionSource
		side    release.Side
		err     string
	}{
		{name: "an exact release", rel: image("3.4.22"), version: "3.4.22", source: settings.FromManifest, side: release.Newer},
		{name: "a pre-release, as its release", rel: image("3.5.0rc1"), version: "3.5.0", source: settings.FromManifest, side: release.Newer},
		{name: "a minor version: its newest release", rel: image("3.4"), version: newest34, source: settings.FromManifest, side: release.Newer},
		{name: "the newest", rel: settings.ContainerRelease{Newest: true, Pos: at(4, 12), From: "image prefecthq/prefect:3-latest"},
			version: release.Newest().String(), source: settings.FromManifest, side: release.Newer},
		{name: "an image built before pydantic-settings 2.14", rel: settings.ContainerRelease{Version: "3.4.22", PydanticSettings: "2.13", Pos: at(4, 12), From: "image"},
			version: "3.4.22", source: settings.FromManifest, side: release.Older},
		{name: "the option wins", rel: image("3.4.22"), opts: settings.Options{PrefectVersion: "3.6.29"}, version: "3.6.29", source: settings.FromOption, side: release.Newer},
		{name: "none named: the project's", version: "3.2.15", source: settings.FromDetected, side: release.Newer},
		{name: "Prefect 2", rel: settings.ContainerRelease{Version: "2", Pos: at(4, 12), From: "image prefecthq/prefect:2-latest"},
			err: "compose.yaml:4:12: error: image prefecthq/prefect:2-latest runs Prefect 2, which is not supported: Strata supports Prefect 3.0.11 … "},
		{name: "Prefect 2, an exact release", rel: image("2.19.3"),
			err: "compose.yaml:4:12: error: image prefecthq/prefect:2.19.3 runs Prefect 2, which is not supported"},
		{name: "too old a Prefect 3", rel: image("3.0.1"),
			err: "compose.yaml:4:12: error: prefect version 3.0.1 is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Dir, opts.Container = dir, &settings.Container{Release: tt.rel}
			r, err := settings.Load(opts)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if n := strings.Count(err.Error(), "Prefect 2"); n > 1 {
					t.Errorf("Prefect 2 said %d times: %v", n, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Release.Version.String() != tt.version || r.Prefect.Prefect.Source != tt.source || r.Release.Side != tt.side {
				t.Errorf("release %s (%v, side %v), want %s (%v, side %v)", r.Release.Version, r.Prefect.Prefect.Source, r.Release.Side, tt.version, tt.source, tt.side)
			}
			if tt.source == settings.FromManifest && r.Prefect.Prefect.Where() != "compose.yaml:4:12" {
				t.Errorf("release from %q", r.Prefect.Prefect.Where())
			}
		})
	}
}

// TestContainerWarnings: the reader's warnings about the container are
// the resolution's.
func TestContainerWarnings(t *testing.T) {
	dir, _ := hostProject(t)
	w := settings.Warning{Setting: "worker.query_seconds", Pos: at(39, 37), Msg: "PREFECT_WORKER_QUERY_SECONDS: QUERY_SECONDS is not set here"}
	r, err := settings.Load(settings.Options{Dir: dir, Container: &settings.Container{Warnings: []settings.Warning{w}}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(r.Warnings, w) {
		t.Errorf("warnings %v lack %v", r.Warnings, w)
	}
}

// TestWatchContainer: Watch reads a container again when the file it was
// read from changes, and watches the files mounted into it.
func TestWatchContainer(t *testing.T) {
	root := t.TempDir()
	manifest := filepath.Join(root, "compose.yaml")
	mounted := filepath.Join(root, "prefect.toml")
	write(t, manifest, "INFO")
	write(t, mounted, "[server.api]\nport = 4300\n")
	read := func() (*settings.Container, error) {
		data, err := os.ReadFile(manifest)
		if err != nil {
			return nil, err
		}
		if string(data) == "broken" {
			return nil, errors.New("compose.yaml:1:1: broken")
		}
		return &settings.Container{
			Env:     []sources.Var{{Name: "PREFECT_LOGGING_LEVEL", Value: string(data), Pos: sources.Position{File: manifest, Line: 1, Column: 1}}},
			Files:   []settings.Mount{{Path: "/opt/prefect/prefect.toml", File: mounted}},
			Sources: []string{manifest},
		}, nil
	}
	c, _ := read()
	c.Reload = read
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan delivery, 16)
	done := make(chan error, 1)
	go func() {
		done <- settings.Watch(ctx, settings.Options{Dir: root, Container: c}, func(r *settings.Result, err error) { out <- delivery{r, err} })
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	}()
	if d := next(t, out); d.err != nil || d.r.Settings.Logging.Level != "INFO" {
		t.Fatalf("first: %v %v", d.err, d.r)
	}
	time.Sleep(50 * time.Millisecond)
	write(t, manifest, "DEBUG")
	if d := next(t, out); d.err != nil || d.r.Settings.Logging.Level != "DEBUG" {
		t.Fatalf("after editing the manifest: %v", d.err)
	}
	write(t, mounted, "[server.api]\nport = 4400\n")
	if d := next(t, out); d.err != nil || d.r.Settings.Server.API.Port != 4400 {
		t.Fatalf("after editing the mounted file: %v", d.err)
	}
	write(t, manifest, "broken")
	if d := next(t, out); d.err == nil || !strings.Contains(d.err.Error(), "compose.yaml:1:1: broken") {
		t.Fatalf("after breaking the manifest: %v", d.err)
	}
}

// TestContainerImageProfile: what prefect config set wrote into the image
// is the active profile's, below the environment; a profiles file mounted
// over the image's hides it.
func TestContainerImageProfile(t *testing.T) {
	dir, _ := hostProject(t)
	mounted := filepath.Join(t.TempDir(), "profiles.toml")
	write(t, mounted, "active = \"m\"\n[profiles.m]\nPREFECT_LOGGING_LEVEL = \"ERROR\"\n")
	baked := []sources.Var{
		{Name: "PREFECT_API_URL", Value: "https://api.prefect.cloud/api/accounts/a/workspaces/w", Pos: at(5, 40)},
		{Name: "PREFECT_LOGGING_LEVEL", Value: "WARNING", Pos: at(6, 9)},
		{Name: "PREFECT_API_KEY", Pos: at(7, 9), Deferred: "--build-arg KEY"},
	}
	env := []sources.Var{{Name: "PREFECT_LOGGING_LEVEL", Value: "DEBUG", Pos: at(8, 27)}}
	tests := []struct {
		name          string
		c             settings.Container
		url, level    string
		profilesFile  string
		urlFrom       string
		keyIsDeferred bool
	}{
		{"in the image's profile", settings.Container{Profile: baked},
			"https://api.prefect.cloud/api/accounts/a/workspaces/w", "WARNING", "/root/.prefect/profiles.toml", "compose.yaml:5:40", true},
		{"below the environment", settings.Container{Profile: baked, Env: env},
			"https://api.prefect.cloud/api/accounts/a/workspaces/w", "DEBUG", "/root/.prefect/profiles.toml", "compose.yaml:5:40", true},
		{"where PREFECT_HOME puts it", settings.Container{Profile: baked, Env: []sources.Var{{Name: "PREFECT_HOME", Value: "/opt/prefect"}}},
			"https://api.prefect.cloud/api/accounts/a/workspaces/w", "WARNING", "/opt/prefect/profiles.toml", "compose.yaml:5:40", true},
		{"hidden by a mounted profiles file", settings.Container{Profile: baked, Files: []settings.Mount{{Path: "/root/.prefect/profiles.toml", File: mounted}}},
			"None", "ERROR", "/root/.prefect/profiles.toml", "", false},
		{"written where PREFECT_HOME puts it", settings.Container{Profile: baked, ProfileFiles: []string{"/opt/prefect/profiles.toml", "/opt/prefect/profiles.toml", "/opt/prefect/profiles.toml"},
			Env: []sources.Var{{Name: "PREFECT_HOME", Value: "/opt/prefect"}}},
			"https://api.prefect.cloud/api/accounts/a/workspaces/w", "WARNING", "/opt/prefect/profiles.toml", "compose.yaml:5:40", true},
		{"written before PREFECT_HOME moved it", settings.Container{Profile: baked, ProfileFiles: []string{"~/.prefect/profiles.toml", "~/.prefect/profiles.toml", "~/.prefect/profiles.toml"},
			Env: []sources.Var{{Name: "PREFECT_HOME", Value: "/opt/prefect"}}},
			"None", "INFO", "/opt/prefect/profiles.toml", "", false},
		{"written to a file the release does not read", settings.Container{Profile: baked[:1], ProfileFiles: []string{"/opt/prefect/profiles.toml"},
			Env: []sources.Var{{Name: "PREFECT_HOME", Value: "/opt/prefect"}}, Release: settings.ContainerRelease{Version: "3.1.4"}},
			"None", "INFO", "<packaged profiles>", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			if c.Release == (settings.ContainerRelease{}) {
				c.Release = settings.ContainerRelease{Newest: true}
			}
			r, err := settings.Load(settings.Options{Dir: dir, Container: &c})
			if err != nil {
				t.Fatal(err)
			}
			url, _ := r.Value("api.url")
			s, _ := r.Schema().Lookup("api.url")
			if got := render.Display(s, url, true); got != tt.url || r.Settings.Logging.Level != tt.level {
				t.Errorf("api.url %q, logging.level %q; want %q, %q", got, r.Settings.Logging.Level, tt.url, tt.level)
			}
			if r.ProfilesFile.Path != tt.profilesFile {
				t.Errorf("profiles file %q, want %q", r.ProfilesFile.Path, tt.profilesFile)
			}
			o, _ := r.Origin("api.url")
			if src := o.Source(); tt.urlFrom != "" && (src == nil || src.Layer != sources.Profile || src.Pos.String() != tt.urlFrom) {
				t.Errorf("api.url from %v, want the profile at %s", src, tt.urlFrom)
			}
			key, _ := r.Origin("api.key")
			if _, ok := key.Deferred(); ok != tt.keyIsDeferred {
				t.Errorf("api.key deferred: %v, want %v", ok, tt.keyIsDeferred)
			}
			unread := slices.ContainsFunc(r.Warnings, func(w settings.Warning) bool { return strings.Contains(w.Msg, "does not apply") })
			if want := len(c.ProfileFiles) > 0 && tt.urlFrom == ""; unread != want {
				t.Errorf("a warning that the image's profile does not apply: %v, want %v (%v)", unread, want, r.Warnings)
			}
		})
	}
}
