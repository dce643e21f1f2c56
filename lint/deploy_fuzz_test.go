package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzLintDeploy lints arbitrary contents as each kind of deployment file
// (a Compose file, a manifest, a Dockerfile, a script, a workflow):
// no panic, every finding at a place of the files, every fix inside
// them. The seeds are the stacks of testdata/deploy.
func FuzzLintDeploy(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "deploy", "*.txtar"))
	for _, p := range paths {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if file.Name != "want" {
				f.Add(file.Data)
			}
		}
	}
	names := []string{"compose.yaml", "k8s/manifest.yaml", "Dockerfile", "scripts/start.sh", ".github/workflows/ci.yml", "values.yaml"}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		for _, name := range names {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home")})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Pos.File == "" || strings.HasPrefix(f.Pos.File, dir) {
				t.Errorf("finding not at a place of the files as given: %+v", f)
			}
		}
		checkFuzzFindings(t, fs, data)
	})
}
