package schema

import (
	"slices"
	"strings"
)

// Suggest returns the setting name nearest to name, or "" when none is
// close: an environment name for a PREFECT_* name, else an accessor.
//
// The suggestion is always a canonical name, never a legacy alias, even
// when the alias is what name misspells. A Prefect 2 name
// (PREFECT_ORION_API_PORT) finds its Prefect 3 setting. Within the group
// name starts with, a name missing a word (server.host), holding one word
// too many (logging.log_level) or cutting the last word short
// (PREFECT_SERVER_DATABASE_PASS) finds the setting it meant before any
// mere misspelling does. A path missing its group, like the docs' [ui]
// api_url for server.ui.api_url, finds the setting it ends. Anything
// further off than about a third of the name suggests nothing.
func Suggest(name string) string {
	return Newest().Suggest(name)
}

// SuggestKey is Suggest for a TOML key, which may also name a group
// (server.api).
func SuggestKey(name string) string {
	return Newest().SuggestKey(name)
}

// Suggest is the package's Suggest among the settings of the set: a
// project on an older release is pointed at that release's names.
func (s *Set) Suggest(name string) string {
	return s.nearest(name, false)
}

// SuggestKey is Suggest for a TOML key, which may also name a group
// (server.api), of the set.
func (s *Set) SuggestKey(name string) string {
	return s.nearest(name, true)
}

// prefect2Renames are the replacements, tried in order, for the ORION word
// of Prefect 2 names: PREFECT_ORION_API_PORT became PREFECT_SERVER_API_PORT,
// PREFECT_ORION_DATABASE_* PREFECT_API_DATABASE_* (now legacy aliases of
// PREFECT_SERVER_DATABASE_*), PREFECT_ORION_BLOCKS_REGISTER_ON_START
// PREFECT_API_BLOCKS_REGISTER_ON_START, PREFECT_LOGGING_ORION_*
// PREFECT_LOGGING_TO_API_*.
var prefect2Renames = []string{"_SERVER_", "_API_", "_TO_API_", "_"}

// candidate is one name a suggestion may come from, with the name to
// suggest for it.
type candidate struct {
	name   string   // as compared
	words  []string // name split into words
	group  string   // its first word, or for a dotted path its first key
	out    string   // the canonical name to suggest
	legacy bool     // name is a legacy alias
	isGrp  bool     // name is a group of settings
}

// candidates are the names of a set's settings, as suggestions compare
// them.
type candidates struct {
	env, paths, pathsAndGroups []candidate
}

func (s *Set) candidates() *candidates {
	s.suggestOnce.Do(func() {
		cs := &candidates{}
		for _, st := range s.settings {
			for k, e := range st.Env {
				w := envWords(e)
				cs.env = append(cs.env, candidate{name: e, words: w, group: w[0], out: st.Canonical(), legacy: k > 0})
			}
			cs.paths = append(cs.paths, candidate{name: st.Path, words: pathWords(st.Path), group: pathGroup(st.Path), out: st.Path})
		}
		cs.pathsAndGroups = slices.Clone(cs.paths)
		for _, g := range s.Groups() {
			cs.pathsAndGroups = append(cs.pathsAndGroups, candidate{name: g, words: pathWords(g), group: pathGroup(g), out: g, isGrp: true})
		}
		s.suggest = cs
	})
	return s.suggest
}

func envWords(name string) []string {
	return strings.Split(strings.TrimPrefix(name, "PREFECT_"), "_")
}

func pathWords(path string) []string {
	return strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '_' })
}

// pathGroup is a path's first key, marked as such, when it has several;
// else its first word: server.ui.api_url and ui.api_url are not of ui_url's
// group, home_dir is of home's.
func pathGroup(path string) string {
	if k, _, ok := strings.Cut(path, "."); ok {
		return k + "."
	}
	w, _, _ := strings.Cut(path, "_")
	return w
}

func (s *Set) nearest(name string, withGroups bool) string {
	if strings.HasPrefix(strings.ToUpper(name), "PREFECT_") {
		return s.nearestEnv(strings.ToUpper(name))
	}
	lower := strings.ToLower(name)
	settings, all := s.candidates().paths, s.candidates().pathsAndGroups
	cs := settings
	if withGroups {
		cs = all
	}
	for _, c := range cs {
		if c.name == lower && lower != name {
			return c.out // only the case differs
		}
	}
	var ends []string
	for _, c := range settings {
		if strings.HasSuffix(c.name, "."+lower) {
			ends = append(ends, c.out)
		}
	}
	if len(ends) != 1 {
		ends = nil
	}
	return best(lower, pathWords(lower), pathGroup(lower), cs, ends)
}

func (s *Set) nearestEnv(name string) string {
	if strings.Contains(name, "_ORION_") {
		for _, r := range prefect2Renames {
			if st, _, ok := s.ByEnv(strings.Replace(name, "_ORION_", r, 1)); ok {
				return st.Canonical()
			}
		}
		name = strings.Replace(name, "_ORION_", "_SERVER_", 1)
	}
	w := envWords(name)
	return best(name, w, w[0], s.candidates().env, nil)
}

// best picks the candidate most likely meant by name (split into words,
// of group): one a letter away; else one a word away within the group (a
// canonical name before a legacy one); else one a word away in front, when
// only one setting is; else the one name ends (ends); else the nearest by
// edit distance within a third of the name.
func best(name string, words []string, group string, cs []candidate, ends []string) string {
	rest := len(words) - 1
	for _, w := range words {
		rest += len(w)
	}
	plain, plainDist := "", rest/3+2
	type near struct {
		out   string
		dist  int
		count int // distinct settings, for the front
	}
	var same, sameLegacy, front, frontLegacy near
	for _, c := range cs {
		if c.name == name || strings.HasPrefix(name, c.name+".") {
			continue // the name itself, or a group it is in
		}
		if abs(len(name)-len(c.name)) < plainDist {
			if d := editDistance(name, c.name); d < plainDist {
				plain, plainDist = c.out, d
			}
		}
		switch wordAway(words, group, c) {
		case sameGroupWord:
			n := &same
			if c.legacy {
				n = &sameLegacy
			}
			if d := editDistance(name, c.name); n.out == "" || d < n.dist {
				n.out, n.dist = c.out, d
			}
		case frontWord:
			n := &front
			if c.legacy {
				n = &frontLegacy
			}
			if n.out != c.out {
				n.count++
			}
			n.out = c.out
		}
	}
	switch {
	case plainDist == 1:
		return plain
	case same.out != "":
		return same.out
	case front.count == 1:
		return front.out
	case sameLegacy.out != "":
		return sameLegacy.out
	case frontLegacy.count == 1 && front.count == 0:
		return frontLegacy.out
	case len(ends) == 1:
		return ends[0]
	}
	return plain
}

// The ways two names can be a word apart.
const (
	notWordAway   = iota
	sameGroupWord // the same group, and one word more, less, or cut short
	frontWord     // one word more in front
)

// wordAway says how the name of words and group stands to the candidate c.
func wordAway(a []string, group string, c candidate) int {
	b := c.words
	switch {
	case len(a) == 0 || len(b) == 0:
		return notWordAway
	case len(b) == len(a)+1 && slices.Equal(a, b[1:]):
		return frontWord
	case group != c.group:
		return notWordAway
	case len(b) == len(a)+1 && oneMore(a, b), len(a) == len(b)+1 && !c.isGrp && oneMore(b, a):
		return sameGroupWord
	case len(a) == len(b) && len(a[len(a)-1]) >= 3 && slices.Equal(a[:len(a)-1], b[:len(b)-1]) &&
		strings.HasPrefix(b[len(b)-1], a[len(a)-1]):
		return sameGroupWord
	}
	return notWordAway
}

// oneMore reports whether long is short with one word inserted.
func oneMore(short, long []string) bool {
	for i := range long {
		if slices.Equal(short[:i], long[:i]) && slices.Equal(short[i:], long[i+1:]) {
			return true
		}
	}
	return false
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Nearest returns the candidate nearest to name and different from it, or
// "" when none is close.
func Nearest(name string, candidates []string) string {
	best, bestDist := "", len(name)/3+2
	for _, c := range candidates {
		if d := editDistance(name, c); d < bestDist && d > 0 {
			best, bestDist = c, d
		}
	}
	return best
}
