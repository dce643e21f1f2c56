package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkDetect measures detection in a project with nothing to find
// (what every settings.Load without a version pays) and in one whose
// uv.lock lists 400 packages.
func BenchmarkDetect(b *testing.B) {
	empty := b.TempDir()
	big := b.TempDir()
	var lock strings.Builder
	lock.WriteString("version = 1\nrequires-python = \">=3.10\"\n")
	for i := range 400 {
		name := fmt.Sprintf("package-%03d", i)
		if i == 399 {
			name = "prefect"
		}
		fmt.Fprintf(&lock, "\n[[package]]\nname = %q\nversion = \"1.%d.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n", name, i)
		fmt.Fprintf(&lock, "dependencies = [\n    { name = \"anyio\" },\n    { name = \"httpx\", extra = [\"http2\"] },\n]\n")
		fmt.Fprintf(&lock, "wheels = [\n    { url = \"https://files.pythonhosted.org/packages/%s-1.%d.0-py3-none-any.whl\", hash = \"sha256:%064d\", size = %d },\n]\n", name, i, i, i*1000)
	}
	if err := os.WriteFile(filepath.Join(big, "uv.lock"), []byte(lock.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, bench := range []struct{ name, dir string }{{"empty", empty}, {"uv.lock", big}} {
		b.Run(bench.name, func(b *testing.B) {
			for b.Loop() {
				Detect(Options{Dir: bench.dir})
			}
		})
	}
}
