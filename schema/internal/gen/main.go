// Command gen writes schema/table_gen.go and schema/settings_gen.go from
// Prefect's published settings schema (settings.schema.json).
//
// It carries over facts only: names, environment variables, types, defaults
// and numeric constraints. Where the JSON Schema cannot tell how Prefect
// parses a value (comma lists, seconds durations, retry delays), the table
// of kinds below says so.
//
// Usage, from the schema directory:
//
//	go run ./internal/gen -schema path/to/settings.schema.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// special holds the settings whose parsing the JSON Schema does not describe.
var special = map[string]string{
	"client.retry_extra_codes":                            "IntSet",
	"plugins.allow":                                       "StringSet",
	"plugins.deny":                                        "StringSet",
	"experiments.plugins.allow":                           "StringSet",
	"experiments.plugins.deny":                            "StringSet",
	"logging.extra_loggers":                               "StringList",
	"tasks.default_retry_delay_seconds":                   "FloatOrList",
	"flows.default_retry_delay_seconds":                   "NumberOrList",
	"server.services.db_vacuum.enabled":                   "Vacuum",
	"server.services.db_vacuum.event_retention_overrides": "DurationMap",
	"server.services.db_vacuum.retention_period":          "SecondsDuration",
	"server.services.late_runs.after_seconds":             "SecondsDuration",
	"client.custom_headers":                               "Headers",
	"testing.test_setting":                                "Any",
}

// members names the members of union types whose errors Prefect reports one
// by one.
var members = map[string][]string{
	"flows.default_retry_delay_seconds": {"int", "float", "list[float]"},
}

// computed holds the settings whose effective default is computed while
// resolving (paths under the home directory, derived URLs).
var computed = map[string]bool{
	"home": true, "profiles_path": true, "logging.config_path": true,
	"results.local_storage_path": true, "server.memo_store_path": true,
	"api.ssl_cert_file": true, "ui_url": true, "cloud.ui_url": true,
	"server.ui.api_url": true, "server.database.connection_url": true,
}

type prop struct {
	Ref       string          `json:"$ref"`
	Type      string          `json:"type"`
	Format    string          `json:"format"`
	Enum      []string        `json:"enum"`
	AnyOf     []prop          `json:"anyOf"`
	Default   json.RawMessage `json:"default"`
	Env       []string        `json:"supported_environment_variables"`
	Minimum   *float64        `json:"minimum"`
	ExclMin   *float64        `json:"exclusiveMinimum"`
	Maximum   *float64        `json:"maximum"`
	ExclMax   *float64        `json:"exclusiveMaximum"`
	AddlProps *prop           `json:"additionalProperties"`
	Items     *prop           `json:"items"`
}

type defn struct {
	Props map[string]prop `json:"properties"`
}

type setting struct {
	path     string
	env      []string
	kind     string
	optional bool
	secret   bool
	def      string // Go expression
	computed bool
	enum     []string
	validate string
}

type group struct {
	typeName string
	fields   []field
}

type field struct {
	goName, tomlName, goType string
	index                    int // setting index, -1 for a group
}

func main() {
	schemaPath := flag.String("schema", "../../shared/prefect/settings.schema.json", "Prefect's settings schema")
	out := flag.String("out", ".", "directory to write the generated files to")
	versions := flag.String("versions", "../../shared/prefect/versions", "the published schema of every release, and index.json")
	releaseOut := flag.String("release-out", "../release", "directory to write the release list to")
	flag.Parse()
	g := load(*schemaPath)
	write(*out+"/table_gen.go", g.table())
	write(*out+"/settings_gen.go", g.structs())
	log.Printf("%d settings, %d groups", len(g.settings), len(g.groupOrder))
	if *versions != "" {
		releases(g, *versions, *out, *releaseOut)
	}
}

// load reads one settings schema.
func load(path string) *generator {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var root struct {
		Props map[string]prop `json:"properties"`
		Defs  map[string]defn `json:"$defs"`
	}
	if err := json.Unmarshal(data, &root); err != nil {
		log.Fatal(err)
	}
	rootOrder, defOrder := propertyOrder(data)
	g := &generator{defs: root.Defs, defOrder: defOrder, groups: map[string]*group{}}
	g.walk("Settings", root.Props, rootOrder, "")
	return g
}

// propertyOrder recovers the order of properties as written in the schema.
func propertyOrder(data []byte) ([]string, map[string][]string) {
	var raw struct {
		Props json.RawMessage            `json:"properties"`
		Defs  map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		log.Fatal(err)
	}
	defs := map[string][]string{}
	for name, d := range raw.Defs {
		var inner struct {
			Props json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(d, &inner); err != nil {
			log.Fatal(err)
		}
		defs[name] = keys(inner.Props)
	}
	return keys(raw.Props), defs
}

func keys(obj json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(obj))
	var ks []string
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return ks
		}
		switch v := t.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				ks = append(ks, v)
				// skip the value
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					log.Fatal(err)
				}
			}
		}
	}
}

type generator struct {
	defs       map[string]defn
	defOrder   map[string][]string
	settings   []setting
	groups     map[string]*group
	groupOrder []string
}

func (g *generator) walk(typeName string, props map[string]prop, order []string, prefix string) {
	grp := &group{typeName: typeName}
	g.groups[typeName] = grp
	g.groupOrder = append(g.groupOrder, typeName)
	for _, name := range order {
		p := props[name]
		path := prefix + name
		if p.Ref != "" {
			def := strings.TrimPrefix(p.Ref, "#/$defs/")
			grp.fields = append(grp.fields, field{goName(name), name, def, -1})
			g.walk(def, g.defs[def].Props, g.defOrder[def], path+".")
			continue
		}
		s := g.setting(path, p)
		grp.fields = append(grp.fields, field{goName(name), name, goType(s), len(g.settings)})
		g.settings = append(g.settings, s)
	}
}

func (g *generator) setting(path string, p prop) setting {
	s := setting{path: path, env: p.Env, computed: computed[path]}
	base := p
	for _, m := range p.AnyOf {
		if m.Type == "null" {
			s.optional = true
		}
	}
	if len(p.AnyOf) > 0 {
		base = p.AnyOf[0]
	}
	switch {
	case special[path] != "" && !(base.Type == "boolean" && len(p.AnyOf) == 0): // a plain bool in some releases
		s.kind = special[path]
	case base.Format == "password":
		s.kind, s.secret = "Secret", true
	case base.Format == "path":
		s.kind = "Path"
	case base.Format == "duration":
		s.kind = "Duration"
	case len(base.Enum) > 0 && base.Enum[0] == "DEBUG":
		s.kind, s.enum = "LogLevel", base.Enum
	case len(base.Enum) > 0:
		s.kind, s.enum = "Enum", base.Enum
	case base.Type == "boolean":
		s.kind = "Bool"
	case base.Type == "integer":
		s.kind = "Int"
	case base.Type == "number":
		s.kind = "Float"
	case base.Type == "string":
		s.kind = "String"
	default:
		log.Fatalf("%s: cannot tell the kind of %+v", path, p)
	}
	if s.kind == "Secret" || s.kind == "Any" {
		s.optional = s.kind == "Secret"
	}
	if s.kind == "IntSet" || s.kind == "StringSet" || s.kind == "StringList" || s.kind == "NumberOrList" || s.kind == "Vacuum" {
		s.optional = false
	}
	var tags []string
	if base.Minimum != nil {
		tags = append(tags, "gte="+num(*base.Minimum))
	}
	if base.ExclMin != nil {
		tags = append(tags, "gt="+num(*base.ExclMin))
	}
	if base.Maximum != nil && s.kind != "IntSet" {
		tags = append(tags, "lte="+num(*base.Maximum))
	}
	if base.ExclMax != nil {
		tags = append(tags, "lt="+num(*base.ExclMax))
	}
	s.validate = strings.Join(tags, ",")
	s.def = defaultExpr(s, p.Default)
	return s
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func defaultExpr(s setting, raw json.RawMessage) string {
	switch s.kind {
	case "IntSet":
		return "[]int64{}"
	case "StringSet", "StringList":
		return "[]string{}"
	case "Headers":
		return "map[string]string{}"
	}
	if s.computed && s.path != "home" || len(raw) == 0 || string(raw) == "null" {
		return "nil"
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		log.Fatal(err)
	}
	switch s.kind {
	case "Bool":
		return fmt.Sprint(v.(bool))
	case "Int":
		return fmt.Sprintf("int64(%s)", num(v.(float64)))
	case "Float":
		return fmt.Sprintf("float64(%s)", num(v.(float64)))
	case "LogLevel": // Prefect upper-cases levels, its defaults too ("error" in 3.1.0)
		return strconv.Quote(strings.ToUpper(v.(string)))
	case "String", "Path", "Enum", "Any":
		return strconv.Quote(v.(string))
	case "Duration", "SecondsDuration":
		return durationExpr(v.(string))
	case "FloatOrList", "NumberOrList":
		return fmt.Sprintf("RetryDelay{Seconds: []float64{%s}}", num(v.(float64)))
	case "Vacuum":
		var names []string
		for _, n := range v.([]any) {
			names = append(names, strconv.Quote(n.(string)))
		}
		return "VacuumTypes{Names: []string{" + strings.Join(names, ", ") + "}}"
	case "DurationMap":
		m := v.(map[string]any)
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		var parts []string
		for _, k := range ks {
			parts = append(parts, strconv.Quote(k)+": "+durationExpr(m[k].(string)))
		}
		return "map[string]Timedelta{" + strings.Join(parts, ", ") + "}"
	}
	log.Fatalf("%s: no default for kind %s", s.path, s.kind)
	return ""
}

// durationExpr turns the simple ISO 8601 durations of the schema's defaults
// (P7D, PT1H, PT0S...) into a Go expression.
func durationExpr(iso string) string {
	var secs int64
	inTime := false
	n := int64(0)
	for _, r := range strings.TrimPrefix(iso, "P") {
		switch {
		case r == 'T':
			inTime = true
		case unicode.IsDigit(r):
			n = n*10 + int64(r-'0')
		default:
			unit := map[rune]int64{'D': 86400, 'W': 7 * 86400, 'H': 3600, 'M': 60, 'S': 1}[r]
			if r == 'M' && !inTime {
				unit = 30 * 86400
			}
			if unit == 0 {
				log.Fatalf("duration %q", iso)
			}
			secs += n * unit
			n = 0
		}
	}
	return fmt.Sprintf("secondsTimedelta(%d)", secs)
}

var goTypes = map[string][2]string{ // kind: required, optional
	"Bool": {"bool", "*bool"}, "Int": {"int64", "*int64"}, "Float": {"float64", "*float64"},
	"String": {"string", "*string"}, "Secret": {"SecretString", "*SecretString"},
	"Path": {"string", "*string"}, "LogLevel": {"string", "*string"}, "Enum": {"string", "*string"},
	"Duration": {"Timedelta", "*Timedelta"}, "SecondsDuration": {"Timedelta", "*Timedelta"},
	"IntSet": {"[]int64", "[]int64"}, "StringSet": {"[]string", "[]string"}, "StringList": {"[]string", "[]string"},
	"FloatOrList": {"RetryDelay", "*RetryDelay"}, "NumberOrList": {"RetryDelay", "*RetryDelay"},
	"Headers": {"map[string]string", "map[string]string"}, "DurationMap": {"map[string]Timedelta", "map[string]Timedelta"},
	"Vacuum": {"VacuumTypes", "VacuumTypes"}, "Any": {"any", "any"},
}

func goType(s setting) string {
	t := goTypes[s.kind]
	if s.optional {
		return t[1]
	}
	return t[0]
}

var initialisms = map[string]string{
	"api": "API", "url": "URL", "ui": "UI", "id": "ID", "http2": "HTTP2", "ssl": "SSL", "tls": "TLS",
	"csrf": "CSRF", "cors": "CORS", "db": "DB", "ttl": "TTL", "cli": "CLI", "sqlalchemy": "SQLAlchemy",
	"v2": "V2", "pg": "PG", "ca": "CA",
}

func goName(snake string) string {
	var b strings.Builder
	for _, part := range strings.Split(snake, "_") {
		if s, ok := initialisms[part]; ok {
			b.WriteString(s)
			continue
		}
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

const header = "// Code generated by schema/internal/gen from Prefect's settings schema; DO NOT EDIT.\n\n"

func (g *generator) table() []byte {
	var b bytes.Buffer
	b.WriteString(header + "package schema\n\n")
	b.WriteString("var table = [...]Setting{\n")
	for i, s := range g.settings {
		fmt.Fprintf(&b, "\t%s,\n", literal(s, i))
	}
	b.WriteString("}\n\n")
	b.WriteString("// Indexes of the settings the engine's rules read and write.\nconst (\n")
	for i, s := range g.settings {
		fmt.Fprintf(&b, "\tI%s = %d\n", constName(s.path), i)
	}
	b.WriteString(")\n")
	return b.Bytes()
}

// literal renders the setting as a Setting composite literal.
func literal(s setting, index int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{Index: %d, Path: %q, Env: []string{%s}, Kind: %s", index, s.path, quoteAll(s.env), s.kind)
	if s.optional {
		b.WriteString(", Optional: true")
	}
	if s.secret {
		b.WriteString(", Secret: true")
	}
	if s.def != "nil" {
		fmt.Fprintf(&b, ", Default: %s", s.def)
	}
	if s.computed {
		b.WriteString(", Computed: true")
	}
	if len(s.enum) > 0 {
		fmt.Fprintf(&b, ", Enum: []string{%s}", quoteAll(s.enum))
	}
	if s.validate != "" {
		fmt.Fprintf(&b, ", Validate: %q", s.validate)
	}
	if m := members[s.path]; m != nil {
		fmt.Fprintf(&b, ", Members: []string{%s}", quoteAll(m))
	}
	b.WriteString("}")
	return b.String()
}

func constName(path string) string {
	var b strings.Builder
	for _, seg := range strings.Split(path, ".") {
		b.WriteString(goName(seg))
	}
	return b.String()
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func (g *generator) structs() []byte {
	var b bytes.Buffer
	b.WriteString(header + "package schema\n\n")
	for _, name := range g.groupOrder {
		grp := g.groups[name]
		if name == "Settings" {
			b.WriteString("// Settings holds every Prefect setting, grouped like prefect.toml's tables.\n")
		} else {
			fmt.Fprintf(&b, "// %s is a group of settings.\n", name)
		}
		fmt.Fprintf(&b, "type %s struct {\n", name)
		for _, f := range grp.fields {
			if f.index >= 0 {
				fmt.Fprintf(&b, "\t%s %s `toml:%q json:%q` // %s\n", f.goName, f.goType, f.tomlName, f.tomlName, strings.Join(g.settings[f.index].env, ", "))
			} else {
				fmt.Fprintf(&b, "\t%s %s `toml:%q json:%q`\n", f.goName, f.goType, f.tomlName, f.tomlName)
			}
		}
		b.WriteString("}\n\n")
	}
	// Set and Get by index, without reflection.
	b.WriteString("// Set stores the value v, of the Go type Value documents for the setting's\n// kind (nil for None), into the setting with index i.\nfunc (s *Settings) Set(i int, v any) {\n\tswitch i {\n")
	for i, st := range g.settings {
		fmt.Fprintf(&b, "\tcase %d:\n\t\t%s\n", i, setStmt("s."+g.goPath(st.path), st))
	}
	b.WriteString("\t}\n}\n\n")
	b.WriteString("// Get returns the value of the setting with index i (nil for None).\nfunc (s *Settings) Get(i int) any {\n\tswitch i {\n")
	for i, st := range g.settings {
		fmt.Fprintf(&b, "\tcase %d:\n\t\t%s\n", i, getStmt("s."+g.goPath(st.path), st))
	}
	b.WriteString("\t}\n\treturn nil\n}\n")
	return b.Bytes()
}

func (g *generator) goPath(path string) string {
	var parts []string
	for _, seg := range strings.Split(path, ".") {
		parts = append(parts, goName(seg))
	}
	return strings.Join(parts, ".")
}

func setStmt(dst string, s setting) string {
	t := goTypes[s.kind][0]
	switch {
	case s.kind == "Any":
		return dst + " = v"
	case s.optional && goType(s)[0] == '*':
		return fmt.Sprintf("if x, ok := v.(%s); ok {\n\t\t\t%s = &x\n\t\t} else {\n\t\t\t%s = nil\n\t\t}", t, dst, dst)
	}
	return fmt.Sprintf("%s, _ = v.(%s)", dst, t)
}

func getStmt(src string, s setting) string {
	if s.optional && goType(s)[0] == '*' {
		return fmt.Sprintf("if %s == nil {\n\t\t\treturn nil\n\t\t}\n\t\treturn *%s", src, src)
	}
	return "return " + src
}

func write(path string, src []byte) {
	out, err := format.Source(src)
	if err != nil {
		os.WriteFile(path, src, 0o644)
		log.Fatalf("%s: %v", path, err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		log.Fatal(err)
	}
}
