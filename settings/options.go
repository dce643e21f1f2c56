package settings

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"

	"github.com/strata-settings/strata/detect"
	"github.com/strata-settings/strata/release"
)

// Options say whose settings to resolve. The zero value resolves the
// settings of the running process: its environment, working directory and
// home directory. Setting Environ resolves the settings of another
// environment, and then Load reads nothing from the process: Dir must be
// set, and Home too unless Environ holds HOME.
type Options struct {
	// Environ is the environment as NAME=VALUE strings. Nil means
	// os.Environ(); an empty, non-nil slice means an empty environment.
	Environ []string
	// Dir is the working directory, where .env, prefect.toml and
	// pyproject.toml are read and the project's release is detected. Empty
	// means the process's when Environ is nil, and is an error otherwise.
	// A Dir that does not exist, or is not a directory, is an error.
	Dir string
	// Home is the user's home directory. Empty means HOME from Environ;
	// when Environ is nil and the process has no HOME, the process user's
	// home from the password database, as Python finds it. With Environ
	// set, no home at all is an error: Prefect always has one, and the
	// process's own would bring in its profiles and credentials.
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
	// Detect, when not nil, reads the project's files for its release in
	// place of detect.Detect, given the same options: a caller that has
	// listed the directory, or reads some of its files too, passes what
	// it has (detect.Options.Entries, ReadFile).
	Detect func(detect.Options) *detect.Project

	// processEnv: Environ was nil, so that every resolution of options
	// filled already (Watch fills them once) reads the process's
	// environment afresh; an Environ given stays the one read.
	processEnv bool
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

// resolved fills in the process's values for the unset options, and
// refuses a working directory that does not exist.
func (o Options) resolved() (Options, map[string]string, error) {
	o, env, err := o.fill()
	if err != nil {
		return o, env, err
	}
	if st, err := os.Stat(o.Dir); err != nil {
		return o, env, fmt.Errorf("working directory %q: %w", o.Dir, unwrapPath(err))
	} else if !st.IsDir() {
		return o, env, fmt.Errorf("working directory %q is not a directory", o.Dir)
	}
	return o, env, nil
}

// fill is resolved without looking at the working directory: a watch may
// wait for it to be created.
func (o Options) fill() (Options, map[string]string, error) {
	process := o.Environ == nil || o.processEnv
	if process {
		o.Environ, o.processEnv = os.Environ(), true
	}
	env := make(map[string]string, len(o.Environ))
	for _, kv := range o.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if o.Dir == "" {
		if !process {
			return o, env, errors.New("no working directory: Options.Environ is set and Options.Dir is empty; the process's own is not used for another environment")
		}
		wd, err := os.Getwd()
		if err != nil {
			return o, env, err
		}
		o.Dir = wd
	}
	if o.Home == "" && o.Container != nil {
		o.Home = o.Container.home(o.Container.environ()) // not this machine's
	}
	if o.Home == "" {
		o.Home = env["HOME"]
	}
	if o.Home == "" {
		if !process {
			return o, env, errors.New("no home directory: Options.Environ has no HOME and Options.Home is empty; the process's own is not used for another environment")
		}
		if h, err := os.UserHomeDir(); err == nil {
			o.Home = h
		} else if u, err := user.Current(); err == nil {
			o.Home = u.HomeDir // no HOME: the password database, as Python's expanduser
		}
	}
	return o, env, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
