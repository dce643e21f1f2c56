package settings_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/strata-settings/strata/internal/golden"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/settings"
)

// TestNoInput resolves an empty project (no files, an empty environment,
// a home directory of its own) as every known release, on both sides of
// pydantic-settings 2.14, and compares with what that release of Prefect
// resolved (testdata/no-input). Each file there is one result and lists
// the releases that resolve so on its "releases:" line; every known
// release must be listed exactly once.
func TestNoInput(t *testing.T) {
	recorded := noInputFiles(t)
	for _, v := range release.Known() {
		if recorded[v] == "" {
			t.Errorf("Prefect %s: no recording of its no-input resolution in %s", v, noInputDir)
		}
	}
	for _, v := range release.Known() {
		f := recorded[v]
		if f == "" {
			continue
		}
		sc, err := golden.Read(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, ps := range []string{"2.14.1", "2.13.1"} {
			t.Run(v.String()+"/pydantic-settings-"+ps, func(t *testing.T) {
				t.Parallel()
				r, root, err := resolveAs(t, sc, v, ps)
				checkGolden(t, sc, root, r, err)
			})
		}
	}
}

// resolveAs lays the scenario out in a fresh directory, root, and
// resolves it as release v on pydantic-settings ps.
func resolveAs(t *testing.T, sc *golden.Scenario, v release.Version, ps string) (r *settings.Result, root string, err error) {
	t.Helper()
	root = t.TempDir()
	env, err := sc.Layout(root)
	if err != nil {
		t.Fatal(err)
	}
	r, err = settings.Load(settings.Options{
		Environ: env, Dir: filepath.Join(root, "work"), Home: filepath.Join(root, "home"),
		PrefectVersion: v.String(), PydanticSettingsVersion: ps,
	})
	return r, root, err
}

const noInputDir = "../testdata/no-input"

// noInputFiles maps each release to the file of testdata/no-input that
// holds its no-input resolution.
func noInputFiles(t *testing.T) map[release.Version]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(noInputDir, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings in %s: %v", noInputDir, err)
	}
	known := map[release.Version]bool{}
	for _, v := range release.Known() {
		known[v] = true
	}
	recorded := map[release.Version]string{}
	for _, f := range files {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rels []string
		for line := range strings.Lines(string(ar.Comment)) {
			if list, ok := strings.CutPrefix(line, "releases:"); ok {
				rels = strings.Fields(list)
			}
		}
		if len(rels) == 0 {
			t.Errorf("%s: no releases: line", f)
		}
		for _, r := range rels {
			v, err := release.ParseVersion(r)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if prev, dup := recorded[v]; dup {
				t.Errorf("Prefect %s is recorded in %s and %s", v, prev, f)
			}
			if !known[v] {
				t.Errorf("%s: Prefect %s is not a known release", f, v)
			}
			recorded[v] = f
		}
	}
	return recorded
}

// TestNoInputFilesAreOracleRecords keeps the recordings in the form the
// oracle writes: an empty environment and no files laid out.
func TestNoInputFilesAreOracleRecords(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(noInputDir, "*.txtar"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ar := txtar.Parse(data)
		for _, af := range ar.Files {
			if af.Name != "env" && !strings.HasPrefix(af.Name, "want/") {
				t.Errorf("%s: section %q lays out a file; a no-input scenario has none", f, af.Name)
			}
			if af.Name == "env" && len(strings.TrimSpace(string(af.Data))) > 0 {
				t.Errorf("%s: the environment is not empty", f)
			}
		}
	}
}
