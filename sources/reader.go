package sources

import (
	"sync"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
)

// Reader reads the sources as one Prefect release does: with that
// release's settings, and the switches of release.Release that concern
// sources (which files are read, how .env is read, where the profiles file
// is found). The zero Reader reads as the newest release; ReadEnv and the
// other Read functions are the zero Reader's methods.
type Reader struct {
	Release *release.Release // nil: release.Default()
	// NoCache, when set, parses every TOML file anew rather than keep the
	// parsed documents for another read of the same content: for a caller
	// that reads each file once (a linter), hashing and keeping them
	// costs more than it saves. What is read is the same.
	NoCache bool
}

func (rd Reader) rel() *release.Release {
	if rd.Release == nil {
		return release.Default()
	}
	return rd.Release
}

func (rd Reader) set() *schema.Set { return rd.rel().Schema() }

// groupEnvs maps each set's group variable names (PREFECT_SERVER_API) to
// the groups' accessors.
var groupEnvs sync.Map // *schema.Set → map[string]string

func groupEnv(set *schema.Set) map[string]string {
	if m, ok := groupEnvs.Load(set); ok {
		return m.(map[string]string)
	}
	m := map[string]string{}
	for _, g := range set.Groups() {
		m[schema.GroupEnv(g)] = g
	}
	got, _ := groupEnvs.LoadOrStore(set, m)
	return got.(map[string]string)
}
