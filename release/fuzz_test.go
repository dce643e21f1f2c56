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
		if rel.Version.Less(release.Oldest()) || release.Newest().Less(rel.Version) {
			t.Fatalf("selected %s, outside %s … %s", rel.Version, release.Oldest(), release.Newest())
		}
		if rel.Schema().Len() == 0 {
			t.Fatalf("%s has no settings", rel)
		}
	})
}

// FuzzParseRequirement checks that any text is read as one version, a
// range, or refused with an error that quotes it, never panics.
func FuzzParseRequirement(f *testing.F) {
	for _, seed := range []string{"3.4.2", "v3.4", "3.5.0rc1", "~=3.4.0", ">=3.4,<3.5", "==3.4.*", "3.4.2+x.y", "1!2", "3.4.2#c", "3.4.2\x1b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := release.ParseRequirement(s)
		if err != nil {
			if !strings.Contains(err.Error(), "malformed version") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if strings.ContainsFunc(q.String(), func(r rune) bool { return r < ' ' || r == 0x7f }) {
			t.Fatalf("%q accepted with a control character", s)
		}
		if !q.IsRange() {
			if v := q.Version(); v.Major < 0 || v.Minor < 0 || v.Patch < 0 {
				t.Fatalf("%q: version %v", s, v)
			}
		}
		q.Newest(release.Known())
	})
}
