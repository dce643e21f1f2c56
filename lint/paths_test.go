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

// linter.absPath is absPath of the path joined to Dir.
func TestLinterAbsPath(t *testing.T) {
	for _, dir := range []string{"/", "/tmp/x", "/tmp/x/", "rel", ""} {
		l := &linter{opts: Options{Dir: dir}}
		l.dirClean = filepath.IsAbs(dir) && isClean(dir)
		for _, p := range []string{".", "a", "a/b", "./a", "a/../b", "/abs/p", "../up", ".env"} {
			if got, want := l.absPath(p), absPath(l.abs(p)); got != want {
				t.Errorf("Dir %q: absPath(%q) = %q, want %q", dir, p, got, want)
			}
		}
	}
}
