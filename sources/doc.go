// Package sources reads the layers Prefect settings come from: the process
// environment, the .env file, prefect.toml, pyproject.toml's [tool.prefect]
// table and the active profile of profiles.toml.
//
// Every loader yields a Layer: the raw values it found, each with the key
// exactly as written and the position it was written at. Sources do not
// coerce values; the settings package decides what they mean.
package sources
