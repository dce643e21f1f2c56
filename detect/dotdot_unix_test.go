//go:build unix

package detect

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDetectDotDotAfterLink reads the files of a working directory given
// with ".." after a symbolic link, and the files a requirements file
// includes so, as the system finds them: ".." leads out of the link's
// target, not back to the directory the link is in. work/cfg is a link to
// real/x; the files of work pin 3.6.0, those of real 3.4.2.
func TestDetectDotDotAfterLink(t *testing.T) {
	const meta = ".venv/lib/python3.11/site-packages/prefect-3.4.2.dist-info/METADATA"
	tests := []struct {
		name  string
		dir   string // under the temporary root
		files map[string]string
	}{{
		name: "a lock file",
		dir:  "work/cfg/..",
		files: map[string]string{
			"real/uv.lock": "[[package]]\nname = \"prefect\"\nversion = \"3.4.2\"\n",
			"work/uv.lock": "[[package]]\nname = \"prefect\"\nversion = \"3.6.0\"\n",
		},
	}, {
		name: "requirements/*.txt",
		dir:  "work/cfg/..",
		files: map[string]string{
			"real/requirements/prod.txt": "prefect==3.4.2\n",
			"work/requirements/prod.txt": "prefect==3.6.0\n",
		},
	}, {
		name: "a virtualenv",
		dir:  "work/cfg/..",
		files: map[string]string{
			"real/" + meta: "Name: prefect\nVersion: 3.4.2\n",
			"work/" + meta: "Name: prefect\nVersion: 3.6.0\n",
		},
	}, {
		name: "a requirements file's include",
		dir:  "work",
		files: map[string]string{
			"work/requirements.txt": "-r cfg/../base.txt\n",
			"real/base.txt":         "prefect==3.4.2\n",
			"work/base.txt":         "prefect==3.6.0\n",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for name, data := range tt.files {
				p := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(filepath.Join(root, "real/x"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(root, "work"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("../real/x", filepath.Join(root, "work/cfg")); err != nil {
				t.Fatal(err)
			}
			p := Detect(Options{Dir: root + "/" + tt.dir})
			if p.Prefect.Version != "3.4.2" {
				t.Errorf("prefect %q from %s; want 3.4.2", p.Prefect.Version, p.Prefect.Pos)
			}
		})
	}
}
