package deploy

import (
	"errors"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/strata-settings/strata/sources"
)

// Shell is what a script does to the settings of the programs it runs, as
// ReadScript reads it.
type Shell struct {
	// Vars are the variables the script sets for the programs it runs, in
	// the order it sets them: exported (export, declare -x, an assignment
	// to an exported name or under set -a), set for one command
	// (NAME=value cmd, env NAME=value cmd), or written into a profile
	// (prefect config set, prefect cloud login: InProfile).
	Vars []Var
	// Notes are what it does that concerns no one variable, or that does
	// not last: a line the shell parser rejects (NoteSyntax), a
	// PREFECT_ variable never exported (NoteNotExported), a profile
	// selected (NoteProfile), Prefect installed from a requirements file
	// (NoteReleaseFile).
	Notes []Note
	// Role is what the Prefect commands it runs make of it: a server if
	// it runs prefect server start, else a worker if it runs prefect
	// worker start, else a client if it runs any other prefect command or
	// Python.
	Role Role
	// Command is the command that tells Role, its words as written.
	Command []string
	// Release is what its pip, uv or prefect commands say of the release
	// (pip install prefect==3.4.2); the last one wins.
	Release ReleaseHint
	// Containers are the containers it starts (docker run), each with its
	// own variables (-e) and role.
	Containers []Container
	// Later are the variables it sets for the steps of a CI job that run
	// after it: echo NAME=value >> $GITHUB_ENV.
	Later []Var

	setAt    []int // for each of Vars, how many commands had run before it was set
	commands int   // the commands the script runs
}

// ranAfter reports whether the script runs a command after it sets
// Vars[i]: an export followed by nothing is lost when the shell ends.
func (sh *Shell) ranAfter(i int) bool { return sh.setAt[i] < sh.commands }

// The ways a script sets a variable (Var.Via).
const (
	viaExport     = "export"
	viaAssignment = "assignment"
	viaPrefix     = "command prefix"
	viaEnv        = "env"
	viaConfigSet  = "prefect config set"
	viaCloudLogin = "prefect cloud login"
	viaDockerRun  = "docker run -e"
	viaGitHubEnv  = "$GITHUB_ENV"
)

// ViaDockerRun is the Via of a variable docker run -e gives a container:
// its value is written on the command line, and noted there (NoteArg).
const ViaDockerRun = viaDockerRun

// The codes of the notes the script, Dockerfile, workflow and prefect.yaml
// readers make, beside the lint rule ids they share ("syntax").
const (
	// NoteSyntax is a file or embedded script its format's parser
	// rejects.
	NoteSyntax = "syntax"
	// NoteNotExported is a PREFECT_ variable a script assigns and never
	// exports nor uses: the programs it starts do not see it.
	NoteNotExported = "not-exported"
	// NoteNotPersisted is a variable set where it does not last: an export
	// in a Dockerfile RUN (gone when the RUN ends; ENV persists) or in a
	// Makefile recipe line (each line runs in a shell of its own).
	NoteNotPersisted = "not-persisted"
	// NoteProfile is a command that selects or creates a Prefect profile:
	// the settings it then reads or writes are that profile's.
	NoteProfile = "profile"
	// NoteReleaseFile is Prefect installed from a file (pip install -r
	// requirements.txt): the release is pinned there, if anywhere.
	NoteReleaseFile = "release-file"
	// NoteUnread is something a reader saw and could not read: a shell
	// other than sh or bash, a value too large to expand, a template a
	// value is built from at deploy time.
	NoteUnread = "unread"
)

// maxScriptDepth bounds scripts within scripts (sh -c '...').
const maxScriptDepth = 4

// maxExpandWork bounds the bytes of script one file may have read, and
// that the expansions in them may produce: A=$A$A repeated doubles a
// value each line, and a YAML alias may bring one script many times.
// It is a variable so that the tests can make it small.
var maxExpandWork = 2 * sources.MaxFileSize

// ReadScript reads shell code: the variables it exports, sets for one
// command or writes into a Prefect profile, the containers it starts, and
// what its commands tell of the role and release. It never fails: a line
// the shell parser rejects is a note (NoteSyntax) at its position, and
// what comes before it is read.
//
// A script is read once from top to bottom, every branch taken and every
// function body read where it is written. References ($VAR, ${VAR}) to a
// variable assigned earlier in the script or given in Env take its value;
// any other reference, a command substitution or a template makes the
// value Deferred (the value as written), its references recorded
// Unexpanded.
func ReadScript(s *Script) *Shell {
	return readScript(s, &scriptLimits{})
}

// maxScripts bounds the scripts one file may have read (Makefile recipe
// lines, RUN instructions, workflow steps), each parsed on its own, and
// maxCommands the commands of all of them: no file needs that many, and
// each costs the shell parser a moment and a few kilobytes.
const (
	maxScripts  = maxVars
	maxCommands = 10 * maxVars
	// maxScriptWords bounds the words of the scripts of one file, counted
	// from their text before the shell parser reads them: it takes some
	// 150 bytes for each, and one command may have any number.
	maxScriptWords = 20 * maxVars
)

// scriptLimits bound the work of the scripts read for one file, and
// keep the parsers they may use again.
type scriptLimits struct {
	work     int // bytes read and produced by expansions
	scripts  int // scripts read
	words    int // words of the scripts read
	commands int // commands (statements) of the scripts read
	depth    int // scripts within scripts
	parsers  []*syntax.Parser
	noted    bool // the file's scripts were too much to read
}

// full reports whether the file's scripts have cost all they may: an
// alias of YAML may bring one script many times.
func (l *scriptLimits) full() bool {
	return l.work > maxExpandWork || l.scripts > maxScripts || l.commands > maxCommands || l.words > maxScriptWords
}

// countScriptWords counts the words of text, runs of bytes other than blanks
// and the shell's operators, and what opens a nested construct ('(', '{',
// '`'), until there are more than limit: at is then the offset of the
// one beyond, else -1. The parser takes as much for a level of nesting
// as for a word.
func countScriptWords(text string, limit int) (n, at int) {
	inWord := false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case ' ', '\t', '\r', '\n', ';', '|', '&', ')', '}', '<', '>':
			inWord = false
		case '(', '{', '`':
			if inWord, n = false, n+1; n > limit {
				return n, i
			}
		default:
			if !inWord {
				if inWord, n = true, n+1; n > limit {
					return n, i
				}
			}
		}
	}
	return n, -1
}

// skipped returns the note that a script at pos and those after it are
// not read, the first time a reader skips one.
func (l *scriptLimits) skipped(pos sources.Position) []Note {
	if l.noted {
		return nil
	}
	l.noted = true
	return []Note{{Code: NoteUnread, Pos: pos, Message: "the scripts of this file are too large to read them all: this one and those after it are not read"}}
}

// parser returns a shell parser no script being read uses.
func (l *scriptLimits) parser() *syntax.Parser {
	if n := len(l.parsers); n > 0 {
		p := l.parsers[n-1]
		l.parsers = l.parsers[:n-1]
		return p
	}
	return syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash))
}

// templateNames maps the placeholders readers put in a script for the
// templates of their format (${{ secrets.X }}) to the templates; a value
// built from one is deferred, and shows the template.
type templateNames map[string]string

// templatePrefix starts the name of every template placeholder.
const templatePrefix = "STRATA_TEMPLATE_"

func readScript(s *Script, lim *scriptLimits) *Shell {
	if lim.full() {
		return &Shell{Notes: lim.skipped(s.at(0))}
	}
	lim.work += len(s.Text)
	lim.scripts++
	n, at := countScriptWords(s.Text, maxScriptWords-lim.words)
	if lim.words += n; at >= 0 {
		return &Shell{Notes: lim.skipped(s.at(at))}
	}
	r := &shellReader{s: s, lim: lim, out: &Shell{}, vars: map[string]*shVar{}, keys: hasAPIKey(s.Text)}
	for _, v := range s.Env {
		r.vars[v.Name] = startVar(v)
	}
	r.run()
	return r.out
}

// startVar is a variable of the environment a script starts with, as the
// script finds it.
func startVar(v Var) *shVar {
	return &shVar{exported: true, pos: v.Pos, valuePos: v.ValuePos, litPos: v.ValuePos,
		wordVal: wordVal{known: v.Deferred == "", text: v.Value, literal: v.Literal, deferred: v.Deferred, written: v.written}}
}

// envSource is an environment a script starts with beside its Env, read
// by name as the script refers to it rather than copied: a Dockerfile
// stage's ENV and ARG, which each of its RUN instructions reads; the
// variables the script running sh -c exports. A stage of thousands of
// variables and thousands of RUN instructions costs no more than the two.
type envSource interface {
	// lookup returns variable name as the script starts with it (a new
	// one, which the script may change); nil when it has none.
	lookup(name string) *shVar
	// each calls fn with every variable until fn returns false.
	each(fn func(name string, sv *shVar) bool)
}

// get returns the variable name as the script knows it at this point;
// nil when it has none.
func (r *shellReader) get(name string) *shVar {
	if sv, ok := r.vars[name]; ok {
		return sv
	}
	if r.s.base == nil {
		return nil
	}
	sv := r.s.base.lookup(name)
	r.vars[name] = sv // nil too: the base is asked once for each name
	return sv
}

// unset forgets the variable name.
func (r *shellReader) unset(name string) {
	if r.s.base == nil {
		delete(r.vars, name)
	} else {
		r.vars[name] = nil // the base's no longer counts
	}
}

// eachVar calls fn with every variable the script knows at this point,
// until fn returns false.
func (r *shellReader) eachVar(fn func(name string, sv *shVar) bool) {
	for name, sv := range r.vars {
		if sv != nil && !fn(name, sv) {
			return
		}
	}
	if r.s.base != nil {
		r.s.base.each(func(name string, sv *shVar) bool {
			if _, ok := r.vars[name]; ok {
				return true // the script's own, seen above
			}
			return fn(name, sv)
		})
	}
}

// lookup makes the variables the script exports the environment of a
// script it runs (sh -c), as that script starts with them.
func (r *shellReader) lookup(name string) *shVar {
	if sv := r.get(name); sv != nil && sv.exported {
		return startVar(r.startValue(name, sv))
	}
	return nil
}

func (r *shellReader) each(fn func(name string, sv *shVar) bool) {
	r.eachVar(func(name string, sv *shVar) bool {
		return !sv.exported || fn(name, startVar(r.startValue(name, sv)))
	})
}

// startValue is the variable sv as a script run now finds it.
func (r *shellReader) startValue(name string, sv *shVar) Var {
	v := Var{Name: name, Pos: sv.pos, ValuePos: sv.valuePos}
	setValue(&v, sv.wordVal)
	return v
}

type shellReader struct {
	s         *Script
	lim       *scriptLimits
	out       *Shell
	vars      map[string]*shVar
	allexport bool
	profile   string // the profile prefect profile use selected
	ghEnv     map[*syntax.CallExpr]bool
	pending   []*shVar // PREFECT_ variables assigned and not exported
	keys      bool     // the script's text may hold a Prefect API key
}

// shVar is a shell variable as the script knows it.
type shVar struct {
	wordVal
	name          string
	exported      bool
	assigned      bool // by the script, not given in Env
	used          bool // referenced after it was assigned
	pos, valuePos sources.Position
	// litPos is where a value written out starts, inside its quotes;
	// unset for a value built from anything else.
	litPos sources.Position
}

// wordVal is a word's value as far as the script tells.
type wordVal struct {
	text     string // when known
	known    bool
	literal  bool   // known, and written in the file: no reference to anything deferred
	deferred string // when not known: where it comes from, or the word as written
	written  bool   // deferred is the word as written
	refs     []Ref
}

func (r *shellReader) run() {
	p := r.lim.parser()
	defer func() { r.lim.parsers = append(r.lim.parsers, p) }()
	// The parser's iterator is called, not ranged over: once the reader
	// stops on a statement that carries an error (an unclosed here-document
	// after `&`), mvdan.cc/sh v3.14.1 yields its error once more, which a
	// range loop turns into a panic; here the extra call is told to stop.
	stopped := false
	p.StmtsSeq(strings.NewReader(r.s.Text))(func(stmt *syntax.Stmt, err error) bool {
		switch {
		case stopped:
		case err != nil:
			r.syntaxError(err)
			stopped = true
		default:
			if r.lim.commands++; r.lim.commands > maxCommands {
				r.out.Notes = append(r.out.Notes, r.lim.skipped(r.s.at(int(stmt.Pos().Offset())))...)
				stopped = true
			} else {
				r.stmt(stmt)
			}
		}
		return !stopped
	})
	for _, v := range r.pending {
		if !v.exported && !v.used {
			r.note(NoteNotExported, v.pos, "%s is assigned but never exported: the programs the script starts do not see it", v.name)
		}
	}
}

func (r *shellReader) syntaxError(err error) {
	var pe syntax.ParseError
	var pep *syntax.ParseError
	switch {
	case errors.As(err, &pep):
		pe = *pep
	case errors.As(err, &pe):
	default:
		r.note(NoteSyntax, r.s.at(0), "shell: %v", err)
		return
	}
	r.note(NoteSyntax, r.s.at(int(pe.Pos.Offset())), "shell: %s", pe.Text)
}

func (r *shellReader) note(code string, pos sources.Position, format string, args ...any) {
	r.out.Notes = append(r.out.Notes, Note{Code: code, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// stmt reads one statement, its commands in the order written.
func (r *shellReader) stmt(st *syntax.Stmt) {
	syntax.Walk(st, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ParamExp:
			if n.Param != nil {
				if sv := r.get(n.Param.Value); sv != nil {
					sv.used = true // by this statement, or one after it
				}
			}
		case *syntax.Stmt:
			r.redirects(n)
		case *syntax.CallExpr:
			r.call(n)
		case *syntax.DeclClause:
			r.decl(n)
		case *syntax.Lit:
			if r.keys {
				r.apiKeys(n.Value, int(n.Pos().Offset()))
			}
		case *syntax.SglQuoted:
			if r.keys {
				r.apiKeys(n.Value, int(n.Pos().Offset())+1)
			}
		}
		return true
	})
}

// call reads a simple command: assignments alone, or a command with its
// prefix assignments.
func (r *shellReader) call(c *syntax.CallExpr) {
	if len(c.Args) == 0 {
		for _, a := range c.Assigns {
			r.assign(a, false)
		}
		return
	}
	args := r.args(c.Args)
	r.out.commands++
	for _, a := range c.Assigns {
		if a.Name == nil || a.Array != nil || a.Index != nil {
			continue
		}
		v := r.assignValue(a)
		r.addVar(r.makeVar(a.Name.Value, int(a.Name.Pos().Offset()), v, valueOffset(a), viaPrefix))
	}
	if r.ghEnv[c] {
		r.githubEnv(args)
		return
	}
	r.command(args)
}

// decl reads export, declare, typeset, local and readonly.
func (r *shellReader) decl(d *syntax.DeclClause) {
	exports := d.Variant.Value == "export"
	for _, a := range d.Args {
		if a.Name == nil && a.Value != nil { // a flag, or a word expanded at run time
			switch w := a.Value.Lit(); {
			case strings.HasPrefix(w, "-") && strings.ContainsRune(w, 'x'):
				exports = true
			case strings.HasPrefix(w, "-") && strings.ContainsRune(w, 'n') && d.Variant.Value == "export":
				exports = false // export -n: stops exporting
			}
			continue
		}
		if a.Name == nil || a.Array != nil || a.Index != nil {
			continue
		}
		if a.Naked {
			if exports {
				r.export(a.Name.Value)
			}
			continue
		}
		r.assign(a, exports)
	}
}

// assign reads NAME=value, exported when export says so, when the name
// is exported already or under set -a.
func (r *shellReader) assign(a *syntax.Assign, export bool) {
	if a.Name == nil || a.Array != nil || a.Index != nil {
		return
	}
	name := a.Name.Value
	v := r.assignValue(a)
	old := r.get(name)
	sv := &shVar{wordVal: v, name: name, assigned: true, pos: r.s.at(int(a.Name.Pos().Offset()))}
	if off := valueOffset(a); off >= 0 {
		sv.valuePos = r.s.at(off)
		if v.known && v.literal && v.text != "" && len(v.refs) == 0 {
			sv.litPos = r.litAt(a.Value, off)
		}
	}
	if p, ok := r.literalAt(v, v.text); ok {
		sv.litPos = p // B=$A: where A's value is written
	}
	sv.exported = export || r.allexport || old != nil && old.exported
	r.vars[name] = sv
	if sv.exported {
		via := viaAssignment
		if export {
			via = viaExport
		}
		r.addVar(r.makeVar(name, int(a.Name.Pos().Offset()), v, valueOffset(a), via))
		return
	}
	if strings.HasPrefix(name, "PREFECT_") {
		r.pending = append(r.pending, sv)
	}
}

// export reads export NAME of a variable assigned before.
func (r *shellReader) export(name string) {
	sv := r.get(name)
	if sv == nil {
		r.vars[name] = &shVar{name: name, exported: true, wordVal: wordVal{deferred: "$" + name, refs: nil}}
		return
	}
	if sv.exported {
		return
	}
	sv.exported = true
	if sv.assigned {
		v := Var{Name: name, Pos: sv.pos, ValuePos: sv.valuePos, Via: viaExport, Refs: sv.refs}
		setValue(&v, sv.wordVal)
		r.addVar(v)
	}
}

// assignValue returns the value an assignment gives, += included.
func (r *shellReader) assignValue(a *syntax.Assign) wordVal {
	v := wordVal{known: true, literal: true}
	if a.Value != nil {
		v = r.eval(a.Value)
	}
	if a.Append {
		old := r.get(a.Name.Value)
		switch {
		case old == nil:
		case old.known && v.known:
			v.text = old.text + v.text
			v.literal = v.literal && old.literal
		default:
			v = wordVal{deferred: r.written(int(a.Pos().Offset()), int(a.End().Offset())), written: true, refs: v.refs}
		}
	}
	return v
}

// literalAt returns where value, of a word whose value is v, is written
// out when it is the whole value of the one variable the word refers to,
// itself written out: K=pnu_... then $K, --from-literal=key=$K.
func (r *shellReader) literalAt(v wordVal, value string) (sources.Position, bool) {
	if len(v.refs) != 1 || !v.known || !v.literal || value == "" {
		return sources.Position{}, false
	}
	sv := r.get(v.refs[0].Name)
	if sv == nil || !sv.known || !sv.literal || sv.text != value || !sv.litPos.IsValid() {
		return sources.Position{}, false
	}
	return sv.litPos, true
}

// litAt returns where the value of word w, written from off on, starts:
// inside its quotes when it is quoted whole, spanning it when it is
// written on one line as its value reads.
func (r *shellReader) litAt(w *syntax.Word, off int) sources.Position {
	if w == nil || len(w.Parts) != 1 {
		return r.s.at(off)
	}
	end := int(w.End().Offset())
	switch w.Parts[0].(type) {
	case *syntax.SglQuoted, *syntax.DblQuoted:
		off, end = off+1, end-1
	}
	pos, stop := r.s.at(off), r.s.at(end)
	if stop.Line == pos.Line && stop.Column > pos.Column {
		pos.EndLine, pos.EndColumn = stop.Line, stop.Column
	}
	return pos
}

// valueOffset returns where an assignment's value starts: after the "=".
func valueOffset(a *syntax.Assign) int {
	if a.Value != nil {
		return int(a.Value.Pos().Offset())
	}
	if a.Naked || a.Name == nil {
		return -1
	}
	off := int(a.Name.End().Offset()) + 1
	if a.Append {
		off++
	}
	return off
}

// makeVar builds a variable set at the name's offset, its value at
// valueOff (-1: none).
func (r *shellReader) makeVar(name string, nameOff int, v wordVal, valueOff int, via string) Var {
	out := Var{Name: name, Pos: r.s.at(nameOff), Via: via, Refs: v.refs}
	if valueOff >= 0 {
		out.ValuePos = r.s.at(valueOff)
	}
	out.LiteralPos, _ = r.literalAt(v, v.text)
	setValue(&out, v)
	return out
}

func setValue(out *Var, v wordVal) {
	if v.known {
		out.Value, out.Literal = v.text, v.literal
	} else {
		out.Deferred = v.deferred
	}
	out.written = !v.known && v.written
}

// addVar records a variable the script sets for the programs it runs.
func (r *shellReader) addVar(v Var) {
	if v.InProfile && v.Profile == "" {
		v.Profile = r.profile
	}
	r.out.Vars = append(r.out.Vars, v)
	at := r.out.commands
	if v.Via == viaPrefix || v.Via == viaEnv {
		at-- // the command it prefixes runs with it
	}
	r.out.setAt = append(r.out.setAt, at)
}

// written returns the script's text from off to end as written, its
// template placeholders shown as the templates they stand for.
func (r *shellReader) written(off, end int) string {
	off, end = max(0, min(off, len(r.s.Text))), max(0, min(end, len(r.s.Text)))
	if off >= end {
		return ""
	}
	return r.s.untemplate(r.s.Text[off:end])
}

// eval returns the value of a word: expanded when every reference in it
// has a known value, else deferred, the word as written.
func (r *shellReader) eval(w *syntax.Word) wordVal {
	if len(w.Parts) == 1 {
		switch p := w.Parts[0].(type) {
		case *syntax.Lit:
			if !strings.ContainsAny(p.Value, `\~`) {
				return wordVal{text: p.Value, known: true, literal: true}
			}
		case *syntax.SglQuoted:
			if !p.Dollar && !strings.Contains(p.Value, "${"+templatePrefix) {
				return wordVal{text: p.Value, known: true, literal: true}
			}
		}
	}
	e := evaluation{r: r, v: wordVal{known: true, literal: true}}
	e.walk(w.Parts, true, true)
	v, single := e.v, e.single
	v.written = e.singleWritten
	written := func() string {
		off, end := int(w.Pos().Offset()), int(w.End().Offset())
		if _, ok := w.Parts[0].(*syntax.DblQuoted); ok && len(w.Parts) == 1 && end-off >= 2 {
			off, end = off+1, end-1 // "$(cmd)" shows as $(cmd)
		}
		return r.written(off, end)
	}
	if !v.known {
		v.literal = false
		v.deferred = single
		if v.deferred == "" {
			v.deferred, v.written = written(), true
		}
		return v
	}
	if r.lim.full() || r.expandsBeyond(w) {
		return wordVal{deferred: written(), written: true, refs: v.refs}
	}
	text, err := expand.Literal(&expand.Config{Env: shellEnv{r}}, w)
	r.lim.work += len(text)
	if err != nil || len(text) > sources.MaxValueLen {
		return wordVal{deferred: written(), written: true, refs: v.refs}
	}
	if len(r.s.templates) > 0 && strings.Contains(text, "${"+templatePrefix) {
		// A template in single quotes, which the file's own format
		// substitutes before the shell runs.
		return wordVal{deferred: r.s.untemplate(text), written: true, refs: v.refs}
	}
	v.text = text
	return v
}

// expandsBeyond reports whether what word w may expand to goes beyond
// sources.MaxValueLen or what the file's scripts may still produce:
// "$A$A…" of a large A, ${A//?/$B}, or ${!name} of a large variable
// would build it before anything could measure it.
func (r *shellReader) expandsBeyond(w *syntax.Word) bool {
	text := r.s.Text[min(int(w.Pos().Offset()), len(r.s.Text)):min(int(w.End().Offset()), len(r.s.Text))]
	if !strings.Contains(text, "$") {
		return false
	}
	size := func(name string) int {
		if sv := r.get(name); sv != nil {
			return len(sv.text)
		}
		return 0
	}
	largest := 0
	if strings.Contains(text, "${!") {
		r.eachVar(func(_ string, sv *shVar) bool {
			largest = max(largest, len(sv.text))
			return true
		})
	}
	limit := min(sources.MaxValueLen, maxExpandWork-r.lim.work)
	return expansionBound(text, size, largest, limit) > limit
}

// evaluation is the state of eval: what it found of a word's parts.
type evaluation struct {
	r      *shellReader
	v      wordVal
	single string // the deferred source of a word that is one reference
	// singleWritten is set when single is the referenced value as written.
	singleWritten bool
}

// walk reads parts of a word; top says they are the word's own (not
// quoted), whole that they make the whole word.
func (e *evaluation) walk(parts []syntax.WordPart, top, whole bool) {
	for i, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if top && tildeAt(p.Value, i == 0) {
				e.v.known = false // ~ is the home directory, which the file does not tell
			}
		case *syntax.DblQuoted:
			e.walk(p.Parts, false, whole && len(parts) == 1)
		case *syntax.ParamExp:
			e.r.ref(p, &e.v, &e.single, &e.singleWritten, whole && len(parts) == 1)
			for _, sub := range paramWords(p) {
				e.walk(sub.Parts, false, false)
			}
		case *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ArithmExp, *syntax.ExtGlob:
			e.v.known = false
		}
	}
}

// ref reads one parameter expansion of a word into v: a reference to a
// variable with its value, or to one the script does not know.
func (r *shellReader) ref(p *syntax.ParamExp, v *wordVal, single *string, written *bool, whole bool) {
	if p.Param == nil || p.Excl || p.Index != nil || p.NestedParam != nil {
		v.known = false
		return
	}
	name := p.Param.Value
	if !isShellName(name) {
		v.known = false // $1, $@, $?...
		return
	}
	if tpl, ok := r.s.template(name); ok {
		v.known = false
		if whole {
			*single = tpl
		}
		return
	}
	ref := Ref{Name: name, Pos: r.s.at(int(p.Pos().Offset()))}
	sv := r.get(name)
	switch {
	case sv == nil:
		ref.Unexpanded = true
		v.known = false
	case !sv.known:
		ref.Set = true
		v.known = false
		if whole && p.Exp == nil && p.Repl == nil && p.Slice == nil && !p.Length {
			*single, *written = sv.deferred, sv.written
		}
	default:
		ref.Set = true
		v.literal = v.literal && sv.literal
	}
	v.refs = append(v.refs, ref)
}

// paramWords returns the words inside a parameter expansion: the default
// of ${X:-default}, the parts of ${X/a/b}.
func paramWords(p *syntax.ParamExp) []*syntax.Word {
	var out []*syntax.Word
	if p.Exp != nil && p.Exp.Word != nil {
		out = append(out, p.Exp.Word)
	}
	if p.Repl != nil {
		if p.Repl.Orig != nil {
			out = append(out, p.Repl.Orig)
		}
		if p.Repl.With != nil {
			out = append(out, p.Repl.With)
		}
	}
	return out
}

// tildeAt reports whether an unquoted literal has a tilde the shell
// expands to a home directory: at a word's start, or after ":" or "=".
func tildeAt(lit string, first bool) bool {
	for i := 0; i < len(lit); i++ {
		if lit[i] == '~' && (i == 0 && first || i > 0 && (lit[i-1] == ':' || lit[i-1] == '=')) {
			return true
		}
	}
	return false
}

func isShellName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// shellEnv gives expand the values the script knows.
type shellEnv struct{ r *shellReader }

func (e shellEnv) Get(name string) expand.Variable {
	if sv := e.r.get(name); sv != nil && sv.known {
		return expand.Variable{Set: true, Exported: sv.exported, Kind: expand.String, Str: sv.text}
	}
	return expand.Variable{}
}

func (e shellEnv) Each(fn func(string, expand.Variable) bool) {
	e.r.eachVar(func(name string, sv *shVar) bool {
		return !sv.known || fn(name, expand.Variable{Set: true, Exported: sv.exported, Kind: expand.String, Str: sv.text})
	})
}

// arg is one word of a command, evaluated when a reader asks: most
// commands (echo, cp, apt-get) are read no further than their name.
type arg struct {
	w *syntax.Word
	r *shellReader
	v *wordVal
}

// val returns the word's value.
func (a *arg) val() *wordVal {
	if a.v == nil {
		v := a.r.eval(a.w)
		a.v = &v
	}
	return a.v
}

// lit returns the argument's value, or "" when it is not known.
func (a *arg) lit() string {
	if v := a.val(); v.known {
		return v.text
	}
	return ""
}

func (r *shellReader) args(words []*syntax.Word) []arg {
	out := make([]arg, len(words))
	for i, w := range words {
		out[i] = arg{w: w, r: r}
	}
	return out
}

// redirects notes a statement that appends to $GITHUB_ENV: its echo
// commands set variables for the steps after it.
func (r *shellReader) redirects(st *syntax.Stmt) {
	for _, rd := range st.Redirs {
		if (rd.Op != syntax.AppOut && rd.Op != syntax.RdrOut) || rd.Word == nil || !refersTo(rd.Word, "GITHUB_ENV") {
			continue
		}
		syntax.Walk(st.Cmd, func(n syntax.Node) bool {
			if c, ok := n.(*syntax.CallExpr); ok && len(c.Args) > 0 && c.Args[0].Lit() == "echo" {
				if r.ghEnv == nil {
					r.ghEnv = map[*syntax.CallExpr]bool{}
				}
				r.ghEnv[c] = true
			}
			return true
		})
	}
}

// refersTo reports whether a word references the variable name.
func refersTo(w *syntax.Word, name string) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		if p, ok := n.(*syntax.ParamExp); ok && p.Param != nil && p.Param.Value == name {
			found = true
		}
		return !found
	})
	return found
}

// githubEnv reads echo NAME=value >> $GITHUB_ENV.
func (r *shellReader) githubEnv(args []arg) {
	args = args[1:]
	for len(args) > 0 && (args[0].lit() == "-n" || args[0].lit() == "-e" || args[0].lit() == "-E") {
		args = args[1:]
	}
	if len(args) == 0 {
		return
	}
	if v, ok := r.nameValue(args[0].w); ok {
		v.Via = viaGitHubEnv
		r.out.Later = append(r.out.Later, v)
	}
}

// nameValue reads a word written NAME=value (prefect config set's
// arguments, echo NAME=value): the name must be written literally.
func (r *shellReader) nameValue(w *syntax.Word) (Var, bool) {
	first := w.Parts[0]
	var rest []syntax.WordPart
	quoted := false
	if dq, ok := first.(*syntax.DblQuoted); ok && len(dq.Parts) > 0 {
		first, rest, quoted = dq.Parts[0], dq.Parts[1:], true
	}
	var lit string
	var litOff int
	switch p := first.(type) {
	case *syntax.Lit:
		lit, litOff = p.Value, int(p.Pos().Offset())
	case *syntax.SglQuoted:
		lit, litOff = p.Value, int(p.Pos().Offset())+1
		if p.Dollar {
			return Var{}, false
		}
	default:
		return Var{}, false
	}
	name, after, ok := strings.Cut(lit, "=")
	if !ok || !isShellName(name) {
		return Var{}, false
	}
	valueOff := litOff + len(name) + 1
	// The value is the rest of the word from after the "=": build it as a
	// word of its own, with the same parts.
	valueLit := &syntax.Lit{Value: after, ValuePos: offsetPos(valueOff), ValueEnd: offsetPos(valueOff + len(after))}
	var parts []syntax.WordPart
	switch p := first.(type) {
	case *syntax.SglQuoted:
		parts = append(parts, &syntax.SglQuoted{Left: offsetPos(valueOff), Right: p.Right, Value: after})
	default:
		if after != "" {
			parts = append(parts, valueLit)
		}
	}
	if quoted {
		dq := w.Parts[0].(*syntax.DblQuoted)
		parts = []syntax.WordPart{&syntax.DblQuoted{Left: offsetPos(valueOff), Right: dq.Right, Parts: append(parts, rest...)}}
	}
	parts = append(parts, w.Parts[1:]...)
	v := wordVal{known: true, literal: true}
	if len(parts) > 0 {
		v = r.eval(&syntax.Word{Parts: parts})
		if !v.known && v.deferred != "" && strings.HasPrefix(v.deferred, `"`) != strings.HasSuffix(v.deferred, `"`) {
			v.deferred = strings.Trim(v.deferred, `"`)
		}
	}
	return r.makeVar(name, litOff, v, valueOff, ""), true
}

// offsetPos is a position known by its offset alone, for the words
// nameValue makes: only offsets of positions are read.
func offsetPos(off int) syntax.Pos { return syntax.NewPos(uint(off), 1, 1) }
