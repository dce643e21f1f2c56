package settings_test

import (
	"strings"
	"testing"

	"github.com/strata-settings/strata/settings"
)

// TestLoadRelease selects the release from the options, else from the
// environment, and refuses a bad one before reading anything.
func TestLoadRelease(t *testing.T) {
	for _, tc := range []struct {
		name            string
		prefect, ps     string
		env             []string
		want            string // the release resolved
		warning, errMsg string
	}{
		{name: "default is the newest", want: "Prefect 3.8.3"},
		{name: "options", prefect: "3.4.25", ps: "2.13.1", want: "Prefect 3.4.25 (pydantic-settings 2.13.1)"},
		{name: "environment", env: []string{"STRATA_PREFECT_VERSION=3.2.15", "STRATA_PYDANTIC_SETTINGS_VERSION=2.14.1"}, want: "Prefect 3.2.15 (pydantic-settings 2.14.1)"},
		{name: "options beat the environment", prefect: "3.1.15", env: []string{"STRATA_PREFECT_VERSION=3.2.15"}, want: "Prefect 3.1.15"},
		{name: "newer warns", prefect: "3.99.0", want: "Prefect 3.8.3", warning: "Prefect 3.99.0 is newer than the newest release Strata knows"},
		{name: "older fails", prefect: "3.0.0", errMsg: "prefect version 3.0.0 is not supported: Strata supports Prefect 3.0.11 … 3.8.3"},
		{name: "malformed fails", env: []string{"STRATA_PREFECT_VERSION=3.x"}, errMsg: `prefect version: malformed version "3.x": want X.Y.Z, such as 3.4.2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := project(t, nil, tc.env...)
			opts.PrefectVersion, opts.PydanticSettingsVersion = tc.prefect, tc.ps
			r, err := settings.Load(opts)
			if tc.errMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errMsg) {
					t.Fatalf("error %v; want %q", err, tc.errMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Release.String(); got != tc.want {
				t.Errorf("release %q; want %q", got, tc.want)
			}
			var warned []string
			for _, w := range r.Warnings {
				warned = append(warned, w.Msg)
			}
			if tc.warning != "" && !strings.Contains(strings.Join(warned, "\n"), tc.warning) {
				t.Errorf("warnings %q; want %q", warned, tc.warning)
			}
		})
	}
}
