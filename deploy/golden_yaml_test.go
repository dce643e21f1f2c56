package deploy

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/sources"
)

// updating reports whether go test -update asks for the golden files to be
// rewritten. The flag is registered here unless another test file of the
// package registers it.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata")
	}
}

// goldenCases are the realistic files of testdata/, each read as the CLI
// reads it; every fact a reader yields is in its golden file.
var goldenCases = []struct {
	name  string
	files []string // read together (Compose overrides, manifests)
	env   []string
}{
	{name: "compose-stack", files: []string{"compose/stack/docker-compose.yml"}},
	{name: "compose-stack-clean", files: []string{"compose/stack-clean/docker-compose.yml"}, env: []string{"POSTGRES_PASSWORD=hunter2", "PREFECT_API_KEY=pnu_fromtheshell"}},
	{name: "compose-override-alone", files: []string{"compose/override/docker-compose.override.yml"}},
	{name: "compose-override-dev", files: []string{"compose/override/docker-compose.yml", "compose/override/docker-compose.override.yml"}},
	{name: "compose-override-prod", files: []string{"compose/override/docker-compose.yml", "compose/override/compose.prod.yaml"}},
	{name: "compose-listform", files: []string{"compose/listform/compose.yaml"}, env: []string{"PERSIST=1", "TAG=2.3.1"}},
	{name: "compose-envfile", files: []string{"compose/envfile/compose.yaml"}},
	{name: "compose-extends", files: []string{"compose/extends/compose.yaml"}},
	{name: "kubernetes-stack", files: []string{"kubernetes/stack.yaml"}},
	{name: "kubernetes-stack-clean", files: []string{"kubernetes/stack-clean.yaml"}},
	{name: "kubernetes-split", files: []string{"kubernetes/split/config.yaml", "kubernetes/split/worker.yaml"}},
	{name: "kubernetes-list", files: []string{"kubernetes/list.yaml"}},
	{name: "kubernetes-helm-template-worker", files: []string{"kubernetes/helm-template-worker.yaml"}},
	{name: "helm-worker", files: []string{"helm/worker-values.yaml"}},
	{name: "helm-worker-mistakes", files: []string{"helm/worker-mistakes-values.yaml"}},
	{name: "helm-server", files: []string{"helm/server-values.yaml"}},
	{name: "helm-server-mistakes", files: []string{"helm/server-mistakes-values.yaml"}},
	{name: "helm-umbrella", files: []string{"helm/umbrella/values.yaml"}},
	{name: "helm-chart-server-defaults", files: []string{"helm/chart/prefect-server-values.yaml"}},
	{name: "helm-chart-worker-defaults", files: []string{"helm/chart/prefect-worker-values.yaml"}},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := readTestFiles(t, tc.files, tc.env)
			if err != nil {
				t.Fatal(err)
			}
			got := dump(f)
			golden := filepath.Join("testdata", "golden", tc.name+".txt")
			if updating() {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("%s differs from what the readers yield (go test -update rewrites it):\n%s", golden, diffLines(string(want), got))
			}
		})
	}
}

// readTestFiles reads files of testdata/ as one deployment: by Read, or
// by ReadCompose or ReadKubernetes for several.
func readTestFiles(t testing.TB, files []string, env []string) (*File, error) {
	var ins []*Input
	for _, name := range files {
		p := filepath.Join("testdata", name)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, &Input{Path: p, Data: data, Dir: filepath.Dir(p), Environ: env})
	}
	if len(ins) == 1 {
		return Read(ins[0])
	}
	switch k, _ := lookupKind(ins[0].Path, ins[0].Data); k.Name {
	case "compose":
		f, err := ReadCompose(ins)
		if f != nil {
			f.Kind = "compose"
		}
		return f, err
	default:
		return ReadKubernetes(ins)
	}
}

// dump renders every fact of f, one a line, positions in f's own file
// written from the line on.
func dump(f *File) string {
	var b strings.Builder
	at := func(p sources.Position) string {
		if !p.IsValid() {
			return "-"
		}
		if p.File == f.Path && p.Line > 0 {
			return fmt.Sprintf(":%d:%d", p.Line, p.Column)
		}
		return p.String()
	}
	note := func(indent string, n Note) {
		fmt.Fprintf(&b, "%snote %s %s: %s", indent, n.Code, at(n.Pos), n.Message)
		if n.Setting != "" {
			fmt.Fprintf(&b, " [%s]", n.Setting)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "file %s kind=%s\n", f.Path, f.Kind)
	for _, c := range f.Containers {
		name := c.Name
		if c.Sub != "" {
			name += "/" + c.Sub
		}
		fmt.Fprintf(&b, "\n%s %s %s host=%q role=%s\n", c.What, name, at(c.Pos), c.Host, c.Role)
		if c.Image != "" {
			fmt.Fprintf(&b, "  image %s\n", c.Image)
		}
		if c.Network != "" {
			fmt.Fprintf(&b, "  network %s\n", c.Network)
		}
		if h := c.Release; !h.IsZero() {
			fmt.Fprintf(&b, "  release version=%q newest=%v major=%d %s (%s)\n", h.Version, h.Newest, h.Major, at(h.Pos), h.From)
		}
		if len(c.Command) > 0 {
			fmt.Fprintf(&b, "  command %q\n", c.Command)
		}
		for _, v := range c.Vars {
			fmt.Fprintf(&b, "  var %s=%q %s", v.Name, v.Value, at(v.Pos))
			if v.ValuePos.IsValid() {
				fmt.Fprintf(&b, " value %s", at(v.ValuePos))
			}
			fmt.Fprintf(&b, " via=%q", v.Via)
			if v.Literal {
				b.WriteString(" literal")
			}
			if v.Baked {
				b.WriteString(" baked")
			}
			if v.Implicit {
				b.WriteString(" implicit")
			}
			if v.Deferred != "" {
				fmt.Fprintf(&b, " deferred=%q", v.Deferred)
			}
			b.WriteByte('\n')
			for _, r := range v.Refs {
				fmt.Fprintf(&b, "    ref %s %s set=%v", r.Name, at(r.Pos), r.Set)
				if r.Default {
					b.WriteString(" default")
				}
				if r.Unexpanded {
					b.WriteString(" unexpanded")
				}
				b.WriteByte('\n')
			}
		}
		for _, m := range c.Mounts {
			fmt.Fprintf(&b, "  mount %s -> %s %s\n", m.Host, m.Container, at(m.Pos))
		}
		for _, s := range c.Secrets {
			fmt.Fprintf(&b, "  secret %s\n", s)
		}
		for _, n := range c.Notes {
			note("  ", n)
		}
		fmt.Fprintf(&b, "  environ %q\n", c.Environ())
	}
	if len(f.Notes) > 0 {
		b.WriteByte('\n')
	}
	for _, n := range f.Notes {
		note("", n)
	}
	return b.String()
}

// diffLines shows the first lines where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}
