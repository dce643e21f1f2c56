package schema

import (
	"slices"
	"strings"
	"sync"
)

// Suggest returns the setting name nearest to name, or "" when none is
// close: an environment name for a PREFECT_* name, else an accessor. A path
// missing its group, like the docs' [ui] api_url for server.ui.api_url,
// finds the setting it ends.
func Suggest(name string) string {
	return nearest(name, false)
}

// SuggestKey is Suggest for a TOML key, which may also name a group
// (server.api).
func SuggestKey(name string) string {
	return nearest(name, true)
}

var groups = sync.OnceValue(func() []string {
	gs := Groups()
	slices.Sort(gs)
	return gs
})

func nearest(name string, withGroups bool) string {
	envStyle := strings.HasPrefix(strings.ToUpper(name), "PREFECT_")
	if !envStyle {
		for i := range All() {
			if p := All()[i].Path; strings.HasSuffix(p, "."+strings.ToLower(name)) {
				return p
			}
		}
	}
	best, bestDist := "", len(name)/3+2
	consider := func(target, c string) {
		if abs(len(target)-len(c)) >= bestDist {
			return // the distance is at least the difference in length
		}
		if d := editDistance(target, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	for i := range All() {
		s := &All()[i]
		if envStyle {
			for _, e := range s.Env {
				consider(strings.ToUpper(name), e)
			}
			continue
		}
		consider(name, s.Path)
	}
	if withGroups && !envStyle {
		for _, g := range groups() {
			consider(name, g)
		}
	}
	return best
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
