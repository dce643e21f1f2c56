package lint

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// oracleDir holds what Prefect's own settings code made of every rule's
// examples, recorded with the oracle (testdata/rules-oracle/README.md).
var oracleDir = filepath.Join("testdata", "rules-oracle")

// oracleScenario is a scenario of the oracle's run.py.
type oracleScenario struct {
	Name  string            `json:"name"`
	Desc  string            `json:"desc"`
	Env   map[string]string `json:"env"`
	Files map[string]string `json:"files"`
}

// oracleFile is where the oracle's sandbox puts an example file: the
// profiles file in the home, the others in the working directory.
func oracleFile(name string) string {
	if name == "profiles.toml" {
		return "home/.prefect/profiles.toml"
	}
	return "work/" + name
}

// oracleRecord is what Prefect made of one example.
type oracleRecord struct {
	release  string         // the Prefect release recorded
	settings map[string]any // the effective settings, flattened to settings' paths; nil when loading failed
	errs     []string       // the settings or files loading failed at
	crash    string         // the exception Prefect crashed with
	profile  string         // the profile applied
}

// checkOracle checks that testdata/rules-oracle records Prefect on d's
// examples, as they are now and on the release lint checks them against,
// and sets d.Prefect to what the records say; scenarios collects the
// scenarios to record, by release.
func checkOracle(t *testing.T, d *RuleDoc, bad []Finding, scenarios map[string][]oracleScenario) {
	var recs [2]*oracleRecord
	var written []string
	for i, ex := range []struct {
		kind string
		ex   Example
	}{{"bad", d.Bad}, {"good", d.Good}} {
		release := exampleRelease(t, ex.ex)
		name := d.ID + "--" + ex.kind
		sc := oracleScenario{Name: name, Desc: fmt.Sprintf("the %s example of lint rule %s, on Prefect %s (%s)", ex.kind, d.ID, release, oracleLibs),
			Env: map[string]string{}, Files: map[string]string{}}
		for _, f := range ex.ex.Files {
			sc.Files[oracleFile(f.Name)] = f.Data
		}
		scenarios[release] = append(scenarios[release], sc)
		written = append(written, writtenSettings(ex.ex)...)
		rec, err := readOracle(filepath.Join(oracleDir, name+".txtar"), sc)
		if err != nil {
			t.Errorf("%v; record it anew (testdata/rules-oracle/README.md)", err)
		}
		recs[i] = rec
	}
	if recs[0] == nil || recs[1] == nil {
		return
	}
	for _, f := range bad {
		if f.Rule == d.ID && f.Setting != "" {
			written = append(written, f.Setting)
		}
	}
	got := prefectOutcome(recs[0], recs[1], written)
	if got != d.Prefect {
		if *update {
			if err := os.WriteFile(filepath.Join("rules", d.ID, "prefect.txt"), []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			t.Errorf("lint/rules/%s/prefect.txt is not what testdata/rules-oracle records; run go test ./lint -run TestRuleDocs -update\ngot:\n%s\nwant:\n%s", d.ID, got, d.Prefect)
		}
	}
	d.Prefect = got
}

// exampleRelease returns the Prefect release of a project of the
// example's files, which lint checks them against.
func exampleRelease(t *testing.T, ex Example) string {
	dir := t.TempDir()
	for _, f := range ex.Files {
		write(t, dir, map[string]string{f.Name: f.Data})
	}
	v := settings.Options{Environ: []string{}, Dir: dir}.Versions()
	rel, _, err := v.Release()
	if err != nil {
		t.Fatal(err)
	}
	return rel.Version.String()
}

// writtenSettings lists the settings the files of ex write, as Prefect's
// sources read them.
func writtenSettings(ex Example) []string {
	var out []string
	add := func(layers ...*sources.Layer) {
		for _, l := range layers {
			if l == nil {
				continue
			}
			for _, v := range l.Values {
				out = append(out, v.Setting.Path)
			}
		}
	}
	for _, f := range ex.Files {
		kind, _ := classify(path.Base(f.Name), false)
		switch kind {
		case kindPrefect:
			l, _ := sources.ParsePrefectTOML(f.Name, []byte(f.Data))
			add(l)
		case kindPyproject:
			l, _ := sources.ParsePyproject(f.Name, []byte(f.Data))
			add(l)
		case kindProfiles:
			if doc, err := sources.ParseProfiles(f.Name, []byte(f.Data)); err == nil {
				add(doc.Profiles...)
			}
		case kindDotEnv:
			entries, _ := sources.ParseDotEnv([]byte(f.Data), nil)
			for _, e := range entries {
				if s, _, ok := schema.ByEnv(e.Key); ok {
					out = append(out, s.Path)
				}
			}
		}
	}
	return out
}

// readOracle reads a record of the oracle, checking that it is the
// record of sc.
func readOracle(path string, sc oracleScenario) (*oracleRecord, error) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		return nil, err
	}
	if want := "# " + sc.Name + ": " + sc.Desc + "\n"; string(ar.Comment) != want {
		return nil, fmt.Errorf("%s records %q, not %q", path, strings.TrimSpace(string(ar.Comment)), strings.TrimSpace(want))
	}
	rec := &oracleRecord{}
	_, rest, _ := strings.Cut(sc.Desc, " on Prefect ")
	rec.release, _, _ = strings.Cut(rest, " ")
	inputs := map[string]string{}
	for _, f := range ar.Files {
		data := string(f.Data)
		switch f.Name {
		case "env":
			if strings.TrimSpace(data) != "" {
				return nil, fmt.Errorf("%s: an environment, where the examples have none", path)
			}
		case "want/settings.json":
			var m map[string]any
			if err := json.Unmarshal(f.Data, &m); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			rec.settings = map[string]any{}
			flattenSettings("", m, rec.settings)
		case "want/errors":
			rec.errs = strings.Fields(strings.ReplaceAll(strings.ReplaceAll(data, "(file ", ""), ")", ""))
		case "want/prefect-crash":
			rec.crash = strings.TrimSpace(data)
		case "want/profile":
			rec.profile = strings.TrimSpace(data)
		default:
			if !strings.HasPrefix(f.Name, "want/") {
				inputs[f.Name] = data
			}
		}
	}
	for name, data := range sc.Files {
		if got, ok := inputs[name]; !ok || got != data {
			return nil, fmt.Errorf("%s does not record the example's %s as it is now", path, name)
		}
		delete(inputs, name)
	}
	for name := range inputs {
		return nil, fmt.Errorf("%s records %s, which the example does not have", path, name)
	}
	return rec, nil
}

// flattenSettings flattens the settings JSON into out, by setting path; a
// setting that holds a dictionary stays whole.
func flattenSettings(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok && !isSetting(p) {
			flattenSettings(p, sub, out)
			continue
		}
		out[p] = v
	}
}

// prefectOutcome says what Prefect made of the bad and the good example:
// the settings the examples write, and, on one release, every setting
// that differs between the two.
func prefectOutcome(bad, good *oracleRecord, written []string) string {
	keys := slices.Clone(written)
	if bad.release == good.release && bad.settings != nil && good.settings != nil {
		for k, v := range bad.settings {
			if w, ok := good.settings[k]; !ok || !jsonEqual(v, w) {
				keys = append(keys, k)
			}
		}
		for k := range good.settings {
			if _, ok := bad.settings[k]; !ok {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var b strings.Builder
	for _, r := range []struct {
		what string
		rec  *oracleRecord
	}{{"The example", bad}, {"The example fixed", good}} {
		fmt.Fprintf(&b, "%s, on Prefect %s:\n", r.what, r.rec.release)
		switch {
		case r.rec.crash != "":
			fmt.Fprintf(&b, "    crashes: %s\n", r.rec.crash)
		case len(r.rec.errs) > 0:
			fmt.Fprintf(&b, "    fails to load its settings, at %s\n", strings.Join(r.rec.errs, ", "))
		default:
			if bad.settings != nil && good.settings != nil && bad.profile != good.profile {
				fmt.Fprintf(&b, "    the profile applied: %s\n", r.rec.profile)
			}
			for _, k := range keys {
				v, ok := r.rec.settings[k]
				switch {
				case !ok:
					fmt.Fprintf(&b, "    %s: no such setting\n", k)
				case hidden(k, v):
					fmt.Fprintf(&b, "    %s = (a secret)\n", k)
				default:
					fmt.Fprintf(&b, "    %s = %s\n", k, jsonText(v))
				}
			}
		}
	}
	return b.String()
}

// hidden reports whether v, the value of the setting at path, holds a
// credential, which the pages do not show.
func hidden(path string, v any) bool {
	s, ok := schema.ByPath(path)
	return ok && v != nil && credential(s, v) != ""
}

func jsonEqual(a, b any) bool { return jsonText(a) == jsonText(b) }

// jsonText renders a value as JSON, with the oracle's sandbox home as ~.
func jsonText(v any) string {
	data, _ := json.Marshal(v)
	return strings.ReplaceAll(string(data), "$ROOT/home/", "~/")
}

// checkScenarios compares the scenarios of testdata/rules-oracle with
// those of the examples now, by release; -update writes them.
func checkScenarios(t *testing.T, scenarios map[string][]oracleScenario) {
	want := map[string]string{}
	for release, scs := range scenarios {
		slices.SortFunc(scs, func(a, b oracleScenario) int { return strings.Compare(a.Name, b.Name) })
		data, err := json.MarshalIndent(scs, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		want["scenarios-"+release+".json"] = string(data) + "\n"
	}
	old, _ := filepath.Glob(filepath.Join(oracleDir, "scenarios-*.json"))
	for _, p := range old {
		if _, ok := want[filepath.Base(p)]; ok {
			continue
		}
		if !*update {
			t.Errorf("%s holds no example's scenario; run go test ./lint -run TestRuleDocs -update", p)
		} else if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range want {
		p := filepath.Join(oracleDir, name)
		if got, err := os.ReadFile(p); err == nil && string(got) == data {
			continue
		}
		if !*update {
			t.Errorf("%s is not the examples' scenarios; run go test ./lint -run TestRuleDocs -update, then record them (testdata/rules-oracle/README.md)", p)
			continue
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
