package settings_test

import (
	"strings"
	"testing"

	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// inManifest is a position in the manifest of the tests.
func inManifest(line, col int) sources.Position {
	return sources.Position{File: "m.yaml", Line: line, Column: col}
}

// TestLoadContainerContent resolves files whose content the deployment
// file holds (a ConfigMap mounted as a volume): values, errors and
// warnings are where the manifest writes them; a file whose content is
// known only when deployed is resolved as absent, with a warning.
func TestLoadContainerContent(t *testing.T) {
	c := &settings.Container{
		Name: `Pod "p", container "c"`,
		Files: []settings.Mount{{
			Path: "/opt/prefect/prefect.toml", File: "m.yaml", Pos: inManifest(30, 11),
			Data: []byte("[server.api]\nport = 4300\n\n[client]\nmax_retries = \"many\"\n"), DataPos: inManifest(7, 5), InPlace: true,
			From: `ConfigMap "files" key "prefect.toml"`,
		}, {
			Path: "/opt/prefect/.env", File: "m.yaml", Pos: inManifest(31, 11),
			Data: []byte("PREFECT_LOGGING_LEVEL=DEBUG\nfoo bar\n"), DataPos: inManifest(20, 9), // escaped: at DataPos
			From: `ConfigMap "files" key ".env"`,
		}, {
			Path: "/root/.prefect/profiles.toml", Pos: inManifest(32, 11), Deferred: `Secret "profiles", which no file read defines`,
		}},
		Release: settings.ContainerRelease{Version: "3.8.3"},
	}
	r, err := settings.Load(settings.Options{Container: c, Dir: t.TempDir(), Environ: []string{}})
	if r == nil {
		t.Fatal(err)
	}
	if got := err.Error(); got != `m.yaml:11:5: error: client.max_retries: Input should be a valid integer, unable to parse string as an integer` {
		t.Errorf("error %q", got)
	}
	o, _ := r.Origin("server.api.port")
	if got := o.Source().Pos; got.String() != "m.yaml:8:5" {
		t.Errorf("server.api.port from %s; want m.yaml:8:5", got)
	}
	o, _ = r.Origin("logging.level")
	if got := o.Source().Pos; got != inManifest(20, 9) {
		t.Errorf("logging.level from %s; want m.yaml:20:9", got)
	}
	var warnings []string
	for _, w := range r.Warnings {
		warnings = append(warnings, w.Diagnostic().String())
	}
	for _, want := range []string{
		"m.yaml:20:9: warning: python-dotenv could not parse the statement",
		`m.yaml:32:11: warning: /root/.prefect/profiles.toml in the container is mounted from Secret "profiles", which no file read defines: the settings it holds are not known here, and are resolved without it`,
	} {
		found := false
		for _, w := range warnings {
			found = found || strings.HasPrefix(w, want)
		}
		if !found {
			t.Errorf("warnings:\n%s\nwant one starting %q", strings.Join(warnings, "\n"), want)
		}
	}
	var notes []string
	for _, n := range r.Notes {
		notes = append(notes, n.Diagnostic().String())
	}
	if want := `m.yaml:7:5: warning: read as /opt/prefect/prefect.toml in the container: ConfigMap "files" key "prefect.toml", put there at m.yaml:30:11`; !strings.Contains(strings.Join(notes, "\n"), want) {
		t.Errorf("notes:\n%s\nwant %s", strings.Join(notes, "\n"), want)
	}
}
