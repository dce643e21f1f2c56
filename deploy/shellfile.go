package deploy

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/sources"
)

// shellKind reads shell scripts: *.sh, *.bash, .envrc, and the files
// without an extension that start with a sh or bash #! line, where
// scripts are kept (bin/, scripts/, docker/...) or named as entrypoints
// are (docker-entrypoint, start-worker, run).
var shellKind = Kind{Name: "shell", Match: matchShell, Sniff: sniffShell, Read: readShellFile}

func matchShell(p string) Match {
	base := path.Base(p)
	switch {
	case strings.HasSuffix(base, ".sh") || strings.HasSuffix(base, ".bash") || base == ".envrc":
		return Certain
	case strings.Contains(base, "."):
		return No
	case scriptDirs[path.Base(path.Dir(p))]:
		return Maybe
	}
	lower := strings.ToLower(base)
	for _, w := range scriptWords {
		if strings.Contains(lower, w) {
			return Maybe
		}
	}
	return No
}

// scriptDirs are the directories scripts without an extension are kept
// in, and scriptWords the words of their names elsewhere: a walk reads
// these to look for a #! line, not every file without an extension.
var (
	scriptDirs = map[string]bool{
		"bin": true, "sbin": true, "scripts": true, "script": true, "docker": true, "deploy": true,
		"deployment": true, "ci": true, ".ci": true, "tools": true, "hack": true, ".devcontainer": true, "entrypoints": true,
	}
	scriptWords = []string{"entrypoint", "start", "run", "boot", "init", "deploy", "worker", "server", "prefect"}
)

// sniffShell reports whether a file starts with a #! line that runs sh or
// bash (directly or through env).
func sniffShell(data []byte) bool {
	if !bytes.HasPrefix(data, []byte("#!")) {
		return false
	}
	line, _, _ := bytes.Cut(data[2:], []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) == 0 {
		return false
	}
	prog := path.Base(f[0])
	if prog == "env" {
		for _, w := range f[1:] {
			if !strings.HasPrefix(w, "-") {
				prog = w
				break
			}
		}
	}
	switch prog {
	case "sh", "bash", "dash", "ash":
		return true
	}
	return false
}

// readShellFile reads a shell script as one container: the variables it
// exports, sets for one command or writes into a profile, in the order
// written (a variable set for one command is taken as set for the
// script: Via "command prefix" tells it), the role of the Prefect command
// it runs. The containers it starts with docker run follow it. A line the
// shell parser rejects is an error, returned with what the lines before
// it say.
func readShellFile(in *Input) (*File, error) {
	if err := checkText(in.Path, in.Data); err != nil {
		return nil, err
	}
	s := &Script{Text: string(in.Data), File: in.Path}
	lim := &scriptLimits{}
	sh := readScript(s, lim)
	c := Container{
		Name: path.Base(strings.ReplaceAll(in.Path, "\\", "/")), What: "script",
		Pos:  sources.Position{File: in.Path, Line: 1, Column: 1},
		Role: sh.Role, Command: sh.Command, Release: sh.Release, Vars: sh.Vars,
	}
	var err error
	for _, n := range sh.Notes {
		if n.Code == NoteUnread && lim.commands > maxCommands && n.Pos.File == in.Path {
			return nil, &sources.FileError{Pos: n.Pos, Msg: fmt.Sprintf("more than %d commands: no script needs that many", maxCommands)}
		}
		if n.Code == NoteUnread && lim.words > maxScriptWords && n.Pos.File == in.Path {
			return nil, &sources.FileError{Pos: n.Pos, Msg: fmt.Sprintf("more than %d words: no script needs that many", maxScriptWords)}
		}
		if n.Code == NoteSyntax && err == nil && n.Pos.File == in.Path {
			err = &sources.SyntaxError{Pos: n.Pos, Msg: n.Message}
			continue
		}
		c.Notes = append(c.Notes, n)
	}
	f := &File{Containers: append([]Container{c}, sh.Containers...)}
	if lerr := checkVars(f); lerr != nil {
		return nil, lerr
	}
	return f, err
}

// checkText refuses binary content, which no reader reads: the position
// of the first NUL byte or invalid UTF-8 sequence.
func checkText(file string, data []byte) error {
	if len(data) > sources.MaxFileSize {
		return &sources.FileError{Pos: sources.Position{File: file}, Msg: fmt.Sprintf("file larger than %d MiB: no deployment file needs that much", sources.MaxFileSize>>20)}
	}
	bad := bytes.IndexByte(data, 0)
	if !utf8.Valid(data) {
		for i := 0; i < len(data); {
			r, w := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && w <= 1 {
				if bad < 0 || i < bad {
					bad = i
				}
				break
			}
			i += w
		}
	}
	if bad < 0 {
		return nil
	}
	pos := newLineIndex(string(data[:bad])).pos(file, bad)
	return &sources.SyntaxError{Pos: pos, Msg: "binary content: not a text file"}
}

// checkLines refuses a file of more than max lines (a kind of file,
// "Dockerfile"), before a parser reads it.
func checkLines(file string, data []byte, max int, kind string) error {
	at := 0
	for range max {
		i := bytes.IndexByte(data[at:], '\n')
		if i < 0 {
			return nil
		}
		at += i + 1
	}
	if at >= len(data) {
		return nil // the last line ends the file
	}
	return &sources.FileError{Pos: sources.Position{File: file, Line: max + 1, Column: 1},
		Msg: fmt.Sprintf("more than %d lines: no %s needs that many", max, kind)}
}

// maxVars bounds the variables one file may set in all its containers
// (a stage inherits its base stage's, a job a workflow's).
const maxVars = sources.MaxKeys

// checkVars refuses a file that sets more than maxVars variables.
func checkVars(f *File) error {
	n := 0
	for _, c := range f.Containers {
		n += len(c.Vars)
		if n > maxVars {
			return tooManyVars(c.Vars[len(c.Vars)-1-(n-maxVars-1)].Pos)
		}
	}
	return nil
}

// maxContainers bounds the containers of one file (jobs, steps,
// services): each costs a moment, and no file needs that many.
const maxContainers = maxVars

func tooManyContainers(pos sources.Position) error {
	return &sources.FileError{Pos: pos, Msg: fmt.Sprintf("more than %d containers, jobs and steps: no deployment file needs that many", maxContainers)}
}

func tooManyVars(pos sources.Position) error {
	return &sources.FileError{Pos: pos, Msg: fmt.Sprintf("more than %d variables: no deployment file needs that many", maxVars)}
}
