package deploy

// The reader of values files for Prefect's Helm charts, prefect-server and
// prefect-worker (github.com/PrefectHQ/prefect-helm). A values file sets
// chart keys; the charts' templates turn some of them into the PREFECT_
// variables of the containers they render. This reader applies the
// templates' logic for those variables (charts/*/templates/deployment.yaml
// and _helpers.tpl, as of chart 2026.8.18): a variable whose key the
// values write is a Var at that key, its value where the value is written;
// one the chart sets from its own default, or sets to a fixed value, is
// Implicit, at the nearest key the values write above it. The values are
// merged over the chart's defaults as Helm merges them (a null removes a
// default). Keys the current chart no longer reads, and values it refuses
// to render with, are Notes.
//
// Not read: the migrations Job and the worker's base-job-template init
// container (they repeat the variables read here), the service links of
// the Service the server chart creates, and values of other charts.

import (
	"cmp"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/sources"
	"go.yaml.in/yaml/v3"
)

// The charts' defaults that become PREFECT_ variables, by key, as the
// templates render them (quote): charts/prefect-server/values.yaml and
// charts/prefect-worker/values.yaml.
var helmDefaults = map[string]map[string]string{
	"prefect-server": {
		"fullnameOverride":                                             "prefect-server",
		"global.prefect.image.repository":                              "prefecthq/prefect",
		"global.prefect.image.prefectTag":                              "3-latest",
		"server.basicAuth.enabled":                                     "false",
		"server.basicAuth.authString":                                  "admin:pass",
		"server.apiBasePath":                                           "/api",
		"server.debug":                                                 "false",
		"server.loggingLevel":                                          "WARNING",
		"server.uiConfig.prefectUiApiUrl":                              "http://localhost:4200/api",
		"server.uiConfig.prefectUiStaticDirectory":                     "/ui_build",
		"service.targetPort":                                           "4200",
		"backgroundServices.runAsSeparateDeployment":                   "false",
		"backgroundServices.debug":                                     "false",
		"backgroundServices.loggingLevel":                              "WARNING",
		"backgroundServices.messaging.broker":                          "prefect_redis.messaging",
		"backgroundServices.messaging.cache":                           "prefect_redis.messaging",
		"backgroundServices.messaging.redis.port":                      "6379",
		"backgroundServices.messaging.redis.db":                        "0",
		"backgroundServices.messaging.redis.ssl":                       "false",
		"backgroundServices.messaging.redis.existingSecretPasswordKey": "redis-password",
		"backgroundServices.messaging.docket.existingSecretKey":        "docket-url",
		"secret.create":                                                "true",
		"sqlite.enabled":                                               "false",
		"postgresql.enabled":                                           "true",
		"postgresql.auth.database":                                     "server",
		"postgresql.auth.username":                                     "prefect",
		"postgresql.auth.password":                                     "prefect-rocks",
		"redis.enabled":                                                "false",
	},
	"prefect-worker": {
		"fullnameOverride":                                          "prefect-worker",
		"worker.image.repository":                                   "prefecthq/prefect",
		"worker.image.prefectTag":                                   "3-python3.11-kubernetes",
		"worker.image.debug":                                        "false",
		"worker.config.queryInterval":                               "5",
		"worker.config.prefetchSeconds":                             "10",
		"worker.config.http2":                                       "true",
		"worker.config.type":                                        "kubernetes",
		"worker.config.installPolicy":                               "prompt",
		"worker.config.observerClusterWide":                         "false",
		"worker.apiConfig":                                          "cloud",
		"worker.cloudApiConfig.apiKeySecret.name":                   "prefect-api-key",
		"worker.cloudApiConfig.apiKeySecret.key":                    "key",
		"worker.cloudApiConfig.jobApiKeyPropagation":                "secretRef",
		"worker.cloudApiConfig.cloudUrl":                            "https://api.prefect.cloud/api",
		"worker.customerManagedCloudApiConfig.apiKeySecret.name":    "prefect-api-key",
		"worker.customerManagedCloudApiConfig.apiKeySecret.key":     "key",
		"worker.customerManagedCloudApiConfig.jobApiKeyPropagation": "secretRef",
		"worker.selfHostedServerApiConfig.basicAuth.enabled":        "false",
		"worker.selfHostedServerApiConfig.basicAuth.authString":     "admin:pass",
	},
}

// helmRetired are keys the current charts no longer read, or refuse.
var helmRetired = []struct {
	chart, key string
	refused    bool
	why        string
}{
	{"prefect-server", "server.prefectApiUrl", false, "it set PREFECT_API_URL before chart 2025.1.24; the server needs none, and the UI reads server.uiConfig.prefectUiApiUrl"},
	{"prefect-server", "server.prefectApiHost", false, "it set PREFECT_SERVER_API_HOST before chart 2025.1.24; the chart now always sets 0.0.0.0"},
	{"prefect-server", "server.image", false, "the image is global.prefect.image since chart 2025.1.24"},
	{"prefect-server", "server.uiConfig.enabled", false, "it set PREFECT_UI_ENABLED before chart 2025.3.5; set it in server.env"},
	{"prefect-server", "global.prefect.prefectApiUrl", true, "removed in chart 2025.3.5: use server.uiConfig.prefectUiApiUrl"},
	{"prefect-server", "global.prefect.prefectApiHost", true, "removed in chart 2025.3.5: use server.uiConfig.prefectUiApiUrl"},
	{"prefect-server", "server.uiConfig.prefectUiUrl", true, "removed in chart 2025.3.5: the UI URL comes from server.uiConfig.prefectUiApiUrl"},
	{"prefect-server", "global.prefect.image.tag", false, "the tag is global.prefect.image.prefectTag"},
	{"prefect-worker", "worker.serverApiConfig", false, "it is worker.selfHostedServerApiConfig since chart 2025.3.7"},
	{"prefect-worker", "worker.basicAuth", false, "it is worker.selfHostedServerApiConfig.basicAuth since chart 2025.3.7"},
	{"prefect-worker", "worker.selfHostedCloudApiConfig", false, "it is worker.customerManagedCloudApiConfig since chart 2025.11.18 (worker.selfManagedCloudApiConfig from 2025.1.30)"},
	{"prefect-worker", "worker.selfManagedCloudApiConfig", false, "it is worker.customerManagedCloudApiConfig since chart 2025.11.18"},
	{"prefect-worker", "worker.image.tag", false, "the tag is worker.image.prefectTag"},
}

// helmChartKeys are keys only Prefect's charts have: one of them in a
// values file tells it is for these charts.
var helmChartKeys = map[string][]string{
	"prefect-server": {"server.uiConfig", "server.basicAuth", "server.apiBasePath", "server.prefectApiUrl", "server.prefectApiHost", "global.prefect", "backgroundServices"},
	"prefect-worker": {"worker.apiConfig", "worker.cloudApiConfig", "worker.selfHostedServerApiConfig", "worker.customerManagedCloudApiConfig", "worker.serverApiConfig", "worker.selfManagedCloudApiConfig", "worker.selfHostedCloudApiConfig", "worker.config", "worker.clusterUid"},
}

var helmNameRE = regexp.MustCompile(`^(values([.-][A-Za-z0-9_.-]+)?|[A-Za-z0-9_.-]+[.-]values)\.ya?ml$`)

func matchHelm(p string) Match {
	if helmNameRE.MatchString(path.Base(p)) {
		return Maybe
	}
	return No
}

// helmKeyRE finds, in a values file that is not valid YAML, a key only
// Prefect's charts have.
var helmKeyRE = regexp.MustCompile(`(?m)^\s*(prefectUiApiUrl|selfHostedServerApiConfig|customerManagedCloudApiConfig|cloudApiConfig|serverApiConfig|prefectTag|prefectApiUrl|runAsSeparateDeployment)\s*:`)

// sniffHelm tells values for Prefect's charts from other YAML: a key only
// these charts have, at the top or under a prefect-server or
// prefect-worker key (an umbrella chart's values). Invalid YAML is told by
// the names of those keys, for its error to be reported.
func sniffHelm(data []byte) bool {
	if len(data) > sources.MaxFileSize {
		return false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return helmKeyRE.Match(data)
	}
	return len(helmCharts(deref(&doc))) > 0
}

// helmValues is the part of a values file that is one chart's values.
type helmValues struct {
	y      *yamlFile
	chart  string
	root   *yaml.Node // the chart's values
	prefix string     // the keys above them, in an umbrella chart's values
	top    *yaml.Node // the key of that part, in an umbrella chart's values
	// env reads the env lists the charts render as written, within the
	// bounds of a manifest's; err is the first it refuses.
	env k8sManifests
	err error
}

// helmCharts finds the charts' values in a values file.
func helmCharts(root *yaml.Node) []*helmValues {
	var out []*helmValues
	for _, chart := range []string{"prefect-server", "prefect-worker"} {
		if k, v := get(root, chart); k != nil && isChartValues(chart, deref(v)) {
			out = append(out, &helmValues{chart: chart, root: deref(v), prefix: chart + ".", top: k})
		} else if isChartValues(chart, root) {
			out = append(out, &helmValues{chart: chart, root: root})
		}
	}
	return out
}

func isChartValues(chart string, n *yaml.Node) bool {
	for _, key := range helmChartKeys[chart] {
		if k, _ := lookupKey(n, key); k != nil {
			return true
		}
	}
	return false
}

// lookupKey returns the key and value nodes of a dotted key.
func lookupKey(n *yaml.Node, key string) (k, v *yaml.Node) {
	v = n
	for _, part := range strings.Split(key, ".") {
		if k, v = get(v, part); k == nil {
			return nil, nil
		}
	}
	return k, v
}

// ReadHelmValues reads a values file of Prefect's Helm charts: a container
// for each Deployment the charts render from it (the server, its
// background services when they run apart, the worker), with the
// variables the charts set in it.
func ReadHelmValues(in *Input) (*File, error) {
	y, err := parseYAML(in.Path, in.Data, sources.MaxFileSize, nil)
	if err != nil {
		return nil, err
	}
	f := &File{Path: in.Path, Kind: "helm"}
	f.writes = func(key string) bool {
		for _, doc := range y.docs {
			if k, v := lookupKey(deref(doc), key); k != nil && v != nil && v.Tag != "!!null" && !(v.Kind == yaml.ScalarNode && v.Value == "") {
				return true
			}
		}
		return false
	}
	for _, doc := range y.docs {
		for _, h := range helmCharts(deref(doc)) {
			h.y = y
			f.Notes = append(f.Notes, h.retired()...)
			switch h.chart {
			case "prefect-server":
				f.Containers = append(f.Containers, h.server())
				if h.truthy("backgroundServices.runAsSeparateDeployment") {
					f.Containers = append(f.Containers, h.backgroundServices())
				}
			case "prefect-worker":
				f.Containers = append(f.Containers, h.worker())
			}
			if h.err != nil {
				return nil, h.err
			}
		}
	}
	sortNotes(f.Notes)
	return f, nil
}

// helmValue is one chart key, as the values write it or the chart's
// default.
type helmValue struct {
	key     string
	k, v    *yaml.Node // as written; nil for the chart's default
	s       string     // as the templates render it (quote)
	written bool
}

// get returns the value of a chart key.
func (h *helmValues) get(key string) helmValue {
	hv := helmValue{key: key}
	if k, v := lookupKey(h.root, key); k != nil {
		hv.k, hv.v, hv.written = k, deref(v), true
		hv.s = helmString(hv.v)
		return hv
	}
	hv.s = helmDefaults[h.chart][key]
	return hv
}

// truthy reports whether a chart key is true as a Go template's if sees
// it: a non-empty string, a non-zero number, true, a non-empty list or map.
func (h *helmValues) truthy(key string) bool {
	hv := h.get(key)
	if !hv.written {
		return hv.s != "" && hv.s != "false" && hv.s != "0"
	}
	switch n := hv.v; {
	case n == nil || n.Tag == "!!null":
		return false
	case n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode:
		return len(n.Content) > 0
	case n.Tag == "!!str":
		return n.Value != ""
	default:
		return hv.s != "false" && hv.s != "0"
	}
}

var yaml11Bool = map[string]string{
	"y": "true", "Y": "true", "yes": "true", "Yes": "true", "YES": "true", "on": "true", "On": "true", "ON": "true",
	"n": "false", "N": "false", "no": "false", "No": "false", "NO": "false", "off": "false", "Off": "false", "OFF": "false",
}

// helmString renders a value as `{{ .Values.x | quote }}` does. Helm reads
// values as YAML 1.1 into JSON types: yes and off are booleans, numbers
// are floats printed as Go prints them, null renders nothing.
func helmString(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	switch n.Tag {
	case "!!null":
		return ""
	case "!!bool":
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		return strconv.FormatBool(b)
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err == nil {
			return fmt.Sprint(f)
		}
	case "!!str":
		if b, ok := yaml11Bool[n.Value]; ok && n.Style == 0 {
			return b
		}
	}
	return n.Value
}

// at returns where a chart key is written, or the nearest key above it
// that is; the file when none is.
func (h *helmValues) at(key string) sources.Position {
	parts := strings.Split(key, ".")
	for i := len(parts); i > 0; i-- {
		if k, _ := lookupKey(h.root, strings.Join(parts[:i], ".")); k != nil {
			return h.y.pos(k)
		}
	}
	if h.top != nil {
		return h.y.pos(h.top)
	}
	return sources.Position{File: h.y.path}
}

// setting appends the variable name the chart sets from a key.
func (h *helmValues) setting(c *Container, name, key string) *Var {
	hv := h.get(key)
	v := Var{Name: name, Value: hv.s, Via: "values " + h.prefix + key, Literal: hv.written, Templated: true}
	if hv.written {
		v.Pos, v.ValuePos = h.y.textPos(hv.k), h.y.textPos(hv.v)
	} else {
		v.Pos, v.Implicit, v.Via = h.at(key), true, "chart default "+h.prefix+key
	}
	if strings.Contains(v.Value, "{{") {
		v.Value, v.Deferred, v.Literal = "", "a Helm template in "+h.prefix+key+", rendered at install", false
	}
	c.Vars = append(c.Vars, v)
	return &c.Vars[len(c.Vars)-1]
}

// fixed appends a variable the chart sets to a value of its own, key
// being what brings it in.
func (h *helmValues) fixed(c *Container, name, value, key string) {
	c.Vars = append(c.Vars, Var{Name: name, Value: value, Pos: h.at(key), Via: "chart " + h.chart, Implicit: true})
}

// deferred appends a variable the chart sets from a Secret, key being
// what names it.
func (h *helmValues) deferred(c *Container, name, key, from string) {
	v := Var{Name: name, Deferred: from, Via: "secretKeyRef", Pos: h.at(key)}
	if hv := h.get(key); hv.written {
		v.Pos = h.y.textPos(hv.k)
		if hv.v != nil && hv.v.Kind == yaml.ScalarNode {
			v.ValuePos = h.y.textPos(hv.v)
		}
	} else {
		v.Implicit = true
	}
	c.Vars = append(c.Vars, v)
}

// note appends a note at a chart key.
func (h *helmValues) note(c *Container, code, key, format string, args ...any) {
	c.Notes = append(c.Notes, Note{Code: code, Pos: h.at(key), Message: fmt.Sprintf(format, args...)})
}

// required appends the note that the chart refuses to render without the
// value at key, which another values file given with this one may write:
// key itself or one of the keys also (what the requirement depends on).
func (h *helmValues) required(c *Container, key string, also []string, format string, args ...any) {
	h.note(c, NoteChartRefuses, key, format, args...)
	n := &c.Notes[len(c.Notes)-1]
	for _, k := range append([]string{key}, also...) {
		n.moot = append(n.moot, h.prefix+k)
	}
}

// envList appends the variables of a list of env entries the chart
// renders into the container as written (server.env, worker.extraEnvVars).
func (h *helmValues) envList(c *Container, e *k8sEnv, key string) {
	hv := h.get(key)
	if !hv.written {
		return
	}
	for _, item := range items(hv.v) {
		set, err := h.env.envItem(h.y, "", item, e, c)
		if err != nil {
			h.err = cmp.Or(h.err, err)
			return
		}
		if set {
			v := &c.Vars[len(c.Vars)-1]
			v.Via = "values " + h.prefix + key
			if strings.Contains(v.Value, "{{") {
				v.Value, v.Deferred, v.Literal = "", "a Helm template in "+h.prefix+key+", rendered at install", false
			}
		}
	}
}

// envFrom notes the ConfigMaps and Secrets the chart adds with envFrom.
func (h *helmValues) envFrom(c *Container, keys ...string) {
	for _, key := range keys {
		hv := h.get(key)
		if !hv.written {
			continue
		}
		names := []string{hv.s}
		if hv.v != nil && hv.v.Kind == yaml.SequenceNode {
			names = nil
			for _, it := range items(hv.v) {
				names = append(names, helmString(it))
			}
		}
		for _, name := range names {
			if name == "" {
				continue
			}
			kind := "ConfigMap"
			if strings.Contains(key, "Secret") {
				kind = "Secret"
			}
			c.Notes = append(c.Notes, Note{Code: NoteDeferredEnv, Pos: h.y.pos(hv.k),
				Message: fmt.Sprintf("the variables of %s %q (%s%s) are set at deploy time: no file read defines it", kind, name, h.prefix, key)})
		}
	}
}

// collect records the variables appended so far in the environment later
// entries expand $(VAR) against.
func collect(c *Container, e *k8sEnv) {
	for _, v := range c.Vars {
		e.set(v.Name, v.Value, v.Deferred)
	}
}

// fullname is the name the chart gives its objects: fullnameOverride,
// which the chart sets to its own name.
func (h *helmValues) fullname() string {
	if s := h.get("fullnameOverride").s; s != "" {
		return s
	}
	return h.chart
}

// image sets the container's image, and the release its tag names when the
// values write it.
func (h *helmValues) image(c *Container, repoKey, tagKey string) {
	repo, tag := h.get(repoKey), h.get(tagKey)
	c.Image = repo.s + ":" + tag.s
	if tag.written {
		c.Release = ReleaseFromImage(c.Image, h.y.textPos(tag.v))
	}
}

// command sets the container's command: the values' command and args, or
// the chart's.
func (h *helmValues) command(c *Container, key string, args []string) {
	c.Command = []string{"/usr/bin/tini", "-g", "--", "/opt/prefect/entrypoint.sh"}
	if hv := h.get(key + ".command"); hv.written && len(items(hv.v)) > 0 {
		c.Command = nil
		for _, it := range items(hv.v) {
			c.Command = append(c.Command, helmString(it))
		}
	}
	if hv := h.get(key + ".args"); hv.written && len(items(hv.v)) > 0 {
		args = nil
		for _, it := range items(hv.v) {
			args = append(args, helmString(it))
		}
	} else {
		for _, it := range items(h.get(key + ".extraArgs").v) {
			args = append(args, helmString(it))
		}
	}
	c.Command = append(c.Command, args...)
}

// server reads the container of the server chart's Deployment.
func (h *helmValues) server() Container {
	name := h.fullname()
	c := Container{Name: name, Sub: "prefect-server", What: "Deployment", Host: name, Pos: h.at("server")}
	h.image(&c, "global.prefect.image.repository", "global.prefect.image.prefectTag")
	args := []string{"prefect", "server", "start"}
	if h.truthy("backgroundServices.runAsSeparateDeployment") {
		args = append(args, "--no-services")
	}
	h.command(&c, "server", append(args, "--port", h.get("service.targetPort").s))
	h.setting(&c, "PREFECT_DEBUG_MODE", "server.debug")
	h.setting(&c, "PREFECT_LOGGING_SERVER_LEVEL", "server.loggingLevel")
	h.setting(&c, "PREFECT_SERVER_API_BASE_PATH", "server.apiBasePath")
	h.fixed(&c, "PREFECT_SERVER_API_HOST", "0.0.0.0", "server")
	h.setting(&c, "PREFECT_SERVER_API_PORT", "service.targetPort")
	h.setting(&c, "PREFECT_UI_API_URL", "server.uiConfig.prefectUiApiUrl")
	h.setting(&c, "PREFECT_UI_STATIC_DIRECTORY", "server.uiConfig.prefectUiStaticDirectory")
	h.database(&c)
	if h.truthy("server.basicAuth.enabled") {
		if h.truthy("server.basicAuth.existingSecret") {
			h.deferred(&c, "PREFECT_SERVER_API_AUTH_STRING", "server.basicAuth.existingSecret",
				"secretKeyRef "+h.get("server.basicAuth.existingSecret").s+"/auth-string")
		} else {
			h.setting(&c, "PREFECT_SERVER_API_AUTH_STRING", "server.basicAuth.authString")
		}
	} else {
		h.ignoredUnless(&c, "server.basicAuth.enabled is false", "server.basicAuth.authString", "server.basicAuth.existingSecret")
	}
	e := newK8sEnv(nil)
	collect(&c, e)
	h.envList(&c, e, "global.prefect.env")
	h.envList(&c, e, "server.env")
	if h.truthy("backgroundServices.runAsSeparateDeployment") {
		h.messaging(&c)
	}
	h.envFrom(&c, "server.extraEnvVarsCM", "server.extraEnvVarsSecret")
	c.Role = RoleOf(c.Image, c.Command, true)
	sortNotes(c.Notes)
	return c
}

// backgroundServices reads the container of the server chart's
// background-services Deployment.
func (h *helmValues) backgroundServices() Container {
	name := h.fullname() + "-background-services"
	c := Container{Name: name, Sub: "prefect-background-services", What: "Deployment", Host: name, Pos: h.at("backgroundServices")}
	h.image(&c, "global.prefect.image.repository", "global.prefect.image.prefectTag")
	h.command(&c, "backgroundServices", []string{"prefect", "server", "services", "start"})
	h.setting(&c, "PREFECT_DEBUG_MODE", "backgroundServices.debug")
	h.setting(&c, "PREFECT_LOGGING_SERVER_LEVEL", "backgroundServices.loggingLevel")
	h.fixed(&c, "PREFECT_UI_ENABLED", "false", "backgroundServices")
	h.database(&c)
	h.messaging(&c)
	e := newK8sEnv(nil)
	collect(&c, e)
	h.envList(&c, e, "global.prefect.env")
	h.envList(&c, e, "backgroundServices.env")
	h.envFrom(&c, "backgroundServices.extraEnvVarsCM", "backgroundServices.extraEnvVarsSecret")
	c.Role = RoleOf(c.Image, c.Command, true)
	sortNotes(c.Notes)
	return c
}

// database appends the database variables (server.database-env).
func (h *helmValues) database(c *Container) {
	const url = "PREFECT_SERVER_DATABASE_CONNECTION_URL"
	secret := func(key string) string {
		return "secretKeyRef " + h.get("externalDatabase.existingSecret").s + "/" + h.get(key).s
	}
	switch {
	case h.truthy("sqlite.enabled"):
		h.fixed(c, url, "sqlite+aiosqlite:////data/prefect.db", "sqlite.enabled")
	case h.truthy("externalDatabase.connectionString"):
		h.setting(c, url, "externalDatabase.connectionString")
	case h.truthy("externalDatabase.connectionStringSecretKey"):
		h.deferred(c, url, "externalDatabase.connectionStringSecretKey", secret("externalDatabase.connectionStringSecretKey"))
	case h.componentConfig():
		type part struct{ name, field, def string }
		parts := []part{
			{"PREFECT_SERVER_DATABASE_DRIVER", "driver", "postgresql+asyncpg"},
			{"PREFECT_SERVER_DATABASE_USER", "username", ""},
			{"PREFECT_SERVER_DATABASE_PASSWORD", "password", ""},
			{"PREFECT_SERVER_DATABASE_HOST", "host", ""},
			{"PREFECT_SERVER_DATABASE_PORT", "port", "5432"},
			{"PREFECT_SERVER_DATABASE_NAME", "name", ""},
		}
		var refs []string
		deferred := false
		for _, p := range parts {
			key := "externalDatabase." + p.field
			if h.truthy(key + "SecretKey") {
				h.deferred(c, p.name, key+"SecretKey", secret(key+"SecretKey"))
				refs, deferred = append(refs, "$("+p.name+")"), true
				continue
			}
			v := h.setting(c, p.name, key)
			if v.Value == "" && p.def != "" {
				v.Value, v.Implicit, v.Literal, v.Via = p.def, true, false, "chart default "+h.prefix+key
			}
			if v.Value == "" {
				h.required(c, key, []string{key + "SecretKey", "externalDatabase.existingSecret"}, "the chart refuses to render: %s%s or %s%sSecretKey is required", h.prefix, key, h.prefix, key)
			}
			refs = append(refs, v.Value)
		}
		v := Var{Name: url, Pos: h.at("externalDatabase"), Via: "chart " + h.chart, Implicit: true}
		composed := fmt.Sprintf("%s://%s:%s@%s:%s/%s", refs[0], refs[1], refs[2], refs[3], refs[4], refs[5])
		if deferred {
			v.Deferred = "composed from " + h.prefix + "externalDatabase, with keys of Secret " + strconv.Quote(h.get("externalDatabase.existingSecret").s)
		} else {
			v.Value = composed
		}
		c.Vars = append(c.Vars, v)
	default:
		name := h.fullname() + "-postgresql-connection"
		switch {
		case h.truthy("postgresql.auth.existingSecret"):
			name = h.get("postgresql.auth.existingSecret").s
		case h.truthy("secret.name"):
			name = h.get("secret.name").s
		}
		h.deferred(c, url, "postgresql.auth", "secretKeyRef "+name+"/connection-string")
		c.Vars[len(c.Vars)-1].Pos = h.at("postgresql.auth.password")
		if h.truthy("secret.create") && !h.truthy("postgresql.auth.existingSecret") {
			key := "secret.password"
			if h.truthy("postgresql.enabled") {
				key = "postgresql.auth.password"
			} else {
				for _, f := range []string{"host", "port", "username", "password", "database"} {
					if !h.truthy("secret." + f) {
						h.required(c, "secret."+f, []string{"postgresql.enabled", "secret.create", "postgresql.auth.existingSecret"}, "the chart refuses to render: %ssecret.%s is required when %spostgresql.enabled is false", h.prefix, f, h.prefix)
					}
				}
			}
			if hv := h.get(key); hv.written && hv.s != "" {
				c.Notes = append(c.Notes, Note{Code: NoteSecretInManifest, Pos: h.y.pos(hv.k), Setting: "server.database.connection_url",
					Message: fmt.Sprintf("%s%s writes the database password in the values file, from which the chart makes the Secret %q", h.prefix, key, name)})
			}
		}
	}
}

// componentConfig reports whether externalDatabase sets the connection
// URL's parts (server.database-has-component-config).
func (h *helmValues) componentConfig() bool {
	for _, f := range []string{"driver", "username", "password", "host", "port", "name"} {
		if h.truthy("externalDatabase."+f) || h.truthy("externalDatabase."+f+"SecretKey") {
			return true
		}
	}
	return false
}

// messaging appends the variables of backgroundServices.envVars.
func (h *helmValues) messaging(c *Container) {
	h.fixed(c, "PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false", "backgroundServices.runAsSeparateDeployment")
	h.setting(c, "PREFECT_MESSAGING_BROKER", "backgroundServices.messaging.broker")
	h.setting(c, "PREFECT_MESSAGING_CACHE", "backgroundServices.messaging.cache")
	const r = "backgroundServices.messaging.redis."
	if h.get("backgroundServices.messaging.broker").s == "prefect_redis.messaging" {
		h.fixed(c, "PREFECT_SERVER_EVENTS_CAUSAL_ORDERING", "prefect_redis.ordering", "backgroundServices.messaging.broker")
		h.fixed(c, "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE", "prefect_redis.lease_storage", "backgroundServices.messaging.broker")
		if h.truthy("redis.enabled") && !h.truthy(r+"host") {
			c.Vars = append(c.Vars, Var{Name: "PREFECT_REDIS_MESSAGING_HOST", Pos: h.at("redis.enabled"), Via: "chart " + h.chart, Implicit: true,
				Deferred: "the host of the redis subchart's headless Service, named after the release"})
		} else {
			h.setting(c, "PREFECT_REDIS_MESSAGING_HOST", r+"host")
			if !h.truthy(r + "host") {
				h.note(c, NoteChartRefuses, r+"host", "the chart refuses to render: set %sredis.enabled or %s%shost when background services run separately", h.prefix, h.prefix, r)
			}
		}
		h.setting(c, "PREFECT_REDIS_MESSAGING_PORT", r+"port")
		if h.truthy(r + "ssl") {
			h.setting(c, "PREFECT_REDIS_MESSAGING_SSL", r+"ssl")
		}
		h.setting(c, "PREFECT_REDIS_MESSAGING_DB", r+"db")
		if h.truthy(r + "username") {
			h.setting(c, "PREFECT_REDIS_MESSAGING_USERNAME", r+"username")
		}
		switch {
		case h.truthy("redis.enabled") && !h.truthy(r+"password"):
			c.Vars = append(c.Vars, Var{Name: "PREFECT_REDIS_MESSAGING_PASSWORD", Pos: h.at("redis.enabled"), Via: "secretKeyRef", Implicit: true,
				Deferred: "secretKeyRef of the redis subchart, named after the release/redis-password"})
		case h.truthy(r + "existingSecret"):
			h.deferred(c, "PREFECT_REDIS_MESSAGING_PASSWORD", r+"existingSecret",
				"secretKeyRef "+h.get(r+"existingSecret").s+"/"+h.get(r+"existingSecretPasswordKey").s)
		case h.truthy(r + "password"):
			h.setting(c, "PREFECT_REDIS_MESSAGING_PASSWORD", r+"password")
		}
	}
	const d = "backgroundServices.messaging.docket."
	switch {
	case h.truthy(d + "existingSecret"):
		h.deferred(c, "PREFECT_SERVER_DOCKET_URL", d+"existingSecret", "secretKeyRef "+h.get(d+"existingSecret").s+"/"+h.get(d+"existingSecretKey").s)
	case h.truthy(d + "url"):
		h.setting(c, "PREFECT_SERVER_DOCKET_URL", d+"url")
	}
}

// worker reads the container of the worker chart's Deployment.
func (h *helmValues) worker() Container {
	name := h.fullname()
	c := Container{Name: name, Sub: "prefect-worker", What: "Deployment", Host: name, Pos: h.at("worker")}
	h.image(&c, "worker.image.repository", "worker.image.prefectTag")
	args := []string{"prefect", "worker", "start", "--type", h.get("worker.config.type").s, "--pool", h.get("worker.config.workPool").s}
	for _, q := range items(h.get("worker.config.workQueues").v) {
		args = append(args, "--work-queue", helmString(q))
	}
	args = append(args, "--install-policy", h.get("worker.config.installPolicy").s)
	if h.truthy("worker.config.limit") {
		args = append(args, "--limit", h.get("worker.config.limit").s)
	}
	if h.truthy("worker.livenessProbe.enabled") {
		args = append(args, "--with-healthcheck")
	}
	if h.truthy("worker.config.name") {
		args = append(args, "--name", h.get("worker.config.name").s)
	}
	h.command(&c, "worker", args)
	if !h.truthy("worker.config.workPool") {
		h.required(&c, "worker.config.workPool", nil, "the chart refuses to render: %sworker.config.workPool is required", h.prefix)
	}
	h.setting(&c, "PREFECT_WORKER_PREFETCH_SECONDS", "worker.config.prefetchSeconds")
	h.setting(&c, "PREFECT_WORKER_QUERY_SECONDS", "worker.config.queryInterval")
	h.setting(&c, "PREFECT_API_ENABLE_HTTP2", "worker.config.http2")
	apiConfig := h.get("worker.apiConfig")
	h.apiURL(&c, apiConfig)
	if hv := h.get("worker.clusterUid"); hv.written && hv.s != "" {
		h.setting(&c, "PREFECT_KUBERNETES_CLUSTER_UID", "worker.clusterUid")
	} else {
		c.Vars = append(c.Vars, Var{Name: "PREFECT_KUBERNETES_CLUSTER_UID", Pos: h.at("worker.clusterUid"), Via: "chart " + h.chart, Implicit: true,
			Deferred: "the uid of the kube-system namespace, looked up at install"})
	}
	if !h.truthy("worker.config.observerClusterWide") {
		if h.truthy("worker.config.jobNamespace") {
			h.setting(&c, "PREFECT_INTEGRATIONS_KUBERNETES_OBSERVER_NAMESPACES", "worker.config.jobNamespace")
		} else {
			c.Vars = append(c.Vars, Var{Name: "PREFECT_INTEGRATIONS_KUBERNETES_OBSERVER_NAMESPACES", Pos: h.at("worker.config.jobNamespace"), Via: "chart " + h.chart, Implicit: true,
				Deferred: "the namespace of the release"})
		}
	}
	switch apiConfig.s {
	case "cloud", "customerManagedCloud":
		cfg := "worker.cloudApiConfig."
		if apiConfig.s == "customerManagedCloud" {
			cfg = "worker.customerManagedCloudApiConfig."
		}
		secret := h.get(cfg+"apiKeySecret.name").s + "/" + h.get(cfg+"apiKeySecret.key").s
		h.deferred(&c, "PREFECT_API_KEY", cfg+"apiKeySecret", "secretKeyRef "+secret)
		if apiConfig.s == "customerManagedCloud" {
			h.setting(&c, "PREFECT_CLOUD_API_URL", cfg+"cloudApiUrl")
			if h.truthy(cfg + "cloudUiUrl") {
				h.setting(&c, "PREFECT_CLOUD_UI_URL", cfg+"cloudUiUrl")
			}
		}
		switch p := h.get(cfg + "jobApiKeyPropagation").s; p {
		case "", "secretRef":
			h.setting(&c, "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_NAME", cfg+"apiKeySecret.name")
			h.setting(&c, "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_KEY", cfg+"apiKeySecret.key")
		case "autoSecret":
			h.fixed(&c, "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_CREATE_SECRET_FOR_API_KEY", "true", cfg+"jobApiKeyPropagation")
		}
	}
	h.setting(&c, "PREFECT_DEBUG_MODE", "worker.image.debug")
	const auth = "worker.selfHostedServerApiConfig.basicAuth."
	if h.truthy(auth + "enabled") {
		if h.truthy(auth + "existingSecret") {
			s := h.get(auth + "existingSecret").s
			h.deferred(&c, "PREFECT_API_AUTH_STRING", auth+"existingSecret", "secretKeyRef "+s+"/auth-string")
			h.setting(&c, "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_AUTH_STRING_SECRET_NAME", auth+"existingSecret")
			h.fixed(&c, "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_AUTH_STRING_SECRET_KEY", "auth-string", auth+"existingSecret")
		} else {
			h.setting(&c, "PREFECT_API_AUTH_STRING", auth+"authString")
		}
	} else {
		h.ignoredUnless(&c, "worker.selfHostedServerApiConfig.basicAuth.enabled is false", auth+"authString", auth+"existingSecret")
	}
	e := newK8sEnv(nil)
	collect(&c, e)
	h.envList(&c, e, "worker.extraEnvVars")
	h.envFrom(&c, "worker.extraEnvVarsCM", "worker.extraEnvVarsCMs", "worker.extraEnvVarsSecret", "worker.extraEnvVarsSecrets")
	c.Role = RoleOf(c.Image, c.Command, true)
	sortNotes(c.Notes)
	return c
}

// apiURL appends PREFECT_API_URL as worker.apiUrl renders it for
// worker.apiConfig, and notes the settings of the other API configs,
// which the chart ignores.
func (h *helmValues) apiURL(c *Container, apiConfig helmValue) {
	const name = "PREFECT_API_URL"
	configs := map[string]string{"cloud": "worker.cloudApiConfig", "customerManagedCloud": "worker.customerManagedCloudApiConfig", "selfHostedServer": "worker.selfHostedServerApiConfig"}
	for mode, key := range configs {
		if mode == apiConfig.s {
			continue
		}
		for _, field := range []string{"apiUrl", "accountId", "workspaceId", "cloudUrl", "cloudApiUrl", "cloudUiUrl"} {
			if hv := h.get(key + "." + field); hv.written && hv.s != "" {
				h.note(c, NoteIgnoredKey, key+"."+field, "the chart ignores %s%s.%s: %sworker.apiConfig is %q%s; set it to %q to use it",
					h.prefix, key, field, h.prefix, apiConfig.s, defaultSuffix(apiConfig), mode)
			}
		}
	}
	workspace := func(cfg, base string) {
		parts := []helmValue{h.get(cfg + "." + base), h.get(cfg + ".accountId"), h.get(cfg + ".workspaceId")}
		for _, p := range parts {
			if p.s == "" {
				h.required(c, p.key, []string{"worker.apiConfig"}, "the chart refuses to render: %s%s is required when %sworker.apiConfig is %q", h.prefix, p.key, h.prefix, apiConfig.s)
			}
		}
		v := Var{Name: name, Value: fmt.Sprintf("%s/accounts/%s/workspaces/%s", parts[0].s, parts[1].s, parts[2].s),
			Via: "values " + h.prefix + cfg, Pos: h.at(cfg + ".workspaceId"), Literal: true}
		if parts[2].written {
			v.ValuePos = h.y.textPos(parts[2].v)
		}
		if !parts[0].written && !parts[1].written && !parts[2].written {
			v.Implicit, v.Literal, v.Via = true, false, "chart default "+h.prefix+cfg
		}
		c.Vars = append(c.Vars, v)
	}
	switch apiConfig.s {
	case "cloud":
		workspace("worker.cloudApiConfig", "cloudUrl")
	case "customerManagedCloud":
		workspace("worker.customerManagedCloudApiConfig", "apiUrl")
	case "selfHostedServer":
		v := h.setting(c, name, "worker.selfHostedServerApiConfig.apiUrl")
		if v.Value == "" && v.Deferred == "" {
			h.required(c, "worker.selfHostedServerApiConfig.apiUrl", []string{"worker.apiConfig"}, "the chart refuses to render: %sworker.selfHostedServerApiConfig.apiUrl is required when %sworker.apiConfig is %q", h.prefix, h.prefix, apiConfig.s)
		}
	default:
		h.note(c, NoteIgnoredKey, "worker.apiConfig", "%sworker.apiConfig %q is none of cloud, customerManagedCloud, selfHostedServer (server and selfManaged were renamed in chart 2025.3.7): the chart sets PREFECT_API_URL to an empty string", h.prefix, apiConfig.s)
		c.Vars = append(c.Vars, Var{Name: name, Pos: h.at("worker.apiConfig"), Via: "values " + h.prefix + "worker.apiConfig", Implicit: true})
	}
}

func defaultSuffix(hv helmValue) string {
	if hv.written {
		return ""
	}
	return " (the chart's default)"
}

// ignoredUnless notes the keys the values write that a condition makes the
// chart ignore.
func (h *helmValues) ignoredUnless(c *Container, why string, keys ...string) {
	for _, key := range keys {
		if hv := h.get(key); hv.written && hv.s != "" && hv.s != helmDefaults[h.chart][key] {
			h.note(c, NoteIgnoredKey, key, "the chart ignores %s%s: %s%s", h.prefix, key, h.prefix, why)
		}
	}
}

// retired notes the keys the values write that the current chart no
// longer reads, or refuses.
func (h *helmValues) retired() []Note {
	var out []Note
	for _, r := range helmRetired {
		if r.chart != h.chart {
			continue
		}
		k, _ := lookupKey(h.root, r.key)
		if k == nil {
			continue
		}
		code, what := NoteIgnoredKey, "the chart no longer reads"
		if r.refused {
			code, what = NoteChartRefuses, "the chart refuses to render with"
		}
		out = append(out, Note{Code: code, Pos: h.y.pos(k), Message: fmt.Sprintf("%s %s%s: %s", what, h.prefix, r.key, r.why)})
	}
	return out
}
