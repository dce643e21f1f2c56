// What lint reads and parses of each file depends on that file alone, and
// what each directory's project files say on that directory alone: files
// are linted side by side, on every processor.

package lint

import (
	"bytes"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/strata-settings/strata/sources"
)

// prepared is what lintFile reads and parses of one file.
type prepared struct {
	data []byte
	err  error // reading it, or parsing it
	skip bool  // nothing to lint: a link to a directory, a pyproject.toml of a project without Prefect

	rd      sources.Reader       // the reader of the release of the file's project (TOML files)
	layer   *sources.Layer       // prefect.toml, pyproject.toml and .env
	doc     *sources.ProfilesDoc // a profiles file
	entries []tomlEntry          // the keys as written, of pyproject.toml and profiles files

	dotenv  []sources.DotEnvEntry // .env bindings, expanded with the environment
	bad     []*sources.DotEnvError
	literal []sources.DotEnvEntry // .env bindings expanded from the file alone
}

// prepare reads and parses the file of t into p.
func (l *linter) prepare(t target, p *prepared) {
	p.data, p.err = l.readFile(t.path)
	if p.err != nil {
		p.skip = t.walked && errors.Is(p.err, syscall.EISDIR) // Prefect reads a settings file only when it is a file
		return
	}
	switch t.kind {
	case kindPrefect:
		p.rd = l.reader(t.path)
		p.layer, p.err = p.rd.ParsePrefectTOML(t.path, p.data)
	case kindPyproject:
		if t.walked && !bytes.Contains(p.data, []byte("prefect")) {
			p.skip = true
			return
		}
		p.rd = l.reader(t.path)
		if p.layer, p.err = p.rd.ParsePyproject(t.path, p.data); p.err == nil || !syntaxFatal(p.err) {
			p.entries = tomlEntries(t.path, p.data)
		}
	case kindProfiles:
		p.rd = l.reader(t.path)
		if p.doc, p.err = p.rd.ParseProfiles(t.path, p.data); p.err == nil || !syntaxFatal(p.err) {
			p.entries = tomlEntries(t.path, p.data)
		}
	case kindDotEnv:
		dotenv, bad := sources.ParseDotEnv(p.data, l.lookup)
		if p.layer, p.err = (sources.Reader{}).DotEnvEntries(l.abs(t.path), dotenv, bad); p.err != nil {
			return
		}
		relocate(p.layer, t.path)
		p.dotenv, p.bad = dotenv, bad
		p.literal = p.dotenv
		if bytes.Contains(p.data, []byte("${")) {
			p.literal, _ = sources.ParseDotEnv(p.data, nil)
		}
	}
}

// syntaxFatal reports whether a reader's error leaves nothing to check, as
// syntaxErrors decides.
func syntaxFatal(err error) bool {
	var ve *sources.ValueError
	for _, e := range joined(err) {
		if !errors.As(e, &ve) && !errors.Is(e, sources.ErrTOML11) {
			return true
		}
	}
	return false
}

// joined lists the errors err joins, or err itself.
func joined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

// lintFiles lints the targets side by side, on every processor: each file
// is read, parsed and checked by one worker, and the checks share the run's
// state under mu. What the project files of the files' directories, and of
// the directories above them the release is searched in, say is read
// first, side by side too.
func (l *linter) lintFiles(targets []target) {
	var dirs []string
	l.git.listed = l.shared.listed // complete: the walk is over
	abs := make([]string, len(targets))
	absOf := make(map[string]string, len(targets))
	for i, t := range targets {
		abs[i] = l.absPath(t.path)
		absOf[t.path] = abs[i]
	}
	l.absOf = absOf // read only from here on: the checks ask it side by side
	if !l.given() {
		seen := map[string]bool{}
		for _, a := range abs {
			d := parentDir(a)
			if seen[d] {
				continue // its directories are listed already
			}
			for _, a := range l.searched(d) {
				if _, done := l.projects[a]; !done && !seen[a] {
					seen[a] = true
					dirs = append(dirs, a)
				}
			}
		}
	}
	l.willLint(abs)
	// Each file linted is recorded in linted and texts: made with room
	// for all at once, they never grow (0.4 MB a thousand files).
	if len(l.linted) == 0 && len(l.texts) == 0 {
		l.linted, l.texts = make(map[string]bool, len(targets)), make(map[string]fileText, len(targets))
	}
	projects := make([]*selected, len(dirs))
	parallel(len(dirs), func(i int) { projects[i] = l.detectProject(dirs[i]) })
	for i, d := range dirs {
		l.projects[d] = projects[i]
	}
	parallel(len(targets), func(i int) { l.lintFile(targets[i]) })
}

// parallel calls do(i) for every i below n, on every processor.
func parallel(n int, do func(i int)) {
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			do(i)
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// text returns the contents of a file linted, as the checks of other
// files may be recording theirs.
func (l *linter) text(file string) (fileText, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.texts[cleanPath(file)]
	return f, ok
}
