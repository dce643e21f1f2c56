// Strata resolves Prefect 3 settings exactly as Prefect does, and tells
// where every value comes from.
//
// Usage:
//
//	strata [--profile NAME] [--prefect-version X.Y.Z] [--pydantic-settings-version X.Y.Z] COMMAND [ARGS]
//	strata --version
//	strata config dump [--show-secrets] [--compose FILE --service NAME | --k8s PATH --workload NAME [--container NAME] | --dockerfile FILE [--stage NAME]]
//	strata config view [-o json] [--show-defaults] [--hide-sources] [--show-secrets] [--watch] [--compose FILE --service NAME | --k8s PATH --workload NAME [--container NAME] | --dockerfile FILE [--stage NAME]]
//	strata config get [-o json] [--show-secrets] [--compose FILE --service NAME | --k8s PATH --workload NAME [--container NAME] | --dockerfile FILE [--stage NAME]] NAME...
//	strata config explain [-o json] [--show-secrets] [--compose FILE --service NAME | --k8s PATH --workload NAME [--container NAME] | --dockerfile FILE [--stage NAME]] NAME...
//	strata config set [--show-secrets] NAME=VALUE...
//	strata config unset [--yes] NAME...
//	strata config validate [-o json]
//	strata profile ls [-o json]
//	strata profile create [--from SOURCE] NAME
//	strata profile use [--no-check] NAME
//	strata profile inspect [-o json] [--show-secrets] [NAME]
//	strata profile rename OLD NEW
//	strata profile delete [--yes] NAME
//	strata profile populate-defaults [--yes]
//	strata lint [-o text|json|sarif|github] [--sarif-file FILE] [--relative-to DIR] [--env] [--strict] [--disable RULE] [--skip-unknown] [--explain RULE] [PATH...]
//	strata schema
//	strata version [-o json]
//	strata completion bash|zsh|fish
//
// Flags may come before or after a command's arguments; the global flags
// (--profile, --prefect-version, --pydantic-settings-version) also before
// the command, and "--" ends the flags. "strata help COMMAND" and
// "strata COMMAND --help" print a command's flags on stdout. -o json prints
// JSON wherever there is output to parse.
//
// The settings come from five layers, highest first: environment variables,
// the .env file, prefect.toml, pyproject.toml's [tool.prefect], the active
// profile of profiles.toml; then defaults.
//
// config dump prints every effective setting as one nested JSON object keyed
// like prefect.toml. config view prints the settings that are set, in
// Prefect's format: NAME='VALUE' (from SOURCE); with --watch it keeps
// watching the settings files and prints the changes and the settings again
// whenever a value changes, until interrupted. config get prints values
// only, one a line (-o json: one object keyed by the names given, values
// typed as config dump writes them); config explain tells, layer by
// layer, where a value comes from and why it won. NAME is an accessor
// (server.api.port) or an environment name. config validate -o json
// prints {"valid", "release", "profile", "problems"}, each problem
// positioned as lint's findings are.
//
// config set, config unset and the profile commands change the profiles
// file the settings are read from, as Prefect's commands of the same names
// do, but change only the lines concerned: comments, layout, unknown keys
// and value types survive. Writes are atomic (a synced temporary file
// renamed over the old one), new files are created 0600, an existing file
// keeps its owner, group and mode (a write by root too), and a lock on
// profiles.toml.lock serialises concurrent writers: every read that decides
// a change happens under it, a writer kept waiting says so, and a lock that
// is a symbolic link is refused. A profiles file that cannot be read is an
// error, and config validate fails on one that is not valid TOML. config set validates
// the resulting profile before writing and names any higher layer that
// overrides the new value. profile use saves the choice, then checks the
// profile's API with its credentials, headers and TLS settings (--no-check
// skips it). Confirmations are asked only on a terminal; --yes skips them.
//
// schema prints the JSON Schema of prefect.toml, for editors; completion
// prints a shell completion script.
//
// lint checks settings files for what Prefect ignores, rejects or does in
// a surprising way: unknown names (with the nearest real one), values its
// coercion rejects, keys written where Prefect does not read them, legacy
// aliases, an API key beside an auth string, dropped custom headers,
// secrets in committed files, missing profiles, TOML its TOML 1.0 parser
// rejects. It reads the files and directories given (searched for
// prefect.toml, pyproject.toml, profiles.toml, .env and *.env, skipping
// .git, node_modules and vendor), or the working directory and the active
// profiles file; --env adds the environment's PREFECT_* variables. Each
// finding prints as "file:line:col: severity: message [rule]"; -o (or
// --format) json, sarif (for code scanning) and github (workflow
// annotations) suit machines. --sarif-file FILE also writes SARIF in the
// same run, whatever the format, when lint could run (exit 0 or 1): a
// usage error leaves no file behind. --relative-to DIR prints the files
// under DIR relative to it, as CI wants them when lint runs in a
// subdirectory of the repository. --disable RULE turns a rule off; "strata
// lint --help" lists them. lint exits 1 when it finds an error, or with
// --strict a warning.
//
// version prints Strata's own version (the module version and VCS revision
// the build recorded; strata --version prints that line alone), then the Prefect and pydantic-settings versions in
// force and where each came from: --prefect-version and
// --pydantic-settings-version, else STRATA_PREFECT_VERSION and
// STRATA_PYDANTIC_SETTINGS_VERSION, else the project (the virtualenv's
// installed packages, uv.lock, poetry.lock, pdm.lock, pylock.toml or
// Pipfile.lock, an exact pin in requirements*.txt, pyproject.toml or
// Pipfile), else the newest release on pydantic-settings 2.14 and later.
// config explain's first line and config view -o json say the same.
//
// Secrets (API keys, auth strings, database passwords and URLs), custom
// header values, URL passwords and, in profile inspect, unknown keys named
// like secrets are masked unless --show-secrets is given: a set secret as
// ********, an empty one as an empty string. Text outputs escape control
// characters in values.
//
// --profile NAME (or -p NAME) selects the profile as PREFECT_PROFILE does.
//
// Data goes to stdout, diagnostics to stderr, coloured only on a terminal
// and never when NO_COLOR is set. A diagnostic reads
// "file:line:col: severity: message" (an invalid setting:
// "prefect.toml:2:1: error: server.api.port: ..."; from the environment:
// "env NAME: error: ..."), or "severity: message" when it concerns no
// place; the severity is error, warning or info.
//
// Exit status: 0 on success, 1 when the settings are invalid, a command
// fails or a change is refused, 2 for a usage error.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command, testable: it takes the arguments after the
// program name and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr, stdin: os.Stdin, interactive: isTerminal(os.Stdin) && isTerminal(os.Stderr)}
	if f, ok := stderr.(*os.File); ok {
		c.color = useColor(isTerminal(f), os.Getenv)
	}
	return c.main(args)
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
