package lint

import (
	"path/filepath"
	"testing"
)

// The paths' helpers answer as filepath does.
func TestPaths(t *testing.T) {
	paths := []string{"", ".", "..", "/", "//", "a", "a/", "/a", "/a/b", "a/b/c", "./a", "a/./b", "a/../b", "../a", "/..", "/../a",
		"a//b", "a/.", "a/..", ".env", "a/.env", "/a/.git/b", "a/..b", "a/b..", "/a/b/", "...", "a/.../b", ".a/b", "./", "/."}
	for _, p := range paths {
		if got, want := cleanPath(p), filepath.Clean(p); got != want {
			t.Errorf("cleanPath(%q) = %q, want %q", p, got, want)
		}
		if got, want := parentDir(p), filepath.Dir(p); got != want {
			t.Errorf("parentDir(%q) = %q, want %q", p, got, want)
		}
		if isClean(p) && filepath.Clean(p) != p {
			t.Errorf("isClean(%q), but Clean gives %q", p, filepath.Clean(p))
		}
		for _, dir := range []string{"", ".", "/", "/tmp/x", "rel/dir", "/tmp/x/", "a/../b"} {
			if filepath.IsAbs(p) {
				continue
			}
			if got, want := joinPath(dir, p), filepath.Join(dir, p); got != want {
				t.Errorf("joinPath(%q, %q) = %q, want %q", dir, p, got, want)
			}
		}
	}
}
