// The checks that depend on the Prefect release the project runs: settings
// that exist in another release than the selected one, and .env files the
// selected release ignores.

package lint

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/strata-settings/strata/detect"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// selected is the release the files of one directory are checked against,
// and where its versions came from.
type selected struct {
	rel      *release.Release
	versions settings.Versions
	// found says the directory's own project named the Prefect version
	// (its virtualenv, lock file or pin).
	found bool
	// unsupported is why the version found cannot be used (Prefect 2, a
	// malformed version): rel is then the newest release.
	unsupported error
	// venv says the version came from the active virtualenv.
	venv bool
}

// A file is checked against the release of the project it belongs to: the
// nearest directory, from its own up, whose virtualenv, lock file or pins
// name a Prefect version. The search goes up to the root of the git work
// tree holding the file, else to the working directory (Dir) when the file
// is under it, else no further than the file's own directory; when it
// finds nothing, the working directory's release applies. The active
// virtualenv ($VIRTUAL_ENV) belongs to the working directory's project, and
// to the project directory holding it: another project is checked against
// its own files, not against what happens to be installed in the shell.
// A version given (--prefect-version, STRATA_PREFECT_VERSION) applies to
// every file. Each directory is looked at once a run.

// selectRelease selects the release of the run: the one given, else the
// working directory's project's. Only a version given can be refused: a
// version detected that Strata does not support is a finding
// (unsupported-release), and that project's files are checked against the
// newest release.
func (l *linter) selectRelease() error {
	l.releases = map[string]*selected{}
	l.projects = map[string]*selected{}
	l.fileReleases = map[string]*selected{}
	l.dirAbs = absPath(l.opts.Dir)
	l.dirClean = filepath.IsAbs(l.opts.Dir) && isClean(l.opts.Dir)
	if l.opts.Dir == "" {
		l.dirAbs = absPath(".")
	}
	l.setDetectEnv()
	ps := l.opts.PydanticSettingsVersion
	if ps == "" {
		ps = l.env[settings.PydanticSettingsVersionEnv]
	}
	if _, _, err := release.Select("", ps); err != nil {
		return &ReleaseError{Err: err}
	}
	if l.given() {
		v := settings.Options{Environ: l.environ(true), Dir: l.dirAbs,
			PrefectVersion: l.opts.PrefectVersion, PydanticSettingsVersion: l.opts.PydanticSettingsVersion}.Versions()
		rel, _, err := v.Release()
		if err != nil {
			return &ReleaseError{Err: err}
		}
		l.release = &selected{rel: rel, versions: v}
		return nil
	}
	l.release = l.releaseOfDir(l.dirAbs)
	return nil
}

// ReleaseError is a Prefect or pydantic-settings version given
// (Options.PrefectVersion, STRATA_PREFECT_VERSION...) that selects no
// release Strata knows: malformed, or not supported.
type ReleaseError struct {
	Err error
}

// Error renders the problem.
func (e *ReleaseError) Error() string { return e.Err.Error() }

// Unwrap returns the problem.
func (e *ReleaseError) Unwrap() error { return e.Err }

// given reports whether the Prefect version was given rather than
// detected: by the options or by STRATA_PREFECT_VERSION.
func (l *linter) given() bool {
	return l.opts.PrefectVersion != "" || strings.TrimSpace(l.env[settings.PrefectVersionEnv]) != ""
}

// detectEnv is the environment detection runs with, the same for every
// directory of a run, so made once (selectRelease), before detection.
type detectEnv struct {
	withVenv, withoutVenv []string // the environment, with and without $VIRTUAL_ENV
	venv                  string   // $VIRTUAL_ENV, absolute and clean; "" for none
}

// setDetectEnv makes l.detectEnv.
func (l *linter) setDetectEnv() {
	e := detectEnv{withVenv: l.opts.Environ, withoutVenv: make([]string, 0, len(l.opts.Environ))}
	if e.withVenv == nil {
		e.withVenv = []string{} // an environment, though empty: not the process's
	}
	for _, kv := range l.opts.Environ {
		if !strings.HasPrefix(kv, "VIRTUAL_ENV=") {
			e.withoutVenv = append(e.withoutVenv, kv)
		}
	}
	if ve := l.env["VIRTUAL_ENV"]; ve != "" {
		if !filepath.IsAbs(ve) {
			ve = filepath.Join(l.dirAbs, ve)
		}
		e.venv = filepath.Clean(ve)
	}
	l.detectEnv = e
}

// environ is the environment detection runs with: without
// $VIRTUAL_ENV unless venv.
func (l *linter) environ(venv bool) []string {
	if venv {
		return l.detectEnv.withVenv
	}
	return l.detectEnv.withoutVenv
}

// projectIn returns what the project files of directory dir (absolute)
// say, read once.
func (l *linter) projectIn(dir string) *selected {
	s, ok := l.projects[dir]
	if !ok {
		s = l.detectProject(dir)
		l.projects[dir] = s
	}
	return s
}

// detectProject reads what the project files of directory dir (absolute)
// say. It changes nothing of the run, and may run beside itself.
func (l *linter) detectProject(dir string) *selected {
	venv, ve := false, l.detectEnv.venv
	if ve != "" {
		venv = dir == l.dirAbs || dir == filepath.Dir(ve)
	}
	run, _ := l.detectFuncs()
	v := settings.Options{Environ: l.environ(venv), Dir: dir, PydanticSettingsVersion: l.opts.PydanticSettingsVersion,
		Detect: run}.Versions()
	s := &selected{versions: v, found: v.Prefect.Source == settings.FromDetected}
	s.venv = s.found && venv && v.Prefect.Kind == detect.Virtualenv && within(v.Prefect.Pos.File, ve)
	rel, _, err := v.Release()
	if err != nil {
		s.unsupported = errors.Unwrap(err)
		if s.unsupported == nil {
			s.unsupported = err
		}
		if rel, _, err = release.Select("", v.PydanticSettings.Version); err != nil {
			rel = release.Default()
		}
	}
	s.rel = rel
	return s
}

// releaseOfDir returns the release the files of directory dir (absolute)
// are checked against.
func (l *linter) releaseOfDir(dir string) *selected {
	if l.given() {
		return l.release
	}
	if s, ok := l.releases[dir]; ok {
		return s
	}
	var walked []string
	s := l.projectIn(l.dirAbs) // the working directory's, when nothing is found
	for _, d := range l.searched(dir) {
		if c, ok := l.releases[d]; ok {
			s = c
			break
		}
		walked = append(walked, d)
		if p := l.projectIn(d); p.found {
			s = p
			break
		}
	}
	for _, d := range walked {
		l.releases[d] = s
	}
	return s
}

// searched lists the directories the release of dir (absolute) is searched
// in, nearest first: dir and its parents up to the root of the git work
// tree holding it, else up to Dir when dir is under it, else dir alone.
func (l *linter) searched(dir string) []string {
	stop := dir
	if r := l.git.repoOf(dir, l.opts.Home, l.env); r != nil {
		stop = r.root
	} else if within(dir, l.dirAbs) {
		stop = l.dirAbs
	}
	out := make([]string, 1, 4) // room for a project's usual depth below the root searched
	out[0] = dir
	for d := dir; d != stop && parentDir(d) != d; {
		d = parentDir(d)
		out = append(out, d)
	}
	return out
}

// within reports whether path is dir or under it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator)) || dir == string(filepath.Separator)
}

// releaseFor returns the release the file of pos is checked against; the
// run's for the environment.
func (l *linter) releaseFor(pos sources.Position) *selected {
	if l.scope != nil {
		return l.scope // a container's, while its variables are checked
	}
	if pos.File == "" {
		return l.release
	}
	// A clean path's directory is found without making the path
	// absolute, and its files share an entry; another path (rare: "./x")
	// has its own, which no clean directory's name equals.
	key, dir := pos.File, ""
	if isClean(pos.File) {
		key = parentDir(pos.File)
		dir = key
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.fileReleases[key]; ok {
		return s
	}
	var s *selected
	if dir != "" {
		s = l.releaseOfDir(l.absPath(dir))
	} else {
		s = l.releaseOfDir(parentDir(l.absPath(pos.File)))
	}
	l.fileReleases[key] = s
	return s
}

// uses says which release the project uses and why: "3.4.25 (uv.lock:120)".
func (l *linter) uses(s *selected) string {
	v := s.versions.Prefect
	switch {
	case s.unsupported != nil:
		return fmt.Sprintf("%s, the newest, in place of %s (%s), which Strata does not support", s.rel.Version, v.Version, l.where(v.Pos))
	case v.Source == settings.FromDefault:
		return fmt.Sprintf("%s, the newest Strata knows (no version given or found)", s.rel.Version)
	case v.Source == settings.FromOption:
		return fmt.Sprintf("%s (as selected)", s.rel.Version)
	case s.venv:
		return fmt.Sprintf("%s (the active virtualenv: %s)", s.rel.Version, l.where(v.Pos))
	case v.Source == settings.FromManifest:
		return fmt.Sprintf("%s (%s, %s)", s.rel.Version, v.From, l.where(v.Pos)) // a container's image or install
	}
	return fmt.Sprintf("%s (%s)", s.rel.Version, l.where(v.Pos))
}

// where renders a position with its file shown as the run shows files.
func (l *linter) where(pos sources.Position) string {
	pos.File = l.display(pos.File)
	return pos.String()
}

// releaseNotes says, once for each directory with files checked against
// another release than the working directory's, which release and why
// (project-release), and reports every project whose Prefect version
// Strata does not support (unsupported-release), at the line naming it.
func (l *linter) releaseNotes() {
	if l.given() && !l.opts.AllReleases {
		return
	}
	first := map[string]string{} // directory → its first file linted
	for file := range l.linted {
		d := filepath.Dir(file)
		if f, ok := first[d]; !ok || file < f {
			first[d] = file
		}
	}
	var used []*selected
	if len(first) == 0 || l.opts.Env {
		used = append(used, l.release)
	}
	for _, d := range slices.Sorted(maps.Keys(first)) {
		s := l.releaseFor(sources.Position{File: first[d]})
		used = append(used, s)
		pos := sources.Position{File: first[d], Line: 1, Column: 1}
		switch {
		case s != l.release && (s.rel.Version != l.release.rel.Version || s.rel.Side != l.release.rel.Side):
			l.report(RuleProjectRelease, pos, "", "",
				"%s are checked against Prefect %s, the release of their own project; the working directory's is %s",
				filesIn(d), l.uses(s), l.uses(l.release))
		case l.opts.AllReleases:
			l.report(RuleProjectRelease, pos, "", "", "%s are checked against Prefect %s", filesIn(d), l.uses(s))
		}
	}
	for _, s := range used {
		if s.unsupported == nil {
			continue
		}
		pos := s.versions.Prefect.Pos
		if !s.found {
			pos = s.versions.PydanticSettings.Pos
		}
		pos.File = l.display(pos.File)
		if pos.Line > 0 {
			pos.Column = 1
		}
		l.report(RuleUnsupported, pos, "", "",
			"%v; this project's settings files are checked against Prefect %s, the newest, instead; select a release with --prefect-version or %s",
			s.unsupported, s.rel.Version, settings.PrefectVersionEnv)
	}
}

// filesIn names the files of directory d, as the run shows it: "files in
// d/", or "files here". It is made only for a note said, not for each
// directory.
func filesIn(d string) string {
	if d == "." {
		return "files here"
	}
	return "files in " + d + string(filepath.Separator)
}

// releaseValue reports a setting the selected release does not have,
// though a newer one does.
func (l *linter) releaseValue(v sources.Value) {
	if everSettings().always[v.Setting.Path] {
		return // every release has it: no need to know which one the project runs
	}
	s := l.releaseFor(v.Pos)
	if s.rel.Schema().Has(v.Setting.Path) {
		return
	}
	added, _, ok := release.Lifetime(v.Setting.Path)
	if !ok {
		return
	}
	l.report(RuleNotInRelease, v.Pos, v.Setting.Path, "",
		"%s was added in Prefect %s; this project uses %s, which ignores it", v.Setting.Path, added, l.uses(s))
}

// releaseUnknown handles a name the newest release does not know: nothing
// to say when the selected release has it, and otherwise which release
// renamed or removed it. It reports whether it handled the name.
func (l *linter) releaseUnknown(pos sources.Position, key, prefix string) bool {
	name := strings.TrimPrefix(key, prefix)
	path, ok := everPath(name)
	group := ""
	if !ok {
		// A table: the group of settings of some release.
		if path, ok = everGroupMember(strings.ToLower(name)); !ok {
			return false
		}
		group = strings.ToLower(name)
	}
	s := l.releaseFor(pos)
	set := s.rel.Schema()
	if set.Has(path) {
		return true // a setting of the selected release
	}
	if strings.HasPrefix(strings.ToUpper(name), "PREFECT_") {
		if _, _, ok := set.ByEnv(name); ok {
			return true
		}
	}
	added, removed, ok := release.Lifetime(path)
	if group != "" {
		// Speak of the table; a renamed table keeps its members' names.
		suffix := strings.TrimPrefix(path, group)
		to := renamedTo(path, removed)
		path = group
		to = strings.TrimSuffix(to, suffix)
		return l.releaseReport(pos, key, prefix, path, to, added, removed, ok, s)
	}
	return l.releaseReport(pos, key, prefix, path, renamedTo(path, removed), added, removed, ok, s)
}

// releaseReport reports a setting (or table) at path that the selected
// release does not have.
func (l *linter) releaseReport(pos sources.Position, key, prefix, path, to string, added, removed release.Version, ok bool, s *selected) bool {
	switch {
	case !ok:
		return false
	case removed.IsZero() || s.rel.Version.Less(added):
		l.report(RuleNotInRelease, pos, path, "",
			"%s was added in Prefect %s; this project uses %s, which ignores it", path, added, l.uses(s))
	default:
		if to != "" {
			l.report(RuleNotInRelease, pos, to, prefix+to,
				"%s became %s in Prefect %s; this project uses %s, which ignores %s", path, to, removed, l.uses(s), key)
		} else {
			l.report(RuleNotInRelease, pos, path, "",
				"%s was removed in Prefect %s; this project uses %s, which ignores it", path, removed, l.uses(s))
		}
	}
	return true
}

// everGroupMember returns a setting under the group at path in some
// known release, preferring one the newest release lacks.
func everGroupMember(group string) (string, bool) {
	found, ok := everSettings().groups[group]
	return found, ok
}

// renamedTo returns the setting that took over path in release removed:
// the one that kept its environment name.
func renamedTo(path string, removed release.Version) string {
	if removed.IsZero() {
		return ""
	}
	old, ok := everSettings().byPath[path]
	if !ok || len(old.Env) == 0 {
		return ""
	}
	rel, _, err := release.Select(removed.String(), "")
	if err != nil {
		return ""
	}
	if to, _, ok := rel.Schema().ByEnv(old.Env[0]); ok && to.Path != path {
		return to.Path
	}
	return ""
}

// everPath returns the setting path a name (an accessor path or an
// environment name) has in any known release.
func everPath(name string) (string, bool) {
	e := everSettings()
	if s, ok := e.byPath[strings.ToLower(name)]; ok {
		return s.Path, true
	}
	if s, ok := e.byEnv[strings.ToUpper(name)]; ok {
		return s.Path, true
	}
	return "", false
}

// everSettings indexes the settings of every known release, by path and
// environment name, a name's latest meaning winning, and, for each group
// of settings of some release, its first member.
var everSettings = sync.OnceValue(func() *everIndex {
	e := &everIndex{byPath: map[string]*schema.Setting{}, byEnv: map[string]*schema.Setting{}, groups: map[string]string{}}
	seen := map[string]bool{}
	count := map[string]int{} // how many of the releases' schemas have a path
	for _, v := range release.Known() {
		rel, _, err := release.Select(v.String(), "")
		if err != nil {
			continue
		}
		set := rel.Schema()
		if seen[set.ID] {
			continue
		}
		seen[set.ID] = true
		for _, s := range set.All() {
			e.byPath[s.Path] = s
			count[s.Path]++
			for _, env := range s.Env {
				e.byEnv[env] = s
			}
		}
	}
	e.always = map[string]bool{}
	for p, n := range count {
		if n == len(seen) {
			e.always[p] = true
		}
	}
	for p := range e.byPath {
		for i := range len(p) {
			if p[i] != '.' {
				continue
			}
			if first, ok := e.groups[p[:i]]; !ok || p < first {
				e.groups[p[:i]] = p
			}
		}
	}
	return e
})

type everIndex struct {
	byPath, byEnv map[string]*schema.Setting
	groups        map[string]string // group path → its first member's path
	always        map[string]bool   // the paths every release has
}

// releaseDotEnv reports each .env file the selected release ignores:
// Prefect 3.1.2 … 3.6.27 on pydantic-settings 2.14 and later (Prefect
// issue #21664). The finding is at the file's first setting.
func (l *linter) releaseDotEnv() {
	for _, d := range l.dirOrder {
		dl := l.dirs[d]
		if dl == nil || dl.dotenv == nil || len(dl.dotenv.Values) == 0 {
			continue
		}
		s := l.releaseFor(dl.dotenv.Values[0].Pos)
		if !s.rel.DotenvPositional {
			continue
		}
		// The first setting the release does not read: it reads the
		// names written as its shifted reading compares them.
		unread := map[int]bool{}
		if shifted, err := (sources.Reader{Release: s.rel}).DotEnv(l.abs(dl.dotenv.Values[0].Pos.File), l.lookup); err == nil {
			for _, v := range shifted.Shifted {
				unread[v.Pos.Line] = true
			}
		}
		var first *sources.Value
		n := 0
		for i, v := range dl.dotenv.Values {
			if unread[v.Pos.Line] {
				n++
				if first == nil || v.Pos.Line < first.Pos.Line {
					first = &dl.dotenv.Values[i]
				}
			}
		}
		if first == nil {
			continue
		}
		ps := "pydantic-settings ≥ 2.14, assumed as none is given or found"
		if v := s.versions.PydanticSettings; v.Version != "" {
			ps = "pydantic-settings " + v.Version
		}
		what := "this .env"
		if n < len(dl.dotenv.Values) {
			what = fmt.Sprintf("%d of this .env's %d settings, %s first (it reads only names such as prefect_server_ui_api_url or PREFECT_SERVER_UI_api_url)", n, len(dl.dotenv.Values), first.Key)
		}
		l.report(RuleDotEnvIgnored, sources.Position{File: first.Pos.File, Line: first.Pos.Line, Column: first.Pos.Column}, "", "",
			"Prefect ignores %s: this project uses %s, on %s, which passes .env's arguments shifted (Prefect issue #21664); pin pydantic-settings<2.14 or upgrade Prefect to 3.6.28 or later",
			what, l.uses(s), ps)
	}
}

// reader reads the TOML file at path as the release of its project reads
// it: before 3.6.14 with the toml package, not as TOML 1.0. A run reads
// each file once: the readers' cache of parsed documents would only cost.
func (l *linter) reader(path string) sources.Reader {
	return sources.Reader{Release: l.releaseFor(sources.Position{File: path}).rel, NoCache: true}
}

// laterTOML warns, for a TOML file the project's release reads with the
// toml package (before 3.6.14), of what Prefect 3.6.14 and later, which
// read TOML 1.0, refuse in it.
func (l *linter) laterTOML(file string, data []byte, rd sources.Reader) {
	if rd.Release.TOMLLib {
		return
	}
	for _, e := range sources.LaterTOMLProblems(file, data) {
		var se *sources.SyntaxError
		if errors.As(e, &se) {
			pos := se.Pos
			pos.File = file
			l.reportAs(Warning, RuleTOML10, pos, "", "",
				"Prefect 3.6.14 and later, which read TOML 1.0, refuse this file (this project's Prefect %s reads it): %s",
				rd.Release.Version, strings.TrimPrefix(strings.TrimPrefix(se.Msg, "invalid TOML: "), "toml: "))
		}
	}
}
