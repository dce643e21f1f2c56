package deploy

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchRead reads a realistic file of testdata again and again.
func benchRead(b *testing.B, path, rel string) {
	data, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		b.Fatal(err)
	}
	in := &Input{Path: rel, Data: data, ReadFile: func(string) ([]byte, error) { return nil, fs.ErrNotExist }}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDockerfile(b *testing.B) {
	benchRead(b, "dockerfile/multistage/Dockerfile", "Dockerfile")
}

// BenchmarkDockerfileLong reads the longest Dockerfile read.
func BenchmarkDockerfileLong(b *testing.B) { benchDockerfile(b, maxDockerfileLines, false) }

// BenchmarkDockerfileRefused reads a Dockerfile of 100,000 lines, ten
// times the longest read: refused before it is parsed.
func BenchmarkDockerfileRefused(b *testing.B) { benchDockerfile(b, 10*maxDockerfileLines, true) }

func benchDockerfile(b *testing.B, lines int, refused bool) {
	data := longDockerfile(lines)
	in := &Input{Path: "Dockerfile", Data: data}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(in); (err != nil) != refused {
			b.Fatalf("error %v, want one: %t", err, refused)
		}
	}
}

func BenchmarkShell(b *testing.B) {
	benchRead(b, "shell/entrypoint/docker-entrypoint", "docker-entrypoint.sh")
}

func BenchmarkMakefile(b *testing.B) {
	benchRead(b, "makefile/dotenv/Makefile", "Makefile")
}

func BenchmarkWorkflow(b *testing.B) {
	benchRead(b, "github-actions/secrets/.github/workflows/deploy.yml", ".github/workflows/deploy.yml")
}

func BenchmarkGitLab(b *testing.B) {
	benchRead(b, "gitlab-ci/deploy/.gitlab-ci.yml", ".gitlab-ci.yml")
}

func BenchmarkPrefectYAML(b *testing.B) {
	benchRead(b, "prefect-yaml/pools/prefect.yaml", "prefect.yaml")
}

// BenchmarkReadScript reads the kind of script a Compose command holds.
func BenchmarkReadScript(b *testing.B) {
	s := &Script{Text: "pip install prefect==3.4.22 && export PREFECT_API_URL=http://server:4200/api && exec prefect worker start --pool docker --type docker", File: "compose.yaml"}
	b.ReportAllocs()
	for b.Loop() {
		ReadScript(s)
	}
}

// benchReadData reads data as the file at path again and again.
func benchReadData(b *testing.B, path, data string) {
	in := &Input{Path: path, Data: []byte(data), ReadFile: func(string) ([]byte, error) { return nil, fs.ErrNotExist }}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDockerfileEnvRuns reads a stage of 4000 ENV and 4000 RUN:
// each RUN reads the variables it refers to, not all of them.
func BenchmarkDockerfileEnvRuns(b *testing.B) {
	var s strings.Builder
	s.WriteString("FROM python:3.12\n")
	for i := range 4000 {
		fmt.Fprintf(&s, "ENV V%d=x\n", i)
	}
	s.WriteString(strings.Repeat("RUN echo $V1\n", 4000))
	benchReadData(b, "Dockerfile", s.String())
}

// BenchmarkKubernetesWorkloadsServices reads 2000 Deployments and 2000
// Services of one namespace: the service links are made once.
func BenchmarkKubernetesWorkloadsServices(b *testing.B) {
	var s strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&s, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w%d}\nspec: {template: {metadata: {labels: {app: w%d}}, spec: {containers: [{name: c, image: x}]}}}\n", i, i)
		fmt.Fprintf(&s, "---\napiVersion: v1\nkind: Service\nmetadata: {name: s%d}\nspec: {selector: {app: w%d}, ports: [{port: 80}]}\n", i, i)
	}
	benchReadData(b, "k8s.yaml", s.String())
}

// BenchmarkGitLabJobs reads 5000 jobs of a file of 5000 top-level keys.
func BenchmarkGitLabJobs(b *testing.B) {
	var s strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&s, "j%d: {script: [prefect deploy]}\n", i)
	}
	benchReadData(b, ".gitlab-ci.yml", s.String())
}

// BenchmarkWorkflowExpressions reads an env: of 4000 variables and one
// that refers to the first 20000 times.
func BenchmarkWorkflowExpressions(b *testing.B) {
	var s strings.Builder
	s.WriteString("on: push\nenv:\n")
	for i := range 4000 {
		fmt.Fprintf(&s, "  V%d: v\n", i)
	}
	s.WriteString("  B: \"" + strings.Repeat("${{ env.V0 }}", 20000) + "\"\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: prefect worker start\n")
	benchReadData(b, ".github/workflows/w.yml", s.String())
}
