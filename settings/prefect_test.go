package settings_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/settings"
)

// TestLoadDetectsRelease selects the release from the option, else the
// variable, else the project's files, else the newest; each version on
// its own, with where it came from.
func TestLoadDetectsRelease(t *testing.T) {
	const (
		uvLock = "version = 1\n\n[[package]]\nname = \"prefect\"\nversion = \"3.4.25\"\n\n[[package]]\nname = \"pydantic-settings\"\nversion = \"2.13.1\"\n"
		meta   = "work/.venv/lib/python3.12/site-packages/prefect-3.6.29.dist-info/METADATA"
	)
	for _, tc := range []struct {
		name        string
		files       map[string]string
		env         []string
		prefect, ps string // option values
		want        string // the release resolved
		prefectFrom string // where the Prefect version came from, files relative to work/
		psFrom      string
		warning     string
		errMsg      string
	}{
		{name: "nothing: the newest, assumed on pydantic-settings 2.14", want: "Prefect " + release.Newest().String(), prefectFrom: "default", psFrom: "default"},
		{
			name:  "lock file",
			files: map[string]string{"work/uv.lock": uvLock},
			want:  "Prefect 3.4.25 (pydantic-settings 2.13.1)", prefectFrom: "uv.lock:5", psFrom: "uv.lock:9",
		},
		{
			name:  "virtualenv before lock file",
			files: map[string]string{"work/uv.lock": uvLock, meta: "Name: prefect\nVersion: 3.6.29\n"},
			want:  "Prefect 3.6.29 (pydantic-settings 2.13.1)", prefectFrom: ".venv/lib/python3.12/site-packages/prefect-3.6.29.dist-info/METADATA:2", psFrom: "uv.lock:9",
		},
		{
			name:  "$VIRTUAL_ENV",
			files: map[string]string{"env/lib/python3.11/site-packages/prefect-3.2.15.dist-info/METADATA": "Version: 3.2.15\n", "work/uv.lock": uvLock},
			env:   []string{"VIRTUAL_ENV=$ROOT/env"},
			want:  "Prefect 3.2.15 (pydantic-settings 2.13.1)", prefectFrom: "../env/lib/python3.11/site-packages/prefect-3.2.15.dist-info/METADATA:1", psFrom: "uv.lock:9",
		},
		{
			name:  "pin",
			files: map[string]string{"work/requirements.txt": "prefect==3.1.15\n"},
			want:  "Prefect 3.1.15", prefectFrom: "requirements.txt:1", psFrom: "default",
		},
		{
			name:  "the variable beats the project",
			files: map[string]string{"work/uv.lock": uvLock},
			env:   []string{"STRATA_PREFECT_VERSION=3.2.15"},
			want:  "Prefect 3.2.15 (pydantic-settings 2.13.1)", prefectFrom: "env STRATA_PREFECT_VERSION", psFrom: "uv.lock:9",
		},
		{
			name:    "the option beats the variable and the project",
			files:   map[string]string{"work/uv.lock": uvLock},
			env:     []string{"STRATA_PREFECT_VERSION=3.2.15", "STRATA_PYDANTIC_SETTINGS_VERSION=2.14.1"},
			prefect: "3.3.7", ps: "2.12.0",
			want: "Prefect 3.3.7 (pydantic-settings 2.12.0)", prefectFrom: "option", psFrom: "option",
		},
		{
			name:  "a pre-release is read as its release",
			files: map[string]string{"work/uv.lock": "[[package]]\nname = \"prefect\"\nversion = \"3.5.0rc1\"\n"},
			want:  "Prefect 3.5.0", prefectFrom: "uv.lock:3", psFrom: "default",
		},
		{
			name:  "a newer release warns at the file",
			files: map[string]string{"work/Pipfile": "[packages]\nprefect = \"==3.99.0\"\n"},
			want:  "Prefect " + release.Newest().String(), prefectFrom: "Pipfile:2", psFrom: "default",
			warning: "Pipfile:2: warning: Prefect 3.99.0 is newer than the newest release Strata knows",
		},
		{
			name:   "an unsupported release fails at the file",
			files:  map[string]string{"work/poetry.lock": "[[package]]\nname = \"prefect\"\nversion = \"2.20.3\"\n"},
			errMsg: "poetry.lock:3: error: prefect version 2.20.3 is not supported: " + "Strata supports Prefect " + release.Oldest().String() + " … " + release.Newest().String() + "; select a release with --prefect-version or STRATA_PREFECT_VERSION",
		},
		{
			name:   "a malformed variable fails naming it",
			env:    []string{"STRATA_PREFECT_VERSION=3.x"},
			errMsg: `prefect version: malformed version "3.x"`,
		},
		{
			name:  "malformed files are passed over",
			files: map[string]string{"work/uv.lock": "[[package]\n", "work/requirements.txt": "prefect==3.0.11\n"},
			want:  "Prefect 3.0.11", prefectFrom: "requirements.txt:1", psFrom: "default",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := project(t, tc.files, tc.env...)
			opts.PrefectVersion, opts.PydanticSettingsVersion = tc.prefect, tc.ps
			r, err := settings.Load(opts)
			if tc.errMsg != "" {
				if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), opts.Dir+string(filepath.Separator), ""), tc.errMsg) {
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
			rel := func(v settings.Version) string {
				w := v.Where()
				if r, err := filepath.Rel(opts.Dir, w); err == nil && filepath.IsAbs(w) {
					return filepath.ToSlash(r)
				}
				return w
			}
			if got := rel(r.Prefect.Prefect); got != tc.prefectFrom {
				t.Errorf("Prefect version from %q; want %q", got, tc.prefectFrom)
			}
			if got := rel(r.Prefect.PydanticSettings); got != tc.psFrom {
				t.Errorf("pydantic-settings version from %q; want %q", got, tc.psFrom)
			}
			if got := r.Prefect.PydanticSettingsAssumed(); got != (tc.psFrom == "default") {
				t.Errorf("PydanticSettingsAssumed = %v", got)
			}
			var warned []string
			for _, w := range r.Warnings {
				warned = append(warned, strings.ReplaceAll(w.String(), opts.Dir+string(filepath.Separator), ""))
			}
			if tc.warning != "" && !strings.Contains(strings.Join(warned, "\n"), tc.warning) {
				t.Errorf("warnings %q; want %q", warned, tc.warning)
			}
		})
	}
}
