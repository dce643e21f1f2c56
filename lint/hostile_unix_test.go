//go:build unix

package lint

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// runGuarded runs lint, failing the test instead of hanging with it.
func runGuarded(t *testing.T, opts Options) []Finding {
	t.Helper()
	type result struct {
		fs  []Finding
		err error
	}
	done := make(chan result, 1)
	go func() {
		fs, err := Run(opts)
		done <- result{fs, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.fs
	case <-time.After(time.Minute):
		t.Fatal("lint hangs")
	}
	return nil
}

// TestHostileTrees lints trees that are out to hang, exhaust or abort the
// linter: special files where git's are, links to directories where
// settings files are, a directory named through a link. Each is linted
// like any other tree, with the same findings.
func TestHostileTrees(t *testing.T) {
	const secret = "PREFECT_API_KEY=pnu_s3cret\n"
	wantSecret := func(file string) string {
		return file + ":1:1: warning: api.key holds a secret; git does not ignore this file, so the next commit can share it: add .env to .gitignore [secret-in-committed-file]\n"
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, root string) (dir string, paths []string)
		want  string
	}{{
		name: "a FIFO as .git",
		setup: func(t *testing.T, root string) (string, []string) {
			write(t, root, map[string]string{".env": secret})
			mkfifo(t, filepath.Join(root, ".git"))
			return root, nil
		},
		want: "", // git refuses a .git that is neither a directory nor a gitfile: no work tree
	}, {
		name: "a FIFO as .git in a parent",
		setup: func(t *testing.T, root string) (string, []string) {
			write(t, root, map[string]string{"proj/.env": secret})
			mkfifo(t, filepath.Join(root, ".git"))
			return filepath.Join(root, "proj"), nil
		},
		want: "",
	}, {
		name: ".git linked to /dev/zero",
		setup: func(t *testing.T, root string) (string, []string) {
			write(t, root, map[string]string{".env": secret})
			symlink(t, "/dev/zero", filepath.Join(root, ".git"))
			return root, nil
		},
		want: "",
	}, {
		name: "a FIFO as .gitignore, in the tree and in a parent",
		setup: func(t *testing.T, root string) (string, []string) {
			write(t, root, map[string]string{"proj/app/.env": secret, ".git/HEAD": "ref: refs/heads/main\n"})
			mkfifo(t, filepath.Join(root, ".gitignore"))
			mkfifo(t, filepath.Join(root, "proj", "app", ".gitignore"))
			return filepath.Join(root, "proj"), nil
		},
		want: wantSecret("app/.env"),
	}, {
		name: "a FIFO named .env",
		setup: func(t *testing.T, root string) (string, []string) {
			mkfifo(t, filepath.Join(root, ".env"))
			return root, nil
		},
		want: ".env: error: not a regular file (a FIFO): settings are read only from regular files [syntax]\n",
	}, {
		name: ".env and prefect.toml linked to directories",
		setup: func(t *testing.T, root string) (string, []string) {
			write(t, root, map[string]string{"venv/pyvenv.cfg": "home = /usr\n", "conf/x": "", "app/prefect.toml": "[api]\nurl = 1\n"})
			symlink(t, filepath.Join(root, "venv"), filepath.Join(root, ".env"))
			symlink(t, filepath.Join(root, "conf"), filepath.Join(root, "prefect.toml"))
			return root, nil
		},
		want: "app/prefect.toml:2:1: error: api.url: Input should be a valid string [invalid-value]\n",
	}, {
		name: "a directory named through a link",
		setup: func(t *testing.T, root string) (string, []string) {
			write(t, root, map[string]string{"real/prefect.toml": "[api]\nurl = 1\n"})
			symlink(t, filepath.Join(root, "real"), filepath.Join(root, "link"))
			return root, []string{"link"}
		},
		want: "link/prefect.toml:2:1: error: api.url: Input should be a valid string [invalid-value]\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir, paths := tt.setup(t, root)
			fs := runGuarded(t, Options{Dir: dir, Paths: paths, Home: filepath.Join(root, "home"), Environ: []string{}})
			if got := lines(fs); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skip("no FIFO:", err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic link:", err)
	}
}
