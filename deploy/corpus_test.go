package deploy

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/strata-settings/strata/internal/golden"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// containerScenarios, when set, makes TestContainerCorpus write the
// oracle's scenarios of every container instead of checking the records:
// one scenarios.json a release, in a folder named after it ("3.4.22",
// "3.4.22-pydantic-settings-2.13.1"). testdata/containers/README.md says
// how to record them.
var containerScenarios = flag.String("container-scenarios", "", "write the oracle scenarios of the containers' corpus into this directory")

// corpusRecords is where the records of Prefect's answers are kept.
const corpusRecords = "../testdata/containers"

// corpusCases are the deployment files whose containers' settings are
// checked against Prefect: the readers' realistic files and the corpus's
// own, read as the CLI reads them.
var corpusCases = []struct {
	name  string
	files []string // read together, relative to the deploy package
	env   []string // the environment interpolation reads
}{
	{"compose-stack", []string{"testdata/compose/stack/docker-compose.yml"}, []string{"QUERY_SECONDS=20"}},
	{"compose-stack-clean", []string{"testdata/compose/stack-clean/docker-compose.yml"}, []string{"POSTGRES_PASSWORD=hunter2", "PREFECT_API_KEY=pnu_fromtheshell"}},
	{"compose-override-dev", []string{"testdata/compose/override/docker-compose.yml", "testdata/compose/override/docker-compose.override.yml"}, nil},
	{"compose-override-prod", []string{"testdata/compose/override/docker-compose.yml", "testdata/compose/override/compose.prod.yaml"}, nil},
	{"compose-listform", []string{"testdata/compose/listform/compose.yaml"}, []string{"PERSIST=1", "TAG=2.3.1", "PREFECT_HOME_DIR=/data/prefect"}},
	{"compose-envfile", []string{"testdata/compose/envfile/compose.yaml"}, nil},
	{"compose-extends", []string{"testdata/compose/extends/compose.yaml"}, nil},
	{"kubernetes-stack", []string{"testdata/kubernetes/stack.yaml"}, nil},
	{"kubernetes-stack-clean", []string{"testdata/kubernetes/stack-clean.yaml"}, nil},
	{"kubernetes-split", []string{"testdata/kubernetes/split/config.yaml", "testdata/kubernetes/split/worker.yaml"}, nil},
	{"kubernetes-list", []string{"testdata/kubernetes/list.yaml"}, nil},
	{"kubernetes-helm-template-worker", []string{"testdata/kubernetes/helm-template-worker.yaml"}, nil},
	{"helm-worker", []string{"testdata/helm/worker-values.yaml"}, nil},
	{"helm-server", []string{"testdata/helm/server-values.yaml"}, nil},
	{"dockerfile-multistage-clean", []string{"testdata/dockerfile/multistage-clean/Dockerfile"}, nil},
	{"dockerfile-server", []string{"testdata/dockerfile/server/Dockerfile"}, nil},
	{"dockerfile-pip", []string{"testdata/dockerfile/pip/Dockerfile"}, nil},
	{"dockerfile-escape", []string{"testdata/dockerfile/escape/Dockerfile"}, nil},
	{"selfhosted", []string{corpusRecords + "/manifests/compose-selfhosted/compose.yaml"}, []string{"PREFECT_API_KEY=pnu_corpus"}},
	{"releases", []string{corpusRecords + "/manifests/kubernetes-releases/teams.yaml"}, nil},
	{"volumes", []string{corpusRecords + "/manifests/kubernetes-volumes/volumes.yaml"}, nil},
}

// TestContainerCorpus resolves the settings of every container of
// corpusCases and compares them with what Prefect of the container's
// release resolved from the same environment, recorded in
// testdata/containers: the container's variables, a sandbox home standing
// for /root, and the files it mounts in its working directory.
func TestContainerCorpus(t *testing.T) {
	scenarios := map[string][]oracleScenario{}
	seen := map[string]bool{}
	for _, cc := range corpusCases {
		f, dir := readCorpusCase(t, cc.files, cc.env)
		for i := range f.Containers {
			c := &f.Containers[i]
			if c.Role == Unknown {
				continue // no Prefect in it: a database, a proxy
			}
			name := cc.name + "--" + c.Name
			if c.Sub != "" && c.Sub != c.Name {
				name += "--" + c.Sub
			}
			name = strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(name, "-"))
			seen[name+".txtar"] = true
			sc := c.Settings(dir)
			r, err := settings.Load(settings.Options{Container: sc, Dir: t.TempDir(), Environ: []string{}})
			if c.Release.Major == 2 {
				if err == nil || !strings.Contains(err.Error(), "runs Prefect 2, which is not supported") {
					t.Errorf("%s: a Prefect 2 image resolves: %v", name, err)
				}
				delete(seen, name+".txtar")
				continue
			}
			if r == nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			rel := r.Release.Version.String()
			ps := "" // the newest, as Prefect's oracle has it installed
			if r.Release.Side == release.Older {
				ps = "2.13.1"
			}
			s, ok := scenarioOf(t, name, c, sc, rel, ps)
			if !ok {
				delete(seen, name+".txtar")
				continue
			}
			if *containerScenarios != "" {
				key := rel
				if ps != "" {
					key += "-pydantic-settings-" + ps
				}
				scenarios[key] = append(scenarios[key], s)
				continue
			}
			t.Run(name, func(t *testing.T) { checkRecord(t, name, rel, ps, r, err) })
		}
	}
	if *containerScenarios != "" {
		for key, scs := range scenarios {
			out := filepath.Join(*containerScenarios, key)
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			data, _ := json.MarshalIndent(scs, "", " ")
			if err := os.WriteFile(filepath.Join(out, "scenarios.json"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	records, _ := filepath.Glob(filepath.Join(corpusRecords, "*.txtar"))
	for _, p := range records {
		if !seen[filepath.Base(p)] {
			t.Errorf("%s: no container of the corpus's files has this record", p)
		}
	}
}

// oracleScenario is a scenario of the oracle (run.py).
type oracleScenario struct {
	Name  string            `json:"name"`
	Desc  string            `json:"desc"`
	Env   map[string]string `json:"env"`
	Files map[string]string `json:"files"`
}

// scenarioOf makes the oracle's scenario of container c: its environment
// and the files it mounts where Prefect reads them. ok is false for a
// container the sandbox cannot stand for.
func scenarioOf(t *testing.T, name string, c *Container, sc *settings.Container, rel, ps string) (oracleScenario, bool) {
	s := oracleScenario{Name: name, Env: map[string]string{}, Files: map[string]string{}}
	side := "the newest pydantic-settings"
	if ps != "" {
		side = "pydantic-settings " + ps
	}
	s.Desc = fmt.Sprintf("Prefect %s, %s: %s of %s", rel, side, sc.Name, c.Pos.File)
	for _, kv := range c.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case strings.ContainsAny(v, "\n\r"):
			t.Logf("%s: %s holds a line break, which a scenario's env cannot", name, k)
			return s, false
		case k == "PATH" || k == "PYTHONPATH" || k == "LANG" || strings.HasPrefix(k, "ORACLE_"):
			continue // the sandbox's own; none sets a setting
		}
		s.Env[k] = v
	}
	dir := sc.Dir
	if dir == "" {
		dir = "/opt/prefect"
	}
	home := "/root"
	if h := s.Env["HOME"]; h != "" {
		home = h
	}
	if len(sc.Profile) > 0 {
		// What prefect config set wrote into the image: Prefect's
		// profiles, the values set in the active one.
		dest := "home/.prefect/profiles.toml"
		switch h := s.Env["PREFECT_HOME"]; {
		case s.Env["PREFECT_PROFILES_PATH"] != "" || home != "/root" || h != "" && !path.IsAbs(h):
			t.Logf("%s: the image's profiles file is where the sandbox has no place for it", name)
			return s, false
		case h != "":
			// The container's PREFECT_HOME, under the sandbox's root:
			// $ROOT/ctr stands for the container's / in the record.
			s.Env["PREFECT_HOME"], dest = "$ROOT/ctr"+h, "ctr"+h+"/profiles.toml"
		}
		var set strings.Builder
		for _, v := range sc.Profile {
			if v.Deferred == "" {
				q, _ := json.Marshal(v.Value)
				fmt.Fprintf(&set, "%s = %s\n", v.Name, q)
			}
		}
		s.Files[dest] = strings.Replace(string(sources.PackagedProfilesTOML()), "[profiles.ephemeral]\n", "[profiles.ephemeral]\n"+set.String(), 1)
	}
	for _, m := range sc.Files {
		if m.Deferred != "" {
			continue // known only when deployed: resolved as absent
		}
		at := m.Path
		if !path.IsAbs(at) {
			at = path.Join(dir, at)
		}
		if at == dir { // the working directory: its settings files
			for _, name := range workdirFiles {
				if data, err := os.ReadFile(filepath.Join(m.File, name)); err == nil {
					s.Files["work/"+name] = string(data)
				}
			}
			continue
		}
		var dest string
		switch {
		case path.Dir(at) == dir && slices.Contains(workdirFiles, path.Base(at)):
			dest = "work/" + path.Base(at)
		case at == home+"/.prefect/profiles.toml" && home == "/root":
			dest = "home/.prefect/profiles.toml"
		default:
			t.Logf("%s: %s mounted where the sandbox has no place for it", name, at)
			return s, false
		}
		data, err := m.Data, error(nil) // a ConfigMap's or Secret's, held by the manifest
		if data == nil {
			data, err = os.ReadFile(m.File)
		}
		if errors.Is(err, fs.ErrNotExist) {
			continue // docker makes an empty directory of it: no file
		}
		if err != nil {
			t.Fatal(err)
		}
		s.Files[dest] = string(data)
	}
	return s, true
}

// recordRE reads the release a record was made with from its comment.
var recordRE = regexp.MustCompile(`Prefect (\S+), (?:pydantic-settings (\S+)|the newest pydantic-settings):`)

// checkRecord compares a container's resolution with Prefect's record.
func checkRecord(t *testing.T, name, rel, ps string, r *settings.Result, err error) {
	p := filepath.Join(corpusRecords, name+".txtar")
	ar, rerr := txtar.ParseFile(p)
	if rerr != nil {
		t.Fatalf("no record of Prefect's answer (testdata/containers/README.md says how to make one): %v", rerr)
	}
	m := recordRE.FindStringSubmatch(string(ar.Comment))
	if m == nil || m[1] != rel || m[2] != ps {
		t.Fatalf("recorded as %q; the container runs Prefect %s (pydantic-settings %q)", strings.TrimSpace(string(ar.Comment)), rel, ps)
	}
	sc, rerr := golden.Read(p)
	if rerr != nil {
		t.Fatal(rerr)
	}
	switch {
	case sc.Crash:
		t.Logf("Prefect crashed; resolved with %v", err)
	case sc.Errors != nil:
		if err == nil {
			t.Fatalf("resolved; Prefect failed on %v", sc.Errors)
		}
		var list settings.ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("error %v", err)
		}
		for _, w := range sc.Errors {
			if !strings.Contains(err.Error(), strings.TrimSuffix(strings.TrimPrefix(w, "(file "), ")")) && !strings.HasPrefix(w, "(model") {
				t.Errorf("errors do not name %q: %v", w, err)
			}
		}
	default:
		if err != nil {
			t.Fatalf("resolution failed: %v", err)
		}
		out, jerr := r.JSON(true)
		if jerr != nil {
			t.Fatal(jerr)
		}
		var got map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		// The sandbox's home stands for the container's, and $ROOT/ctr
		// for its root.
		var want map[string]any
		data, _ := json.Marshal(sc.Settings)
		json.Unmarshal([]byte(strings.NewReplacer("$ROOT/home", "/root", "$ROOT/ctr", "").Replace(string(data))), &want)
		for _, d := range golden.Diff(want, got) {
			t.Error(d)
		}
		if sc.Profile != nil && r.Profile != *sc.Profile {
			t.Errorf("profile %q, Prefect's %q", r.Profile, *sc.Profile)
		}
	}
}

// readCorpusCase reads a case's files as the CLI does, and returns the
// directory their relative paths start from.
func readCorpusCase(t *testing.T, files, env []string) (*File, string) {
	t.Helper()
	var ins []*Input
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, &Input{Path: p, Data: data, Dir: filepath.Dir(p), Environ: env})
	}
	var f *File
	var err error
	switch k, _ := lookupKind(ins[0].Path, ins[0].Data); k.Name {
	case "compose":
		f, err = ReadCompose(ins)
	case "kubernetes":
		f, err = ReadKubernetes(ins)
	default:
		f, err = k.Read(ins[0])
	}
	if err != nil {
		t.Fatal(err)
	}
	return f, ins[0].Dir
}
