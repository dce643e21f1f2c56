package release

import "slices"

// Switches returns every behaviour of Prefect's settings resolution that
// changed between releases: one row a change, with the first release that
// behaves the new way. A switch is on for a release when the release is at
// least Since and older than Until (when set), and, for the switches that
// depend on the installed pydantic-settings, on the side PydanticSettings
// names. The engine asks the switch (rel.DotenvPositional), never the
// version. The slice is a copy: changing it changes no release.
func Switches() []Switch { return slices.Clone(switches) }

// switches is the table Switches returns.
var switches = []Switch{
	{Name: "tomlfiles", Since: v(3, 1, 0), Ref: "#15788",
		Doc: "prefect.toml and pyproject.toml [tool.prefect] are read",
		on:  func(r *Release) *bool { return &r.TOMLFiles }},
	{Name: "profilespathsources", Since: v(3, 1, 1), Ref: "#15914",
		Doc: "PREFECT_PROFILES_PATH is also read from .env, and profiles_path from prefect.toml and pyproject.toml",
		on:  func(r *Release) *bool { return &r.ProfilesPathSources }},
	{Name: "extraloggersset", Since: v(3, 1, 1), Ref: "#15913",
		Doc: "logging.extra_loggers goes through a set: duplicates and empty names dropped, order arbitrary; before, a comma list split at every comma, in order, empty names kept (\"a,,b\" is \"a\", \"\", \"b\")",
		on:  func(r *Release) *bool { return &r.ExtraLoggersSet }},
	{Name: "dotenvfilter", Since: v(3, 1, 2), Ref: "#15975",
		Doc: ".env keeps only Prefect's environment names; before, a line named like the bare field of a setting with a legacy name (api_url, enabled) set every such setting",
		on:  func(r *Release) *bool { return &r.DotenvFilter }},
	{Name: "aliaslowest", Since: v(3, 1, 2), Ref: "#15995",
		Doc: "the profile, prefect.toml and pyproject.toml key a setting that has a legacy name by its lowest-priority env name, not by its bare field name, which pydantic-settings before 2.14 takes before every env name: before, a value there beat the same setting in the environment and .env. In precedence visible on pydantic-settings < 2.14 only (from 2.14 the order of the sources decides); on both sides Prefect names an invalid value by that key when a group JSON variable holds its group",
		on:  func(r *Release) *bool { return &r.AliasLowest }},
	{Name: "dotenvpositional", Since: v(3, 1, 2), Until: v(3, 6, 28), PydanticSettings: Newer, Ref: "#21664",
		Doc: ".env is read with shifted arguments: names compared case-sensitively and without the PREFECT_ prefix, so that only lower-case env names (prefect_server_ui_api_url) and a group's prefix before a field name (PREFECT_SERVER_UI_api_url) are read",
		on:  func(r *Release) *bool { return &r.DotenvPositional }},
	{Name: "defaultprofilefallback", Since: v(3, 1, 5), Ref: "#16119",
		Doc: "a missing profiles file or unknown active profile falls back to the packaged default profile",
		on:  func(r *Release) *bool { return &r.DefaultProfileFallback }},
	{Name: "homemovesprofiles", Since: v(3, 2, 1), Ref: "#17070",
		Doc: "PREFECT_HOME in the environment moves the profiles file to $PREFECT_HOME/profiles.toml",
		on:  func(r *Release) *bool { return &r.HomeMovesProfiles }},
	{Name: "nestedhomepaths", Until: v(3, 4, 8), Ref: "#18029",
		Doc: "logging.config_path, results.local_storage_path and server.memo_store_path follow home, and a profiles_path naming PREFECT_HOME is home's profiles.toml; from 3.4.8 they are under ~/.prefect whatever home, and $PREFECT_HOME in profiles_path is replaced by home",
		on:  func(r *Release) *bool { return &r.NestedHomePaths }},
	{Name: "headersjson", Since: v(3, 4, 21), Ref: "#19052",
		Doc: "client.custom_headers decodes a JSON string it is given: one left by a source's own JSON decoding (JSON in a JSON string), a string in a group JSON object, a .env value read as written; before, such a string is an error",
		on:  func(r *Release) *bool { return &r.HeadersJSON }},
	{Name: "secondsafter", Since: v(3, 6, 2), Ref: "#19434",
		Doc: "server.services.late_runs.after_seconds takes a plain number of seconds as a string (\"5\"); before, only durations",
		on:  func(r *Release) *bool { return &r.SecondsAfter }},
	{Name: "cloudlogcap", Since: v(3, 6, 4), Ref: "#19496",
		Doc: "logging.to_api.max_log_size is capped at cloud.max_log_size when the API is Prefect Cloud",
		on:  func(r *Release) *bool { return &r.CloudLogCap }},
	{Name: "postgresnopassword", Since: v(3, 6, 7), Ref: "#19580",
		Doc: "a PostgreSQL URL is assembled from its parts without a password",
		on:  func(r *Release) *bool { return &r.PostgresNoPassword }},
	{Name: "tomllib", Since: v(3, 6, 14), Ref: "#20398",
		Doc: "TOML files are parsed as TOML 1.0 (tomllib); before, by the toml package 0.10.2, which reads many files otherwise (non-ASCII bare keys, inline tables extended by dotted keys, spaces around a key's dots kept, no mixed-type arrays)",
		on:  func(r *Release) *bool { return &r.TOMLLib }},
	{Name: "dicttables", Since: v(3, 6, 21), Ref: "#20811",
		Doc: "a TOML table is kept as the value of a dict setting (client.custom_headers)",
		on:  func(r *Release) *bool { return &r.DictTables }},
	{Name: "pluginsmove", Since: v(3, 7, 0), Ref: "#21787",
		Doc: "experiments.plugins becomes plugins; the legacy table, names and a \"plugins\" object in the experiments group JSON (PREFECT_EXPERIMENTS) are moved over, the plugins group's own values winning",
		on:  func(r *Release) *bool { return &r.PluginsMove }},
	{Name: "tomlerrors", Since: v(3, 7, 2), Ref: "#22030",
		Doc: "a malformed prefect.toml or pyproject.toml is a settings error naming the file, not a crash (Strata names the file in every release, and says when the release crashes)",
		on:  func(r *Release) *bool { return &r.TOMLErrors }},
	{Name: "aliasorder", PydanticSettings: Older, Ref: "pydantic-settings #813",
		Doc: "of one setting given under two names in two sources, the name listed first wins, whatever its source (before 3.1.2 the bare field name, under which the profile and TOML files key their values, comes first)",
		on:  func(r *Release) *bool { return &r.AliasOrder }},
}

// Switch is one behaviour that changed between releases.
type Switch struct {
	Name  string  // lower-case, as in a message: "dotenvpositional"
	Since Version // the first release with the behaviour; zero: every release
	Until Version // the first release without it again; zero: still current
	// PydanticSettings limits the behaviour to one side of
	// pydantic-settings 2.14: Any, Older (< 2.14) or Newer (>= 2.14).
	PydanticSettings Side
	Ref              string // the Prefect (or pydantic-settings) change
	Doc              string // what the behaviour is

	on func(*Release) *bool
}

// Side is a side of pydantic-settings 2.14, whose changes make some
// Prefect releases read their sources differently.
type Side int8

// The sides of pydantic-settings 2.14.
const (
	Any   Side = iota // either side
	Older             // before 2.14
	Newer             // 2.14 and later
)

// applies reports whether the switch is on for release v on side.
func (s *Switch) applies(rel Version, side Side) bool {
	if rel.Less(s.Since) || !s.Until.IsZero() && !rel.Less(s.Until) {
		return false
	}
	return s.PydanticSettings == Any || s.PydanticSettings == side
}

func v(major, minor, patch int) Version { return Version{major, minor, patch} }
