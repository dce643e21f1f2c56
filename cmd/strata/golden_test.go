package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/internal/golden"
	"github.com/strata-settings/strata/internal/render"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// strataBin is the strata binary built for the tests that run it as users
// do, in a scenario's own environment.
var strataBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "strata-test")
	if err != nil {
		panic(err)
	}
	strataBin = filepath.Join(dir, "strata")
	// A development build in any checkout: in a clean clone Go would stamp
	// the commit as the version, which the scripts' User-Agent is not.
	build := exec.Command("go", "build", "-buildvcs=false", "-o", strataBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building strata: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runScenario runs the built binary in a scenario laid out under root, with
// its environment alone, and returns the exit status and the output, root
// written $ROOT.
func runScenario(t *testing.T, root string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(strataBin, args...)
	cmd.Dir = filepath.Join(root, "work")
	cmd.Env = append(env, "PATH=/usr/bin:/bin")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, strings.ReplaceAll(stdout.String(), root, "$ROOT"), strings.ReplaceAll(stderr.String(), root, "$ROOT")
}

// TestGoldenCLI runs every corpus scenario through the built binary, as
// users meet it: `config dump --show-secrets` must print what Prefect
// resolved, `config view -o json` must name the profile, and invalid
// settings must fail naming every one of them on stderr.
func TestGoldenCLI(t *testing.T) {
	golden.Run(t, "../../testdata/golden", func(t *testing.T, sc *golden.Scenario, root string, env []string) {
		checkGoldenCLI(t, sc, root, env, schema.Newest())
	})
}

// checkGoldenCLI runs the scenario sc, laid out under root, through the
// binary and compares with what Prefect resolved; set is the settings of
// the release the environment selects.
func checkGoldenCLI(t *testing.T, sc *golden.Scenario, root string, env []string, set *schema.Set) {
	checkGoldenCLIExplain(t, sc, root, env, set, true)
}

// checkGoldenCLIExplain is checkGoldenCLI, checking config explain's story
// of every setting too when explain is set.
func checkGoldenCLIExplain(t *testing.T, sc *golden.Scenario, root string, env []string, set *schema.Set, explain bool) {
	t.Helper()
	{
		run := func(args ...string) (int, string, string) { return runScenario(t, root, env, args...) }
		code, out, errOut := run("config", "dump", "--show-secrets")
		if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic:") {
			t.Fatalf("strata panicked:\n%s", errOut)
		}
		switch {
		case sc.Crash:
			if code != 0 && code != 1 {
				t.Errorf("exit %d; want 0 or 1\n%s", code, errOut)
			}
			return
		case sc.Errors != nil:
			if code != 1 || out != "" {
				t.Errorf("exit %d with stdout %q; want exit 1 and no output", code, out)
			}
			for _, w := range sc.Errors {
				if strings.HasPrefix(w, "(model") {
					continue
				}
				if file, ok := strings.CutPrefix(w, "(file "); ok {
					w = strings.TrimSuffix(file, ")")
				}
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr does not name %q:\n%s", w, errOut)
				}
			}
			return
		}
		if code != 0 {
			t.Fatalf("config dump: exit %d\n%s", code, errOut)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("config dump printed no JSON: %v\n%s", err, out)
		}
		for _, d := range golden.Diff(sc.Settings, got) {
			t.Error(d)
		}
		if explain {
			checkExplain(t, sc, set, func(args ...string) (int, string, string) { return run(args...) })
		}
		if sc.Profile == nil {
			return
		}
		code, out, errOut = run("config", "view", "-o", "json")
		if code != 0 {
			t.Fatalf("config view: exit %d\n%s", code, errOut)
		}
		var view struct {
			Profile string `json:"profile"`
		}
		if err := json.Unmarshal([]byte(out), &view); err != nil {
			t.Fatalf("config view printed no JSON: %v\n%s", err, out)
		}
		if view.Profile != *sc.Profile {
			t.Errorf("profile: want %q, got %q", *sc.Profile, view.Profile)
		}
	}
}

// TestGoldenVersionsCLI runs the hand-written scenarios recorded from each
// Prefect release (testdata/golden-versions, the ones named alike in every
// release) through the binary with STRATA_PREFECT_VERSION, and
// STRATA_PYDANTIC_SETTINGS_VERSION for the pydantic-settings-2.13 folders,
// as users select them. The library runs every scenario (settings'
// TestGoldenVersions).
func TestGoldenVersionsCLI(t *testing.T) {
	const root = "../../testdata/golden-versions"
	for _, f := range golden.Folders(t, root) {
		extra := []string{"STRATA_PREFECT_VERSION=" + f.Release}
		if f.PydanticSettings != "" {
			extra = append(extra, "STRATA_PYDANTIC_SETTINGS_VERSION="+f.PydanticSettings)
		}
		rel, _, err := release.Select(f.Release, f.PydanticSettings)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			golden.Run(t, f.Dir(root), func(t *testing.T, sc *golden.Scenario, dir string, env []string) {
				if strings.HasPrefix(sc.Name, "ver-") {
					t.Skip("random scenarios run through the library only")
				}
				if f.Sub != "" && sameRecord(filepath.Join(root, f.Release), f.Sub, sc.Name) {
					t.Skip("recorded alike on both sides of pydantic-settings 2.14")
				}
				// config explain once a release: on pydantic-settings 2.14
				checkGoldenCLIExplain(t, sc, dir, append(env, extra...), rel.Schema(), f.Sub == "")
			})
		})
	}
}

// sameRecord reports whether scenario name is recorded alike in dir and in
// its subfolder sub.
func sameRecord(dir, sub, name string) bool {
	a, errA := os.ReadFile(filepath.Join(dir, name+".txtar"))
	b, errB := os.ReadFile(filepath.Join(dir, sub, name+".txtar"))
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// checkExplain runs config explain over every setting of a scenario and
// checks its story against what Prefect resolved: the value it reports is
// the recorded one, a value from a layer is the winning candidate's value
// coerced, and a default is the default.
func checkExplain(t *testing.T, sc *golden.Scenario, set *schema.Set, run func(args ...string) (int, string, string)) {
	t.Helper()
	args := []string{"config", "explain", "-o", "json", "--show-secrets"}
	for _, s := range set.All() {
		args = append(args, s.Path)
	}
	code, out, errOut := run(args...)
	if code != 0 {
		t.Fatalf("config explain: exit %d\n%s", code, errOut)
	}
	var all []struct {
		Setting    string
		Value      any
		Default    any
		Layer      string
		Derivation string
		Candidates []struct {
			Layer, Status string
			Value         any
		}
	}
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatalf("config explain printed no JSON: %v", err)
	}
	want := golden.Flatten(sc.Settings)
	same := func(path string, w, g any) bool {
		return len(golden.Diff(map[string]any{path: w}, map[string]any{path: g})) == 0
	}
	for _, e := range all {
		s, _ := set.ByPath(e.Setting)
		if !same(e.Setting, want[e.Setting], e.Value) {
			t.Errorf("explain %s: value %v, Prefect resolved %v", e.Setting, e.Value, want[e.Setting])
		}
		switch {
		case e.Derivation != "" || s.Kind.IsJSON() || s.Computed:
			// Derived, merged or computed: the value check above holds.
		case e.Layer == "default":
			if !same(e.Setting, want[e.Setting], e.Default) {
				t.Errorf("explain %s: says the default %v applies, Prefect resolved %v", e.Setting, e.Default, want[e.Setting])
			}
		default:
			var win any
			found := false
			for _, c := range e.Candidates {
				if c.Status == "wins" {
					win, found = c.Value, true
				}
			}
			if !found {
				t.Errorf("explain %s: from %s, but no candidate wins", e.Setting, e.Layer)
				continue
			}
			if n, ok := win.(float64); ok && n == float64(int64(n)) && e.Layer != "env" && e.Layer != ".env" {
				win = int64(n) // a TOML integer, through JSON
			}
			v, err := settings.Decode(s, layerKind(e.Layer), win)
			if err != nil {
				t.Errorf("explain %s: the winning value %v does not decode: %v", e.Setting, win, err)
				continue
			}
			if g := render.JSONValue(s, v, true); !same(e.Setting, want[e.Setting], roundTrip(g)) {
				t.Errorf("explain %s: the winning candidate %v (%s) gives %v, Prefect resolved %v", e.Setting, win, e.Layer, g, want[e.Setting])
			}
		}
	}
}

func layerKind(name string) sources.Kind {
	for k := sources.Kind(0); k <= sources.Default; k++ {
		if k.String() == name {
			return k
		}
	}
	return sources.Default
}

// roundTrip gives a Go value the form JSON decoding gives it.
func roundTrip(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}

// TestGoldenLint lints every corpus scenario, environment included: lint
// never fails to run, and it finds an error in every scenario whose
// settings Prefect rejects.
func TestGoldenLint(t *testing.T) {
	golden.Run(t, "../../testdata/golden", func(t *testing.T, sc *golden.Scenario, root string, env []string) {
		code, stdout, stderr := runScenario(t, root, env, "lint", "--env")
		if code > 1 || strings.Contains(stderr, "panic:") {
			t.Fatalf("lint: exit %d\n%s", code, stderr)
		}
		if sc.Errors != nil && !strings.Contains(stdout, ": error: ") {
			t.Errorf("Prefect rejects this scenario, lint found no error:\n%s", stdout)
		}
		for _, w := range sc.Errors {
			if strings.HasPrefix(w, "(") {
				continue
			}
			// A union setting's error names its member: float, list[float]...
			for _, ok := schema.ByPath(w); !ok && strings.Contains(w, "."); _, ok = schema.ByPath(w) {
				w = w[:strings.LastIndexByte(w, '.')]
			}
			if !strings.Contains(stdout, w) {
				t.Errorf("Prefect rejects %s, lint does not name it:\n%s", w, stdout)
			}
		}
	})
}
