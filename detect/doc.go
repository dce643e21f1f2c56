// Package detect finds which Prefect and pydantic-settings releases a
// project runs, and where each version was read, so that settings can be
// resolved as that release resolves them.
//
// Versions are read from the project, most reliable first:
//
//	virtualenv  the installed package: $VIRTUAL_ENV, else .venv/ or venv/ in
//	            the working directory (lib/python3*/site-packages/
//	            prefect-*.dist-info/METADATA, its Version: line)
//	lock file   uv.lock, poetry.lock, pdm.lock, Pipfile.lock in the working
//	            directory, in that order
//	pin         an exact pin (prefect==3.4.25) in requirements*.txt,
//	            requirements/*.txt (following -r and -c), pyproject.toml's
//	            dependencies ([project], [dependency-groups], Poetry's and
//	            PDM's tables, uv's overrides and constraints) and Pipfile
//
// Each package is looked up on its own: Prefect may come from a lock file
// while pydantic-settings comes from the virtualenv. A file that cannot be
// read, is malformed or names neither package is passed over; Project.Skipped
// says which were and why. Detection reads only files under the directories
// Options name (and the files a requirements file includes).
package detect
