package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/deploy"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// manifestKind is a kind of deployment file whose containers the config
// commands resolve: the flag that gives the file, the flag that names the
// container in it, and how to read it. Adding a kind is adding a row.
type manifestKind struct {
	flag, arg string // "compose", "FILE"
	kind      string // the deploy.Kind that reads it
	name      string // the flag naming the container: "service"
	what      string // what that flag names, for messages: "a service"
	sub       string // the flag naming a container within it, if any
	many      bool   // several files read together (overrides, manifests applied together)
	dirs      bool   // a directory stands for its files of the kind
	last      bool   // without a name: the last container (docker build's default target)
	// read reads several files together; nil: the kind's reader, one
	// file.
	read  func([]*deploy.Input) (*deploy.File, error)
	usage string
}

var manifestKinds = []manifestKind{
	{flag: "compose", arg: "FILE", kind: "compose", name: "service", what: "a service", many: true, read: deploy.ReadCompose,
		usage: "resolve the settings of a service of this Compose file (again for each override file, in order)"},
	{flag: "k8s", arg: "PATH|-", kind: "kubernetes", name: "workload", what: "a workload", sub: "container", many: true, dirs: true, read: deploy.ReadKubernetes,
		usage: "resolve the settings of a container of these Kubernetes manifests: a file, a directory of them or - for standard input (repeatable)"},
	{flag: "dockerfile", arg: "FILE", kind: "dockerfile", name: "stage", what: "a stage", last: true,
		usage: "resolve the settings of an image this Dockerfile builds"},
}

// containerChoice is what the deployment flags name: the files of one
// kind and the container in them.
type containerChoice struct {
	files map[string]*[]string // by file flag
	names map[string]*string   // by name flag
	sub   string
	given []string // the flags given, in order
}

// givenValue is a string flag that records its use; with many, every use
// adds a value.
type givenValue struct {
	one   *string
	many  *[]string
	given *[]string
	flag  string
}

func (v givenValue) String() string { return "" }
func (v givenValue) Set(s string) error {
	if v.many != nil {
		*v.many = append(*v.many, s)
	} else {
		*v.one = s
	}
	*v.given = append(*v.given, v.flag)
	return nil
}

// deployment defines the flags that name a container of a deployment
// file, from the rows of manifestKinds; the synopsis shows them as one
// choice.
func (f *flags) deployment(ch *containerChoice) {
	ch.files, ch.names = map[string]*[]string{}, map[string]*string{}
	var alts []string
	var first *flagDoc
	for _, k := range manifestKinds {
		ch.files[k.flag], ch.names[k.name] = new([]string), new(string)
		d := f.flagVar(givenValue{many: ch.files[k.flag], given: &ch.given, flag: k.flag}, k.flag, k.arg, k.usage)
		n := f.flagVar(givenValue{one: ch.names[k.name], given: &ch.given, flag: k.name}, k.name, "NAME",
			"the "+strings.TrimPrefix(k.what, "a ")+" of --"+k.flag+" whose settings to resolve")
		d.synopsis, n.synopsis = "-", "-"
		n.complete = func() []string { return containerNames(&k, ch, false) }
		if first == nil {
			first = d
		}
		arg, _, _ := strings.Cut(k.arg, "|") // PATH|-: the synopsis's | separates the kinds
		alt := "--" + k.flag + " " + arg + " --" + k.name + " NAME"
		if k.last {
			alt = "--" + k.flag + " " + arg + " [--" + k.name + " NAME]"
		}
		if k.sub != "" {
			alt += " [--" + k.sub + " NAME]"
			if f.lookup(k.sub) == nil {
				s := f.flagVar(givenValue{one: &ch.sub, given: &ch.given, flag: k.sub}, k.sub, "NAME",
					"the container of the --"+k.name+" whose settings to resolve, when it has several")
				s.synopsis = "-"
				s.complete = func() []string { return containerNames(&k, ch, true) }
			}
		}
		alts = append(alts, alt)
	}
	first.synopsis = strings.Join(alts, " | ")
}

// kindOf returns the row of the file flags given, or an error for a usage
// mistake: two kinds at once, a name without its file.
func (ch *containerChoice) kindOf() (*manifestKind, error) {
	var k *manifestKind
	for i := range manifestKinds {
		if len(*ch.files[manifestKinds[i].flag]) == 0 {
			continue
		}
		if k != nil {
			return nil, fmt.Errorf("--%s and --%s: give the files of one kind", k.flag, manifestKinds[i].flag)
		}
		k = &manifestKinds[i]
		if n := len(*ch.files[k.flag]); !k.many && n > 1 {
			return nil, fmt.Errorf("--%s is given %d times: give one file", k.flag, n)
		}
	}
	for _, g := range ch.given {
		switch {
		case k == nil:
			return nil, fmt.Errorf("--%s names a container of a deployment file: give the file with %s", g, fileFlagOf(g))
		case g != k.flag && g != k.name && g != k.sub:
			return nil, fmt.Errorf("--%s does not go with --%s: it names a container of %s", g, k.flag, fileFlagOf(g))
		}
	}
	return k, nil
}

// fileFlagOf names the file flag that a naming flag goes with.
func fileFlagOf(flag string) string {
	var out []string
	for _, k := range manifestKinds {
		if k.flag == flag || k.name == flag || k.sub == flag {
			out = append(out, "--"+k.flag)
		}
	}
	return strings.Join(out, " or ")
}

// withContainer runs a config command, for the container the deployment
// flags name when they name one: it reads the files and selects the
// container first, and a mistake there ends the command.
func (c *cli) withContainer(cmd string, ch *containerChoice, run func() int) int {
	k, err := ch.kindOf()
	if err != nil {
		return c.usageError(lookupCommand(cmd), err.Error())
	}
	if k == nil {
		return run()
	}
	read := func() (*settings.Container, error) { return readContainer(c.stdin, k, ch) }
	sc, err := read()
	if err != nil {
		c.deploymentError(err)
		return exitFail
	}
	if !slices.Contains(*ch.files[k.flag], "-") {
		sc.Reload = read
	}
	c.container = sc
	return run()
}

// deploymentError prints an error of reading a deployment file: one with
// a position as a diagnostic, others as they are.
func (c *cli) deploymentError(err error) { c.fatal("strata", err) }

// readContainer reads the files of kind k the choice names and returns the
// container it names, as the engine resolves it.
func readContainer(stdin io.Reader, k *manifestKind, ch *containerChoice) (*settings.Container, error) {
	inputs, err := readInputs(stdin, k, *ch.files[k.flag])
	if err != nil {
		return nil, err
	}
	f, err := readKind(k, inputs)
	if err != nil {
		return nil, err
	}
	ct, err := choose(f, k, ch)
	if err != nil {
		return nil, err
	}
	return ct.Settings(inputs[0].Dir), nil
}

// defaultFiles are the files a kind's own tool reads when none is given,
// which completion offers the containers of: docker compose's and docker
// build's.
var defaultFiles = map[string][]string{
	"compose":    {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"},
	"dockerfile": {"Dockerfile"},
}

// containerNames lists, for completion, the names of the containers of
// the files of kind k the choice gives (else of the kind's default file
// here): Compose services, Kubernetes workloads, Dockerfile stages; with
// sub, the containers of the workload named (of every one, when none is).
func containerNames(k *manifestKind, ch *containerChoice, sub bool) []string {
	files := slices.DeleteFunc(slices.Clone(*ch.files[k.flag]), func(p string) bool { return p == "-" })
	if len(*ch.files[k.flag]) == 0 {
		for _, name := range defaultFiles[k.kind] {
			if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() {
				files = []string{name}
				break
			}
		}
	}
	if len(files) == 0 {
		return nil
	}
	inputs, err := readInputs(nil, k, files)
	if err != nil {
		return nil
	}
	f, err := readKind(k, inputs)
	if err != nil {
		return nil
	}
	var out []string
	for _, c := range f.Containers {
		switch {
		case !sub:
			out = append(out, c.Name)
		case c.Sub != "" && (*ch.names[k.name] == "" || c.Name == *ch.names[k.name]):
			out = append(out, c.Sub)
		}
	}
	return out
}

// readInputs reads the files of kind k given as paths, a directory
// standing for its files of the kind and - for standard input.
func readInputs(stdin io.Reader, k *manifestKind, paths []string) ([]*deploy.Input, error) {
	var inputs []*deploy.Input
	environ := os.Environ()
	for _, p := range paths {
		paths, err := expand(k, p)
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			in := &deploy.Input{Path: p, Dir: filepath.Dir(p), Environ: environ}
			if p == "-" {
				in.Path, in.Dir = "<stdin>", "."
				in.Data, err = readLimited(stdin)
			} else {
				in.Data, err = sources.ReadFileMax(p, deploy.MaxManifestSize)
			}
			if err != nil {
				return nil, fileError(p, err)
			}
			inputs = append(inputs, in)
		}
	}
	return inputs, nil
}

// readKind reads the inputs with the kind's reader.
// Files read again unchanged, as a watch does, are not parsed again
// (deploy.Cached).
func readKind(k *manifestKind, inputs []*deploy.Input) (*deploy.File, error) {
	if k.read != nil {
		return deploy.Cached(k.kind, k.read, inputs)
	}
	for _, kind := range deploy.Kinds() {
		if kind.Name == k.kind {
			return deploy.Cached(k.kind, func(ins []*deploy.Input) (*deploy.File, error) {
				f, err := kind.Read(ins[0])
				if f != nil {
					f.Path, f.Kind = ins[0].Path, kind.Name
				}
				return f, err
			}, inputs)
		}
	}
	return nil, fmt.Errorf("%s: this build of strata does not read %s files", inputs[0].Path, k.kind)
}

// choose selects the container the choice names in f; without a name,
// the only one, or for a kind that says so the last.
func choose(f *deploy.File, k *manifestKind, ch *containerChoice) (*deploy.Container, error) {
	name := *ch.names[k.name]
	if name == "" {
		var names []string
		for _, ct := range f.Containers {
			if !slices.Contains(names, ct.Name) {
				names = append(names, ct.Name)
			}
		}
		switch {
		case len(names) == 0:
			return nil, fmt.Errorf("%s: it defines no %s", f.Path, k.name)
		case k.last:
			name = f.Containers[len(f.Containers)-1].Name
		case len(names) > 1:
			q := make([]string, len(names))
			for i, n := range names {
				q[i] = strconv.Quote(n)
			}
			return nil, fmt.Errorf("%s: name %s with --%s: %s", f.Path, k.what, k.name, strings.Join(q, ", "))
		default:
			name = names[0]
		}
	}
	return f.Select(name, ch.sub)
}

// expand returns the files a path given stands for: a directory, for a
// kind that reads several, stands for its files of the kind, in order.
func expand(k *manifestKind, p string) ([]string, error) {
	if p == "-" {
		return []string{p}, nil
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, fileError(p, err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	if !k.dirs {
		return nil, fmt.Errorf("%s is a directory; --%s takes a file", p, k.flag)
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, fileError(p, err)
	}
	var out []string
	for _, e := range entries {
		name := filepath.Join(p, e.Name())
		if !e.IsDir() && deploy.Candidate(filepath.ToSlash(name)) && kindMatches(k.kind, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no %s file in this directory", p, k.kind)
	}
	return out, nil
}

// kindMatches reports whether the kind may read the file, by its name.
func kindMatches(kind, p string) bool {
	for _, k := range deploy.Kinds() {
		if k.Name == kind {
			return k.Match(filepath.ToSlash(p)) != deploy.No
		}
	}
	return false
}

// readLimited reads standard input, up to the size of the largest
// manifest read.
func readLimited(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, errors.New("no standard input")
	}
	data, err := io.ReadAll(io.LimitReader(r, deploy.MaxManifestSize+1))
	if err == nil && len(data) > deploy.MaxManifestSize {
		err = fmt.Errorf("<stdin>: larger than %d MiB: no deployment needs that much", deploy.MaxManifestSize>>20)
	}
	return data, err
}

// fileError says why a deployment file cannot be read, and for a missing
// one the file of its directory that was probably meant.
func fileError(p string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		var re *sources.ReadError
		if errors.As(err, &re) {
			return fmt.Errorf("%s: %s", p, re.Reason())
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s: %w", p, pe.Err)
		}
		return err
	}
	msg := fmt.Sprintf("%s: no such file", p)
	dir := filepath.Dir(p)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if near := schema.Nearest(filepath.Base(p), names); near != "" {
		return fmt.Errorf("%s; did you mean %q?", msg, filepath.Join(dir, near))
	}
	return errors.New(msg)
}
