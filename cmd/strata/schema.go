package main

import (
	"flag"
	"fmt"
)

func init() {
	register("schema", "print the JSON Schema of prefect.toml, for editors", (*cli).schema)
}

func (c *cli) schema(args []string) int {
	fs := flag.NewFlagSet("strata schema", flag.ContinueOnError)
	if code, ok := c.flags(fs, args); !ok {
		return code
	}
	set, _ := c.settingsOf()
	if set == nil {
		return exitFail
	}
	out, err := set.JSONSchema()
	if err != nil {
		fmt.Fprintf(c.stderr, "strata schema: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(c.stdout, "%s\n", out)
	return exitOK
}
