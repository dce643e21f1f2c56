package schema

import (
	"strings"
	"sync"
)

// Kind says how a setting's raw input is coerced, following Prefect's types.
type Kind uint8

// The kinds of setting.
const (
	Bool            Kind = iota + 1 // bool
	Int                             // int
	Float                           // float
	String                          // str
	Secret                          // SecretStr: any string, masked when shown
	Path                            // pathlib.Path
	LogLevel                        // DEBUG INFO WARNING ERROR CRITICAL, upper-cased first
	Enum                            // a Literal of exact strings
	Duration                        // timedelta: ISO 8601 or [D days,] HH:MM[:SS]; numbers are seconds
	SecondsDuration                 // SecondsTimeDelta: a float() string is seconds, else as Duration
	IntSet                          // set of ints from a comma list or a JSON array
	StringSet                       // set of strings from a comma list or a JSON array
	StringList                      // a list built from a comma set (logging.extra_loggers)
	FloatOrList                     // a float, or a comma list of floats (tasks.default_retry_delay_seconds)
	NumberOrList                    // an int, a float or a JSON list of floats (flows.default_retry_delay_seconds)
	Headers                         // dict[str, str] given as a JSON object or a TOML table
	DurationMap                     // dict[str, SecondsTimeDelta] given as a JSON object or a TOML table
	Vacuum                          // a set of names or a bool (server.services.db_vacuum.enabled)
	Any                             // any value, verbatim
)

var kindNames = [...]string{
	Bool: "bool", Int: "int", Float: "float", String: "string", Secret: "secret",
	Path: "path", LogLevel: "log level", Enum: "enum", Duration: "duration",
	SecondsDuration: "duration (seconds)", IntSet: "set of int", StringSet: "set of string",
	StringList: "list of string", FloatOrList: "float or list of float",
	NumberOrList: "int, float or list of float", Headers: "object of string",
	DurationMap: "object of duration", Vacuum: "set of string or bool", Any: "any",
}

// String names the kind for people.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown"
}

// IsJSON reports whether environment values of the kind are JSON documents
// (Prefect decodes them before validation).
func (k Kind) IsJSON() bool { return k == Headers || k == DurationMap }

// Setting describes one Prefect setting.
type Setting struct {
	Index    int      // position in All()
	Path     string   // dotted accessor, also the TOML key path: "server.api.port"
	Env      []string // environment names: canonical first, then the legacy alias
	Kind     Kind     // how input is coerced
	Optional bool     // None is allowed (only by leaving the setting unset)
	Secret   bool     // never shown unless asked for
	Default  any      // declared default as a Go value; nil for None or a computed default
	Computed bool     // the default is computed during resolution
	Enum     []string // allowed values for Enum and LogLevel
	Validate string   // validator/v10 tag for numeric constraints ("gte=30")
	Members  []string // the union's member names in errors ("float", "int", "list[float]")
}

// Canonical returns the canonical environment variable name.
func (s *Setting) Canonical() string { return s.Env[0] }

// Legacy returns the legacy environment alias, or "" when there is none.
func (s *Setting) Legacy() string {
	if len(s.Env) > 1 {
		return s.Env[1]
	}
	return ""
}

// AliasChoices reports whether Prefect lists the setting's names in
// pydantic's AliasChoices, after its field name (an AliasPath): every
// setting with a legacy name, and a few with one name. A setting without
// them takes its field name alone where pydantic validates names (a group
// JSON object's keys, the shifted .env reading).
func (s *Setting) AliasChoices() bool { return len(s.Env) > 1 || oneNameChoices[s.Path] }

// oneNameChoices are the settings with one env name that Prefect still
// lists in AliasChoices, as it lists the names of every setting with a
// legacy name. Prefect's published schema does not tell them from the
// settings without AliasChoices. They have these choices in every release
// that has them.
var oneNameChoices = map[string]bool{
	"server.events.maximum_event_name_length":                       true, // 3.1.6
	"server.services.event_persister.batch_size_delete":             true, // 3.2.0 … 3.6.20
	"server.services.triggers.pg_notify_reconnect_interval_seconds": true, // 3.4.6
	"server.services.triggers.pg_notify_heartbeat_interval_seconds": true, // 3.4.6
}

// Group returns the accessor of the group holding the setting ("" at the root).
func (s *Setting) Group() string {
	if i := strings.LastIndexByte(s.Path, '.'); i >= 0 {
		return s.Path[:i]
	}
	return ""
}

// Field returns the setting's own name within its group.
func (s *Setting) Field() string { return s.Path[strings.LastIndexByte(s.Path, '.')+1:] }

// All returns every setting, in schema order. The slice must not be modified.
func All() []Setting { return table[:] }

// Len is the number of settings.
const Len = len(table)

type index struct {
	byPath map[string]*Setting
	byEnv  map[string]envRef // upper-case env name
	groups map[string]bool   // every group accessor, "server", "server.api", ...
	// byField: the settings with a legacy name, by bare field name
	byField map[string][]*Setting
}

type envRef struct {
	s     *Setting
	alias int
}

var idx = sync.OnceValue(func() *index { return newIndex(newest().settings) })

// newIndex indexes settings by accessor path and by every environment
// name, and lists every group accessor they are under.
func newIndex(settings []*Setting) *index {
	ix := &index{
		byPath:  make(map[string]*Setting, len(settings)),
		byEnv:   make(map[string]envRef, len(settings)*3/2),
		groups:  map[string]bool{},
		byField: map[string][]*Setting{},
	}
	for _, s := range settings {
		ix.byPath[s.Path] = s
		if len(s.Env) > 1 {
			f := s.Path[strings.LastIndexByte(s.Path, '.')+1:]
			ix.byField[f] = append(ix.byField[f], s)
		}
		for a, e := range s.Env {
			ix.byEnv[e] = envRef{s, a}
		}
		for g := s.Group(); g != ""; {
			ix.groups[g] = true
			j := strings.LastIndexByte(g, '.')
			if j < 0 {
				break
			}
			g = g[:j]
		}
	}
	return ix
}

// ByPath returns the setting with the dotted accessor path.
func ByPath(path string) (*Setting, bool) {
	s, ok := idx().byPath[path]
	return s, ok
}

// ByEnv returns the setting an environment variable name belongs to, compared
// without regard to case as Prefect does, and which of its names it is
// (0 for canonical, 1 for the legacy alias).
func ByEnv(name string) (s *Setting, alias int, ok bool) {
	r, ok := idx().byEnv[upper(name)]
	return r.s, r.alias, ok
}

// ByEnvExact is ByEnv for an exact, upper-case name, as profiles require.
func ByEnvExact(name string) (s *Setting, alias int, ok bool) {
	r, ok := idx().byEnv[name]
	return r.s, r.alias, ok
}

// Lookup finds a setting by accessor or by any environment name in any case.
func Lookup(name string) (*Setting, bool) {
	if s, ok := ByPath(name); ok {
		return s, true
	}
	s, _, ok := ByEnv(name)
	return s, ok
}

// IsGroup reports whether path names a group of settings ("server.api").
func IsGroup(path string) bool { return idx().groups[path] }

// GroupEnv returns the environment name of a group ("PREFECT_SERVER_API").
func GroupEnv(path string) string {
	return "PREFECT_" + strings.ToUpper(strings.ReplaceAll(path, ".", "_"))
}

// Groups returns every group accessor.
func Groups() []string {
	gs := make([]string, 0, len(idx().groups))
	for g := range idx().groups {
		gs = append(gs, g)
	}
	return gs
}

// EnvNames returns every environment name of every setting (330 of them).
func EnvNames() []string {
	var names []string
	for i := range table {
		names = append(names, table[i].Env...)
	}
	return names
}

func upper(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			return strings.ToUpper(s)
		}
	}
	return s
}
