package settings_test

import (
	"path/filepath"
	"testing"

	"github.com/strata-settings/strata/internal/golden"
	"github.com/strata-settings/strata/settings"
)

// TestGoldenVersions resolves every scenario recorded from each Prefect
// release (testdata/golden-versions/<release>) with that release selected,
// and again on pydantic-settings 2.13 (its pydantic-settings-2.13 folder).
func TestGoldenVersions(t *testing.T) {
	const root = "../testdata/golden-versions"
	for _, f := range golden.Folders(t, root) {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			golden.Run(t, f.Dir(root), func(t *testing.T, sc *golden.Scenario, dir string, env []string) {
				r, err := settings.Load(settings.Options{
					Environ: env, Dir: filepath.Join(dir, "work"), Home: filepath.Join(dir, "home"),
					PrefectVersion: f.Release, PydanticSettingsVersion: f.PydanticSettings,
				})
				checkGolden(t, sc, dir, r, err)
			})
		})
	}
}
