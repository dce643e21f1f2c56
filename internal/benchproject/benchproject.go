// Package benchproject is the realistic project the benchmarks resolve
// (testdata/bench): about 40 environment variables, a .env, a prefect.toml
// with a dozen keys, a real-looking pyproject.toml and a profiles file with
// four profiles.
package benchproject

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/settings"
)

// Options returns the options that resolve the project; root is the path
// of testdata/bench from the calling package's directory.
func Options(tb testing.TB, root string) settings.Options {
	tb.Helper()
	root, err := filepath.Abs(root)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "env"))
	if err != nil {
		tb.Fatal(err)
	}
	env := strings.Split(strings.TrimSpace(string(data)), "\n")
	env = append(env, "HOME="+filepath.Join(root, "home"))
	return settings.Options{Environ: env, Dir: filepath.Join(root, "work"), Home: filepath.Join(root, "home")}
}
