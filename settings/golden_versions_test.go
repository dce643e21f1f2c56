package settings_test

import (
	"os"
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
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		rel := d.Name()
		for _, side := range []struct{ dir, ps string }{{"", ""}, {"pydantic-settings-2.13", "2.13.1"}} {
			name := rel
			if side.dir != "" {
				name += "/" + side.dir
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				golden.Run(t, filepath.Join(root, rel, side.dir), func(t *testing.T, sc *golden.Scenario, dir string, env []string) {
					r, err := settings.Load(settings.Options{
						Environ: env, Dir: filepath.Join(dir, "work"), Home: filepath.Join(dir, "home"),
						PrefectVersion: rel, PydanticSettingsVersion: side.ps,
					})
					checkGolden(t, sc, dir, r, err)
				})
			})
		}
	}
}
