// Package settings resolves Prefect 3 settings exactly as Prefect's Python
// engine does: it merges the layers the sources package reads in the order
// of Precedence (the order of the sources.Kind constants), coerces each
// value by its schema kind, applies Prefect's derivations (the values
// one setting takes from others), validates, and records where every value came from.
//
// Load is the entry point; Resolve merges layers a caller has read already
// (a linter). Their Result holds the typed settings, an Origin for every
// setting (the winning layer and position, every shadowed candidate, the
// derivation of a derived value) and the warnings; Result.IgnoredFor and
// Meant say which keys Prefect ignored were written for a setting. Errors
// and warnings are diagnostics (package diag), rendered
// "file:line:col: error: setting: message"; the library never prints.
package settings
