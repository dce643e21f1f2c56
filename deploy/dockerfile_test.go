package deploy

import (
	"errors"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/strata-settings/strata/sources"
)

// TestDockerfilePositions pins the columns of what BuildKit gives only
// lines for: continued lines, comments and blank lines within an
// instruction, tabs, the escape directive, a byte-order mark, heredocs,
// the exec form, characters of several bytes.
func TestDockerfilePositions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		vars []string // of the last stage
	}{
		{
			name: "key=value pairs",
			src:  "FROM scratch\nENV PREFECT_A=1 PREFECT_B=\"two words\"  PREFECT_C='$x'",
			vars: []string{
				`PREFECT_A at D:2:5 = "1" at D:2:15 via "ENV" literal baked`,
				`PREFECT_B at D:2:17 = "two words" at D:2:27 via "ENV" literal baked`,
				`PREFECT_C at D:2:40 = "$x" at D:2:50 via "ENV" literal baked`,
			},
		},
		{
			name: "legacy form",
			src:  "FROM scratch\n  env   PREFECT_LOGGING_LEVEL   DEBUG  ",
			vars: []string{`PREFECT_LOGGING_LEVEL at D:2:9 = "DEBUG" at D:2:33 via "ENV" literal baked`},
		},
		{
			name: "continued lines, comments and blank lines within",
			src:  "FROM scratch\nENV PREFECT_A=1 \\\n  # a comment\n\n\tPREFECT_B=2 \\\n    PREFECT_C=3",
			vars: []string{
				`PREFECT_A at D:2:5 = "1" at D:2:15 via "ENV" literal baked`,
				`PREFECT_B at D:5:2 = "2" at D:5:12 via "ENV" literal baked`,
				`PREFECT_C at D:6:5 = "3" at D:6:15 via "ENV" literal baked`,
			},
		},
		{
			name: "escape directive",
			src:  "# escape=`\nFROM scratch\nENV PREFECT_HOME=C:\\prefect `\n    PREFECT_B=2",
			vars: []string{
				`PREFECT_HOME at D:3:5 = "C:\\prefect" at D:3:18 via "ENV" literal baked`,
				`PREFECT_B at D:4:5 = "2" at D:4:15 via "ENV" literal baked`,
			},
		},
		{
			name: "byte-order mark",
			src:  "\uFEFFFROM scratch\nENV PREFECT_A=1",
			vars: []string{`PREFECT_A at D:2:5 = "1" at D:2:15 via "ENV" literal baked`},
		},
		{
			name: "characters of several bytes",
			src:  "FROM scratch\nENV PREFECT_UI_URL=http://é.example/ PREFECT_B=ü",
			vars: []string{
				`PREFECT_UI_URL at D:2:5 = "http://é.example/" at D:2:20 via "ENV" literal baked`,
				`PREFECT_B at D:2:38 = "ü" at D:2:48 via "ENV" literal baked`,
			},
		},
		{
			name: "expansion from ENV and ARG before",
			src:  "ARG HOST=global\nFROM scratch\nARG HOST\nARG PORT=4200\nENV PREFECT_API_URL=http://${HOST}:$PORT/api PORT=1\nENV PREFECT_UI_URL=http://$HOST:${PORT}",
			vars: []string{
				`HOST at D:3:5 = "global" at D:1:10 via "ARG" literal baked build`,
				`PORT at D:4:5 = "4200" at D:4:10 via "ARG" literal baked build`,
				`PREFECT_API_URL at D:5:5 = "http://global:4200/api" at D:5:21 via "ENV" literal baked ref HOST@D:5:28(set) ref PORT@D:5:36(set)`,
				`PORT at D:5:46 = "1" at D:5:51 via "ENV" literal baked`,
				`PREFECT_UI_URL at D:6:5 = "http://global:1" at D:6:20 via "ENV" literal baked ref HOST@D:6:27(set) ref PORT@D:6:33(set)`,
			},
		},
		{
			name: "a reference to what the file does not set",
			src:  "FROM python:3.12\nENV PATH=/venv/bin:$PATH PREFECT_HOME=${HOME:-/root}/.prefect",
			vars: []string{
				`PATH at D:2:5 = "/venv/bin:$PATH" at D:2:10 via "ENV" baked ref PATH@D:2:20(unexpanded)`,
				`PREFECT_HOME at D:2:26 = "${HOME:-/root}/.prefect" at D:2:39 via "ENV" baked ref HOME@D:2:39(unexpanded)`,
			},
		},
		{
			name: "a build argument without default",
			src:  "FROM scratch\nARG PREFECT_API_KEY\nENV PREFECT_API_KEY=$PREFECT_API_KEY",
			vars: []string{
				`PREFECT_API_KEY at D:2:5 deferred "--build-arg PREFECT_API_KEY" via "ARG" baked build`,
				`PREFECT_API_KEY at D:3:5 deferred "--build-arg PREFECT_API_KEY" at D:3:21 via "ENV" baked ref PREFECT_API_KEY@D:3:21(set)`,
			},
		},
		{
			name: "RUN config set, continued",
			src:  "FROM scratch\nRUN pip install prefect && \\\n    prefect config set \\\n      PREFECT_API_KEY=pnu_x",
			vars: []string{`PREFECT_API_KEY at D:4:7 = "pnu_x" at D:4:23 via "prefect config set" literal baked profile`},
		},
		{
			name: "RUN heredoc",
			src:  "FROM scratch\nRUN <<EOF\n  prefect config set PREFECT_A=1\nEOF\nRUN cat <<EOF > /tmp/x && prefect config set PREFECT_B=2\nPREFECT_C=3\nEOF",
			vars: []string{
				`PREFECT_A at D:3:22 = "1" at D:3:32 via "prefect config set" literal baked profile`,
				`PREFECT_B at D:5:46 = "2" at D:5:56 via "prefect config set" literal baked profile`,
			},
		},
		{
			name: "RUN exec form",
			src:  "FROM scratch\nRUN [\"prefect\", \"config\", \"set\", \"PREFECT_A=1\"]",
			vars: []string{`PREFECT_A at D:2:35 = "1" at D:2:45 via "prefect config set" literal baked profile`},
		},
		{
			name: "CMD with a prefix",
			src:  "FROM scratch\nCMD PREFECT_LOGGING_LEVEL=INFO exec prefect worker start",
			vars: []string{`PREFECT_LOGGING_LEVEL at D:2:5 = "INFO" at D:2:27 via "command prefix" literal baked`},
		},
		{
			name: "a stage inherits its base stage's, not its ARG",
			src:  "FROM scratch AS a\nARG X=1\nENV PREFECT_A=$X\nRUN prefect config set PREFECT_B=2\nCMD [\"prefect\", \"server\", \"start\"]\nFROM a\nENV PREFECT_C=$X",
			vars: []string{
				`PREFECT_A at D:3:5 = "1" at D:3:15 via "ENV" literal baked ref X@D:3:15(set)`,
				`PREFECT_B at D:4:24 = "2" at D:4:34 via "prefect config set" literal baked profile`,
				`PREFECT_C at D:7:5 = "$X" at D:7:15 via "ENV" baked ref X@D:7:15(unexpanded)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(&Input{Path: "D/Dockerfile", Data: []byte(tt.src)})
			if err != nil {
				t.Fatal(err)
			}
			c := f.Containers[len(f.Containers)-1]
			var vars []string
			for _, v := range c.Vars {
				vars = append(vars, strings.ReplaceAll(varText(v), "D/Dockerfile:", "D:"))
			}
			check(t, "vars", vars, tt.vars)
		})
	}
}

func TestDockerfileRoles(t *testing.T) {
	tests := []struct {
		src, role, command string
	}{
		{`CMD ["prefect", "server", "start"]`, "server", `["prefect" "server" "start"]`},
		{"ENTRYPOINT [\"prefect\"]\nCMD [\"worker\", \"start\", \"-p\", \"x\"]", "worker", `["prefect" "worker" "start" "-p" "x"]`},
		{"ENTRYPOINT prefect server start\nCMD [\"ignored\"]", "server", `["/bin/sh" "-c" "prefect server start"]`},
		{"CMD [\"prefect\", \"server\", \"start\"]\nENTRYPOINT [\"python\", \"flow.py\"]", "client", `["python" "flow.py"]`},
		{`CMD ["bash", "-c", "prefect worker start --pool $POOL"]`, "worker", `["bash" "-c" "prefect worker start --pool $POOL"]`},
		{`CMD ["python", "-m", "flows.main"]`, "client", `["python" "-m" "flows.main"]`},
		{`CMD ["nginx"]`, "unknown", `["nginx"]`},
		{"SHELL [\"pwsh\", \"-c\"]\nRUN prefect config set PREFECT_A=1", "unknown", ""},
	}
	for _, tt := range tests {
		f, err := Read(&Input{Path: "Dockerfile", Data: []byte("FROM prefecthq/prefect:3-latest\n" + tt.src)})
		if err != nil {
			t.Fatal(err)
		}
		c := f.Containers[0]
		cmd := ""
		if c.Command != nil {
			cmd = strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(strings.ReplaceAll(
				strings.Join(quoteAll(c.Command), " "), "\n", "")), ""), "  ", " ")
			cmd = "[" + cmd + "]"
		}
		if c.Role.String() != tt.role || cmd != tt.command {
			t.Errorf("%q: role %s, command %s; want %s, %s", tt.src, c.Role, cmd, tt.role, tt.command)
		}
		for _, v := range c.Vars {
			t.Errorf("%q: unexpected variable %s", tt.src, varText(v))
		}
	}
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = `"` + w + `"`
	}
	return out
}

// TestBadInput reads what no reader should choke on: each gives an error
// naming the file and line, or notes, and never panics or hangs.
func TestBadInput(t *testing.T) {
	tests := []struct {
		path, src string
		err       string
	}{
		{"Dockerfile", "", "Dockerfile:1: dockerfile: file with no instructions"},
		{"Dockerfile", "# only a comment\n", "Dockerfile:1: dockerfile: file with no instructions"},
		{"Dockerfile", "FROM scratch\nRUN <<EOF\necho\n", "Dockerfile:2: dockerfile: unterminated heredoc"},
		{"Dockerfile", "FROM scratch\nENV\n", ""},
		{"Dockerfile", "FROM scratch\nENV A\n", "Dockerfile:2: dockerfile: ENV must have two arguments"},
		{"Dockerfile", "FROM scratch\nENV A=1 B\n", `Dockerfile:2: dockerfile: Syntax error - can't find = in a word. Must be of the form: name=value`},
		{"Dockerfile", "FROM scratch\nENV PREFECT_API_URL=x PREFECT_API_KEY pnu_secret\n", `Dockerfile:2: dockerfile: Syntax error - can't find = in a word. Must be of the form: name=value`},
		{"Dockerfile", "FROM scratch\nENV A=${B\n", ""},
		{"Dockerfile", "FROM scratch\n" + strings.Repeat("x", 70000) + "\n", "Dockerfile:2: dockerfile: line greater than max allowed size of 65535"},
		{"Dockerfile", "FROM scratch\x00\n", "Dockerfile:1:13: binary content: not a text file"},
		{"Dockerfile", "FROM scratch\n\xff\xfe\n", "Dockerfile:2:1: binary content: not a text file"},
		{"run.sh", "#!/bin/sh\nexport A='unterminated\n", "run.sh:2:10: shell: reached EOF without closing quote `'`"},
		{"run.sh", "#!/bin/sh\nfi\n", "run.sh:2:1: shell: `fi` can only be used to end an `if`"},
		{"run.sh", "#!/bin/sh\nexport A=1 &<<EOF&\n", "run.sh:2:13: shell: unclosed here-document `EOF`"},
		{".github/workflows/x.yml", "jobs:\n  a:\n\tsteps: []\n", "x.yml:3:1: invalid YAML: found character that cannot start any token"},
		{".github/workflows/x.yml", "jobs: [\n", "x.yml:2:1: invalid YAML: did not find expected node content"},
		{".github/workflows/x.yml", "a: b: c\n", "x.yml:1:5: invalid YAML: mapping values are not allowed in this context"},
		{"prefect.yaml", "deployments:\n- name: a\n  work_pool: {job_variables: {env: {A: [}}}\n", "prefect.yaml:3:41: invalid YAML: did not find expected node content"},
		{"prefect.yaml", "deployments: \x01\n", "prefect.yaml:1:14: invalid YAML: control characters are not allowed"},
		{".gitlab-ci.yml", "job:\n  script: 'unterminated\n", "gitlab-ci.yml:3:1: invalid YAML: found unexpected end of stream"},
		{"Makefile", "all:\n\techo 'unterminated\n", ""},
	}
	for _, tt := range tests {
		f, err := Read(&Input{Path: tt.path, Data: []byte(tt.src)})
		got := ""
		if err != nil {
			got = err.Error()
			var se *sources.SyntaxError
			if !errors.As(err, &se) || se.Pos.File != tt.path || se.Pos.Line < 1 {
				t.Errorf("%s: error %T %v, want a *sources.SyntaxError at a line of the file", tt.path, err, err)
			}
		}
		src := tt.src
		if len(src) > 40 {
			src = src[:40] + "..."
		}
		if !strings.HasSuffix(got, tt.err) || (tt.err == "") != (err == nil) {
			t.Errorf("%s %q: error %q, want %q", tt.path, src, got, tt.err)
		}
		if err == nil && f == nil {
			t.Errorf("%s %q: no file and no error", tt.path, src)
		}
	}
}

// TestLimits reads files beyond the limits: refused with the position of
// the variable that passes them.
func TestLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM scratch\n")
	for i := 0; i < maxVars/2+5; i++ {
		b.WriteString("ENV PREFECT_X=1 PREFECT_Y=2\n")
	}
	_, err := Read(&Input{Path: "Dockerfile", Data: []byte(b.String())})
	var fe *sources.FileError
	if !errors.As(err, &fe) || fe.Pos.Line != maxVars/2+2 {
		t.Errorf("a Dockerfile of %d ENV: %v, want a *sources.FileError at line %d", maxVars+10, err, maxVars/2+2)
	}

	// A chain of stages, each inheriting the variables of the one before.
	b.Reset()
	b.WriteString("FROM scratch AS s0\nENV " + strings.Repeat("A=1 ", 200) + "\n")
	for i := 1; i < 100; i++ {
		b.WriteString("FROM s" + strconv.Itoa(i-1) + " AS s" + strconv.Itoa(i) + "\n")
	}
	if _, err := Read(&Input{Path: "Dockerfile", Data: []byte(b.String())}); !errors.As(err, &fe) {
		t.Errorf("a chain of stages of 20000 variables: %v, want a *sources.FileError", err)
	}

	// An alias bomb in prefect.yaml.
	var keys strings.Builder
	for i := 0; i < 500; i++ {
		keys.WriteString("A" + strconv.Itoa(i) + ": 1, ")
	}
	y := "env: &e {" + keys.String() + "}\ndeployments:\n" + strings.Repeat("- work_pool: {job_variables: {env: *e}}\n", 100)
	if _, err := Read(&Input{Path: "prefect.yaml", Data: []byte(y)}); !errors.As(err, &fe) {
		t.Errorf("prefect.yaml of 50000 variables through aliases: %v, want a *sources.FileError", err)
	}

	// One recipe of many targets, one script of many steps: what is read
	// stops at a budget, noted once.
	defer func(max int) { maxExpandWork = max }(maxExpandWork)
	maxExpandWork = 1 << 20
	var mk strings.Builder
	for i := 0; i < 250; i++ {
		mk.WriteString("t" + strconv.Itoa(i) + " ")
	}
	mk.WriteString(":\n\texport PREFECT_A=1 && " + strings.Repeat("prefect deploy $$A; ", 2000) + "\n")
	f, err := Read(&Input{Path: "Makefile", Data: []byte(mk.String())})
	if err != nil || len(f.Notes) != 1 || f.Notes[0].Code != NoteUnread {
		t.Errorf("a recipe of 40 KB of 250 targets, 1 MB read at most: %v, notes %v; want a note that not all is read", err, f.Notes)
	}
	wf := "jobs:\n  j:\n    steps:\n    - run: &r \"" + strings.Repeat(`prefect deploy $A\n`, 2000) + "\"\n" + strings.Repeat("    - run: *r\n", 400)
	f, err = Read(&Input{Path: ".github/workflows/w.yml", Data: []byte(wf)})
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, c := range f.Containers {
		notes += len(c.Notes)
	}
	if notes != 1 {
		t.Errorf("a script of 36 KB run by 400 steps, 1 MB read at most: %d notes, want 1 that not all is read", notes)
	}

	// Scripts of more words than the parser is given: the rest noted, in
	// a file of another kind, once; and a script of many words read up
	// to the bound, whatever the kind.
	for _, tt := range []struct{ path, data, at string }{
		{"Dockerfile", "FROM x\n" + strings.Repeat("RUN "+strings.Repeat("a ", 190)+"\n", 2000), "Dockerfile:1054:245"},
		{"Makefile", "all:\n\t" + strings.Repeat("a ", 300000) + "\n", "Makefile:2:400002"},
		{".gitlab-ci.yml", "j:\n  script:\n" + strings.Repeat("    - "+strings.Repeat("a ", 100)+"\n", 2100), ".gitlab-ci.yml:2003:7"},
	} {
		f, err := Read(&Input{Path: tt.path, Data: []byte(tt.data)})
		if err != nil {
			t.Fatal(err)
		}
		var notes []string
		for _, c := range f.Containers {
			for _, n := range append(c.Notes, f.Notes...) {
				notes = append(notes, n.Pos.String()+" "+n.Code)
			}
		}
		if want := tt.at + " " + NoteUnread; len(notes) != 1 || notes[0] != want {
			t.Errorf("%s of more than %d words: notes %q, want %q", tt.path, maxScriptWords, notes, want)
		}
	}

	// A value that doubles each line.
	s := "A=xxxxxxxxxxxxxxxx\n" + strings.Repeat("A=$A$A\n", 40) + "export PREFECT_X=$A\n"
	sh := ReadScript(&Script{Text: s, File: "s.sh"})
	if len(sh.Vars) != 1 || sh.Vars[0].Deferred == "" {
		t.Errorf("a value doubled 40 times: %+v, want it deferred", sh.Vars)
	}

	// Words that would make a large value in one expansion: left as
	// written, never built (three gigabytes for the first).
	big := strings.Repeat("x", 5000)
	for _, word := range []string{strings.Repeat("$A", 100000), "${A//?/$A}", strings.Repeat("${!N}", 1000)} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		sh := ReadScript(&Script{Text: "A=" + big + "\nN=A\nexport PREFECT_X=\"" + word + "\"\n", File: "s.sh"})
		runtime.ReadMemStats(&after)
		if len(sh.Vars) != 1 || sh.Vars[0].Deferred == "" {
			t.Errorf("%.20s… of a variable of 5000 bytes: %d variables, want one deferred", word, len(sh.Vars))
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 256<<20 {
			t.Errorf("%.20s… of a variable of 5000 bytes: %d MB allocated", word, n>>20)
		}
	}
}

// TestLongDockerfile reads the longest Dockerfile read, and refuses one
// line more before any parser reads it: a Dockerfile of 100,000 lines
// would take a second and a few hundred megabytes.
func TestLongDockerfile(t *testing.T) {
	f, err := Read(&Input{Path: "Dockerfile", Data: longDockerfile(maxDockerfileLines)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Containers); n != 1 {
		t.Errorf("%d stages, want 1", n)
	}
	for _, n := range []int{maxDockerfileLines + 1, 100000} {
		_, err := Read(&Input{Path: "Dockerfile", Data: longDockerfile(n)})
		if want := "Dockerfile:10001:1: more than 10000 lines: no Dockerfile needs that many"; err == nil || err.Error() != want {
			t.Errorf("a Dockerfile of %d lines: %v, want %s", n, err, want)
		}
	}
}

// longDockerfile returns a Dockerfile of n lines: RUN and ENV
// instructions, continued lines and comments.
func longDockerfile(n int) []byte {
	var b strings.Builder
	b.WriteString("FROM prefecthq/prefect:3.4.22-python3.12\n")
	lines := 1
	for ; lines+4 <= n; lines += 4 {
		b.WriteString("# step\nRUN pip install --no-cache-dir \\\n    prefect-aws && echo done\n")
		if lines%400 == 1 {
			b.WriteString("ENV PREFECT_LOGGING_LEVEL=INFO\n")
		} else {
			b.WriteString("RUN true\n")
		}
	}
	for ; lines < n; lines++ {
		b.WriteString("# end\n")
	}
	return []byte(b.String())
}

// TestYAMLScript places the pieces of a script written in a YAML scalar.
func TestYAMLScript(t *testing.T) {
	tests := []struct {
		name, src string
		word      string // a word of the script
		want      string // where it is written
	}{
		{"plain", "run: prefect deploy --all\n", "deploy", "f:1:14"},
		{"double quoted", "run: \"prefect deploy --all\"\n", "deploy", "f:1:15"},
		{"single quoted", "run: 'prefect deploy'\n", "deploy", "f:1:15"},
		{"literal", "run: |\n  set -e\n    prefect deploy\n", "deploy", "f:3:13"},
		{"literal, keep", "run: |+\n  set -e\n\n  prefect deploy\n\n", "deploy", "f:4:11"},
		{"folded", "run: >-\n  prefect\n  deploy --all\n", "deploy", "f:3:3"},
		{"plain on two lines", "run: prefect\n  deploy --all\n", "deploy", "f:2:3"},
		{"in a list", "steps:\n  - run: |\n      export A=1\n      prefect deploy\n", "deploy", "f:4:15"},
		{"after an escape", "run: \"a\\tb prefect deploy\"\n", "deploy", "f:1:8"},
	}
	for _, tt := range tests {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tt.src), &doc); err != nil {
			t.Fatal(err)
		}
		n := scalarOf(&doc, "run")
		s := NewYAMLText("f", []byte(tt.src)).Script(n)
		if got := s.at(strings.Index(s.Text, tt.word)).String(); got != tt.want {
			t.Errorf("%s: %q at %s, want %s", tt.name, tt.word, got, tt.want)
		}
	}
}

// scalarOf finds the value of the first key named key.
func scalarOf(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i < len(n.Content); i++ {
		c := n.Content[i]
		if n.Kind == yaml.MappingNode && i%2 == 0 && c.Value == key {
			return n.Content[i+1]
		}
		if v := scalarOf(c, key); v != nil {
			return v
		}
	}
	return nil
}

// TestSelectDefaults names no container: a Dockerfile's last stage, the
// one docker build builds; a workflow job rather than its steps.
func TestSelectDefaults(t *testing.T) {
	f, err := Read(&Input{Path: "Dockerfile", Data: []byte("FROM scratch AS a\nFROM a AS b\nENV PREFECT_X=1\n")})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := f.Select("", ""); err != nil || c.Name != "b" {
		t.Errorf("Select() = %v, %v; want stage b", c, err)
	}
	if c, err := f.Select("a", ""); err != nil || c.Name != "a" {
		t.Errorf("Select(a) = %v, %v; want stage a", c, err)
	}
	wf := "jobs:\n  j:\n    env: {PREFECT_A: 1}\n    steps:\n      - name: s\n        env: {PREFECT_B: 2}\n        run: prefect deploy\n"
	f, err = Read(&Input{Path: ".github/workflows/w.yml", Data: []byte(wf)})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := f.Select("j", ""); err != nil || c.What != "job" {
		t.Errorf("Select(j) = %v, %v; want the job", c, err)
	}
	if c, err := f.Select("j", "s"); err != nil || c.What != "step" || len(c.Vars) != 2 {
		t.Errorf("Select(j, s) = %v, %v; want the step with both variables", c, err)
	}
}

// TestProfilesFileWritten: prefect config set writes the profiles file the
// environment of its RUN names, whatever ENV comes after.
func TestProfilesFileWritten(t *testing.T) {
	tests := []struct {
		name, dockerfile, want string
	}{
		{"default", "FROM prefecthq/prefect:3-latest\nRUN prefect config set PREFECT_API_URL=http://s/api\n", ""},
		{"home before", "FROM prefecthq/prefect:3-latest\nENV PREFECT_HOME=/app/.prefect\nRUN prefect config set PREFECT_API_URL=http://s/api\n", "/app/.prefect/profiles.toml"},
		{"home after", "FROM prefecthq/prefect:3-latest\nRUN prefect config set PREFECT_API_URL=http://s/api\nENV PREFECT_HOME=/app/.prefect\n", ""},
		{"profiles path over home", "FROM prefecthq/prefect:3-latest\nENV PREFECT_HOME=/h PREFECT_PROFILES_PATH=/p/profiles.toml\nRUN prefect config set PREFECT_API_URL=http://s/api\n", "/p/profiles.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(&Input{Path: "Dockerfile", Data: []byte(tt.dockerfile)})
			if err != nil {
				t.Fatal(err)
			}
			c := f.Containers[len(f.Containers)-1]
			i := slices.IndexFunc(c.Vars, func(v Var) bool { return v.InProfile })
			if i < 0 {
				t.Fatalf("no profile setting in %+v", c.Vars)
			}
			if got := c.Vars[i].ProfilesFile; got != tt.want {
				t.Errorf("written to %q, want %q", got, tt.want)
			}
		})
	}
}
