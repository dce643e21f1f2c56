package main

import (
	"fmt"
	"strings"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
)

// settingsOf returns the settings of the release the flags or the
// environment select; on a bad version it prints the error and returns
// nil.
func (c *cli) settingsOf() (*schema.Set, *release.Release) {
	rel := c.release()
	if rel == nil {
		return nil, nil
	}
	return rel.Schema(), rel
}

// notInRelease explains why name, a setting of some other Prefect release,
// is not one of rel's: "server.database.migration_timeout was added in
// Prefect 3.8.0; Prefect 3.4.25 does not have it". It returns nil when no
// release has such a setting.
func notInRelease(rel *release.Release, name string) error {
	path := name
	for _, v := range release.Known() {
		r, _, err := release.Select(v.String(), "")
		if err != nil {
			continue
		}
		if s, ok := r.Schema().Lookup(name); ok {
			path = s.Path
			break
		}
		if s, ok := r.Schema().ByPath(strings.ToLower(name)); ok {
			path = s.Path
			break
		}
	}
	added, removed, ok := release.Lifetime(path)
	switch {
	case !ok:
		return nil
	case rel.Version.Less(added):
		return fmt.Errorf("setting %q was added in Prefect %s; Prefect %s does not have it (select another release with --prefect-version)", name, added, rel.Version)
	case !removed.IsZero() && !rel.Version.Less(removed):
		return fmt.Errorf("setting %q was removed in Prefect %s; Prefect %s does not have it (select another release with --prefect-version)", name, removed, rel.Version)
	}
	return nil // the release has it: name is misspelt for it
}
