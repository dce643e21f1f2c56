package deploy

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/strata-settings/strata/sources"
)

// dockerfileKind reads Dockerfiles: Dockerfile, Containerfile,
// *.Dockerfile, Dockerfile.*, Containerfile.* (not *.dockerignore).
var dockerfileKind = Kind{Name: "dockerfile", Match: matchDockerfile, Read: readDockerfile}

func matchDockerfile(p string) Match {
	base := strings.ToLower(path.Base(p))
	if strings.HasSuffix(base, ".dockerignore") {
		return No
	}
	for _, name := range []string{"dockerfile", "containerfile"} {
		if base == name || strings.HasSuffix(base, "."+name) || strings.HasPrefix(base, name+".") || strings.HasPrefix(base, name+"-") {
			return Certain
		}
	}
	return No
}

// readDockerfile reads a Dockerfile with BuildKit's parser: one container
// per stage (Name its AS name, or its index), its variables those the
// running container sees, in the order they take effect:
//
//   - the stage it is built FROM passes on its variables (an image does
//     not: the reader does not know its environment);
//   - ENV sets a variable (Baked), its value expanded as BuildKit expands
//     it, from the ENV and ARG before it; a reference to a name the
//     Dockerfile does not set stays as written (Ref.Unexpanded: the base
//     image may set it), one to an ARG without a default is deferred to
//     the build (--build-arg);
//   - ARG declares a build argument (Build, and Baked: the image's history
//     shows the values a RUN used), its default or the global ARG's, or
//     deferred to --build-arg when it has none;
//   - RUN prefect config set and prefect cloud login write into the
//     image's profiles file (InProfile, Baked); a RUN export does not
//     outlast the RUN (NoteNotPersisted); RUN pip install prefect==… says
//     the release;
//   - CMD and ENTRYPOINT say the role, and the variables they set for the
//     process they start (PREFECT_X=1 prefect worker start) come last.
//
// The release is the FROM image's (prefecthq/prefect:3.4.22-python3.11),
// or the last pip install's. COPY and ADD of a settings file (.env,
// prefect.toml, pyproject.toml, profiles.toml) are its Mounts. The last
// container is the image docker build makes when no --target is given.
func readDockerfile(in *Input) (*File, error) {
	if err := checkText(in.Path, in.Data); err != nil {
		return nil, err
	}
	if err := checkLines(in.Path, in.Data, maxDockerfileLines, "Dockerfile"); err != nil {
		return nil, err // before BuildKit's parser, whose every line costs a regular expression
	}
	res, err := parser.Parse(bytes.NewReader(in.Data))
	if err != nil {
		return nil, dockerSyntaxError(in.Path, in.Data, err)
	}
	text := string(in.Data)
	d := &dockerReader{
		file:   in.Path,
		text:   text,
		lines:  newLineIndex(text),
		escape: res.EscapeToken,
		shell:  true,
		byName: map[string]*stage{},
		global: map[string]*argDef{},
	}
	d.contRE = continuation[d.escape]
	if d.contRE == nil {
		return nil, &sources.SyntaxError{Pos: sources.Position{File: in.Path, Line: 1}, Msg: "dockerfile: escape character " + strconv.QuoteRune(d.escape)}
	}
	d.whole = &Script{Text: text, File: in.Path, lines: d.lines}
	for _, n := range res.AST.Children {
		if err := d.instruction(n); err != nil {
			return nil, err
		}
		if d.err != nil {
			return nil, d.err
		}
	}
	d.endStage()
	f := &File{Notes: d.notes}
	for _, st := range d.stages {
		f.Containers = append(f.Containers, *st.c)
	}
	return f, nil
}

// dockerSyntaxError turns BuildKit's error about data, the contents of
// file, into a *sources.SyntaxError at the first line it names (a line
// too long for BuildKit's scanner at that line). The message names no
// text of the file, which BuildKit's may quote, and the error does not
// wrap BuildKit's.
func dockerSyntaxError(file string, data []byte, err error) error {
	pos := sources.Position{File: file}
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		pos.Line = le.Locations[0][0].Start.Line
	}
	msg := err.Error()
	if le != nil {
		msg = le.Unwrap().Error()
	}
	if strings.HasPrefix(msg, "dockerfile line greater than") {
		msg = strings.TrimPrefix(msg, "dockerfile ")
		for i, line := range bytes.SplitAfter(data, []byte("\n")) {
			if len(line) > bufio.MaxScanTokenSize-1 {
				pos.Line = i + 1
				break
			}
		}
	}
	pos.Line = max(pos.Line, 1) // an empty file is at its line 1
	return &sources.SyntaxError{Pos: pos, Msg: "dockerfile: " + dockerMessage(msg)}
}

// dockerQuotes match what BuildKit's messages quote of a file (a word of
// an instruction, a pattern, the rest of a heredoc), with what replaces
// it: a word of ENV PREFECT_API_KEY … may be a secret.
var dockerQuotes = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`can't find = in "(?:[^"\\]|\\.)*"`), "can't find = in a word"},
	{regexp.MustCompile(`invalid pattern \(.*\) in substitution:.*`), "invalid pattern in substitution"},
	{regexp.MustCompile(`inconsistent results:.*`), "inconsistent results"},
	// The end of the word, which BuildKit reads as the rune U+FFFD.
	{regexp.MustCompile(`unsupported modifier \(\x{FFFD}\) in substitution`), "${ without its closing }"},
}

// dockerMessage returns a message of BuildKit without the text of the
// file it quotes.
func dockerMessage(msg string) string {
	for _, q := range dockerQuotes {
		msg = q.re.ReplaceAllLiteralString(msg, q.with)
	}
	return msg
}

// continuation tells a line continued on the next for each escape
// character BuildKit allows, as BuildKit's parser tells it.
var continuation = map[rune]*regexp.Regexp{
	'\\': regexp.MustCompile(`([^\\])\\[ \t]*$|^\\[ \t]*$`),
	'`':  regexp.MustCompile("([^`])`[ \t]*$|^`[ \t]*$"),
}

type dockerReader struct {
	file   string
	text   string
	lines  *lineIndex
	whole  *Script
	escape rune
	contRE *regexp.Regexp // a line continued on the next, as BuildKit tells it
	shell  bool           // SHELL runs a POSIX shell (the default)
	stages []*stage
	byName map[string]*stage
	cur    *stage
	global map[string]*argDef // the ARGs before the first FROM
	notes  []Note
	lim    scriptLimits
	nvars  int
	lex    *shell.Lex
	exp    expansion // of ENV, ARG and FROM
	err    error     // the first expansion refused
}

// maxDockerfileLines bounds the lines of a Dockerfile: BuildKit's parser
// and the shell parser take a moment for each, and a Dockerfile of that
// many would be unreadable.
const maxDockerfileLines = maxVars

// process expands word as BuildKit does with env, unless what its
// references may expand to goes beyond the bound of expansion: then
// d.err is set, at pos, and word comes back as written.
func (d *dockerReader) process(word string, env shell.EnvGetter, pos sources.Position) (string, error) {
	size := func(name string) int {
		v, _ := env.Get(name)
		return len(v)
	}
	if n := expansionBound(word, size, 0, maxExpandWork); n > sources.MaxValueLen || n > d.exp.left() {
		d.exp.over, d.exp.long = true, n > sources.MaxValueLen
		name := "$"
		if refs := dockerRefs(word, d.escape); len(refs) > 0 {
			name = "$" + refs[0].name
		}
		d.err = cmp.Or(d.err, d.exp.error(pos, name))
		return word, d.err
	}
	text, _, err := d.lexer().ProcessWord(word, env)
	d.exp.take(len(text))
	return text, err
}

// lexer returns BuildKit's lexer, which expands words as BuildKit does;
// a reference to a name it is not given stays as written.
func (d *dockerReader) lexer() *shell.Lex {
	if d.lex == nil {
		d.lex = shell.NewLex(d.escape)
		d.lex.SkipUnsetEnv = true
	}
	return d.lex
}

// stage is one stage being read.
type stage struct {
	c    *Container
	env  map[string]*argDef // ENV, by name
	args map[string]*argDef // ARG declared in the stage
	// ep and cmd are the ENTRYPOINT and CMD in force, from this stage or
	// the one it is built from.
	ep, cmd *dockerCommand
	cmdVars int // the variables of the CMD and ENTRYPOINT, last of c.Vars
}

// argDef is the value of an ENV or ARG, as expansion reads it.
type argDef struct {
	wordVal
	vpos sources.Position // where the value is written
}

// dockerCommand is a CMD or ENTRYPOINT.
type dockerCommand struct {
	script *Script
	exec   []string // the exec form's words
	words  []string // as written, for Container.Command
}

// instruction reads one instruction.
func (d *dockerReader) instruction(n *parser.Node) error {
	cmd := strings.ToLower(n.Value)
	ls, end := d.logical(n)
	if cmd == "from" {
		return d.from(n, ls)
	}
	if d.cur == nil {
		if cmd == "arg" {
			for _, a := range d.argWords(n, ls) {
				d.global[a.Name] = &argDef{wordVal: a.wordVal, vpos: a.ValuePos}
			}
		}
		return nil
	}
	switch cmd {
	case "env":
		return d.env(n, ls)
	case "arg":
		for _, a := range d.argWords(n, ls) {
			if g := d.global[a.Name]; g != nil && !a.hasDefault {
				a.wordVal = g.wordVal // ARG NAME takes the global ARG's default
				a.Value, a.Deferred, a.Literal, a.Refs = "", "", false, g.refs
				a.ValuePos = g.vpos
				setValue(&a.Var, g.wordVal)
			}
			d.cur.args[a.Name] = &argDef{wordVal: a.wordVal, vpos: a.ValuePos}
			if err := d.addVar(a.Var); err != nil {
				return err
			}
		}
	case "run":
		return d.run(n, ls, end)
	case "cmd", "entrypoint":
		c := d.command(n, ls)
		if cmd == "cmd" {
			d.cur.cmd = c
		} else {
			d.cur.ep, d.cur.cmd = c, nil // ENTRYPOINT resets the CMD of the base
		}
	case "shell":
		words := d.execWords(n)
		d.shell = len(words) > 0 && isPOSIXShell(path.Base(words[0]))
		if !d.shell && len(words) > 0 {
			d.note(NoteUnread, ls.at(0), "SHELL runs %s: the RUN instructions after it are not read", words[0])
		}
	case "copy", "add":
		d.copySettings(n, ls)
	}
	return nil
}

func isPOSIXShell(name string) bool {
	switch name {
	case "sh", "bash", "dash", "ash", "zsh", "ksh":
		return true
	}
	return false
}

func (d *dockerReader) note(code string, pos sources.Position, format string, args ...any) {
	note := Note{Code: code, Pos: pos, Message: fmt.Sprintf(format, args...)}
	if d.cur != nil {
		d.cur.c.Notes = append(d.cur.c.Notes, note)
	} else {
		d.notes = append(d.notes, note)
	}
}

// logical returns the instruction's line as BuildKit reads it (continued
// lines joined, comment lines within dropped) with where each piece of it
// is written, and the last line it takes (before any heredoc).
//
// BuildKit's nodes tell an instruction's first and last lines, not
// columns. The columns come from the source lines: the reader joins them
// as BuildKit's parser does (the first line's leading white space
// dropped, the escape character that continues a line and the blanks
// after it dropped, comment lines and blank lines within dropped, the
// escape character the one # escape= names) and keeps, for each piece,
// the line and column it starts at. When the join does not give the
// node's Original text (which it always should), the instruction is
// placed at its first line, without a column.
func (d *dockerReader) logical(n *parser.Node) (*Script, int) {
	s := &Script{File: d.file}
	var b strings.Builder
	i := n.StartLine
	for first := true; i <= n.EndLine; first = false {
		line, start := d.lines.line(i)
		from := 0
		if i == 1 {
			if trimmed := strings.TrimPrefix(line, "\uFEFF"); len(trimmed) < len(line) {
				from = len(line) - len(trimmed)
			}
		}
		if first {
			from += len(line[from:]) - len(strings.TrimLeftFunc(line[from:], unicode.IsSpace))
		} else if isCommentLine(line) || strings.TrimSpace(line) == "" {
			i++
			continue
		}
		piece, more := line[from:], false
		if !strings.HasSuffix(strings.TrimRight(piece, " \t"), string(d.escape)) {
			// not continued: the expression below would not match
		} else if g := d.contRE.FindStringSubmatchIndex(piece); g != nil {
			more = true
			if g[2] >= 0 {
				piece = piece[:g[3]]
			} else {
				piece = piece[:g[0]]
			}
		}
		if piece != "" {
			pos := d.whole.at(start + from)
			if i == 1 && from > 0 && strings.HasPrefix(line, "\uFEFF") {
				pos.Column-- // the byte-order mark takes no column
			}
			s.Spans = append(s.Spans, Span{Off: b.Len(), Len: len(piece), Pos: pos})
			b.WriteString(piece)
		}
		if !more {
			break
		}
		i++
	}
	s.Text = b.String()
	if s.Text != n.Original {
		return &Script{Text: n.Original, File: d.file, Spans: []Span{{Len: len(n.Original), Pos: sources.Position{File: d.file, Line: n.StartLine}}}}, n.StartLine
	}
	return s, i
}

func isCommentLine(line string) bool {
	t := strings.TrimLeftFunc(line, unicode.IsSpace)
	return strings.HasPrefix(t, "#")
}

// find returns where word is in the logical line from offset at, or -1.
func findWord(ls *Script, word string, at int) int {
	if at > len(ls.Text) {
		return -1
	}
	i := strings.Index(ls.Text[at:], word)
	if i < 0 {
		return -1
	}
	return at + i
}

// afterKeyword returns the offset after the instruction's keyword and
// flags in its logical line.
func afterKeyword(n *parser.Node, ls *Script) int {
	at := len(n.Value)
	for _, f := range n.Flags {
		if i := findWord(ls, f, at); i >= 0 {
			at = i + len(f)
		}
	}
	return at
}

// from starts a stage.
func (d *dockerReader) from(n *parser.Node, ls *Script) error {
	d.endStage()
	var words []string
	for w := n.Next; w != nil; w = w.Next {
		words = append(words, w.Value)
	}
	st := &stage{env: map[string]*argDef{}, args: map[string]*argDef{}}
	c := &Container{Name: strconv.Itoa(len(d.stages)), What: "stage", Pos: ls.at(0)}
	st.c = c
	if len(words) == 0 {
		d.stages, d.cur = append(d.stages, st), st
		return nil
	}
	imageOff := findWord(ls, words[0], afterKeyword(n, ls))
	image := words[0]
	if v, err := d.process(words[0], globalEnv{d.global}, ls.at(max(imageOff, 0))); err == nil {
		image = v
	}
	c.Image = image
	if len(words) >= 3 && strings.EqualFold(words[1], "as") {
		c.Name = words[2]
	}
	if parent := d.byName[strings.ToLower(image)]; parent != nil {
		pc := parent.c
		for _, v := range pc.Vars[:len(pc.Vars)-parent.cmdVars] {
			if !v.Build {
				c.Vars = append(c.Vars, v)
			}
		}
		c.Release = pc.Release
		c.Mounts = append(c.Mounts, pc.Mounts...)
		for k, v := range parent.env {
			st.env[k] = v
		}
		st.ep, st.cmd = parent.ep, parent.cmd
	} else if h, ok := imageHint(image, ls.at(max(imageOff, 0))); ok {
		if image != words[0] {
			h.From = "image " + image + " (" + words[0] + ")"
		}
		c.Release = h
	}
	if d.nvars += len(c.Vars); d.nvars > maxVars {
		return tooManyVars(c.Pos)
	}
	d.stages, d.cur = append(d.stages, st), st
	d.byName[strings.ToLower(c.Name)] = st
	return nil
}

// globalEnv gives BuildKit's lexer the global ARGs, for FROM.
type globalEnv struct{ args map[string]*argDef }

func (e globalEnv) Get(name string) (string, bool) {
	if a := e.args[name]; a != nil && a.known {
		return a.text, true
	}
	return "", false
}

func (e globalEnv) Keys() []string {
	keys := make([]string, 0, len(e.args))
	for k, a := range e.args {
		if a.known {
			keys = append(keys, k)
		}
	}
	return keys
}

// stageEnv gives BuildKit's lexer a stage's ENV and ARG with known
// values, ENV first as BuildKit has it.
type stageEnv struct{ st *stage }

func (e stageEnv) lookup(name string) *argDef {
	if v := e.st.env[name]; v != nil {
		return v
	}
	return e.st.args[name]
}

func (e stageEnv) Get(name string) (string, bool) {
	if v := e.lookup(name); v != nil && v.known {
		return v.text, true
	}
	return "", false
}

func (e stageEnv) Keys() []string {
	var keys []string
	for _, m := range []map[string]*argDef{e.st.env, e.st.args} {
		for k, v := range m {
			if v.known {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// endStage completes the stage being read: the role and the variables
// of its CMD and ENTRYPOINT.
func (d *dockerReader) endStage() {
	st := d.cur
	if st == nil {
		return
	}
	d.cur = nil
	var parts []*dockerCommand
	switch {
	case st.ep != nil && st.ep.exec != nil && st.cmd != nil && st.cmd.exec != nil:
		parts = []*dockerCommand{joinExec(st.ep, st.cmd)}
	case st.ep != nil && st.ep.exec == nil:
		parts = []*dockerCommand{st.ep} // a shell-form ENTRYPOINT ignores CMD
	default:
		for _, c := range []*dockerCommand{st.ep, st.cmd} {
			if c != nil {
				parts = append(parts, c)
			}
		}
	}
	c := st.c
	var words []string
	for _, p := range parts {
		words = append(words, p.words...)
		p.script.base = runEnv{st}
		sh := readScript(p.script, &d.lim)
		if roleRank(sh.Role) > roleRank(c.Role) {
			c.Role = sh.Role
		}
		for _, v := range sh.Vars {
			if d.nvars++; d.nvars > maxVars {
				break
			}
			v.Baked = true
			c.Vars = append(c.Vars, v)
			st.cmdVars++
		}
		c.Notes = append(c.Notes, sh.Notes...)
	}
	if len(words) > 0 {
		c.Command = words
	}
}

// joinExec is ENTRYPOINT and CMD both in exec form: the command is the
// entrypoint's words followed by the CMD's.
func joinExec(ep, cmd *dockerCommand) *dockerCommand {
	s := joinScripts([]*Script{ep.script, cmd.script})
	s.Text = strings.Replace(s.Text, "\n", " ", 1)
	return &dockerCommand{script: s, exec: append(append([]string{}, ep.exec...), cmd.exec...), words: append(append([]string{}, ep.words...), cmd.words...)}
}

// addVar adds a variable to the stage being read.
func (d *dockerReader) addVar(v Var) error {
	if d.nvars++; d.nvars > maxVars {
		return tooManyVars(v.Pos)
	}
	d.cur.c.Vars = append(d.cur.c.Vars, v)
	return nil
}

// dockerVar is a variable an ENV or ARG sets, with its value as
// expansion reads it.
type dockerVar struct {
	Var
	wordVal
	hasDefault bool // an ARG written NAME=default
}

// env reads ENV NAME=value ... and the legacy ENV NAME value.
func (d *dockerReader) env(n *parser.Node, ls *Script) error {
	at := afterKeyword(n, ls)
	var set []dockerVar
	// BuildKit gives each pair as three nodes: the name, the value, and
	// "=" (or "" for the legacy form).
	var next *parser.Node
	for w := n.Next; w != nil && w.Next != nil; w = next {
		key, raw, sep := w.Value, w.Next.Value, ""
		if next = w.Next.Next; next != nil {
			sep, next = next.Value, next.Next
		}
		keyOff := findWord(ls, key, at)
		valOff := -1
		if keyOff >= 0 {
			at = keyOff + len(key)
			if sep == "=" {
				valOff = at + 1
			} else {
				valOff = findWord(ls, raw, at)
			}
			if valOff >= 0 {
				at = valOff + len(raw)
			}
		}
		if key == "" {
			continue // ENV =x: BuildKit refuses it when it builds
		}
		v := Var{Name: key, Via: "ENV", Baked: true, Pos: ls.at(max(keyOff, 0))}
		if keyOff < 0 {
			v.Pos = ls.at(0)
		}
		if valOff >= 0 {
			v.ValuePos = ls.at(valOff)
		}
		value := d.expand(raw, ls, valOff)
		setValue(&v, value)
		v.Refs = value.refs
		set = append(set, dockerVar{Var: v, wordVal: value})
	}
	// Every pair expands with the variables before the instruction.
	for _, v := range set {
		d.cur.env[v.Name] = &argDef{wordVal: v.wordVal, vpos: v.ValuePos}
		if err := d.addVar(v.Var); err != nil {
			return err
		}
	}
	return nil
}

// argWords reads ARG NAME[=default] ...
func (d *dockerReader) argWords(n *parser.Node, ls *Script) []dockerVar {
	at := afterKeyword(n, ls)
	var out []dockerVar
	for w := n.Next; w != nil; w = w.Next {
		off := findWord(ls, w.Value, at)
		if off >= 0 {
			at = off + len(w.Value)
		}
		name, raw, hasDefault := strings.Cut(w.Value, "=")
		if name == "" {
			continue // BuildKit refuses it when it builds
		}
		v := Var{Name: name, Via: "ARG", Build: true, Baked: true, Pos: ls.at(max(off, 0))}
		var value wordVal
		if hasDefault {
			valOff := -1
			if off >= 0 {
				valOff = off + len(name) + 1
				v.ValuePos = ls.at(valOff)
			}
			if d.cur == nil {
				value = d.expandWith(raw, ls, valOff, globalLookup{globalEnv{d.global}})
			} else {
				value = d.expand(raw, ls, valOff)
			}
		} else {
			value = wordVal{deferred: "--build-arg " + name}
		}
		setValue(&v, value)
		v.Refs = value.refs
		out = append(out, dockerVar{Var: v, wordVal: value, hasDefault: hasDefault})
	}
	return out
}

// lookup finds the value a reference names, for expansion.
type lookup interface {
	shell.EnvGetter
	lookup(name string) *argDef
}

type globalLookup struct{ globalEnv }

func (g globalLookup) lookup(name string) *argDef { return g.args[name] }

// expand expands an ENV or ARG value as BuildKit does, from the stage's
// ENV and ARG; raw is written at valOff of the logical line (-1: not
// found).
func (d *dockerReader) expand(raw string, ls *Script, valOff int) wordVal {
	return d.expandWith(raw, ls, valOff, stageEnv{d.cur})
}

func (d *dockerReader) expandWith(raw string, ls *Script, valOff int, env lookup) wordVal {
	v := wordVal{known: true, literal: true}
	single, singleWritten := "", false
	refs := dockerRefs(raw, d.escape)
	for _, r := range refs {
		ref := Ref{Name: r.name, Pos: ls.at(valOff + r.off)}
		if valOff < 0 {
			ref.Pos = ls.at(0)
		}
		switch def := env.lookup(r.name); {
		case def == nil:
			ref.Unexpanded = true // left as written: the base image may set it
			v.literal = false
		case !def.known:
			ref.Set = true
			v.known = false
			if len(refs) == 1 && r.whole {
				single, singleWritten = def.deferred, def.written
			}
		default:
			ref.Set = true
			v.literal = v.literal && def.literal
		}
		v.refs = append(v.refs, ref)
	}
	text, err := d.process(raw, env, ls.at(max(valOff, 0)))
	if d.err != nil {
		return wordVal{deferred: raw, written: true, refs: v.refs}
	}
	if err != nil {
		pos := ls.at(max(valOff, 0))
		d.note(NoteSyntax, pos, "dockerfile: %s", errorText(err))
		return wordVal{deferred: raw, written: true, refs: v.refs}
	}
	if !v.known {
		v.literal = false
		v.deferred, v.written = single, singleWritten
		if v.deferred == "" {
			v.deferred, v.written = raw, true
		}
		return v
	}
	v.text = text
	return v
}

// errorText is an error's message without the text it repeats.
func errorText(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "failed to process") {
		msg = msg[i+2:]
	}
	return dockerMessage(msg)
}

// dockerRef is a reference in an ENV or ARG value.
type dockerRef struct {
	name  string
	off   int
	whole bool // the reference is the whole value
}

// dockerRefs finds the references $NAME and ${NAME...} in a value as
// BuildKit's lexer reads it: not within single quotes, not after the
// escape character.
func dockerRefs(raw string, escape rune) []dockerRef {
	var out []dockerRef
	quote := byte(0)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case rune(c) == escape && quote != '\'':
			i++
		case c == '\'' && quote == 0 || c == '"' && quote == 0:
			quote = c
		case c == quote:
			quote = 0
		case c == '$' && quote != '\'' && i+1 < len(raw):
			j := i + 1
			braced := raw[j] == '{'
			if braced {
				j++
			}
			k := j
			for k < len(raw) && (raw[k] == '_' || raw[k] >= 'a' && raw[k] <= 'z' || raw[k] >= 'A' && raw[k] <= 'Z' || raw[k] >= '0' && raw[k] <= '9') {
				k++
			}
			if k == j {
				continue
			}
			end := k
			if braced {
				if e := strings.IndexByte(raw[k:], '}'); e >= 0 {
					end = k + e + 1
				}
			}
			whole := strings.Trim(raw, `"`) == raw[i:end] && (!braced || end == k+1)
			out = append(out, dockerRef{name: raw[j:k], off: i, whole: whole})
			i = end - 1
		}
	}
	return out
}

// runEnv gives a RUN, CMD or ENTRYPOINT of a stage the variables it
// sees: the stage's ENV, and its ARG where no ENV has the name.
type runEnv struct{ st *stage }

func (e runEnv) lookup(name string) *shVar {
	a := e.st.env[name]
	if a == nil {
		a = e.st.args[name]
	}
	if a == nil {
		return nil
	}
	v := Var{Name: name, ValuePos: a.vpos}
	setValue(&v, a.wordVal)
	return startVar(v)
}

func (e runEnv) each(fn func(name string, sv *shVar) bool) {
	for name := range e.st.env {
		if !fn(name, e.lookup(name)) {
			return
		}
	}
	for name := range e.st.args {
		if e.st.env[name] == nil && !fn(name, e.lookup(name)) {
			return
		}
	}
}

// run reads a RUN: the settings it writes into the image's profiles file,
// the release it installs, the exports that do not outlast it.
func (d *dockerReader) run(n *parser.Node, ls *Script, end int) error {
	if !d.shell {
		return nil
	}
	s := d.commandScript(n, ls, end)
	if s == nil {
		return nil
	}
	s.script.base = runEnv{d.cur}
	sh := readScript(s.script, &d.lim)
	for i, v := range sh.Vars {
		switch {
		case v.InProfile:
			v.Baked = true
			if err := d.addVar(v); err != nil {
				return err
			}
		case (v.Via == viaExport || v.Via == viaAssignment) && !sh.ranAfter(i):
			d.note(NoteNotPersisted, v.Pos, "%s is gone when this RUN ends: ENV sets a variable the image keeps", v.Name)
		}
	}
	d.cur.c.Notes = append(d.cur.c.Notes, sh.Notes...)
	if !sh.Release.IsZero() {
		d.cur.c.Release = sh.Release
	}
	return nil
}

// command reads a CMD or ENTRYPOINT.
func (d *dockerReader) command(n *parser.Node, ls *Script) *dockerCommand {
	c := d.commandScript(n, ls, 0)
	if c != nil && c.exec == nil {
		c.words = append([]string{"/bin/sh", "-c"}, c.words...)
	}
	return c
}

// heredocOnlyRE is a RUN whose script is its heredoc: RUN <<EOF, RUN
// bash <<EOF, RUN <<EOF bash.
var heredocOnlyRE = regexp.MustCompile(`^(?:(?:/bin/|/usr/bin/)?(?:ba|da)?sh\s+)?<<-?\s*["']?[^"'\s]+["']?(?:\s+(?:/bin/|/usr/bin/)?(?:ba|da)?sh)?\s*$`)

// commandScript returns the shell script a RUN, CMD or ENTRYPOINT runs:
// its shell form's text with its heredocs, or its exec form's words
// quoted for the shell.
func (d *dockerReader) commandScript(n *parser.Node, ls *Script, end int) *dockerCommand {
	if n.Attributes["json"] {
		return d.execCommand(n, ls)
	}
	if n.Next == nil {
		return nil
	}
	text := n.Next.Value
	off := findWord(ls, text, afterKeyword(n, ls))
	if off < 0 {
		return &dockerCommand{script: &Script{Text: text, File: d.file, Spans: []Span{{Len: len(text), Pos: ls.at(0)}}}, words: []string{text}}
	}
	s := ls.slice(off, off+len(text))
	c := &dockerCommand{script: s, words: []string{text}}
	if len(n.Heredocs) == 0 {
		return c
	}
	// The heredocs' lines follow the instruction's line.
	line := end + 1
	if len(n.Heredocs) == 1 && heredocOnlyRE.MatchString(strings.TrimSpace(text)) {
		h := n.Heredocs[0]
		if strings.HasPrefix(h.Content, "#!") && !sniffShell([]byte(h.Content)) {
			return nil // a script of another language
		}
		c.script = d.heredocScript(h.Content, line)
		return c
	}
	parts := []*Script{s}
	for _, h := range n.Heredocs {
		parts = append(parts, d.heredocScript(strings.TrimSuffix(h.Content, "\n"), line))
		line += strings.Count(h.Content, "\n")
		parts = append(parts, &Script{Text: h.Name, File: d.file, Spans: []Span{{Len: len(h.Name), Pos: sources.Position{File: d.file, Line: line, Column: 1}}}})
		line++
	}
	c.script = joinScripts(parts)
	return c
}

// heredocScript places a heredoc's content, which starts at line.
func (d *dockerReader) heredocScript(content string, line int) *Script {
	s := &Script{Text: content, File: d.file}
	for off := 0; off < len(content); line++ {
		n := strings.IndexByte(content[off:], '\n')
		if n < 0 {
			n = len(content) - off
		}
		if n > 0 {
			s.Spans = append(s.Spans, Span{Off: off, Len: n, Pos: sources.Position{File: d.file, Line: line, Column: 1}})
		}
		off += n + 1
	}
	if s.Spans == nil {
		s.Spans = []Span{{Pos: sources.Position{File: d.file, Line: line, Column: 1}}}
	}
	return s
}

// execWords returns the words of an instruction's exec form.
func (d *dockerReader) execWords(n *parser.Node) []string {
	var out []string
	for w := n.Next; w != nil; w = w.Next {
		out = append(out, w.Value)
	}
	return out
}

// execCommand reads the exec form ["prefect", "worker", "start"]: no
// shell runs it, so its words are quoted into a script the shell reader
// reads as the same words, each placed where it is written.
func (d *dockerReader) execCommand(n *parser.Node, ls *Script) *dockerCommand {
	words := d.execWords(n)
	s := &Script{File: d.file}
	var b strings.Builder
	at := afterKeyword(n, ls)
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		pos := ls.at(0)
		if off := findWord(ls, strconv.Quote(w), at); off >= 0 {
			pos, at = ls.at(off), off+len(strconv.Quote(w))
		}
		q := shellQuote(w)
		s.Spans = append(s.Spans, Span{Off: b.Len(), Len: len(q), Pos: pos})
		b.WriteString(q)
	}
	s.Text = b.String()
	return &dockerCommand{script: s, exec: words, words: words}
}

// shellQuote quotes a word for the shell: as it is when it has no
// character the shell reads, else in single quotes. A quoted word starts
// with its quote, where the exec form's word starts with its own.
func shellQuote(w string) string {
	safe := w != ""
	for i := 0; i < len(w) && safe; i++ {
		c := w[i]
		safe = c == '_' || c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' || c == '%' || c == '+' || c == ',' ||
			c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	if safe {
		return "\"" + w + "\"" // the quote stands where the exec form's is
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// copySettings records COPY and ADD of a settings file Prefect reads.
func (d *dockerReader) copySettings(n *parser.Node, ls *Script) {
	words := d.execWords(n)
	if len(words) < 2 {
		return
	}
	dest := words[len(words)-1]
	at := afterKeyword(n, ls)
	for _, src := range words[:len(words)-1] {
		off := findWord(ls, src, at)
		if off >= 0 {
			at = off + len(src)
		}
		switch path.Base(src) {
		case ".env", "prefect.toml", "pyproject.toml", "profiles.toml":
			d.cur.c.Mounts = append(d.cur.c.Mounts, Mount{Host: src, Container: dest, Pos: ls.at(max(off, 0))})
		}
	}
}
