package deploy

import (
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/strata-settings/strata/sources"
)

// gitlabKind reads GitLab CI files: .gitlab-ci.yml and *.gitlab-ci.yml.
var gitlabKind = Kind{Name: "gitlab-ci", Match: matchGitLab, Read: readGitLab}

func matchGitLab(p string) Match {
	base := path.Base(p)
	for _, name := range []string{".gitlab-ci.yml", ".gitlab-ci.yaml"} {
		if base == name || strings.HasSuffix(base, name) {
			return Certain
		}
	}
	return No
}

// gitlabKeywords are the top-level keys of a GitLab CI file that are no
// job.
var gitlabKeywords = map[string]bool{
	"default": true, "include": true, "stages": true, "variables": true, "workflow": true, "image": true,
	"services": true, "cache": true, "before_script": true, "after_script": true, "spec": true,
}

// readGitLab reads a GitLab CI file: one container per job (hidden jobs,
// .name, are templates: their keys reach the jobs that extend them), with
// the file's variables:, the job's variables: and what its before_script
// and script (one shell) set; its image's release, or what its script
// installs. A variable's $VAR and ${VAR} take the value of a variable
// written before in the file; any other (a CI/CD variable of the project,
// a predefined CI_ one) makes it Deferred, as written. Each service of a
// job is a container of its own (What "service"), with the job's
// variables, as GitLab gives them. include: is not followed.
func readGitLab(in *Input) (*File, error) {
	root, err := yamlRoot(in)
	if err != nil {
		return nil, err
	}
	f := &File{}
	if root == nil {
		return f, nil
	}
	g := &glReader{file: in.Path, text: NewYAMLText(in.Path, in.Data), jobs: map[string]*yaml.Node{}}
	for _, p := range pairs(root) {
		g.jobs[p.key.Value] = p.val
	}
	def := val(root, "default")
	global := g.variables(val(root, "variables"), "variables", nil)
	if g.err != nil {
		return nil, g.err
	}
	nvars := 0 // of the containers so far
	// What a job that does not set them takes, looked up once: a file of
	// many jobs is a mapping of many keys.
	defaults := map[string]*yaml.Node{}
	for _, key := range []string{"image", "before_script"} {
		defaults[key] = val(def, key)
		if defaults[key] == nil {
			defaults[key] = val(root, key)
		}
	}
	for _, p := range pairs(root) {
		name := p.key.Value
		if gitlabKeywords[name] || strings.HasPrefix(name, ".") || p.val == nil || p.val.Kind != yaml.MappingNode {
			continue
		}
		if len(f.Containers) >= maxContainers {
			return nil, tooManyContainers(yamlPos(in.Path, p.key))
		}
		job := func(key string) *yaml.Node { return g.key(name, key, map[string]bool{}) }
		if job("script") == nil && job("trigger") == nil {
			continue
		}
		before := len(f.Containers)
		c := Container{Name: name, What: "job", Pos: yamlPos(in.Path, p.key)}
		img := job("image")
		if img == nil {
			img = defaults["image"]
		}
		if s, ok := str(img); ok || img != nil {
			if !ok {
				img = val(img, "name")
				s, _ = str(img)
			}
			c.Image = s
			if h, ok := imageHint(s, yamlPos(in.Path, img)); ok {
				c.Release = h
			}
		}
		c.Vars = g.variables(g.mergedVariables(name), "job variables", global)
		if g.err != nil {
			return nil, g.err
		}
		jobVars := c.Vars
		var parts []*Script
		for _, key := range []string{"before_script", "script"} {
			if g.lim.full() {
				c.Notes = append(c.Notes, g.lim.skipped(c.Pos)...)
				break
			}
			n := job(key)
			if n == nil && key == "before_script" {
				n = defaults[key]
			}
			parts = append(parts, g.scripts(n, 0)...)
		}
		if len(parts) > 0 {
			s := joinScripts(parts)
			s.Env = c.Vars
			sh := readScript(s, &g.lim)
			c.Vars = append(c.Vars, sh.Vars...)
			c.Notes = append(c.Notes, sh.Notes...)
			c.Role, c.Command = sh.Role, sh.Command
			if !sh.Release.IsZero() {
				c.Release = sh.Release
			}
			f.Containers = append(f.Containers, c)
			f.Containers = append(f.Containers, sh.Containers...)
		} else {
			f.Containers = append(f.Containers, c)
		}
		for _, svc := range items(job("services")) {
			if len(f.Containers) >= maxContainers {
				return nil, tooManyContainers(yamlPos(in.Path, svc))
			}
			sc := Container{Name: name, What: "service", Pos: yamlPos(in.Path, svc), Vars: jobVars}
			imgNode := svc
			if svc.Kind == yaml.MappingNode {
				imgNode = val(svc, "name")
				if alias, ok := str(val(svc, "alias")); ok {
					sc.Host = alias
				}
				if imgNode == nil { // a service without its image
					imgNode = svc
				}
			}
			sc.Image, _ = str(imgNode)
			if sc.Sub = sc.Host; sc.Sub == "" {
				sc.Sub = sc.Image
			}
			if h, ok := imageHint(sc.Image, yamlPos(in.Path, imgNode)); ok {
				sc.Release = h
			}
			f.Containers = append(f.Containers, sc)
		}
		for _, c := range f.Containers[before:] {
			if nvars += len(c.Vars); nvars > maxVars {
				return nil, tooManyVars(c.Vars[len(c.Vars)-1-(nvars-maxVars-1)].Pos)
			}
		}
	}
	return f, nil
}

type glReader struct {
	file string
	text *YAMLText
	jobs map[string]*yaml.Node
	lim  scriptLimits
	exp  expansion // of the variables' references
	err  error     // the first expansion refused
}

// maxExtends is how deep GitLab follows extends: a job extends at most
// 11 levels of templates.
const maxExtends = 11

// key returns a job's key, from the job or the jobs it extends (the last
// of which wins).
func (g *glReader) key(job, key string, seen map[string]bool) *yaml.Node {
	return g.keyDepth(job, key, seen, 0)
}

func (g *glReader) keyDepth(job, key string, seen map[string]bool, depth int) *yaml.Node {
	n := g.jobs[job]
	if v := val(n, key); v != nil || seen[job] || depth >= maxExtends {
		return v
	}
	seen[job] = true
	names := extends(n)
	for i := len(names) - 1; i >= 0; i-- {
		if v := g.keyDepth(names[i], key, seen, depth+1); v != nil {
			return v
		}
	}
	return nil
}

// extends returns the names of the jobs a job extends.
func extends(job *yaml.Node) []string {
	ext := val(job, "extends")
	if s, ok := str(ext); ok {
		return []string{s}
	}
	var out []string
	for _, it := range items(ext) {
		if s, ok := str(it); ok {
			out = append(out, s)
		}
	}
	return out
}

// mergedVariables returns a job's variables: those of the jobs it extends
// first, then its own.
func (g *glReader) mergedVariables(job string) *yaml.Node {
	out := &yaml.Node{Kind: yaml.MappingNode}
	seen := map[string]bool{}
	var add func(job string, depth int)
	add = func(job string, depth int) {
		n := g.jobs[job]
		if seen[job] || n == nil {
			return
		}
		seen[job] = true
		if depth < maxExtends {
			for _, name := range extends(n) {
				add(name, depth+1)
			}
		}
		for _, p := range pairs(val(n, "variables")) {
			if len(out.Content) >= 2*maxVars {
				return
			}
			out.Content = append(out.Content, p.key, p.val)
		}
	}
	add(job, 0)
	return out
}

// variables reads a variables: mapping after the variables before it,
// which its references read, and returns them all.
func (g *glReader) variables(n *yaml.Node, via string, before []Var) []Var {
	out := append([]Var(nil), before...)
	idx := newVarIndex(out)
	for _, p := range pairs(n) {
		if p.key.Kind != yaml.ScalarNode {
			continue
		}
		vn, expand := p.val, true
		if vn != nil && vn.Kind == yaml.MappingNode {
			if e, ok := str(val(vn, "expand")); ok && e == "false" {
				expand = false
			}
			vn = val(vn, "value")
		}
		text, ok := str(vn)
		if !ok && !isNull(vn) {
			continue
		}
		v := Var{Name: p.key.Value, Pos: yamlPos(g.file, p.key), Via: via}
		if vn != nil {
			v.ValuePos = yamlPos(g.file, vn)
		}
		g.expand(&v, text, vn, expand, idx)
		if g.err != nil {
			return out
		}
		out = append(out, v)
		idx.add(out)
	}
	return out
}

// expand sets a variable's value, its $VAR and ${VAR} references
// expanded from the variables before it ($$ is a $), within the bound of
// expansion.
func (g *glReader) expand(v *Var, text string, n *yaml.Node, expand bool, before *varIndex) {
	if !expand || !strings.Contains(text, "$") {
		v.Value, v.Literal = text, true
		return
	}
	var b strings.Builder
	known, literal := true, true
	var s *Script
	for i := 0; i < len(text); i++ {
		if text[i] != '$' || i+1 >= len(text) {
			b.WriteByte(text[i])
			continue
		}
		if text[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		j, braced := i+1, text[i+1] == '{'
		if braced {
			j++
		}
		k := j
		for k < len(text) && (text[k] == '_' || text[k] >= 'a' && text[k] <= 'z' || text[k] >= 'A' && text[k] <= 'Z' || text[k] >= '0' && text[k] <= '9') {
			k++
		}
		if k == j || braced && (k >= len(text) || text[k] != '}') {
			b.WriteByte('$')
			continue
		}
		name := text[j:k]
		if s == nil && n != nil {
			s = g.text.Script(n)
		}
		ref := Ref{Name: name, Pos: sources.Position{File: g.file}}
		if s != nil {
			ref.Pos = s.at(i)
		}
		if prev, ok := before.last(name); ok {
			ref.Set = true
			if prev.Deferred != "" {
				known = false
			}
			literal = literal && prev.Literal
			if !g.exp.takeValue(len(prev.Value), len(text)+b.Len()+len(prev.Value)) {
				g.err = g.exp.error(ref.Pos, "$"+name)
				return
			}
			b.WriteString(prev.Value)
		} else {
			ref.Unexpanded = true
			known = false
		}
		v.Refs = append(v.Refs, ref)
		if braced {
			k++
		}
		i = k - 1
	}
	if known {
		v.Value, v.Literal = b.String(), literal
	} else {
		v.Deferred, v.written = text, true
	}
}

// scripts returns the lines of a script: key (a string, or a list of
// them, lists within flattened as GitLab does), each placed where it is
// written.
func (g *glReader) scripts(n *yaml.Node, depth int) []*Script {
	n = deref(n)
	if n == nil || depth > maxYAMLDepth {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if isNull(n) {
			return nil
		}
		return []*Script{g.text.Script(n)}
	}
	var out []*Script
	for _, it := range items(n) {
		out = append(out, g.scripts(it, depth+1)...)
	}
	return out
}
