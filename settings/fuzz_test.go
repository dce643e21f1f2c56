package settings

import (
	"testing"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// FuzzDecode coerces arbitrary environment strings for every setting: no
// panic, and a failure is always a message, never a partial value.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{"", "0", "1", "true", "PT1H", "1:00:00", "3600", "429, 500", "[1, 2]",
		`{"X-A": "a"}`, "null", "inf", "-1e308", "1_000", " 5 ", "a,,b", "debug", "2 days"} {
		f.Add(seed, uint8(0))
	}
	f.Fuzz(func(t *testing.T, raw string, which uint8) {
		for i := range schema.All() {
			s := &schema.All()[i]
			for _, layer := range []sources.Kind{sources.Env, sources.PrefectTOML} {
				v, err := decode(release.Default(), s, layer, raw)
				if err == nil {
					err = checkConstraint(s, v)
				}
				if err != nil && err.Error() == "" {
					t.Errorf("%s: empty error for %q", s.Path, raw)
				}
			}
		}
	})
}
