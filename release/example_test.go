package release_test

import (
	"fmt"
	"strings"

	"github.com/strata-settings/strata/release"
)

// A release is chosen by the Prefect version and the pydantic-settings
// installed beside it; its switches say how it reads its sources.
func ExampleSelect() {
	rel, warnings, err := release.Select("3.4.2", "2.14.1")
	if err != nil {
		panic(err)
	}
	fmt.Println(rel, len(warnings))
	fmt.Println("reads prefect.toml:", rel.TOMLFiles)
	fmt.Println("ignores .env:", rel.DotenvPositional)
	fmt.Println("settings:", rel.Schema().Len())

	_, _, err = release.Select("2.20.0", "")
	refused, _, _ := strings.Cut(err.Error(), ":")
	fmt.Println(refused)
	// Output:
	// Prefect 3.4.2 (pydantic-settings 2.14.1) 0
	// reads prefect.toml: true
	// ignores .env: true
	// settings: 164
	// prefect version 2.20.0 is not supported
}

// Lifetime says when a setting came and went, for messages such as a
// linter's.
func ExampleLifetime() {
	added, removed, _ := release.Lifetime("runner.heartbeat_frequency")
	fmt.Printf("added in %s, removed in %s\n", added, removed)
	// Output: added in 3.1.8, removed in 3.6.13
}
