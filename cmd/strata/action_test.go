package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// repoRoot is the repository's root, where action.yml is: the action's
// own directory, github.action_path.
var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

// action is the part of a GitHub Actions action.yml the tests read.
type action struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

// actionStep is one step of a composite action.
type actionStep struct {
	ID               string            `yaml:"id"`
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
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

// step returns the step of the action whose name holds name.
func (a *action) step(t *testing.T, name string) actionStep {
	t.Helper()
	i := slices.IndexFunc(a.Runs.Steps, func(s actionStep) bool { return strings.Contains(s.Name, name) })
	if i < 0 {
		t.Fatalf("action.yml has no step %q", name)
	}
	return a.Runs.Steps[i]
}

// expr is an expression of a step: ${{ inputs.paths }}, ${{ github.action_ref }}.
var expr = regexp.MustCompile(`\$\{\{\s*([a-z]+)\.([A-Za-z0-9_-]+)\s*\}\}`)

// TestAction checks the composite action of action.yml: its inputs and
// their defaults, that every input a step reads is declared, and that the
// github.action_* values, which composite actions see in env only, are
// read there.
func TestAction(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q; want composite", a.Runs.Using)
	}
	defaults := map[string]string{"format": "text", "sarif-file": "", "paths": "", "strict": "false", "version": "", "working-directory": "."}
	for name, want := range defaults {
		in, ok := a.Inputs[name]
		switch {
		case !ok:
			t.Errorf("no input %q", name)
		case in.Default == nil:
			t.Errorf("input %q has no default; want %q", name, want)
		case *in.Default != want:
			t.Errorf("input %q: default %q; want %q", name, *in.Default, want)
		case in.Description == "":
			t.Errorf("input %q has no description", name)
		}
	}
	if _, ok := lintFormats[*a.Inputs["format"].Default]; !ok {
		t.Errorf("the default format %q is not one strata lint knows", *a.Inputs["format"].Default)
	}
	for _, st := range a.Runs.Steps {
		if st.Run != "" && st.Shell != "bash" {
			t.Errorf("step %q: a composite run step needs shell: bash", st.Name)
		}
		for _, m := range expr.FindAllStringSubmatch(st.Run, -1) {
			t.Errorf("step %q: %s in run: pass it in env (a composite action's run does not see github.action_*, and an input in run is injected as code)", st.Name, m[0])
		}
		text := st.If + st.WorkingDirectory
		for _, v := range st.Env {
			text += v
		}
		for _, m := range expr.FindAllStringSubmatch(text, -1) {
			if _, ok := a.Inputs[m[2]]; m[1] == "inputs" && !ok {
				t.Errorf("step %q reads the undeclared input %q", st.Name, m[2])
			}
		}
	}
	if got := a.Outputs["sarif-file"].Value; got != "${{ steps.lint.outputs.sarif-file }}" {
		t.Errorf("output sarif-file = %q; want the lint step's, set only when the file was written", got)
	}
}

// stepRun is one run of a step, as the runner would run it.
type stepRun struct {
	inputs map[string]string // the inputs given; the others take their defaults
	ref    string            // github.action_ref
	env    []string          // more environment
	dir    string            // the workspace: the repository's root
}

// stepResult is what a step printed and left.
type stepResult struct {
	out    string
	code   int
	output map[string]string // what it wrote to $GITHUB_OUTPUT
	path   []string          // what it added to $GITHUB_PATH
}

// run runs a step of the action as the runner does: bash -eo pipefail,
// the expressions of its env replaced, in the workspace.
func (r stepRun) run(t *testing.T, a *action, st actionStep) stepResult {
	t.Helper()
	inputs := map[string]string{}
	for name, in := range a.Inputs {
		if in.Default != nil {
			inputs[name] = *in.Default
		}
	}
	for k, v := range r.inputs {
		inputs[k] = v
	}
	github := map[string]string{"action_ref": r.ref, "action_path": repoRoot}
	files := t.TempDir()
	output, path := filepath.Join(files, "output"), filepath.Join(files, "path")
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", st.Run)
	cmd.Dir = r.dir
	cmd.Env = append([]string{
		"PATH=" + filepath.Dir(strataBin) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + r.dir, "RUNNER_TEMP=" + files, "GITHUB_OUTPUT=" + output, "GITHUB_PATH=" + path,
	}, r.env...)
	for k, v := range st.Env {
		cmd.Env = append(cmd.Env, k+"="+expr.ReplaceAllStringFunc(v, func(e string) string {
			m := expr.FindStringSubmatch(e)
			switch m[1] {
			case "inputs":
				return inputs[m[2]]
			case "github":
				return github[m[2]]
			}
			t.Fatalf("step %q: unknown expression %s", st.Name, e)
			return ""
		}))
	}
	b, err := cmd.CombinedOutput()
	res := stepResult{out: string(b), output: map[string]string{}}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(output)
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			res.output[k] = v
		}
	}
	data, _ = os.ReadFile(path)
	res.path = strings.Fields(string(data))
	return res
}

// TestActionInstall runs the install step with a go that records how it
// is called: by default the binary is the action's own version, the
// release tag it is used at, else built from the action's own source;
// the version input overrides it.
func TestActionInstall(t *testing.T) {
	a := readAction(t)
	st := a.step(t, "Install")
	const module = "github.com/strata-settings/strata/cmd/strata"
	tests := []struct {
		version, ref string
		want         string // "install ARG", "in DIR" when run from the action's source
	}{
		{"", "v1.2.3", "install " + module + "@v1.2.3"},
		{"", "v0.4.0-rc.1", "install " + module + "@v0.4.0-rc.1"},
		{"", "main", "install ./cmd/strata in " + repoRoot},
		{"", "0123456789abcdef0123456789abcdef01234567", "install ./cmd/strata in " + repoRoot},
		{"", "v1", "install ./cmd/strata in " + repoRoot},
		{"", "", "install ./cmd/strata in " + repoRoot},
		{"", "v1.2.3; touch pwned", "install ./cmd/strata in " + repoRoot},
		{"latest", "v1.2.3", "install " + module + "@latest"},
		{"v0.9.0", "main", "install " + module + "@v0.9.0"},
	}
	for _, tt := range tests {
		t.Run(tt.version+"@"+tt.ref, func(t *testing.T) {
			fake := t.TempDir()
			log := filepath.Join(fake, "log")
			script := "#!/bin/sh\nif [ \"$PWD\" = \"" + repoRoot + "\" ]; then where=\" in $PWD\"; fi\necho \"$1 $2$where GOBIN=$GOBIN\" >> " + log + "\n"
			if err := os.WriteFile(filepath.Join(fake, "go"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			work := t.TempDir()
			r := stepRun{inputs: map[string]string{"version": tt.version}, ref: tt.ref, dir: work,
				env: []string{"PATH=" + fake + string(os.PathListSeparator) + os.Getenv("PATH")}}
			res := r.run(t, a, st)
			if res.code != 0 {
				t.Fatalf("exit %d:\n%s", res.code, res.out)
			}
			data, _ := os.ReadFile(log)
			got, gobin, _ := strings.Cut(strings.TrimSpace(string(data)), " GOBIN=")
			if got != tt.want {
				t.Errorf("go %s; want go %s", got, tt.want)
			}
			if len(res.path) != 1 || res.path[0] != gobin || gobin == "" {
				t.Errorf("GITHUB_PATH %q; want GOBIN %q", res.path, gobin)
			}
			if _, err := os.Stat(filepath.Join(work, "pwned")); err == nil {
				t.Error("the ref ran as a command")
			}
		})
	}
}

// TestActionLintStep runs the action's lint step as the runner would, with
// the strata built for the tests on PATH, in a workspace of two
// directories with an invalid .env each and a Compose file with an invalid
// value, which a search finds as it finds the settings files.
func TestActionLintStep(t *testing.T) {
	a := readAction(t)
	st := a.step(t, "Lint")
	matcher := "::add-matcher::" + filepath.Join(repoRoot, ".github", "strata-lint-matcher.json")
	if _, err := os.Stat(strings.TrimPrefix(matcher, "::add-matcher::")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		inputs  map[string]string
		code    int
		want    []string // lines of the output
		notWant []string
		sarif   []string // the SARIF file's result URIs; nil: no file
	}{
		{
			name:   "defaults: text lines with a problem matcher",
			inputs: map[string]string{"sarif-file": "report.sarif"},
			code:   1,
			want: []string{matcher, "::remove-matcher owner=strata::", "::remove-matcher owner=strata-info::",
				"app/.env:1:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]",
				"lib/.env:1:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]",
				"ops/docker-compose.yml:6:7: error: logging.level: Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL' [invalid-value]"},
			sarif: []string{"app/.env", "lib/.env", "ops/docker-compose.yml"},
		},
		{
			name:    "working-directory: paths and the SARIF file from the repository's root",
			inputs:  map[string]string{"working-directory": "app", "sarif-file": "report.sarif"},
			code:    1,
			want:    []string{"app/.env:1:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]"},
			notWant: []string{"lib/.env:1:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]"},
			sarif:   []string{"app/.env"},
		},
		{
			name:    "github format: workflow commands from the repository's root",
			inputs:  map[string]string{"working-directory": "app", "format": "github"},
			code:    1,
			want:    []string{"::error file=app/.env,line=1,col=1,endLine=1,endColumn=24,title=invalid-value::server.api.port: Input should be a valid integer, unable to parse string as an integer"},
			notWant: []string{matcher},
		},
		{
			name:   "paths on several lines: every line",
			inputs: map[string]string{"paths": "app/.env\nlib\n", "sarif-file": "report.sarif"},
			code:   1,
			want: []string{"app/.env:1:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]",
				"lib/.env:1:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]"},
			sarif: []string{"app/.env", "lib/.env"},
		},
		{
			name:    "paths and rules on one line, spaces between",
			inputs:  map[string]string{"paths": "app/.env  lib/.env", "disable": "invalid-value\nsecret-in-committed-file"},
			notWant: []string{"app/.env:1:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]"},
		},
		{
			name:   "a usage error: no SARIF file, no output",
			inputs: map[string]string{"disable": "nope", "sarif-file": "report.sarif"},
			code:   2,
			want:   []string{`strata lint: unknown rule "nope"; run "strata lint --help" for the rules`},
		},
		{
			name:   "a SARIF file that cannot be written: exit 2, no output, the findings printed",
			inputs: map[string]string{"sarif-file": "nodir/report.sarif"},
			code:   2,
			want: []string{"strata lint: --sarif-file " + "$ROOT/nodir/report.sarif: no such file or directory",
				"app/.env:1:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]"},
		},
		{
			name:   "a missing working directory",
			inputs: map[string]string{"working-directory": "nowhere", "sarif-file": "report.sarif"},
			code:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			for _, dir := range []string{"app", "lib"} {
				os.MkdirAll(filepath.Join(work, dir), 0o755)
				if err := os.WriteFile(filepath.Join(work, dir, ".env"), []byte("PREFECT_SERVER_API_PORT=many\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			compose := "services:\n  worker:\n    image: prefecthq/prefect:3-latest\n    command: prefect worker start --pool p\n    environment:\n      PREFECT_LOGGING_LEVEL: LOUD\n"
			os.MkdirAll(filepath.Join(work, "ops"), 0o755)
			if err := os.WriteFile(filepath.Join(work, "ops", "docker-compose.yml"), []byte(compose), 0o644); err != nil {
				t.Fatal(err)
			}
			res := stepRun{inputs: tt.inputs, dir: work}.run(t, a, st)
			res.out = strings.ReplaceAll(res.out, work, "$ROOT")
			if res.code != tt.code {
				t.Errorf("exit %d; want %d\n%s", res.code, tt.code, res.out)
			}
			lines := strings.Split(res.out, "\n")
			for _, w := range tt.want {
				if !slices.Contains(lines, w) {
					t.Errorf("no line %q in the output:\n%s", w, res.out)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(lines, w) {
					t.Errorf("line %q in the output:\n%s", w, res.out)
				}
			}
			for _, dir := range []string{"app", "lib"} {
				if _, err := os.Stat(filepath.Join(work, dir, "report.sarif")); err == nil {
					t.Errorf("SARIF file written in %s, not in the repository's root", dir)
				}
			}
			uris, written := sarifURIs(t, filepath.Join(work, "report.sarif"))
			switch {
			case tt.sarif == nil && written:
				t.Errorf("SARIF file written (%q): want none", uris)
			case tt.sarif == nil && res.output["sarif-file"] != "":
				t.Errorf("output sarif-file=%q with no SARIF file", res.output["sarif-file"])
			case tt.sarif != nil && !slices.Equal(uris, tt.sarif):
				t.Errorf("SARIF results in %q; want %q", uris, tt.sarif)
			case tt.sarif != nil && res.output["sarif-file"] != "report.sarif":
				t.Errorf("output sarif-file=%q; want report.sarif", res.output["sarif-file"])
			}
		})
	}
}

// sarifURIs reads a SARIF file and returns the file of each result.
func sarifURIs(t *testing.T, name string) ([]string, bool) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("SARIF file: %v\n%s", err, data)
	}
	uris := []string{}
	for _, r := range doc.Runs[0].Results {
		uris = append(uris, r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	return uris, true
}

// problemMatcher is a problem matcher file, as the runner reads it.
type problemMatcher struct {
	ProblemMatcher []struct {
		Owner    string `json:"owner"`
		Severity string `json:"severity"`
		Pattern  []struct {
			Regexp   string `json:"regexp"`
			File     int    `json:"file"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Severity int    `json:"severity"`
			Message  int    `json:"message"`
			Code     int    `json:"code"`
		} `json:"pattern"`
	} `json:"problemMatcher"`
}

// annotation is what a problem matcher makes of a line.
type annotation struct {
	file, line, column, severity, message, code string
}

// match runs the matchers over a line as the runner does: the first that
// matches makes the annotation.
func (pm *problemMatcher) match(line string) (annotation, bool) {
	for _, m := range pm.ProblemMatcher {
		p := m.Pattern[0]
		sub := regexp.MustCompile(p.Regexp).FindStringSubmatch(line)
		if sub == nil {
			continue
		}
		group := func(i int) string {
			if i == 0 {
				return ""
			}
			return sub[i]
		}
		a := annotation{group(p.File), group(p.Line), group(p.Column), group(p.Severity), group(p.Message), group(p.Code)}
		if a.severity == "" {
			a.severity = m.Severity
		}
		return a, true
	}
	return annotation{}, false
}

// TestProblemMatcher checks the Action's problem matcher: valid as the
// runner validates it, and turning every line of strata lint's text
// output into the finding's annotation, info findings into notices.
func TestProblemMatcher(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".github", "strata-lint-matcher.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pm problemMatcher
	if err := json.Unmarshal(data, &pm); err != nil {
		t.Fatal(err)
	}
	for _, m := range pm.ProblemMatcher {
		if m.Owner == "" || !slices.Contains([]string{"", "error", "warning", "notice"}, m.Severity) || len(m.Pattern) != 1 {
			t.Errorf("matcher %q: owner, severity %q or patterns invalid", m.Owner, m.Severity)
		}
		for _, p := range m.Pattern {
			re, err := regexp.Compile(p.Regexp)
			if err != nil {
				t.Fatalf("matcher %q: %v", m.Owner, err)
			}
			for _, g := range []int{p.File, p.Line, p.Column, p.Severity, p.Message, p.Code} {
				if g > re.NumSubexp() {
					t.Errorf("matcher %q: group %d of %d", m.Owner, g, re.NumSubexp())
				}
			}
			if p.Message == 0 {
				t.Errorf("matcher %q has no message", m.Owner)
			}
		}
	}

	dir := t.TempDir()
	files := map[string]string{
		"prefect.toml": "[server.api]\nport = \"http\"\nurll = 1\n",
		"conf/.env":    "PREFECT_HOME=/srv/prefect\n",
	}
	for name, text := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(strataBin, "lint", "--env")
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PREFECT_SERVER_API_PROT=1"}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Run()
	var severities []string
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		got, ok := pm.match(line)
		if !ok {
			t.Errorf("no matcher takes %q", line)
			continue
		}
		where, rest, _ := strings.Cut(line, ": ")
		severity, rest, _ := strings.Cut(rest, ": ")
		msg, code, _ := strings.Cut(strings.TrimSuffix(rest, "]"), " [")
		want := annotation{file: where, severity: strings.Replace(severity, "info", "notice", 1), message: msg, code: code}
		if parts := strings.Split(where, ":"); len(parts) == 3 {
			want.file, want.line, want.column = parts[0], parts[1], parts[2]
		}
		if _, err := strconv.Atoi(want.line); want.line != "" && err != nil {
			t.Fatalf("line %q: bad position", line)
		}
		if got != want {
			t.Errorf("%q\nmatched as %+v\nwant        %+v", line, got, want)
		}
		severities = append(severities, want.severity)
	}
	for _, s := range []string{"error", "warning", "notice"} {
		if !slices.Contains(severities, s) {
			t.Errorf("no %s among the findings checked:\n%s", s, stdout.String())
		}
	}
	if _, ok := pm.match("strata lint: open nodir: no such file or directory"); ok {
		t.Error("a diagnostic of strata itself is taken for a finding")
	}
}
