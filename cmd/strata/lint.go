package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/strata-settings/strata/lint"
)

var lintFormats = map[string]func(io.Writer, []lint.Finding) error{
	"text":   lint.WriteText,
	"json":   lint.WriteJSON,
	"sarif":  lint.WriteSARIF,
	"github": lint.WriteGitHub,
}

// lintOptions are lint's flags.
type lintOptions struct {
	format     string   // the format of stdout: a key of lintFormats
	sarifFile  string   // also write SARIF there
	relativeTo string   // paths under it are printed relative to it
	env        bool     // check the environment's PREFECT_* variables too
	strict     bool     // exit 1 on warnings too
	disabled   []string // the rules turned off
	explain    string   // print this rule's documentation instead of linting
	// skipUnknown passes over named files lint does not read
	skipUnknown bool
}

func (c *cli) lint(paths []string, o lintOptions) int {
	if o.explain != "" {
		return c.explainRule(o.explain, paths)
	}
	write := lintFormats[o.format]
	for _, id := range o.disabled {
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
	findings, err := lint.Run(lint.Options{Paths: paths, Dir: wd, Env: o.env, Environ: os.Environ(),
		Home: home, Profile: c.profile, Disabled: o.disabled,
		PrefectVersion: c.prefectVersion, PydanticSettingsVersion: c.pydanticSettingsVersion,
		AllReleases: o.format == "json", // JSON keeps the record of every directory's release
		Stdin:       c.stdin, SkipUnknown: o.skipUnknown})
	if err != nil {
		c.fatal("strata lint", err)
		if _, ok := errors.AsType[*lint.PathError](err); ok {
			return exitUsage
		}
		if _, ok := errors.AsType[*lint.ReleaseError](err); ok {
			return exitUsage // a version given that selects no release
		}
		return exitFail
	}
	if o.relativeTo != "" {
		relativeTo(findings, o.relativeTo, wd)
	}
	if err := write(c.stdout, findings); err != nil {
		fmt.Fprintf(c.stderr, "strata lint: %v\n", err)
		return exitFail
	}
	// A SARIF file that cannot be written is a usage error, as a path
	// that does not exist: exit 1 would say that the file holds the
	// findings.
	if o.sarifFile != "" {
		if err := writeOutputFile(o.sarifFile, func(w io.Writer) error { return lint.WriteSARIF(w, findings) }); err != nil {
			fmt.Fprintf(c.stderr, "strata lint: --sarif-file %v\n", err)
			return exitUsage
		}
	}
	if lint.HasErrors(findings, o.strict) {
		return exitFail
	}
	return exitOK
}
