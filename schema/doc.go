// Package schema describes every Prefect 3 setting: its dotted accessor (the
// TOML key path), its environment variable names (canonical first, then the
// legacy alias), its type, its declared default, its constraints and whether
// it is a secret.
//
// The table and the typed Settings struct are generated from Prefect's
// published settings schema by ./internal/gen (go generate); the hand-written
// part holds the kinds, the lookups, and secret.go: the one place that
// knows what is secret (secret settings, header values, URL passwords,
// keys named like secrets) and how it is shown (Masked, Mask).
package schema

//go:generate go run ./internal/gen -schema ../../shared/prefect/settings.schema.json
