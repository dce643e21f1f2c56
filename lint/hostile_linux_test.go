package lint

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestPathTooLong lints a tree holding a directory whose path is longer
// than the system allows: it is reported and skipped, and the rest of the
// tree is linted.
func TestPathTooLong(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"prefect.toml": "[api]\nurl = 1\n"})
	name := strings.Repeat("d", 200)
	fd, err := syscall.Open(root, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for n := len(root); n < 4200; n += len(name) + 1 {
		if err := syscall.Mkdirat(fd, name, 0o755); err != nil {
			syscall.Close(fd)
			t.Skip("cannot make a deep tree:", err)
		}
		next, err := syscall.Openat(fd, name, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
		syscall.Close(fd)
		if err != nil {
			t.Skip("cannot make a deep tree:", err)
		}
		fd = next
	}
	syscall.Close(fd)
	fs := runGuarded(t, Options{Dir: root, Home: filepath.Join(root, "home"), Environ: []string{}})
	got := lines(fs)
	want := "prefect.toml:2:1: error: api.url: Input should be a valid string [invalid-value]\n"
	if !strings.HasSuffix(got, want) || !strings.Contains(got, "file name too long") || !strings.Contains(got, "[unreadable-path]") {
		t.Errorf("got:\n%s\nwant the long path reported, then:\n%s", got, want)
	}
	if strings.Count(got, "\n") != 2 {
		t.Errorf("got %d findings; want 2:\n%s", strings.Count(got, "\n"), got)
	}
}
