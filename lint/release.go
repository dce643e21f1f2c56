// The checks that depend on the Prefect release the project runs: settings
// that exist in another release than the selected one, and .env files the
// selected release ignores.

package lint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

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
}

// selectRelease selects the release of the run, from the options, the
// STRATA_ variables of Environ, or the project in Dir.
func (l *linter) selectRelease() error {
	s, err := l.selectIn(l.opts.Dir)
	if err != nil {
		return err
	}
	l.release = s
	l.releases = map[string]*selected{}
	return nil
}

func (l *linter) selectIn(dir string) (*selected, error) {
	environ := l.opts.Environ
	if environ == nil {
		environ = []string{}
	}
	if dir == "" {
		dir, _ = os.Getwd() // Options.Dir: empty means the process's
	}
	v := settings.Options{Environ: environ, Dir: dir,
		PrefectVersion: l.opts.PrefectVersion, PydanticSettingsVersion: l.opts.PydanticSettingsVersion}.Versions()
	rel, _, err := v.Release()
	if err != nil {
		return nil, err
	}
	return &selected{rel, v}, nil
}

// releaseFor returns the release of the project a file belongs to: the one
// its own directory names, else the run's.
func (l *linter) releaseFor(pos sources.Position) *selected {
	if pos.File == "" || filepath.IsAbs(pos.File) {
		return l.release
	}
	dir := filepath.Dir(pos.File)
	if dir == "." {
		return l.release
	}
	if s, ok := l.releases[dir]; ok {
		return s
	}
	s, err := l.selectIn(l.abs(dir))
	if err != nil || s.versions.Prefect.Source != settings.FromDetected {
		s = l.release // nothing, or nothing usable, said there: the run's
	}
	l.releases[dir] = s
	return s
}

// uses says which release the project uses and why: "3.4.25 (uv.lock:120)".
func (l *linter) uses(s *selected) string {
	v := s.versions.Prefect
	switch v.Source {
	case settings.FromDefault:
		return fmt.Sprintf("%s, the newest Strata knows (no version given or found)", s.rel.Version)
	case settings.FromOption:
		return fmt.Sprintf("%s (as selected)", s.rel.Version)
	}
	pos := v.Pos
	if pos.File != "" && l.opts.Dir != "" {
		if rel, err := filepath.Rel(l.opts.Dir, pos.File); err == nil && !strings.HasPrefix(rel, "..") {
			pos.File = rel
		}
	}
	return fmt.Sprintf("%s (%s)", s.rel.Version, pos)
}

// releaseValue reports a setting the selected release does not have,
// though a newer one does.
func (l *linter) releaseValue(v sources.Value) {
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
	found := ""
	for p := range everSettings().byPath {
		if strings.HasPrefix(p, group+".") && (found == "" || p < found) {
			found = p
		}
	}
	return found, found != ""
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
// environment name; a name's latest meaning wins.
var everSettings = sync.OnceValue(func() *struct {
	byPath, byEnv map[string]*schema.Setting
} {
	e := &struct{ byPath, byEnv map[string]*schema.Setting }{map[string]*schema.Setting{}, map[string]*schema.Setting{}}
	seen := map[string]bool{}
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
			for _, env := range s.Env {
				e.byEnv[env] = s
			}
		}
	}
	return e
})

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
// it: before 3.6.14 with the toml package, not as TOML 1.0.
func (l *linter) reader(path string) sources.Reader {
	return sources.Reader{Release: l.releaseFor(sources.Position{File: path}).rel}
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
