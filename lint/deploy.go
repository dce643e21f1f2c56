// The deployment files: Compose files, Kubernetes manifests, values of
// Prefect's Helm charts, Dockerfiles, scripts, CI workflows and
// prefect.yaml. Package deploy reads each into the containers it
// describes, every variable where it is written; lint checks every
// container alike (container.go), and what the containers of one file get
// wrong together (stack.go). Nothing here tells one kind of file from
// another: a new kind is a reader and its row in deploy.Kinds.

package lint

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/strata-settings/strata/deploy"
	"github.com/strata-settings/strata/sources"
)

// deployCandidate reports, from its name alone, whether the file at path
// may be a deployment file: a directory search reads the candidates, and
// their content tells the rest (a YAML file is a Kubernetes manifest when
// it has apiVersion and kind).
func deployCandidate(path string) bool { return deploy.Candidate(filepath.ToSlash(path)) }

// splitDeploy separates the deployment files from the settings files.
func splitDeploy(ts []target) (settingsFiles, deployFiles []target) {
	for _, t := range ts {
		if t.kind == kindDeploy {
			deployFiles = append(deployFiles, t)
		} else {
			settingsFiles = append(settingsFiles, t)
		}
	}
	return settingsFiles, deployFiles
}

// headSize is how much of a file too large to read is read to tell its
// kind.
const headSize = 64 << 10

// lintDeploy reads the deployment files of ts as the tools that use them
// read them together (deploy.ReadAll) and checks what they describe. A
// file searched for that is of no kind is passed over; one named is a
// *PathError, unless Options.SkipUnknown.
func (l *linter) lintDeploy(ts []target) error {
	if len(ts) == 0 {
		return nil
	}
	paths := &deployPaths{dir: l.opts.Dir, shown: map[string]string{}}
	l.paths = paths
	var ins []*deploy.Input
	named := map[string]bool{}
	for _, t := range ts {
		in := l.deployInput(t)
		if in == nil {
			continue
		}
		paths.shown[in.Path] = t.path
		named[in.Path] = !t.walked
		ins = append(ins, in)
	}
	required := map[string][]string{}
	for _, in := range ins {
		l.texts[filepath.Clean(paths.show(in.Path))] = fileText{data: in.Data, kind: kindDeploy}
		if !l.opts.Env {
			required[in.Path] = standInRequired(in)
		}
	}
	for _, r := range readDirs(ins) {
		if errors.Is(r.Err, deploy.ErrNotDeployment) {
			if p := r.Paths[0]; named[p] && !l.opts.SkipUnknown {
				return &PathError{Path: paths.show(p), Err: deploy.ErrNotDeployment}
			}
			continue // no deployment file: not linted
		}
		for _, p := range r.Paths {
			l.linted[filepath.Clean(paths.show(p))] = true
		}
		if r.Err != nil {
			l.deployError(paths.relocateError(r.Err))
		}
		if r.File == nil {
			continue
		}
		paths.relocate(r.File)
		unset := map[string]bool{}
		for _, p := range r.Paths {
			for _, name := range required[p] {
				unset[name] = true
			}
		}
		l.checkFile(r.File, unset)
	}
	return nil
}

// readDirs reads the files of each directory with readAll, directories
// side by side (what a directory's files say depends on them alone:
// Compose overrides and manifests are read with the files beside them),
// and returns the results in the order of the files.
func readDirs(ins []*deploy.Input) []deploy.Result {
	var dirs [][]*deploy.Input
	at := map[string]int{}
	for _, in := range ins {
		d := filepath.Dir(in.Path)
		if in.Path == "-" {
			d = "-"
		}
		i, ok := at[d]
		if !ok {
			i = len(dirs)
			at[d] = i
			dirs = append(dirs, nil)
		}
		dirs[i] = append(dirs[i], in)
	}
	out := make([][]deploy.Result, len(dirs))
	var next atomic.Int64
	work := func() {
		for i := int(next.Add(1) - 1); i < len(dirs); i = int(next.Add(1) - 1) {
			out[i] = readAll(dirs[i])
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(dirs)) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	return slices.Concat(out...)
}

// readAll is deploy.ReadAll, which no input should make panic; if one
// does, each file is read alone, and the one that panics is reported.
func readAll(ins []*deploy.Input) (out []deploy.Result) {
	defer func() {
		if recover() == nil {
			return
		}
		out = nil
		for _, in := range ins {
			func() {
				defer func() {
					if r := recover(); r != nil {
						out = append(out, deploy.Result{Paths: []string{in.Path},
							Err: &sources.SyntaxError{Pos: sources.Position{File: in.Path}, Msg: fmt.Sprintf("could not be read: the reader failed (%v)", r)}})
					}
				}()
				out = append(out, deploy.ReadAll([]*deploy.Input{in})...)
			}()
		}
	}()
	return deploy.ReadAll(ins)
}

// deployInput reads the file of t, or reports why it cannot be read and
// returns nil. What a search found and cannot read (a FIFO, a file too
// large) is reported only when its name or its first bytes say it is a
// deployment file.
func (l *linter) deployInput(t target) *deploy.Input {
	in := &deploy.Input{Path: t.path, Dir: filepath.Dir(t.path)}
	if l.opts.Env {
		in.Environ = l.opts.Environ // what Compose interpolates ${VAR} from, beside the project's .env
	}
	if t.path == "-" {
		in.Dir = l.abs(".")
		if l.opts.Stdin != nil {
			data, err := io.ReadAll(io.LimitReader(l.opts.Stdin, deploy.MaxManifestSize+1))
			if err != nil {
				l.report(RuleSyntax, sources.Position{File: "-"}, "", "", "the standard input could not be read: %v", err)
				return nil
			}
			if len(data) > deploy.MaxManifestSize {
				l.report(RuleSyntax, sources.Position{File: "-"}, "", "", "more than %d MiB on the standard input: no deployment file needs that much", deploy.MaxManifestSize>>20)
				return nil
			}
			in.Data = data
		}
		return in
	}
	if l.opts.Dir != "" && !filepath.IsAbs(t.path) {
		in.Path = filepath.Join(l.opts.Dir, t.path)
		in.Dir = filepath.Dir(in.Path)
	}
	data, err := sources.ReadFileMax(in.Path, deploy.MaxManifestSize)
	if err == nil {
		in.Data = data
		return in
	}
	if t.walked && (errors.Is(err, syscall.EISDIR) || !deploy.Claims(filepath.ToSlash(in.Path), head(in.Path))) {
		return nil // no deployment file, as far as can be told
	}
	var fe *sources.FileError
	var re *sources.ReadError
	switch pos := (sources.Position{File: t.path}); {
	case errors.As(err, &fe):
		msg := fe.Msg
		if strings.HasSuffix(msg, "MiB") {
			msg += ": no deployment file needs that much"
		}
		l.report(RuleSyntax, pos, "", "", "%s", msg)
	case errors.As(err, &re):
		l.report(RuleSyntax, pos, "", "", "%s", re.Reason())
	default:
		l.report(RuleSyntax, pos, "", "", "could not be read: %v", err)
	}
	return nil
}

// requiredRE matches a reference to a variable that must be set:
// ${VAR:?message} or ${VAR?message}.
var requiredRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*):?\?`)

// standInRequired gives every variable a ${VAR:?} of in requires a
// stand-in value in the environment it is read with, and returns their
// names: without the environment, that one is unset here says nothing of
// where the file is deployed, and a reader (Compose's) would refuse the
// whole file.
func standInRequired(in *deploy.Input) []string {
	var names []string
	for _, m := range requiredRE.FindAllSubmatch(in.Data, 1000) {
		name := string(m[1])
		if !slices.Contains(names, name) {
			names = append(names, name)
			in.Environ = append(in.Environ, name+"="+deferredStandIn(name))
		}
	}
	return names
}

// head returns the first bytes of the regular file at path, nil when it
// cannot be opened as one.
func head(path string) []byte {
	f, err := sources.OpenRegular(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	b := make([]byte, headSize)
	n, _ := io.ReadFull(f, b)
	return b[:n]
}

// deployError reports an error of a deployment file's reader, at the
// place it names.
func (l *linter) deployError(err error) {
	var se *sources.SyntaxError
	var fe *sources.FileError
	var re *sources.ReadError
	switch {
	case errors.As(err, &se):
		l.report(RuleSyntax, se.Pos, "", "", "%s", se.Msg)
	case errors.As(err, &fe):
		msg := fe.Msg
		if strings.HasSuffix(msg, "MiB") {
			msg += ": no deployment file needs that much"
		}
		l.report(RuleSyntax, fe.Pos, "", "", "%s", msg)
	case errors.As(err, &re):
		l.report(RuleSyntax, sources.Position{File: re.File}, "", "", "%s", re.Reason())
	default:
		l.report(RuleSyntax, sources.Position{}, "", "", "%v", err)
	}
}

// note reports a reader's note as a finding of the rule of the same id.
func (l *linter) note(n deploy.Note) {
	if n.Arg != nil {
		l.secretPassed(n)
		return
	}
	if _, ok := LookupRule(n.Code); ok {
		l.report(n.Code, n.Pos, n.Setting, "", "%s", n.Message)
		return
	}
	l.reportAs(Info, RuleUnread, n.Pos, n.Setting, "", "%s", n.Message) // a note of a reader newer than its rule
}

// deployPaths maps the paths the readers are given (joined to Options.Dir
// when it is set, for compose-go reads what a Compose file includes from
// where the file is) to the paths findings show.
type deployPaths struct {
	dir   string            // Options.Dir
	shown map[string]string // the files given, by path read
}

// show returns the path findings show for p.
func (m *deployPaths) show(p string) string {
	if s, ok := m.shown[p]; ok {
		return s
	}
	if m.dir == "" || p == "" || p == "-" {
		return p
	}
	if rel, err := filepath.Rel(m.dir, p); err == nil && (filepath.IsAbs(p) == filepath.IsAbs(m.dir)) {
		return rel
	}
	return p
}

var positionType = reflect.TypeFor[sources.Position]()

// relocate rewrites every position of f, wherever the readers put one,
// to the path findings show.
func (m *deployPaths) relocate(f *deploy.File) {
	if m.dir == "" {
		return
	}
	f.Path = m.show(f.Path)
	m.walk(reflect.ValueOf(f).Elem(), 0)
}

func (m *deployPaths) walk(v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == positionType {
			if p := v.FieldByName("File"); p.CanSet() {
				p.SetString(m.show(p.String()))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				m.walk(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			m.walk(v.Index(i), depth+1)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			m.walk(v.Elem(), depth+1)
		}
	}
}

// relocateError rewrites the position of a reader's error, and the paths
// its message names, to the paths findings show.
func (m *deployPaths) relocateError(err error) error {
	if m.dir == "" {
		return err
	}
	msg := func(s string) string {
		prefix := m.dir + string(filepath.Separator)
		return strings.ReplaceAll(s, prefix, "")
	}
	var se *sources.SyntaxError
	var fe *sources.FileError
	var re *sources.ReadError
	switch {
	case errors.As(err, &se):
		c := *se
		c.Pos.File, c.Msg = m.show(c.Pos.File), msg(c.Msg)
		return &c
	case errors.As(err, &fe):
		c := *fe
		c.Pos.File, c.Msg = m.show(c.Pos.File), msg(c.Msg)
		return &c
	case errors.As(err, &re):
		c := *re
		c.File = m.show(c.File)
		return &c
	}
	return err
}
