// Strata resolves Prefect 3 settings exactly as Prefect does, and tells
// where every value comes from.
//
// Usage:
//
//	strata [--profile NAME] config dump [--show-secrets]
//	strata [--profile NAME] config view [-o json] [--show-defaults] [--hide-sources] [--show-secrets]
//	strata [--profile NAME] lint [--format text|json|sarif|github] [--env] [--strict] [--disable RULE] [PATH...]
//
// The settings come from five layers, highest first: environment variables,
// the .env file, prefect.toml, pyproject.toml's [tool.prefect], the active
// profile of profiles.toml; then defaults.
//
// config dump prints every effective setting as one nested JSON object keyed
// like prefect.toml. config view prints the settings that are set, in
// Prefect's format: NAME='VALUE' (from SOURCE).
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
// finding prints as "file:line:col: severity: message [rule]"; --format
// json, sarif (for code scanning) and github (workflow annotations) suit
// machines. --disable RULE turns a rule off; "strata lint --help" lists
// them. lint exits 1 when it finds an error, or with --strict a warning.
//
// Secrets (API keys, auth strings, database passwords and URLs) are masked
// unless --show-secrets is given.
//
// --profile NAME (or -p NAME) selects the profile as PREFECT_PROFILE does.
//
// Exit status: 0 on success, 1 when the settings are invalid or a command
// fails, 2 for a usage error.
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
	c := &cli{stdout: stdout, stderr: stderr}
	return c.main(args)
}
