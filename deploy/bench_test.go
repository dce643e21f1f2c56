package deploy

import (
	"io/fs"
	"os"
	"path/filepath"
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

func BenchmarkDockerfileLong(b *testing.B) {
	data := longDockerfile(100000)
	in := &Input{Path: "Dockerfile", Data: data}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(in); err != nil {
			b.Fatal(err)
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
