package settings_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/internal/golden"
	"github.com/strata-settings/strata/settings"
)

// TestGoldenBoundaries resolves the scenarios recorded from Prefect on
// either side of the releases where the reading of the sources changes
// (testdata/boundaries/<release>[/pydantic-settings-2.13]): the toml
// package's reading of TOML files before 3.6.14 (toml-*), the profile and
// TOML values keyed by the bare field name before 3.1.2 on
// pydantic-settings 2.13 (field-*), and the shifted .env reading of 3.1.2
// … 3.6.27 on pydantic-settings 2.14 (dotenv-*). A setting the release's
// schema lacks in Strata or in the recording is left out of the
// comparison: which settings a release has is pinned by
// testdata/golden-versions; these scenarios pin the readers.
func TestGoldenBoundaries(t *testing.T) {
	const root = "../testdata/boundaries"
	for _, f := range golden.Recorded(t, root) {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			golden.Run(t, f.Dir(root), func(t *testing.T, sc *golden.Scenario, dir string, env []string) {
				r, err := settings.Load(settings.Options{
					Environ: env, Dir: filepath.Join(dir, "work"), Home: filepath.Join(dir, "home"),
					PrefectVersion: f.Release, PydanticSettingsVersion: f.PydanticSettings,
				})
				if sc.Crash || sc.Errors != nil {
					checkGolden(t, sc, dir, r, err)
					return
				}
				if err != nil {
					t.Fatalf("resolution failed: %v", err)
				}
				out, err := r.JSON(true)
				if err != nil {
					t.Fatal(err)
				}
				var got map[string]any
				if err := json.Unmarshal([]byte(strings.ReplaceAll(string(out), dir, "$ROOT")), &got); err != nil {
					t.Fatal(err)
				}
				for _, d := range golden.Diff(sc.Settings, got) {
					if !strings.Contains(d, "<missing>") {
						t.Error(d)
					}
				}
				if sc.Profile != nil && r.Profile != *sc.Profile {
					t.Errorf("profile: want %q, got %q", *sc.Profile, r.Profile)
				}
			})
		})
	}
}
