package main

import (
	"os/exec"
	"testing"

	"github.com/strata-settings/strata/internal/benchproject"
)

// BenchmarkProcessDump runs the whole process, `strata config dump`, on the
// benchmark scenario of testdata/bench (about 40 environment variables and
// all five layers), as a shell or a CI step would.
func BenchmarkProcessDump(b *testing.B) {
	opts := benchproject.Options(b, "../../testdata/bench")
	for b.Loop() {
		cmd := exec.Command(strataBin, "config", "dump")
		cmd.Dir = opts.Dir
		cmd.Env = opts.Environ
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}
