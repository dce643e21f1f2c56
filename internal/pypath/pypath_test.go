package pypath

import (
	"os"
	"path/filepath"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "."},
		{".", "."},
		{"a//b/./c/", "a/b/c"},
		{"/a/../b", "/a/../b"},
		{"//a/b", "//a/b"},
		{"///a", "/a"},
		{"cfg/../x", "cfg/../x"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestJoin: a path joined to a directory names the file the system opens,
// a ".." after a link included.
func TestJoin(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"real/x", "work"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "real/x/p.toml"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../real/x", filepath.Join(root, "work/cfg")); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(root, "work")
	if got, want := Join(work, "cfg/../x/p.toml"), work+"/cfg/../x/p.toml"; got != want {
		t.Errorf("Join = %q; want %q", got, want)
	}
	if _, err := os.Stat(Join(work, "cfg/../x/p.toml")); err != nil {
		t.Errorf("the joined path does not name the file: %v", err)
	}
	if got := Join(work, "/abs/p"); got != "/abs/p" {
		t.Errorf("Join of an absolute path = %q", got)
	}
	if got := Join("", "rel/p"); got != "rel/p" {
		t.Errorf("Join to no directory = %q", got)
	}
}

// FuzzClean normalises arbitrary paths: the result is never empty and is
// stable under a second normalisation.
func FuzzClean(f *testing.F) {
	for _, seed := range []string{"", ".", "/", "//", "///a", "a//b/", "./x", "~/p", "../a/./b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		n := Clean(p)
		if n == "" || Clean(n) != n {
			t.Errorf("Clean(%q) = %q, again %q", p, n, Clean(n))
		}
	})
}

func TestDir(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cfg/../x/f.txt", "cfg/../x"},
		{"/a/b", "/a"},
		{"/a", "/"},
		{"//a", "//"},
		{"f.txt", "."},
		{"a//b/", "a"},
		{"", "."},
	}
	for _, tt := range tests {
		if got := Dir(tt.in); got != tt.want {
			t.Errorf("Dir(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzCleanAsSegments: a path Clean returns as it is, seeing it clean,
// is the one it would have rebuilt from its segments.
func FuzzCleanAsSegments(f *testing.F) {
	for _, seed := range []string{"", ".", "/", "//", "///a", "a//b/", "./x", "a/.", "/a/b", "//a/b/", "a/b/c"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := Clean(p), rebuild(p, rootOf(p)); got != want {
			t.Errorf("Clean(%q) = %q; rebuilt from its segments, %q", p, got, want)
		}
	})
}
