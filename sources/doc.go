// Package sources reads the layers Prefect settings come from: the process
// environment, the .env file, prefect.toml, pyproject.toml's [tool.prefect]
// table and the active profile of profiles.toml.
//
// Every loader yields a Layer: the raw values it found, each with the key
// exactly as written and the position it was written at. Sources do not
// coerce values; the settings package decides what they mean.
//
// The package is public, with a stable API, because its types are the
// vocabulary of every public result: a Position is where a diagnostic
// (package diag), a settings.Error, a Warning or a Candidate was written; a
// Kind is the layer of an Origin or a Candidate; Layer, Value and Ignored
// are what settings.Resolve merges and Result.Layers holds; ProfilesFile
// says which profiles file applied; SyntaxError, ReadError, FileError and
// ValueError are what errors.As finds in a settings.ErrorList. The readers
// (Reader, ReadEnv, ReadDotEnv, ParsePrefectTOML, ParsePyproject,
// ReadProfiles, ParseDotEnv) let a caller that holds the files, as a linter
// does, read them as Prefect does and hand the layers to settings.Resolve.
// ReadFile and the Max limits are the bounds every reader of a settings file
// applies; the file and TOML helpers beside them (OpenRegular, ReadFileMax,
// CheckTOML10, ScanTOMLWork, TOMLError, TOMLHint, TOMLKey) read files and
// TOML exactly as the readers do, for the module's other readers (packages
// deploy, detect and lint, and the profile editor), so that every file is
// read within the same bounds and its errors worded the same way.
package sources
