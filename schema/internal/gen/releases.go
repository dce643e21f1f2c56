package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Prefect 3.0 published no settings schema. Its settings are 3.1.0's, less
// the ones 3.1.0 added, plus the ones 3.1.0 dropped (VERSIONS.md §2 and
// the 3.0.11 corpus, whose prof-no-file record lists all 150).
const release30 = "3.0.11"

var (
	added31   = []string{"experiments.warn", "experiments.worker_logging_to_api_enabled", "tasks.default_persist_result"}
	dropped31 = []setting{
		{path: "async_fetch_state_result", env: []string{"PREFECT_ASYNC_FETCH_STATE_RESULT"}, kind: "Bool", def: "false"},
		{path: "experimental_enable_schedule_concurrency", env: []string{"PREFECT_EXPERIMENTAL_ENABLE_SCHEDULE_CONCURRENCY"}, kind: "Bool", def: "false"},
		{path: "experimental_warn", env: []string{"PREFECT_EXPERIMENTAL_WARN"}, kind: "Bool", def: "true"},
	}
)

// epoch is one published schema and the settings it holds.
type epoch struct {
	id       string // the first release that published it
	settings []setting
}

// releases writes the settings of every published schema as one union
// table (schema/releases_gen.go: the settings of older releases after the
// newest's, which releases each exists in, and how it differs where it
// does), and the list of releases (release/releases_gen.go).
func releases(newest *generator, dir, out, releaseOut string) {
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		log.Fatal(err)
	}
	var index struct {
		Releases map[string]*string `json:"releases"`
	}
	if err := json.Unmarshal(data, &index); err != nil {
		log.Fatal(err)
	}
	var rels []string
	ids := map[string]bool{}
	for r, id := range index.Releases {
		rels = append(rels, r)
		if id != nil {
			ids[*id] = true
		}
	}
	slices.SortFunc(rels, compareVersions)
	order := []string{release30}
	for id := range ids {
		order = append(order, id)
	}
	slices.SortFunc(order, compareVersions)
	if len(order) > 64 {
		log.Fatalf("%d schemas do not fit a 64-bit mask", len(order))
	}
	epochs := make([]epoch, len(order))
	for i, id := range order {
		epochs[i].id = id
		if id != release30 {
			epochs[i].settings = load(filepath.Join(dir, id, "settings.schema.json")).settings
		}
	}
	// 3.0.x from 3.1.0.
	for _, s := range epochs[1].settings {
		if !slices.Contains(added31, s.path) {
			epochs[0].settings = append(epochs[0].settings, s)
		}
	}
	epochs[0].settings = append(epochs[0].settings, dropped31...)
	newestID := epochs[len(epochs)-1].id
	if got, want := literals(epochs[len(epochs)-1].settings), literals(newest.settings); !slices.Equal(got, want) {
		log.Fatalf("the schema of %s differs from the newest release's", newestID)
	}

	// The union: the newest release's settings keep their indexes; the
	// others follow in the order they first appear.
	byPath := map[string]int{}
	var union []setting
	for _, s := range newest.settings {
		byPath[s.path] = len(union)
		union = append(union, s)
	}
	for _, e := range epochs {
		for _, s := range e.settings {
			if _, ok := byPath[s.path]; !ok {
				byPath[s.path] = len(union)
				union = append(union, s)
			}
		}
	}
	// Each setting's base literal is its newest form; a variant holds any
	// other form with the schemas that have it.
	presence := make([]uint64, len(union))
	base := make([]string, len(union))
	type variant struct {
		mask uint64
		lit  string
	}
	forms := make([][]variant, len(union))
	for ei := len(epochs) - 1; ei >= 0; ei-- {
		for _, s := range epochs[ei].settings {
			i := byPath[s.path]
			presence[i] |= 1 << ei
			lit := literal(s, i)
			if base[i] == "" {
				base[i] = lit
			}
			if lit == base[i] {
				continue
			}
			if !slices.Equal(s.env, union[i].env) {
				log.Fatalf("%s: environment names differ between releases: %q and %q", s.path, s.env, union[i].env)
			}
			k := slices.IndexFunc(forms[i], func(v variant) bool { return v.lit == lit })
			if k < 0 {
				forms[i] = append(forms[i], variant{lit: lit})
				k = len(forms[i]) - 1
			}
			forms[i][k].mask |= 1 << ei
		}
	}

	var b bytes.Buffer
	b.WriteString(header + "package schema\n\n")
	fmt.Fprintf(&b, "// newestID is the schema of the newest release, the one All lists.\nconst newestID = %q\n\n", newestID)
	fmt.Fprintf(&b, "// Total is the number of settings of every release together: the %d of\n// the newest, then the ones only older releases have.\nconst Total = %d\n\n", len(newest.settings), len(union))
	b.WriteString("// older are the settings only older releases have.\nvar older = [...]Setting{\n")
	for i := len(newest.settings); i < len(union); i++ {
		fmt.Fprintf(&b, "\t%s,\n", base[i])
	}
	b.WriteString("}\n\n// Indexes of the settings only older releases have.\nconst (\n")
	names := map[string]bool{}
	for _, s := range newest.settings {
		names[constName(s.path)] = true
	}
	for i := len(newest.settings); i < len(union); i++ {
		name := constName(union[i].path)
		if names[name] { // server.database.sqlalchemy_pool_size beside sqlalchemy.pool_size
			name += "Flat"
		}
		fmt.Fprintf(&b, "\tI%s = %d\n", name, i)
	}
	b.WriteString(")\n\n// schemaIDs are the published schemas, oldest first; bit i of a mask\n// stands for schemaIDs[i].\nvar schemaIDs = [...]string{")
	for i, e := range epochs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(e.id))
	}
	b.WriteString("}\n\n// presence says which schemas have each setting.\nvar presence = [Total]uint64{\n")
	for i := range union {
		fmt.Fprintf(&b, "\t%#x, // %s\n", presence[i], union[i].path)
	}
	b.WriteString("}\n\n// variants are the forms of settings that differ from their newest one\n// (a default, a type, a constraint), with the schemas that have them.\nvar variants = [...]variant{\n")
	for i := range union {
		for _, v := range forms[i] {
			fmt.Fprintf(&b, "\t{%#x, Setting%s},\n", v.mask, v.lit)
		}
	}
	b.WriteString("}\n")
	src := b.Bytes()
	if bytes.Contains(src, []byte("time.")) {
		src = bytes.Replace(src, []byte("package schema\n"), []byte("package schema\n\nimport \"time\"\n"), 1)
	}
	write(out+"/releases_gen.go", src)

	var r bytes.Buffer
	r.WriteString(header + "package release\n\n// published is every Prefect 3 release, oldest first, with the published\n// settings schema it shares.\nvar published = [...]pub{\n")
	for _, rel := range rels {
		id := release30
		if p := index.Releases[rel]; p != nil {
			id = *p
		}
		var maj, min, pat int
		fmt.Sscanf(rel, "%d.%d.%d", &maj, &min, &pat)
		fmt.Fprintf(&r, "\t{v(%d, %d, %d), %q},\n", maj, min, pat, id)
	}
	r.WriteString("}\n")
	write(releaseOut+"/releases_gen.go", r.Bytes())
	log.Printf("%d releases, %d schemas, %d settings in all", len(rels), len(epochs), len(union))
}

func literals(ss []setting) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = literal(s, i)
	}
	return out
}

func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x - y
		}
	}
	return len(pa) - len(pb)
}
