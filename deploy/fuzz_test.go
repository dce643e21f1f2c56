package deploy

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-settings/strata/sources"
)

// fuzzRead reads data as the file at path and checks what every reader
// promises: no panic, an error that is a *sources.SyntaxError or
// *sources.FileError in the file, and positions within it.
func fuzzRead(t *testing.T, path string, data []byte) {
	f, err := Read(&Input{Path: path, Data: data, ReadFile: func(string) ([]byte, error) { return nil, fs.ErrNotExist }})
	if err != nil {
		var se *sources.SyntaxError
		var fe *sources.FileError
		switch {
		case errors.As(err, &se):
			if se.Pos.File != path || se.Pos.Line < 1 {
				t.Fatalf("syntax error without a line of the file: %v", err)
			}
		case errors.As(err, &fe):
			if fe.Pos.File != path {
				t.Fatalf("limit error not in the file: %v", err)
			}
		default:
			t.Fatalf("error of type %T: %v", err, err)
		}
	}
	if f == nil {
		return
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	at := func(what string, p sources.Position) {
		if p.File == "" {
			return
		}
		if p.File != path || p.Line < 1 || p.Line > lines || p.Column < 0 {
			t.Fatalf("%s at %v: outside %s (%d lines)", what, p, path, lines)
		}
	}
	for _, c := range f.Containers {
		at("container", c.Pos)
		at("release", c.Release.Pos)
		for _, v := range c.Vars {
			at(v.Name, v.Pos)
			at(v.Name+" value", v.ValuePos)
			for _, r := range v.Refs {
				at(v.Name+" ref", r.Pos)
			}
		}
		for _, n := range c.Notes {
			at(n.Code, n.Pos)
		}
	}
	for _, n := range f.Notes {
		at(n.Code, n.Pos)
	}
}

// addSeeds adds the files of testdata/kind as seeds.
func addSeeds(f *testing.F, kind string) {
	filepath.WalkDir(filepath.Join("testdata", kind), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
}

func FuzzDockerfile(f *testing.F) {
	addSeeds(f, "dockerfile")
	f.Add([]byte("FROM a AS b\nARG X=${Y:-z}\nENV A=$X B=\"${A}\" \\\n  # c\n  C='$B'\nRUN <<EOF\nprefect config set A=1\nEOF\nCMD [\"prefect\"]\n"))
	f.Add([]byte("# escape=`\nFROM a\nENV A=1 `\n  B=2\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "Dockerfile", data) })
}

func FuzzShell(f *testing.F) {
	addSeeds(f, "shell")
	f.Add([]byte("export A=\"${B:-$(c)}\" D=~/x\nE=1 env F=2 prefect --profile p config set G=$E\nbash -c 'export H=1'\n"))
	f.Add([]byte("kubectl -n p create secret generic s --from-literal=k=v --from-literal \"a=b\"\nhelm upgrade r c --set a=1,b=x\\,y,c={1,2} --set-literal d=e\ndocker compose -f x run -e A=1 --env=B=2 s\nsh -c 'kubectl set env d/w C=3'\n"))
	f.Add([]byte("K=\"pnu_0a1b2c3d4e5f6g7h8i9j0k1l\"\nkubectl create secret generic s --from-literal=k=$K\necho 'pnb_0a1b2c3d4e5f6g7h8i9j0k1lpnu_' pnu_ xpnu_0a1b2c3d4e5f6g7h8i9j0k1l | prefect cloud login --key -\ncat <<E\npnu_0a1b2c3d4e5f6g7h8i9j0k1l2\nE\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "run.sh", data) })
}

func FuzzMakefile(f *testing.F) {
	addSeeds(f, "makefile")
	f.Add([]byte("A ?= $(B)\nexport C = $(A) $$D\nt: export E = 1\nt: ; prefect server start\n\t@F=$(A) prefect deploy \\\n\t  --all\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "Makefile", data) })
}

func FuzzWorkflow(f *testing.F) {
	addSeeds(f, "github-actions")
	f.Add([]byte("env: {A: ${{ secrets.A }}}\njobs:\n  j:\n    container: {image: prefecthq/prefect:3-latest, env: {B: x}}\n    steps:\n      - run: |\n          prefect config set C=${{ env.A }}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, ".github/workflows/w.yml", data) })
}

func FuzzGitLab(f *testing.F) {
	addSeeds(f, "gitlab-ci")
	f.Add([]byte("variables: {A: $B}\n.t: {variables: {C: 1}}\nj: {extends: [.t, .t], script: [[export D=$A]]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, ".gitlab-ci.yml", data) })
}

func FuzzPrefectYAML(f *testing.F) {
	addSeeds(f, "prefect-yaml")
	f.Add([]byte("e: &e {A: '{{ $B }}'}\ndeployments:\n- work_pool: {job_variables: {env: {<<: [*e, *e], C: 1}}}\n  pull: [{prefect.deployments.steps.run_shell_script: {script: pip install prefect==3.4.1}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "prefect.yaml", data) })
}
