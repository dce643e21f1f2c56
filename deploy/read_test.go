package deploy

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/strata-settings/strata/sources"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// The golden files of the readers: testdata/KIND.golden holds, for each
// file under testdata/KIND/, everything the reader makes of it.
var goldenKinds = []string{"dockerfile", "shell", "makefile", "github-actions", "gitlab-ci", "prefect-yaml"}

func TestReadGolden(t *testing.T) {
	for _, kind := range goldenKinds {
		t.Run(kind, func(t *testing.T) {
			root := filepath.Join("testdata", kind)
			ar := &txtar.Archive{Comment: []byte("What the " + kind + " reader makes of each file under testdata/" + kind + "/ (go test -update rewrites it).\n")}
			err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(root, p)
				rel = filepath.ToSlash(rel)
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				f, rerr := Read(&Input{Path: rel, Data: data, ReadFile: func(name string) ([]byte, error) {
					return sources.ReadFile(filepath.Join(root, name))
				}})
				if errors.Is(rerr, ErrNotDeployment) {
					return nil
				}
				if f != nil && f.Kind != kind {
					t.Errorf("%s: read as %s, want %s", rel, f.Kind, kind)
				}
				ar.Files = append(ar.Files, txtar.File{Name: rel, Data: []byte(render(f, rerr))})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", kind+".golden")
			got := txtar.Format(ar)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			compareArchives(t, txtar.Parse(want), ar)
		})
	}
}

// compareArchives reports each file whose rendering differs, line by
// line.
func compareArchives(t *testing.T, want, got *txtar.Archive) {
	t.Helper()
	wants := map[string]string{}
	for _, f := range want.Files {
		wants[f.Name] = string(f.Data)
	}
	for _, f := range got.Files {
		w, ok := wants[f.Name]
		delete(wants, f.Name)
		if !ok {
			t.Errorf("%s: not in the golden file (go test -update adds it):\n%s", f.Name, f.Data)
			continue
		}
		if w != string(f.Data) {
			t.Errorf("%s: differs from the golden file (go test -update rewrites it):\n%s", f.Name, lineDiff(w, string(f.Data)))
		}
	}
	for name := range wants {
		t.Errorf("%s: in the golden file, not in testdata", name)
	}
}

// lineDiff shows the lines of want missing from got (-) and those of got
// missing from want (+).
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	in := func(lines []string) map[string]int {
		m := map[string]int{}
		for _, l := range lines {
			m[l]++
		}
		return m
	}
	wm, gm := in(wl), in(gl)
	var b strings.Builder
	for _, l := range wl {
		if gm[l] == 0 {
			fmt.Fprintf(&b, "- %s\n", l)
		} else {
			gm[l]--
		}
	}
	for _, l := range gl {
		if wm[l] == 0 {
			fmt.Fprintf(&b, "+ %s\n", l)
		} else {
			wm[l]--
		}
	}
	return b.String()
}

// render writes out everything a reader made of a file: each container
// with its facts, each variable with all its fields, each note.
func render(f *File, err error) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	if f == nil {
		return b.String()
	}
	for _, c := range f.Containers {
		fmt.Fprintf(&b, "%s %q", c.What, c.Name)
		if c.Sub != "" {
			fmt.Fprintf(&b, " sub %q", c.Sub)
		}
		fmt.Fprintf(&b, " at %s", pos(c.Pos))
		if c.Host != "" {
			fmt.Fprintf(&b, " host %s", c.Host)
		}
		if c.Image != "" {
			fmt.Fprintf(&b, " image %s", c.Image)
		}
		fmt.Fprintf(&b, " role %s\n", c.Role)
		if !c.Release.IsZero() {
			fmt.Fprintf(&b, "  release %s from %q at %s\n", releaseText(c.Release), c.Release.From, pos(c.Release.Pos))
		}
		if len(c.Command) > 0 {
			fmt.Fprintf(&b, "  command %q\n", c.Command)
		}
		for _, v := range c.Vars {
			b.WriteString("  " + varText(v) + "\n")
		}
		for _, m := range c.Mounts {
			fmt.Fprintf(&b, "  mount %s -> %s at %s\n", m.Host, m.Container, pos(m.Pos))
		}
		for _, n := range c.Notes {
			fmt.Fprintf(&b, "  note %s at %s: %s\n", n.Code, pos(n.Pos), n.Message)
		}
	}
	for _, n := range f.Notes {
		fmt.Fprintf(&b, "note %s at %s: %s\n", n.Code, pos(n.Pos), n.Message)
	}
	return b.String()
}

// varText renders every field of a variable.
func varText(v Var) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %s", v.Name, pos(v.Pos))
	if v.Deferred != "" {
		fmt.Fprintf(&b, " deferred %q", v.Deferred)
	} else {
		fmt.Fprintf(&b, " = %q", v.Value)
	}
	if v.ValuePos.IsValid() {
		fmt.Fprintf(&b, " at %s", pos(v.ValuePos))
	}
	fmt.Fprintf(&b, " via %q", v.Via)
	for _, flag := range []struct {
		on   bool
		name string
	}{{v.Literal, "literal"}, {v.Baked, "baked"}, {v.Build, "build"}, {v.InProfile, "profile"}} {
		if flag.on {
			b.WriteString(" " + flag.name)
		}
	}
	if v.Profile != "" {
		fmt.Fprintf(&b, " %q", v.Profile)
	}
	for _, r := range v.Refs {
		fmt.Fprintf(&b, " ref %s@%s", r.Name, pos(r.Pos))
		switch {
		case r.Unexpanded:
			b.WriteString("(unexpanded)")
		case r.Default:
			b.WriteString("(default)")
		case r.Set:
			b.WriteString("(set)")
		default:
			b.WriteString("(unset)")
		}
	}
	return b.String()
}

// pos renders a position as file:line:col.
func pos(p sources.Position) string { return p.String() }

func releaseText(h ReleaseHint) string {
	switch {
	case h.Major != 0 && h.Version != "":
		return fmt.Sprintf("%s (Prefect %d)", h.Version, h.Major)
	case h.Major != 0:
		return fmt.Sprintf("Prefect %d", h.Major)
	case h.Newest:
		return "newest"
	}
	return h.Version
}
