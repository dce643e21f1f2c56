package settings_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/strata-settings/strata/internal/golden"
	"github.com/strata-settings/strata/release"
)

// TestReleaseBoundaries resolves the scenarios of testdata/boundaries,
// each recorded from the releases on both sides of a change between
// releases (testdata/boundaries/<release>/<change>-*.txtar), as that
// release, on pydantic-settings 2.14.1 and 2.13.1. A scenario's
// want/settings-changed.json lists the settings whose value differs from
// the release's no-input resolution (testdata/no-input); the others keep
// it. Its pydantic-settings-2.13 folder holds the scenarios whose outcome
// differs there.
func TestReleaseBoundaries(t *testing.T) {
	const root = "../testdata/boundaries"
	noInput := noInputFiles(t)
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		v, err := release.ParseVersion(d.Name())
		if err != nil || noInput[v] == "" {
			t.Fatalf("%s: not a known release: %v", d.Name(), err)
		}
		base := readSettings(t, noInput[v])
		dir := filepath.Join(root, d.Name())
		files, _ := filepath.Glob(filepath.Join(dir, "*.txtar"))
		older, _ := filepath.Glob(filepath.Join(dir, "pydantic-settings-2.13", "*.txtar"))
		for _, f := range older {
			if !slices.Contains(files, filepath.Join(dir, filepath.Base(f))) {
				t.Errorf("%s: no scenario of that name in %s", f, dir)
			}
		}
		for _, f := range files {
			for _, ps := range []string{"2.14.1", "2.13.1"} {
				file := f
				if o := filepath.Join(dir, "pydantic-settings-2.13", filepath.Base(f)); ps == "2.13.1" && slices.Contains(older, o) {
					file = o
				}
				name := strings.TrimSuffix(filepath.Base(f), ".txtar")
				t.Run(d.Name()+"/"+name+"/pydantic-settings-"+ps, func(t *testing.T) {
					t.Parallel()
					sc := readBoundary(t, file, base)
					r, dir, err := resolveAs(t, sc, v, ps)
					checkGolden(t, sc, dir, r, err)
					// Before 3.1.1 logging.extra_loggers is a list: its order
					// and duplicates are Prefect's, not a set's.
					if want, ok := sc.Settings["logging.extra_loggers"]; ok && err == nil && !r.Release.ExtraLoggersSet {
						got, _ := json.Marshal(r.Settings.Logging.ExtraLoggers)
						if w, _ := json.Marshal(want); string(got) != string(w) {
							t.Errorf("logging.extra_loggers: got %s, want %s in this order", got, w)
						}
					}
				})
			}
		}
	}
}

// readSettings returns the settings a recorded scenario resolved, by
// dotted path.
func readSettings(t *testing.T, file string) map[string]any {
	t.Helper()
	sc, err := golden.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	return golden.Flatten(sc.Settings)
}

// readBoundary reads a scenario of testdata/boundaries: its settings are
// base, the no-input resolution of its release, with the changed ones.
func readBoundary(t *testing.T, file string, base map[string]any) *golden.Scenario {
	t.Helper()
	sc, err := golden.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if f.Name != "want/settings-changed.json" {
			continue
		}
		var changed map[string]any
		if err := json.Unmarshal(f.Data, &changed); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		sc.Settings = maps.Clone(base)
		maps.Copy(sc.Settings, changed)
	}
	return sc
}
