// Strata resolves Prefect 3 settings exactly as Prefect does, and tells
// where every value comes from.
//
// Usage:
//
//	strata [--profile NAME] config dump [--show-secrets]
//	strata [--profile NAME] config view [-o json] [--show-defaults] [--hide-sources] [--show-secrets]
//
// The settings come from five layers, highest first: environment variables,
// the .env file, prefect.toml, pyproject.toml's [tool.prefect], the active
// profile of profiles.toml; then defaults.
//
// config dump prints every effective setting as one nested JSON object keyed
// like prefect.toml. config view prints the settings that are set, in
// Prefect's format: NAME='VALUE' (from SOURCE).
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
