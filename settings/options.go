package settings

import (
	"os"
	"strings"
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
