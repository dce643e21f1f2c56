package settings

import (
	"fmt"
	"os"
	"strings"

	"github.com/strata-settings/strata/detect"
	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/sources"
)

// VersionSource says where a version that selects the release came from.
type VersionSource uint8

// The sources of a version, highest precedence first.
const (
	FromDefault  VersionSource = iota // none given or found: the newest
	FromOption                        // Options.PrefectVersion or PydanticSettingsVersion
	FromEnv                           // STRATA_PREFECT_VERSION or STRATA_PYDANTIC_SETTINGS_VERSION
	FromDetected                      // the project's virtualenv, lock file or pin
	FromManifest                      // the release a container runs, as its deployment file says (Options.Container)
)

// Version is one version that selects the release, and where it came from.
type Version struct {
	// Version is the version as given or found ("3.4.25", "3.5.0rc1");
	// empty for the default.
	Version string
	// Source says where it came from.
	Source VersionSource
	// Pos is where it was written: for FromDetected the file and line,
	// for FromEnv the variable.
	Pos sources.Position
	// Kind is the kind of file it was detected in.
	Kind detect.Kind
	// From says, for FromManifest, what the deployment file names it by:
	// "image prefecthq/prefect:3.4.22-python3.11".
	From string
}

// Where renders where the version came from: "uv.lock:120", "env
// STRATA_PREFECT_VERSION", "option", or "default".
func (v Version) Where() string {
	switch v.Source {
	case FromOption:
		return "option"
	case FromEnv, FromDetected, FromManifest:
		return v.Pos.String()
	}
	return "default"
}

// Versions are the versions that selected the Prefect release, and where
// each came from.
type Versions struct {
	Prefect          Version
	PydanticSettings Version
	// Skipped are the project files detection passed over (malformed, or a
	// lock file naming no Prefect), when it ran.
	Skipped []detect.Skipped
	// Read and Listed are the files detection read or looked for, and the
	// names it looked for in directories, when it ran (detect.Project):
	// what Watch watches for a change of release.
	Read   []string
	Listed []detect.Pattern
}

// PydanticSettingsAssumed reports whether no pydantic-settings version was
// given or found, so that the newest (2.14 and later, what a fresh install
// gets) is assumed.
func (v *Versions) PydanticSettingsAssumed() bool { return v.PydanticSettings.Version == "" }

// Versions finds the versions that select the release, by precedence:
// the option, the STRATA_ variable, then the release of Options.Container
// when it names one, else the project (its virtualenv, lock files and pins,
// in Dir), each version on its own. It reads the process's environment
// only when Environ is nil, and its working directory only when Dir is
// empty too; with Environ set and no Dir, no project is detected.
func (o Options) Versions() Versions {
	var v Versions
	environ := o.Environ
	if environ == nil {
		environ = os.Environ()
	}
	env := func(name string) (string, bool) {
		for i := len(environ) - 1; i >= 0; i-- {
			if k, val, _ := strings.Cut(environ[i], "="); k == name {
				return val, true
			}
		}
		return "", false
	}
	// A version is read without the white space around it, as every
	// version is (release.ParseVersion); only white space is none.
	pick := func(option, variable string) Version {
		if option = strings.TrimSpace(option); option != "" {
			return Version{Version: option, Source: FromOption}
		}
		if val, ok := env(variable); ok && strings.TrimSpace(val) != "" {
			return Version{Version: strings.TrimSpace(val), Source: FromEnv, Pos: sources.Position{Env: variable}}
		}
		return Version{}
	}
	v.Prefect = pick(o.PrefectVersion, PrefectVersionEnv)
	v.PydanticSettings = pick(o.PydanticSettingsVersion, PydanticSettingsVersionEnv)
	if o.Container != nil && o.Container.versions(&v) {
		return v // the container's release, not the project's on this machine
	}
	if v.Prefect.Source != FromDefault && v.PydanticSettings.Source != FromDefault {
		return v
	}
	dir := o.Dir
	if dir == "" && o.Environ == nil {
		dir, _ = os.Getwd()
	}
	venv, _ := env("VIRTUAL_ENV")
	run := detect.Detect
	if o.Detect != nil {
		run = o.Detect
	}
	p := run(detect.Options{Dir: dir, VirtualEnv: venv})
	v.Skipped, v.Read, v.Listed = p.Skipped, p.Read, p.Listed
	found := func(f detect.Found) Version {
		return Version{Version: f.Version, Source: FromDetected, Pos: f.Pos, Kind: f.Kind}
	}
	if v.Prefect.Source == FromDefault && p.Prefect.OK() {
		v.Prefect = found(p.Prefect)
	}
	if v.PydanticSettings.Source == FromDefault && p.PydanticSettings.OK() {
		v.PydanticSettings = found(p.PydanticSettings)
	}
	return v
}

// Release returns the release the versions select, with the warnings of
// release.Select. Every version, given or detected, is read by the same
// rule (release.ParseRequirement): 3.5.0rc1 as 3.5.0, a range as the newest
// known release inside it. An error about a detected version names the
// file it came from.
func (v *Versions) Release() (*release.Release, []string, error) {
	if err := v.Prefect.unsupported(); err != nil {
		return nil, nil, err
	}
	rel, relWarnings, err := release.Select(v.Prefect.Version, v.PydanticSettings.Version)
	if err != nil {
		// An error about a detected version is at the file that gave it,
		// and at the other such file, if any.
		var e *Error
		for _, x := range []Version{v.Prefect, v.PydanticSettings} {
			switch {
			case x.Source != FromDetected && x.Source != FromManifest:
			case e == nil:
				e = &Error{Pos: x.Pos, Layer: sources.Default, Err: err,
					Msg: fmt.Sprintf("%v; select a release with --prefect-version or %s", err, PrefectVersionEnv)}
			case x.Pos != e.Pos:
				e.Related = append(e.Related, diag.Related{Pos: x.Pos, Message: "the pydantic-settings version is found here"})
			}
		}
		if e != nil {
			return nil, nil, e
		}
		return nil, nil, err
	}
	return rel, relWarnings, nil
}

// pos is where the Prefect version was detected, for the warnings about it.
func (v *Versions) pos() sources.Position {
	if v.Prefect.Source == FromDetected {
		return v.Prefect.Pos
	}
	return sources.Position{}
}
