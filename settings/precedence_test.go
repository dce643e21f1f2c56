package settings_test

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestPrecedenceIsTheKindOrder: the order of the sources.Kind constants is
// the one declaration of precedence; Precedence and every Result's Layers
// follow it.
func TestPrecedenceIsTheKindOrder(t *testing.T) {
	order := settings.Precedence()
	for i, k := range order {
		if int(k) != i {
			t.Errorf("Precedence[%d] = %v; want the Kind of value %d", i, k, i)
		}
	}
	if last := order[len(order)-1]; last != sources.Default {
		t.Errorf("Precedence ends with %v; want default", last)
	}
	r := mustLoad(t, project(t, nil))
	for i, l := range r.Layers {
		if l.Kind != order[i] {
			t.Errorf("Layers[%d] is %v; want %v", i, l.Kind, order[i])
		}
	}
	// The order is the caller's copy: changing it changes no resolution.
	order[0] = sources.Default
	if settings.Precedence()[0] == sources.Default {
		t.Error("changing the slice Precedence returned changed the precedence")
	}
}

// docLayers are the names the precedence table of docs/precedence.md
// gives the layers.
var docLayers = map[string]sources.Kind{
	"group JSON": sources.GroupJSON, "environment": sources.Env, "`.env`": sources.DotEnv,
	"`prefect.toml`": sources.PrefectTOML, "`pyproject.toml`": sources.PyprojectTOML,
	"profile": sources.Profile, "legacy `[experiments.plugins]`": sources.LegacyPlugins,
	"defaults": sources.Default,
}

// TestDocPrecedence checks that the precedence table of docs/precedence.md
// lists every layer, in the order of the Kind constants.
func TestDocPrecedence(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "precedence.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Precedence\n")
	if !ok {
		t.Fatal("docs/precedence.md has no Precedence section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var got []sources.Kind
	for _, m := range regexp.MustCompile(`(?m)^\| ([^|]+?) \|`).FindAllStringSubmatch(section, -1) {
		if k, ok := docLayers[m[1]]; ok {
			got = append(got, k)
		} else if m[1] != "layer" && !strings.HasPrefix(m[1], "-") {
			t.Errorf("docs/precedence.md's precedence table names an unknown layer %q", m[1])
		}
	}
	if want := settings.Precedence(); !slices.Equal(got, want) {
		t.Errorf("docs/precedence.md's precedence table lists %v; want every layer in precedence order, %v", got, want)
	}
}

// TestResolveMatchesLoad: resolving the layers Load read gives Load's
// values and origins.
func TestResolveMatchesLoad(t *testing.T) {
	opts := project(t, map[string]string{
		"home/.prefect/profiles.toml": "active = \"a\"\n[profiles.a]\nPREFECT_API_KEY = \"pnu_k\"\nPREFECT_SERVER_API_PORT = \"4300\"\n",
		"work/prefect.toml":           "[api]\nauth_string = \"u:p\"\nurl = \"http://toml/api\"\n[experiments.plugins]\nenabled = true\n",
		"work/.env":                   "PREFECT_API_URL=http://dotenv/api\nPREFECT_SERVER_API='{\"port\": 4400}'\n",
	}, "PREFECT_UI_API_URL=http://ui/api", `PREFECT_API={"key": "pnu_group"}`)
	want := mustLoad(t, opts)
	var read []*sources.Layer
	for _, l := range want.Layers {
		if l.Kind != sources.GroupJSON && l.Kind != sources.LegacyPlugins {
			read = append(read, l)
		}
	}
	slices.Reverse(read) // any order
	got, err := settings.Resolve(settings.Input{Release: want.Release, Layers: read, ProfilesFile: want.ProfilesFile,
		Environ: opts.Environ, Home: opts.Home})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Values(), want.Values()) {
		t.Error("Resolve's values differ from Load's")
	}
	for i, o := range want.Origins() {
		g := got.Origins()[i]
		if !reflect.DeepEqual(g.Candidates, o.Candidates) || g.Layer != o.Layer || g.Derivation != o.Derivation {
			t.Errorf("%s: origin %v %v; want %v %v", schema.All()[i].Path, g.Layer, g.Candidates, o.Layer, o.Candidates)
		}
	}
	if got.Profile != "a" {
		t.Errorf("profile %q; want a", got.Profile)
	}
	if o, _ := got.Origin("api.key"); o.Layer != sources.GroupJSON {
		t.Errorf("api.key from %v; want group JSON", o.Layer)
	}
}

// TestResolveForeignValues: layers that hold a value for no setting, for
// a setting the release lacks (read for another release) or a group that
// is no string are resolved without them, never a panic.
func TestResolveForeignValues(t *testing.T) {
	old, _, err := release.Select("3.0.11", "")
	if err != nil {
		t.Fatal(err)
	}
	only, ok := old.Schema().ByPath("async_fetch_state_result")
	if !ok || release.Default().Schema().Has(only.Path) {
		t.Fatal("async_fetch_state_result is no longer a setting of 3.0.11 alone")
	}
	port, _ := release.Default().Schema().ByPath("server.api.port")
	l := &sources.Layer{Kind: sources.Env,
		Values: []sources.Value{{Key: "X", Raw: "1"}, {Setting: only, Key: only.Canonical(), Raw: "true"}, {Setting: port, Key: port.Canonical(), Raw: "4300"}},
		Groups: []sources.Value{{Key: "PREFECT_API", Raw: 1, Group: "api"}},
	}
	r, err := settings.Resolve(settings.Input{Layers: []*sources.Layer{l}})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Value("server.api.port"); v != int64(4300) {
		t.Errorf("server.api.port = %v; want 4300", v)
	}
	if o := r.Origins()[only.Index]; len(o.Candidates) != 0 || r.Values()[only.Index] != nil {
		t.Errorf("async_fetch_state_result: %v, candidates %v; want neither in a release without it", r.Values()[only.Index], o.Candidates)
	}
}

// TestEmptyCredentialIsNone: an API key or auth string set empty is no
// credential, for the warning as for Result.Credentials (and lint).
func TestEmptyCredentialIsNone(t *testing.T) {
	for _, tt := range []struct {
		env  []string
		warn bool
	}{
		{[]string{"PREFECT_API_KEY=pnu_k", "PREFECT_API_AUTH_STRING=u:p"}, true},
		{[]string{`PREFECT_API={"key": ""}`, "PREFECT_API_KEY=pnu_k", "PREFECT_API_AUTH_STRING=u:p"}, false},
		{[]string{"PREFECT_API_KEY=pnu_k", "PREFECT_API_AUTH_STRING="}, false},
	} {
		r := mustLoad(t, project(t, nil, tt.env...))
		warned := false
		for _, w := range r.Warnings {
			warned = warned || strings.Contains(w.Msg, "both api.key and api.auth_string")
		}
		if warned != tt.warn {
			t.Errorf("%v: warned %v; want %v", tt.env, warned, tt.warn)
		}
	}
}
