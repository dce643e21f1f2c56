package settings_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/internal/benchproject"
	"github.com/strata-settings/strata/settings"
)

// benchScenario is the realistic project of testdata/bench.
func benchScenario(b *testing.B) settings.Options {
	return benchproject.Options(b, "../testdata/bench")
}

// BenchmarkLoad resolves every setting of the benchmark scenario as each
// release of the corpora, both versions given (on pydantic-settings 2.14,
// and 3.4.25 also on 2.13): the cost of resolving as that release. The
// "default" case gives no version, so Load also detects both from the
// project, as the CLI does when none is given; "3.8.3-detect-ps" detects
// the pydantic-settings version only.
func BenchmarkLoad(b *testing.B) {
	const ps = "2.14.1"
	for _, rel := range []struct{ name, prefect, ps string }{
		{"default", "", ""}, {"3.8.3-detect-ps", "3.8.3", ""},
		{"3.0.11", "3.0.11", ps}, {"3.1.15", "3.1.15", ps}, {"3.2.15", "3.2.15", ps},
		{"3.3.7", "3.3.7", ps}, {"3.4.25", "3.4.25", ps}, {"3.4.25-ps2.13", "3.4.25", "2.13.1"},
		{"3.5.0", "3.5.0", ps}, {"3.6.29", "3.6.29", ps}, {"3.7.8", "3.7.8", ps}, {"3.8.3", "3.8.3", ps},
	} {
		b.Run(rel.name, func(b *testing.B) {
			opts := benchScenario(b)
			opts.PrefectVersion, opts.PydanticSettingsVersion = rel.prefect, rel.ps
			// Releases before 3.6.2 reject late_runs.after_seconds=30, and
			// before 3.4.2 the comma list of task retry delays: the
			// resolution reports them, and that is part of the work.
			if r, err := settings.Load(opts); r == nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if r, err := settings.Load(opts); r == nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadFloor reads the same files and environment without resolving
// anything: the cost Load cannot go below.
func BenchmarkLoadFloor(b *testing.B) {
	opts := benchScenario(b)
	files := []string{
		filepath.Join(opts.Dir, ".env"), filepath.Join(opts.Dir, "prefect.toml"),
		filepath.Join(opts.Dir, "pyproject.toml"), filepath.Join(opts.Home, ".prefect", "profiles.toml"),
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, kv := range opts.Environ {
			if k, _, ok := strings.Cut(kv, "="); ok {
				n += len(k)
			}
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			n += len(data)
		}
		if n == 0 {
			b.Fatal("nothing read")
		}
	}
}
