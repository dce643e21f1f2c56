// Package profiles edits Prefect profiles files (profiles.toml) in place.
//
// Prefect's own CLI rewrites the whole file on every change and loses
// comments, layout, unknown keys and value types. A Doc instead changes only
// the lines a command concerns: setting a value replaces that one key = value
// expression, unsetting removes its line, a new key goes after the last key of
// its profile, and a new profile is appended at the end. Everything else keeps
// its bytes.
//
// Edit applies a change to a file safely: an advisory lock on a file beside
// it serialises writers, the new text is written to a temporary file in the
// same directory, synced, and renamed over the old one, so a reader sees
// either the old file or the new one, never a mix. A new file is created with
// mode 0600; an existing file keeps its owner, group and mode, and so does
// its lock file, so that a write by root never locks the owner out; a new
// file (and directory) root creates takes the owner of its directory.
//
// Every read that decides a change happens under the lock. Temporary files
// are created 0600 whatever the file's mode, and the next write removes the
// ones a crashed writer left. A lock path that is a symbolic link is
// refused, never followed; an Editor can say when it waits for the lock.
//
// The package is internal: it is the engine of strata's config set, config
// unset and profile commands, whose refusals and messages shape its API, and
// a Go service reads settings (package settings) rather than editing a
// user's profiles. Making it public later breaks nobody; the reverse would.
package profiles
