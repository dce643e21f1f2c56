package lint

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-settings/strata/detect"
)

// TestReadOnce: a settings file that detection reads to find the
// project's release is not read again to be linted, and detection takes
// the walk's listing of the directory rather than listing it again.
func TestReadOnce(t *testing.T) {
	dir := t.TempDir()
	pyproject := filepath.Join(dir, "pyproject.toml")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(pyproject, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first := "[project]\ndependencies = [\"prefect==3.4.20\"]\n"
	write(first)
	if err := os.WriteFile(filepath.Join(dir, "uv.lock"), []byte("[[package]]\nname = \"prefect\"\nversion = \"3.4.25\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	l := &linter{opts: Options{Dir: dir}}
	l.list(".", []string{"pyproject.toml"}) // as the walk found it: no uv.lock yet
	l.willLint([]string{l.absPath("pyproject.toml")})
	if p := l.detect(detect.Options{Dir: dir}); p.Prefect.Version != "3.4.20" {
		t.Fatalf("detected %v; want 3.4.20 from pyproject.toml, the walk's listing holding no uv.lock", p.Prefect)
	}
	write("[project]\nname = \"edited\"\n")
	if data, err := l.readFile("pyproject.toml"); err != nil || string(data) != first {
		t.Errorf("lint read %q, %v; want what detection read, %q", data, err, first)
	}
	// Taken once: a second read is the file's.
	if data, err := l.readFile("pyproject.toml"); err != nil || string(data) == first {
		t.Errorf("lint read again %q, %v; want the file as it is now", data, err)
	}
	// Only the files to lint are kept: uv.lock, read for Prefect, is not;
	// pyproject.toml, read for pydantic-settings, is.
	l.list(".", []string{"pyproject.toml", "uv.lock"})
	if p := l.detect(detect.Options{Dir: dir}); p.Prefect.Version != "3.4.25" {
		t.Fatalf("detected %v; want 3.4.25 from uv.lock", p.Prefect)
	}
	if _, ok := l.shared.read[filepath.Join(dir, "uv.lock")]; ok || len(l.shared.read) != 1 {
		t.Errorf("kept %d files, uv.lock %v; want pyproject.toml alone", len(l.shared.read), ok)
	}
}
