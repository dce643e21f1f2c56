package detect

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/strata-settings/strata/sources"
)

// TestDetectEntriesAndReadFile: a caller that has listed the directory
// passes its names, and Detect takes them as the directory's entries; a
// caller that reads the files too reads them for it, with the errors of
// sources.ReadFileMax.
func TestDetectEntriesAndReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("uv.lock", "[[package]]\nname = \"prefect\"\nversion = \"3.4.25\"\n")
	write("pyproject.toml", "[project]\ndependencies = [\"prefect==3.4.20\"]\n")

	if got := Detect(Options{Dir: dir}).Prefect; got.Version != "3.4.25" {
		t.Fatalf("listing the directory: %v; want 3.4.25 from uv.lock", got)
	}
	// The listing given does not hold uv.lock: Detect does not look
	// for it.
	var read []string
	p := Detect(Options{Dir: dir, Entries: []string{"pyproject.toml"}, ReadFile: func(path string, max int64) ([]byte, error) {
		read = append(read, filepath.Base(path))
		return sources.ReadFileMax(path, max)
	}})
	if p.Prefect.Version != "3.4.20" || p.Prefect.Pos.File != filepath.Join(dir, "pyproject.toml") {
		t.Errorf("with the entries given: %v; want 3.4.20 from pyproject.toml", p.Prefect)
	}
	if !slices.Equal(read, []string{"pyproject.toml"}) {
		t.Errorf("ReadFile read %q; want pyproject.toml alone", read)
	}
	// An empty listing is a directory without files, not one unlisted.
	if p := Detect(Options{Dir: dir, Entries: []string{}}); p.Prefect.OK() {
		t.Errorf("with no entries: %v; want nothing found", p.Prefect)
	}
	// ReadFile's errors are detection's: a missing file is no problem, a
	// file that cannot be read is skipped and said so.
	p = Detect(Options{Dir: dir, ReadFile: func(path string, max int64) ([]byte, error) {
		return sources.ReadFileMax(path, 10)
	}})
	if p.Prefect.OK() || len(p.Skipped) == 0 {
		t.Errorf("with files too large to read: %v, skipped %v; want nothing found, the files skipped", p.Prefect, p.Skipped)
	}
}
