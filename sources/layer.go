package sources

import "github.com/strata-settings/strata/schema"

// Kind names a layer. Their order is the precedence order, highest first;
// Default is the last resort. It is the one declaration of that order:
// settings.Precedence and every Result's layers are made from it, and the
// precedence table of docs/precedence.md is checked against it.
type Kind uint8

// The layers, highest precedence first.
const (
	GroupJSON     Kind = iota // a group given whole as JSON in the environment, .env or the profile (PREFECT_SERVER_API='{...}')
	Env                       // the process environment
	DotEnv                    // the .env file in the working directory
	PrefectTOML               // prefect.toml in the working directory
	PyprojectTOML             // pyproject.toml's [tool.prefect] in the working directory
	Profile                   // the active profile of profiles.toml
	LegacyPlugins             // [experiments.plugins] of prefect.toml, then of pyproject.toml
	Default                   // the setting's default
)

var kindNames = [...]string{
	GroupJSON: "group JSON", Env: "env", DotEnv: ".env", PrefectTOML: "prefect.toml",
	PyprojectTOML: "pyproject.toml", Profile: "profile", LegacyPlugins: "legacy [experiments.plugins]",
	Default: "default",
}

// String names the layer.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Value is one raw value a source holds for a setting.
type Value struct {
	Setting *schema.Setting
	Key     string   // the key or variable name exactly as written
	Alias   int      // 0 when Key is the canonical name or the TOML field name, 1 for the legacy alias
	Raw     any      // string, or a TOML/JSON value: int64, float64, bool, []any, map[string]any, dates
	Pos     Position // where it was written
	Group   string   // for GroupJSON values: the variable holding the group ("PREFECT_SERVER_API")
}

// Ignored is a key a source holds but Prefect does not read, with the reason.
type Ignored struct {
	Key    string
	Pos    Position
	Reason string
	// Keys are, for a TOML table Prefect does not read ([ui]), the keys
	// written inside it, each at its own position: api_url as "ui.api_url".
	Keys []Ignored
}

// Layer is what one source yielded.
type Layer struct {
	Kind     Kind
	File     string    // the file read; empty for the environment or a missing file
	Values   []Value   // in the order written
	Groups   []Value   // group JSON variables (environment, .env and profile); Setting is nil
	Ignored  []Ignored // keys Prefect does not read here
	Profile  string    // for Profile: the name of the profile applied
	Plugins  []Value   // values of the legacy [experiments.plugins] table (TOML files)
	Warnings []error   // problems Prefect skips over, such as a .env line it cannot parse
	Shifted  []Value   // .env lines the release does not read (release.Release.DotenvPositional), for the profiles file's locator
	// Verbatim lists, in ascending order, the indexes in Values of the
	// .env values Prefect validates as written, without the JSON decoding
	// environment values get (the shifted reading's extra values).
	Verbatim []int
}
