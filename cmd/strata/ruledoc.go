package main

import (
	"fmt"

	"github.com/strata-settings/strata/lint"
	"github.com/strata-settings/strata/schema"
)

// explainRule prints the documentation of the rule with the id: what it
// checks, why that matters in Prefect, an example and its fix.
func (c *cli) explainRule(id string, paths []string) int {
	if len(paths) > 0 {
		fmt.Fprintf(c.stderr, "strata lint: --explain takes a rule, not a PATH (%q)\n", paths[0])
		return exitUsage
	}
	d, ok := lint.LookupDoc(id)
	if !ok {
		if near := schema.Nearest(id, ruleIDs()); near != "" {
			fmt.Fprintf(c.stderr, "strata lint: unknown rule %q; did you mean %q?\n", id, near)
		} else {
			fmt.Fprintf(c.stderr, "strata lint: unknown rule %q; run \"strata lint --help\" for the rules\n", id)
		}
		return exitUsage
	}
	fmt.Fprintln(c.stdout, d.Text())
	return exitOK
}
