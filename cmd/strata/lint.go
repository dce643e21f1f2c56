package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/strata-settings/strata/lint"
)

func init() {
	register("lint", "check settings files and the environment for mistakes Prefect passes over", (*cli).lint)
}

// listFlag collects a flag given several times, or with comma-separated
// values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

var lintFormats = map[string]func(io.Writer, []lint.Finding) error{
	"text":   lint.WriteText,
	"json":   lint.WriteJSON,
	"sarif":  lint.WriteSARIF,
	"github": lint.WriteGitHub,
}

func (c *cli) lint(args []string) int {
	fs := flag.NewFlagSet("strata lint", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	format := fs.String("format", "text", "output format: text, json, sarif or github")
	env := fs.Bool("env", false, "also check the PREFECT_* variables of the environment")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	var disabled listFlag
	fs.Var(&disabled, "disable", "turn off a rule (repeatable, or comma-separated)")
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "usage: strata lint [--format text|json|sarif|github] [--env] [--strict] [--disable RULE] [PATH...]")
		fmt.Fprintln(c.stderr, "\nPATHs are settings files (prefect.toml, pyproject.toml, profiles.toml, *.toml,\n.env, .env.*, *.env) and directories to search; by default the working\ndirectory and the active profiles file. Exit status: 0 clean, 1 errors (or\nwarnings with --strict), 2 usage errors, a PATH that is no settings file among\nthem.")
		fmt.Fprintln(c.stderr)
		fs.PrintDefaults()
		fmt.Fprintln(c.stderr, "\nrules:")
		for _, r := range lint.Rules() {
			fmt.Fprintf(c.stderr, "  %-26s %-8s %s\n", r.ID, r.Severity, r.Summary)
		}
	}
	// Flags may follow the paths.
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return exitUsageOrHelp(err)
		}
		if fs.NArg() == 0 {
			break
		}
		paths = append(paths, fs.Arg(0))
		args = fs.Args()[1:]
	}
	write, ok := lintFormats[*format]
	if !ok {
		fmt.Fprintf(c.stderr, "strata lint: unknown format %q; want text, json, sarif or github\n", *format)
		return exitUsage
	}
	for _, id := range disabled {
		if _, ok := lint.LookupRule(id); !ok {
			fmt.Fprintf(c.stderr, "strata lint: unknown rule %q; run \"strata lint --help\" for the rules\n", id)
			return exitUsage
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(c.stderr, "strata lint: %v\n", err)
		return exitFail
	}
	home, _ := os.UserHomeDir()
	findings, err := lint.Run(lint.Options{Paths: paths, Dir: wd, Env: *env, Environ: os.Environ(),
		Home: home, Profile: c.profile, Disabled: disabled,
		PrefectVersion: c.prefectVersion, PydanticSettingsVersion: c.pydanticSettingsVersion})
	if err != nil {
		fmt.Fprintf(c.stderr, "strata lint: %s\n", lint.EscapeName(relativeMsg(err.Error())))
		if _, ok := errors.AsType[*lint.PathError](err); ok {
			return exitUsage
		}
		if _, ok := errors.AsType[*lint.ReleaseError](err); ok {
			return exitUsage // a version given that selects no release
		}
		return exitFail
	}
	if err := write(c.stdout, findings); err != nil {
		fmt.Fprintf(c.stderr, "strata lint: %v\n", err)
		return exitFail
	}
	if lint.HasErrors(findings, *strict) {
		return exitFail
	}
	return exitOK
}
