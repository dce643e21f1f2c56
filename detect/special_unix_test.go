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

// TestLinks: a dist-info directory that is a link (Nix, Bazel) is read as
// a directory; a lock file that cannot be opened is named once, with why.
func TestLinks(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store", "prefect-3.4.2.dist-info")
	site := filepath.Join(dir, ".venv", "lib", "python3.12", "site-packages")
	for _, d := range []string{store, site} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(store, "METADATA"), []byte("Name: prefect\nVersion: 3.4.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(store, filepath.Join(site, "prefect-3.4.2.dist-info")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("uv.lock", filepath.Join(dir, "uv.lock")); err != nil { // a loop
		t.Fatal(err)
	}
	p := Detect(Options{Dir: dir})
	if got, want := describe(dir, p.Prefect), "3.4.2 virtualenv .venv/lib/python3.12/site-packages/prefect-3.4.2.dist-info/METADATA:2"; got != want {
		t.Errorf("Prefect = %q; want %q", got, want)
	}
	var got []string
	for _, s := range p.Skipped {
		got = append(got, filepath.Base(s.Pos.File)+": "+s.Reason)
	}
	if want := "uv.lock: cannot be read: too many levels of symbolic links"; len(got) != 1 || got[0] != want {
		t.Errorf("skipped %q; want [%q]", got, want)
	}
}
