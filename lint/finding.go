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
	RuleSyntax               = "syntax"
	RuleTOML10               = "toml-1.0"
	RuleInvalidValue         = "invalid-value"
	RuleBareNumber           = "bare-number-duration"
	RuleCORSArray            = "cors-array"
	RuleProfileInline        = "profile-inline-table"
	RuleUnknownSetting       = "unknown-setting"
	RuleIgnoredKey           = "ignored-key"
	RuleUITable              = "ui-table"
	RuleLegacyAlias          = "legacy-alias"
	RuleKeyAndAuthString     = "key-and-auth-string"
	RuleProtectedHeader      = "protected-header"
	RuleSecretInFile         = "secret-in-committed-file"
	RuleMissingProfile       = "missing-profile"
	RuleHomeOutsideEnv       = "home-outside-env"
	RuleHomeNotMovingPath    = "home-not-moving-paths"
	RuleNotInRelease         = "not-in-release"
	RuleDotEnvIgnored        = "dotenv-ignored"
	RuleWrongTable           = "wrong-table"
	RuleOutsideProfile       = "outside-profile"
	RuleDotEnvLine           = "dotenv-skipped-line"
	RulePlaceholder          = "placeholder"
	RuleNoneString           = "none-string"
	RuleDatabaseParts        = "database-without-driver"
	RuleClientWildcard       = "client-wildcard-address"
	RuleAPIURLPath           = "api-url-path"
	RuleKeyNotCloud          = "api-key-not-cloud"
	RuleGodotenv             = "godotenv-differs"
	RuleUnreadable           = "unreadable-path"
	RuleProjectRelease       = "project-release"
	RuleUnsupported          = "unsupported-release"
	RuleUIURLAPI             = "ui-url-api"
	RuleUndefinedVariable    = "undefined-variable"
	RuleSecretInManifest     = "secret-in-manifest"
	RuleSecretInImage        = "secret-in-image"
	RuleAPIURLLocalhost      = "api-url-localhost"
	RuleAPIURLContainerIP    = "api-url-container-ip"
	RuleNoAPIURL             = "no-api-url"
	RuleServerSetting        = "server-setting-in-client"
	RuleOldName              = "old-prefect-name"
	RuleShellVariable        = "shell-variable"
	RuleDeferredEnv          = "deferred-env"
	RuleMissingKey           = "missing-key"
	RuleEnvNotString         = "env-not-string"
	RuleChartRefuses         = "chart-refuses"
	RuleNotExported          = "not-exported"
	RuleNotPersisted         = "not-persisted"
	RuleProfileCommand       = "profile"
	RuleReleaseFile          = "release-file"
	RuleUnread               = "unread"
	RuleServerListensLocally = "server-listens-locally"
	RuleDatabaseSyncDriver   = "database-sync-driver"
)

// rules is the one place a rule is declared: lint --help, the list in
// docs/lint.md and SARIF's rule metadata are made from it. The checks themselves
// are grouped by what they read: toml.go (prefect.toml, pyproject.toml),
// profiles.go, dotenv.go, env.go (the environment), values.go (one value,
// wherever it is written) and resolve.go (what files decide together).
var rules = []Rule{
	{RuleSyntax, Error, "a file that cannot be read: invalid TOML or YAML, a Compose file Compose refuses, a script its shell rejects, or a file not readable at all"},
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
	{RuleSecretInFile, Warning, "a credential in a file git shares: prefect.toml, pyproject.toml, a .env or profiles file git tracks or does not ignore, written out in a deployment file where a reference would keep it out, or handed to kubectl, helm or docker on a command line the file runs"},
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
	{RuleUnsupported, Warning, "a project or a container that runs a Prefect release Strata does not support (Prefect 2), said once: a project's files are checked against the newest release, a container's variables for secrets only"},
	{RuleUIURLAPI, Warning, "ui_url set to an API address (/api): ui_url is the UI's own address; the address the UI calls the API at is server.ui.api_url"},
	{RuleUndefinedVariable, Warning, "a ${VAR} set nowhere, with no default, which python-dotenv and Compose expand to an empty string (info without --env), or a $(VAR) Kubernetes leaves as written"},
	{RuleSecretInManifest, Warning, "a Kubernetes Secret, or a Helm value that becomes one, with its data written in the file: base64 is no encryption"},
	{RuleSecretInImage, Warning, "a credential a Dockerfile writes into the image (ENV, or prefect config set in a RUN), where whoever pulls the image reads it"},
	{RuleAPIURLLocalhost, Warning, "a container's api.url at localhost, 127.0.0.1 or 0.0.0.0 while the server runs in another container of the same file, which it reaches by the server's host name"},
	{RuleAPIURLContainerIP, Warning, "a container's api.url at a private IP address while the server runs in another container of the same file, which it reaches by the server's host name"},
	{RuleNoAPIURL, Warning, "a worker or client with no api.url beside a server of the same file: Prefect in it runs a temporary server of its own"},
	{RuleServerSetting, Info, "a server setting (a database URL an anchor spreads to every service) in a worker or client container, which does not run the server"},
	{RuleOldName, Warning, "a Prefect 1 or 2 setting name (PREFECT__CLOUD__API, PREFECT_SERVER__..., PREFECT_ORION_...), which Prefect 3 ignores"},
	{RuleShellVariable, Warning, "a $VAR or ${VAR} in a Kubernetes env value, which stays as written: Kubernetes expands $(VAR), only a shell expands $VAR"},
	{RuleDeferredEnv, Info, "variables a container takes from an object no file read defines (envFrom a Secret applied apart), which may hold settings no check sees"},
	{RuleMissingKey, Error, "a reference to a key that its Secret or ConfigMap, defined in the files, lacks: the pod does not start"},
	{RuleEnvNotString, Error, "a Kubernetes env value written as a YAML number or boolean, which the API server rejects: env values are strings"},
	{RuleChartRefuses, Error, "values a Prefect Helm chart refuses to render with: a required value missing, a key it rejects"},
	{RuleNotExported, Warning, "a PREFECT_ variable a script assigns but never exports, which the programs it starts do not see"},
	{RuleNotPersisted, Warning, "a variable set where it does not last: an export in a Dockerfile RUN, or in one line of a Makefile recipe"},
	{RuleProfileCommand, Info, "a command that selects or creates a Prefect profile: the settings it then reads or writes are that profile's"},
	{RuleReleaseFile, Info, "Prefect installed from a requirements file, where its release is pinned, if anywhere"},
	{RuleUnread, Info, "something of a deployment file no reader reads: another shell, a value too large to expand, a template rendered at deploy time"},
	{RuleServerListensLocally, Warning, "a server container that listens on 127.0.0.1 (Prefect's default) while other containers of the file call it by its host name"},
	{RuleDatabaseSyncDriver, Warning, "a database connection URL with a driver that is not async (postgresql://, sqlite://), with which Prefect's server does not start"},
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
