package release_test

import (
	"strings"
	"testing"

	"github.com/strata-settings/strata/release"
)

// newest and supported are the newest release and the range of releases
// messages name.
var (
	newest    = release.Newest().String()
	supported = "Strata supports Prefect " + release.Oldest().String() + " … " + newest
)

func TestSelect(t *testing.T) {
	for _, tc := range []struct {
		prefect, ps string
		want        string // the release selected
		side        release.Side
		warning     string // a part of the one warning expected
		err         string // the whole error expected
	}{
		{"", "", newest, release.Newer, "", ""},
		{"3.8.3", "", "3.8.3", release.Newer, "", ""},
		{"3.4.25", "2.13.1", "3.4.25", release.Older, "", ""},
		{"3.4.2", "2.14", "3.4.2", release.Newer, "", ""},
		{"3.0.11", "", "3.0.11", release.Newer, "", ""},
		{"v3.6.29", "", "3.6.29", release.Newer, "", ""},
		{"3.99.0", "", newest, release.Newer, "Prefect 3.99.0 is newer than the newest release Strata knows; resolving settings as Prefect " + newest + " does", ""},
		{"3.8.99", "", newest, release.Newer, "resolving settings as Prefect " + newest, ""},
		{"3.5.7", "", "3.5.0", release.Newer, "Prefect 3.5.7 is not a release Strata knows; resolving settings as Prefect 3.5.0 does", ""},
		{"3.0.10", "", "", 0, "", "prefect version 3.0.10 is not supported: " + supported},
		{"2.20.1", "", "", 0, "", "prefect version 2.20.1 is not supported: " + supported},
		{"4.0.0", "", "", 0, "", "prefect version 4.0.0 is not supported: " + supported},
		// One rule for every source: a PEP 440 version is read by its
		// release number, a range as the newest known release inside it.
		{"3.4", "", "3.4.0", release.Newer, "", ""},
		{"3.4.2rc1", "", "3.4.2", release.Newer, "", ""},
		{"3.5.0.dev3", "2.13.1rc1", "3.5.0", release.Older, "", ""},
		{"==3.4.2", "==2.13.1", "3.4.2", release.Older, "", ""},
		{"3.4.2+local.1", "", "3.4.2", release.Newer, "", ""},
		{"~=3.4.0", "", "3.4.25", release.Newer, "", ""},
		{">=3.4,<3.5", "", "3.4.25", release.Newer, "", ""},
		{"==3.4.*", "", "3.4.25", release.Newer, "", ""},
		{"~=3.4", "", newest, release.Newer, "", ""},
		{">=3.6, !=3.8.3, <4", "", "3.8.2", release.Newer, "", ""},
		{"<3.1.0rc1", "", "3.0.11", release.Newer, "", ""},
		{"<3.0.5", "", "", 0, "", `prefect version: no release Strata supports is inside "<3.0.5"; ` + supported},
		// A range no known release is inside is its oldest release:
		// newer ones resolve as the newest, as a newer version does.
		{">=3.98.4", "", newest, release.Newer, `Prefect 3.98.4, the oldest release inside ">=3.98.4", is newer than the newest release Strata knows; resolving settings as Prefect ` + newest + " does", ""},
		{"~=3.99.0", "", newest, release.Newer, `Prefect 3.99.0, the oldest release inside "~=3.99.0", is newer`, ""},
		{"==3.97.*", "", newest, release.Newer, `Prefect 3.97.0, the oldest release inside "==3.97.*", is newer`, ""},
		{">3.96.1", "", newest, release.Newer, `Prefect 3.96.2, the oldest release inside ">3.96.1", is newer`, ""},
		{">3.4.25,<3.5", "", "3.4.25", release.Newer, `Prefect 3.4.26, the oldest release inside ">3.4.25,<3.5", is not a release Strata knows; resolving settings as Prefect 3.4.25 does`, ""},
		{">=4", "", "", 0, "", `prefect version: no release Strata supports is inside ">=4"; ` + supported},
		{">=3.5,<3.5", "", "", 0, "", `prefect version: no release Strata supports is inside ">=3.5,<3.5"; ` + supported},
		{"latest", "", "", 0, "", `prefect version: malformed version "latest": want a version such as 3.4.2, or a range such as ~=3.4.0; ` + supported},
		{"3.4.2\n\x1b[31m", "", "", 0, "", `prefect version: malformed version "3.4.2\n\x1b[31m": want a version such as 3.4.2, or a range such as ~=3.4.0; ` + supported},
		{"3.4.2#c", "", "", 0, "", `prefect version: malformed version "3.4.2#c": want a version such as 3.4.2, or a range such as ~=3.4.0; ` + supported},
		{"1!3.4.2", "", "", 0, "", `prefect version: malformed version "1!3.4.2": want a version such as 3.4.2, or a range such as ~=3.4.0; ` + supported},
		{"3.4.25", "two", "", 0, "", `pydantic-settings version: malformed version "two": want a version such as 2.13.1`},
		{"3.4.25", ">=2.5", "", 0, "", `pydantic-settings version ">=2.5" is a range: give one version, such as 2.13.1`},
		{"3.4.25", "1.0.0", "", 0, "", "pydantic-settings version 1.0.0 is not supported: Prefect 3 runs on pydantic-settings 2"},
	} {
		t.Run(tc.prefect+"/"+tc.ps, func(t *testing.T) {
			rel, warnings, err := release.Select(tc.prefect, tc.ps)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error:\n got %v\nwant %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rel.Version.String() != tc.want || rel.Side != tc.side {
				t.Errorf("selected %s on side %d; want %s on side %d", rel.Version, rel.Side, tc.want, tc.side)
			}
			switch {
			case tc.warning == "" && len(warnings) > 0:
				t.Errorf("unexpected warnings %q", warnings)
			case tc.warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tc.warning)):
				t.Errorf("warnings %q; want one with %q", warnings, tc.warning)
			}
		})
	}
}

// TestSwitches pins each switch at the releases around its change.
func TestSwitches(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prefect string
		ps      string
		want    bool
	}{
		{"tomlfiles", "3.0.11", "", false},
		{"tomlfiles", "3.1.0", "", true},
		{"dotenvpositional", "3.1.1", "", false},
		{"dotenvpositional", "3.1.2", "", true},
		{"dotenvpositional", "3.6.27", "", true},
		{"dotenvpositional", "3.6.27", "2.13.1", false},
		{"dotenvpositional", "3.6.28", "", false},
		{"homemovesprofiles", "3.2.0", "", false},
		{"homemovesprofiles", "3.2.1", "", true},
		{"nestedhomepaths", "3.4.7", "", true},
		{"nestedhomepaths", "3.4.8", "", false},
		{"aliasorder", "3.8.3", "2.13.1", true},
		{"aliasorder", "3.8.3", "2.14.1", false},
		{"aliasorder", "3.8.3", "", false},
	} {
		rel, _, err := release.Select(tc.prefect, tc.ps)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := rel.Switch(tc.name)
		if !ok || got != tc.want {
			t.Errorf("%s on %s: %v (known %v); want %v", tc.name, rel, got, ok, tc.want)
		}
	}
}

func TestSwitchTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range release.Switches() {
		if seen[s.Name] || s.Name != strings.ToLower(s.Name) || s.Doc == "" {
			t.Errorf("switch %q: names must be unique and lower-case, and each has a Doc", s.Name)
		}
		seen[s.Name] = true
	}
}

func TestKnown(t *testing.T) {
	known := release.Known()
	if known[0] != release.Oldest() || known[len(known)-1] != release.Newest() {
		t.Fatalf("known releases run %s … %s; want %s … %s", known[0], known[len(known)-1], release.Oldest(), release.Newest())
	}
	for i := 1; i < len(known); i++ {
		if !known[i-1].Less(known[i]) {
			t.Fatalf("known releases out of order at %s", known[i])
		}
	}
}

// TestSettingCounts checks the number of settings of each release the
// corpora record (the settings of its want/settings.json), and that a patch
// release gets its own schema.
func TestSettingCounts(t *testing.T) {
	for _, tc := range []struct {
		prefect string
		want    int
	}{
		{"3.0.11", 150}, {"3.1.15", 158}, {"3.2.15", 164}, {"3.3.7", 165}, {"3.4.25", 186},
		{"3.5.0", 187}, {"3.6.29", 213}, {"3.7.8", 224}, {"3.8.3", 225},
		{"3.4.2", 164}, // 3.4.0's schema: 22 fewer than 3.4.25's
	} {
		rel, _, err := release.Select(tc.prefect, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := rel.Schema().Len(); got != tc.want {
			t.Errorf("Prefect %s has %d settings; want %d", tc.prefect, got, tc.want)
		}
	}
}

func TestLifetime(t *testing.T) {
	for _, tc := range []struct {
		path           string
		added, removed string
		ok             bool
	}{
		{"api.url", "3.0.11", "", true},
		{"server.api.base_path", "3.2.7", "", true},
		{"cloud.max_log_size", "3.6.4", "", true}, // its published schema lists it from 3.6.5 only
		{"runner.heartbeat_frequency", "3.1.8", "3.6.13", true},
		{"experimental_warn", "3.0.11", "3.1.0", true},
		{"no.such.setting", "", "", false},
	} {
		added, removed, ok := release.Lifetime(tc.path)
		str := func(v release.Version) string {
			if v.IsZero() {
				return ""
			}
			return v.String()
		}
		if ok != tc.ok || str(added) != tc.added || str(removed) != tc.removed {
			t.Errorf("Lifetime(%q) = %s, %s, %v; want %s, %s, %v", tc.path, str(added), str(removed), ok, tc.added, tc.removed, tc.ok)
		}
	}
	if h := release.Having("server.database.migration_timeout"); len(h) == 0 || h[0].String() != "3.8.0" {
		t.Errorf("Having(server.database.migration_timeout) starts at %v; want 3.8.0", h)
	}
}

// TestRequirementAllows pins PEP 440's ordering of pre-, post- and
// development releases against the releases a range is matched with.
func TestRequirementAllows(t *testing.T) {
	for _, tc := range []struct {
		spec    string
		version string
		want    bool
	}{
		{">=3.4.0rc1", "3.4.0", true},
		{">3.4.0rc1", "3.4.0", true},
		{"<3.4.0rc1", "3.4.0", false},
		{"<3.4.0.dev1", "3.3.9", true},
		{"<3.4.0.dev1", "3.4.0", false},
		{">3.4.0.post1", "3.4.0", false},
		{">=3.4.0.post1", "3.4.1", true},
		{"<=3.4", "3.4.0", true},
		{"==3.4", "3.4.0", true},
		{"==3.4.*", "3.4.9", true},
		{"==3.4.*", "3.5.0", false},
		{"!=3.4.*", "3.4.1", false},
		{"~=3.4.2", "3.4.9", true},
		{"~=3.4.2", "3.5.0", false},
		{"~=3.4.2", "3.4.1", false},
		{"~=3.4", "3.9.0", true},
		{"===3.4.2", "3.4.2", true},
		{">= 3.4 , < 3.5", "3.4.7", true},
		{"3.4.2rc1", "3.4.2", true},
	} {
		q, err := release.ParseRequirement(tc.spec)
		if err != nil {
			t.Errorf("ParseRequirement(%q): %v", tc.spec, err)
			continue
		}
		if got := q.Allows(release.MustParseVersion(tc.version)); got != tc.want {
			t.Errorf("%q allows %s: %v; want %v", tc.spec, tc.version, got, tc.want)
		}
	}
	for _, bad := range []string{"", "~=3", "==3.4.*rc1", ">=", "3.4.", "3..4", "3.4.2 3.4.3", "=3.4.2", "3.4.2;", "v", "1234567890.0.0"} {
		if _, err := release.ParseRequirement(bad); err == nil {
			t.Errorf("ParseRequirement(%q) accepted", bad)
		}
	}
}
