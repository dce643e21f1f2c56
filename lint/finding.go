package lint

import (
	"slices"
	"strings"

	"github.com/strata-settings/strata/diag"
)

// Severity says how much a finding matters: diag.Error, diag.Warning or
// diag.Info.
type Severity = diag.Severity

// The severities, most severe first.
const (
	Error   = diag.Error   // Prefect rejects the value or fails to load the file
	Warning = diag.Warning // Prefect loads it, but not as written
	Info    = diag.Info    // a documented behaviour that may surprise
)

// Finding is one problem, at the position it concerns: a diagnostic whose
// Rule is the id of the rule that found it. Its Pos spans the key
// concerned when the reader knows where the key ends; its Related are the
// other places it involves (the value that overrides this one); its Fixes
// are the edits that would fix it. Its String is
// "file:line:col: severity: message [rule]", with "env NAME" or
// "flag --profile" for a finding about the environment or a flag.
type Finding = diag.Diagnostic

// Rule describes one check.
type Rule struct {
	ID       string   // stable, kebab-case
	Severity Severity // the severity of its findings, unless a finding says otherwise
	Summary  string   // one line
}

// The rules, by id.
const (
	RuleSyntax            = "syntax"
	RuleTOML10            = "toml-1.0"
	RuleInvalidValue      = "invalid-value"
	RuleBareNumber        = "bare-number-duration"
	RuleCORSArray         = "cors-array"
	RuleProfileInline     = "profile-inline-table"
	RuleUnknownSetting    = "unknown-setting"
	RuleIgnoredKey        = "ignored-key"
	RuleUITable           = "ui-table"
	RuleLegacyAlias       = "legacy-alias"
	RuleKeyAndAuthString  = "key-and-auth-string"
	RuleProtectedHeader   = "protected-header"
	RuleSecretInFile      = "secret-in-committed-file"
	RuleMissingProfile    = "missing-profile"
	RuleHomeOutsideEnv    = "home-outside-env"
	RuleHomeNotMovingPath = "home-not-moving-paths"
	RuleNotInRelease      = "not-in-release"
	RuleDotEnvIgnored     = "dotenv-ignored"
	RuleWrongTable        = "wrong-table"
	RuleOutsideProfile    = "outside-profile"
	RuleDotEnvLine        = "dotenv-skipped-line"
	RulePlaceholder       = "placeholder"
	RuleNoneString        = "none-string"
	RuleDatabaseParts     = "database-without-driver"
	RuleClientWildcard    = "client-wildcard-address"
	RuleAPIURLPath        = "api-url-path"
	RuleKeyNotCloud       = "api-key-not-cloud"
	RuleGodotenv          = "godotenv-differs"
	RuleUnreadable        = "unreadable-path"
	RuleProjectRelease    = "project-release"
	RuleUnsupported       = "unsupported-release"
	RuleUIURLAPI          = "ui-url-api"
	RuleUndefinedVariable = "undefined-variable"
)

// rules is the one place a rule is declared: lint --help, the README's
// list and SARIF's rule metadata are made from it. The checks themselves
// are grouped by what they read: toml.go (prefect.toml, pyproject.toml),
// profiles.go, dotenv.go, env.go (the environment), values.go (one value,
// wherever it is written) and resolve.go (what files decide together).
var rules = []Rule{
	{RuleSyntax, Error, "a file Prefect cannot read: not valid TOML, or not readable at all"},
	{RuleTOML10, Error, "TOML that Prefect's TOML 1.0 parser rejects although go-toml accepts it; a warning for a release before 3.6.14, which reads the file with the toml package"},
	{RuleInvalidValue, Error, "a value Prefect's coercion rejects"},
	{RuleBareNumber, Error, "a number in a string where Prefect wants a duration"},
	{RuleCORSArray, Error, "a TOML array for a comma-separated CORS string"},
	{RuleProfileInline, Error, "a TOML table for a dict setting in a profile, which crashes Prefect"},
	{RuleUnknownSetting, Warning, "a name that is no Prefect setting"},
	{RuleIgnoredKey, Warning, "a setting written where or how Prefect does not read it"},
	{RuleUITable, Warning, "a key of a [ui] table, which Prefect does not have; the UI settings are under [server.ui]"},
	{RuleLegacyAlias, Warning, "a legacy alias where the canonical name exists"},
	{RuleKeyAndAuthString, Warning, "an API key and an auth string both set for the same client"},
	{RuleProtectedHeader, Warning, "a custom header Prefect's client drops"},
	{RuleSecretInFile, Warning, "a credential in a file git shares: prefect.toml, pyproject.toml, or a .env or profiles file git tracks or does not ignore"},
	{RuleMissingProfile, Warning, "the selected or active profile does not exist"},
	{RuleHomeOutsideEnv, Warning, "PREFECT_HOME set outside the environment, which does not move the profiles file"},
	{RuleHomeNotMovingPath, Info, "PREFECT_HOME does not move the storage, logging config and memo store paths"},
	{RuleNotInRelease, Warning, "a setting the project's Prefect release does not have, though another release does"},
	{RuleDotEnvIgnored, Warning, "a .env file the project's Prefect release ignores on pydantic-settings 2.14 and later (Prefect issue #21664)"},
	{RuleWrongTable, Warning, "a Prefect key written after a table header, which makes it part of that table"},
	{RuleOutsideProfile, Warning, "a table or key of a profiles file outside any [profiles.NAME] table"},
	{RuleDotEnvLine, Warning, "a .env line Prefect skips: unparsable, a name without '=', or behind a byte-order mark"},
	{RulePlaceholder, Warning, "a placeholder such as <your-api-key> or changeme left in a URL or credential"},
	{RuleNoneString, Warning, "the string \"None\" or \"null\" for an optional setting, which Prefect takes as text"},
	{RuleDatabaseParts, Warning, "database host, port, user or password set with no driver and no connection URL"},
	{RuleClientWildcard, Warning, "0.0.0.0 as the address a client calls, which only a server can listen on"},
	{RuleAPIURLPath, Info, "an API URL whose path has no /api, which a Prefect server serves its API under"},
	{RuleKeyNotCloud, Warning, "PREFECT_API_KEY set while api.url points at a server that is not Prefect Cloud"},
	{RuleGodotenv, Info, "a .env line that godotenv, which Go services load .env files with, reads otherwise than Prefect"},
	{RuleUnreadable, Warning, "a directory or file the search cannot read (no permission, a path too long), whose settings files are not checked"},
	{RuleProjectRelease, Info, "the Prefect release a directory's files are checked against, where it is not the working directory's, and why"},
	{RuleUnsupported, Warning, "a project that runs a Prefect release Strata does not support (Prefect 2), whose files are checked against the newest release"},
	{RuleUIURLAPI, Warning, "ui_url set to an API address (/api): ui_url is the UI's own address; the address the UI calls the API at is server.ui.api_url"},
	{RuleUndefinedVariable, Warning, "a ${VAR} in a .env value set neither earlier in the file nor in the environment, which python-dotenv expands to an empty string (info without --env)"},
}

// Rules returns every rule, sorted by id.
func Rules() []Rule {
	out := slices.Clone(rules)
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// ruleAliases are the former ids of renamed rules, which --disable still
// takes.
var ruleAliases = map[string]string{
	"ui-api-url-table": RuleUITable,
}

// LookupRule returns the rule with the id, or with a former id of a
// renamed rule.
func LookupRule(id string) (Rule, bool) {
	if to, ok := ruleAliases[id]; ok {
		id = to
	}
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Sort orders findings by file, then position, then rule; findings about
// the environment come last.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, diag.Compare)
}

// HasErrors reports whether any finding is an error, or, with strict, a
// warning.
func HasErrors(fs []Finding, strict bool) bool {
	for _, f := range fs {
		if f.Severity == Error || strict && f.Severity == Warning {
			return true
		}
	}
	return false
}
