// Command gen writes the settings of every Prefect release from the
// settings schema each release's code generates (third_party/prefect/
// versions): schema/table_gen.go and schema/settings_gen.go hold the
// newest release's settings, schema/releases_gen.go the settings only
// older releases have and every form a setting took in an older release,
// and release/releases_gen.go the list of releases.
//
// It carries over facts only: names, environment variables, types, defaults
// and numeric constraints. How Prefect parses a value (a comma list, a
// retry delay, a set of names or a bool) follows from the shape of its
// type; a shape it does not know stops it. Every change of a type, a
// default or a constraint between two releases becomes a form of the
// setting for the releases that have it, or is listed in noEffect with the
// reason it changes nothing.
//
// Usage, from the schema directory (go generate):
//
//	go run ./internal/gen [-prefect ../third_party/prefect]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// secondsDurations are the duration settings Prefect types SecondsTimeDelta,
// which takes a number in a string as seconds: their schema says only
// "duration". (server.services.late_runs.after_seconds became one in
// 3.6.2: release.Release.SecondsAfter.)
var secondsDurations = map[string]bool{
	"server.services.db_vacuum.retention_period": true,
	"server.services.late_runs.after_seconds":    true,
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
	Unique    bool            `json:"uniqueItems"`
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
	members  []string // a union's members, as pydantic names them in errors
	facts    string   // the schema's type, default and constraints (typeFacts)
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
	prefect := flag.String("prefect", "../third_party/prefect", "Prefect's files: versions/, the settings schema of every release, and versions/index.json")
	out := flag.String("out", ".", "directory to write the generated schema files to")
	releaseOut := flag.String("release-out", "../release", "directory to write the release list to")
	flag.Parse()
	releases(filepath.Join(*prefect, "versions"), *out, *releaseOut)
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
	facts := typeFacts(data)
	for i := range g.settings {
		g.settings[i].facts = facts[g.settings[i].path]
	}
	return g
}

// typeFacts returns, for every setting of a schema, what its schema says of
// its type, default and constraints (everything but its title,
// description, examples and environment names), as canonical JSON.
func typeFacts(data []byte) map[string]string {
	type object = map[string]any
	var root struct {
		Props object            `json:"properties"`
		Defs  map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(data, &root); err != nil {
		log.Fatal(err)
	}
	facts := map[string]string{}
	var walk func(props object, prefix string)
	walk = func(props object, prefix string) {
		for name, v := range props {
			p := v.(object)
			if ref, ok := p["$ref"].(string); ok {
				def := root.Defs[strings.TrimPrefix(ref, "#/$defs/")]
				walk(def["properties"].(object), prefix+name+".")
				continue
			}
			for _, k := range []string{"title", "description", "examples", "supported_environment_variables"} {
				delete(p, k)
			}
			b, err := json.Marshal(p) // keys sorted
			if err != nil {
				log.Fatal(err)
			}
			facts[prefix+name] = string(b)
		}
	}
	walk(root.Props, "")
	return facts
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
	if len(p.AnyOf) > 0 {
		base = p.AnyOf[0]
	}
	s.kind, s.members, s.optional = kindOf(path, p)
	if s.kind == "" {
		log.Fatalf("%s: cannot tell how Prefect parses a value of type %s", path, shapes(p))
	}
	if s.kind == "LogLevel" || s.kind == "Enum" {
		s.enum = base.Enum
	}
	s.secret = s.kind == "Secret"
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

// kindOf tells how Prefect parses the setting at path from the shape of its
// schema: the types of its union's members, their formats and items. It
// returns no kind for a shape it does not know, which stops the generator,
// so that a new or changed type is never taken for another. members names
// a union's members as pydantic does in its errors, for the unions that
// report each one.
func kindOf(path string, p prop) (kind string, members []string, optional bool) {
	ms := p.AnyOf
	if len(ms) == 0 {
		ms = []prop{p}
	}
	var sigs []string
	var one prop
	for _, m := range ms {
		if m.Type == "null" {
			optional = true
			continue
		}
		one = m
		sigs = append(sigs, shape(m))
	}
	switch sig := strings.Join(sigs, "|"); {
	case len(sigs) == 1:
		kind = scalarKind(path, one, sig)
	case sig == "string|integer|array<integer>!":
		kind = "IntSet" // a comma list, one code or a set of codes
	case sig == "string|array<string>":
		kind = "StringList" // logging.extra_loggers
	case sig == "integer|number|array<number>":
		kind, members = "NumberOrList", []string{"int", "float", "list[float]"}
	case sig == "string|integer|number|array<number>":
		kind = "FloatOrList" // a comma list of delays in a string
	case sig == "array<string>!|boolean":
		kind = "Vacuum"
	}
	return kind, members, optional
}

// shapes renders the members of a setting's type for a message.
func shapes(p prop) string {
	ms := p.AnyOf
	if len(ms) == 0 {
		ms = []prop{p}
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = shape(m)
	}
	return strings.Join(out, " | ")
}

// shape renders a member's type for matching: "integer", "string/duration",
// "array<string>!" (unique items), "object<string>", "any".
func shape(m prop) string {
	switch {
	case m.Type == "" && m.Ref == "" && len(m.AnyOf) == 0:
		return "any"
	case m.Type == "array" && m.Items != nil:
		s := "array<" + shape(*m.Items) + ">"
		if m.Unique {
			s += "!"
		}
		return s
	case m.Type == "object" && m.AddlProps != nil:
		return "object<" + shape(*m.AddlProps) + ">"
	case m.Format != "":
		return m.Type + "/" + m.Format
	}
	return m.Type
}

// scalarKind is the kind of a setting of one type (with or without None).
func scalarKind(path string, m prop, sig string) string {
	switch {
	case sig == "string/duration" && secondsDurations[path]:
		return "SecondsDuration"
	case len(m.Enum) > 0 && m.Enum[0] == "DEBUG":
		return "LogLevel"
	case len(m.Enum) > 0:
		return "Enum"
	}
	switch sig {
	case "string/password":
		return "Secret"
	case "string/path":
		return "Path"
	case "string/duration":
		return "Duration"
	case "boolean":
		return "Bool"
	case "integer":
		return "Int"
	case "number":
		return "Float"
	case "string":
		return "String"
	case "array<string>!":
		return "StringSet"
	case "object<string>":
		return "Headers"
	case "object<string/duration>":
		return "DurationMap"
	case "any":
		return "Any"
	}
	return ""
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
	b.WriteString("// Indexes of the settings the engine's derivations read and write.\nconst (\n")
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
	if s.members != nil {
		fmt.Fprintf(&b, ", Members: []string{%s}", quoteAll(s.members))
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
