// Whether git shares a file: asked of git when it is installed, read from
// the repository's index and ignore files otherwise.

package lint

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// gitState is how git sees a file.
type gitState uint8

const (
	gitOutside   gitState = iota // in no git work tree: not shared
	gitIgnored                   // in a work tree, untracked and ignored
	gitUntracked                 // untracked and not ignored: the next commit can take it
	gitTracked                   // in the index
)

// lookGit finds the git command; tests replace it to take the fallback.
var lookGit = func() (string, error) { return exec.LookPath("git") }

// gitState says how git sees file (as the run names it), asking git when
// it is installed and reading the repository otherwise.
func (l *linter) gitState(file string) gitState {
	if st, ok := l.leaks.git[file]; ok {
		return st
	}
	path := absPath(l.abs(file))
	st := gitOutside
	if root, _ := workTree(filepath.Dir(path)); root != "" { // no git run for a file outside
		var err error
		if st, err = askGit(path, l.opts.Environ); err != nil {
			st = readGit(path, l.opts.Home, l.env)
		}
	}
	if l.leaks.git == nil {
		l.leaks.git = map[string]gitState{}
	}
	l.leaks.git[file] = st
	return st
}

// askGit runs git ls-files in the file's directory: it lists the file when
// git tracks it or, untracked, does not ignore it. The error is for a git
// that is missing or cannot answer (a repository it refuses to read).
func askGit(path string, environ []string) (gitState, error) {
	bin, err := lookGit()
	if err != nil {
		return gitOutside, err
	}
	dir, name := filepath.Split(path)
	ask := func(args ...string) ([]byte, error) {
		cmd := exec.Command(bin, append([]string{"--literal-pathspecs", "ls-files", "-z"}, append(args, "--", name)...)...)
		cmd.Dir = dir
		cmd.Env = append([]string{}, environ...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil && strings.Contains(stderr.String(), "not a git repository") {
			return nil, errOutside
		}
		return out, err
	}
	out, err := ask("--cached")
	switch {
	case errors.Is(err, errOutside):
		return gitOutside, nil
	case err != nil:
		return gitOutside, err
	case len(out) > 0:
		return gitTracked, nil
	}
	if out, err = ask("--others", "--exclude-standard"); err != nil {
		return gitOutside, err
	}
	if len(out) > 0 {
		return gitUntracked, nil
	}
	return gitIgnored, nil
}

var errOutside = errors.New("not in a git work tree")

// readGit answers as askGit without git: it finds the work tree around
// path, looks the file up in the index, and else matches it against the
// ignore files git reads (core.excludesFile or ~/.config/git/ignore,
// .git/info/exclude, and every .gitignore from the root down), with
// go-git's matcher.
func readGit(path, home string, env map[string]string) gitState {
	root, gitDir := workTree(filepath.Dir(path))
	if root == "" {
		return gitOutside
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return gitOutside
	}
	rel = filepath.ToSlash(rel)
	if f, err := os.Open(filepath.Join(gitDir, "index")); err == nil {
		var idx index.Index
		err := index.NewDecoder(bufio.NewReader(f)).Decode(&idx)
		f.Close()
		if err == nil {
			if _, err := idx.Entry(rel); err == nil {
				return gitTracked
			}
		}
	}
	segs := strings.Split(rel, "/")
	var ps []gitignore.Pattern
	ps = append(ps, readPatterns(globalExcludes(home, env), nil)...)
	ps = append(ps, readPatterns(filepath.Join(commonDir(gitDir), "info", "exclude"), nil)...)
	for i := range segs {
		domain := segs[:i]
		ps = append(ps, readPatterns(filepath.Join(root, filepath.Join(domain...), ".gitignore"), domain)...)
	}
	if gitignore.NewMatcher(ps).Match(segs, false) {
		return gitIgnored
	}
	return gitUntracked
}

// workTree finds the work tree holding dir and its git directory: the
// .git directory, or where a .git file (a linked work tree or a
// submodule) points.
func workTree(dir string) (root, gitDir string) {
	for d := dir; ; {
		p := filepath.Join(d, ".git")
		if st, err := os.Stat(p); err == nil {
			if st.IsDir() {
				return d, p
			}
			if data, err := os.ReadFile(p); err == nil {
				if g, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:"); ok {
					g = strings.TrimSpace(g)
					if !filepath.IsAbs(g) {
						g = filepath.Join(d, g)
					}
					return d, g
				}
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", ""
		}
		d = parent
	}
}

// commonDir is the directory a linked work tree shares with the main one,
// where info/exclude lives.
func commonDir(gitDir string) string {
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return gitDir
	}
	c := strings.TrimSpace(string(data))
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return c
}

// globalExcludes is the user's global ignore file: core.excludesFile of
// ~/.gitconfig, else $XDG_CONFIG_HOME/git/ignore or ~/.config/git/ignore.
func globalExcludes(home string, env map[string]string) string {
	if home != "" {
		if f, err := os.Open(filepath.Join(home, ".gitconfig")); err == nil {
			p := excludesFile(f)
			f.Close()
			if strings.HasPrefix(p, "~/") {
				p = filepath.Join(home, p[2:])
			}
			if p != "" {
				return p
			}
		}
	}
	if x := env["XDG_CONFIG_HOME"]; x != "" {
		return filepath.Join(x, "git", "ignore")
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "git", "ignore")
}

// readPatterns reads the ignore file at path, whose patterns apply under
// domain; a missing file has none.
func readPatterns(path string, domain []string) []gitignore.Pattern {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(data), "\n") {
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
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// excludesFile returns core.excludesFile of the git configuration r holds.
func excludesFile(r io.Reader) string {
	cfg := config.New()
	if err := config.NewDecoder(r).Decode(cfg); err != nil {
		return ""
	}
	return cfg.Section("core").Options.Get("excludesfile")
}
