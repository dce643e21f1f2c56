package deploy

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReadAll: files given together are read as the tools that use them
// take them.
func TestReadAll(t *testing.T) {
	secret := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  key: pnu_k\n"
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: flow\nspec:\n  containers:\n    - name: flow\n      image: prefecthq/prefect:3-latest\n      env:\n        - name: PREFECT_API_KEY\n          valueFrom:\n            secretKeyRef: {name: api, key: key}\n"
	base := "services:\n  worker:\n    image: prefecthq/prefect:3-latest\n    environment:\n      PREFECT_LOGGING_LEVEL: INFO\n"
	override := "services:\n  worker:\n    environment:\n      PREFECT_LOGGING_LEVEL: DEBUG\n"
	tests := []struct {
		name  string
		disk  map[string]string // written, not given
		given map[string]string
		want  []string // per result: its paths, then what it holds
	}{{
		name:  "a Compose file and its override, given",
		given: map[string]string{"docker-compose.yml": base, "docker-compose.override.yml": override},
		want:  []string{"docker-compose.yml docker-compose.override.yml: worker PREFECT_LOGGING_LEVEL=INFO PREFECT_LOGGING_LEVEL=DEBUG"},
	}, {
		name:  "an override given, its base beside it",
		disk:  map[string]string{"docker-compose.yml": base},
		given: map[string]string{"docker-compose.override.yml": override},
		want:  []string{"docker-compose.yml docker-compose.override.yml: worker PREFECT_LOGGING_LEVEL=INFO PREFECT_LOGGING_LEVEL=DEBUG"},
	}, {
		name:  "a base given, its override beside it",
		disk:  map[string]string{"compose.override.yaml": override},
		given: map[string]string{"compose.yaml": base},
		want:  []string{"compose.yaml compose.override.yaml: worker PREFECT_LOGGING_LEVEL=INFO PREFECT_LOGGING_LEVEL=DEBUG"},
	}, {
		name:  "another Compose file alone",
		given: map[string]string{"docker-compose.yml": base, "compose.prod.yaml": override},
		want: []string{
			"compose.prod.yaml: worker PREFECT_LOGGING_LEVEL=DEBUG",
			"docker-compose.yml: worker PREFECT_LOGGING_LEVEL=INFO",
		},
	}, {
		name:  "the manifests of a directory together",
		given: map[string]string{"k8s/secret.yaml": secret, "k8s/pod.yaml": pod, "other/pod.yaml": pod},
		want: []string{
			"k8s/pod.yaml k8s/secret.yaml: flow PREFECT_API_KEY=pnu_k",
			"other/pod.yaml: flow PREFECT_API_KEY deferred",
		},
	}, {
		name:  "a manifest that cannot be read, apart",
		given: map[string]string{"k8s/secret.yaml": secret, "k8s/pod.yaml": pod, "k8s/broken.yaml": "apiVersion: v1\nkind: [\n"},
		want: []string{
			"k8s/broken.yaml: error k8s/broken.yaml:3:1: invalid YAML: did not find expected node content",
			"k8s/pod.yaml k8s/secret.yaml: flow PREFECT_API_KEY=pnu_k",
		},
	}, {
		name:  "a file of no kind",
		given: map[string]string{"mkdocs.yml": "site_name: docs\n"},
		want:  []string{"mkdocs.yml: " + ErrNotDeployment.Error()},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.disk {
				writeFile(t, filepath.Join(dir, name), data)
			}
			var ins []*Input
			for _, name := range slices.Sorted(maps.Keys(tt.given)) {
				p := filepath.Join(dir, name)
				writeFile(t, p, tt.given[name])
				ins = append(ins, &Input{Path: p, Data: []byte(tt.given[name]), Dir: filepath.Dir(p)})
			}
			var got []string
			for _, r := range ReadAll(ins) {
				var paths []string
				for _, p := range r.Paths {
					rel, _ := filepath.Rel(dir, p)
					paths = append(paths, filepath.ToSlash(rel))
				}
				line := strings.Join(paths, " ") + ":"
				switch {
				case errors.Is(r.Err, ErrNotDeployment):
					line += " " + r.Err.Error()
				case r.Err != nil:
					line += " error " + strings.ReplaceAll(r.Err.Error(), dir+string(filepath.Separator), "")
				}
				if r.File != nil {
					for _, c := range r.File.Containers {
						line += " " + c.Name
						for _, v := range c.Vars {
							if v.Deferred != "" {
								line += " " + v.Name + " deferred"
							} else {
								line += " " + v.Name + "=" + v.Value
							}
						}
					}
				}
				got = append(got, line)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func writeFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
