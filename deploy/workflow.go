package deploy

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/strata-settings/strata/sources"
)

// workflowKind reads GitHub Actions workflows (.github/workflows/*.yml)
// and composite actions (action.yml).
var workflowKind = Kind{Name: "github-actions", Match: matchWorkflow, Read: readWorkflow}

func matchWorkflow(p string) Match {
	dir, base := path.Dir(p), path.Base(p)
	yml := strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")
	switch {
	case yml && (dir == ".github/workflows" || strings.HasSuffix(dir, "/.github/workflows")):
		return Certain
	case base == "action.yml" || base == "action.yaml":
		return Certain
	}
	return No
}

// readWorkflow reads a workflow: one container per job (Name its id, What
// "job") with the environment every step of it starts with (the
// workflow's env:, its container's env:, its own env:), then one per step
// that adds to it (What "step", Sub the step's name, id or "step N"): its
// env:, what its run: script sets (read by the shell reader, at its lines
// in the workflow), the variables earlier steps set for it (echo NAME=value
// >> $GITHUB_ENV; prefect config set and prefect cloud login, which write
// the profile later steps read; the prefect-api-key input of
// PrefectHQ/actions-prefect-auth, which logs in), then one per service
// container (What "service", Sub its id, its own env: only).
//
// A value that is an expression (${{ secrets.PREFECT_API_KEY }}, ${{
// vars.URL }}) or holds one exists only when the workflow runs: it is
// Deferred, the text as written; ${{ env.NAME }} of a name set before
// takes its value. In run: scripts the expressions are substituted first,
// as GitHub does. The job's release is its container image's, or what its
// steps install; its role the strongest its steps run. A composite action
// (action.yml) is read as one job named after the file.
func readWorkflow(in *Input) (*File, error) {
	root, err := yamlRoot(in)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return &File{}, nil
	}
	w := &wfReader{file: in.Path, text: NewYAMLText(in.Path, in.Data), f: &File{}}
	shell := ""
	if d := val(val(val(root, "defaults"), "run"), "shell"); d != nil {
		shell, _ = str(d)
	}
	if runs := val(root, "runs"); runs != nil {
		if using, _ := str(val(runs, "using")); using == "composite" {
			name := path.Base(path.Dir(in.Path))
			if name == "." || name == "/" {
				name = "action"
			}
			w.job(name, runs, sources.Position{File: in.Path, Line: root.Line, Column: root.Column}, nil, shell)
		}
		return w.finish()
	}
	global := w.env(val(root, "env"), "workflow env", nil)
	for _, jp := range pairs(val(root, "jobs")) {
		if jp.val == nil || jp.val.Kind != yaml.MappingNode {
			continue
		}
		if len(w.f.Containers) >= maxContainers {
			return nil, tooManyContainers(yamlPos(in.Path, jp.key))
		}
		w.job(jp.key.Value, jp.val, yamlPos(in.Path, jp.key), global, shell)
		if w.err != nil {
			return nil, w.err
		}
	}
	return w.finish()
}

type wfReader struct {
	file  string
	text  *YAMLText
	f     *File
	lim   scriptLimits
	nvars int
	err   error
	ntpl  int
	index *varIndex // the last one made
	// exp bounds what ${{ env.NAME }} brings into run: scripts: beyond
	// it, an expression is left to the shell reader as deferred.
	exp expansion
}

func (w *wfReader) finish() (*File, error) {
	if w.err != nil {
		return nil, w.err
	}
	if err := checkVars(w.f); err != nil {
		return nil, err
	}
	return w.f, nil
}

// job reads one job (or a composite action's runs:).
func (w *wfReader) job(id string, job *yaml.Node, pos sources.Position, global []Var, shell string) {
	jc := Container{Name: id, What: "job", Pos: pos}
	vars := append([]Var(nil), global...)
	switch c := val(job, "container"); {
	case c == nil:
	case c.Kind == yaml.ScalarNode:
		w.image(&jc, c)
	default:
		w.image(&jc, val(c, "image"))
		vars = w.env(val(c, "env"), "container env", vars)
	}
	vars = w.env(val(job, "env"), "job env", vars)
	jc.Vars = vars
	if d := val(val(val(job, "defaults"), "run"), "shell"); d != nil {
		shell, _ = str(d)
	}
	at := len(w.f.Containers)
	w.f.Containers = append(w.f.Containers, jc)
	// inherited are the variables a step starts with: the job's, then
	// what the steps before it set for it. Its capacity is its length, so
	// that a step adding to it copies it, and a step that adds nothing
	// costs nothing.
	inherited := slices.Clip(slices.Clone(vars))
	release := jc.Release // what the steps run: the image's, then what they install
	for i, step := range items(val(job, "steps")) {
		if len(w.f.Containers) >= maxContainers {
			w.err = tooManyContainers(yamlPos(w.file, step))
			return
		}
		sc := Container{Name: id, Sub: stepName(step, i), What: "step", Pos: yamlPos(w.file, step)}
		sc.Vars = w.env(val(step, "env"), "step env", inherited)
		relevant := len(sc.Vars) > len(inherited)
		var later []Var // what the step sets for the steps after it
		if v := w.actionInputs(step); len(v) > 0 {
			sc.Vars = append(sc.Vars, v...)
			later = append(later, v...)
			relevant = true
		}
		stepShell := shell
		if s := val(step, "shell"); s != nil {
			stepShell, _ = str(s)
		}
		run := val(step, "run")
		if run != nil && w.lim.full() {
			sc.Notes = append(sc.Notes, w.lim.skipped(yamlPos(w.file, run))...)
			relevant = relevant || len(sc.Notes) > 0
		} else if run != nil && run.Kind == yaml.ScalarNode && posixShell(stepShell) {
			s := w.script(run, sc.Vars)
			sh := readScript(s, &w.lim)
			sc.Vars = append(sc.Vars, sh.Vars...)
			sc.Notes = append(sc.Notes, sh.Notes...)
			sc.Role, sc.Command = sh.Role, sh.Command
			if !sh.Release.IsZero() {
				release = sh.Release
			}
			for _, v := range sh.Vars {
				if v.InProfile {
					later = append(later, v)
				}
			}
			later = append(later, sh.Later...)
			w.f.Containers = append(w.f.Containers, sh.Containers...)
			relevant = relevant || len(sh.Vars) > 0 || len(sh.Notes) > 0 || sh.Role != Unknown || !sh.Release.IsZero() || len(sh.Later) > 0
		}
		if uses, _ := str(val(step, "uses")); strings.HasPrefix(uses, "docker://") {
			if h, ok := imageHint(strings.TrimPrefix(uses, "docker://"), yamlPos(w.file, val(step, "uses"))); ok {
				sc.Release, relevant = h, true
			}
		}
		if len(later) > 0 {
			inherited = slices.Clip(append(slices.Clone(inherited), later...))
		}
		if !relevant {
			continue
		}
		if sc.Release.IsZero() {
			sc.Release = release
		}
		if w.nvars += len(sc.Vars); w.nvars > maxVars {
			w.err = tooManyVars(sc.Pos)
			return
		}
		c := &w.f.Containers[at]
		if roleRank(sc.Role) >= roleRank(c.Role) && sc.Role != Unknown {
			c.Role, c.Command = sc.Role, sc.Command // the last step of the strongest role
		}
		w.f.Containers = append(w.f.Containers, sc)
	}
	w.f.Containers[at].Release = release
	for _, sp := range pairs(val(job, "services")) {
		svc := Container{Name: id, Sub: sp.key.Value, What: "service", Host: sp.key.Value, Pos: yamlPos(w.file, sp.key)}
		if sp.val != nil && sp.val.Kind == yaml.ScalarNode {
			w.image(&svc, sp.val)
		} else {
			w.image(&svc, val(sp.val, "image"))
			svc.Vars = w.env(val(sp.val, "env"), "service env", nil)
		}
		w.f.Containers = append(w.f.Containers, svc)
	}
}

// stepName names a step: its name, its id, or "step N" (from 1).
func stepName(step *yaml.Node, i int) string {
	for _, k := range []string{"name", "id"} {
		if s, ok := str(val(step, k)); ok && s != "" {
			return s
		}
	}
	return "step " + strconv.Itoa(i+1)
}

// posixShell reports whether a step's shell: runs a POSIX shell (the
// default on Linux runners is bash).
func posixShell(s string) bool {
	if s == "" {
		return true
	}
	f := strings.Fields(s)
	return isPOSIXShell(path.Base(f[0]))
}

// image records a container's image and the release it tells.
func (w *wfReader) image(c *Container, n *yaml.Node) {
	s, ok := str(n)
	if !ok || s == "" {
		return
	}
	c.Image = s
	if h, ok := imageHint(s, yamlPos(w.file, n)); ok {
		c.Release = h
	}
}

// env reads an env: mapping into the variables before it (which its
// ${{ env.NAME }} expressions read) and returns them all.
func (w *wfReader) env(n *yaml.Node, via string, before []Var) []Var {
	if n == nil {
		return before
	}
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		w.f.Notes = append(w.f.Notes, Note{Code: NoteUnread, Pos: yamlPos(w.file, n),
			Message: fmt.Sprintf("%s is an expression: the variables it sets exist only when the workflow runs", via)})
		return before
	}
	out := before
	for _, p := range pairs(n) {
		if p.key.Kind != yaml.ScalarNode {
			continue
		}
		v := Var{Name: p.key.Value, Pos: yamlPos(w.file, p.key), Via: via}
		if p.val != nil {
			v.ValuePos = yamlPos(w.file, p.val)
		}
		text, ok := str(p.val)
		if !ok && !isNull(p.val) {
			continue // a mapping or a list is no value
		}
		if isNull(p.val) {
			text = ""
		}
		w.expressions(&v, text, p.val, before)
		out = append(out, v)
	}
	return out
}

// expressions sets a variable's value from its text: as written when it
// holds no ${{ }} expression, the value of ${{ env.NAME }} when that is
// all it is, else deferred.
func (w *wfReader) expressions(v *Var, text string, n *yaml.Node, before []Var) {
	exprs := findExpressions(text)
	if len(exprs) == 0 {
		v.Value, v.Literal = text, true
		return
	}
	var s *Script // the scalar's text, placed
	for _, e := range exprs {
		if name, ok := envExpression(text[e[0]:e[1]]); ok {
			ref := Ref{Name: name, Pos: sources.Position{File: w.file}}
			if n != nil {
				if s == nil {
					s = w.text.Script(n)
				}
				ref.Pos = s.at(e[0])
			}
			_, ref.Set = w.indexOf(before).last(name)
			v.Refs = append(v.Refs, ref)
		}
	}
	if len(exprs) == 1 && exprs[0][0] == 0 && exprs[0][1] == len(text) {
		if name, ok := envExpression(text); ok {
			if prev, ok := w.indexOf(before).last(name); ok {
				v.Value, v.Literal, v.Deferred, v.written = prev.Value, prev.Literal, prev.Deferred, prev.written
				return
			}
		}
	}
	v.Deferred, v.written = text, true
}

// varIndex finds the last variable of a name in a list of variables
// without scanning it: thousands of references to a list of thousands
// of variables would cost their product.
type varIndex struct {
	vars []Var
	at   map[string]int // the last of each name
}

func newVarIndex(vars []Var) *varIndex {
	x := &varIndex{at: make(map[string]int, len(vars))}
	x.add(vars)
	return x
}

// add indexes the variables vars has beyond those indexed: vars is the
// list indexed, grown.
func (x *varIndex) add(vars []Var) {
	for i := len(x.vars); i < len(vars); i++ {
		x.at[vars[i].Name] = i
	}
	x.vars = vars
}

// last returns the last variable of the name.
func (x *varIndex) last(name string) (Var, bool) {
	if i, ok := x.at[name]; ok {
		return x.vars[i], true
	}
	return Var{}, false
}

// indexOf returns an index of vars: the last one made when vars is the
// list it indexes, as the steps of a job share the list they inherit.
func (w *wfReader) indexOf(vars []Var) *varIndex {
	x := w.index
	if x == nil || len(x.vars) != len(vars) || len(vars) > 0 && &x.vars[0] != &vars[0] {
		x = newVarIndex(vars)
		w.index = x
	}
	return x
}

// findExpressions returns the [start, end) of each ${{ ... }} in text.
func findExpressions(text string) [][2]int {
	var out [][2]int
	for at := 0; ; {
		i := strings.Index(text[at:], "${{")
		if i < 0 {
			return out
		}
		i += at
		j := strings.Index(text[i+3:], "}}")
		if j < 0 {
			return out
		}
		end := i + 3 + j + 2
		out = append(out, [2]int{i, end})
		at = end
	}
}

// envExpression reads ${{ env.NAME }}.
func envExpression(e string) (string, bool) {
	inner := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(e, "${{"), "}}"))
	name, ok := strings.CutPrefix(inner, "env.")
	return name, ok && isShellName(name)
}

// script returns a run: script as the shell sees it: each ${{ }}
// expression substituted, the value of ${{ env.NAME }} when it is known,
// else a placeholder whose value is deferred.
func (w *wfReader) script(n *yaml.Node, env []Var) *Script {
	s := w.text.Script(n)
	s.Env = env
	exprs := findExpressions(s.Text)
	if len(exprs) == 0 {
		return s
	}
	tpl := templateNames{}
	edits := make([]edit, 0, len(exprs))
	for _, e := range exprs {
		text := s.Text[e[0]:e[1]]
		if name, ok := envExpression(text); ok {
			if v, ok := w.indexOf(env).last(name); ok && v.Deferred == "" && w.exp.take(len(v.Value)) {
				edits = append(edits, edit{Off: e[0], End: e[1], With: v.Value})
				continue
			}
		}
		w.ntpl++
		name := templatePrefix + strconv.Itoa(w.ntpl)
		tpl[name] = text
		edits = append(edits, edit{Off: e[0], End: e[1], With: "${" + name + "}"})
	}
	out := s.rewrite(edits)
	out.templates = tpl
	return out
}

// prefectActions are the actions whose inputs set a Prefect setting: the
// input's name and the setting's variable.
var prefectActions = map[string]map[string]string{
	"prefecthq/actions-prefect-auth": {"prefect-api-key": "PREFECT_API_KEY"},
}

// actionInputs reads the with: inputs of a step that uses an action that
// writes them into the profile (PrefectHQ/actions-prefect-auth logs in
// with prefect cloud login).
func (w *wfReader) actionInputs(step *yaml.Node) []Var {
	uses, _ := str(val(step, "uses"))
	action, _, _ := strings.Cut(strings.ToLower(uses), "@")
	inputs := prefectActions[action]
	if inputs == nil {
		return nil
	}
	var out []Var
	for _, p := range pairs(val(step, "with")) {
		name, ok := inputs[p.key.Value]
		text, isScalar := str(p.val)
		if !ok || !isScalar {
			continue
		}
		v := Var{Name: name, Pos: yamlPos(w.file, p.key), ValuePos: yamlPos(w.file, p.val),
			Via: "with: " + p.key.Value, InProfile: true}
		w.expressions(&v, text, p.val, nil)
		out = append(out, v)
	}
	return out
}
