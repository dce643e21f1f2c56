package deploy

import (
	"errors"
	"path"
	"slices"
	"strings"
)

// Kind is one kind of deployment file: how to tell it and how to read it.
// Adding a kind is adding a row to the table Kinds returns and the reader
// it names.
type Kind struct {
	Name string // "compose", "kubernetes", "helm", "dockerfile", "shell", "makefile", "github-actions", "gitlab-ci", "prefect-yaml"
	// Match tells, from a file's slash-separated path, whether it may be
	// of this kind: Certain for a name that says so (compose.yaml),
	// Maybe for one whose content must tell (any .yaml for Kubernetes).
	Match func(path string) Match
	// Sniff tells, from the content of a Maybe, whether it is of this
	// kind; nil means every Maybe is.
	Sniff func(data []byte) bool
	// Read reads the file.
	Read func(in *Input) (*File, error)
}

// Match is how sure a file name makes a kind.
type Match uint8

// The degrees of Match.
const (
	No Match = iota
	Maybe
	Certain
)

// Input is a file to read and what its reader may need beside it.
type Input struct {
	Path string // as the user gave it; positions name it
	Data []byte
	// Dir is the directory relative paths in the file start from (the
	// file's directory, or Compose's project directory).
	Dir string
	// Environ is the environment interpolation reads (Compose reads it
	// before the project's .env), as NAME=VALUE strings.
	Environ []string
	// ReadFile reads another file the file names (an env_file, a
	// ConfigMap's file): regular files only, with the limits of
	// sources.ReadFile. Nil means sources.ReadFile.
	ReadFile func(path string) ([]byte, error)
}

// Kinds returns the kinds of file read, most specific first: a file is
// read by the first kind that matches it Certain, else by the first whose
// Sniff accepts it. The slice is the caller's own.
func Kinds() []Kind { return slices.Clone(kinds) }

// kinds is the table Kinds returns.
var kinds = []Kind{
	{Name: "compose", Match: matchCompose, Read: readCompose},
	{Name: "helm", Match: matchHelm, Sniff: sniffHelm, Read: ReadHelmValues},
	{Name: "kubernetes", Match: matchKubernetes, Sniff: sniffKubernetes, Read: readKubernetes},
	dockerfileKind,
	makefileKind,
	workflowKind,
	gitlabKind,
	prefectYAMLKind,
	shellKind, // after every kind a name without an extension may be
}

// lookupKind returns the kind of the file at p with content data (nil when
// the content is not at hand yet: then only a Certain match counts). A
// name that says one kind while the content is another's (a Kubernetes
// manifest named prefect.yaml) is read as its content says: the kind the
// name says is kept when its own Sniff accepts the content, or no other
// kind's does.
func lookupKind(p string, data []byte) (*Kind, bool) {
	p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
	var named *Kind
	for i := range kinds {
		if kinds[i].Match(p) == Certain {
			named = &kinds[i]
			break
		}
	}
	if named != nil && (data == nil || named.Sniff == nil || named.Sniff(data)) {
		return named, true
	}
	if data == nil {
		return nil, false
	}
	for i := range kinds {
		k := &kinds[i]
		if k.Match(p) == Maybe && (k.Sniff == nil || k.Sniff(data)) {
			return k, true
		}
	}
	return named, named != nil
}

// Candidate reports whether the file at path may be a deployment file of
// some kind, from its name alone: a directory walk reads the candidates
// and hands them to Read.
func Candidate(p string) bool {
	p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
	for i := range kinds {
		if kinds[i].Match(p) != No {
			return true
		}
	}
	return false
}

// ErrNotDeployment is the error of Read for a file of no known kind.
var ErrNotDeployment = errors.New("not a deployment file of any kind Strata reads")

// Read reads a deployment file of any kind. It returns ErrNotDeployment
// for a file no kind claims (a YAML file that is no Kubernetes manifest,
// say). Errors carry the file's position (*sources.SyntaxError).
func Read(in *Input) (*File, error) {
	k, ok := lookupKind(in.Path, in.Data)
	if !ok {
		return nil, ErrNotDeployment
	}
	f, err := k.Read(in)
	if f != nil {
		f.Path, f.Kind = in.Path, k.Name
	}
	return f, err
}
