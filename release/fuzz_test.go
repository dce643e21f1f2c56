package release_test

import (
	"strings"
	"testing"

	"github.com/strata-settings/strata/release"
)

// FuzzSelect checks that any pair of versions selects a known release or
// is refused with an error naming the supported range, never panics.
func FuzzSelect(f *testing.F) {
	for _, seed := range [][2]string{{"3.4.2", "2.13.1"}, {"", ""}, {"3.99.0", "2.14"}, {"v3.0.11", ""}, {"3.0.0", "1.0"}, {"3..1", "2."}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, prefect, ps string) {
		rel, _, err := release.Select(prefect, ps)
		if err != nil {
			if !strings.Contains(err.Error(), "version") {
				t.Fatalf("error %q does not say which version", err)
			}
			return
		}
		if rel.Version.Less(release.Oldest) || release.Newest.Less(rel.Version) {
			t.Fatalf("selected %s, outside %s … %s", rel.Version, release.Oldest, release.Newest)
		}
		if rel.Schema().Len() == 0 {
			t.Fatalf("%s has no settings", rel)
		}
	})
}
