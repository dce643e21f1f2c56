package koanfprovider_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/koanfprovider"
	"github.com/strata-settings/strata/settings"
)

// benchOptions is the realistic project settings' benchmarks use
// (testdata/bench).
func benchOptions(b *testing.B) settings.Options {
	b.Helper()
	root, err := filepath.Abs("../testdata/bench")
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "env"))
	if err != nil {
		b.Fatal(err)
	}
	env := strings.Split(strings.TrimSpace(string(data)), "\n")
	env = append(env, "HOME="+filepath.Join(root, "home"))
	return settings.Options{Environ: env, Dir: filepath.Join(root, "work"), Home: filepath.Join(root, "home")}
}

// BenchmarkLoad is settings.Load on the same project, the baseline for
// BenchmarkRead.
func BenchmarkLoad(b *testing.B) {
	opts := benchOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := settings.Load(opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead is Provider.Read: a resolution and the nested map koanf
// receives.
func BenchmarkRead(b *testing.B) {
	p := koanfprovider.New(benchOptions(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Read(); err != nil {
			b.Fatal(err)
		}
	}
}
