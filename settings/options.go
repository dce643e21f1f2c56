package settings

import (
	"os"
	"strings"

	"github.com/strata-settings/strata/release"
)

// Options say whose settings to resolve. The zero value resolves the
// settings of the running process: its environment, working directory and
// home directory. Every field can be set to resolve settings for another
// environment; Load reads nothing else from the process.
type Options struct {
	// Environ is the environment as NAME=VALUE strings. Nil means
	// os.Environ(); an empty, non-nil slice means an empty environment.
	Environ []string
	// Dir is the working directory, where .env, prefect.toml and
	// pyproject.toml are read. Empty means the process's.
	Dir string
	// Home is the user's home directory. Empty means HOME from Environ,
	// else the process's home directory.
	Home string
	// Profile, when set, selects the profile as PREFECT_PROFILE does, and
	// takes precedence over it.
	Profile string
	// PrefectVersion is the Prefect release whose resolution to reproduce
	// ("3.4.2"). Empty means STRATA_PREFECT_VERSION from Environ, else the
	// version the project in Dir runs (its virtualenv, lock files or pins),
	// else the newest release Strata knows.
	PrefectVersion string
	// PydanticSettingsVersion is the pydantic-settings version installed
	// beside Prefect ("2.13.1"), which changes how some releases read their
	// sources. Empty means STRATA_PYDANTIC_SETTINGS_VERSION from Environ,
	// else the version the project in Dir runs, else the newest.
	PydanticSettingsVersion string
	// Container, when set, resolves the settings of a container a
	// deployment file describes rather than the process's: its
	// environment, home and mounted files, and the release it runs (see
	// Container). Environ and Dir then serve only to select the release
	// when the container does not name it.
	Container *Container
}

// The environment variables that select the release when Options do not.
const (
	PrefectVersionEnv          = "STRATA_PREFECT_VERSION"
	PydanticSettingsVersionEnv = "STRATA_PYDANTIC_SETTINGS_VERSION"
)

// Release returns the Prefect release the options select, with the
// warnings of release.Select (a release newer than the newest known), or
// an error for a malformed or unsupported version. The versions come from
// the options, else the STRATA_ variables of Environ, else the project in
// Dir (its virtualenv, lock files and pins: see package detect), else the
// newest. It reads the environment only when Environ is nil.
func (o Options) Release() (*release.Release, []string, error) {
	v := o.Versions()
	return v.Release()
}

// resolved fills in the process's values for the unset options.
func (o Options) resolved() (Options, map[string]string, error) {
	if o.Environ == nil {
		o.Environ = os.Environ()
	}
	env := make(map[string]string, len(o.Environ))
	for _, kv := range o.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if o.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return o, env, err
		}
		o.Dir = wd
	}
	if o.Home == "" {
		o.Home = env["HOME"]
	}
	if o.Home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			o.Home = h
		}
	}
	return o, env, nil
}
