package deploy

import (
	"errors"
	"fmt"
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

// doubling is a .env of 24 variables, each the one before it twice: 64
// bytes doubled 23 times.
func doubling(name, open, close string) string {
	var b strings.Builder
	b.WriteString(name + "0=" + strings.Repeat("x", 64) + "\n")
	for i := 1; i < 24; i++ {
		prev := fmt.Sprint(name, i-1)
		fmt.Fprintf(&b, "%s%d%s%s%s%s%s\n", name, i, open, prev, close, open[1:], prev+close)
	}
	return b.String()
}

// k8sDoubling is an env list of 24 variables, each the one before it
// twice.
func k8sDoubling() string {
	var b strings.Builder
	b.WriteString("    - {name: A0, value: " + strings.Repeat("x", 64) + "}\n")
	for i := 1; i < 24; i++ {
		fmt.Fprintf(&b, "    - {name: A%d, value: \"$(A%d)$(A%d)\"}\n", i, i-1, i-1)
	}
	return b.String()
}

// doublingYAML is a mapping of 24 variables, each the one before it
// twice.
func doublingYAML() string {
	var b strings.Builder
	b.WriteString("  A0: " + strings.Repeat("x", 64) + "\n")
	for i := 1; i < 24; i++ {
		fmt.Fprintf(&b, "  A%d: ${A%d}${A%d}\n", i, i-1, i-1)
	}
	return b.String()
}

// keys repeats prefix N suffix for N from 0 to n-1.
func keys(prefix, suffix string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s%d%s", prefix, i, suffix)
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
			// compose-go reshapes env_file, secrets, configs and extends
			// before its schema check, assuming their shapes: each is the
			// schema's error, never a crash.
			name:  "compose env_file path null",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    env_file:\n      - path:\n        required: false\n"},
			want:  "compose.yaml:5:9: services.worker.env_file.0.path must be a string",
		},
		{
			name:  "compose env_file path a number",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    env_file: [{path: 1}]\n"},
			want:  "compose.yaml:4:17: services.worker.env_file.0.path must be a string",
		},
		{
			name:  "compose secret target a number",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    secrets:\n      - source: key\n        target: 1\nsecrets:\n  key: {file: key.txt}\n"},
			want:  "compose.yaml:6:9: services.worker.secrets.0.target must be a string",
		},
		{
			name:  "compose config target null",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    configs: [{source: c, target: ~}]\nconfigs:\n  c: {file: c.txt}\n"},
			want:  "compose.yaml:4:27: services.worker.configs.0.target must be a string",
		},
		{
			name:  "compose extends file a list",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    extends:\n      file: [base.yaml]\n      service: base\n"},
			want:  "compose.yaml:4:7: services.worker.extends.file must be a string",
		},
		{
			name:  "compose extended file's env_file path null",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    extends: {file: base.yaml, service: base}\n", "base.yaml": "services:\n  base:\n    image: x\n    env_file: [{path: ~}]\n"},
			want:  "base.yaml:4:17: services.base.env_file.0.path must be a string",
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
			want:  "compose.yaml:5:7: invalid interpolation format for services.worker.environment.A: a $ that starts no ${VAR} is written $$",
		},
		{
			name:  "compose bad interpolation of a secret",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    environment:\n      PREFECT_API_KEY: pnu_secret${\n"},
			want:  "compose.yaml:5:7: invalid interpolation format for services.worker.environment.PREFECT_API_KEY: a $ that starts no ${VAR} is written $$",
		},
		{
			name:  "compose value tagged with another type",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    environment:\n      PREFECT_API_KEY: !!int pnu_secret\n"},
			want:  "compose.yaml:5:24: invalid YAML: the value is tagged !!int but is not of that type",
		},
		{
			name:  "compose value compose-go cannot read",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    ports: [pnu_secret]\n"},
			want:  "compose.yaml:4:13: Invalid containerPort: pnu_secret",
		},
		{
			name:  "compose extends cycle",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  v:\n    image: x\n  w:\n    image: x\n    extends: w\n"},
			want:  "compose.yaml:6:5: circular reference: w in compose.yaml extends w in compose.yaml",
		},
		{
			name:  "compose env_file unterminated quote",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services: {worker: {image: x, env_file: w.env}}\n", "w.env": "PREFECT_API_KEY=\"pnu_secret\n"},
			want:  "w.env:2: unterminated quoted value",
		},
		{
			name:  "compose env_file bad name",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services: {worker: {image: x, env_file: w.env}}\n", "w.env": "pnu_secret!=1\n"},
			want:  `w.env:1: unexpected character "!" in a variable name`,
		},
		{
			name:  "compose env_file bad interpolation",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services: {worker: {image: x, env_file: w.env}}\n", "w.env": "A=1\nPREFECT_API_KEY=\"pnu_secret${\"\n"},
			want:  "w.env:2:18: invalid interpolation format: a $ that starts no ${VAR} is written $$",
		},
		{
			name:  "compose env_file device",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  worker:\n    image: x\n    env_file: /dev/zero\n"},
			want:  `compose.yaml:4:15: "/dev/zero": not a regular file (a character device): settings are read only from regular files`,
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
			name:  "compose .env doubling",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services: {worker: {image: x}}\n", ".env": doubling("A", "=${", "}")},
			want:  ".env:18:5: the references to ${A16} and those before it expand to more than 8 MiB: no deployment file needs that much",
		},
		{
			name:  "compose env_file doubling",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services: {worker: {image: x, env_file: w.env}}\n", "w.env": doubling("A", "=${", "}")},
			want:  "w.env:18:5: the references to ${A16} and those before it expand to more than 8 MiB: no deployment file needs that much",
		},
		{
			name: "compose reference repeated",
			file: "compose.yaml",
			files: map[string]string{
				"compose.yaml": "services:\n  worker:\n    image: x\n    environment:\n      PREFECT_API_URL: " + strings.Repeat("${A}", 600) + "\n",
				".env":         "A=" + strings.Repeat("x", 2000) + "\n",
			},
			want: "compose.yaml:5:24: the references to ${A} expand to a value longer than 1024 KiB: no setting needs that much",
		},
		{
			name:  "compose include env_file doubling",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "include: [{path: other.yaml, env_file: o.env}]\n", "other.yaml": "services: {a: {image: x}}\n", "o.env": doubling("A", "=${", "}")},
			want:  "o.env:18:5: the references to ${A16} and those before it expand to more than 8 MiB: no deployment file needs that much",
		},
		{
			name:  "kubernetes $(VAR) doubling",
			file:  "deploy.yaml",
			files: map[string]string{"deploy.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    env:\n" + k8sDoubling()},
			want:  "deploy.yaml:22:33: the references to $(A13) expand to a value longer than 1024 KiB: no setting needs that much",
		},
		{
			name: "kubernetes envFrom too large",
			file: "deploy.yaml",
			files: map[string]string{"deploy.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n" + keys("  K", ": v\n", 200) +
				"---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    envFrom:\n" + strings.Repeat("    - configMapRef: {name: c}\n", 51)},
			want: "deploy.yaml:5:3: more than 10000 variables: no deployment file needs that many",
		},
		{
			name:  "kubernetes too many objects",
			file:  "deploy.yaml",
			files: map[string]string{"deploy.yaml": keys("---\napiVersion: v1\nkind: Service\nmetadata: {name: s", "}\n", 10001)},
			want:  "deploy.yaml:40002:1: more than 10000 workloads, Services, Secrets and ConfigMaps: no deployment needs that many",
		},
		{
			name:  "helm env list doubling",
			file:  "values.yaml",
			files: map[string]string{"values.yaml": "server:\n  basicAuth: {enabled: false}\n  env:\n" + k8sDoubling()},
			want:  "values.yaml:18:33: the references to $(A13) expand to a value longer than 1024 KiB: no setting needs that much",
		},
		{
			name:  "dockerfile ENV doubling",
			file:  "Dockerfile",
			files: map[string]string{"Dockerfile": "FROM x\nENV " + strings.ReplaceAll(strings.TrimSpace(doubling("A", "=${", "}")), "\n", "\nENV ") + "\n"},
			want:  "Dockerfile:16:9: the references to $A13 expand to a value longer than 1024 KiB: no setting needs that much",
		},
		{
			name:  "dockerfile reference repeated",
			file:  "Dockerfile",
			files: map[string]string{"Dockerfile": "FROM x\nENV A=" + strings.Repeat("x", 2000) + "\nENV B=" + strings.Repeat("$A", 600) + "\n"},
			want:  "Dockerfile:3:7: the references to $A expand to a value longer than 1024 KiB: no setting needs that much",
		},
		{
			name:  "dockerfile replacement",
			file:  "Dockerfile",
			files: map[string]string{"Dockerfile": "FROM x\nENV A=" + strings.Repeat("x", 2000) + "\nENV B=${A//x/$A}\n"},
			want:  "Dockerfile:3:7: the references to $A expand to a value longer than 1024 KiB: no setting needs that much",
		},
		{
			name:  "dockerfile FROM",
			file:  "Dockerfile",
			files: map[string]string{"Dockerfile": "ARG A=" + strings.Repeat("x", 2000) + "\nFROM " + strings.Repeat("$A", 600) + "\n"},
			want:  "Dockerfile:2:6: the references to $A expand to a value longer than 1024 KiB: no setting needs that much",
		},
		{
			name:  "dockerfile 100000 lines",
			file:  "Dockerfile",
			files: map[string]string{"Dockerfile": "FROM x\n" + strings.Repeat("RUN true\n", 100000)},
			want:  "Dockerfile:10001:1: more than 10000 lines: no Dockerfile needs that many",
		},
		{
			name:  "makefile including itself",
			file:  "Makefile",
			files: map[string]string{"Makefile": "include" + strings.Repeat(" Makefile", 30) + "\nall:\n\tprefect worker start\n"},
			want:  "Makefile:1:9: more than 1000 files included: no Makefile needs that many",
		},
		{
			name:  "makefile 200000 lines",
			file:  "Makefile",
			files: map[string]string{"Makefile": "all:\n" + strings.Repeat("\ta\n", 200000)},
			want:  "Makefile:100001:1: more than 100000 lines, with the files it includes: no Makefile needs that many",
		},
		{
			name:  "shell 200000 commands",
			file:  "run.sh",
			files: map[string]string{"run.sh": strings.Repeat("a;", 200000)},
			want:  "run.sh:1:200001: more than 100000 commands: no script needs that many",
		},
		{
			name:  "shell 300000 words",
			file:  "run.sh",
			files: map[string]string{"run.sh": "#!/bin/sh\necho " + strings.Repeat("a ", 300000)},
			want:  "run.sh:2:400002: more than 200000 words: no script needs that many",
		},
		{
			name:  "shell nested 150000 deep",
			file:  "run.sh",
			files: map[string]string{"run.sh": "#!/bin/sh\necho \"" + strings.Repeat("$(", 150000)},
			want:  "run.sh:2:200005: more than 200000 words: no script needs that many",
		},
		{
			name:  "kubernetes dense",
			file:  "deploy.yaml",
			files: map[string]string{"deploy.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: [" + strings.Repeat("a,", 1000000) + "]\n"},
			want:  "deploy.yaml:3:999999: more than 1000000 YAML nodes: no deployment file needs that many",
		},
		{
			name:  "compose dense",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  w:\n    image: x\n    environment: [" + strings.Repeat("a,", 500000) + "]\n"},
			want:  "compose.yaml:4:500008: more than 500000 YAML nodes: no deployment file needs that many",
		},
		{
			name:  "compose more nodes than compose-go reads",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  w:\n    image: x\n    environment: [" + strings.Repeat("a,", 100000) + "]\n"},
			want:  "compose.yaml:4:200001: more than 100000 YAML nodes: docker compose reads no more",
		},
		{
			name:  "gitlab variables doubling",
			file:  ".gitlab-ci.yml",
			files: map[string]string{".gitlab-ci.yml": "variables:\n" + doublingYAML() + "job: {script: [x]}\n"},
			want:  ".gitlab-ci.yml:16:14: the references to $A13 expand to a value longer than 1024 KiB: no setting needs that much",
		},
		{
			name:  "gitlab too many jobs",
			file:  ".gitlab-ci.yml",
			files: map[string]string{".gitlab-ci.yml": keys("j", ": {script: [x]}\n", 10001)},
			want:  ".gitlab-ci.yml:10001:1: more than 10000 containers, jobs and steps: no deployment file needs that many",
		},
		{
			name:  "compose too many services",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n" + keys("  s", ": {image: x}\n", 1001)},
			want:  "compose.yaml:1002:3: more than 1000 services: no Compose project needs that many",
		},
		{
			name:  "compose too many environment variables",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  w:\n    image: x\n    environment:\n" + keys("      - PREFECT_X", "=v\n", 5001)},
			want:  "compose.yaml:5005:9: more than 5000 environment variables: no Compose project needs that many",
		},
		{
			name: "compose too many environment variables in an included file",
			file: "compose.yaml",
			files: map[string]string{"compose.yaml": "include: [more.yaml]\nservices:\n  w:\n    image: x\n    environment:\n" + keys("      PREFECT_X", ": v\n", 2500),
				"more.yaml": "services:\n  v:\n    image: x\n    environment:\n" + keys("      PREFECT_Y", ": v\n", 2501)},
			want: "more.yaml:2505:7: more than 5000 environment variables: no Compose project needs that many",
		},
		{
			name: "compose env_file shared by many services",
			file: "compose.yaml",
			files: map[string]string{"compose.yaml": "x-e: &e {image: x, env_file: big.env}\nservices:\n" + keys("  s", ": *e\n", 20),
				"big.env": keys("PREFECT_X", "=v\n", 9000)},
			want: "compose.yaml:1:30: more than 100000 variables in all the services: no Compose project needs that many",
		},
		{
			name:  "kubernetes invalid UTF-8",
			file:  "deploy.yaml",
			files: map[string]string{"deploy.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xc3\x28x\n"},
			want:  "deploy.yaml:4:10: invalid YAML: invalid trailing UTF-8 octet",
		},
		{
			name:  "compose binary",
			file:  "compose.yaml",
			files: map[string]string{"compose.yaml": "services:\n  w:\n    image: x\x00\xff\xfe\n"},
			want:  "compose.yaml:3:13: invalid YAML: control characters are not allowed",
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
