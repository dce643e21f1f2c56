package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// action is the part of a GitHub Actions action.yml the tests read.
type action struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

// actionStep is one step of a composite action.
type actionStep struct {
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Shell            string            `yaml:"shell"`
	Run              string            `yaml:"run"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
}

func readAction(t *testing.T) *action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(false)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

var inputRef = regexp.MustCompile(`\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}|inputs\.([A-Za-z0-9_-]+)`)

// TestAction checks the composite action of action.yml: its inputs, that
// it installs strata with go install and runs strata lint with them, and
// that every input a step reads is declared.
func TestAction(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q; want composite", a.Runs.Using)
	}
	defaults := map[string]string{"format": "github", "sarif-file": "", "paths": "", "strict": "false", "version": "latest"}
	for name, want := range defaults {
		in, ok := a.Inputs[name]
		switch {
		case !ok:
			t.Errorf("no input %q", name)
		case in.Default == nil || *in.Default != want:
			t.Errorf("input %q: default %v; want %q", name, in.Default, want)
		case in.Description == "":
			t.Errorf("input %q has no description", name)
		}
	}
	if _, ok := lintFormats[*a.Inputs["format"].Default]; !ok {
		t.Errorf("the default format %q is not one strata lint knows", *a.Inputs["format"].Default)
	}
	var install, lintStep bool
	for _, st := range a.Runs.Steps {
		if st.Run != "" && st.Shell != "bash" {
			t.Errorf("step %q: a composite run step needs shell: bash", st.Name)
		}
		text := st.Run + st.If + st.WorkingDirectory
		for _, v := range st.Env {
			text += v
		}
		for _, m := range inputRef.FindAllStringSubmatch(text, -1) {
			name := m[1] + m[2]
			if _, ok := a.Inputs[name]; !ok {
				t.Errorf("step %q reads the undeclared input %q", st.Name, name)
			}
		}
		if strings.Contains(st.Run, "go install \"github.com/strata-settings/strata/cmd/strata@${STRATA_VERSION}\"") &&
			st.Env["STRATA_VERSION"] == "${{ inputs.version }}" {
			install = true
		}
		if strings.Contains(st.Run, "strata lint") && strings.Contains(st.Run, `--format "$STRATA_FORMAT"`) &&
			strings.Contains(st.Run, "--format sarif") {
			lintStep = true
		}
	}
	if !install {
		t.Error("no step installs strata with go install at the version input")
	}
	if !lintStep {
		t.Error("no step runs strata lint with the format input and a SARIF report")
	}
}

// TestActionLintStep runs the action's lint step as the runner would, with
// the strata built for the tests on PATH: annotations and a SARIF file for
// an invalid .env, and success for a valid one.
func TestActionLintStep(t *testing.T) {
	a := readAction(t)
	i := slices.IndexFunc(a.Runs.Steps, func(s actionStep) bool {
		return strings.Contains(s.Run, "strata lint")
	})
	if i < 0 {
		t.Fatal("no lint step")
	}
	step := a.Runs.Steps[i]
	inputs := map[string]string{"format": "github", "sarif-file": "report.sarif"}
	for name, in := range a.Inputs {
		if _, ok := inputs[name]; !ok && in.Default != nil {
			inputs[name] = *in.Default
		}
	}
	run := func(dotenv string) (out string, code, results int) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(dotenv), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + filepath.Dir(strataBin) + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + dir}
		for k, v := range step.Env {
			cmd.Env = append(cmd.Env, k+"="+inputRef.ReplaceAllStringFunc(v, func(ref string) string {
				m := inputRef.FindStringSubmatch(ref)
				return inputs[m[1]+m[2]]
			}))
		}
		b, err := cmd.CombinedOutput()
		out = string(b)
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		sarif, err := os.ReadFile(filepath.Join(dir, "report.sarif"))
		if err != nil {
			t.Fatalf("no SARIF file: %v\n%s", err, out)
		}
		var doc struct {
			Version string `json:"version"`
			Runs    []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(sarif, &doc); err != nil || doc.Version != "2.1.0" || len(doc.Runs) != 1 {
			t.Fatalf("SARIF file: %v\n%s", err, sarif)
		}
		return out, code, len(doc.Runs[0].Results)
	}

	out, code, results := run("PREFECT_SERVER_API_PORT=many\n")
	if code != 1 {
		t.Errorf("an invalid .env: exit %d; want 1", code)
	}
	if want := "::error file=.env,line=1,col=1,endLine=1,endColumn=24,title=invalid-value::server.api.port"; !strings.Contains(out, want) {
		t.Errorf("output does not hold %q:\n%s", want, out)
	}
	if results != 1 {
		t.Errorf("%d SARIF results; want 1", results)
	}
	out, code, results = run("PREFECT_SERVER_API_PORT=4300\n")
	if out != "" || code != 0 || results != 0 {
		t.Errorf("a valid .env: exit %d, output %q, %d SARIF results", code, out, results)
	}
}
