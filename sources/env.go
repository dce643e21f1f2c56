package sources

import (
	"strings"

	"github.com/strata-settings/strata/schema"
)

// ReadEnv reads the settings of an environment given as NAME=VALUE strings
// (os.Environ's form). Names are matched without regard to case, as Prefect
// does. A variable named like a group (PREFECT_SERVER_API) holds that group
// as a JSON object and is listed in Layer.Groups.
func ReadEnv(environ []string) *Layer { return Reader{}.Env(environ) }

// Env is ReadEnv for the reader's release.
func (rd Reader) Env(environ []string) *Layer {
	l := &Layer{Kind: Env}
	set := rd.set()
	buf := borrowValues()
	l.Values = *buf
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			continue
		}
		l.add(set, name, value, Position{Env: name})
	}
	l.Values = keepValues(buf, l.Values)
	return l
}

// add files one NAME=VALUE binding of the environment or .env.
func (l *Layer) add(set *schema.Set, name, value string, pos Position) {
	if s, alias, ok := set.ByEnv(name); ok {
		l.Values = append(l.Values, Value{Setting: s, Key: name, Alias: alias, Raw: value, Pos: pos})
		return
	}
	if len(name) < len("PREFECT_") || !strings.EqualFold(name[:len("PREFECT_")], "PREFECT_") {
		return
	}
	if g := groupEnv(set)[strings.ToUpper(name)]; g != "" {
		l.Groups = append(l.Groups, Value{Key: name, Raw: value, Pos: pos, Group: g})
		return
	}
	l.Ignored = append(l.Ignored, Ignored{Key: name, Pos: pos, Reason: "unknown setting"})
}
