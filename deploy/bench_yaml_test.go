package deploy

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/sources"
)

func benchInput(b *testing.B, name string) *Input {
	p := filepath.Join("testdata", name)
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	return &Input{Path: p, Data: data, Dir: filepath.Dir(p)}
}

// BenchmarkReadCompose reads the self-hosted stack of testdata (three
// services, an anchor, an env_file, a mount).
func BenchmarkReadCompose(b *testing.B) {
	in := benchInput(b, "compose/stack/docker-compose.yml")
	b.SetBytes(int64(len(in.Data)))
	for b.Loop() {
		if _, err := ReadCompose([]*Input{in}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadKubernetes reads the manifests of testdata (a Secret, a
// ConfigMap, a Service, two Deployments, a CronJob).
func BenchmarkReadKubernetes(b *testing.B) {
	in := benchInput(b, "kubernetes/stack.yaml")
	b.SetBytes(int64(len(in.Data)))
	for b.Loop() {
		if _, err := ReadKubernetes([]*Input{in}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadKubernetesStream reads a rendered stream of nearly
// MaxManifestSize (the worker chart's output, hundreds of times over, as
// kustomize build of a large cluster prints): time and memory grow with
// the stream, one document at a time.
func BenchmarkReadKubernetesStream(b *testing.B) {
	in := benchInput(b, "kubernetes/helm-template-worker.yaml")
	var stream bytes.Buffer
	for i := 0; ; i++ {
		doc := bytes.ReplaceAll(in.Data, []byte("name: prefect-worker\n"), fmt.Appendf(nil, "name: prefect-worker-%d\n", i))
		if stream.Len()+len(doc) > MaxManifestSize {
			break
		}
		stream.Write(doc)
	}
	in.Data = stream.Bytes()
	b.SetBytes(int64(len(in.Data)))
	for b.Loop() {
		if _, err := ReadKubernetes([]*Input{in}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadHelmValues reads the prefect-server chart's own values.yaml.
func BenchmarkReadHelmValues(b *testing.B) {
	in := benchInput(b, "helm/chart/prefect-server-values.yaml")
	b.SetBytes(int64(len(in.Data)))
	for b.Loop() {
		if _, err := ReadHelmValues(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadTree walks a tree of 200 deployment files of every kind
// read here (copies of testdata's, each in its own directory with the
// files it names) and reads each as the CLI does: sources.ReadFile, then
// Read. It reports the time per file.
func BenchmarkReadTree(b *testing.B) {
	root := b.TempDir()
	sets := []string{"compose/stack", "compose/envfile", "compose/listform", "kubernetes", "helm"}
	for n := 0; n < 200; {
		for _, set := range sets {
			dst := filepath.Join(root, fmt.Sprintf("p%03d", n), set)
			if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", set))); err != nil {
				b.Fatal(err)
			}
			n += countCandidates(b, dst)
		}
	}
	var paths []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && Candidate(p) && !strings.Contains(p, "gateway") {
			paths = append(paths, p)
		}
		return nil
	})
	b.ResetTimer()
	for b.Loop() {
		read := 0
		for _, p := range paths {
			data, err := sources.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Read(&Input{Path: p, Data: data, Dir: filepath.Dir(p)}); err == nil {
				read++
			}
		}
		if read < 200 {
			b.Fatalf("read %d files of %d", read, len(paths))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(len(paths)), "ms/file")
}

func countCandidates(b *testing.B, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && Candidate(p) && !strings.Contains(p, "gateway") {
			n++
		}
		return nil
	})
	return n
}
