package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkProcessDump runs the whole process, `strata config dump`, on the
// benchmark scenario of testdata/bench (about 40 environment variables and
// all five layers), as a shell or a CI step would.
func BenchmarkProcessDump(b *testing.B) {
	root, err := filepath.Abs("../../testdata/bench")
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "env"))
	if err != nil {
		b.Fatal(err)
	}
	env := append(strings.Split(strings.TrimSpace(string(data)), "\n"), "HOME="+filepath.Join(root, "home"))
	for b.Loop() {
		cmd := exec.Command(strataBin, "config", "dump")
		cmd.Dir = filepath.Join(root, "work")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}
