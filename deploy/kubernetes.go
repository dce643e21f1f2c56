package deploy

// The Kubernetes reader: manifests as written, rendered by `helm template`
// or `kustomize build`, or listed by `kubectl get -o yaml`. Documents are
// read one at a time with yaml.v3 nodes; only the objects that matter
// (workloads, Secrets, ConfigMaps, Services) are kept. A container's
// environment is built as kubelet builds it: service links, then envFrom,
// then env, each env value expanded ($(VAR)) against the variables before
// it.

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/sources"
	"go.yaml.in/yaml/v3"
)

// The codes of the Notes readers write, which lint reports under the same
// rule id.
const (
	// NoteSecretInManifest: a Kubernetes Secret, or a Helm value that
	// becomes one, written with its data in the file (base64 is no
	// encryption); at the key, never the value.
	NoteSecretInManifest = "secret-in-manifest"
	// NoteDeferredEnv: variables that come from an object the files read
	// do not define (envFrom a ConfigMap or Secret applied separately),
	// set at deploy time: the container may have settings no reader sees.
	NoteDeferredEnv = "deferred-env"
	// NoteMissingKey: a reference to a key its Secret or ConfigMap, defined
	// in the files read, lacks; the pod does not start.
	NoteMissingKey = "missing-key"
	// NoteNotString: an env value written as a YAML number or boolean,
	// which the API server rejects (env values are strings).
	NoteNotString = "env-not-string"
	// NoteIgnoredKey: a value the tool reading the file ignores (a Helm
	// chart key the chart no longer reads, or one its other settings
	// make it skip).
	NoteIgnoredKey = "ignored-key"
	// NoteChartRefuses: values a Helm chart refuses to render with (a
	// required value missing, a key it rejects).
	NoteChartRefuses = "chart-refuses"
)

// podSpecs gives, for each kind of workload, the path to its pod template
// and to the labels its pods carry.
var podSpecs = map[string]struct{ spec, labels []string }{
	"Pod":                   {[]string{"spec"}, []string{"metadata", "labels"}},
	"Deployment":            {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"StatefulSet":           {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"DaemonSet":             {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"ReplicaSet":            {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"ReplicationController": {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"Job":                   {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"CronJob":               {[]string{"spec", "jobTemplate", "spec", "template", "spec"}, []string{"spec", "jobTemplate", "spec", "template", "metadata", "labels"}},
}

var (
	k8sExtRE  = regexp.MustCompile(`\.(ya?ml|json)$`)
	k8sSniffR = regexp.MustCompile(`(?m)^["']?apiVersion["']?\s*:`)
	k8sKindR  = regexp.MustCompile(`(?m)^["']?kind["']?\s*:`)
	jsonSniff = regexp.MustCompile(`"apiVersion"\s*:[\s\S]*"kind"\s*:|"kind"\s*:[\s\S]*"apiVersion"\s*:`)
)

func matchKubernetes(p string) Match {
	if k8sExtRE.MatchString(strings.ToLower(p)) || p == "-" {
		return Maybe
	}
	return No
}

// sniffKubernetes tells a manifest from other YAML: a document with
// apiVersion and kind at its top.
func sniffKubernetes(data []byte) bool {
	if k8sSniffR.Match(data) && k8sKindR.Match(data) {
		return true
	}
	t := bytes.TrimSpace(data)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && jsonSniff.Match(t)
}

func readKubernetes(in *Input) (*File, error) { return ReadKubernetes([]*Input{in}) }

// k8sObject is one object of the manifests read.
type k8sObject struct {
	y              *yamlFile
	kind, name, ns string
	node, nameNode *yaml.Node
	vals           []k8sValue // of a Secret or ConfigMap, once read
}

// k8sManifests are the objects of the files read that concern settings.
type k8sManifests struct {
	workloads, secrets, configMaps, services []*k8sObject
	notes                                    []Note
	exp                                      expansion // of the $(VAR) of every value
	nvars                                    int       // of every container
	ncontainers                              int
	lim                                      scriptLimits // of the commands of every container
	// What every workload reads, made once: the Secrets and ConfigMaps
	// by kind/name, the service links of a namespace, the Services by
	// the first label of their selector.
	byName    map[string][]*k8sObject
	links     map[string]*nsLinks
	selectors map[string][]int
}

// maxManifestVars bounds the variables of all the containers of the
// manifests read together, which may be a whole cluster's: as many times
// maxVars as the largest stream is larger than a settings file.
const maxManifestVars = maxVars * (MaxManifestSize / sources.MaxFileSize)

// maxObjects bounds the objects of the manifests read together that
// matter to settings.
const maxObjects = maxVars

// ReadKubernetes reads Kubernetes manifests: every container (and init
// container) of the workloads they define, with its environment as kubelet
// builds it. A Secret or ConfigMap one file defines resolves the
// references of another. The File names the first file.
func ReadKubernetes(files []*Input) (*File, error) {
	m := &k8sManifests{}
	size := 0
	for _, in := range files {
		if size += len(in.Data); size > MaxManifestSize && len(files) > 1 {
			return nil, &sources.FileError{Pos: sources.Position{File: in.Path}, Msg: fmt.Sprintf("the manifests read together are larger than %d MiB: no deployment needs that much", MaxManifestSize>>20)}
		}
	}
	for _, in := range files {
		_, err := parseYAML(in.Path, in.Data, MaxManifestSize, func(y *yamlFile, doc *yaml.Node) error {
			return m.add(y, deref(doc), 0)
		})
		if err != nil {
			return nil, err
		}
	}
	f := &File{Kind: "kubernetes", Notes: m.notes}
	if len(files) > 0 {
		f.Path = files[0].Path
	}
	for _, s := range m.secrets {
		f.Notes = append(f.Notes, s.secretNotes()...)
	}
	for _, w := range m.workloads {
		cs, err := m.containers(w)
		if err != nil {
			return nil, err
		}
		f.Containers = append(f.Containers, cs...)
	}
	sortNotes(f.Notes)
	return f, nil
}

// add keeps the objects of document n that matter; a List's items too.
// More than maxObjects of them are refused: each workload's environment
// is built from every Service, Secret and ConfigMap.
func (m *k8sManifests) add(y *yamlFile, n *yaml.Node, depth int) error {
	if n == nil || n.Kind != yaml.MappingNode || depth > 2 {
		return nil
	}
	kind, _ := str(val(n, "kind"))
	if _, ok := str(val(n, "apiVersion")); !ok || kind == "" {
		return nil
	}
	if strings.HasSuffix(kind, "List") {
		for _, it := range items(val(n, "items")) {
			if err := m.add(y, it, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if len(m.workloads)+len(m.secrets)+len(m.configMaps)+len(m.services) >= maxObjects {
		return &sources.FileError{Pos: y.pos(n), Msg: fmt.Sprintf("more than %d workloads, Services, Secrets and ConfigMaps: no deployment needs that many", maxObjects)}
	}
	o := &k8sObject{y: y, kind: kind, node: n}
	_, o.nameNode = get(val(n, "metadata"), "name")
	o.name, _ = str(o.nameNode)
	o.ns, _ = str(dig(n, "metadata", "namespace"))
	switch {
	case kind == "Secret":
		m.secrets = append(m.secrets, o)
	case kind == "ConfigMap":
		m.configMaps = append(m.configMaps, o)
	case kind == "Service":
		m.services = append(m.services, o)
	default:
		if _, ok := podSpecs[kind]; ok {
			m.workloads = append(m.workloads, o)
		}
	}
	return nil
}

// sortNotes sorts notes by position, stably.
func sortNotes(notes []Note) {
	slices.SortStableFunc(notes, func(a, b Note) int {
		return cmp.Or(strings.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
}

// sameNamespace reports whether objects of namespaces a and b may meet:
// an object that names none is applied to the namespace of the command.
func sameNamespace(a, b string) bool { return a == "" || b == "" || a == b }

// find returns the Secret or ConfigMap (kind) named name in namespace ns:
// the last one written, when several are.
func (m *k8sManifests) find(kind, ns, name string) *k8sObject {
	if m.byName == nil {
		m.byName = map[string][]*k8sObject{}
		for _, list := range [][]*k8sObject{m.secrets, m.configMaps} {
			for _, o := range list {
				m.byName[o.kind+"/"+o.name] = append(m.byName[o.kind+"/"+o.name], o)
			}
		}
	}
	list := m.byName[kind+"/"+name]
	for i := len(list) - 1; i >= 0; i-- {
		if sameNamespace(list[i].ns, ns) {
			return list[i]
		}
	}
	return nil
}

// k8sValue is one key of a Secret or ConfigMap.
type k8sValue struct {
	key, val *yaml.Node
	value    string
	bad      string // why the value cannot be read (invalid base64)
}

// values returns the keys of a Secret (data decoded, then stringData,
// which the API server writes over data) or a ConfigMap (data), in the
// order written.
func (o *k8sObject) values() []k8sValue {
	if o.vals == nil {
		o.vals = o.readValues()
	}
	return o.vals
}

func (o *k8sObject) readValues() []k8sValue {
	out := []k8sValue{}
	at := map[string]int{}
	add := func(v k8sValue) {
		if i, ok := at[v.key.Value]; ok {
			out[i] = v
			return
		}
		at[v.key.Value] = len(out)
		out = append(out, v)
	}
	for _, p := range pairs(val(o.node, "data")) {
		s, _ := str(p.val)
		v := k8sValue{key: p.key, val: deref(p.val), value: s}
		if o.kind == "Secret" {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				v.bad = "its value is not valid base64"
			}
			v.value = string(b)
		}
		add(v)
	}
	if o.kind == "Secret" {
		for _, p := range pairs(val(o.node, "stringData")) {
			s, _ := str(p.val)
			add(k8sValue{key: p.key, val: deref(p.val), value: s})
		}
	}
	return out
}

// secretNotes notes a Secret whose data is written in the manifest, at
// each key that holds a value. A Secret encrypted with SOPS is not one.
func (o *k8sObject) secretNotes() []Note {
	if val(o.node, "sops") != nil {
		return nil
	}
	var out []Note
	for _, v := range o.values() {
		if v.value == "" || strings.HasPrefix(v.val.Value, "ENC[") {
			continue
		}
		out = append(out, Note{
			Code:    NoteSecretInManifest,
			Pos:     o.y.pos(v.key),
			Message: fmt.Sprintf("Secret %q writes key %q in the manifest: whoever reads the file reads its value (base64 is no encryption)", o.name, v.key.Value),
		})
	}
	return out
}

// containers reads the containers of workload w.
func (m *k8sManifests) containers(w *k8sObject) ([]Container, error) {
	shape := podSpecs[w.kind]
	spec := dig(w.node, shape.spec...)
	if spec == nil {
		return nil, nil
	}
	labels := map[string]string{}
	for _, p := range pairs(dig(w.node, shape.labels...)) {
		labels[p.key.Value], _ = str(p.val)
	}
	host := w.name
	if s := m.service(w, labels); s != nil {
		host = s.name
	}
	links := m.serviceLinks(w, spec)
	vols := m.volumes(w, spec)
	var out []Container
	for _, list := range []string{"initContainers", "containers"} {
		for _, cn := range items(val(spec, list)) {
			if m.ncontainers++; m.ncontainers > maxContainers {
				return nil, tooManyContainers(w.y.pos(cn))
			}
			c := Container{Name: w.name, What: w.kind, Host: host, Pos: w.y.pos(cn)}
			if s, _ := str(val(spec, "hostNetwork")); s == "true" {
				c.Network = "host"
			}
			c.Sub, _ = str(val(cn, "name"))
			m.volumeMounts(w.y, cn, vols, &c)
			if img, ok := str(val(cn, "image")); ok {
				c.Image = img
				c.Release = ReleaseFromImage(img, w.y.textPos(val(cn, "image")))
			}
			for _, key := range []string{"command", "args"} {
				for _, it := range items(val(cn, key)) {
					if s, ok := str(it); ok {
						c.Command = append(c.Command, s)
					}
				}
			}
			c.Notes = append(c.Notes, commandNotes(w.y, &m.lim, val(cn, "command"), val(cn, "args"))...)
			if err := m.env(w, cn, links, &c); err != nil {
				return nil, err
			}
			sortNotes(c.Notes)
			prefect := false
			for _, v := range c.Vars {
				prefect = prefect || strings.HasPrefix(v.Name, "PREFECT_") && !v.Implicit
			}
			c.Role = RoleOf(c.Image, c.Command, prefect)
			out = append(out, c)
		}
	}
	return out, nil
}

// service returns the first Service whose selector selects the pods of
// workload w, which carry labels.
func (m *k8sManifests) service(w *k8sObject, labels map[string]string) *k8sObject {
	if m.selectors == nil {
		m.selectors = map[string][]int{}
		for i, s := range m.services {
			if sel := pairs(dig(s.node, "spec", "selector")); len(sel) > 0 {
				v, _ := str(sel[0].val)
				m.selectors[sel[0].key.Value+"\x00"+v] = append(m.selectors[sel[0].key.Value+"\x00"+v], i)
			}
		}
	}
	best := -1
	for k, v := range labels {
		for _, i := range m.selectors[k+"\x00"+v] {
			if best >= 0 && i >= best {
				break
			}
			s := m.services[i]
			if !sameNamespace(s.ns, w.ns) {
				continue
			}
			match := true
			for _, p := range pairs(dig(s.node, "spec", "selector")) {
				v, _ := str(p.val)
				if l, ok := labels[p.key.Value]; !ok || l != v {
					match = false
				}
			}
			if match {
				best = i
				break
			}
		}
	}
	if best < 0 {
		return nil
	}
	return m.services[best]
}

// nsLinks are the service links of the pods of a namespace.
type nsLinks struct {
	byName  map[string]link
	prefect []link // those whose names start with PREFECT_, in order
}

// link is one variable kubelet sets from a Service (a service link).
type link struct {
	name, value string
	deferred    string
	svc         *k8sObject
}

// serviceLinks returns the variables kubelet sets in the pods of w from
// the Services of its namespace (unless enableServiceLinks is false), as
// k8s.io/kubernetes/pkg/kubelet/envvars names them: NAME_SERVICE_HOST,
// NAME_SERVICE_PORT, NAME_PORT, NAME_PORT_4200_TCP... A Service without a
// cluster IP (headless, ExternalName) sets none. The cluster IP is known
// only when the manifest writes it.
func (m *k8sManifests) serviceLinks(w *k8sObject, spec *yaml.Node) *nsLinks {
	if s, _ := str(val(spec, "enableServiceLinks")); s == "false" {
		return nil
	}
	if l, ok := m.links[w.ns]; ok {
		return l
	}
	var out []link
	for _, s := range m.services {
		if !sameNamespace(s.ns, w.ns) || s.name == "" {
			continue
		}
		ip, _ := str(dig(s.node, "spec", "clusterIP"))
		typ, _ := str(dig(s.node, "spec", "type"))
		if ip == "None" || typ == "ExternalName" {
			continue
		}
		prefix := strings.ToUpper(strings.ReplaceAll(s.name, "-", "_"))
		deferred := ""
		if ip == "" {
			deferred = fmt.Sprintf("the cluster IP of Service %q (a service link)", s.name)
		}
		add := func(name, value string, ofIP bool) {
			l := link{name: name, value: value, svc: s}
			if ofIP && deferred != "" {
				l.value, l.deferred = "", deferred
			}
			out = append(out, l)
		}
		ports := items(dig(s.node, "spec", "ports"))
		if len(ports) == 0 {
			continue
		}
		add(prefix+"_SERVICE_HOST", ip, true)
		for i, p := range ports {
			port, _ := str(val(p, "port"))
			proto, ok := str(val(p, "protocol"))
			if !ok {
				proto = "TCP"
			}
			if i == 0 {
				add(prefix+"_SERVICE_PORT", port, false)
			}
			if name, ok := str(val(p, "name")); ok && name != "" {
				add(prefix+"_SERVICE_PORT_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_")), port, false)
			}
			url := strings.ToLower(proto) + "://" + ip + ":" + port
			if i == 0 {
				add(prefix+"_PORT", url, true)
			}
			each := prefix + "_PORT_" + port + "_" + strings.ToUpper(proto)
			add(each, url, true)
			add(each+"_PROTO", strings.ToLower(proto), false)
			add(each+"_PORT", port, false)
			add(each+"_ADDR", ip, true)
		}
	}
	l := &nsLinks{byName: make(map[string]link, len(out))}
	for _, k := range out {
		l.byName[k.name] = k
		if strings.HasPrefix(k.name, "PREFECT_") {
			l.prefect = append(l.prefect, k)
		}
	}
	if m.links == nil {
		m.links = map[string]*nsLinks{}
	}
	m.links[w.ns] = l
	return l
}

// k8sEnv is the environment being built for one container, as kubelet's
// makeEnvironmentVariables builds it.
type k8sEnv struct {
	vals     map[string]string // tmpEnv: envFrom, then env in order
	deferred map[string]string // why a variable of vals has no value here
	links    map[string]link
}

func (e *k8sEnv) lookup(name string) (value, deferred string, ok bool) {
	if v, ok := e.vals[name]; ok {
		return v, e.deferred[name], true
	}
	if l, ok := e.links[name]; ok {
		return l.value, l.deferred, true
	}
	return "", "", false
}

func (e *k8sEnv) set(name, value, deferred string) {
	e.vals[name] = value
	if deferred != "" {
		e.deferred[name] = deferred
	} else {
		delete(e.deferred, name)
	}
}

// newK8sEnv starts the environment of a container with the service links
// of its pod (links, which it only reads).
func newK8sEnv(links map[string]link) *k8sEnv {
	return &k8sEnv{vals: map[string]string{}, deferred: map[string]string{}, links: links}
}

// env reads the environment of container cn of workload w into c. A
// container with more than maxVars variables (envFrom a huge ConfigMap,
// or the same one many times), or manifests with more than
// maxManifestVars, are refused.
func (m *k8sManifests) env(w *k8sObject, cn *yaml.Node, links *nsLinks, c *Container) error {
	var e *k8sEnv
	if links == nil {
		e = newK8sEnv(nil)
	} else {
		e = newK8sEnv(links.byName)
		for _, l := range links.prefect {
			if err := m.addVar(c, Var{Name: l.name, Value: l.value, Deferred: l.deferred, Pos: l.svc.y.pos(l.svc.nameNode), Via: "service link", Implicit: true}); err != nil {
				return err
			}
		}
	}
	for _, from := range items(val(cn, "envFrom")) {
		if err := m.envFrom(w.y, w.ns, from, e, c); err != nil {
			return err
		}
	}
	for _, item := range items(val(cn, "env")) {
		if _, err := m.envItem(w.y, w.ns, item, e, c); err != nil {
			return err
		}
	}
	return nil
}

// addVar adds v to container c, within the bounds of variables.
func (m *k8sManifests) addVar(c *Container, v Var) error {
	if m.nvars++; len(c.Vars) >= maxVars || m.nvars > maxManifestVars {
		return tooManyVars(v.Pos)
	}
	c.Vars = append(c.Vars, v)
	return nil
}

// envFrom reads one envFrom entry, written at from in y, of a container
// of namespace ns.
func (m *k8sManifests) envFrom(y *yamlFile, ns string, from *yaml.Node, e *k8sEnv, c *Container) error {
	prefix, _ := str(val(from, "prefix"))
	for _, ref := range []struct{ key, kind string }{{"configMapRef", "ConfigMap"}, {"secretRef", "Secret"}} {
		r := val(from, ref.key)
		if r == nil {
			continue
		}
		name, _ := str(val(r, "name"))
		o := m.find(ref.kind, ns, name)
		if o == nil {
			c.Notes = append(c.Notes, Note{Code: NoteDeferredEnv, Pos: y.pos(from),
				Message: fmt.Sprintf("the variables of %s %q (envFrom) are set at deploy time: no file read defines it", ref.kind, name)})
			continue
		}
		for _, v := range o.values() {
			vr := Var{Name: prefix + v.key.Value, Value: v.value, Pos: o.y.textPos(v.key), ValuePos: o.y.textPos(v.val),
				Via: fmt.Sprintf("envFrom %s %s", ref.key, name), Literal: ref.kind == "ConfigMap"}
			if v.bad != "" {
				vr.Value, vr.Deferred = "", fmt.Sprintf("Secret %q key %q, whose value is not valid base64", name, v.key.Value)
			}
			e.set(vr.Name, vr.Value, vr.Deferred)
			if err := m.addVar(c, vr); err != nil {
				return err
			}
		}
	}
	return nil
}

// envItem reads one env entry, written at item in y, of a container of
// namespace ns; it reports whether the entry sets a variable.
func (m *k8sManifests) envItem(y *yamlFile, ns string, item *yaml.Node, e *k8sEnv, c *Container) (bool, error) {
	nameNode := val(item, "name")
	name, ok := str(nameNode)
	if !ok {
		return false, nil
	}
	v := Var{Name: name, Pos: y.textPos(nameNode), Via: "env"}
	_, valueNode := get(item, "value")
	valueNode = deref(valueNode)
	switch from := val(item, "valueFrom"); {
	case valueNode != nil && valueNode.Kind == yaml.ScalarNode && valueNode.Tag != "!!null" && valueNode.Value != "":
		if valueNode.Tag != "!!str" {
			c.Notes = append(c.Notes, Note{Code: NoteNotString, Pos: y.pos(valueNode),
				Message: fmt.Sprintf("the value of %s is a YAML %s, which Kubernetes rejects: env values are strings; quote it", name, strings.TrimPrefix(valueNode.Tag, "!!"))})
		}
		v.ValuePos = y.textPos(valueNode)
		if err := m.expandEnvValue(y, valueNode, e, &v); err != nil {
			return false, err
		}
	case from != nil:
		m.valueFrom(y, ns, from, &v, c)
		if v.Via == "" {
			return false, nil // an optional reference to a key that does not exist: not set
		}
	default:
		v.Literal = true
		if valueNode != nil {
			v.ValuePos = y.textPos(valueNode)
		}
	}
	e.set(v.Name, v.Value, v.Deferred)
	return true, m.addVar(c, v)
}

// expandEnvValue sets v from the value written at node n, expanding $(VAR) as
// kubelet does against the variables declared before it, and noting the
// $VAR and ${VAR} only a shell would expand. A value whose references
// expand beyond the bound of expansion is refused.
func (m *k8sManifests) expandEnvValue(y *yamlFile, n *yaml.Node, e *k8sEnv, v *Var) error {
	s := n.Value
	var through []string
	value, refs, over := expandK8s(s, &m.exp, func(name string) (string, bool) {
		val, deferred, ok := e.lookup(name)
		if ok && deferred != "" {
			through = append(through, fmt.Sprintf("%s (through $(%s))", deferred, name))
		}
		return val, ok
	}, func(name string) bool {
		_, _, ok := e.lookup(name)
		return ok
	})
	if over != nil {
		return m.exp.error(y.scalarPos(n, over.at), "$("+over.name+")")
	}
	for _, r := range refs {
		v.Refs = append(v.Refs, Ref{Name: r.name, Pos: y.scalarPos(n, r.at), Set: r.set, Unexpanded: r.shell})
	}
	v.Value = value
	if len(through) > 0 {
		v.Value, v.Deferred = "", strings.Join(through, ", ")
	}
	v.Literal = true
	for _, r := range v.Refs {
		if r.Set && !r.Unexpanded {
			v.Literal = false
		}
	}
	return nil
}

// valueFrom sets v from a valueFrom: a key of a Secret or ConfigMap the
// files define, else a value that exists only at deploy time.
func (m *k8sManifests) valueFrom(y *yamlFile, ns string, from *yaml.Node, v *Var, c *Container) {
	for _, ref := range []struct{ key, kind string }{{"secretKeyRef", "Secret"}, {"configMapKeyRef", "ConfigMap"}} {
		r := val(from, ref.key)
		if r == nil {
			continue
		}
		name, _ := str(val(r, "name"))
		key, _ := str(val(r, "key"))
		optional, _ := str(val(r, "optional"))
		v.Via = ref.key
		o := m.find(ref.kind, ns, name)
		if o == nil {
			v.Deferred = fmt.Sprintf("%s %s/%s", ref.key, name, key)
			return
		}
		for _, kv := range o.values() {
			if kv.key.Value == key {
				v.Value, v.ValuePos = kv.value, o.y.textPos(kv.val)
				v.Literal = ref.kind == "ConfigMap"
				if kv.bad != "" {
					v.Value, v.Deferred = "", fmt.Sprintf("%s %s/%s, whose value is not valid base64", ref.key, name, key)
				}
				return
			}
		}
		if optional == "true" {
			v.Via = ""
			return
		}
		v.Deferred = fmt.Sprintf("%s %s/%s", ref.key, name, key)
		c.Notes = append(c.Notes, Note{Code: NoteMissingKey, Pos: y.pos(r),
			Message: fmt.Sprintf("%s %q has no key %q: the pod does not start", ref.kind, name, key)})
		return
	}
	switch {
	case val(from, "fieldRef") != nil:
		p, _ := str(dig(from, "fieldRef", "fieldPath"))
		v.Via, v.Deferred = "fieldRef", "fieldRef "+p
	case val(from, "resourceFieldRef") != nil:
		p, _ := str(dig(from, "resourceFieldRef", "resource"))
		v.Via, v.Deferred = "resourceFieldRef", "resourceFieldRef "+p
	default:
		v.Via, v.Deferred = "valueFrom", "valueFrom"
	}
}

// k8sRef is one reference of a Kubernetes value.
type k8sRef struct {
	name  string
	at    int
	set   bool
	shell bool // a $VAR or ${VAR}, which Kubernetes leaves as written
}

var shellRefRE = regexp.MustCompile(`^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// expandK8s expands s as kubelet expands an env value, command or args
// (k8s.io/kubernetes/third_party/forked/golang/expansion): $(NAME)
// becomes NAME's value when lookup has it, else stays as written; $$ is a
// $; any other $ stays. It also returns the references, and the $NAME and
// ${NAME} a shell would expand but kubelet leaves alone (has tells whether
// such a name is a variable of the container). What the references bring
// counts against exp: the reference that goes beyond it is returned as
// over, and the value is then nothing.
func expandK8s(s string, exp *expansion, lookup func(string) (string, bool), has func(string) bool) (value string, refs []k8sRef, over *k8sRef) {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		switch r, size := utf8.DecodeRuneInString(s[i+1:]); r {
		case '$':
			b.WriteByte('$')
			i += 2
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString("$(")
				i += 2
				continue
			}
			name := s[i+2 : i+2+end]
			v, ok := lookup(name)
			if !ok {
				v = "$(" + name + ")"
			} else if !exp.takeValue(len(v), len(s)+b.Len()+len(v)) {
				return "", refs, &k8sRef{name: name, at: i, set: true}
			}
			if len(refs) < 1000 {
				refs = append(refs, k8sRef{name: name, at: i, set: ok})
			}
			b.WriteString(v)
			i += 3 + end
		default:
			if m := shellRefRE.FindStringSubmatch(s[i:]); m != nil && len(refs) < 1000 {
				name := m[1] + m[2]
				refs = append(refs, k8sRef{name: name, at: i, set: has(name), shell: true})
			}
			b.WriteByte('$')
			b.WriteString(s[i+1 : i+1+size])
			i += 1 + size
		}
	}
	return b.String(), refs, nil
}
