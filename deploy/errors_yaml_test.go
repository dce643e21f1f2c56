package deploy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-settings/strata/sources"
)

// billionLaughs is the YAML alias bomb: nine levels of nine aliases,
// 10⁹ nodes once expanded.
func billionLaughs(prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString("x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for c := 'b'; c <= 'j'; c++ {
		p := string(c - 1)
		b.WriteString("x-" + string(c) + ": &" + string(c) + " [*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p + "]\n")
	}
	return b.String()
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name  string
		file  string            // the file read, in a fresh directory
		files map[string]string // the other files of the directory; "FIFO" makes a FIFO
		env   []string
		want  string // the whole error, paths relative to the directory
	}{
		{
			name:  "compose malformed",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n   environment: {}\n"},
			want:  "compose.yaml:4:4: invalid YAML: did not find expected key",
		},
		{
			name:  "compose tab",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "\tservices: {}\n"},
			want:  "compose.yaml:1:1: invalid YAML: found character that cannot start any token",
		},
		{
			name:  "compose unknown anchor",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    environment: *env\n"},
			want:  "compose.yaml:3:18: invalid YAML: unknown anchor 'env' referenced",
		},
		{
			name:  "compose alias bomb",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": billionLaughs("services: {}\n")},
			want:  "compose.yaml:7:10: YAML aliases expand to more than 200000 nodes: no deployment file needs that",
		},
		{
			name:  "compose alias in itself",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  a: &a\n    environment: *a\n"},
			want:  "compose.yaml:3:18: YAML alias *a refers to a node that contains it",
		},
		{
			name:  "compose required variable",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    environment:\n      PREFECT_API_KEY: ${PREFECT_API_KEY:?the worker needs a key}\n"},
			want:  "compose.yaml:5:24: required variable PREFECT_API_KEY is missing a value: the worker needs a key",
		},
		{
			name:  "compose environment not a mapping",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    environment: 5\n"},
			want:  "compose.yaml:4:5: services.worker.environment must be a mapping",
		},
		{
			name:  "compose misspelt key",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    enviroment:\n      A: b\n"},
			want:  `compose.yaml:4:5: services.worker: "enviroment" is not a key of the Compose specification; did you mean "environment"?`,
		},
		{
			name:  "compose bad interpolation",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    environment:\n      A: ${B\n"},
			want:  "compose.yaml:5:7: invalid interpolation format for services.worker.environment.A. You may need to escape any $ with another $. ${B",
		},
		{
			name:  "compose env_file missing",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    env_file:\n      - worker.env\n"},
			want:  `compose.yaml:5:9: "worker.env": no such file`,
		},
		{
			name:  "compose env_file fifo",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    env_file: worker.env\n", "worker.env": "FIFO"},
			want:  `compose.yaml:4:15: "worker.env": not a regular file (a FIFO): settings are read only from regular files`,
		},
		{
			name:  "compose env_file huge",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    env_file: [{path: worker.env, required: true}]\n", "worker.env": "A=" + strings.Repeat("x", sources.MaxFileSize) + "\n"},
			want:  `compose.yaml:4:23: "worker.env": file larger than 4 MiB: no settings file needs that much`,
		},
		{
			name:  "compose env_file syntax",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    env_file: worker.env\n", "worker.env": "A=1\nB C=2\n"},
			want:  `worker.env:2: key cannot contain a space`,
		},
		{
			name:  "compose dotenv fifo",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services: {worker: {image: x}}\n", ".env": "FIFO"},
			want:  `.env: not a regular file (a FIFO): settings are read only from regular files`,
		},
		{
			name:  "compose include fifo",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "include:\n  - other.yaml\nservices: {worker: {image: x}}\n", "other.yaml": "FIFO"},
			want:  `compose.yaml:2:5: "other.yaml": not a regular file (a FIFO): settings are read only from regular files`,
		},
		{
			name:  "compose extends missing",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    extends: {file: base.yml, service: base}\n"},
			want:  `compose.yaml:3:21: "base.yml": no such file`,
		},
		{
			name:  "kubernetes malformed",
			file:  "deploy.yaml",
			files: map[string]string{"deploy.yaml": "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n   image: b\n"},
			want:  "deploy.yaml:9:4: invalid YAML: did not find expected key",
		},
		{
			name:  "kubernetes alias bomb",
			file:  "deploy.yaml",
			files: map[string]string{"deploy.yaml": billionLaughs("apiVersion: v1\nkind: ConfigMap\n")},
			want:  "deploy.yaml:8:10: YAML aliases expand to more than 200000 nodes: no deployment file needs that",
		},
		{
			name:  "helm malformed",
			file:  "values.yaml",
			files: map[string]string{"values.yaml": "worker:\n  apiConfig: cloud\n  cloudApiConfig: [\n"},
			want:  "values.yaml:4:1: invalid YAML: did not find expected node content",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			for name, content := range tc.files {
				if content == "FIFO" {
					if err := mkfifo(name); err != nil {
						t.Skip(err)
					}
					continue
				}
				if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := Read(&Input{Path: tc.file, Data: data, Dir: ".", Environ: tc.env})
				done <- err
			}()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Read still waiting after 10s")
			}
			if err == nil {
				t.Fatalf("Read succeeded, want %q", tc.want)
			}
			if got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""); got != tc.want {
				t.Errorf("Read error:\n got %s\nwant %s", got, tc.want)
			}
			var se *sources.SyntaxError
			var fe *sources.FileError
			if !errors.As(err, &se) && !errors.As(err, &fe) {
				t.Errorf("error %T is neither a SyntaxError nor a FileError", err)
			}
		})
	}
}
