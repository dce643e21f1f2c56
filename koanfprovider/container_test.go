package koanfprovider_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-settings/strata/koanfprovider"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestContainer: a provider of a container's settings serves its
// environment, not the process's nor the project's files here.
func TestContainer(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "prefect.toml"), []byte("[server.api]\nport = 4999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PREFECT_API_URL", "http://process/api")
	c := &settings.Container{
		Env: []sources.Var{
			{Name: "PREFECT_API_URL", Value: "http://server:4200/api", Pos: sources.Position{File: "compose.yaml", Line: 9, Column: 24}},
			{Name: "PREFECT_API_KEY", Pos: sources.Position{File: "compose.yaml", Line: 10, Column: 24}, Deferred: "secretKeyRef prefect/api-key"},
		},
		Release: settings.ContainerRelease{Version: "3.4.22", Pos: sources.Position{File: "compose.yaml", Line: 4, Column: 12}, From: "image prefecthq/prefect:3.4.22"},
	}
	k := load(t, koanfprovider.New(settings.Options{Dir: dir, Container: c}))
	if got := k.String("api.url"); got != "http://server:4200/api" {
		t.Errorf("api.url = %q", got)
	}
	if got := k.Int("server.api.port"); got != 4200 {
		t.Errorf("server.api.port = %d: the project's prefect.toml is not the container's", got)
	}
	if k.Exists("api.key") {
		t.Errorf("api.key = %q; it is known only when the container is deployed", k.String("api.key"))
	}
	if got := k.String("home"); got != "/root/.prefect" {
		t.Errorf("home = %q", got)
	}
}
