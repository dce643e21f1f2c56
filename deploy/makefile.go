package deploy

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/sources"
)

// makefileKind reads Makefiles: Makefile, makefile, GNUmakefile, *.mk.
var makefileKind = Kind{Name: "makefile", Match: matchMakefile, Read: readMakefile}

func matchMakefile(p string) Match {
	base := path.Base(p)
	if base == "Makefile" || base == "makefile" || base == "GNUmakefile" || strings.HasSuffix(base, ".mk") || strings.HasSuffix(base, ".mak") {
		return Certain
	}
	return No
}

// No Go library reads Makefiles, so the reader reads the little of GNU
// make's syntax that tells the environment of a recipe: variable
// assignments (=, :=, ::=, ?=, +=, !=, with export and override), export
// and unexport directives, .EXPORT_ALL_VARIABLES, target-specific
// variables, rules and their recipes (tab-led lines, continued by a
// backslash; .ONESHELL), define blocks (skipped), include (the files are
// read, .env included: its lines are make assignments, quotes kept as make
// keeps them). Conditionals are read as if every branch were taken. A
// recipe line is shell once make has expanded it: $$ is $, $(VAR) the
// variable's value, $@ the target; the shell reader reads it.

// makeReader reads one Makefile and the files it includes.
type makeReader struct {
	in        *Input
	lim       scriptLimits
	defs      map[string]*makeAssign // each variable's last definition
	assigns   []*makeAssign          // in the order written
	exports   map[string]bool        // export NAME, unexport NAME, export NAME = value
	exportAll bool                   // export alone, .EXPORT_ALL_VARIABLES
	oneShell  bool
	targets   []*makeTarget
	byName    map[string]*makeTarget
	notes     []Note
	nextTpl   int
	// final is set once every file is read: a variable's value no longer
	// changes, and memo keeps it.
	final bool
	memo  map[*makeAssign]makeValue
	// What the Makefile and the files it includes (a file may include
	// itself, many times on one line) have cost: within maxMakeLines
	// lines, maxIncludes includes and maxExpandWork bytes.
	lines, includes, bytes int
}

// The bounds of a Makefile and the files it includes.
const (
	maxMakeLines = 10 * maxVars
	maxIncludes  = 1000
)

type makeValue struct {
	text  string
	known bool
}

// makeAssign is one assignment.
type makeAssign struct {
	name, op  string
	raw       string // the value as written, after the op
	value     string // a simple (:=) variable's value, expanded where assigned
	known     bool   // for :=: whether value is known
	prev      *makeAssign
	export    bool // written with export
	pos, vpos sources.Position
	src       *Script // the logical line, for the positions of references
	rawOff    int     // where raw starts in src
	target    *makeTarget
	noEffect  bool // ?= of a variable defined before
}

// makeTarget is a target with a recipe.
type makeTarget struct {
	name    string
	pos     sources.Position
	vars    []*makeAssign
	recipes []*Script // logical recipe lines, as written, before make expands them
}

var (
	makeAssignRE = regexp.MustCompile(`^((?:(?:override|export|private)\s+)*)([^\s:#=$]+|\$[({][^\s)}]+[)}])\s*(:::=|::=|:=|\?=|\+=|!=|=)`)
	makeWordRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
)

func readMakefile(in *Input) (*File, error) {
	if err := checkText(in.Path, in.Data); err != nil {
		return nil, err
	}
	m := &makeReader{in: in, defs: map[string]*makeAssign{}, exports: map[string]bool{}, byName: map[string]*makeTarget{}}
	text := string(in.Data)
	m.oneShell = strings.HasPrefix(text, ".ONESHELL:") || strings.Contains(text, "\n.ONESHELL:")
	if err := m.readSource(in.Path, text, 0, sources.Position{}); err != nil {
		return nil, err
	}
	return m.file()
}

// readSource reads the lines of the Makefile or of a file it includes
// (at the include line at).
func (m *makeReader) readSource(file, text string, depth int, at sources.Position) error {
	m.bytes += len(text)
	if m.lines += strings.Count(text, "\n") + 1; m.lines > maxMakeLines || m.bytes > maxExpandWork {
		if !at.IsValid() {
			at = sources.Position{File: file, Line: maxMakeLines + 1, Column: 1}
		}
		msg := fmt.Sprintf("more than %d lines, with the files it includes: no Makefile needs that many", maxMakeLines)
		if m.bytes > maxExpandWork {
			msg = fmt.Sprintf("more than %d MiB, with the files it includes: no Makefile needs that much", maxExpandWork>>20)
		}
		return &sources.FileError{Pos: at, Msg: msg}
	}
	lines := newLineIndex(text)
	whole := &Script{Text: text, File: file, lines: lines}
	var rule []*makeTarget // the targets the recipe lines that follow belong to
	inRule, define := false, false
	for i := 1; i <= lines.lines(); i++ {
		line, off := lines.line(i)
		if define {
			if f := strings.Fields(line); len(f) > 0 && f[0] == "endef" {
				define = false
			}
			continue
		}
		if inRule && strings.HasPrefix(line, "\t") {
			var rec *Script
			rec, i = recipeLine(whole, lines, i, off+1)
			for _, t := range rule {
				t.recipes = append(t.recipes, rec)
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		var logical *Script
		logical, i = makeLogical(whole, lines, i)
		t := stripMakeComment(logical.Text)
		lead := len(t) - len(strings.TrimLeft(t, " \t"))
		t = strings.TrimSpace(t)
		words := strings.Fields(t)
		if len(words) == 0 {
			continue
		}
		switch words[0] {
		case "define":
			define = true
			continue
		case "override", "export", "private":
			if len(words) > 1 && words[1] == "define" {
				define = true
				continue
			}
		case "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif":
			continue
		case "include", "-include", "sinclude":
			if err := m.include(logical, words, depth); err != nil {
				return err
			}
			inRule = false
			continue
		case "vpath":
			continue
		}
		if a, ok := m.assignment(logical, lead, t, nil); ok {
			m.define(a)
			inRule = false
			continue
		}
		switch {
		case t == "export":
			m.exportAll = true
			continue
		case t == "unexport":
			m.exportAll = false
			continue
		case (words[0] == "export" || words[0] == "unexport") && !strings.Contains(t, ":"):
			for _, w := range words[1:] {
				m.exports[w] = words[0] == "export"
			}
			continue
		}
		colon := ruleColon(t)
		if colon < 0 {
			inRule = false
			continue
		}
		rule, inRule = m.rule(logical, lead, t, colon), true
	}
	return nil
}

// recipeLine returns the logical recipe line starting at line i (the
// byte after its tab at off), continued by backslashes, and its last
// line. Make passes the backslashes and line breaks to the shell, with
// the tab that leads each continuation line removed; the prefixes @, -
// and + of the first line are make's own.
func recipeLine(whole *Script, lines *lineIndex, i, off int) (*Script, int) {
	rec := &Script{File: whole.File}
	var b strings.Builder
	first := true
	for {
		line, start := lines.line(i)
		from := off - start
		if !first {
			from = 0
			if strings.HasPrefix(line, "\t") {
				from = 1
			}
		} else {
			for from < len(line) && strings.IndexByte("@-+ \t", line[from]) >= 0 {
				from++
			}
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		if piece := line[from:]; piece != "" {
			rec.Spans = append(rec.Spans, Span{Off: b.Len(), Len: len(piece), Pos: whole.at(start + from)})
			b.WriteString(piece)
		}
		if !continued(line) || i >= lines.lines() {
			break
		}
		i++
		first = false
	}
	rec.Text = b.String()
	return rec, i
}

// continued reports whether a line ends with an odd number of
// backslashes: it continues on the next.
func continued(line string) bool {
	n := len(line) - len(strings.TrimRight(line, `\`))
	return n%2 == 1
}

// makeLogical returns the logical line starting at line i, its
// continuation lines joined by one space as make joins them, and its last
// line.
func makeLogical(whole *Script, lines *lineIndex, i int) (*Script, int) {
	s := &Script{File: whole.File}
	var b strings.Builder
	for {
		line, start := lines.line(i)
		from := 0
		if b.Len() > 0 {
			from = len(line) - len(strings.TrimLeft(line, " \t"))
			b.WriteByte(' ')
		}
		more := continued(line) && i < lines.lines()
		piece := line[from:]
		if more {
			piece = strings.TrimRight(strings.TrimSuffix(piece, `\`), " \t")
		}
		if piece != "" {
			s.Spans = append(s.Spans, Span{Off: b.Len(), Len: len(piece), Pos: whole.at(start + from)})
			b.WriteString(piece)
		}
		if !more {
			break
		}
		i++
	}
	s.Text = b.String()
	return s, i
}

// stripMakeComment cuts a line at its comment: a # make does not see
// escaped (\#).
func stripMakeComment(t string) string {
	for i := 0; i < len(t); i++ {
		if t[i] == '#' && (i == 0 || t[i-1] != '\\') {
			return t[:i]
		}
	}
	return t
}

// ruleColon returns where the colon of a rule line is, outside any
// $(...) reference; -1 when the line is no rule.
func ruleColon(t string) int {
	depth := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(', '{':
			depth++
		case ')', '}':
			depth--
		case ':':
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// assignment reads a variable assignment written at the start of t (lead
// bytes into the logical line s), for target when it is target-specific.
func (m *makeReader) assignment(s *Script, lead int, t string, target *makeTarget) (*makeAssign, bool) {
	g := makeAssignRE.FindStringSubmatchIndex(t)
	if g == nil {
		return nil, false
	}
	name, op := t[g[4]:g[5]], t[g[6]:g[7]]
	if strings.HasPrefix(name, "$") {
		return nil, false // a computed name
	}
	raw := strings.TrimLeft(t[g[1]:], " \t")
	rawOff := lead + len(t) - len(raw)
	a := &makeAssign{
		name: name, op: op, raw: strings.TrimRight(raw, " \t"), src: s, rawOff: rawOff, target: target,
		export: strings.Contains(t[g[2]:g[3]], "export"),
		pos:    s.at(lead + g[4]), vpos: s.at(rawOff),
	}
	return a, true
}

// define records an assignment of the whole Makefile.
func (m *makeReader) define(a *makeAssign) {
	prev := m.defs[a.name]
	switch a.op {
	case "?=":
		if prev != nil {
			a.noEffect = true
		}
	case "+=":
		a.prev = prev
	}
	if a.op == ":=" || a.op == "::=" || a.op == ":::=" || a.op == "+=" && prev != nil && prev.simple() {
		a.value, a.known, _ = m.expand(a.cumulative(), 0)
	}
	if !a.noEffect {
		m.defs[a.name] = a
	}
	if a.export {
		m.exports[a.name] = true
	}
	m.assigns = append(m.assigns, a)
}

// simple reports whether the variable is expanded where it is assigned.
func (a *makeAssign) simple() bool {
	for ; a != nil; a = a.prev {
		switch a.op {
		case ":=", "::=", ":::=":
			return true
		case "+=":
			continue
		}
		return false
	}
	return false
}

// cumulative returns the variable's value as written, += joining it to
// the value before.
func (a *makeAssign) cumulative() string {
	if a.op == "!=" {
		return "$(shell " + a.raw + ")"
	}
	if a.op != "+=" || a.prev == nil {
		return a.raw
	}
	if a.prev.simple() && a.prev.known {
		return strings.ReplaceAll(a.prev.value, "$", "$$") + " " + a.raw
	}
	return a.prev.cumulative() + " " + a.raw
}

// include reads the files an include line names, relative to the
// Makefile's directory; a file missing is noted unless -include.
func (m *makeReader) include(s *Script, words []string, depth int) error {
	if depth >= 4 {
		return nil
	}
	dir := m.in.Dir
	if dir == "" {
		dir = filepath.Dir(m.in.Path)
	}
	read := m.in.ReadFile
	if read == nil {
		read = sources.ReadFile
	}
	for _, w := range words[1:] {
		name, known, _ := m.expand(w, 0)
		if !known || strings.ContainsAny(name, "*?[") {
			continue
		}
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, name)
		}
		at := s.at(strings.Index(s.Text, w))
		if m.includes++; m.includes > maxIncludes {
			return &sources.FileError{Pos: at, Msg: fmt.Sprintf("more than %d files included: no Makefile needs that many", maxIncludes)}
		}
		data, err := read(p)
		if err != nil {
			if words[0] == "include" {
				m.notes = append(m.notes, Note{Code: NoteUnread, Pos: at,
					Message: fmt.Sprintf("include %s: %v", name, err)})
			}
			continue
		}
		if checkText(p, data) != nil {
			continue
		}
		if err := m.readSource(p, string(data), depth+1, at); err != nil {
			return err
		}
	}
	return nil
}

// rule reads a rule line: its targets, a target-specific variable or an
// inline recipe (after ;). It returns the targets recipe lines add to.
func (m *makeReader) rule(s *Script, lead int, t string, colon int) []*makeTarget {
	rest := t[colon+1:]
	restOff := lead + colon + 1
	if strings.HasPrefix(rest, ":") {
		rest, restOff = rest[1:], restOff+1
	}
	var targets []*makeTarget
	at := lead
	for _, name := range strings.Fields(t[:colon]) {
		at = strings.Index(s.Text[at:], name) + at
		if name == ".EXPORT_ALL_VARIABLES" {
			m.exportAll = true
		}
		if strings.HasPrefix(name, ".") && !strings.Contains(name, "/") || strings.ContainsAny(name, "%$") {
			continue // special targets, patterns, computed names
		}
		tg := m.byName[name]
		if tg == nil {
			tg = &makeTarget{name: name, pos: s.at(at)}
			m.byName[name] = tg
			m.targets = append(m.targets, tg)
		}
		if !slices.Contains(targets, tg) {
			targets = append(targets, tg)
		}
		at += len(name)
	}
	trimmed := strings.TrimLeft(rest, " \t")
	tlead := restOff + len(rest) - len(trimmed)
	if a, ok := m.assignment(s, tlead, trimmed, nil); ok {
		for _, tg := range targets {
			b := *a
			b.target = tg
			tg.vars = append(tg.vars, &b)
		}
		return nil
	}
	if semi := strings.IndexByte(rest, ';'); semi >= 0 {
		from := restOff + semi + 1
		for from < len(s.Text) && strings.IndexByte("@-+ \t", s.Text[from]) >= 0 {
			from++
		}
		rec := &Script{Text: s.Text[from:], File: s.File, Spans: []Span{{Off: 0, Len: len(s.Text) - from, Pos: s.at(from)}}}
		for _, tg := range targets {
			tg.recipes = append(tg.recipes, rec)
		}
	}
	return targets
}

// expand expands make's references in text: $(VAR) and ${VAR} with the
// variable's value, $$ with $. It tells whether the value is known: a
// reference to a variable the Makefile does not define (the environment's
// or the command line's), a function ($(shell ...)) or an automatic
// variable makes it unknown.
func (m *makeReader) expand(text string, depth int) (string, bool, []makeRef) {
	var b strings.Builder
	known := true
	var refs []makeRef
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '$' || i+1 >= len(text) {
			b.WriteByte(c)
			continue
		}
		ref, end := makeReference(text, i)
		switch {
		case ref.kind == refDollar:
			b.WriteByte('$')
		case ref.kind == refVar:
			refs = append(refs, ref)
			d := m.defs[ref.name]
			if d == nil {
				known = false
				break
			}
			v, ok := m.valueOf(d, depth+1)
			known = known && ok
			b.WriteString(v)
			m.lim.work += len(v)
		default:
			refs = append(refs, ref)
			known = false
		}
		if m.lim.work += end - i; m.lim.work > maxExpandWork || b.Len() > sources.MaxValueLen {
			return "", false, refs
		}
		i = end - 1
	}
	return b.String(), known, refs
}

// valueOf returns a variable's value where a recipe reads it.
func (m *makeReader) valueOf(a *makeAssign, depth int) (string, bool) {
	if a.simple() {
		return a.value, a.known
	}
	if depth > 16 {
		return "", false // a variable that refers to itself
	}
	if mv, ok := m.memo[a]; ok {
		return mv.text, mv.known
	}
	v, known, _ := m.expand(a.cumulative(), depth)
	if m.final {
		m.memo[a] = makeValue{v, known}
	}
	return v, known
}

// makeRef is one reference in a make text: bytes [off, end).
type makeRef struct {
	kind     int
	name     string
	off, end int
}

const (
	refDollar = iota // $$
	refVar           // $(NAME), ${NAME}, $N
	refAuto          // $@, $<...
	refFunc          // $(shell ...), $(VAR:a=b)...
	refOpen          // $( without its closing parenthesis
)

// makeReference reads the reference at text[i] ('$') and returns it with
// the offset after it.
func makeReference(text string, i int) (makeRef, int) {
	c := text[i+1]
	switch c {
	case '$':
		return makeRef{kind: refDollar, off: i, end: i + 2}, i + 2
	case '(', '{':
		closing := byte(')')
		if c == '{' {
			closing = '}'
		}
		depth := 0
		for j := i + 2; j < len(text); j++ {
			switch text[j] {
			case c:
				depth++
			case closing:
				if depth == 0 {
					inner := text[i+2 : j]
					if makeWordRE.MatchString(inner) {
						return makeRef{kind: refVar, name: inner, off: i, end: j + 1}, j + 1
					}
					return makeRef{kind: refFunc, name: inner, off: i, end: j + 1}, j + 1
				}
				depth--
			}
		}
		return makeRef{kind: refOpen, off: i, end: len(text)}, len(text)
	}
	if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' {
		return makeRef{kind: refVar, name: string(c), off: i, end: i + 2}, i + 2
	}
	return makeRef{kind: refAuto, name: string(c), off: i, end: i + 2}, i + 2
}

// exported reports whether make exports the variable to recipes.
func (m *makeReader) exported(name string) bool {
	if e, ok := m.exports[name]; ok {
		return e
	}
	return m.exportAll && makeWordRE.MatchString(name) && isShellName(name)
}

// assignVar returns the variable an assignment sets in the environment
// of a recipe.
func (m *makeReader) assignVar(a *makeAssign) Var {
	v := Var{Name: a.name, Pos: a.pos, ValuePos: a.vpos, Via: viaExport}
	value, known := m.valueOf(a, 0)
	_, _, refs := m.expand(a.raw, 16)
	for _, r := range refs {
		if r.kind == refDollar {
			continue
		}
		ref := Ref{Name: r.name, Pos: a.src.at(a.rawOff + r.off)}
		if r.kind == refVar && m.defs[r.name] != nil {
			ref.Set = true
		} else {
			ref.Unexpanded = true
		}
		v.Refs = append(v.Refs, ref)
	}
	if known {
		v.Value, v.Literal = value, true
	} else {
		v.Deferred, v.written = a.raw, true
	}
	return v
}

// file builds the containers: one per target whose recipe runs Prefect
// or Python, sets variables or installs Prefect, each with the variables
// make exports to its recipe, its target-specific variables and what its
// recipe lines set; or, when no target does, one for the Makefile with
// what it exports. A target whose recipe installs no Prefect runs the
// release another target installs (make install), if one does.
func (m *makeReader) file() (*File, error) {
	m.final, m.memo = true, map[*makeAssign]makeValue{}
	var global []Var
	for _, a := range m.assigns {
		if !a.noEffect && m.exported(a.name) {
			global = append(global, m.assignVar(a))
		}
	}
	f := &File{Notes: m.notes}
	var started []Container
	var release ReleaseHint // what the recipes install, for the targets that install nothing
	for _, t := range m.targets {
		c := Container{Name: t.name, What: "target", Pos: t.pos}
		c.Vars = append(c.Vars, global...)
		for _, a := range t.vars {
			if a.export || m.exported(a.name) {
				c.Vars = append(c.Vars, m.assignVar(a))
			}
		}
		env := c.Vars
		own := 0
		for _, rec := range m.recipeScripts(t) {
			rec.Env = env
			sh := readScript(rec, &m.lim)
			for i, v := range sh.Vars {
				c.Vars = append(c.Vars, v)
				if !m.oneShell && (v.Via == viaExport || v.Via == viaAssignment) && !sh.ranAfter(i) {
					c.Notes = append(c.Notes, Note{Code: NoteNotPersisted, Pos: v.Pos,
						Message: fmt.Sprintf("%s is gone when this recipe line ends: each line of a recipe runs in a shell of its own", v.Name)})
				}
			}
			own += len(sh.Vars) + len(sh.Notes)
			c.Notes = append(c.Notes, sh.Notes...)
			if roleRank(sh.Role) > roleRank(c.Role) {
				c.Role, c.Command = sh.Role, sh.Command
			}
			if !sh.Release.IsZero() {
				c.Release, release = sh.Release, sh.Release
			}
			started = append(started, sh.Containers...)
			if len(c.Vars) > maxVars {
				return nil, tooManyVars(c.Vars[maxVars].Pos)
			}
		}
		if c.Role != Unknown || own > 0 || !c.Release.IsZero() {
			f.Containers = append(f.Containers, c)
		}
	}
	if m.lim.full() {
		f.Notes = append(f.Notes, m.lim.skipped(sources.Position{File: m.in.Path, Line: 1, Column: 1})...)
	}
	for i := range f.Containers {
		if f.Containers[i].Release.IsZero() {
			f.Containers[i].Release = release
		}
	}
	if len(f.Containers) == 0 && len(global) > 0 {
		f.Containers = append(f.Containers, Container{Name: path.Base(filepath.ToSlash(m.in.Path)), What: "makefile",
			Pos: sources.Position{File: m.in.Path, Line: 1, Column: 1}, Vars: global})
	}
	f.Containers = append(f.Containers, started...)
	if err := checkVars(f); err != nil {
		return nil, err
	}
	return f, nil
}

// recipeScripts returns a target's recipe as the shell sees it: each
// line a script of its own (one script under .ONESHELL), make's
// references expanded.
func (m *makeReader) recipeScripts(t *makeTarget) []*Script {
	lines := t.recipes
	if m.oneShell && len(lines) > 1 {
		lines = []*Script{joinScripts(lines)}
	}
	out := make([]*Script, 0, len(lines))
	for _, rec := range lines {
		if m.lim.full() {
			break // one recipe may be the recipe of many targets
		}
		out = append(out, m.expandRecipe(rec, t.name))
	}
	return out
}

// joinScripts joins scripts into one, a line break between each two.
func joinScripts(parts []*Script) *Script {
	out := &Script{File: parts[0].File}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('\n')
		}
		for _, sp := range p.Spans {
			sp.Off += b.Len()
			out.Spans = append(out.Spans, sp)
		}
		b.WriteString(p.Text)
	}
	out.Text = b.String()
	return out
}

// expandRecipe returns a recipe line as make hands it to the shell: $$
// as $, $@ as the target, $(VAR) as the variable's value when the
// Makefile tells it, as ${VAR} (the environment's) when it does not
// define it, and functions and other automatic variables as templates
// (the values of which are deferred).
func (m *makeReader) expandRecipe(rec *Script, target string) *Script {
	var edits []edit
	tpl := templateNames{}
	text := rec.Text
	for i := 0; i+1 < len(text); i++ {
		if text[i] != '$' {
			continue
		}
		ref, end := makeReference(text, i)
		with := ""
		switch ref.kind {
		case refDollar:
			with = "$"
		case refVar:
			if d := m.defs[ref.name]; d == nil {
				with = "${" + ref.name + "}"
			} else if v, ok := m.valueOf(d, 0); ok {
				with = v
			} else {
				with = m.template(tpl, text[ref.off:ref.end])
			}
		case refAuto:
			if ref.name == "@" {
				with = target
			} else {
				with = m.template(tpl, text[ref.off:ref.end])
			}
		case refFunc, refOpen:
			with = m.template(tpl, text[ref.off:ref.end])
		}
		edits = append(edits, edit{Off: i, End: end, With: with})
		i = end - 1
	}
	out := rec.rewrite(edits)
	if len(tpl) > 0 {
		if out == rec {
			out = &Script{Text: rec.Text, File: rec.File, Spans: rec.Spans}
		}
		out.templates = tpl
	}
	return out
}

// template returns a placeholder for a template of the file (a make
// function), recorded in tpl.
func (m *makeReader) template(tpl templateNames, text string) string {
	m.nextTpl++
	name := templatePrefix + strconv.Itoa(m.nextTpl)
	tpl[name] = text
	return "${" + name + "}"
}
