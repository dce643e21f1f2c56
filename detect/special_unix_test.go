//go:build unix

package detect

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSpecialFilesAreNotWaitedOn: a lock file, requirements file or
// pyproject.toml that is a FIFO (opening it for reading waits for a
// writer) or a link to /dev/zero is passed over, not read.
func TestSpecialFilesAreNotWaitedOn(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"uv.lock", "requirements.txt", "pyproject.toml"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skip(err)
		}
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "poetry.lock")); err != nil {
		t.Skip(err)
	}
	p := Detect(Options{Dir: dir})
	var got []string
	for _, s := range p.Skipped {
		got = append(got, filepath.Base(s.Pos.File)+": "+s.Reason)
	}
	want := []string{
		"uv.lock: not a regular file (a FIFO), not read",
		"poetry.lock: not a regular file (a character device), not read",
		"requirements.txt: not a regular file (a FIFO), not read",
		"pyproject.toml: not a regular file (a FIFO), not read",
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			t.Errorf("skipped:\n%s\nwant among them %q", strings.Join(got, "\n"), w)
		}
	}
}
