package settings_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// exampleProject writes a prefect.toml and a profiles file into a temporary
// directory and returns options that resolve settings for it.
func exampleProject() (settings.Options, func()) {
	root, _ := os.MkdirTemp("", "strata-example")
	os.MkdirAll(filepath.Join(root, "work"), 0o755)
	os.MkdirAll(filepath.Join(root, "home", ".prefect"), 0o755)
	os.WriteFile(filepath.Join(root, "work", "prefect.toml"), []byte("[server.api]\nport = 4300\n"), 0o644)
	os.WriteFile(filepath.Join(root, "home", ".prefect", "profiles.toml"), []byte(
		"active = \"dev\"\n\n[profiles.dev]\nPREFECT_API_URL = \"http://127.0.0.1:4300/api\"\nPREFECT_API_AUTH_STRING = \"admin:pass\"\n"), 0o644)
	opts := settings.Options{
		Environ: []string{"PREFECT_LOGGING_LEVEL=debug"},
		Dir:     filepath.Join(root, "work"),
		Home:    filepath.Join(root, "home"),
	}
	return opts, func() { os.RemoveAll(root) }
}

// Load resolves the settings of a project: here a prefect.toml, a profile
// and one environment variable.
func ExampleLoad() {
	opts, cleanup := exampleProject()
	defer cleanup()

	r, err := settings.Load(opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("profile:", r.Profile)
	fmt.Println("api.url:", *r.Settings.API.URL)
	fmt.Println("server.api.port:", r.Settings.Server.API.Port)
	fmt.Println("logging.level:", r.Settings.Logging.Level)
	fmt.Println("auth string:", r.Settings.API.AuthString) // secrets print masked
	fmt.Println("client sends:", r.Credentials().Scheme)
	// Output:
	// profile: dev
	// api.url: http://127.0.0.1:4300/api
	// server.api.port: 4300
	// logging.level: DEBUG
	// auth string: ********
	// client sends: Basic
}

// Origin explains a value: which layer won, where it was written, what it
// shadowed, and how a derived value was derived.
func ExampleResult_Origin() {
	opts, cleanup := exampleProject()
	defer cleanup()
	opts.Environ = append(opts.Environ, "PREFECT_SERVER_API_PORT=4400")

	r, _ := settings.Load(opts)
	o, _ := r.Origin("server.api.port")
	fmt.Println("value:", r.Settings.Server.API.Port)
	fmt.Println("from:", o.Layer, o.Source().Pos)
	for _, c := range o.Shadowed() {
		fmt.Println("shadows:", c.Layer, c.Raw)
	}
	ui, _ := r.Origin("server.ui.api_url")
	fmt.Println("server.ui.api_url:", *r.Settings.Server.UI.APIURL, "("+ui.Derivation+")")
	// Output:
	// value: 4400
	// from: env env PREFECT_SERVER_API_PORT
	// shadows: prefect.toml 4300
	// server.ui.api_url: http://127.0.0.1:4300/api (from api.url)
}

// An invalid value fails the load with an error naming the setting and
// where it was written; every invalid setting is listed.
func ExampleErrorList() {
	empty, _ := os.MkdirTemp("", "strata-example")
	defer os.RemoveAll(empty)
	_, err := settings.Load(settings.Options{
		Environ: []string{"PREFECT_SERVER_API_PORT=http", "PREFECT_CLIENT_MAX_RETRIES=-1"},
		Dir:     empty, // no .env, prefect.toml or pyproject.toml here
		Home:    empty, // and no profiles file
	})
	for _, e := range err.(settings.ErrorList) {
		fmt.Println(e)
	}
	// Output:
	// env PREFECT_CLIENT_MAX_RETRIES: error: client.max_retries: Input should be greater than or equal to 0
	// env PREFECT_SERVER_API_PORT: error: server.api.port: Input should be a valid integer, unable to parse string as an integer
}

// A container's settings: its environment, each value positioned where the
// deployment file writes it, and no file of this machine it does not
// mount. Package deploy makes such a Container of each container of a
// Compose file, Kubernetes manifests or a Dockerfile.
func ExampleOptions_container() {
	opts, cleanup := exampleProject() // a prefect.toml and profile the container does not see
	defer cleanup()
	at := func(line, col int) sources.Position {
		return sources.Position{File: "compose.yaml", Line: line, Column: col}
	}
	opts.Container = &settings.Container{
		Env: []sources.Var{
			{Name: "PREFECT_API_URL", Value: "http://server:4200/api", Pos: at(12, 24)},
			{Name: "PREFECT_API_KEY", Pos: at(13, 24), Deferred: "secretKeyRef prefect/api-key"},
		},
		Release: settings.ContainerRelease{Version: "3.4.22", Pos: at(9, 12), From: "image prefecthq/prefect:3.4.22-python3.11"},
	}

	r, err := settings.Load(opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	o, _ := r.Origin("api.url")
	fmt.Println("release:", r.Release.Version, "from", r.Prefect.Prefect.Where())
	fmt.Println("api.url:", *r.Settings.API.URL, "from", o.Source().Pos)
	fmt.Println("server.api.port:", r.Settings.Server.API.Port) // not the host's prefect.toml
	fmt.Println("home:", r.Settings.Home)
	if key, _ := r.Origin("api.key"); key != nil {
		d, _ := key.Deferred()
		fmt.Println("api.key: set when deployed, from", d.Raw, "at", d.Pos)
	}
	// Output:
	// release: 3.4.22 from compose.yaml:9:12
	// api.url: http://server:4200/api from compose.yaml:12:24
	// server.api.port: 4200
	// home: /root/.prefect
	// api.key: set when deployed, from secretKeyRef prefect/api-key at compose.yaml:13:24
}
