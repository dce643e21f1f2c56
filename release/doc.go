// Package release names the Prefect 3 releases Strata resolves settings
// for, and what changed between them.
//
// Every behaviour that differs between releases is one named switch of one
// table (switches.go), with the first release that has the new behaviour,
// in the manner of Go's internal/godebugs table. Code asks the switch
// (rel.DotenvPositional), never compares version numbers.
//
// A Release is selected by a Prefect version and the version of
// pydantic-settings installed beside it (Prefect runs on whatever
// pydantic-settings the environment holds, and pydantic-settings 2.14
// changed how some releases read their sources):
//
//	rel, warnings, err := release.Select("3.4.2", "2.13.1")
//
// The zero selection, Select("", ""), is the newest release on the newest
// pydantic-settings.
package release
