package schema

import (
	"slices"
	"strings"
	"sync"
)

// Set is the settings of one Prefect settings schema, the one a release's
// code generates, that is of the releases that share it: which settings
// exist, under which environment names, with which types, constraints and
// defaults. A setting keeps its Index in every Set, so values of any
// release can be held in one array of Total entries.
type Set struct {
	// ID names the schema by the first release that has it ("3.4.8").
	ID       string
	settings []*Setting

	once sync.Once
	ix   *index

	suggestOnce sync.Once
	suggest     *candidates
}

// All returns the settings of the set, in schema order, which is the
// order of their Index. The slice must not be modified.
func (s *Set) All() []*Setting { return s.settings }

// HasIndex reports whether the set has the setting of index i: a value
// read for another release may be of a setting this one lacks.
func (s *Set) HasIndex(i int) bool {
	_, ok := slices.BinarySearchFunc(s.settings, i, func(st *Setting, i int) int { return st.Index - i })
	return ok
}

// Len is the number of settings in the set.
func (s *Set) Len() int { return len(s.settings) }

func (s *Set) index() *index {
	s.once.Do(func() { s.ix = newIndex(s.settings) })
	return s.ix
}

// ByPath returns the setting with the dotted accessor path.
func (s *Set) ByPath(path string) (*Setting, bool) {
	st, ok := s.index().byPath[path]
	return st, ok
}

// Has reports whether the set has a setting at path.
func (s *Set) Has(path string) bool {
	_, ok := s.ByPath(path)
	return ok
}

// ByEnv returns the setting an environment variable name belongs to,
// compared without regard to case as Prefect does, and which of its names
// it is (0 for canonical, 1 for the legacy alias).
func (s *Set) ByEnv(name string) (st *Setting, alias int, ok bool) {
	r, ok := s.index().byEnv[upper(name)]
	return r.s, r.alias, ok
}

// ByFieldName returns the settings that also take their bare field name
// ("api_url" for server.ui.api_url), compared without regard to case. In
// Prefect each setting with a legacy environment name lists the field
// name first among its names (pydantic's AliasPath); Prefect's .env reader
// let such names through before 3.1.2 (release.Release.DotenvFilter), so
// a .env line "api_url=..." set every setting of that field name. The
// slice must not be modified.
func (s *Set) ByFieldName(name string) []*Setting {
	return s.index().byField[strings.ToLower(name)]
}

// ByEnvExact is ByEnv for an exact, upper-case name, as profiles require.
func (s *Set) ByEnvExact(name string) (st *Setting, alias int, ok bool) {
	r, ok := s.index().byEnv[name]
	return r.s, r.alias, ok
}

// Lookup finds a setting by accessor or by any environment name in any
// case.
func (s *Set) Lookup(name string) (*Setting, bool) {
	if st, ok := s.ByPath(name); ok {
		return st, true
	}
	st, _, ok := s.ByEnv(name)
	return st, ok
}

// IsGroup reports whether path names a group of settings ("server.api").
func (s *Set) IsGroup(path string) bool {
	return s.index().groups[path]
}

// Groups returns every group accessor, sorted.
func (s *Set) Groups() []string {
	groups := s.index().groups
	gs := make([]string, 0, len(groups))
	for g := range groups {
		gs = append(gs, g)
	}
	slices.Sort(gs)
	return gs
}

// EnvNames returns every environment name of every setting.
func (s *Set) EnvNames() []string {
	var names []string
	for _, st := range s.settings {
		names = append(names, st.Env...)
	}
	return names
}

// Newest returns the settings of the newest Prefect release, the ones All
// lists.
func Newest() *Set { return newest() }

var newest = sync.OnceValue(func() *Set {
	s := &Set{ID: newestID, settings: make([]*Setting, len(table))}
	for i := range table {
		s.settings[i] = &table[i]
	}
	return s
})

// Published returns the settings of the schema id, named by the first
// release that has it ("3.4.8"). The name is historical: each release's
// schema is the one its code generates, which for a few releases is not
// the one it published.
func Published(id string) (*Set, bool) {
	if id == newestID {
		return newest(), true
	}
	return published(id)
}
