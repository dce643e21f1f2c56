package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestContainerSettings: a container becomes the engine's input with its
// values positioned where they are written, its mounts found from the
// file's directory, its working directory, its release and the warnings
// about what it refers to.
func TestContainerSettings(t *testing.T) {
	f, err := readTestFiles(t, []string{"compose/stack/docker-compose.yml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	worker, err := f.Select("worker", "")
	if err != nil {
		t.Fatal(err)
	}
	sc := worker.Settings("testdata/compose/stack")
	if sc.Name != `service "worker"` {
		t.Errorf("name %q", sc.Name)
	}
	var env []string
	for _, v := range sc.Env {
		env = append(env, fmt.Sprintf("%s@%s", v.Name, v.Pos))
	}
	want := []string{
		"PREFECT_WORKER_HEARTBEAT_SECONDS@testdata/compose/stack/.env.worker:2:34",
		"PREFECT_API_ENABLE_HTTP2@testdata/compose/stack/.env.worker:3:35",
		"PREFECT_API_DATABASE_CONNECTION_URL@testdata/compose/stack/docker-compose.yml:6:40",
		"PREFECT_LOGGING_LEVEL@testdata/compose/stack/docker-compose.yml:7:26",
		"PREFECT_API_URL@testdata/compose/stack/docker-compose.yml:36:24",
		"PREFECT_API_KEY@testdata/compose/stack/docker-compose.yml:37:24",
		"PREFECT_LOGING_LEVEL@testdata/compose/stack/docker-compose.yml:38:29",
		"PREFECT_WORKER_QUERY_SECONDS@testdata/compose/stack/docker-compose.yml:39:37",
	}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("env:\n%s\nwant:\n%s", strings.Join(env, "\n"), strings.Join(want, "\n"))
	}
	wantFiles := []settings.Mount{{Path: "/opt/prefect/prefect.toml", File: filepath.Join("testdata", "compose", "stack", "prefect.toml"),
		Pos: sources.Position{File: "testdata/compose/stack/docker-compose.yml", Line: 41, Column: 9}}}
	if !reflect.DeepEqual(sc.Files, wantFiles) || sc.Dir != "/opt/prefect" {
		t.Errorf("files %v in %q, want %v in /opt/prefect", sc.Files, sc.Dir, wantFiles)
	}
	if !sc.Release.Newest || sc.Release.PydanticSettings != "" || sc.Release.Pos.Line != 31 {
		t.Errorf("release %+v, want the newest, at line 31", sc.Release)
	}
	if len(sc.Warnings) != 1 || sc.Warnings[0].Setting != "worker.query_seconds" ||
		sc.Warnings[0].Msg != "PREFECT_WORKER_QUERY_SECONDS: QUERY_SECONDS is not set here, and its reference is replaced by an empty string" {
		t.Errorf("warnings %v", sc.Warnings)
	}
	if !slices.Equal(sc.Sources, []string{"testdata/compose/stack/docker-compose.yml", "testdata/compose/stack/.env.worker"}) {
		t.Errorf("sources %v", sc.Sources)
	}
}

// TestContainerSettingsKubernetes: deferred and implicit variables pass to
// the engine as such; a reference kubelet leaves as written is told so.
func TestContainerSettingsKubernetes(t *testing.T) {
	f, err := readTestFiles(t, []string{"kubernetes/stack.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	worker, err := f.Select("prefect-worker", "")
	if err != nil {
		t.Fatal(err)
	}
	sc := worker.Settings("testdata/kubernetes")
	var deferred, implicit []string
	for _, v := range sc.Env {
		if v.Deferred != "" {
			deferred = append(deferred, v.Name+": "+v.Deferred)
		}
		if v.Implicit {
			implicit = append(implicit, v.Name)
		}
	}
	if !slices.Contains(deferred, "PREFECT_API_KEY: secretKeyRef prefect-cloud/api-key") {
		t.Errorf("deferred: %v", deferred)
	}
	if !slices.Contains(implicit, "PREFECT_SERVER_SERVICE_HOST") {
		t.Errorf("implicit: %v", implicit)
	}
	var msgs []string
	for _, w := range sc.Warnings {
		msgs = append(msgs, w.String())
	}
	for _, w := range []string{
		"testdata/kubernetes/stack.yaml:116:22: warning: logging.level: PREFECT_LOGGING_LEVEL: LOG_LEVEL is not set here, and its reference stays in the value as written",
		"testdata/kubernetes/stack.yaml:114:22: warning: the value of PREFECT_WORKER_QUERY_SECONDS is a YAML int",
	} {
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.HasPrefix(m, w) }) {
			t.Errorf("no warning %q in:\n%s", w, strings.Join(msgs, "\n"))
		}
	}
	for _, m := range msgs {
		if strings.Contains(m, "deferred") || strings.Contains(m, "envFrom") && strings.Contains(m, "prefect-cloud") {
			t.Errorf("a deferred variable is the engine's to tell, per setting: %s", m)
		}
	}
}

// TestContainerRelease: what an image says of the release, and of the
// pydantic-settings it was built with.
func TestContainerRelease(t *testing.T) {
	tests := []struct {
		image   string
		version string
		newest  bool
		ps      string
	}{
		{"prefecthq/prefect:3.4.22-python3.11", "3.4.22", false, "2.13"},
		{"prefecthq/prefect:3.6.27-python3.12", "3.6.27", false, "2.13"},
		{"prefecthq/prefect:3.6.28-python3.12", "3.6.28", false, ""},
		{"prefecthq/prefect-client:3.2.1", "3.2.1", false, "2.13"},
		{"prefecthq/prefect:3.4-python3.12", "3.4", false, "2.13"},
		{"prefecthq/prefect:3.6-python3.12", "3.6", false, ""},
		{"prefecthq/prefect:3-latest", "", true, ""},
		{"prefecthq/prefect:2-latest", "2", false, ""},
		{"prefecthq/prefect:2.19.3-python3.11", "2.19.3", false, ""},
		{"mycorp/flows:3.4.22", "", false, ""},
	}
	if r := (&Container{Release: ReleaseHint{Version: "3.4.2", Pos: sources.Position{File: "f"}, From: "pip install prefect==3.4.2"}}).Settings(".").Release; r.PydanticSettings != "" {
		t.Errorf("a pinned install is built when the image is, with the newest pydantic-settings: got %q", r.PydanticSettings)
	}
	for _, tt := range tests {
		// The image of a stage built on another is that stage's name;
		// the release is its base image's.
		c := &Container{Image: "base", Release: ReleaseFromImage(tt.image, sources.Position{File: "f", Line: 1, Column: 1})}
		r := c.Settings(".").Release
		if r.Version != tt.version || r.Newest != tt.newest || r.PydanticSettings != tt.ps {
			t.Errorf("%s: version %q newest %v pydantic-settings %q; want %q %v %q", tt.image, r.Version, r.Newest, r.PydanticSettings, tt.version, tt.newest, tt.ps)
		}
	}
}

// Settings makes the engine's input of a container read from a deployment
// file: here the worker of a Compose file, whose API URL is written in
// the file, whose prefect.toml is mounted, and whose image names its
// release.
func ExampleContainer_Settings() {
	dir, _ := os.MkdirTemp("", "strata-example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "prefect.toml"), []byte("[logging]\nlevel = \"WARNING\"\n"), 0o644)
	compose := filepath.Join(dir, "compose.yaml")
	os.WriteFile(compose, []byte(`services:
  worker:
    image: prefecthq/prefect:3.4.22-python3.11
    command: prefect worker start --pool docker
    environment:
      PREFECT_API_URL: http://server:4200/api
    volumes:
      - ./prefect.toml:/opt/prefect/prefect.toml:ro
`), 0o644)
	data, _ := os.ReadFile(compose)

	f, err := Read(&Input{Path: "compose.yaml", Data: data, Dir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := f.Select("worker", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := settings.Load(settings.Options{Container: c.Settings(dir), Dir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	url, _ := r.Origin("api.url")
	level, _ := r.Origin("logging.level")
	fmt.Println("release:", r.Release)
	fmt.Println("api.url:", *r.Settings.API.URL, "from", url.Source().Pos)
	fmt.Println("logging.level:", r.Settings.Logging.Level, "from", filepath.Base(level.Source().Pos.File))
	fmt.Println("home:", r.Settings.Home)
	// Output:
	// release: Prefect 3.4.22 (pydantic-settings 2.13.0)
	// api.url: http://server:4200/api from compose.yaml:6:24
	// logging.level: WARNING from prefect.toml
	// home: /root/.prefect
}

// TestContainerSettingsMounts: where a mounted or copied file lands, and
// the working directory it tells.
func TestContainerSettingsMounts(t *testing.T) {
	tests := []struct {
		mounts []Mount
		files  []string // path in the container → file here
		dir    string
	}{
		{[]Mount{{Host: "prefect.toml", Container: "/opt/prefect/prefect.toml"}}, []string{"/opt/prefect/prefect.toml → base/prefect.toml"}, "/opt/prefect"},
		{[]Mount{{Host: "conf/.env", Container: "/app/"}}, []string{"/app/.env → base/conf/.env"}, "/app"},
		{[]Mount{{Host: "prefect.toml", Container: "./"}}, []string{"prefect.toml → base/prefect.toml"}, ""},
		{[]Mount{{Host: "prefect.toml", Container: "."}}, []string{"prefect.toml → base/prefect.toml"}, ""},
		{[]Mount{{Host: "config", Container: "/flows"}}, []string{"/flows → base/config"}, "/flows"},
		{[]Mount{{Host: "/etc/prefect/profiles.toml", Container: "/root/.prefect/profiles.toml"}}, []string{"/root/.prefect/profiles.toml → /etc/prefect/profiles.toml"}, ""},
	}
	for _, tt := range tests {
		sc := (&Container{Mounts: tt.mounts}).Settings("base")
		var files []string
		for _, m := range sc.Files {
			files = append(files, m.Path+" → "+filepath.ToSlash(m.File))
		}
		if !slices.Equal(files, tt.files) || sc.Dir != tt.dir {
			t.Errorf("%v: files %v in %q, want %v in %q", tt.mounts, files, sc.Dir, tt.files, tt.dir)
		}
	}
}

// TestContainerSettingsImage: of an image's variables, a build argument is
// gone once it is built, a setting prefect config set writes goes to its
// active profile, and one written to a named profile is said to be left
// out.
func TestContainerSettingsImage(t *testing.T) {
	at := sources.Position{File: "Dockerfile", Line: 3, Column: 5}
	c := &Container{Vars: []Var{
		{Name: "API_KEY", Pos: at, Build: true, Deferred: "--build-arg API_KEY"},
		{Name: "PREFECT_API_URL", Value: "http://a/api", Pos: at},
		{Name: "PREFECT_LOGGING_LEVEL", Value: "WARNING", Pos: at, InProfile: true},
		{Name: "PREFECT_API_KEY", Value: "pnu_x", Pos: at, InProfile: true, Profile: "prod"},
	}}
	sc := c.Settings(".")
	names := func(vs []sources.Var) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.Name)
		}
		return out
	}
	if got := names(sc.Env); !slices.Equal(got, []string{"PREFECT_API_URL"}) {
		t.Errorf("env %v", got)
	}
	if got := names(sc.Profile); !slices.Equal(got, []string{"PREFECT_LOGGING_LEVEL"}) {
		t.Errorf("profile %v", got)
	}
	if len(sc.Warnings) != 1 || !strings.Contains(sc.Warnings[0].Msg, `PREFECT_API_KEY is written into profile "prod" of the image`) || strings.Contains(sc.Warnings[0].Msg, "pnu_x") {
		t.Errorf("warnings %v", sc.Warnings)
	}
}
