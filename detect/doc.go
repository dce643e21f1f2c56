// Package detect finds which Prefect and pydantic-settings releases a
// project runs, and where each version was read, so that settings can be
// resolved as that release resolves them.
//
// Versions are read from the project, most reliable first:
//
//	virtualenv  the installed package: $VIRTUAL_ENV, else .venv/ or venv/ in
//	            the working directory (lib/python3*/site-packages/
//	            prefect-*.dist-info/METADATA, its Version: line)
//	lock file   uv.lock, poetry.lock, pdm.lock, pylock.toml, Pipfile.lock in
//	            the working directory, in that order
//	pin         an exact pin (prefect==3.4.25) in requirements*.txt,
//	            requirements/*.txt (following -r and -c), pyproject.toml's
//	            dependencies ([project], [dependency-groups], Poetry's and
//	            PDM's tables, uv's overrides and constraints) and Pipfile;
//	            else the first range found there (prefect~=3.4.0, Poetry's
//	            ^3.4), which release.ParseRequirement reads as the newest
//	            known release inside it; a pydantic-settings range
//	            (pydantic-settings<2.14) is taken as the newest
//	            pydantic-settings release inside it, with a note
//
// Each package is looked up on its own: Prefect may come from a lock file
// while pydantic-settings comes from the virtualenv. prefect-client, which
// ships the same settings code, counts as Prefect. A file that cannot be
// read, is malformed or names neither package is passed over, and so is an
// entry whose version is not one (junk attached, control characters), a
// requirement from a URL or a path, and an entry after the first for the
// same package in one file; Project.Skipped says which were and why.
// Project.Read and Listed say which files detection read or looked for, so
// that a watcher sees the answer change; a caller that needs only the
// versions (a linter detecting the release of each of many projects) sets
// Options.VersionsOnly, and gets the same versions without them, for less
// work. Detection reads only files under
// the directories Options name (and the files a requirements file
// includes).
//
// The package is public, with a stable API: its Kind, Skipped and Pattern
// are part of settings.Versions (where a version was found, what detection
// passed over, what settings.Watch watches), and Detect alone tells a Go
// tool which release a Python project runs without resolving its settings.
package detect
