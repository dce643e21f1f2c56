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
	build := exec.Command("go", "build", "-o", strataBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building strata: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestGoldenCLI runs every corpus scenario through the built binary, as
// users meet it: `config dump --show-secrets` must print what Prefect
// resolved, `config view -o json` must name the profile, and invalid
// settings must fail naming every one of them on stderr.
func TestGoldenCLI(t *testing.T) {
	files, err := filepath.Glob("../../testdata/golden/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden scenarios: %v", err)
	}
	for _, f := range files {
		sc, err := golden.Read(f)
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
			run := func(args ...string) (int, string, string) {
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
		})
	}
}
