// Whether git shares a file, read from the repository itself: its index
// and the ignore files git reads. lint never runs git: a repository's
// configuration (core.fsmonitor, core.hooksPath, filter.*, diff.external,
// core.sshCommand...) can make git run any command, and an untrusted
// checkout or unpacked archive must not run anything. Each repository is
// read once a run, however many files it holds; every file is read as
// settings files are (sources.ReadFileMax: regular files only, never
// waiting on a FIFO, size-capped).

package lint

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"

	"github.com/strata-settings/strata/sources"
)

// gitState is how git sees a file.
type gitState uint8

const (
	gitOutside   gitState = iota // in no git work tree: not shared
	gitIgnored                   // in a work tree, untracked and ignored
	gitUntracked                 // untracked and not ignored: the next commit can take it
	gitTracked                   // in the index
)

// The limits of what is read of a repository. An index beyond maxIndex
// (a repository of millions of files) is not read: its files count as
// untracked, which they are unless ignored.
const (
	maxGitFile   = 64 << 10  // a .git file, commondir
	maxGitConfig = 1 << 20   // a git configuration file
	maxIgnore    = 4 << 20   // an ignore file
	maxIndex     = 256 << 20 // the index
)

// repo is what one run read of a git repository.
type repo struct {
	root, gitDir string
	tracked      []string // the index's paths, sorted; nil when there is no index or it cannot be read
	base         []gitignore.Pattern
	ignores      map[string][]gitignore.Pattern // the patterns of each directory's .gitignore, by slash path from root
}

// gitRepos is what a run learnt of git: the repository holding each
// directory asked about (nil for none).
type gitRepos struct {
	byDir map[string]*repo
	// listed are the names in each directory the run listed, by absolute
	// path: where .git is not among them, it is not looked for.
	listed map[string][]string
}

// gitState says how git sees file (as the run names it).
func (l *linter) gitState(file string) gitState {
	path := l.absPath(file)
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.git.repoOf(parentDir(path), l.opts.Home, l.env)
	if r == nil {
		return gitOutside
	}
	return r.state(path)
}

// repoOf returns the repository whose work tree holds dir, or nil.
func (g *gitRepos) repoOf(dir, home string, env map[string]string) *repo {
	if g.byDir == nil {
		g.byDir = map[string]*repo{}
	}
	var walked []string
	var found *repo
	for d := dir; ; {
		if r, ok := g.byDir[d]; ok {
			found = r
			break
		}
		walked = append(walked, d)
		if g.mayHoldGit(d) {
			if root, gitDir, ok := dotGit(d); ok {
				if gitDir != "" {
					found = openRepo(root, gitDir, home, env)
				}
				break
			}
		}
		parent := parentDir(d)
		if parent == d {
			break
		}
		d = parent
	}
	for _, d := range walked {
		g.byDir[d] = found
	}
	return found
}

// mayHoldGit reports whether .git may be in dir: it is, unless the run
// listed dir without it.
func (g *gitRepos) mayHoldGit(dir string) bool {
	names, ok := g.listed[dir]
	return !ok || slices.Contains(names, ".git")
}

// dotGit looks for .git in dir: a directory, or a file (a linked work tree
// or a submodule) naming the git directory. ok says the search stops here;
// gitDir is empty when .git is there but names no usable git directory
// (not a directory, not a readable gitfile), as git refuses it too.
func dotGit(dir string) (root, gitDir string, ok bool) {
	p := filepath.Join(dir, ".git")
	st, err := os.Stat(p)
	switch {
	case err != nil:
		return "", "", false
	case st.IsDir():
		return dir, p, true
	}
	data, err := sources.ReadFileMax(p, maxGitFile) // refuses a FIFO or a device
	if err != nil {
		return dir, "", true
	}
	g, found := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
	if !found {
		return dir, "", true
	}
	g = strings.TrimSpace(g)
	if !filepath.IsAbs(g) {
		g = filepath.Join(dir, g)
	}
	return dir, g, true
}

// openRepo reads the index of the repository at gitDir, and the ignore
// files that apply everywhere in it: the global excludes file and
// info/exclude.
func openRepo(root, gitDir, home string, env map[string]string) *repo {
	r := &repo{root: root, gitDir: gitDir, ignores: map[string][]gitignore.Pattern{}}
	r.tracked = readIndex(filepath.Join(gitDir, "index"))
	common := commonDir(gitDir)
	r.base = append(readPatterns(excludesFile(root, common, home, env), nil),
		readPatterns(filepath.Join(common, "info", "exclude"), nil)...)
	return r
}

// readIndex returns the paths git's index holds, sorted, or nil when there
// is no index or it cannot be read.
func readIndex(path string) []string {
	f, err := sources.OpenRegular(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() > maxIndex {
		return nil
	}
	var idx index.Index
	if err := index.NewDecoder(bufio.NewReader(io.LimitReader(f, maxIndex))).Decode(&idx); err != nil {
		return nil
	}
	names := make([]string, len(idx.Entries))
	for i, e := range idx.Entries {
		names[i] = e.Name
	}
	if !slices.IsSorted(names) {
		slices.Sort(names)
	}
	return names
}

// state says how git sees path, a file of the work tree.
func (r *repo) state(path string) gitState {
	rel, err := filepath.Rel(r.root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return gitOutside
	}
	rel = filepath.ToSlash(rel)
	if _, ok := slices.BinarySearch(r.tracked, rel); ok {
		return gitTracked
	}
	segs := strings.Split(rel, "/")
	ps := slices.Clone(r.base)
	for i := range segs {
		ps = append(ps, r.dirPatterns(segs[:i])...)
	}
	m := gitignore.NewMatcher(ps)
	// git does not look into a directory it ignores: nothing under it can
	// be taken back by a later pattern.
	for i := 1; i < len(segs); i++ {
		if m.Match(segs[:i], true) {
			return gitIgnored
		}
	}
	if m.Match(segs, false) {
		return gitIgnored
	}
	return gitUntracked
}

// dirPatterns returns the patterns of the .gitignore of the directory at
// domain, read once.
func (r *repo) dirPatterns(domain []string) []gitignore.Pattern {
	key := strings.Join(domain, "/")
	ps, ok := r.ignores[key]
	if !ok {
		ps = readPatterns(filepath.Join(r.root, filepath.Join(domain...), ".gitignore"), slices.Clone(domain))
		r.ignores[key] = ps
	}
	return ps
}

// commonDir is the directory a linked work tree shares with the main one,
// where info/exclude and the configuration live.
func commonDir(gitDir string) string {
	data, err := sources.ReadFileMax(filepath.Join(gitDir, "commondir"), maxGitFile)
	if err != nil {
		return gitDir
	}
	c := strings.TrimSpace(string(data))
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return c
}

// excludesFile is the ignore file git reads for every repository:
// core.excludesFile of the repository's configuration, else of the
// user's (~/.gitconfig, $XDG_CONFIG_HOME/git/config), else
// $XDG_CONFIG_HOME/git/ignore or ~/.config/git/ignore. A relative path is
// taken from the work tree's root, where git runs.
func excludesFile(root, common, home string, env map[string]string) string {
	xdg := env["XDG_CONFIG_HOME"]
	if xdg == "" && home != "" {
		xdg = filepath.Join(home, ".config")
	}
	configs := []string{filepath.Join(common, "config")}
	if home != "" {
		configs = append(configs, filepath.Join(home, ".gitconfig"))
	}
	if xdg != "" {
		configs = append(configs, filepath.Join(xdg, "git", "config"))
	}
	for _, c := range configs {
		if p := configExcludes(c); p != "" {
			switch {
			case strings.HasPrefix(p, "~/") && home != "":
				p = filepath.Join(home, p[2:])
			case !filepath.IsAbs(p):
				p = filepath.Join(root, p)
			}
			return p
		}
	}
	if xdg == "" {
		return ""
	}
	return filepath.Join(xdg, "git", "ignore")
}

// configExcludes returns core.excludesFile of the git configuration file
// at path.
func configExcludes(path string) string {
	data, err := sources.ReadFileMax(path, maxGitConfig)
	if err != nil {
		return ""
	}
	cfg := config.New()
	if err := config.NewDecoder(bytes.NewReader(data)).Decode(cfg); err != nil {
		return ""
	}
	return cfg.Section("core").Options.Get("excludesfile")
}

// readPatterns reads the ignore file at path, whose patterns apply under
// domain; a missing or unreadable file has none.
func readPatterns(path string, domain []string) []gitignore.Pattern {
	if path == "" {
		return nil
	}
	data, err := sources.ReadFileMax(path, maxIgnore)
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// absPath makes p absolute when it can, and cleans it.
func absPath(p string) string {
	if filepath.IsAbs(p) && isClean(p) {
		return p
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}
