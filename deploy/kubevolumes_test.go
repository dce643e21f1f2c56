package deploy

import (
	"fmt"
	"strings"
	"testing"
)

// TestKubernetesVolumeMounts reads the settings files a pod's volumes put
// where Prefect reads them: the content the manifests hold, where it is
// written, and a file known only when deployed.
func TestKubernetesVolumeMounts(t *testing.T) {
	const objects = `apiVersion: v1
kind: ConfigMap
metadata:
  name: files
data:
  prefect.toml: |
    [server.api]
    port = 4300
  .env: "PREFECT_LOGGING_LEVEL=DEBUG"
  other: "x"
---
apiVersion: v1
kind: Secret
metadata:
  name: profiles
data:
  profiles.toml: YWN0aXZlID0gImEiCg==
---
`
	pod := func(workingDir, mounts, volumes string) string {
		wd := ""
		if workingDir != "" {
			wd = "\n      workingDir: " + workingDir
		}
		return objects + `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: prefecthq/prefect:3.8.3-python3.12` + wd + `
      volumeMounts:
` + mounts + `
  volumes:
` + volumes
	}
	tests := []struct {
		name string
		yaml string
		want []string // Container <- content at DataPos (in place or not), or deferred
	}{{
		name: "a key as a file, a whole Secret as a directory",
		yaml: pod("/opt/prefect", `        - {name: files, mountPath: /opt/prefect/prefect.toml, subPath: prefect.toml}
        - {name: files, mountPath: /opt/prefect/.env, subPath: .env}
        - {name: sec, mountPath: /root/.prefect}`, `    - {name: files, configMap: {name: files}}
    - {name: sec, secret: {secretName: profiles}}`),
		want: []string{
			`/opt/prefect/prefect.toml <- "[server.api]\nport = 4300\n" at m.yaml:7:5 in place, ConfigMap "files" key "prefect.toml"`,
			`/opt/prefect/.env <- "PREFECT_LOGGING_LEVEL=DEBUG" at m.yaml:9:10 in place, ConfigMap "files" key ".env"`,
			`/root/.prefect/profiles.toml <- "active = \"a\"\n" at m.yaml:17:18, Secret "profiles" key "profiles.toml"`,
		},
	}, {
		name: "a whole ConfigMap as the working directory, items renaming a key",
		yaml: pod("/app", `        - {name: proj, mountPath: /app}`, `    - name: proj
      projected:
        sources:
          - configMap: {name: files, items: [{key: other, path: pyproject.toml}, {key: prefect.toml, path: prefect.toml}]}`),
		want: []string{
			`/app/prefect.toml <- "[server.api]\nport = 4300\n" at m.yaml:7:5 in place, ConfigMap "files" key "prefect.toml"`,
			`/app/pyproject.toml <- "x" at m.yaml:10:11 in place, ConfigMap "files" key "other"`,
		},
	}, {
		name: "outside the working directory, only a profiles file counts",
		yaml: pod("/work", `        - {name: files, mountPath: /etc/prefect}`, `    - {name: files, configMap: {name: files}}`),
	}, {
		name: "objects no file read defines",
		yaml: pod("", `        - {name: cm, mountPath: /opt/prefect/prefect.toml, subPath: prefect.toml}
        - {name: sec, mountPath: /root/.prefect}
        - {name: data, mountPath: /opt/prefect}`, `    - {name: cm, configMap: {name: elsewhere}}
    - {name: sec, secret: {secretName: elsewhere, optional: true}}
    - {name: data, persistentVolumeClaim: {claimName: flows}}`),
		want: []string{
			`/opt/prefect/prefect.toml deferred: ConfigMap "elsewhere", which no file read defines`,
			`/root/.prefect/profiles.toml deferred: Secret "elsewhere", which no file read defines`,
			`/opt/prefect/profiles.toml deferred: a persistentVolumeClaim volume, whose files the manifests do not hold`,
			`/opt/prefect/.env deferred: a persistentVolumeClaim volume, whose files the manifests do not hold`,
			`/opt/prefect/prefect.toml deferred: a persistentVolumeClaim volume, whose files the manifests do not hold`,
			`/opt/prefect/pyproject.toml deferred: a persistentVolumeClaim volume, whose files the manifests do not hold`,
		},
	}, {
		name: "an emptyDir holds nothing; a path known only when deployed",
		yaml: pod("/home/prefect", `        - {name: scratch, mountPath: /home/prefect, subPathExpr: home}
        - {name: files, mountPath: /home/prefect/prefect.toml, subPathExpr: $(POD_NAME)}`, `    - {name: scratch, emptyDir: {}}
    - {name: files, configMap: {name: files}}`),
		want: []string{
			`/home/prefect/prefect.toml deferred: the path subPathExpr "$(POD_NAME)" gives in the volume, known only when deployed`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadKubernetes([]*Input{{Path: "m.yaml", Data: []byte(tt.yaml)}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range f.Containers[0].Mounts {
				if m.Deferred != "" {
					got = append(got, fmt.Sprintf("%s deferred: %s", m.Container, m.Deferred))
					continue
				}
				place := ""
				if m.InPlace {
					place = " in place"
				}
				got = append(got, fmt.Sprintf("%s <- %q at %s%s, %s", m.Container, m.Data, m.DataPos, place, m.From))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("mounts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
