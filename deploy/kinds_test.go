package deploy

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/strata-settings/strata/sources"
)

func TestKindOf(t *testing.T) {
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
	serverValues := "server:\n  uiConfig:\n    prefectUiApiUrl: http://x/api\n"
	workerValues := "worker:\n  apiConfig: cloud\n"
	otherValues := "server:\n  replicas: 2\nimage:\n  tag: 1.0\n"
	tests := []struct {
		path, data string
		want       string // the kind, or "" for none
	}{
		{"compose.yaml", "services: {}\n", "compose"},
		{"deploy/docker-compose.yml", "services: {}\n", "compose"},
		{"docker-compose.override.yml", "services: {}\n", "compose"},
		{"compose.prod.yaml", "services: {}\n", "compose"},
		{"docker-compose-dev.yaml", "services: {}\n", "compose"},
		{"compose.json", "{}", ""},
		{"k8s/deployment.yaml", manifest, "kubernetes"},
		{"k8s/all.yml", "---\n# rendered\n" + manifest, "kubernetes"},
		{"manifest.json", `{"apiVersion": "v1", "kind": "Pod"}`, "kubernetes"},
		{"-", manifest, "kubernetes"},
		{"mkdocs.yml", "site_name: x\n", ""},
		{"values.yaml", serverValues, "helm"},
		{"chart/values-prod.yaml", workerValues, "helm"},
		{"prefect-worker-values.yml", workerValues, "helm"},
		{"values.yaml", otherValues, ""},
		{"values.yaml", "prefect-worker:\n  worker:\n    config:\n      workPool: p\n", "helm"},
		{"values.yaml", manifest, "kubernetes"},
		{"config.yaml", serverValues, ""},
		{"Dockerfile", "", "dockerfile"},
		{"docker/Containerfile", "", "dockerfile"},
		{"worker.Dockerfile", "", "dockerfile"},
		{"build/Dockerfile.prod", "", "dockerfile"},
		{"Dockerfile-dev", "", "dockerfile"},
		{"Dockerfile.dockerignore", "", ""},
		{"Makefile", "", "makefile"},
		{"GNUmakefile", "", "makefile"},
		{"mk/prefect.mk", "", "makefile"},
		{"scripts/start.sh", "", "shell"},
		{"run.bash", "", "shell"},
		{".envrc", "", "shell"},
		{"bin/entrypoint", "#!/usr/bin/env bash\necho", "shell"},
		{"bin/entrypoint", "#!/bin/sh\n", "shell"},
		{"bin/manage", "#!/usr/bin/env python3\n", ""},
		{"LICENSE", "#!/bin/sh\n", ""},
		{"docker-entrypoint", "#!/bin/sh\n", "shell"},
		{"tools/release", "#!/bin/bash\n", "shell"},
		{"release", "#!/bin/bash\n", ""},
		{".github/workflows/deploy.yml", "", "github-actions"},
		{"sub/.github/workflows/ci.yaml", "", "github-actions"},
		{".github/actions/login/action.yml", "", "github-actions"},
		{".github/dependabot.yml", "", ""},
		{".gitlab-ci.yml", "", "gitlab-ci"},
		{"prefect.yaml", "", "prefect-yaml"},
		{"flows/prefect.yml", "", "prefect-yaml"},
		{"prod.prefect.yaml", "", "prefect-yaml"},
		{"prefect-dev.yaml", "name: x\ndeployments:\n- name: a\n", "prefect-yaml"},
		{"prefect-dev.yaml", "name: x\n", ""},
		// A name that says one kind, content that is another's.
		{"k8s/prefect.yaml", manifest, "kubernetes"},
		{"k8s/prefect-worker.prefect.yml", "---\n" + manifest, "kubernetes"},
		{"prefect.yaml", "name: x\npull:\n- prefect.deployments.steps.set_working_directory: {directory: /opt}\n", "prefect-yaml"},
		{"prefect.yaml", "deployments:\n- name: a\n  job_variables:\n    env: {kind: x}\n", "prefect-yaml"},
		{"scripts/start.sh", "apiVersion: v1\nkind: Pod\n", "shell"},
		{"values.yaml", "", ""},
	}
	for _, tc := range tests {
		k, ok := lookupKind(tc.path, []byte(tc.data))
		got := ""
		if ok {
			got = k.Name
		}
		if got != tc.want {
			t.Errorf("kind of %s = %q, want %q", tc.path, got, tc.want)
		}
		if tc.want != "" && !Candidate(tc.path) {
			t.Errorf("Candidate(%q) = false", tc.path)
		}
	}
	if _, err := Read(&Input{Path: "mkdocs.yml", Data: []byte("site_name: x\n")}); !errors.Is(err, ErrNotDeployment) {
		t.Errorf("Read(mkdocs.yml) = %v, want ErrNotDeployment", err)
	}
}

// TestManifestSizeLimit: a manifest stream beyond MaxManifestSize is
// refused before it is parsed.
func TestManifestSizeLimit(t *testing.T) {
	doc := "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n"
	data := []byte(strings.Repeat(doc, MaxManifestSize/len(doc)+1))
	_, err := Read(&Input{Path: "all.yaml", Data: data})
	var fe *sources.FileError
	if !errors.As(err, &fe) || err.Error() != "all.yaml: file larger than 8 MiB: no deployment file needs that much" {
		t.Errorf("Read of a %d MiB manifest: %v", len(data)>>20, err)
	}
	half := &Input{Path: "half.yaml", Data: data[:len(data)/2]}
	_, err = ReadKubernetes([]*Input{half, half, half})
	if !errors.As(err, &fe) || err.Error() != "half.yaml: the manifests read together are larger than 8 MiB: no deployment needs that much" {
		t.Errorf("Read of three manifests of %d MiB: %v", len(half.Data)>>20, err)
	}
}

// TestEmptyFiles: files with nothing in them read as nothing.
func TestEmptyFiles(t *testing.T) {
	for _, tc := range []struct{ path, data string }{
		{"k8s.yaml", "apiVersion: v1\nkind: List\nitems: []\n"},
		{"k8s.yaml", "---\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"},
		{"values.yaml", "worker:\n  apiConfig: cloud\n---\n"},
	} {
		f, err := Read(&Input{Path: tc.path, Data: []byte(tc.data)})
		if err != nil {
			t.Errorf("Read(%q): %v", tc.data, err)
			continue
		}
		if tc.path == "k8s.yaml" && len(f.Containers) != 0 {
			t.Errorf("Read(%q): %d containers", tc.data, len(f.Containers))
		}
	}
	// compose-go refuses an empty project, as docker compose does.
	if _, err := Read(&Input{Path: "compose.yaml", Data: []byte("# nothing\n"), Dir: t.TempDir()}); err == nil {
		t.Error("Read of an empty Compose file succeeded")
	}
}

// TestComposeReadFile: the files a Compose file names are read through
// Input.ReadFile, with the paths a user sees.
func TestComposeReadFile(t *testing.T) {
	var asked []string
	in := &Input{
		Path: "proj/compose.yaml",
		Dir:  "proj",
		Data: []byte("services:\n  w:\n    image: x\n    env_file: [w.env, {path: opt.env, required: false}]\n"),
		ReadFile: func(p string) ([]byte, error) {
			asked = append(asked, p)
			if strings.HasSuffix(p, "w.env") {
				return []byte("PREFECT_API_URL=http://s:4200/api\n"), nil
			}
			return nil, os.ErrNotExist
		},
	}
	f, err := Read(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := "proj/.env proj/w.env proj/opt.env"; strings.Join(asked, " ") != want {
		t.Errorf("read %q, want %q", asked, want)
	}
	v := f.Containers[0].Vars[0]
	if v.Pos.String() != "proj/w.env:1:1" || v.Value != "http://s:4200/api" {
		t.Errorf("var %s=%q at %s", v.Name, v.Value, v.Pos)
	}
}

func TestComposeOverride(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"docker-compose.yml", "docker-compose.override.yml"},
		{"deploy/compose.yaml", "deploy/compose.override.yaml"},
		{"compose.yml", "compose.override.yml"},
		{"docker-compose.prod.yml", ""},
		{"docker-compose.override.yml", ""},
	} {
		if got := ComposeOverride(tc.path); got != tc.want {
			t.Errorf("ComposeOverride(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
