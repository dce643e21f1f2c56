package deploy

// The volumes of a Kubernetes pod that put a settings file where Prefect
// in a container reads it: a ConfigMap or Secret mounted whole as a
// directory, or one of its keys mounted as a file (subPath). The file's
// content is the object's, when the files read define it; else it is
// known only when deployed.

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/strata-settings/strata/sources"
)

// volumeFile is a file a volume holds.
type volumeFile struct {
	path    string // in the volume: a key, or the path an item gives it
	data    []byte
	pos     sources.Position // where its content is written
	inPlace bool             // the content's lines are the file's, at pos (contentAt)
	from    string           // what holds it: `ConfigMap "prefect" key "prefect.toml"`
	unknown string           // why its content is not known here
}

// k8sVolume is what a pod's volume holds, as far as the files read tell.
type k8sVolume struct {
	files   []volumeFile
	unknown string // why its content is not known here; "" when files says it
	empty   bool   // an emptyDir: nothing, when the pod starts
}

// volumes reads the volumes of pod spec spec, of workload w, by name.
func (m *k8sManifests) volumes(w *k8sObject, spec *yaml.Node) map[string]*k8sVolume {
	out := map[string]*k8sVolume{}
	for _, vn := range items(val(spec, "volumes")) {
		name, ok := str(val(vn, "name"))
		if !ok {
			continue
		}
		v := &k8sVolume{}
		switch {
		case val(vn, "configMap") != nil:
			m.volumeObject(w.ns, "ConfigMap", val(vn, "configMap"), "name", v)
		case val(vn, "secret") != nil:
			m.volumeObject(w.ns, "Secret", val(vn, "secret"), "secretName", v)
		case val(vn, "projected") != nil:
			for _, src := range items(dig(vn, "projected", "sources")) {
				switch {
				case val(src, "configMap") != nil:
					m.volumeObject(w.ns, "ConfigMap", val(src, "configMap"), "name", v)
				case val(src, "secret") != nil:
					m.volumeObject(w.ns, "Secret", val(src, "secret"), "name", v)
				}
			}
		case val(vn, "emptyDir") != nil:
			v.empty = true
		default:
			kind := "a volume"
			for _, p := range pairs(vn) {
				if p.key.Value != "name" {
					kind = fmt.Sprintf("a %s volume", p.key.Value)
					break
				}
			}
			v.unknown = fmt.Sprintf("%s, whose files the manifests do not hold", kind)
		}
		out[name] = v
	}
	return out
}

// volumeObject adds to v the files of the ConfigMap or Secret a volume
// source (ref) names under the key nameKey: each key, or the keys its
// items list at the paths they give. An object the files read do not
// define makes the volume's content unknown.
func (m *k8sManifests) volumeObject(ns, kind string, ref *yaml.Node, nameKey string, v *k8sVolume) {
	name, _ := str(val(ref, nameKey))
	o := m.find(kind, ns, name)
	if o == nil {
		v.unknown = fmt.Sprintf("%s %q, which no file read defines", kind, name)
		return
	}
	paths := map[string]string{} // key → path in the volume
	for _, it := range items(val(ref, "items")) {
		k, _ := str(val(it, "key"))
		p, _ := str(val(it, "path"))
		paths[k] = path.Clean(p)
	}
	for _, kv := range o.values() {
		p := kv.key.Value
		if len(paths) > 0 {
			var ok bool
			if p, ok = paths[kv.key.Value]; !ok {
				continue
			}
		}
		f := volumeFile{path: p, data: []byte(kv.value), from: fmt.Sprintf("%s %q key %q", kind, name, kv.key.Value)}
		switch {
		case kv.bad != "":
			f.data, f.unknown = nil, fmt.Sprintf("%s, %s", f.from, kv.bad)
		case kind == "Secret" && o.encoded(kv):
			f.pos = o.y.textPos(kv.val) // base64: no line of it is the file's
		default:
			f.pos, f.inPlace = o.y.contentAt(kv.val)
		}
		v.files = append(v.files, f)
	}
}

// encoded reports whether the Secret's value kv is written base64-encoded
// (under data), not as text (under stringData, which wins).
func (o *k8sObject) encoded(kv k8sValue) bool {
	for _, p := range pairs(val(o.node, "stringData")) {
		if p.key == kv.key {
			return false
		}
	}
	return true
}

// contentAt returns where the text of scalar n starts in the file, and
// whether its lines are the file's from there on, each at the same
// column: a literal block scalar (|) or a value on one line, plain or
// quoted without escapes. Another (folded, escaped) is at n itself.
func (y *yamlFile) contentAt(n *yaml.Node) (sources.Position, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return y.pos(n), false
	}
	if n.Style&yaml.LiteralStyle != 0 {
		return y.literalAt(n)
	}
	if strings.ContainsAny(n.Value, "\n\r") {
		return y.pos(n), false
	}
	start, ok := y.offset(n)
	if !ok {
		return y.pos(n), false
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		start++
	}
	if end := start + len(n.Value); end > len(y.data) || string(y.data[start:end]) != n.Value {
		return y.pos(n), false
	}
	return y.offsetPos(start), true
}

// literalAt is contentAt of a literal block scalar: its content starts on
// the line after the indicator, every line indented alike.
func (y *yamlFile) literalAt(n *yaml.Node) (sources.Position, bool) {
	y.indexLines()
	lines := strings.Split(strings.TrimRight(n.Value, "\n"), "\n")
	first := n.Line + 1 // the 1-based line of the content's first line
	if first+len(lines)-1 > len(y.lines) {
		return y.pos(n), false
	}
	fileLine := func(l int) string {
		end := len(y.data)
		if l < len(y.lines) {
			end = y.lines[l] - 1
		}
		return strings.TrimSuffix(string(y.data[y.lines[l-1]:end]), "\r")
	}
	indent := -1
	for k, text := range lines {
		if text == "" {
			continue
		}
		got := fileLine(first + k)
		if indent < 0 {
			indent = len(got) - len(strings.TrimLeft(got, " "))
		}
		if len(got) < indent || strings.Trim(got[:indent], " ") != "" || got[indent:] != text {
			return y.pos(n), false
		}
	}
	if indent < 0 {
		return y.pos(n), false // nothing but blank lines
	}
	return sources.Position{File: y.path, Line: first, Column: indent + 1}, true
}

// volumeMounts adds to c the files the volumes of its pod put where
// Prefect reads settings: .env, prefect.toml and pyproject.toml in its
// working directory (workingDir; without it, any directory, as for a
// Compose file without working_dir), and a profiles.toml anywhere.
// A mount whose content the files read do not hold is a mount of content
// known only when deployed (Mount.Deferred).
func (m *k8sManifests) volumeMounts(y *yamlFile, cn *yaml.Node, vols map[string]*k8sVolume, c *Container) {
	wd := ""
	if d, ok := str(val(cn, "workingDir")); ok && path.IsAbs(d) {
		wd = path.Clean(d)
		c.Dir = wd
	}
	relevant := func(target string) bool {
		base := path.Base(target)
		return base == "profiles.toml" || slices.Contains(workdirFiles, base) && (wd == "" || path.Dir(target) == wd)
	}
	for _, mn := range items(val(cn, "volumeMounts")) {
		name, _ := str(val(mn, "name"))
		at, ok := str(val(mn, "mountPath"))
		v := vols[name]
		if !ok || v == nil || v.empty || !path.IsAbs(at) {
			continue
		}
		at = path.Clean(at)
		pos := y.pos(mn)
		sub, hasSub := str(val(mn, "subPath"))
		sub = strings.Trim(path.Clean("/"+sub), "/")
		if expr, ok := str(val(mn, "subPathExpr")); ok {
			hasSub = true
			if v.unknown == "" {
				v = &k8sVolume{unknown: fmt.Sprintf("the path subPathExpr %q gives in the volume, known only when deployed", expr)}
			}
		}
		if v.unknown != "" {
			// Whatever it holds, at the file, or under the directory: a
			// profiles file, and the working directory's files when it
			// is the working directory (Prefect's images': /opt/prefect).
			targets := []string{at}
			if !hasSub || !relevant(at) {
				targets = []string{path.Join(at, "profiles.toml")}
				if at == cmp.Or(wd, "/opt/prefect") {
					for _, f := range workdirFiles {
						targets = append(targets, path.Join(at, f))
					}
				}
			}
			for _, t := range targets {
				if relevant(t) {
					c.Mounts = append(c.Mounts, Mount{Container: t, Pos: pos, Deferred: v.unknown})
				}
			}
			continue
		}
		for _, f := range v.files {
			rest, ok := f.path, true
			if hasSub && sub != "" {
				rest, ok = strings.CutPrefix(f.path, sub)
				ok = ok && (rest == "" || rest[0] == '/')
			}
			t := path.Join(at, strings.TrimPrefix(rest, "/"))
			if !ok || !relevant(t) {
				continue
			}
			c.Mounts = append(c.Mounts, Mount{Container: t, Pos: pos, Data: f.data, DataPos: f.pos, InPlace: f.inPlace, From: f.from, Deferred: f.unknown})
		}
	}
}
