package settings_test

import (
	"testing"

	"github.com/strata-settings/strata/internal/everyrelease"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestWalkersEveryRelease walks every setting of every release's set
// through the public walkers: the values, origins, dump, diff (within a
// release and across releases), and the change report.
func TestWalkersEveryRelease(t *testing.T) {
	dir, home := t.TempDir(), t.TempDir()
	versions := everyrelease.Versions()
	results := map[string][2]*settings.Result{}
	for _, v := range versions {
		load := func(env []string) *settings.Result {
			t.Helper()
			r, err := settings.Load(settings.Options{Environ: env, Dir: dir, Home: home, PrefectVersion: v})
			if err != nil {
				t.Fatalf("%s: %v", v, err)
			}
			return r
		}
		base := load([]string{})
		changed := load(everyrelease.Environ(base.Schema()))
		results[v] = [2]*settings.Result{base, changed}
	}
	for _, v := range versions {
		t.Run(v, func(t *testing.T) {
			base, changed := results[v][0], results[v][1]
			if _, err := changed.JSON(true); err != nil {
				t.Fatal(err)
			}
			if _, err := changed.Schema().JSONSchema(); err != nil {
				t.Fatal(err)
			}
			set := changed.Schema()
			for _, s := range set.All() {
				if _, ok := changed.Value(s.Path); !ok {
					t.Errorf("Value(%q): not found", s.Path)
				}
				if o, ok := changed.Origin(s.Canonical()); !ok || o.Setting == nil {
					t.Errorf("Origin(%q): not found", s.Canonical())
				}
			}
			n := 0
			for i, o := range changed.Origins() {
				if o.Setting != nil {
					n++
					if o.Setting.Index != i {
						t.Errorf("Origins()[%d] is %s", i, o.Setting.Path)
					}
				}
			}
			if n != set.Len() {
				t.Errorf("%d origins with a setting; want %d", n, set.Len())
			}
			diff := map[string]bool{}
			for _, c := range changed.Diff(base) {
				diff[c.Setting] = true
				if c.Schema() == nil || c.String() == c.Setting+": changed" {
					t.Errorf("change of %s names no setting", c.Setting)
				}
			}
			for _, s := range set.All() {
				o, _ := base.Origin(s.Path)
				if _, ok := everyrelease.Value(s); ok && o.Layer == sources.Default && !diff[s.Path] {
					t.Errorf("Diff: %s set but not reported", s.Path)
				}
			}
			for _, w := range versions {
				other := results[w][1]
				got := map[string]settings.Change{}
				for _, c := range changed.Diff(other) {
					got[c.Setting] = c
					if c.Schema() == nil || c.String() == c.Setting+": changed" {
						t.Errorf("%s after %s: change of %s names no setting", v, w, c.Setting)
					}
				}
				for _, s := range other.Schema().All() {
					was, _ := other.Value(s.Path)
					if !set.Has(s.Path) && was != nil {
						if c, ok := got[s.Path]; !ok || c.New != nil {
							t.Errorf("%s after %s: %s, which only %s has, is not reported gone: %v", v, w, s.Path, w, c)
						}
					}
				}
			}
		})
	}
}
