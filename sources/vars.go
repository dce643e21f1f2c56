package sources

import "strings"

// Var is one variable of an environment written in a file, such as a
// container's in a Compose file or a Kubernetes manifest: its name, its
// value and where it is written. Reader.Vars reads such an environment as
// the process environment is read, every value positioned in its file.
type Var struct {
	Name, Value string
	// Pos is where the value is written, or the variable when the value
	// is written with its name (NAME=value).
	Pos Position
	// Deferred, when set, says where a value that exists only when the
	// environment is deployed comes from ("secretKeyRef prefect-api/key"):
	// Value means nothing then.
	Deferred string
	// Implicit is set for a variable the platform sets rather than the
	// file (a Kubernetes service link): a name that is no setting is then
	// not listed in Layer.Ignored, where it would read as a misspelling.
	Implicit bool
}

// Deferred is the Raw of a value that exists only when the environment is
// deployed, and says where it will come from: a variable set from a
// Kubernetes Secret the files do not hold, a CI secret. No coercion reads
// it; the engine resolves as if it were not set, and says so.
type Deferred string

// Vars reads the settings of an environment given as variables with
// positions, as Env reads the process environment: names in any case,
// group JSON variables in Layer.Groups, the last of two values of one name
// winning. Each value's position is its variable's Pos with Env set to the
// name. A variable whose last value is Deferred is in the layer with that
// value alone (a sources.Deferred Raw): the earlier values of the name
// are overridden when it is deployed.
func (rd Reader) Vars(vars []Var) *Layer {
	l := &Layer{Kind: Env}
	set := rd.set()
	deferred := map[string]bool{}
	for _, v := range vars {
		deferred[v.Name] = v.Deferred != ""
	}
	for _, v := range vars {
		if v.Name == "" || strings.ContainsAny(v.Name, "=\x00") || deferred[v.Name] && v.Deferred == "" {
			continue
		}
		pos := v.Pos
		pos.Env = v.Name
		nv, ng, ni := len(l.Values), len(l.Groups), len(l.Ignored)
		l.add(set, v.Name, v.Value, pos)
		if v.Implicit {
			l.Ignored = l.Ignored[:ni]
		}
		if v.Deferred != "" {
			// What is read is where the value will come from.
			if len(l.Values) > nv {
				l.Values[nv].Raw = Deferred(v.Deferred)
			}
			if len(l.Groups) > ng {
				l.Groups[ng].Raw = Deferred(v.Deferred)
			}
		}
	}
	return l
}
