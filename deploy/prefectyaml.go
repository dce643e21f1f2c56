package deploy

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// prefectYAMLKind reads prefect.yaml, the file prefect deploy reads:
// prefect.yaml, prefect.yml, *.prefect.yaml; other names (prefect deploy
// --prefect-file) when their content has deployments:.
var prefectYAMLKind = Kind{Name: "prefect-yaml", Match: matchPrefectYAML, Sniff: sniffPrefectYAML, Read: readPrefectYAML}

func matchPrefectYAML(p string) Match {
	base := strings.ToLower(path.Base(p))
	stem, ok := strings.CutSuffix(base, ".yaml")
	if !ok {
		stem, ok = strings.CutSuffix(base, ".yml")
	}
	switch {
	case !ok:
		return No
	case stem == "prefect" || strings.HasSuffix(stem, ".prefect"):
		return Certain
	case strings.HasPrefix(stem, "prefect"):
		return Maybe
	}
	return No
}

// sniffPrefectYAML reports whether a YAML file has a top-level
// deployments: key.
func sniffPrefectYAML(data []byte) bool {
	s := string(data)
	return strings.HasPrefix(s, "deployments:") || strings.Contains(s, "\ndeployments:")
}

// readPrefectYAML reads prefect.yaml: one container per deployment (Name
// its name, What "deployment"), the flow runs of which run with the
// variables of its work_pool.job_variables.env (the work pools written
// under definitions: and reused by YAML anchors included), each at the
// line it is written on, even when an alias brings it. A value that
// holds a template ({{ $VAR }}, {{ prefect.variables.x }}, {{
// prefect.blocks.secret.x }}, a step's output) is filled in by prefect
// deploy or the worker: it is Deferred, the text as written. The release
// is the job_variables.image's (prefecthq/prefect:3.4.2-python3.11), or
// what the pull steps install (a run_shell_script's pip install
// prefect==…), which run in the flow run's container after it starts; a
// pip_install_requirements step is noted (NoteReleaseFile).
func readPrefectYAML(in *Input) (*File, error) {
	root, err := yamlRoot(in)
	if err != nil {
		return nil, err
	}
	f := &File{}
	if root == nil {
		return f, nil
	}
	p := &pyReader{file: in.Path, text: NewYAMLText(in.Path, in.Data)}
	pull := val(root, "pull")
	for i, dep := range items(val(root, "deployments")) {
		c, err := p.deployment(dep, i, pull)
		if err != nil {
			return nil, err
		}
		c.Notes = append(c.Notes, p.deploySteps(dep)...)
		f.Containers = append(f.Containers, c)
	}
	f.Notes = append(f.Notes, p.deploySteps(root)...)
	return f, nil
}

// deploySteps reads the shell scripts of the build and push steps of a
// prefect.yaml or of one deployment, which prefect deploy runs where it
// runs, for the values they hand other tools on their command lines
// (NoteArg): the file commits them.
func (p *pyReader) deploySteps(n *yaml.Node) []Note {
	var out []Note
	for _, section := range []string{"build", "push"} {
		for _, step := range items(val(n, section)) {
			for _, sp := range pairs(step) {
				script := val(sp.val, "script")
				if !strings.HasSuffix(sp.key.Value, ".run_shell_script") || script == nil || script.Kind != yaml.ScalarNode || p.lim.full() {
					continue
				}
				for _, note := range readScript(p.text.Script(script), &p.lim).Notes {
					if note.Code == NoteArg {
						out = append(out, note)
					}
				}
			}
		}
	}
	return out
}

type pyReader struct {
	file  string
	text  *YAMLText
	lim   scriptLimits
	nvars int
}

// deployment reads one deployment; pull is the file's pull steps, which a
// deployment's own replace.
func (p *pyReader) deployment(dep *yaml.Node, i int, pull *yaml.Node) (Container, error) {
	c := Container{Name: "deployment " + strconv.Itoa(i+1), What: "deployment", Pos: yamlPos(p.file, dep), Role: Client}
	if name, ok := str(val(dep, "name")); ok && name != "" {
		c.Name = name
	}
	jv := val(val(dep, "work_pool"), "job_variables")
	if img := val(jv, "image"); img != nil {
		if s, ok := str(img); ok {
			c.Image = s
			if h, ok := imageHint(s, yamlPos(p.file, img)); ok {
				c.Release = h
			}
		}
	}
	if cmd, ok := str(val(jv, "command")); ok && cmd != "" {
		c.Command = []string{cmd}
	}
	env := val(jv, "env")
	if env != nil && env.Kind == yaml.ScalarNode && !isNull(env) {
		c.Notes = append(c.Notes, Note{Code: NoteUnread, Pos: yamlPos(p.file, env),
			Message: "job_variables.env is a template: the variables it sets are known when the deployment is made"})
	}
	for _, kv := range pairs(env) {
		if kv.key.Kind != yaml.ScalarNode || kv.val == nil || isNull(kv.val) {
			continue
		}
		text, ok := str(kv.val)
		if !ok {
			continue
		}
		if p.nvars++; p.nvars > maxVars {
			return c, tooManyVars(yamlPos(p.file, kv.key))
		}
		v := Var{Name: kv.key.Value, Pos: yamlPos(p.file, kv.key), ValuePos: yamlPos(p.file, kv.val), Via: "job_variables.env"}
		p.templates(&v, text, kv.val)
		c.Vars = append(c.Vars, v)
	}
	if own := val(dep, "pull"); own != nil {
		pull = own
	}
	p.pullSteps(&c, pull)
	return c, nil
}

// templates sets a variable's value from its text: as written, or
// deferred when it holds a {{ }} template; {{ $NAME }} is a reference to
// the environment prefect deploy runs in.
func (p *pyReader) templates(v *Var, text string, n *yaml.Node) {
	open := strings.Index(text, "{{")
	if open < 0 || !strings.Contains(text[open:], "}}") {
		v.Value, v.Literal = text, true
		return
	}
	v.Deferred, v.written = text, true
	var s *Script
	for at := 0; ; {
		i := strings.Index(text[at:], "{{")
		if i < 0 {
			return
		}
		i += at
		j := strings.Index(text[i:], "}}")
		if j < 0 {
			return
		}
		j += i
		if name, ok := strings.CutPrefix(strings.TrimSpace(text[i+2:j]), "$"); ok && isShellName(name) {
			if s == nil {
				s = p.text.Script(n)
			}
			v.Refs = append(v.Refs, Ref{Name: name, Pos: s.at(i), Unexpanded: true})
		}
		at = j + 2
	}
}

// pullSteps reads the steps a flow run starts with: the release they
// install.
func (p *pyReader) pullSteps(c *Container, steps *yaml.Node) {
	for _, step := range items(steps) {
		for _, sp := range pairs(step) {
			name := sp.key.Value
			switch {
			case strings.HasSuffix(name, ".run_shell_script"):
				script := val(sp.val, "script")
				if script == nil || script.Kind != yaml.ScalarNode {
					continue
				}
				if p.lim.full() {
					c.Notes = append(c.Notes, p.lim.skipped(yamlPos(p.file, script))...)
					continue
				}
				s := p.text.Script(script)
				sh := readScript(s, &p.lim)
				if !sh.Release.IsZero() {
					c.Release = sh.Release
				}
				for _, n := range sh.Notes {
					if n.Code == NoteReleaseFile || n.Code == NoteSyntax || n.Code == NoteArg {
						c.Notes = append(c.Notes, n)
					}
				}
			case strings.HasSuffix(name, ".pip_install_requirements"):
				file := "requirements.txt"
				if f, ok := str(val(sp.val, "requirements_file")); ok && f != "" {
					file = f
				}
				c.Notes = append(c.Notes, Note{Code: NoteReleaseFile, Pos: yamlPos(p.file, sp.key),
					Message: fmt.Sprintf("the pull step installs %s: the Prefect release it installs is pinned there, if anywhere", file)})
			}
		}
	}
}
