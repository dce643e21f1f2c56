// Package schema describes every Prefect 3 setting: its dotted accessor (the
// TOML key path), its environment variable names (canonical first, then the
// legacy alias), its type, its declared default, its constraints and whether
// it is a secret.
//
// The table and the typed Settings struct are generated from Prefect's
// published settings schema by ./internal/gen (go generate); the hand-written
// part holds the kinds, the lookups and the Secret type.
package schema

//go:generate go run ./internal/gen -schema ../../shared/prefect/settings.schema.json
