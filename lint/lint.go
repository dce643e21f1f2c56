package lint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/strata-settings/strata/deploy"
	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// Options say what to lint. The zero value lints the current directory's
// tree against an empty environment; nothing is read from the process.
type Options struct {
	// Paths are the files and directories to lint, relative to Dir.
	// Directories are searched recursively (skipping .git, node_modules,
	// vendor, caches and virtualenvs) for prefect.toml, pyproject.toml, profiles.toml, .env,
	// .env.* and *.env files and .env templates (all read as .env, though
	// Prefect reads only .env), and for the deployment files of every kind
	// deploy.Kinds reads. A named file of no kind lint reads is a
	// *PathError; "-" is a manifest stream read from Stdin. Empty means
	// Dir and the active profiles file.
	Paths []string
	// Dir is the working directory: where relative paths start, and whose
	// .env, prefect.toml and pyproject.toml locate the profiles file.
	// Empty means the process's, through relative paths.
	Dir string
	// Env also lints the PREFECT_* variables of Environ.
	Env bool
	// Environ is the environment as NAME=VALUE strings. It selects the
	// profile (PREFECT_PROFILE) and locates the profiles file
	// (PREFECT_PROFILES_PATH, PREFECT_HOME) whether or not Env is set.
	Environ []string
	// Home is the user's home directory, where ~/.prefect/profiles.toml is.
	Home string
	// Profile selects the profile as Prefect's --profile flag does.
	Profile string
	// Disabled are rule ids to leave out; an entry may hold several,
	// separated by commas.
	Disabled []string
	// PrefectVersion and PydanticSettingsVersion select the release the
	// files are checked against, as settings.Options do. Empty means the
	// STRATA_ variables of Environ, else the project each file belongs to
	// (its directory's, else Dir's, virtualenv, lock files and pins), else
	// the newest.
	PrefectVersion, PydanticSettingsVersion string
	// Stdin is what the path "-" reads: a Kubernetes manifest stream
	// (helm template … | strata lint -). Nil reads nothing.
	Stdin io.Reader
	// SkipUnknown passes over a named file that is no file lint reads,
	// as a directory search does, instead of refusing it: for hooks that
	// hand lint every YAML file of a commit.
	SkipUnknown bool
	// AllReleases notes the release of every directory with files linted
	// (project-release), not only of those checked against another
	// release than Dir's: for machine outputs, which keep the record.
	AllReleases bool
}

// Run lints what opts name and returns every finding, sorted by file and
// position. The error is for options that cannot be followed: an unknown
// rule id or a path that cannot be read.
func Run(opts Options) ([]Finding, error) {
	l := &linter{opts: opts, env: map[string]string{}, disabled: map[string]bool{},
		dirs: map[string]*dirLayers{}, pathsSet: map[int]bool{}, linted: map[string]bool{}, movesProfiles: map[string]bool{},
		suggestions: map[suggestion]string{}, texts: map[string]fileText{}}
	for _, d := range opts.Disabled {
		for _, id := range strings.Split(d, ",") {
			if id = strings.TrimSpace(id); id == "" {
				continue
			}
			r, ok := LookupRule(id)
			if !ok {
				return nil, fmt.Errorf("unknown rule %q", id)
			}
			l.disabled[r.ID] = true
		}
	}
	for _, kv := range opts.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			l.env[k] = v
		}
	}
	if err := l.selectRelease(); err != nil {
		return nil, err
	}
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var targets []target
	for _, p := range paths {
		var err error
		if targets, err = l.collect(p, targets); err != nil {
			return nil, err
		}
	}
	targets, deployed := splitDeploy(targets)
	l.lintFiles(targets)
	if err := l.lintDeploy(deployed); err != nil {
		return nil, err
	}
	if len(opts.Paths) == 0 {
		l.dir(".")
		if p := l.profilesPath("."); p != "" && !l.linted[filepath.Clean(p)] {
			if _, err := os.Stat(l.abs(p)); err == nil { // lintFile refuses what is not a regular file
				l.lintFile(target{path: p, kind: kindProfiles})
			}
		}
	}
	if opts.Env {
		l.lintEnv()
	}
	// Each directory's resolution stands alone: they run side by side.
	parallel(len(l.dirOrder), func(i int) { l.inDir(l.dirOrder[i]) })
	l.selectedProfile()
	l.homePaths()
	l.releaseDotEnv()
	l.releaseNotes()
	all := l.sorted()
	l.recycle()
	return slices.CompactFunc(all, Finding.Equal), nil
}

// ErrNotSettingsFile is the error of a path named to lint that is no
// settings file.
var ErrNotSettingsFile = errors.New("not a settings file (prefect.toml, pyproject.toml, profiles.toml, *.toml, .env, .env.* or *.env) nor a deployment file (Compose, Kubernetes, Helm values...)")

// PathError is a path named to lint that cannot be linted: it does not
// exist, cannot be read, or is no settings file (ErrNotSettingsFile).
type PathError struct {
	Path string
	Err  error
}

// Error renders the path and the problem.
func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *PathError) Unwrap() error { return e.Err }

type fileKind uint8

const (
	kindPrefect fileKind = iota
	kindPyproject
	kindProfiles
	kindDotEnv
	kindDeploy // a deployment file of a kind package deploy reads (deploy.go)
)

type target struct {
	path   string // as shown in findings
	kind   fileKind
	walked bool // found by searching a directory, not named
}

// classify tells a settings file by its name; named says the user gave
// the file itself, so any .toml file is read as prefect.toml.
func classify(name string, named bool) (fileKind, bool) {
	switch {
	case name == "prefect.toml":
		return kindPrefect, true
	case name == "pyproject.toml":
		return kindPyproject, true
	case name == "profiles.toml":
		return kindProfiles, true
	case name == ".env" || strings.HasPrefix(name, ".env.") || strings.HasSuffix(name, ".env"):
		return kindDotEnv, true // .env.local, .env.example, prod.env: .env content, though Prefect reads only .env
	case named && strings.HasSuffix(name, ".toml"):
		return kindPrefect, true
	case deploy.IsDotEnvTemplate(name):
		return kindDotEnv, true // env.example, .env-example, prod.env.example: templates of .env
	}
	return 0, false
}

// skipDirs are directories the walk never enters: version control, other
// tools' installed packages and caches. A virtualenv is skipped too (walk).
var skipDirs = map[string]bool{
	".git": true, "node_modules": true, "vendor": true, "site-packages": true,
	"__pycache__": true, ".tox": true, ".nox": true, ".mypy_cache": true,
}

// collect adds the settings files at p, a file or a directory. A
// directory named through a symbolic link is searched as the directory it
// links to; below it, links to directories are not followed. What the
// search cannot read (a directory without permission, a path longer than
// the system allows) is reported and skipped: the rest is linted.
func (l *linter) collect(p string, out []target) ([]target, error) {
	if p == "-" {
		return append(out, target{path: p, kind: kindDeploy}), nil
	}
	root := l.abs(p)
	st, err := os.Stat(root)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return out, &PathError{Path: p, Err: err}
	}
	if !st.IsDir() {
		kind, ok := classify(filepath.Base(p), true)
		if !ok && deployCandidate(root) {
			kind, ok = kindDeploy, true
		}
		if !ok {
			if l.opts.SkipUnknown {
				return out, nil
			}
			return out, &PathError{Path: p, Err: ErrNotSettingsFile}
		}
		return append(out, target{path: p, kind: kind}), nil
	}
	walkRoot := root
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		walkRoot = resolved
	}
	return l.walk(walkRoot, p, out), nil
}

// walk adds the settings files of the directory at root, shown as shown,
// and of its subdirectories, sorted by path. A subdirectory that is a
// virtualenv (it holds pyvenv.cfg, whatever its name: .venv, venv, .env)
// or in skipDirs is not entered. The directories of each depth are read
// side by side.
func (l *linter) walk(root, shown string, out []target) []target {
	type dir struct {
		path, shown string
		entries     []fs.DirEntry
		err         error
	}
	start := len(out)
	level := []dir{{path: root, shown: shown}}
	for depth := 0; len(level) > 0; depth++ {
		parallel(len(level), func(i int) { level[i].entries, level[i].err = os.ReadDir(level[i].path) })
		var next []dir
		for _, d := range level {
			if d.err != nil {
				l.unreadable(d.shown, d.err)
				continue
			}
			names := make([]string, len(d.entries))
			for i, e := range d.entries {
				names[i] = e.Name()
			}
			l.list(d.shown, names)
			if depth > 0 && slices.ContainsFunc(d.entries, func(e fs.DirEntry) bool { return e.Name() == "pyvenv.cfg" }) {
				continue
			}
			for _, e := range d.entries {
				name := e.Name()
				if e.IsDir() {
					if !skipDirs[name] {
						next = append(next, dir{path: filepath.Join(d.path, name), shown: filepath.Join(d.shown, name)})
					}
					continue
				}
				// A FIFO or device named like a settings file is linted
				// too: lintFile refuses it, without blocking on it.
				if kind, ok := classify(name, false); ok {
					out = append(out, target{path: filepath.Join(d.shown, name), kind: kind, walked: true})
				} else if deployCandidate(filepath.Join(d.path, name)) {
					out = append(out, target{path: filepath.Join(d.shown, name), kind: kindDeploy, walked: true})
				}
			}
		}
		level = next
	}
	slices.SortFunc(out[start:], func(a, b target) int { return strings.Compare(a.path, b.path) })
	return out
}

// unreadable reports a path the search could not read.
func (l *linter) unreadable(path string, err error) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	l.report(RuleUnreadable, sources.Position{File: path}, "", "",
		"%s could not be read (%v): its settings files, if any, were not checked", path, err)
}

// linter holds one run's state.
type linter struct {
	opts     Options
	env      map[string]string
	disabled map[string]bool
	findings []Finding             // the findings reported before the last flush
	pending  [][]Finding           // the findings reported since, in pieces of findingChunk
	linted   map[string]bool       // files linted, cleaned
	dirs     map[string]*dirLayers // the working-directory files of each directory
	dirOrder []string
	envLayer *sources.Layer
	homes    []homeValue // every PREFECT_HOME written
	// movesProfiles are the files that set the profiles file's path, with
	// the key Prefect's locator reads there.
	movesProfiles map[string]bool
	pathsSet      map[int]bool // settings written anywhere, by index

	suggestions map[suggestion]string
	leaks       leakState // what the secrets check learnt (secrets.go)
	// secretLines are the lines a credential was reported on, as file and
	// line (secretOnLine).
	secretLines map[sources.Position]bool
	texts       map[string]fileText // the files linted, by cleaned path, for fixes
	git         gitRepos            // the git repositories read (git.go)
	shared      shared              // what detection reads that lint reads too (reads.go)
	existing    struct {            // whether files exist, by path, asked once a run (exists)
		mu    sync.Mutex
		paths map[string]bool
	}

	release      *selected            // the release of the run (release.go)
	releases     map[string]*selected // the release of each directory, by absolute path
	projects     map[string]*selected // what each directory's project files say, by absolute path
	fileReleases map[string]*selected // the release of each file's directory, as the run names it (releaseFor)
	detectEnv    detectEnv            // the environment detection runs with, made once (release.go)

	// mu guards what the checks of files linted side by side share
	// (lintFiles): the findings and every field above that a check
	// writes. Nothing calls out while holding it.
	mu       sync.Mutex
	dirAbs   string // Dir, absolute
	dirClean bool   // Dir is absolute and clean: a path under it is Dir joined to it
	// absOf are the absolute paths of the files lintFiles lints, by path
	// as shown, made once: the checks of a file ask for it many times.
	absOf map[string]string

	// scope, while the variables of a deployment file's container are
	// checked, is the release that container runs (container.go).
	scope *selected
	// interpolated are the variables deployment files refer to: the
	// project's own, which the environment holds for them.
	interpolated map[string]bool
	paths        *deployPaths // how the deployment files read are shown
}

// homeValue is a PREFECT_HOME written, and the kind of source holding it.
type homeValue struct {
	sources.Value
	kind sources.Kind
}

// dirLayers are the files Prefect reads from one working directory.
type dirLayers struct {
	dotenv, prefect, pyproject *sources.Layer
}

// setLayer records a layer of directory d's files, as set sets it.
func (l *linter) setLayer(d string, set func(*dirLayers)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	set(l.dir(d))
}

// dir returns the files of directory d Prefect reads; during lintFiles,
// only under mu.
func (l *linter) dir(d string) *dirLayers {
	d = cleanPath(d)
	dl, ok := l.dirs[d]
	if !ok {
		dl = &dirLayers{}
		l.dirs[d] = dl
		l.dirOrder = append(l.dirOrder, d)
	}
	return dl
}

func (l *linter) abs(p string) string {
	if l.opts.Dir == "" || filepath.IsAbs(p) {
		return p
	}
	// Under a clean Dir, a clean path joins to the absolute path lintFiles
	// made already.
	if a, ok := l.absOf[p]; ok && l.dirClean && isClean(p) {
		return a
	}
	return joinPath(l.opts.Dir, p)
}

func (l *linter) lookup(name string) (string, bool) {
	v, ok := l.env[name]
	return v, ok
}

// report files a finding of rule with the rule's severity.
func (l *linter) report(rule string, pos sources.Position, setting, suggestion, format string, args ...any) {
	r, _ := LookupRule(rule)
	l.reportWith(more{}, r.Severity, rule, pos, setting, suggestion, format, args...)
}

func (l *linter) reportAs(sev Severity, rule string, pos sources.Position, setting, suggestion, format string, args ...any) {
	l.reportWith(more{}, sev, rule, pos, setting, suggestion, format, args...)
}

// more is what a finding says beyond report's arguments: the other places
// it involves and the edits that fix it.
type more struct {
	related []diag.Related
	fixes   []diag.Fix
	// own says fixes were made for this finding alone (renameFix): the
	// finding keeps them, masked in place, rather than a copy.
	own bool
}

// reportMore is report with the related places and fixes of m.
func (l *linter) reportMore(m more, rule string, pos sources.Position, setting, suggestion, format string, args ...any) {
	r, _ := LookupRule(rule)
	l.reportWith(m, r.Severity, rule, pos, setting, suggestion, format, args...)
}

func (l *linter) reportWith(m more, sev Severity, rule string, pos sources.Position, setting, suggestion, format string, args ...any) {
	if l.disabled[rule] {
		return
	}
	// Whatever a check quotes, a URL's password is masked as every
	// command masks it (schema.MaskURL); the renderers escape what could
	// forge a line (diag.Escape).
	f := Finding{Pos: pos, Severity: sev, Rule: rule, Setting: setting,
		Message: schema.MaskURL(fmt.Sprintf(format, args...)), Suggestion: schema.MaskURL(suggestion)}
	for _, r := range m.related {
		r.Message = schema.MaskURL(r.Message)
		f.Related = append(f.Related, r)
	}
	if m.own && len(m.fixes) > 0 {
		for i := range m.fixes {
			m.fixes[i].Message = schema.MaskURL(m.fixes[i].Message)
		}
		f.Fixes = m.fixes
	} else {
		for _, x := range m.fixes {
			x.Message = schema.MaskURL(x.Message)
			f.Fixes = append(f.Fixes, x)
		}
	}
	l.mu.Lock()
	if rule == RuleSecretInFile || rule == RuleSecretInImage {
		if l.secretLines == nil {
			l.secretLines = map[sources.Position]bool{}
		}
		l.secretLines[sources.Position{File: pos.File, Line: pos.Line}] = true
	}
	if n := len(l.pending); n == 0 || len(l.pending[n-1]) == cap(l.pending[n-1]) {
		l.pending = append(l.pending, newChunk())
	}
	last := &l.pending[len(l.pending)-1]
	*last = append(*last, f)
	l.mu.Unlock()
}

// findingChunk is how many findings one piece of pending holds: the
// findings of a run are kept in small pieces, never copied to grow, and
// copied once, sorted (sorted).
const findingChunk = 64

// findingChunks are pieces of pending that runs over left, cleared, for
// the runs to come: a run's findings are copied once, sorted, out of their
// pieces, which would otherwise be garbage the size of all its findings.
// They hold at most 64 pieces (0.75 MB).
var findingChunks = make(chan []Finding, 64)

// newChunk returns an empty piece of pending.
func newChunk() []Finding {
	select {
	case c := <-findingChunks:
		return c
	default:
		return make([]Finding, 0, findingChunk)
	}
}

// recycle keeps the pieces of pending, once their findings are copied,
// for the runs to come.
func (l *linter) recycle() {
	for _, c := range l.pending {
		clear(c) // no finding's strings kept alive through them
		select {
		case findingChunks <- c[:0]:
		default:
		}
	}
	l.pending = nil
}

// flush moves the pending findings to findings.
func (l *linter) flush() {
	n := 0
	for _, c := range l.pending {
		n += len(c)
	}
	l.findings = slices.Grow(l.findings, n)
	for _, c := range l.pending {
		l.findings = append(l.findings, c...)
	}
	l.recycle()
}

// sorted returns every finding, sorted as Sort sorts them: their places
// are sorted, and each finding copied once.
func (l *linter) sorted() []Finding {
	all := make([]*Finding, 0, len(l.findings)+len(l.pending)*findingChunk)
	for i := range l.findings {
		all = append(all, &l.findings[i])
	}
	for _, c := range l.pending {
		for i := range c {
			all = append(all, &c[i])
		}
	}
	slices.SortStableFunc(all, diag.ComparePtr)
	out := make([]Finding, len(all))
	for i, f := range all {
		out[i] = *f
	}
	return out
}

func (l *linter) lintFile(t target) {
	var prep prepared // on the stack: the checks keep nothing of it
	p := &prep
	l.prepare(t, p)
	if p.skip {
		return
	}
	clean := cleanPath(t.path)
	l.mu.Lock()
	l.linted[clean] = true
	if p.data != nil {
		f := fileText{data: p.data, kind: t.kind, dotenv: p.literal,
			valid: t.kind != kindDotEnv && (p.err == nil || !syntaxFatal(p.err))}
		if f.valid && p.layer != nil {
			f.set = p.layer.Values
		}
		l.texts[clean] = f
	}
	l.mu.Unlock()
	if p.data == nil {
		l.syntaxErrors(t.path, p.err)
		return
	}
	switch t.kind {
	case kindPrefect, kindPyproject:
		l.lintTOML(t, p)
	case kindProfiles:
		l.lintProfiles(t.path, p)
	case kindDotEnv:
		l.lintDotEnv(t.path, p)
	}
	putEntries(p.entries) // the checks are over: findings hold no entry
}

// syntaxErrors files a reader's errors; it reports whether the file could
// not be parsed at all.
func (l *linter) syntaxErrors(file string, err error) (fatal bool) {
	for _, e := range joined(err) {
		var se *sources.SyntaxError
		var ve *sources.ValueError
		var fe *sources.FileError
		var re *sources.ReadError
		switch {
		case errors.As(e, &fe):
			pos := fe.Pos
			pos.File = file
			l.report(RuleSyntax, pos, "", "", "%s", fe.Msg)
			fatal = true
		case errors.As(e, &re):
			l.report(RuleSyntax, sources.Position{File: file}, "", "", "%s %s", file, re.Reason())
			fatal = true
		case errors.Is(e, sources.ErrTOML11) && errors.As(e, &se):
			pos := se.Pos
			pos.File = file
			l.report(RuleTOML10, pos, "", "", "%s", strings.TrimPrefix(se.Msg, "invalid TOML: "))
		case errors.As(e, &se):
			pos := se.Pos
			pos.File = file
			var m more
			if se.First.IsValid() {
				first := se.First
				first.File = file
				m.related = []diag.Related{{Pos: first, Message: "first defined here"}}
			}
			l.reportMore(m, RuleSyntax, pos, "", "", "%s could not be read: %s", file, strings.TrimPrefix(se.Msg, "invalid TOML: "))
			fatal = true
		case errors.As(e, &ve):
			l.report(RuleInvalidValue, ve.Pos, ve.Setting, "", "%s: %s", ve.Setting, ve.Msg)
		default:
			l.report(RuleSyntax, sources.Position{File: file}, "", "", "%s could not be read: %v", file, e)
			fatal = true
		}
	}
	return fatal
}
