// Package golden runs the scenarios of the reference corpus recorded from
// Prefect (testdata/golden): it lays out a scenario's files, builds its
// environment, and compares resolved settings with what Prefect resolved.
package golden

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// Scenario is one recorded case.
type Scenario struct {
	Name     string
	Files    map[string]string // path under the root → contents
	Env      []string          // NAME=VALUE lines, $ROOT not yet replaced
	Settings map[string]any    // want/settings.json, when present
	Profile  *string           // want/profile, when present
	Errors   []string          // want/errors: settings that must be named
	Warnings []string          // want/warnings
	Crash    bool              // Prefect crashed on this input
}

// Read parses a scenario file.
func Read(path string) (*Scenario, error) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		return nil, err
	}
	sc := &Scenario{Name: strings.TrimSuffix(filepath.Base(path), ".txtar"), Files: map[string]string{}}
	for _, f := range ar.Files {
		data := string(f.Data)
		switch {
		case f.Name == "env":
			for _, line := range strings.Split(data, "\n") {
				if strings.Contains(line, "=") {
					sc.Env = append(sc.Env, line)
				}
			}
		case f.Name == "want/settings.json":
			if err := json.Unmarshal(f.Data, &sc.Settings); err != nil {
				return nil, fmt.Errorf("%s: want/settings.json: %w", path, err)
			}
		case f.Name == "want/profile":
			p := strings.TrimSpace(data)
			sc.Profile = &p
		case f.Name == "want/errors":
			sc.Errors = lines(data)
		case f.Name == "want/warnings":
			sc.Warnings = lines(data)
		case f.Name == "want/prefect-crash":
			sc.Crash = true
		case strings.HasPrefix(f.Name, "want/"):
		default:
			sc.Files[f.Name] = data
		}
	}
	return sc, nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Layout writes the scenario's files under root (with home and work
// folders) and returns its environment, with $ROOT replaced.
func (sc *Scenario) Layout(root string) ([]string, error) {
	for _, d := range []string{"home", "work"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return nil, err
		}
	}
	for name, data := range sc.Files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return nil, err
		}
	}
	env := []string{"HOME=" + filepath.Join(root, "home")}
	for _, kv := range sc.Env {
		env = append(env, strings.ReplaceAll(kv, "$ROOT", root))
	}
	return env, nil
}

// dictLeaves are the settings whose values are objects.
var dictLeaves = map[string]bool{
	"client.custom_headers": true, "server.services.db_vacuum.event_retention_overrides": true,
	"testing.test_setting": true,
}

// Flatten turns a nested settings object into dotted keys.
func Flatten(v map[string]any) map[string]any {
	out := map[string]any{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, x := range m {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			if sub, ok := x.(map[string]any); ok && !dictLeaves[key] {
				walk(key, sub)
				continue
			}
			out[key] = x
		}
	}
	walk("", v)
	return out
}

// Diff compares resolved settings (a nested object, with root already
// replaced by $ROOT) with the recorded ones, as JSON values: numbers by
// value, objects without regard to order. It returns one line per setting
// that differs.
func Diff(want, got map[string]any) []string {
	fw, fg := Flatten(want), Flatten(got)
	keys := map[string]bool{}
	for k := range fw {
		keys[k] = true
	}
	for k := range fg {
		keys[k] = true
	}
	var diffs []string
	for k := range keys {
		w, okw := fw[k]
		g, okg := fg[k]
		if unordered[k] {
			w, g = sorted(w), sorted(g)
		}
		if !okw || !okg || !equal(w, g) {
			wj, _ := json.Marshal(w)
			gj, _ := json.Marshal(g)
			if !okw {
				wj = []byte("<missing>")
			}
			if !okg {
				gj = []byte("<missing>")
			}
			diffs = append(diffs, fmt.Sprintf("%s: want %s, got %s", k, wj, gj))
		}
	}
	sort.Strings(diffs)
	return diffs
}

// unordered are the list settings whose order Prefect leaves to chance:
// logging.extra_loggers is built from a Python set of strings, whose order
// changes from process to process with hash randomization (the same input
// gives ["dask", "distributed"] in one run and ["distributed", "dask"] in the
// next). Strata sorts them; the corpus recorded one run's order.
var unordered = map[string]bool{"logging.extra_loggers": true}

func sorted(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	out := append([]any(nil), l...)
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

func equal(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k := range x {
			if !equal(x[k], y[k]) {
				return false
			}
		}
		return true
	}
	return a == b
}

// Run runs fn on every scenario in dir, each as a parallel subtest with the
// scenario laid out under a fresh root: env is its environment, and the
// working directory is root/work.
func Run(t *testing.T, dir string, fn func(t *testing.T, sc *Scenario, root string, env []string)) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden scenarios in %s: %v", dir, err)
	}
	for _, f := range files {
		sc, err := Read(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			env, err := sc.Layout(root)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, sc, root, env)
		})
	}
}

// Folder is one folder of scenarios recorded from a Prefect release under
// testdata/golden-versions: <release>, on the newest pydantic-settings, or
// <release>/pydantic-settings-2.13.
type Folder struct {
	Name             string // the subtest name: "3.4.2" or "3.4.2/pydantic-settings-2.13"
	Release          string // the Prefect release: "3.4.2"
	Sub              string // "" or "pydantic-settings-2.13"
	PydanticSettings string // the pydantic-settings version it selects: "" or "2.13.1"
}

// Dir returns the folder's path under root.
func (f Folder) Dir(root string) string { return filepath.Join(root, f.Release, f.Sub) }

// Folders lists the folders of root, a testdata/golden-versions, release
// by release, each on both sides of pydantic-settings 2.14.
func Folders(t *testing.T, root string) []Folder {
	t.Helper()
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []Folder
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		out = append(out,
			Folder{Name: d.Name(), Release: d.Name()},
			Folder{Name: d.Name() + "/pydantic-settings-2.13", Release: d.Name(), Sub: "pydantic-settings-2.13", PydanticSettings: "2.13.1"})
	}
	return out
}
