package koanfprovider_test

import (
	"testing"

	"github.com/strata-settings/strata/internal/benchproject"
	"github.com/strata-settings/strata/koanfprovider"
	"github.com/strata-settings/strata/settings"
)

// benchOptions is the realistic project settings' benchmarks use
// (testdata/bench).
func benchOptions(b *testing.B) settings.Options {
	return benchproject.Options(b, "../testdata/bench")
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
