package release

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/strata-settings/strata/schema"
)

// Release is the Prefect release whose settings resolution Strata
// reproduces, on one side of pydantic-settings 2.14. Its switches say how
// that release behaves; the table Switches sets them.
type Release struct {
	// Version is the release: a known Prefect release, Oldest … Newest.
	Version Version
	// PydanticSettings is the pydantic-settings version given; zero when
	// none was, which means the newest.
	PydanticSettings Version
	// Side is the side of pydantic-settings 2.14 it is on.
	Side Side

	schemaID string // the settings schema of the release

	TOMLFiles              bool // prefect.toml and pyproject.toml are read (3.1.0)
	ProfilesPathSources    bool // the profiles file may be named in .env, prefect.toml, pyproject.toml (3.1.1)
	ExtraLoggersSet        bool // logging.extra_loggers is a set (3.1.1)
	DotenvFilter           bool // .env keeps only Prefect's environment names (3.1.2)
	AliasLowest            bool // several env names in a profile or TOML file: the lowest-priority one counts (3.1.2)
	DotenvPositional       bool // .env read with shifted arguments, Prefect #21664 (3.1.2 … 3.6.27 on pydantic-settings >= 2.14)
	DefaultProfileFallback bool // no profiles file or unknown profile: the packaged default applies (3.1.5)
	HomeMovesProfiles      bool // PREFECT_HOME moves profiles.toml (3.2.1)
	NestedHomePaths        bool // logging.config_path and co. follow home (before 3.4.8)
	SecondsAfter           bool // late_runs.after_seconds takes "5" as seconds (3.6.2)
	CloudLogCap            bool // max log size capped for Prefect Cloud (3.6.4)
	PostgresNoPassword     bool // PostgreSQL URL parts need no password (3.6.7)
	TOMLLib                bool // TOML 1.0 parser (3.6.14)
	DictTables             bool // a TOML table is a dict setting's value (3.6.21)
	HeadersJSON            bool // client.custom_headers decodes a JSON string at validation (3.4.21)
	PluginsMove            bool // experiments.plugins moved to plugins (3.7.0)
	TOMLErrors             bool // malformed TOML files are errors, not crashes (3.7.2)
	AliasOrder             bool // the first-listed env name wins across sources (pydantic-settings < 2.14)
}

// The bounds of the supported releases (Oldest, Newest).
var (
	oldest = published[0].v
	newest = published[len(published)-1].v
)

// Oldest returns the oldest supported release.
func Oldest() Version { return oldest }

// Newest returns the newest known release.
func Newest() Version { return newest }

// pydanticSettingsChange is PydanticSettingsChange's answer.
var pydanticSettingsChange = v(2, 14, 0)

// PydanticSettingsChange returns the pydantic-settings release that changed
// how Prefect's sources are read: how the .env source takes its arguments
// (Switch dotenvpositional) and which of two env names wins across sources
// (Switch aliasorder).
func PydanticSettingsChange() Version { return pydanticSettingsChange }

// String names the release and, when given, the pydantic-settings version:
// "Prefect 3.4.2 (pydantic-settings 2.13.1)".
func (r *Release) String() string {
	s := "Prefect " + r.Version.String()
	if !r.PydanticSettings.IsZero() {
		s += " (pydantic-settings " + r.PydanticSettings.String() + ")"
	}
	return s
}

// Schema returns the settings of the release: which exist, under which
// names, with which types, constraints and defaults.
func (r *Release) Schema() *schema.Set {
	if r.schemaID == "" {
		return schema.Newest()
	}
	if s, ok := schema.Published(r.schemaID); ok {
		return s
	}
	return schema.Newest()
}

// Switch reports whether the named switch ("dotenvpositional") is on.
func (r *Release) Switch(name string) (on, ok bool) {
	for i := range switches {
		if switches[i].Name == name {
			return *switches[i].on(r), true
		}
	}
	return false, false
}

// Known returns every known Prefect 3 release from the oldest supported
// one, oldest first.
func Known() []Version {
	vs := make([]Version, len(published))
	for i, p := range published {
		vs[i] = p.v
	}
	return vs
}

// Default is the release used when none is selected: the newest, on the
// newest pydantic-settings.
func Default() *Release { return defaultRelease() }

var defaultRelease = sync.OnceValue(func() *Release {
	r, _ := build(newest, Version{}, len(published)-1)
	return r
})

// Select returns the release named by prefect ("3.4.2") on the
// pydantic-settings named by pydanticSettings ("2.13.1"); an empty string
// means the newest of either. A release older than the oldest supported
// one, or malformed, is an error naming the supported range. A release
// newer than the newest known resolves as the newest, and one Strata does
// not know inside the range as the closest older known release; either
// way with a warning. A range of versions stands for the newest known
// release inside it, or, when none is, for the oldest release it allows.
func Select(prefect, pydanticSettings string) (*Release, []string, error) {
	var warnings []string
	ps := Version{}
	if strings.TrimSpace(pydanticSettings) != "" {
		var err error
		ps, err = parsePydanticSettings(pydanticSettings)
		if err != nil {
			return nil, nil, err
		}
	}
	if strings.TrimSpace(prefect) == "" {
		if ps.IsZero() {
			return Default(), nil, nil
		}
		r, _ := build(newest, ps, len(published)-1)
		return r, nil, nil
	}
	q, err := ParseRequirement(prefect)
	if err != nil {
		return nil, nil, fmt.Errorf("prefect version: %w; Strata supports Prefect %s … %s", err, oldest, newest)
	}
	want := q.Version()
	named := "" // how the warnings name want, when the text did not
	if q.IsRange() {
		var ok bool
		if want, ok = q.Newest(Known()); !ok {
			// No known release inside: the range stands for the oldest
			// release it allows, read as that one version would be (a
			// newer one resolves as the newest, with a warning).
			if want, ok = q.lowest(); !ok || want.Major != 3 || want.Less(oldest) {
				return nil, nil, fmt.Errorf("prefect version: no release Strata supports is inside %q; Strata supports Prefect %s … %s", q, oldest, newest)
			}
			named = fmt.Sprintf("%s, the oldest release inside %q,", want, q)
		}
	}
	if named == "" {
		named = want.String()
	}
	switch {
	case want.Major != 3 || want.Less(oldest):
		return nil, nil, fmt.Errorf("prefect version %s is not supported: Strata supports Prefect %s … %s", want, oldest, newest)
	case newest.Less(want):
		warnings = append(warnings, fmt.Sprintf("Prefect %s is newer than the newest release Strata knows; resolving settings as Prefect %s does", named, newest))
		r, _ := build(newest, ps, len(published)-1)
		return r, warnings, nil
	}
	i, found := slices.BinarySearchFunc(published[:], want, func(p pub, w Version) int { return p.v.Compare(w) })
	if !found {
		i--
		warnings = append(warnings, fmt.Sprintf("Prefect %s is not a release Strata knows; resolving settings as Prefect %s does", named, published[i].v))
	}
	r, _ := build(published[i].v, ps, i)
	return r, warnings, nil
}

// parsePydanticSettings reads a pydantic-settings version, "2.13.1" or
// "2.13", as ParseRequirement reads a Prefect one. A range is refused:
// Strata has no table of pydantic-settings releases to choose from.
func parsePydanticSettings(s string) (Version, error) {
	q, err := ParseRequirement(s)
	if err != nil {
		return Version{}, fmt.Errorf("pydantic-settings version: malformed version %q: want a version such as 2.13.1", s)
	}
	if q.IsRange() {
		return Version{}, fmt.Errorf("pydantic-settings version %q is a range: give one version, such as 2.13.1", q)
	}
	ps := q.Version()
	if ps.Major != 2 {
		return Version{}, fmt.Errorf("pydantic-settings version %s is not supported: Prefect 3 runs on pydantic-settings 2", ps)
	}
	return ps, nil
}

// build makes the release at published[i], whose version is rel.
func build(rel, ps Version, i int) (*Release, error) {
	r := &Release{Version: rel, PydanticSettings: ps, Side: Newer, schemaID: published[i].schema}
	if !ps.IsZero() && ps.Less(pydanticSettingsChange) {
		r.Side = Older
	}
	for k := range switches {
		*switches[k].on(r) = switches[k].applies(rel, r.Side)
	}
	return r, nil
}

type pub struct {
	v      Version
	schema string // the folder of its settings schema in third_party/prefect/versions
}

// schemaOf returns the settings of published[i].
func schemaOf(i int) *schema.Set {
	if s, ok := schema.Published(published[i].schema); ok {
		return s
	}
	return schema.Newest()
}
