package lint

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-settings/strata/schema"
)

// TestDeployCorpus lints the realistic deployment files of
// testdata/deploy, one a txtar archive: its comment says what the files
// are, they are linted as a directory search finds them, and its want
// file holds the exact findings, empty for a clean stack. An environ file,
// when there is one, is the environment, linted with --env. -update
// rewrites the want files.
func TestDeployCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "deploy", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	clean := 0
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			if lintArchive(t, path, func(dir string, _ []string, special map[string][]byte) Options {
				opts := Options{Dir: dir, Home: filepath.Join(dir, "home")}
				if environ, ok := special["environ"]; ok {
					opts.Env, opts.Environ = true, strings.Fields(string(environ))
				}
				return opts
			}, "environ") {
				clean++
			}
		})
	}
	if clean < 4 {
		t.Errorf("only %d clean stacks", clean)
	}
}

// alias bomb: nine levels of nine aliases, a billion nodes once expanded.
func aliasBomb(prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString("data:\n  a0: &a0 [\"lol\"]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "  a%d: &a%d [", i, i)
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// serviceKeys is a Compose services mapping of n services.
func serviceKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "  s%d: {image: x}\n", i)
	}
	return b.String()
}

// TestDeployBadInput lints trees holding a deployment file that cannot be
// read, beside a .env with a mistake: the bad file is one finding at its
// place, the .env is linted all the same, and nothing panics or hangs.
func TestDeployBadInput(t *testing.T) {
	var dockerfile strings.Builder
	dockerfile.WriteString("FROM prefecthq/prefect:3.4.22-python3.11\n")
	for range 9_998 {
		dockerfile.WriteString("RUN echo building\n")
	}
	dockerfile.WriteString("ENV PREFECT_LOGING_LEVEL=DEBUG\n")
	longer := strings.Repeat("RUN echo building\n", 100_000)
	sibling := ".env:1:1: error: logging.level: Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL' [invalid-value]\n"
	tests := []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, dir string)
		want  string
	}{{
		name:  "malformed YAML",
		files: map[string]string{"compose.yaml": "services:\n  worker:\n    environment: [\n"},
		want:  "compose.yaml:4:1: error: invalid YAML: did not find expected node content [syntax]\n",
	}, {
		name:  "alias bomb",
		files: map[string]string{"k8s/bomb.yaml": aliasBomb("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n")},
		want:  "k8s/bomb.yaml:11:27: error: YAML aliases expand to more than 200000 nodes: no deployment file needs that [syntax]\n",
	}, {
		name: "100 MB manifest",
		setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "rendered.yaml")
			if err := os.WriteFile(p, []byte("apiVersion: v1\nkind: ConfigMap\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, 100<<20); err != nil {
				t.Fatal(err)
			}
		},
		want: "rendered.yaml: error: file larger than 8 MiB: no deployment file needs that much [syntax]\n",
	}, {
		name: "100 MB YAML that says nothing of a kind",
		setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "openapi.yaml")
			if err := os.WriteFile(p, []byte("openapi: 3.0.0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, 100<<20); err != nil {
				t.Fatal(err)
			}
		},
	}, {
		name:  "10,000-line Dockerfile",
		files: map[string]string{"Dockerfile": dockerfile.String()},
		want:  "Dockerfile:10000:5: warning: unknown setting \"PREFECT_LOGING_LEVEL\"; did you mean \"PREFECT_LOGGING_LEVEL\"? [unknown-setting]\n",
	}, {
		name:  "100,000-line Dockerfile",
		files: map[string]string{"Dockerfile": dockerfile.String() + longer},
		want:  "Dockerfile:10001:1: error: more than 10000 lines: no Dockerfile needs that many [syntax]\n",
	}, {
		name: "a link to /dev/zero named as a Dockerfile, a directory named as a Compose file",
		setup: func(t *testing.T, dir string) {
			if err := os.Symlink("/dev/zero", filepath.Join(dir, "Dockerfile")); err != nil {
				t.Skip(err)
			}
			if _, err := os.Stat("/dev/zero"); err != nil {
				t.Skip(err)
			}
			if err := os.Mkdir(filepath.Join(dir, "compose.yaml"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
		want: "Dockerfile: error: not a regular file (a character device): settings are read only from regular files [syntax]\n",
	}, {
		name: "a symlink loop named as a Compose file",
		setup: func(t *testing.T, dir string) {
			if err := os.Symlink("loop", filepath.Join(dir, "compose.yaml")); err != nil {
				t.Skip(err)
			}
			if err := os.Symlink("compose.yaml", filepath.Join(dir, "loop")); err != nil {
				t.Fatal(err)
			}
		},
		want: "compose.yaml: error: cannot be read: too many levels of symbolic links [syntax]\n",
	}, {
		name:  "deeply nested YAML",
		files: map[string]string{"k8s/deep.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: " + strings.Repeat("[", 20000) + "\n"},
		want:  "k8s/deep.yaml:3:10007: error: invalid YAML: exceeded max depth of 10000 [syntax]\n",
	}, {
		name:  "deeply nested JSON",
		files: map[string]string{"k8s/list.json": `{"apiVersion": "v1", "kind": "List", "items": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}\n"},
		want:  "k8s/list.json:1:10046: error: invalid YAML: exceeded max depth of 10000 [syntax]\n",
	}, {
		name:  "many documents",
		files: map[string]string{"k8s/docs.yaml": "apiVersion: v1\nkind: ConfigMap\n" + strings.Repeat("---\n", 600_000)},
		want:  "k8s/docs.yaml:250001:3: error: more than 1000000 YAML nodes: no deployment file needs that many [syntax]\n",
	}, {
		name:  "many services",
		files: map[string]string{"compose.yaml": "services:\n" + serviceKeys(1001)},
		want:  "compose.yaml:1002:3: error: more than 1000 services: no Compose project needs that many [syntax]\n",
	}, {
		name:  "many environment variables",
		files: map[string]string{"compose.yaml": "services:\n  w:\n    image: x\n    environment:\n" + strings.Repeat("      - PREFECT_LOGGING_LEVEL=INFO\n", 5001)},
		want:  "compose.yaml:5005:9: error: more than 5000 environment variables: no Compose project needs that many [syntax]\n",
	}, {
		name:  "invalid UTF-8",
		files: map[string]string{".github/workflows/ci.yaml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \xc3\x28\n"},
		want:  ".github/workflows/ci.yaml:6:20: error: invalid YAML: invalid trailing UTF-8 octet [syntax]\n",
	}, {
		name:  "NUL byte",
		files: map[string]string{"prefect.yaml": "deployments:\n  - name: a\x00\n"},
		want:  "prefect.yaml:2:12: error: invalid YAML: control characters are not allowed [syntax]\n",
	}, {
		name:  "no secret in an error",
		files: map[string]string{"compose.yaml": "services:\n  w:\n    image: x\n    environment:\n      PREFECT_API_KEY: pnu_0123456789abcdef0123456789abcdef0123\n      PREFECT_API_URL: ${PREFECT_API_KEY\n"},
		want:  "compose.yaml:6:7: error: invalid interpolation format for services.w.environment.PREFECT_API_URL: a $ that starts no ${VAR} is written $$ [syntax]\n",
	}, {
		name: "no secret in the errors of any kind",
		files: map[string]string{
			"a/compose.yaml": "services:\n  w:\n    image: x\n    environment:\n      PREFECT_API_KEY: pnu_0123456789abcdef0123456789abcdef0123${\n",
			"b/Dockerfile":   "FROM x\nENV PREFECT_API_KEY=pnu_0123456789abcdef0123456789abcdef0123${A\n",
			"c/run.sh":       "#!/bin/sh\nexport PREFECT_API_KEY=pnu_0123456789abcdef0123456789abcdef0123$(\n",
			"d/pod.yaml":     "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    env:\n    - name: PREFECT_API_KEY\n      value: pnu_0123456789abcdef0123456789abcdef0123: x\n",
			"f/Makefile":     "all:\n\tPREFECT_API_KEY=pnu_0123456789abcdef0123456789abcdef0123$$( prefect worker start\n",
		},
		want: "a/compose.yaml:5:7: error: invalid interpolation format for services.w.environment.PREFECT_API_KEY: a $ that starts no ${VAR} is written $$ [syntax]\n" +
			"b/Dockerfile:2:5: warning: api.key is a secret, and ENV writes it into the image: whoever pulls the image reads it; pass it when the container starts (a secret, a variable of its environment) [secret-in-image]\n" +
			"b/Dockerfile:2:21: error: dockerfile: ${ without its closing } [syntax]\n" +
			"c/run.sh:2:64: error: shell: reached EOF without matching `$(` with `)` [syntax]\n" +
			"d/pod.yaml:8:54: error: invalid YAML: mapping values are not allowed in this context [syntax]\n" +
			"f/Makefile:2:58: error: shell: reached EOF without matching `$(` with `)` [syntax]\n",
	}, {
		name:  "a script the shell parser rejects",
		files: map[string]string{"scripts/start.sh": "#!/bin/sh\nexport PREFECT_API_URL=http://server:4200/api\nif [ -n \"$X\" ; then\n  prefect worker start --pool p\n"},
		want:  "scripts/start.sh:3:1: error: shell: `if` statement must end with `fi` [syntax]\n",
	}, {
		name:  "missing env_file",
		files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: prefecthq/prefect:3-latest\n    env_file: worker.env\n"},
		want:  "compose.yaml:4:15: error: \"worker.env\": no such file [syntax]\n",
	}, {
		name:  "env_file that is a FIFO",
		files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: prefecthq/prefect:3-latest\n    env_file: worker.env\n"},
		setup: func(t *testing.T, dir string) {
			if err := mkfifoAt(filepath.Join(dir, "worker.env")); err != nil {
				t.Skip(err)
			}
		},
		want: "compose.yaml:4:15: error: \"worker.env\": not a regular file (a FIFO): settings are read only from regular files [syntax]\n" +
			"worker.env: error: not a regular file (a FIFO): settings are read only from regular files [syntax]\n",
	}, {
		name: "a FIFO named as a Compose file, and one named as any YAML",
		setup: func(t *testing.T, dir string) {
			for _, name := range []string{"compose.yaml", "notes.yaml"} {
				if err := mkfifoAt(filepath.Join(dir, name)); err != nil {
					t.Skip(err)
				}
			}
		},
		want: "compose.yaml: error: not a regular file (a FIFO): settings are read only from regular files [syntax]\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{".env": "PREFECT_LOGGING_LEVEL=LOUD\n"})
			write(t, dir, tt.files)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home")})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := lines(fs), sibling+tt.want; got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestDeployPaths: a YAML file of no kind is passed over in a search,
// refused when named (unless SkipUnknown), and - reads a manifest stream.
func TestDeployPaths(t *testing.T) {
	manifest := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: flow\nspec:\n  containers:\n    - name: flow\n      image: prefecthq/prefect:3-latest\n      env:\n        - name: PREFECT_API_ULR\n          value: http://prefect-server:4200/api\n"
	dir := t.TempDir()
	write(t, dir, map[string]string{"mkdocs.yml": "site_name: docs\n", "README.md": "# flows\n", "pod.yaml": manifest})
	tests := []struct {
		name    string
		opts    Options
		want    string
		wantErr string
	}{
		{name: "a search passes over YAML of no kind", opts: Options{},
			want: "pod.yaml:10:17: warning: unknown setting \"PREFECT_API_ULR\"; did you mean \"PREFECT_API_URL\"? [unknown-setting]\n"},
		{name: "YAML of no kind named", opts: Options{Paths: []string{"mkdocs.yml", "pod.yaml"}},
			wantErr: "mkdocs.yml: not a deployment file of any kind Strata reads"},
		{name: "YAML of no kind named, skipped", opts: Options{Paths: []string{"mkdocs.yml", "README.md", "pod.yaml"}, SkipUnknown: true},
			want: "pod.yaml:10:17: warning: unknown setting \"PREFECT_API_ULR\"; did you mean \"PREFECT_API_URL\"? [unknown-setting]\n"},
		{name: "a manifest stream on the standard input", opts: Options{Paths: []string{"-"}, Stdin: strings.NewReader(manifest)},
			want: "-:10:17: warning: unknown setting \"PREFECT_API_ULR\"; did you mean \"PREFECT_API_URL\"? [unknown-setting]\n"},
		{name: "no manifest on the standard input", opts: Options{Paths: []string{"-"}, Stdin: strings.NewReader("site_name: docs\n")},
			wantErr: "-: not a deployment file of any kind Strata reads"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Dir, tt.opts.Home = dir, filepath.Join(dir, "home")
			fs, err := Run(tt.opts)
			if tt.wantErr != "" {
				var pe *PathError
				if !errors.As(err, &pe) || err.Error() != tt.wantErr {
					t.Fatalf("error %v; want the *PathError %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestEveryNoteHasRule: every note code package deploy declares is the id
// of a rule, under which lint reports the note.
func TestEveryNoteHasRule(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "deploy", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Note") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						continue
					}
					code, _ := strconv.Unquote(lit.Value)
					n++
					if _, ok := LookupRule(code); !ok {
						t.Errorf("deploy.%s = %q is no rule of lint", name.Name, code)
					}
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d note codes found in package deploy", n)
	}
}

// TestPrefect1Names: every Prefect 3 name the Prefect 1 names point to is
// a setting.
func TestPrefect1Names(t *testing.T) {
	for key, to := range prefect1Names {
		if _, _, ok := schema.ByEnv(to); to != "" && !ok {
			t.Errorf("prefect1Names[%q] = %q, no setting", key, to)
		}
	}
	for name, want := range map[string]string{
		"PREFECT__CLOUD__API": "cloud.api", "PREFECT_SERVER__DATABASE__CONNECTION_URL": "server.database.connection_url",
		"PREFECT__BACKEND": "backend", "PREFECT__FLOW_RUN_ID": "", "PREFECT__RUNTIME__FLOW_RUN__ID": "", "PREFECT_API_URL": "",
	} {
		if got := prefect1Key(name); got != want {
			t.Errorf("prefect1Key(%q) = %q; want %q", name, got, want)
		}
	}
}

// TestContainerRelease: a container is checked against the release its
// image names, the project's when it names none, and the one given by
// flag or variable whatever it names, as the engine resolves it.
func TestContainerRelease(t *testing.T) {
	compose := "services:\n  old:\n    image: prefecthq/prefect:3.1.4-python3.11\n    command: python -m flows\n    environment:\n      PREFECT_API_AUTH_STRING: ${AUTH:?}\n" +
		"  new:\n    image: prefecthq/prefect:3-latest\n    command: python -m flows\n    environment:\n      PREFECT_API_AUTH_STRING: ${AUTH:?}\n" +
		"  built:\n    build: .\n    command: python -m flows\n    environment:\n      PREFECT_API_AUTH_STRING: ${AUTH:?}\n"
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{name: "the image's, else the project's", opts: Options{},
			want: "compose.yaml:6:7: warning: api.auth_string was added in Prefect 3.1.8; this project uses 3.1.4 (image prefecthq/prefect:3.1.4-python3.11, compose.yaml:3:12), which ignores it [not-in-release]\n" +
				"compose.yaml:16:7: warning: api.auth_string was added in Prefect 3.1.8; this project uses 3.1.5 (requirements.txt:1), which ignores it [not-in-release]\n"},
		{name: "the one given", opts: Options{PrefectVersion: "3.8.3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"compose.yaml": compose, "requirements.txt": "prefect==3.1.5\n"})
			tt.opts.Dir, tt.opts.Home = dir, filepath.Join(dir, "home")
			fs, err := Run(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
