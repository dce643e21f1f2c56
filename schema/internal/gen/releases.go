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

// noEffect lists the changes of a setting's schema between two releases
// ("path@first release with the new schema") that change neither its type,
// its default nor its constraints as Prefect applies them, with the reason.
// The generator stops on any other change the table does not carry.
var noEffect = map[string]string{
	"runner.server.log_level@3.1.13": `the default was written "error"; Prefect upper-cases a log level, its default too`,
}

// epoch is one settings schema and the settings it holds.
type epoch struct {
	id string // the first release with the schema: the folder of versions/
	g  *generator
}

// releases reads every release's settings schema from dir (versions/ and
// its index.json) and writes the settings of the newest release
// (schema/table_gen.go, schema/settings_gen.go), the settings of every
// schema as one union table (schema/releases_gen.go: the settings only
// older releases have, which schemas have each setting, and every other
// form a setting took), and the list of releases (release/releases_gen.go).
func releases(dir, out, releaseOut string) {
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
	var order []string
	for id := range ids {
		order = append(order, id)
	}
	slices.SortFunc(order, compareVersions)
	if len(order) > 64 {
		log.Fatalf("%d schemas do not fit a 64-bit mask", len(order))
	}
	checkCopies(dir, index.Releases, ids)
	epochs := make([]epoch, len(order))
	for i, id := range order {
		epochs[i] = epoch{id: id, g: load(filepath.Join(dir, id, "settings.schema.json"))}
	}
	fillEnv(epochs)
	newest := epochs[len(epochs)-1].g
	write(out+"/table_gen.go", newest.table())
	write(out+"/settings_gen.go", newest.structs())
	log.Printf("%d settings, %d groups", len(newest.settings), len(newest.groupOrder))

	// The union: the newest release's settings keep their indexes; the
	// others follow in the order they first appear.
	byPath := map[string]int{}
	var union []setting
	for _, s := range newest.settings {
		byPath[s.path] = len(union)
		union = append(union, s)
	}
	for _, e := range epochs {
		for _, s := range e.g.settings {
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
		for _, s := range epochs[ei].g.settings {
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
	changes, silent := audit(epochs)

	var b bytes.Buffer
	b.WriteString(header + "package schema\n\n")
	fmt.Fprintf(&b, "// newestID is the schema of the newest release, the one All lists.\nconst newestID = %q\n\n", epochs[len(epochs)-1].id)
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
	b.WriteString(")\n\n// schemaIDs are the settings schemas, oldest first, each named by the\n// first release that has it; bit i of a mask stands for schemaIDs[i].\nvar schemaIDs = [...]string{")
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
	write(out+"/releases_gen.go", b.Bytes())

	var r bytes.Buffer
	r.WriteString(header + "package release\n\n// published is every Prefect 3 release, oldest first, with the settings\n// schema it shares (the folder of third_party/prefect/versions).\nvar published = [...]pub{\n")
	supported := 0
	for _, rel := range rels {
		p := index.Releases[rel]
		if p == nil {
			continue // before 3.0.11: not supported
		}
		supported++
		var maj, min, pat int
		fmt.Sscanf(rel, "%d.%d.%d", &maj, &min, &pat)
		fmt.Fprintf(&r, "\t{v(%d, %d, %d), %q},\n", maj, min, pat, *p)
	}
	r.WriteString("}\n")
	write(releaseOut+"/releases_gen.go", r.Bytes())
	log.Printf("%d releases supported (%d listed), %d schemas, %d settings in all; %d changes of a type, default or constraint: %d carried as forms, %d without effect",
		supported, len(rels), len(epochs), len(union), changes+silent, changes, silent)
}

// audit compares each schema with the one before it, setting by setting,
// and stops when the schema of a setting changed but its form did not,
// unless noEffect says why that is right. It returns how many changes the
// forms carry and how many noEffect explains.
func audit(epochs []epoch) (changes, silent int) {
	used := map[string]bool{}
	for ei := 1; ei < len(epochs); ei++ {
		prev := map[string]setting{}
		for _, s := range epochs[ei-1].g.settings {
			prev[s.path] = s
		}
		for _, s := range epochs[ei].g.settings {
			p, ok := prev[s.path]
			if !ok || p.facts == s.facts {
				continue
			}
			key := s.path + "@" + epochs[ei].id
			switch {
			case literal(p, 0) != literal(s, 0):
				changes++
			case noEffect[key] != "":
				silent++
				used[key] = true
			default:
				log.Fatalf("%s: its schema changed in %s (%s, was %s), but not its form: carry the change, or list it in noEffect with the reason", s.path, epochs[ei].id, s.facts, p.facts)
			}
		}
	}
	for key := range noEffect {
		if !used[key] {
			log.Fatalf("noEffect lists %s, which is no change of the schemas", key)
		}
	}
	return changes, silent
}

// fillEnv gives the settings of a schema that does not list environment
// names (3.0.11's: Prefect's schemas list them from 3.1.0 on) the names
// the next schema lists for them, else PREFECT_ and the path, upper-cased:
// the names Prefect 3.0's code reads.
func fillEnv(epochs []epoch) {
	for ei := range epochs {
		for si := range epochs[ei].g.settings {
			s := &epochs[ei].g.settings[si]
			if len(s.env) > 0 {
				continue
			}
			for _, later := range epochs[ei+1:] {
				k := slices.IndexFunc(later.g.settings, func(t setting) bool { return t.path == s.path && len(t.env) > 0 })
				if k >= 0 {
					s.env = later.g.settings[k].env
					break
				}
			}
			if len(s.env) == 0 {
				s.env = []string{"PREFECT_" + strings.ToUpper(strings.ReplaceAll(s.path, ".", "_"))}
			}
		}
	}
}

// checkCopies stops when a folder of dir that no release names differs
// from the folder its release's entry names (the newest patch of a minor
// release may have a folder of its own, a copy).
func checkCopies(dir string, index map[string]*string, ids map[string]bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || ids[e.Name()] {
			continue
		}
		id := index[e.Name()]
		if id == nil {
			log.Fatalf("%s/%s: no release of index.json has it", dir, e.Name())
		}
		a, err := os.ReadFile(filepath.Join(dir, e.Name(), "settings.schema.json"))
		if err != nil {
			log.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, *id, "settings.schema.json"))
		if err != nil {
			log.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			log.Fatalf("%s/%s differs from %s, the schema index.json names for %s", dir, e.Name(), *id, e.Name())
		}
	}
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
