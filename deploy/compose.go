package deploy

// The Compose reader.
//
// Compose's own loader, compose-go (what `docker compose` runs), reads the
// project: it merges the files (-f a -f b), follows include and extends,
// resolves anchors and merge keys, interpolates ${VAR}, validates against
// the Compose schema and applies !reset and !override. What it yields has
// no positions. They come from yaml.v3 node trees of the same files,
// parsed here: for every service, its nodes are gathered in the order
// Compose merges them (an extended service, then the files in order), and
// every environment entry is found in them, through aliases and merge keys
// to the place where the anchor's mapping writes it. Each entry written is
// one Var, valued by compose-go's interpolation applied to what is
// written; the last one of each name, the one in force, takes the value
// compose-go resolved. env_file files are read here, through
// Input.ReadFile (so a FIFO or a huge file is refused, never waited on),
// with compose-go's own .env parser, merged as compose-go does, and their
// entries are positioned where the env_file writes them.

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	composeschema "github.com/compose-spec/compose-go/v2/schema"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
	"go.yaml.in/yaml/v3"
)

// composeFileNames are the names docker compose looks for, then the
// override it reads beside them; composeNameRE the other names a Compose
// file goes by (docker-compose.prod.yml, compose.staging.yaml).
var (
	composeFileNames = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}
	composeNameRE    = regexp.MustCompile(`^(docker-)?compose([.-][A-Za-z0-9_.-]+)?\.ya?ml$`)
)

func matchCompose(p string) Match {
	if composeNameRE.MatchString(path.Base(p)) {
		return Certain
	}
	return No
}

// ComposeOverride returns the override file docker compose reads after
// the Compose file at p when no -f is given (docker-compose.override.yml
// beside docker-compose.yml), for the caller to read it if it exists; ""
// for a file of another name.
func ComposeOverride(p string) string {
	base := path.Base(filepath.ToSlash(p))
	if !slices.Contains(composeFileNames, base) {
		return ""
	}
	ext := path.Ext(base)
	return filepath.Join(filepath.Dir(p), strings.TrimSuffix(base, ext)+".override"+ext)
}

func readCompose(in *Input) (*File, error) { return ReadCompose([]*Input{in}) }

// ReadCompose reads a Compose project from its files, as `docker compose
// -f files[0] -f files[1]...` does: the first file is the project's (its
// Dir is the project directory, where .env is read, and its Environ and
// ReadFile serve the whole project), each other file overrides it in
// order. Profiles are ignored: every service is read. The File names the
// first file; positions name the file where each thing is written.
//
// Errors carry a position: invalid YAML at its line, what Compose rejects
// (the schema, a required ${VAR:?} unset, an include cycle) at the key it
// concerns, a required env_file that is missing or cannot be read at the
// env_file entry.
func ReadCompose(files []*Input) (*File, error) {
	if len(files) == 0 {
		return nil, errors.New("no Compose file given")
	}
	r, err := newComposeReader(files)
	if err == nil {
		err = r.expansionErr()
	}
	if err != nil {
		return nil, err
	}
	project, err := r.load(files)
	if xerr := r.expansionErr(); xerr != nil {
		return nil, xerr // what compose-go made of the values refused does not matter
	}
	if err != nil {
		return nil, r.positioned(err)
	}
	f := &File{Path: files[0].Path, Kind: "compose"}
	nvars := 0
	named := map[string]string{} // the services by container_name, and by name
	for name, s := range project.Services {
		named[name] = name
		if s.ContainerName != "" {
			named[s.ContainerName] = name
		}
	}
	for _, s := range r.serviceOrder(project) {
		c, err := r.container(s.kind, s.name, s.spec)
		if err != nil {
			return nil, err
		}
		if nvars += len(c.Vars); nvars > maxComposeVars {
			return nil, tooManyComposeVars(c.Vars[len(c.Vars)-1-(nvars-maxComposeVars-1)].Pos)
		}
		if name, ok := strings.CutPrefix(c.Network, "container:"); ok && named[name] != "" {
			c.Network = "service:" + named[name]
		}
		f.Containers = append(f.Containers, *c)
	}
	if err := r.expansionErr(); err != nil {
		return nil, err
	}
	return f, nil
}

// maxComposeVars bounds the variables of a Compose project's services,
// from their environment and env_file files: services sharing a large
// env_file each have its variables.
const maxComposeVars = 10 * maxVars

func tooManyComposeVars(pos sources.Position) error {
	return &sources.FileError{Pos: pos, Msg: fmt.Sprintf("more than %d variables in all the services: no Compose project needs that many", maxComposeVars)}
}

// composeReader is one project being read.
type composeReader struct {
	dir      string // the project directory, as the user gave it
	absDir   string
	env      map[string]string // what ${VAR} is interpolated from
	readFile func(string) ([]byte, error)
	files    []*composeFile // the files given, in order, then those they include or extend
	exp      expansion
	overName string       // the variable whose reference went beyond the bound of expansion
	overIn   *yamlFile    // the file where it is referenced, when known
	nEnvFile int          // the variables read from env_file files, for all services
	lim      scriptLimits // of the commands of all services
}

// composeFile is one file of the project, with its nodes.
type composeFile struct {
	y      *yamlFile
	abs    string
	absDir string            // where its relative include and extends paths start
	given  bool              // given by the user (not included or extended)
	env    map[string]string // what ${VAR} is interpolated from in it, when not the project's
}

// composeLogging silences compose-go's logger (logrus's standard one,
// which Strata uses for nothing else): what it warns of (an obsolete
// version key, an unset variable) reaches the user as this package's
// results, not as lines on stderr.
var composeLogging sync.Once

func quietCompose() { composeLogging.Do(func() { logrus.SetOutput(io.Discard) }) }

func newComposeReader(files []*Input) (*composeReader, error) {
	quietCompose()
	first := files[0]
	r := &composeReader{dir: first.Dir, readFile: first.ReadFile, env: map[string]string{}}
	if r.dir == "" {
		r.dir = filepath.Dir(first.Path)
	}
	if r.readFile == nil {
		r.readFile = sources.ReadFile
	}
	abs, err := filepath.Abs(r.dir)
	if err != nil {
		return nil, err
	}
	r.absDir = abs
	for _, kv := range first.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			r.env[k] = v
		}
	}
	if err := r.readDotEnv(); err != nil {
		return nil, err
	}
	for _, in := range files {
		y, err := parseYAML(in.Path, in.Data, sources.MaxFileSize, nil)
		if err == nil {
			err = checkComposeNodes(y)
		}
		if err != nil {
			return nil, err
		}
		abs, err := filepath.Abs(in.Path)
		if err != nil {
			return nil, err
		}
		cf := &composeFile{y: y, abs: abs, absDir: r.absDir, given: true}
		r.files = append(r.files, cf)
	}
	for _, cf := range slices.Clone(r.files) {
		if err := r.scanReferenced(cf, 0); err != nil {
			return nil, err
		}
	}
	if err := checkComposeSize(r.files); err != nil {
		return nil, err
	}
	return r, nil
}

// readDotEnv reads the project's .env, whose variables interpolate the
// Compose files where the environment given does not set them.
func (r *composeReader) readDotEnv() error {
	p := filepath.Join(r.dir, ".env")
	data, err := r.readFile(p)
	if isAbsent(err) {
		return nil
	}
	if err != nil {
		return err
	}
	vars := map[string]string{}
	if err := r.parseEnvFile(p, data, "", vars, func(k string) (string, bool) {
		v, ok := r.env[k]
		return v, ok
	}); err != nil {
		return err
	}
	for k, v := range vars {
		if _, set := r.env[k]; !set {
			r.env[k] = v
		}
	}
	return nil
}

// isAbsent reports whether err, from Input.ReadFile, means there is no
// file to read: none, or a directory in its place.
func isAbsent(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.EISDIR)
}

var (
	dotenvLineRE     = regexp.MustCompile(`line (\d+): `)
	dotenvQuoteRE    = regexp.MustCompile(`^unterminated quoted value\b`)
	dotenvNameCharRE = regexp.MustCompile(`^unexpected character ("(?:[^"\\]|\\.)*") in variable name\b`)
)

// dotenvError positions an error of compose-go's .env parser in file p,
// whose contents are data. compose-go's messages quote the text of the
// line, a value (a secret's) among it: the message says what is wrong
// without it, and the error does not wrap compose-go's.
func dotenvError(p string, data []byte, err error) error {
	y := &yamlFile{path: p, data: data}
	pos := sources.Position{File: p, Line: 1}
	msg := err.Error()
	if m := dotenvLineRE.FindStringSubmatchIndex(msg); m != nil {
		pos.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		msg = msg[m[1]:]
	}
	var tmpl *template.InvalidTemplateError
	var missing *template.MissingRequiredError
	switch {
	case dotenvQuoteRE.MatchString(msg):
		msg = "unterminated quoted value"
	case dotenvNameCharRE.MatchString(msg):
		msg = dotenvNameCharRE.FindStringSubmatch(msg)[1]
		msg = "unexpected character " + msg + " in a variable name"
	case errors.As(err, &missing):
		msg = missing.Error() // names the variable and the message written with it
		if loc := requiredRE(missing.Variable).FindIndex(data); loc != nil {
			pos = y.offsetPos(loc[0])
		}
		return &sources.SyntaxError{Pos: pos, Msg: msg, Err: err}
	case errors.As(err, &tmpl):
		msg = "invalid interpolation format: a $ that starts no ${VAR} is written $$"
		if i := bytes.Index(data, []byte(tmpl.Template)); tmpl.Template != "" && i >= 0 {
			pos = y.offsetPos(i)
		}
	case strings.HasPrefix(msg, "unsupported env_file format"):
		pos.Line = 0 // the entry naming it is at fault
	}
	return &sources.SyntaxError{Pos: pos, Msg: msg}
}

// requiredRE matches a reference that requires variable name:
// ${name:?message} or ${name?message}.
func requiredRE(name string) *regexp.Regexp {
	return regexp.MustCompile(`\$\{` + regexp.QuoteMeta(name) + `:?\?`)
}

// envOf returns the variables ${VAR} is interpolated from in file f: the
// environment given, then the project's .env; in an included file, then
// the included project's .env or env_file.
func (r *composeReader) envOf(f *composeFile) map[string]string {
	if f != nil && f.env != nil {
		return f.env
	}
	return r.env
}

// substitute interpolates s as compose-go does in file f.
func (r *composeReader) substitute(f *composeFile, s string) (string, error) {
	env := r.envOf(f)
	var y *yamlFile
	if f != nil {
		y = f.y
	}
	return template.SubstituteWithOptions(s, r.counted(y, true, func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}), template.WithoutLogging)
}

// counted returns lookup with the values it gives counted against the
// bound of expansion, and, when it serves one value, against
// sources.MaxValueLen: beyond either, every variable is empty (and
// expansionErr tells where the first reference refused is written: in
// file in, or else in the project's files).
func (r *composeReader) counted(in *yamlFile, oneValue bool, lookup func(string) (string, bool)) func(string) (string, bool) {
	value := 0
	return func(k string) (string, bool) {
		v, ok := lookup(k)
		if oneValue {
			value += len(v)
		}
		if ok && !r.exp.takeValue(len(v), value) {
			if r.overName == "" {
				r.overName, r.overIn = k, in
			}
			return "", true
		}
		return v, ok
	}
}

// expansionErr returns the error of a reference refused by the bound of
// expansion, if one was: at the first reference to its variable in the
// file it was refused in, else in the project's files.
func (r *composeReader) expansionErr() error {
	if !r.exp.over {
		return nil
	}
	re := regexp.MustCompile(`\$\{?` + regexp.QuoteMeta(r.overName) + `\b`)
	var in []*yamlFile
	if r.overIn != nil {
		in = append(in, r.overIn)
	}
	for _, f := range r.files {
		in = append(in, f.y)
	}
	pos := sources.Position{File: in[0].path, Line: 1}
	for _, y := range in {
		if loc := re.FindIndex(y.data); loc != nil {
			pos = y.offsetPos(loc[0])
			break
		}
	}
	return r.exp.error(pos, "${"+r.overName+"}")
}

// parseEnvFile reads an env file (the project's .env, an env_file) in
// format ("" for Compose's own) into vars, as compose-go does: its ${VAR}
// references are looked up in lookup, then in the variables it set
// before. Its errors name no value: compose-go's quote the line.
func (r *composeReader) parseEnvFile(p string, data []byte, format string, vars map[string]string, lookup func(string) (string, bool)) error {
	y := &yamlFile{path: p, data: data}
	err := dotenv.ParseWithFormat(bytes.NewReader(data), p, vars, r.counted(y, false, func(k string) (string, bool) {
		if v, ok := lookup(k); ok {
			return v, true
		}
		v, ok := vars[k]
		return v, ok
	}), format)
	if xerr := r.expansionErr(); xerr != nil {
		return xerr
	}
	if err != nil {
		return dotenvError(p, data, err)
	}
	return nil
}

// display returns the path positions name for an absolute path compose-go
// resolved: relative to the project directory as the user gave it, when
// it is in that directory.
func (r *composeReader) display(abs string) string {
	if rel, err := filepath.Rel(r.absDir, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.Join(r.dir, rel)
	}
	return abs
}

// maxComposeNodes is how many YAML nodes compose-go reads in one file
// (an anchor's once, whatever its aliases): it refuses more.
const maxComposeNodes = 100_000

// checkComposeNodes refuses a file of more nodes than compose-go reads,
// at the first node beyond.
func checkComposeNodes(y *yamlFile) error {
	n := 0
	var walk func(*yaml.Node) *yaml.Node
	walk = func(node *yaml.Node) *yaml.Node {
		if node.Kind != yaml.DocumentNode {
			if n++; n > maxComposeNodes {
				return node
			}
		}
		for _, c := range node.Content {
			if over := walk(c); over != nil {
				return over
			}
		}
		return nil
	}
	for _, doc := range y.docs {
		if over := walk(doc); over != nil {
			return &sources.FileError{Pos: y.pos(over), Msg: fmt.Sprintf("more than %d YAML nodes: docker compose reads no more", maxComposeNodes)}
		}
	}
	return nil
}

// The bounds of a Compose project, before compose-go loads it: it takes
// some 130 KB and a millisecond for each service, 30 KB for each variable
// of an environment, whatever the file's size.
const (
	maxComposeServices = 1000
	maxComposeEnv      = 5000
)

// checkComposeSize refuses a project whose files write more services or
// environment variables than the bounds, at the first one beyond.
func checkComposeSize(files []*composeFile) error {
	services, env := 0, 0
	for _, cf := range files {
		for _, doc := range cf.y.docs {
			svcs := val(doc, "services")
			if svcs == nil || svcs.Kind != yaml.MappingNode {
				continue
			}
			for i := 0; i+1 < len(svcs.Content); i += 2 {
				if services++; services > maxComposeServices {
					return &sources.FileError{Pos: cf.y.pos(svcs.Content[i]), Msg: fmt.Sprintf("more than %d services: no Compose project needs that many", maxComposeServices)}
				}
				e := val(svcs.Content[i+1], "environment")
				if e == nil {
					continue
				}
				step := 1
				if e.Kind == yaml.MappingNode {
					step = 2
				}
				for j := 0; j < len(e.Content); j += step {
					if env++; env > maxComposeEnv {
						return &sources.FileError{Pos: cf.y.pos(e.Content[j]), Msg: fmt.Sprintf("more than %d environment variables: no Compose project needs that many", maxComposeEnv)}
					}
				}
			}
		}
	}
	return nil
}

// maxIncludeDepth bounds include and extends files including others.
const maxIncludeDepth = 16

// scanReferenced reads, through Input.ReadFile, every file compose-go
// would read on its own for cf (included Compose files, their env_file
// and .env, extended files), before it does: a FIFO or a huge file is
// then refused with an error at the line naming it instead of hanging
// the loader, and the nodes of included and extended files position what
// they write.
func (r *composeReader) scanReferenced(cf *composeFile, depth int) error {
	if depth > maxIncludeDepth {
		return &sources.SyntaxError{Pos: cf.y.pos(nil), Msg: fmt.Sprintf("include and extends nested more than %d deep", maxIncludeDepth)}
	}
	for _, doc := range cf.y.docs {
		top := deref(doc)
		for _, inc := range items(val(top, "include")) {
			var paths, envFiles []*yaml.Node
			projectDir := ""
			if inc.Kind == yaml.ScalarNode {
				paths = []*yaml.Node{inc}
			} else {
				paths = scalarsOf(val(inc, "path"))
				envFiles = scalarsOf(val(inc, "env_file"))
				if s, ok := str(val(inc, "project_directory")); ok {
					projectDir, _ = r.substitute(cf, s)
				}
			}
			var included []*composeFile
			for _, n := range paths {
				sub, err := r.referenced(cf, n, cf.absDir)
				if err != nil {
					return err
				}
				if sub == nil {
					continue // read already
				}
				sub.absDir = filepath.Dir(sub.abs)
				switch {
				case len(included) > 0:
					sub.absDir = included[0].absDir
				case projectDir != "" && filepath.IsAbs(projectDir):
					sub.absDir = projectDir
				case projectDir != "":
					sub.absDir = filepath.Join(cf.absDir, projectDir)
				}
				included = append(included, sub)
			}
			if len(included) == 0 {
				continue
			}
			// The included project's variables: its .env, or the
			// include's env_file, under the including project's.
			env := maps.Clone(r.envOf(cf))
			type envFile struct {
				n   *yaml.Node
				abs string
			}
			var files []envFile
			if len(envFiles) == 0 {
				files = append(files, envFile{paths[0], filepath.Join(included[0].absDir, ".env")})
			}
			for _, n := range envFiles {
				p, _ := r.substitute(cf, n.Value)
				if p == "/dev/null" {
					continue
				}
				if !filepath.IsAbs(p) {
					p = filepath.Join(cf.absDir, p)
				}
				files = append(files, envFile{n, p})
			}
			for i, ef := range files {
				data, err := r.check(cf, ef.n, ef.abs, len(envFiles) > 0)
				if err != nil {
					return err
				}
				if data == nil {
					continue
				}
				vars := map[string]string{}
				if err := r.parseEnvFile(r.display(files[i].abs), data, "", vars, func(k string) (string, bool) {
					v, ok := env[k]
					return v, ok
				}); err != nil {
					return err
				}
				for k, v := range vars {
					if _, set := env[k]; !set {
						env[k] = v
					}
				}
			}
			for _, sub := range included {
				sub.env = env
				if err := r.scanReferenced(sub, depth+1); err != nil {
					return err
				}
			}
		}
		for _, kind := range []string{"services", "jobs"} {
			for _, s := range pairs(val(top, kind)) {
				n := dig(s.val, "extends", "file")
				if n == nil {
					continue
				}
				sub, err := r.referenced(cf, n, filepath.Dir(cf.abs))
				if err != nil {
					return err
				}
				if sub != nil {
					sub.absDir = filepath.Dir(sub.abs)
					if err := r.scanReferenced(sub, depth+1); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// referenced reads and parses the Compose file named by node n of cf,
// relative to dir; nil when it is one already read.
func (r *composeReader) referenced(cf *composeFile, n *yaml.Node, dir string) (*composeFile, error) {
	p, ok := str(n)
	if !ok {
		return nil, nil
	}
	p, _ = r.substitute(cf, p)
	if strings.Contains(p, "://") || strings.HasPrefix(p, "git@") {
		return nil, &sources.SyntaxError{Pos: cf.y.pos(n), Msg: fmt.Sprintf("%q: remote Compose files are not read: give a local copy", p)}
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	for _, f := range r.files {
		if f.abs == p {
			return nil, nil
		}
	}
	data, err := r.check(cf, n, p, true)
	if err != nil || data == nil {
		return nil, err
	}
	y, err := parseYAML(r.display(p), data, sources.MaxFileSize, nil)
	if err == nil {
		err = checkComposeNodes(y)
	}
	if err != nil {
		return nil, err
	}
	sub := &composeFile{y: y, abs: p, env: cf.env}
	r.files = append(r.files, sub)
	return sub, nil
}

// check reads the file at abs, named by node n of cf; a file that is
// missing is no error unless required.
func (r *composeReader) check(cf *composeFile, n *yaml.Node, abs string, required bool) ([]byte, error) {
	data, err := r.readFile(r.display(abs))
	switch {
	case err == nil:
		return data, nil
	case isAbsent(err) && !required:
		return nil, nil
	}
	return nil, referenceError(cf.y.pos(n), r.display(abs), err)
}

// referenceError is the error of a file a Compose file names that cannot
// be read, at the place that names it.
func referenceError(at sources.Position, p string, err error) error {
	why := err.Error()
	var fe *sources.FileError
	var re *sources.ReadError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why = "no such file"
	case errors.As(err, &fe):
		why = fe.Msg
	case errors.As(err, &re):
		why = re.Reason()
	}
	return &sources.SyntaxError{Pos: at, Msg: fmt.Sprintf("%q: %s", p, why), Err: err}
}

// scalarsOf returns n's scalars: n itself, or the items of a list.
func scalarsOf(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []*yaml.Node{n}
	}
	var out []*yaml.Node
	for _, c := range items(n) {
		if c.Kind == yaml.ScalarNode {
			out = append(out, c)
		}
	}
	return out
}

// load runs compose-go on the files given. compose-go reshapes the files
// before it checks them against the Compose schema, and parts of that
// work assume the shapes the schema requires (an env_file path, a
// secret's target, an extends file that is a string): where such a file
// makes it panic, the error is what the schema says of the file, and
// never a crash.
func (r *composeReader) load(files []*Input) (project *types.Project, err error) {
	defer func() {
		if v := recover(); v != nil {
			project, err = nil, r.loaderPanic(v)
		}
	}()
	details := types.ConfigDetails{WorkingDir: r.absDir, Environment: r.env}
	for i, in := range files {
		details.ConfigFiles = append(details.ConfigFiles, types.ConfigFile{Filename: r.files[i].abs, Content: in.Data})
	}
	name := loader.NormalizeProjectName(filepath.Base(r.absDir))
	if name == "" {
		name = "project"
	}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SkipResolveEnvironment = true // env_file is read here, through Input.ReadFile
		o.SkipResolveLabels = true      // label_file has no settings
		o.SkipConsistencyCheck = true   // an override read alone names services it does not define
		o.Profiles = []string{"*"}
		o.SetProjectName(name, false)
		o.Interpolate.Substitute = func(s string, m template.Mapping) (string, error) {
			return template.SubstituteWithOptions(s, r.counted(nil, true, m), template.WithoutLogging)
		}
	})
}

// loaderPanic is the error for a panic of compose-go: the first thing the
// Compose schema rejects in the files read, each checked on its own, else
// the panic's message, which a runtime error makes a statement of types,
// without values.
func (r *composeReader) loaderPanic(v any) error {
	for _, f := range r.files {
		for _, doc := range f.y.docs {
			if err := schemaError(doc); err != nil {
				return err
			}
		}
	}
	if re, ok := v.(runtime.Error); ok {
		return fmt.Errorf("this Compose project cannot be read: %v", re)
	}
	return errors.New("this Compose project cannot be read")
}

// schemaError checks a document against the Compose schema, as compose-go
// does once it has merged the files. A panic of the check is no error:
// the caller has one to report already.
func schemaError(doc *yaml.Node) (err error) {
	defer func() {
		if recover() != nil {
			err = nil
		}
	}()
	var raw any
	if doc.Decode(&raw) != nil {
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil
	}
	return composeschema.Validate(m)
}

var (
	composePathRE     = regexp.MustCompile(`\b((?:services|jobs|networks|volumes|secrets|configs|include|models)(?:\.[^\s:,]+)*)`)
	composePropertyRE = regexp.MustCompile(`Additional property (\S+) is not allowed`)
)

// positioned turns an error of compose-go, which names no line, into one
// at the place it concerns: the ${VAR:?} that is unset, the key its
// message names (services.worker.environment), else the top of the first
// file. Of several errors joined, the first in the files is kept.
func (r *composeReader) positioned(err error) error {
	var best *sources.SyntaxError
	for _, e := range flattenErrors(err, 0) {
		se := r.positionOne(e)
		if best == nil || before(se.Pos, best.Pos, r.files) || se.Pos == best.Pos && se.Msg < best.Msg {
			best = se
		}
	}
	return best
}

// flattenErrors returns the errors joined in err.
func flattenErrors(err error, depth int) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok && depth < 8 {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flattenErrors(e, depth+1)...)
		}
		if len(out) > 0 {
			return out
		}
	}
	return []error{err}
}

// before reports whether position a comes before b, files in the order
// of files.
func before(a, b sources.Position, files []*composeFile) bool {
	index := func(p sources.Position) int {
		for i, f := range files {
			if f.y.path == p.File {
				return i
			}
		}
		return len(files)
	}
	return cmp.Or(cmp.Compare(index(a), index(b)), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column)) < 0
}

// compose-go's messages may quote a value (the template of an invalid
// interpolation, a value it cannot convert): the message says what is
// wrong without it, the values of the project's secrets and the
// passwords of its URLs are masked in what is left, and the error does
// not wrap compose-go's.
func (r *composeReader) positionOne(err error) *sources.SyntaxError {
	msg := err.Error()
	for _, f := range r.files {
		msg = strings.ReplaceAll(msg, f.abs, f.y.path)
	}
	if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "validating ") && i > 0 {
		msg = msg[i+2:]
	}
	msg = strings.Join(strings.Fields(msg), " ")
	pos := r.files[0].y.pos(nil)
	pos.Line = 1
	if p, ok := strings.CutSuffix(msg, " false schema"); ok {
		keys := strings.Split(p, ".")
		msg = unknownKeyMessage(keys)
		if p, ok := r.findPath(keys); ok {
			pos = p
		}
		return &sources.SyntaxError{Pos: pos, Msg: msg}
	}
	var missing *template.MissingRequiredError
	var tmpl *template.InvalidTemplateError
	switch {
	case errors.As(err, &missing):
		msg = missing.Error() // the variable, and the message written with it
		if p, ok := r.findRequired(missing.Variable); ok {
			pos = p
		}
		return &sources.SyntaxError{Pos: pos, Msg: msg, Err: err}
	case errors.As(err, &tmpl):
		// "invalid interpolation format for PATH. You may need to escape
		// any $ with another $. TEMPLATE"
		if i := strings.Index(msg, ". You may need"); i >= 0 {
			msg = msg[:i] + ": a $ that starts no ${VAR} is written $$"
		}
	case composeCircularRE.MatchString(msg):
		m := composeCircularRE.FindStringSubmatch(msg)
		msg = "c" + strings.TrimPrefix(msg, "C")
		if p, ok := r.findPath([]string{"services", m[1], "extends"}); ok {
			return &sources.SyntaxError{Pos: p, Msg: msg}
		}
	}
	if m := composePathRE.FindStringSubmatch(msg); m != nil {
		keys := strings.Split(m[1], ".")
		if p := composePropertyRE.FindStringSubmatch(msg); p != nil {
			keys = append(keys, p[1])
		}
		if p, ok := r.findPath(keys); ok {
			pos = p
		}
	} else if m := composeValueRE.FindStringSubmatch(msg); m != nil {
		// "Invalid containerPort: VALUE": at the value, where one file
		// writes it.
		for _, f := range r.files {
			if i := bytes.Index(f.y.data, []byte(m[1])); i >= 0 {
				pos = f.y.offsetPos(i)
				break
			}
		}
	}
	return &sources.SyntaxError{Pos: pos, Msg: r.redact(msg)}
}

var (
	composeCircularRE = regexp.MustCompile(`^Circular reference: (\S+) in `)
	composeValueRE    = regexp.MustCompile(`: ([^\s:]{3,})$`)
	composeQuotedRE   = regexp.MustCompile("parsing \"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`")
)

// redact masks in a message of compose-go what may be a secret: a value
// it quotes where it converts one, the values the project's files or its
// environment give a secret setting or a variable whose name says it
// holds one, and the passwords of URLs.
func (r *composeReader) redact(msg string) string {
	msg = composeQuotedRE.ReplaceAllStringFunc(msg, func(q string) string {
		if strings.HasPrefix(q, "parsing") {
			return "parsing " + schema.Mask
		}
		return schema.Mask
	})
	secret := func(name string) bool {
		s, _, known := schema.ByEnv(name)
		return known && (s.Kind == schema.Secret || s.Kind == schema.Headers) || !known && schema.SecretName(name)
	}
	var values []string
	for name, v := range r.env {
		if secret(name) {
			values = append(values, v)
		}
	}
	for _, f := range r.files {
		for _, doc := range f.y.docs {
			for _, kind := range []string{"services", "jobs"} {
				for _, sv := range pairs(val(deref(doc), kind)) {
					for _, e := range environmentEntries([]serviceNode{{f: f, val: deref(sv.val)}}) {
						if e.val != nil && secret(e.name) {
							v := e.val.Value
							if e.list {
								_, v, _ = strings.Cut(v, "=")
							}
							values = append(values, v)
						}
					}
				}
			}
		}
	}
	slices.SortFunc(values, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, v := range values {
		if len(v) >= 4 {
			msg = strings.ReplaceAll(msg, v, schema.Mask)
		}
	}
	return schema.MaskURL(msg)
}

// unknownKeyMessage says that the last of keys is no key of the Compose
// specification where it is written, and suggests the nearest one.
func unknownKeyMessage(keys []string) string {
	name := keys[len(keys)-1]
	parent := tree.NewPath(keys[:len(keys)-1]...)
	var known []string
	for _, ap := range composeschema.AttributePaths() {
		parts := ap.Parts()
		if len(parts) == len(keys) && parent.Matches(tree.NewPath(parts[:len(parts)-1]...)) {
			known = append(known, parts[len(parts)-1])
		}
	}
	where := "the top level"
	if len(keys) > 1 {
		where = parent.String()
	}
	msg := fmt.Sprintf("%s: %q is not a key of the Compose specification", where, name)
	if near := schema.Nearest(name, known); near != "" {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	return msg
}

// findRequired finds where ${name:?...} or ${name?...} is written.
func (r *composeReader) findRequired(name string) (sources.Position, bool) {
	re := requiredRE(name)
	for _, f := range r.files {
		if loc := re.FindIndex(f.y.data); loc != nil {
			return f.y.offsetPos(loc[0]), true
		}
	}
	return sources.Position{}, false
}

// findPath finds the deepest node of a dotted path (services, worker,
// environment, 0) in the files, the last file that has it winning.
func (r *composeReader) findPath(keys []string) (sources.Position, bool) {
	best, depth := sources.Position{}, 0
	for _, f := range r.files {
		for _, doc := range f.y.docs {
			n, d, at := deref(doc), 0, (*yaml.Node)(nil)
			for _, k := range keys {
				var kn, vn *yaml.Node
				if i, err := strconv.Atoi(k); err == nil && deref(n) != nil && deref(n).Kind == yaml.SequenceNode {
					if s := deref(n).Content; i >= 0 && i < len(s) {
						kn, vn = s[i], s[i]
					}
				} else {
					kn, vn = get(n, k)
				}
				if kn == nil {
					break
				}
				n, at, d = vn, kn, d+1
			}
			if at != nil && d >= depth {
				best, depth = f.y.pos(at), d
			}
		}
	}
	return best, depth > 0
}

// composeService is one service (or job) of the project.
type composeService struct {
	kind, name string
	spec       *types.ContainerSpec
}

// serviceOrder lists the project's services in the order the files
// write them.
func (r *composeReader) serviceOrder(p *types.Project) []composeService {
	var out []composeService
	seen := map[string]bool{}
	add := func(kind, name string) {
		if seen[kind+"\x00"+name] {
			return
		}
		switch kind {
		case "services":
			if s, ok := p.Services[name]; ok {
				seen[kind+"\x00"+name] = true
				out = append(out, composeService{kind, name, &s.ContainerSpec})
			}
		case "jobs":
			if j, ok := p.Jobs[name]; ok {
				seen[kind+"\x00"+name] = true
				out = append(out, composeService{kind, name, &j.ContainerSpec})
			}
		}
	}
	for _, kind := range []string{"services", "jobs"} {
		for _, f := range r.files {
			for _, doc := range f.y.docs {
				for _, s := range pairs(val(deref(doc), kind)) {
					add(kind, s.key.Value)
				}
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Services)) {
		add("services", name)
	}
	for _, name := range slices.Sorted(maps.Keys(p.Jobs)) {
		add("jobs", name)
	}
	return out
}

// serviceNode is one place a service is written: in a file given, an
// included one, or as the base of an extends.
type serviceNode struct {
	f        *composeFile
	key, val *yaml.Node
	own      bool // the service's own, not a service it extends
}

// serviceNodes returns the places service name of kind is written, in
// the order compose-go merges them: what it extends first, then the
// included files, then the files given in order.
func (r *composeReader) serviceNodes(kind, name string) []serviceNode {
	var out []serviceNode
	var included, given []*composeFile
	for _, f := range r.files {
		if f.given {
			given = append(given, f)
		} else {
			included = append(included, f)
		}
	}
	for _, f := range append(included, given...) {
		for _, doc := range f.y.docs {
			k, v := get(val(deref(doc), kind), name)
			if k != nil {
				out = append(out, r.extended(f, kind, name, v, 0)...)
				out = append(out, serviceNode{f, k, deref(v), true})
			}
		}
	}
	return out
}

// extended returns the nodes of the service that service node v extends,
// itself first extending another, if it does.
func (r *composeReader) extended(f *composeFile, kind, name string, v *yaml.Node, depth int) []serviceNode {
	ext := val(v, "extends")
	if ext == nil || depth > maxIncludeDepth {
		return nil
	}
	base, ok := str(ext)
	file := f
	if !ok {
		base, _ = str(val(ext, "service"))
		if p, ok := str(val(ext, "file")); ok {
			p, _ = r.substitute(f, p)
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(f.abs), p)
			}
			file = nil
			for _, g := range r.files {
				if g.abs == p {
					file = g
				}
			}
		}
	}
	if file == nil || base == "" || (file == f && base == name && depth == 0) {
		return nil
	}
	var out []serviceNode
	for _, doc := range file.y.docs {
		k, bv := get(val(deref(doc), kind), base)
		if k != nil {
			out = append(out, r.extended(file, kind, base, bv, depth+1)...)
			out = append(out, serviceNode{file, k, deref(bv), false})
		}
	}
	return out
}

// container reads one service.
func (r *composeReader) container(kind, name string, spec *types.ContainerSpec) (*Container, error) {
	nodes := r.serviceNodes(kind, name)
	c := &Container{Name: name, What: strings.TrimSuffix(kind, "s"), Host: name, Image: spec.Image}
	switch mode := spec.NetworkMode; {
	case mode == "host":
		c.Network = mode
	case strings.HasPrefix(mode, "service:"), strings.HasPrefix(mode, "container:"):
		c.Network = mode // container:NAME made service:NAME by ReadCompose when a service is named so
	}
	if kind == "jobs" {
		c.Host = ""
	}
	for _, n := range nodes {
		if n.own {
			c.Pos = n.f.y.pos(n.key)
			break
		}
	}
	if spec.Image != "" {
		at := c.Pos
		if f, n := lastValue(nodes, "image"); n != nil {
			at = f.y.textPos(n)
		}
		c.Release = ReleaseFromImage(spec.Image, at)
	}
	c.Command = append(slices.Clone([]string(spec.Entrypoint)), spec.Command...)
	ef, ep := lastValue(nodes, "entrypoint")
	cf, cmd := lastValue(nodes, "command")
	switch {
	case ef != nil && ef == cf:
		c.Notes = append(c.Notes, commandNotes(ef.y, &r.lim, ep, cmd)...)
	case ef != nil || cf != nil:
		if ef != nil {
			c.Notes = append(c.Notes, commandNotes(ef.y, &r.lim, ep, nil)...)
		}
		if cf != nil {
			c.Notes = append(c.Notes, commandNotes(cf.y, &r.lim, nil, cmd)...)
		}
	}
	fromFiles, err := r.envFileVars(nodes, spec)
	if err != nil {
		return nil, err
	}
	c.Vars = append(fromFiles, r.environmentVars(nodes, spec, c.Pos)...)
	prefect := false
	for _, v := range c.Vars {
		prefect = prefect || strings.HasPrefix(v.Name, "PREFECT_")
	}
	c.Role = RoleOf(spec.Image, c.Command, prefect)
	c.Mounts = r.mounts(nodes, spec)
	for _, s := range spec.Secrets {
		c.Secrets = append(c.Secrets, s.Source)
	}
	return c, nil
}

// lastValue returns the last of the service's nodes that writes key, and
// the value written there.
func lastValue(nodes []serviceNode, key string) (*composeFile, *yaml.Node) {
	for i := len(nodes) - 1; i >= 0; i-- {
		if k, v := get(nodes[i].val, key); k != nil {
			return nodes[i].f, deref(v)
		}
	}
	return nil, nil
}

// envEntry is one entry of an environment section as written.
type envEntry struct {
	f    *composeFile
	name string
	key  *yaml.Node // the key, or the list item NAME=value
	val  *yaml.Node // the value node; the item itself in a list; nil for null
	list bool
}

// environmentEntries returns the environment entries written for a
// service, in merge order, applying !reset and !override as compose-go
// does.
func environmentEntries(nodes []serviceNode) []envEntry {
	var out []envEntry
	for _, sn := range nodes {
		_, env := get(sn.val, "environment")
		if env == nil {
			continue
		}
		switch env.Tag {
		case "!reset":
			out = nil
			continue
		case "!override":
			out = nil
		}
		env = deref(env)
		switch env.Kind {
		case yaml.MappingNode:
			for _, p := range pairs(env) {
				v := p.val
				if isNull(v) {
					v = nil
				}
				out = append(out, envEntry{f: sn.f, name: p.key.Value, key: p.key, val: v})
			}
		case yaml.SequenceNode:
			for _, it := range env.Content {
				item := deref(it)
				s, ok := str(item)
				if !ok {
					continue
				}
				name, _, _ := strings.Cut(s, "=")
				out = append(out, envEntry{f: sn.f, name: name, key: item, val: item, list: true})
			}
		}
	}
	return out
}

// environmentVars returns a service's environment section as Vars.
func (r *composeReader) environmentVars(nodes []serviceNode, spec *types.ContainerSpec, at sources.Position) []Var {
	final := spec.Environment
	var out []Var
	last := map[string]int{}
	for _, e := range environmentEntries(nodes) {
		if _, ok := final[e.name]; !ok {
			continue // removed by !reset, or a name compose-go rejects
		}
		v := Var{Name: e.name, Pos: e.f.y.textPos(e.key), Via: "environment"}
		var raw *string
		if e.list {
			if _, s, ok := strings.Cut(e.val.Value, "="); ok {
				raw = &s
			}
		} else if e.val != nil {
			s := e.val.Value
			raw = &s
		}
		env := r.envOf(e.f)
		switch {
		case raw == nil:
			// NAME alone: the value of NAME where docker compose runs.
			ref := Ref{Name: e.name, Pos: v.Pos}
			if s, ok := env[e.name]; ok {
				ref.Set, v.Value = true, s
			} else {
				v.Deferred = "the environment docker compose runs in (" + e.name + " is unset here)"
			}
			v.Refs = []Ref{ref}
		default:
			whole, skip := *raw, 0
			if e.list {
				whole, skip = e.val.Value, len(e.name)+1
			}
			value, err := r.substitute(e.f, whole)
			if err != nil {
				value = whole
			}
			if e.list {
				_, value, _ = strings.Cut(value, "=")
			} else if e.val.Kind == yaml.ScalarNode && e.val.Tag != "!!str" {
				value = yamlScalarString(e.val, value)
			}
			v.Value = value
			v.ValuePos = e.f.y.scalarPos(e.val, skip)
			for _, ref := range refs(env, whole, 0) {
				v.Refs = append(v.Refs, Ref{Name: ref.name, Pos: e.f.y.scalarPos(e.val, ref.at), Set: ref.set, Default: ref.deflt})
			}
			v.Literal = len(v.Refs) == 0
		}
		last[e.name] = len(out)
		out = append(out, v)
	}
	// The entry in force takes the value compose-go resolved.
	for name, s := range final {
		i, ok := last[name]
		if !ok {
			v := Var{Name: name, Pos: at, Via: "environment"}
			if s != nil {
				v.Value = *s
			} else if s, ok := r.env[name]; ok {
				v.Value = s
			} else {
				v.Deferred = "the environment docker compose runs in (" + name + " is unset here)"
			}
			out = append(out, v)
			continue
		}
		if s != nil && out[i].Deferred == "" {
			out[i].Value = *s
		}
	}
	return out
}

// yamlScalarString renders a scalar that is not a string as compose-go
// does (it decodes YAML and prints the value: 1.0 is "1", yes is "yes").
func yamlScalarString(n *yaml.Node, interpolated string) string {
	var v any
	c := *n
	c.Value = interpolated
	if err := c.Decode(&v); err != nil || v == nil {
		return interpolated
	}
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// composeRef is one ${VAR} or $VAR of a value.
type composeRef struct {
	name       string
	at         int // byte offset of its $ in the value
	set, deflt bool
}

var composeGroup = func() map[string]int {
	g := map[string]int{}
	for i, n := range template.DefaultPattern.SubexpNames() {
		g[n] = i
	}
	return g
}()

// refs returns the references of value s as Compose's interpolation
// reads them (template.DefaultPattern) with the variables of env, at
// offsets from base: $$ is no reference; a reference in a default is one
// only when the default is used.
func refs(env map[string]string, s string, base int) []composeRef {
	var out []composeRef
	for at := 0; at < len(s) && len(out) < 1000; {
		loc := template.DefaultPattern.FindStringIndex(s[at:])
		if loc == nil {
			break
		}
		start := at + loc[0]
		m := s[start : at+loc[1]]
		if c := closingBrace(m); c >= 0 {
			m = m[:c+1]
		}
		at = start + len(m)
		g := template.DefaultPattern.FindStringSubmatch(m)
		if g == nil {
			continue
		}
		if name := g[composeGroup["named"]]; name != "" {
			_, set := env[name]
			out = append(out, composeRef{name: name, at: base + start, set: set})
			continue
		}
		braced := g[composeGroup["braced"]]
		if braced == "" {
			continue
		}
		name, op, arg := splitSubstitution(braced)
		v, set := env[name]
		ref := composeRef{name: name, at: base + start, set: set}
		used := false
		switch op {
		case ":-":
			used = !set || v == ""
			ref.deflt = used
		case "-":
			used = !set
			ref.deflt = used
		case ":+":
			used = set && v != ""
		case "+":
			used = set
		}
		out = append(out, ref)
		if used && arg != "" {
			out = append(out, refs(env, arg, base+start+len("${")+len(name)+len(op))...)
		}
	}
	return out
}

// closingBrace is the index of the brace closing the ${ that s starts
// with, as compose-go's template package finds it; -1 for none.
func closingBrace(s string) int {
	open := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '}':
			if open--; open == 0 {
				return i
			}
		case '{':
			open++
			i++
		}
	}
	return -1
}

// splitSubstitution splits the inside of ${...} into the variable, the
// operator that comes first (:?, ?, :-, -, :+, +) and its argument.
func splitSubstitution(s string) (name, op, arg string) {
	best := -1
	for _, o := range []string{":?", "?", ":-", "-", ":+", "+"} {
		if i := strings.Index(s, o); i >= 0 && (best < 0 || i < best) {
			best, op = i, o
		}
	}
	if best < 0 {
		return s, "", ""
	}
	return s[:best], op, s[best+len(op):]
}

// envFileVars reads a service's env_file files, in order, as compose-go
// does.
func (r *composeReader) envFileVars(nodes []serviceNode, spec *types.ContainerSpec) ([]Var, error) {
	var out []Var
	merged := map[string]string{}
	for _, ef := range spec.EnvFiles {
		p := r.display(ef.Path)
		at := r.envFileEntry(nodes, ef.Path)
		data, err := r.readFile(p)
		if err != nil {
			if isAbsent(err) && !bool(ef.Required) {
				continue
			}
			return nil, referenceError(at, p, err)
		}
		cur := map[string]string{}
		lookup := func(k string) (string, bool) {
			if v, ok := r.env[k]; ok {
				return v, true
			}
			if v, ok := spec.Environment[k]; ok && v != nil {
				return *v, true
			}
			if v, ok := cur[k]; ok {
				return v, true
			}
			v, ok := merged[k]
			return v, ok
		}
		if err := r.parseEnvFile(p, data, ef.Format, cur, lookup); err != nil {
			var se *sources.SyntaxError
			if ef.Format != "" && ef.Format != dotenv.DotEnv && errors.As(err, &se) && se.Pos.Line == 0 {
				se.Pos = at // an unknown format: the env_file entry is at fault
			}
			return nil, err
		}
		for _, name := range slices.Sorted(maps.Keys(cur)) {
			merged[name] = cur[name]
		}
		if r.nEnvFile += len(cur); r.nEnvFile > maxComposeVars {
			return nil, tooManyComposeVars(at)
		}
		out = append(out, envFileEntries(p, data, cur)...)
	}
	return out, nil
}

// envFileEntry finds the env_file entry of a service that names the file
// at abs; the service's env_file key when none does.
func (r *composeReader) envFileEntry(nodes []serviceNode, abs string) sources.Position {
	var at sources.Position
	for _, sn := range nodes {
		k, v := get(sn.val, "env_file")
		if k == nil {
			continue
		}
		at = sn.f.y.pos(k)
		for _, n := range append(scalarsOf(deref(v)), envFilePaths(deref(v))...) {
			p, _ := r.substitute(sn.f, n.Value)
			if !filepath.IsAbs(p) {
				p = filepath.Join(r.absDir, p)
			}
			if filepath.Clean(p) == filepath.Clean(abs) {
				at = sn.f.y.pos(n)
			}
		}
	}
	return at
}

// envFilePaths returns the path nodes of the long syntax of env_file.
func envFilePaths(n *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	for _, it := range items(n) {
		if p := val(it, "path"); p != nil && p.Kind == yaml.ScalarNode {
			out = append(out, p)
		}
	}
	return out
}

// envFileEntries positions the variables an env_file sets (vars, as
// compose-go's parser read them) where the file writes them, in the
// order written. The positions come from python-dotenv's grammar, which
// agrees with compose-go's on where a binding's key is; a key it does not
// find is placed at the start of the line that names it, or of the file.
func envFileEntries(p string, data []byte, vars map[string]string) []Var {
	entries, _ := sources.ParseDotEnv(data, func(string) (string, bool) { return "", false })
	lastAt := map[string]sources.DotEnvEntry{}
	for _, e := range entries {
		lastAt[e.Key] = e
	}
	y := &yamlFile{path: p, data: data}
	var out []Var
	for name, value := range vars {
		v := Var{Name: name, Value: value, Via: "env_file", Pos: sources.Position{File: p}}
		if e, ok := lastAt[name]; ok {
			v.Pos.Line, v.Pos.Column = e.Line, e.Column
			v.ValuePos = dotenvValuePos(y, e)
		} else if loc := regexp.MustCompile(`(?m)^[ \t]*(?:export[ \t]+)?` + regexp.QuoteMeta(name) + `[ \t]*[=:]`).FindIndex(data); loc != nil {
			v.Pos = y.offsetPos(loc[0])
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Var) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// dotenvValuePos is where the value of binding e starts: after its = and
// the blanks that follow.
func dotenvValuePos(y *yamlFile, e sources.DotEnvEntry) sources.Position {
	y.indexLines()
	if e.Line < 1 || e.Line > len(y.lines) {
		return sources.Position{}
	}
	line := y.data[y.lines[e.Line-1]:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	eq := bytes.IndexByte(line, '=')
	if eq < 0 {
		return sources.Position{}
	}
	i := eq + 1
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return y.offsetPos(y.lines[e.Line-1] + i)
}

// workdirFiles are the files Prefect reads from its working directory.
var workdirFiles = []string{".env", "prefect.toml", "pyproject.toml"}

// mounts returns the bind mounts that put a settings file where Prefect in
// the container reads it: .env, prefect.toml or pyproject.toml into the
// working directory, a profiles.toml anywhere (PREFECT_HOME, or where
// PREFECT_PROFILES_PATH points), a directory as the working directory.
// Without working_dir the image's is unknown, and every file of those
// names counts.
func (r *composeReader) mounts(nodes []serviceNode, spec *types.ContainerSpec) []Mount {
	var out []Mount
	wd := path.Clean(spec.WorkingDir)
	for _, v := range spec.Volumes {
		if v.Type != types.VolumeTypeBind || v.Target == "" {
			continue
		}
		target := path.Clean(v.Target)
		base := path.Base(target)
		ok := base == "profiles.toml" ||
			slices.Contains(workdirFiles, base) && (spec.WorkingDir == "" || path.Dir(target) == wd) ||
			spec.WorkingDir != "" && target == wd
		if !ok {
			continue
		}
		m := Mount{Host: v.Source, Container: v.Target}
		if rel, err := filepath.Rel(r.absDir, v.Source); err == nil && filepath.IsAbs(v.Source) {
			m.Host = rel
		}
		for _, sn := range nodes {
			for _, it := range items(val(sn.val, "volumes")) {
				s, _ := str(it)
				if t, _ := str(val(it, "target")); strings.Contains(s, ":"+v.Target) || t == v.Target {
					m.Pos = sn.f.y.pos(it)
				}
			}
		}
		out = append(out, m)
	}
	return out
}
