// Package settings resolves Prefect 3 settings exactly as Prefect's Python
// engine does: it merges the layers the sources package reads in the order
// of Precedence, coerces each value by its schema kind, applies Prefect's
// cross-setting rules, validates, and records where every value came from.
//
// Load is the entry point. Its Result holds the typed settings, an Origin
// for every setting (the winning layer and position, every shadowed
// candidate, the rule that derived the value) and the warnings; the library
// never prints.
package settings
