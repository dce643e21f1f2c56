package settings_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-settings/strata/internal/golden"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestGolden resolves every scenario of the corpus recorded from Prefect
// (testdata/golden) through the library and compares with what Prefect
// resolved. The same corpus runs through the CLI in cmd/strata.
func TestGolden(t *testing.T) {
	golden.Run(t, "../testdata/golden", func(t *testing.T, sc *golden.Scenario, root string, env []string) {
		r, err := settings.Load(settings.Options{
			Environ: env, Dir: filepath.Join(root, "work"), Home: filepath.Join(root, "home"),
		})
		checkGolden(t, sc, root, r, err)
	})
}

// checkGolden compares a resolution of the scenario sc, laid out under
// root, with what Prefect resolved.
func checkGolden(t *testing.T, sc *golden.Scenario, root string, r *settings.Result, err error) {
	t.Helper()
	if r != nil {
		checkInForce(t, r)
	}
	{
		switch {
		case sc.Crash:
			// Prefect crashed; Strata either accepts the value or names
			// the setting. Either way it must not panic, which reaching
			// here shows.
			if err != nil {
				checkErrorsPositioned(t, err)
			}
		case sc.Errors != nil:
			if err == nil {
				t.Fatalf("resolution succeeded; want errors for %v", sc.Errors)
			}
			checkErrorsPositioned(t, err)
			text := err.Error()
			var list settings.ErrorList
			if errors.As(err, &list) {
				var b strings.Builder
				for _, e := range list {
					b.WriteString(e.Error() + "\n")
				}
				text = b.String()
			}
			for _, w := range sc.Errors {
				if strings.HasPrefix(w, "(model") {
					continue
				}
				if file, ok := strings.CutPrefix(w, "(file "); ok {
					w = strings.TrimSuffix(file, ")")
				}
				if !strings.Contains(text, w) {
					t.Errorf("errors do not name %q:\n%s", w, text)
				}
			}
		default:
			if err != nil {
				t.Fatalf("resolution failed: %v", err)
			}
			out, err := r.JSON(true)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(strings.ReplaceAll(string(out), root, "$ROOT")), &got); err != nil {
				t.Fatal(err)
			}
			for _, d := range golden.Diff(sc.Settings, got) {
				t.Error(d)
			}
			if sc.Profile != nil && r.Profile != *sc.Profile {
				t.Errorf("profile: want %q, got %q", *sc.Profile, r.Profile)
			}
		}
	}
}

// checkInForce checks that InForce, given the layers r was resolved from,
// names the candidate in force that r's origins name, for every setting.
func checkInForce(t *testing.T, r *settings.Result) {
	t.Helper()
	var read []*sources.Layer
	for _, l := range r.Layers {
		if l.Kind != sources.GroupJSON && l.Kind != sources.LegacyPlugins {
			read = append(read, l)
		}
	}
	all := make([]int, schema.Total)
	for i := range all {
		all[i] = i
	}
	got := settings.InForce(settings.Input{Release: r.Release, Layers: read}, all...)
	for i, o := range r.Origins() {
		want := o.Source()
		if (got[i] == nil) != (want == nil) || want != nil && !reflect.DeepEqual(*got[i], *want) {
			t.Errorf("%s: InForce gives %+v; the resolution's origin %+v", schema.Every(i).Path, got[i], want)
		}
	}
}

// checkErrorsPositioned asserts that every error names a setting or a file.
func checkErrorsPositioned(t *testing.T, err error) {
	t.Helper()
	var list settings.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, not an ErrorList: %v", err, err)
	}
	for _, e := range list {
		if e.Setting == "" && e.Pos.File == "" {
			t.Errorf("error names neither a setting nor a file: %v", e)
		}
	}
}
