// What finding each project's release reads that lint reads too: the
// listing of each directory walked, and the settings files detection
// reads (pyproject.toml), each read once a run.

package lint

import (
	"sync"

	"github.com/strata-settings/strata/detect"
	"github.com/strata-settings/strata/sources"
)

// shared is what the walk and detection read that later steps take over.
type shared struct {
	listed map[string][]string // the names in each directory walked, by absolute path; written by the walk alone

	mu     sync.Mutex
	linted map[string]bool   // the files to lint, by absolute path; set before detection
	read   map[string][]byte // files to lint that detection read, by absolute path, until lint takes them

	detectOnce sync.Once
	detect     func(detect.Options) *detect.Project // l.detect and l.detectRead, made once (detectFuncs)
	readFile   func(path string, max int64) ([]byte, error)
}

// list records the names of the entries of the directory shown as shown.
func (l *linter) list(shown string, names []string) {
	if l.shared.listed == nil {
		l.shared.listed = map[string][]string{}
	}
	l.shared.listed[l.absPath(shown)] = names
}

// willLint records the files about to be linted, by absolute path, so
// that what detection reads of them is kept for lint.
func (l *linter) willLint(paths []string) {
	l.shared.mu.Lock()
	defer l.shared.mu.Unlock()
	l.shared.linted = make(map[string]bool, len(paths))
	for _, p := range paths {
		l.shared.linted[p] = true
	}
}

// detect reads the project files of the directory of o as detect.Detect
// does, with the listing the walk made of it, keeping what it reads of
// the files to lint. Lint asks only for the versions: it neither watches
// the files detection reads nor reports what it passed over.
func (l *linter) detect(o detect.Options) *detect.Project {
	o.VersionsOnly = true
	if names, ok := l.shared.listed[o.Dir]; ok {
		o.Entries = names
	}
	_, o.ReadFile = l.detectFuncs()
	return detect.Detect(o)
}

// detectFuncs returns l.detect, for settings.Options.Detect, and
// l.detectRead, for detect.Options.ReadFile: function values made once a
// run, not for each directory detected in.
func (l *linter) detectFuncs() (func(detect.Options) *detect.Project, func(string, int64) ([]byte, error)) {
	l.shared.detectOnce.Do(func() {
		l.shared.detect, l.shared.readFile = l.detect, l.detectRead
	})
	return l.shared.detect, l.shared.readFile
}

// detectRead reads a file for detection, keeping it when it is to be
// linted.
func (l *linter) detectRead(path string, max int64) ([]byte, error) {
	data, err := sources.ReadFileMax(path, max)
	if err == nil && len(data) <= sources.MaxFileSize { // what sources.ReadFile would have read
		path = cleanPath(path)
		l.shared.mu.Lock()
		if l.shared.linted[path] {
			if l.shared.read == nil {
				l.shared.read = map[string][]byte{}
			}
			l.shared.read[path] = data
		}
		l.shared.mu.Unlock()
	}
	return data, err
}

// readFile reads the file at path (as the run names it) as sources.ReadFile
// does, unless detection has read it already.
func (l *linter) readFile(path string) ([]byte, error) {
	abs := l.abs(path)
	key := absPath(abs)
	l.shared.mu.Lock()
	data, ok := l.shared.read[key]
	delete(l.shared.read, key)
	l.shared.mu.Unlock()
	if ok {
		return data, nil
	}
	return sources.ReadFile(abs)
}
