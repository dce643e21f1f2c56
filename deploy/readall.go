package deploy

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-settings/strata/sources"
)

// Result is what ReadAll made of files read together: the File they
// describe, or why they could not be read.
type Result struct {
	File *File
	// Paths are the files read together, the first the one File names:
	// those given, and a Compose file's base or override read beside it.
	Paths []string
	// Err is why they could not be read: an error with a position
	// (*sources.SyntaxError, *sources.FileError), or ErrNotDeployment for
	// a file of no kind Strata reads.
	Err error
}

// ReadAll reads deployment files as the tools that use them take them
// together, for a linter that is given a tree's files at once:
//
//   - a Compose file with the override docker compose reads beside it
//     (docker-compose.override.yml beside docker-compose.yml), read through
//     the file's Input.ReadFile when it is not given; an override given
//     without its base the same way;
//   - the Kubernetes manifests of one directory together, so that a Secret
//     or ConfigMap one defines resolves the references of another; a
//     manifest that cannot be read is a Result of its own, and the others
//     are read without it;
//   - the values files of Prefect's charts of one directory, each a
//     Result of its own, but a value the chart requires that one of them
//     writes is missing from none (helm -f values.yaml -f values-prod.yaml);
//   - every other file alone.
//
// Results are in the order of the first input of each. Nothing in the
// caller needs to know the kinds: adding one is adding its row to Kinds.
func ReadAll(ins []*Input) []Result {
	kinds := make([]*Kind, len(ins))
	index := map[string]int{}
	for i, in := range ins {
		kinds[i], _ = lookupKind(in.Path, in.Data)
		index[filepath.Clean(in.Path)] = i
	}
	done := make([]bool, len(ins))
	var out []Result
	for i, in := range ins {
		if done[i] {
			continue
		}
		done[i] = true
		switch k := kinds[i]; {
		case k == nil:
			out = append(out, Result{Paths: []string{in.Path}, Err: ErrNotDeployment})
		case k.Name == "compose":
			files := composeSet(in, ins, index, done)
			f, err := ReadCompose(files)
			out = append(out, Result{File: f, Paths: inputPaths(files), Err: err})
		case k.Name == "helm":
			out = append(out, readValuesSet(in, i, ins, kinds, done)...)
		case k.Name == "kubernetes":
			var group []*Input
			dir := filepath.Dir(in.Path)
			for j := i; j < len(ins); j++ {
				if (j == i || !done[j]) && kinds[j] == k && filepath.Dir(ins[j].Path) == dir && (in.Path == "-") == (ins[j].Path == "-") {
					done[j] = true
					group = append(group, ins[j])
				}
			}
			out = append(out, readManifests(group)...)
		default:
			f, err := k.Read(in)
			if f != nil {
				f.Path, f.Kind = in.Path, k.Name
			}
			out = append(out, Result{File: f, Paths: []string{in.Path}, Err: err})
		}
	}
	return out
}

// composeSet returns the Compose files read with in: its override, or its
// base, given or read beside it, the base first.
func composeSet(in *Input, ins []*Input, index map[string]int, done []bool) []*Input {
	base, override := in, (*Input)(nil)
	other := ComposeOverride(in.Path)
	if other == "" {
		if other = composeBase(in.Path); other == "" {
			return []*Input{in}
		}
		base, override = nil, in
	}
	sibling := func() *Input {
		if j, ok := index[filepath.Clean(other)]; ok {
			done[j] = true
			return ins[j]
		}
		read := in.ReadFile
		if read == nil {
			read = sources.ReadFile
		}
		data, err := read(other)
		if err != nil {
			return nil // none; or one that cannot be read, which docker compose would refuse too, named when given
		}
		s := *in
		s.Path, s.Data = other, data
		return &s
	}
	if base == nil {
		base = sibling()
	} else {
		override = sibling()
	}
	switch {
	case base == nil:
		return []*Input{override}
	case override == nil:
		return []*Input{base}
	}
	return []*Input{base, override}
}

// composeBase returns the Compose file docker compose reads before the
// override at p (docker-compose.yml for docker-compose.override.yml); ""
// for a file of another name.
func composeBase(p string) string {
	base := path.Base(filepath.ToSlash(p))
	for _, name := range composeFileNames {
		ext := path.Ext(name)
		if base == strings.TrimSuffix(name, ext)+".override"+ext {
			return filepath.Join(filepath.Dir(p), name)
		}
	}
	return ""
}

// readManifests reads manifests applied together; a file that cannot be
// read is reported alone, and the others read without it.
func readManifests(group []*Input) []Result {
	var out []Result
	for len(group) > 0 {
		f, err := ReadKubernetes(group)
		if err == nil {
			return append(out, Result{File: f, Paths: inputPaths(group)})
		}
		bad := slices.IndexFunc(group, func(in *Input) bool { return in.Path == errorFile(err) })
		if bad < 0 || len(group) == 1 {
			return append(out, Result{Paths: inputPaths(group), Err: err})
		}
		out = append(out, Result{Paths: []string{group[bad].Path}, Err: err})
		group = slices.Delete(slices.Clone(group), bad, bad+1)
	}
	return out
}

// errorFile returns the file a reader's error names.
func errorFile(err error) string {
	var se *sources.SyntaxError
	var fe *sources.FileError
	switch {
	case errors.As(err, &se):
		return se.Pos.File
	case errors.As(err, &fe):
		return fe.Pos.File
	}
	return ""
}

func inputPaths(ins []*Input) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.Path
	}
	return out
}

// Claims reports whether a kind reads the file at p, whose content starts
// with head (nil when it is not at hand: then only a name that says so
// counts). A file too large to read whole is reported as too large only
// when its kind is known this way.
func Claims(p string, head []byte) bool {
	_, ok := lookupKind(p, head)
	return ok
}

// Describe names a container for messages: `service "worker"`,
// `Deployment "prefect-worker", container "worker"`.
func (c *Container) Describe() string {
	s := fmt.Sprintf("%s %q", c.What, c.Name)
	if c.Sub != "" && c.Sub != c.Name {
		s += fmt.Sprintf(", container %q", c.Sub)
	}
	return s
}

// readValuesSet reads the values files of Prefect's charts in in's
// directory, each a Result of its own, in's first. Such files are given
// to helm together (-f values.yaml -f values-prod.yaml): a value the
// chart requires that one lacks is no mistake when another writes it.
func readValuesSet(in *Input, i int, ins []*Input, kinds []*Kind, done []bool) []Result {
	var out []Result
	var files []*File
	dir := filepath.Dir(in.Path)
	for j := i; j < len(ins); j++ {
		if (j != i && done[j]) || kinds[j] != kinds[i] || filepath.Dir(ins[j].Path) != dir || (in.Path == "-") != (ins[j].Path == "-") {
			continue
		}
		done[j] = true
		f, err := ReadHelmValues(ins[j])
		if f != nil {
			f.Path = ins[j].Path
			files = append(files, f)
		}
		out = append(out, Result{File: f, Paths: []string{ins[j].Path}, Err: err})
	}
	for _, f := range files {
		for c := range f.Containers {
			notes := f.Containers[c].Notes
			f.Containers[c].Notes = slices.DeleteFunc(notes, func(n Note) bool {
				return slices.ContainsFunc(files, func(g *File) bool {
					return g != f && slices.ContainsFunc(n.moot, g.writes)
				})
			})
		}
	}
	return out
}
