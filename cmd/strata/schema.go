package main

import (
	"fmt"
)

// schema prints the JSON Schema of prefect.toml for the release in force.
func (c *cli) schema() int {
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
