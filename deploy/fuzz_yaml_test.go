package deploy

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/sources"
	"go.yaml.in/yaml/v3"
)

// seeds adds the files of testdata/<dir> and a few hand-written ones.
func seeds(f *testing.F, dir string, more ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.y*ml"))
	sub, _ := filepath.Glob(filepath.Join("testdata", dir, "*", "*.y*ml"))
	for _, p := range append(files, sub...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(billionLaughs("")))
	for _, s := range more {
		f.Add([]byte(s))
	}
}

// checkRead fails t unless err is a positioned SyntaxError or FileError of
// path, and every position of file is in path or a file it names.
func checkRead(t *testing.T, path string, file *File, err error) {
	t.Helper()
	if err != nil {
		var se *sources.SyntaxError
		var fe *sources.FileError
		var pos sources.Position
		switch {
		case errors.As(err, &se):
			pos = se.Pos
		case errors.As(err, &fe):
			pos = fe.Pos
		case errors.Is(err, ErrNotDeployment):
			return
		default:
			t.Fatalf("error without a position: %v", err)
		}
		if pos.File == "" || pos.Line < 1 && pos.File == path {
			t.Fatalf("error at %v: %v", pos, err)
		}
		return
	}
	for _, c := range file.Containers {
		for _, v := range c.Vars {
			if !v.Pos.IsValid() || v.Pos.Line < 0 || v.Pos.Column < 0 {
				t.Fatalf("%s at %v", v.Name, v.Pos)
			}
			if v.Deferred != "" && v.Value != "" {
				t.Fatalf("%s deferred with a value", v.Name)
			}
		}
		for _, n := range c.Notes {
			if !n.Pos.IsValid() {
				t.Fatalf("note %s without a position", n.Code)
			}
		}
	}
}

func noFiles(string) ([]byte, error) { return nil, fs.ErrNotExist }

func FuzzCompose(f *testing.F) {
	seeds(f, "compose",
		"services:\n  a:\n    image: prefecthq/prefect:3-latest\n    environment: [A=${B:-${C}}, D]\n",
		"services:\n  a: {image: x, env_file: [{path: e, required: false}], environment: {X: !!binary aGk=}}\n",
		"x: &x {image: y}\nservices: {a: *x, b: {<<: *x, command: [prefect, server, start]}}\n",
		"include: [a.yaml]\nservices: {a: {extends: {file: b.yml, service: c}}}\n",
		"services: {a: {image: x, environment: !reset {}}}\n",
		"services: {a: {image: x, env_file: [{path: ~}], secrets: [{target: 1}], configs: [{target: ~}]}}\n",
		"services: {a: {extends: {file: [b.yml], service: c}}}\n",
		"services:\n  a:\n    image: k\n    entrypoint: [sh, -c]\n    command:\n      - |\n        kubectl create secret generic s \\\n          --from-literal=k=v\n  b: {image: k, entrypoint: kubectl, command: create secret generic s --from-literal=k=${V}}\n",
	)
	quietCompose()
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &Input{Path: "compose.yaml", Data: data, Dir: ".", ReadFile: noFiles, Environ: []string{"B=1"}}
		file, err := ReadCompose([]*Input{in})
		checkRead(t, in.Path, file, err)
	})
}

// FuzzComposeEnvFile reads arbitrary contents as a Compose project's .env
// and as a service's env_file, both read with compose-go's parser.
func FuzzComposeEnvFile(f *testing.F) {
	for _, s := range []string{
		"A=1\nexport B='x'\nC=\"${A:-y}\\n\"\n# c\n",
		"PREFECT_API_URL=http://server:4200/api\nPREFECT_API_KEY=${KEY:?set KEY}\n",
		"A=${B:+${C:-$$}}\nD=`e`\n\xff=\x00\n",
		"=\nA\n  B = 'c' # d\nE=\"unterminated\n",
	} {
		f.Add([]byte(s))
	}
	quietCompose()
	compose := []byte("services:\n  worker:\n    image: prefecthq/prefect:3-latest\n    env_file: [worker.env, {path: raw.env, format: raw}]\n    environment: [PREFECT_API_URL=${PREFECT_API_URL:-http://x/api}, A]\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &Input{Path: "compose.yaml", Data: compose, Dir: ".", Environ: []string{"B=1"},
			ReadFile: func(p string) ([]byte, error) {
				switch filepath.Base(p) {
				case ".env", "worker.env", "raw.env":
					return data, nil
				}
				return nil, fs.ErrNotExist
			}}
		file, err := ReadCompose([]*Input{in})
		checkRead(t, in.Path, file, err)
	})
}

func FuzzKubernetes(f *testing.F) {
	f.Add([]byte("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers:\n        - name: k\n          image: k\n          command: [kubectl]\n          args: [create, secret, generic, s, '--from-literal=k=v', \"--from-literal=a=$(B)\"]\n        - name: h\n          image: h\n          command: [sh, -c, \"helm install r c --set a=b\"]\n"))
	seeds(f, "kubernetes",
		"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    env: [{name: A, value: $(B)$$(C)${D}}, {name: B, valueFrom: {secretKeyRef: {name: s, key: k}}}]\n",
		"apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: Secret, data: {a: '!!'}}]}]\n",
		"{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"x\"}]}}}}",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ReadKubernetes([]*Input{{Path: "k8s.yaml", Data: data}})
		checkRead(t, "k8s.yaml", file, err)
	})
}

func FuzzHelmValues(f *testing.F) {
	seeds(f, "helm",
		"worker:\n  apiConfig: customerManagedCloud\n  customerManagedCloudApiConfig: {apiUrl: x}\n",
		"server: {basicAuth: {enabled: 'false'}, env: [{name: A, value: '{{ x }}'}]}\nexternalDatabase: {portSecretKey: p}\n",
		"prefect-server:\n  server: {uiConfig: {}}\n  backgroundServices: {runAsSeparateDeployment: on}\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ReadHelmValues(&Input{Path: "values.yaml", Data: data})
		checkRead(t, "values.yaml", file, err)
		if err == nil && strings.Contains(string(data), "\x00") && len(file.Containers) > 100 {
			t.Fatal("unbounded")
		}
	})
}

// FuzzYAMLNodes checks what the node limit rests on: the count from the
// text is never below the nodes yaml.v3 makes of it.
func FuzzYAMLNodes(f *testing.F) {
	for _, s := range []string{"? a\n? b\n", "{a, b, c}", "---\n---\n", "a\n...\nb\n...\n", "- [a, {b: c}]\n- *x\n", "- - - - a\n", "- ? - a: - b\n", "!!str a", "&a [*a]",
		"apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, env: [{name: B, value: \"$(C)\"}]}]}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		nodes := 0
		for {
			var doc yaml.Node
			if err := dec.Decode(&doc); err != nil {
				break
			}
			var count func(*yaml.Node)
			count = func(n *yaml.Node) {
				nodes++
				for _, c := range n.Content {
					count(c)
				}
			}
			count(&doc)
		}
		if at := yamlNodesBeyond(data, nodes-1); at < 0 && nodes > 2 { // the count starts at 2
			t.Fatalf("%d nodes, counted fewer from the text", nodes)
		}
	})
}
