//go:build unix

package detect

import (
	"fmt"
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

// TestCostlyTOMLIsPassedOver: a lock file laid out so that decoding it
// would take minutes (100,000 keys in one table) is passed over at once.
func TestCostlyTOMLIsPassedOver(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("[metadata.files]\n")
	for i := range 100000 {
		fmt.Fprintf(&b, "k%d = []\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "poetry.lock"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p := Detect(Options{Dir: dir})
	want := "poetry.lock:10001:1: too many keys under one table: looking them up would take more than 50000000 steps, not read"
	for _, s := range p.Skipped {
		if strings.TrimPrefix(s.String(), dir+"/") == want {
			return
		}
	}
	t.Errorf("skipped %v; want %s", p.Skipped, want)
}
