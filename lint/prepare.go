// What lint reads and parses of each file, and the release each directory
// names, depend on that file or directory alone: they are made for a batch
// of files at once, on every processor, before the checks, which share the
// run's state and go one file at a time.

package lint

import (
	"bytes"
	"errors"
	"path/filepath"
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

	layer   *sources.Layer       // prefect.toml, pyproject.toml and .env
	doc     *sources.ProfilesDoc // a profiles file
	entries []tomlEntry          // the keys as written, of pyproject.toml and profiles files

	dotenv  []sources.DotEnvEntry // .env bindings, expanded with the environment
	bad     []*sources.DotEnvError
	literal []sources.DotEnvEntry // .env bindings expanded from the file alone
}

// prepare reads and parses the file of t.
func (l *linter) prepare(t target) *prepared {
	p := &prepared{}
	p.data, p.err = sources.ReadFile(l.abs(t.path))
	if p.err != nil {
		p.skip = t.walked && errors.Is(p.err, syscall.EISDIR) // Prefect reads a settings file only when it is a file
		return p
	}
	switch t.kind {
	case kindPrefect:
		p.layer, p.err = sources.ParsePrefectTOML(t.path, p.data)
	case kindPyproject:
		if t.walked && !bytes.Contains(p.data, []byte("prefect")) {
			p.skip = true
			return p
		}
		if p.layer, p.err = sources.ParsePyproject(t.path, p.data); p.err == nil || !syntaxFatal(p.err) {
			p.entries = tomlEntries(t.path, p.data)
		}
	case kindProfiles:
		if p.doc, p.err = sources.ParseProfiles(t.path, p.data); p.err == nil || !syntaxFatal(p.err) {
			p.entries = tomlEntries(t.path, p.data)
		}
	case kindDotEnv:
		if p.layer, p.err = sources.ReadDotEnv(l.abs(t.path), l.lookup); p.err != nil {
			return p
		}
		relocate(p.layer, t.path)
		p.dotenv, p.bad = sources.ParseDotEnv(p.data, l.lookup)
		p.literal = p.dotenv
		if bytes.Contains(p.data, []byte("${")) {
			p.literal, _ = sources.ParseDotEnv(p.data, nil)
		}
	}
	return p
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

// batchSize bounds the files read ahead, and so the memory they hold.
const batchSize = 256

// lintFiles lints the targets, a batch at a time: each batch's files are
// read and parsed, and their directories' releases detected, in parallel.
func (l *linter) lintFiles(targets []target) {
	for len(targets) > 0 {
		batch := targets[:min(batchSize, len(targets))]
		targets = targets[len(batch):]
		l.prepareAll(batch)
		for _, t := range batch {
			l.lintFile(t)
		}
	}
}

// prepareAll prepares the targets and detects the release named in each of
// their directories not looked at yet, on every processor.
func (l *linter) prepareAll(targets []target) {
	var dirs []string
	if !l.given() {
		seen := map[string]bool{}
		for _, t := range targets {
			d := filepath.Dir(absPath(l.abs(t.path)))
			if _, done := l.projects[d]; !done && !seen[d] {
				seen[d] = true
				dirs = append(dirs, d)
			}
		}
	}
	preps := make([]*prepared, len(targets))
	projects := make([]*selected, len(dirs))
	total := len(targets) + len(dirs)
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			switch {
			case i < len(targets):
				preps[i] = l.prepare(targets[i])
			case i < total:
				projects[i-len(targets)] = l.detectProject(dirs[i-len(targets)])
			default:
				return
			}
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), total) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	if l.prepared == nil {
		l.prepared = map[string]*prepared{}
	}
	for i, t := range targets {
		l.prepared[t.path] = preps[i]
	}
	for i, d := range dirs {
		l.projects[d] = projects[i]
	}
}
