package settings_test

import (
	"strings"
	"testing"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestMeant checks which setting a key Prefect ignored was written for:
// the one it clearly names among the settings of the release the layer was
// read for, and none when it names none.
func TestMeant(t *testing.T) {
	tests := []struct {
		release string // "": the newest
		kind    sources.Kind
		key     string
		want    string // the setting's path; "" for none
	}{
		{"", sources.PrefectTOML, "ui.api_url", "server.ui.api_url"},
		{"", sources.PrefectTOML, "server.api.PORT", "server.api.port"},
		{"", sources.PrefectTOML, `"server.api.port"`, "server.api.port"},
		{"", sources.PrefectTOML, "storage.local.api.url", "api.url"},
		{"", sources.PrefectTOML, "PREFECT_API_URL", "api.url"},
		{"", sources.PrefectTOML, "PREFECT_API_KEY", "api.key"},
		{"", sources.PyprojectTOML, "tool.prefect.ui.api_url", "server.ui.api_url"},
		{"", sources.PrefectTOML, "server.api.prot", "server.api.port"},
		{"", sources.PrefectTOML, "tool.black.line_length", ""},
		{"", sources.Env, "PREFECT_API_ULR", "api.url"},
		{"", sources.DotEnv, "PREFECT_API_ULR", "api.url"},
		{"", sources.Profile, "prefect_api_url", "api.url"},
		{"", sources.Profile, "api.url", "api.url"},
		{"", sources.Env, "PREFECT_SOMETHING_ELSE", ""},
		// A setting only older releases have is found for them, by the
		// names they give it, and not for the newest.
		{"3.4.2", sources.PrefectTOML, "runner.HEARTBEAT_FREQUENCY", "runner.heartbeat_frequency"},
		{"3.4.2", sources.DotEnv, "PREFECT_RUNNER_HEARTBEAT_FREQUENC", "runner.heartbeat_frequency"},
		{"3.4.2", sources.Profile, "runner.heartbeat_frequency", "runner.heartbeat_frequency"},
		{"3.4.2", sources.PrefectTOML, "PREFECT_RUNNER_HEARTBEAT_FREQUENCY", "runner.heartbeat_frequency"},
		{"3.0.11", sources.Env, "PREFECT_SQLALCHEMY_POOL_SIZ", "server.database.sqlalchemy_pool_size"},
		{"", sources.PrefectTOML, "runner.HEARTBEAT_FREQUENCY", "flows.heartbeat_frequency"},
		{"", sources.Profile, "runner.heartbeat_frequency", ""},
		// A setting only newer releases have is no setting of an older one.
		{"3.0.11", sources.Profile, "client.custom_headers", ""},
	}
	for _, tt := range tests {
		set := schema.Newest()
		if tt.release != "" {
			rel, _, err := release.Select(tt.release, "")
			if err != nil {
				t.Fatal(err)
			}
			set = rel.Schema()
		}
		got := ""
		if s, ok := settings.Meant(set, tt.kind, sources.Ignored{Key: tt.key}); ok {
			got = s.Path
		}
		if got != tt.want {
			t.Errorf("Meant(%s, %v, %q) = %q; want %q", set.ID, tt.kind, tt.key, got, tt.want)
		}
	}
	// A table names no setting itself; its keys do.
	if s, ok := settings.Meant(schema.Newest(), sources.PrefectTOML, sources.Ignored{Key: "ui", Keys: []sources.Ignored{{Key: "ui.api_url"}}}); ok {
		t.Errorf("Meant([ui] table) = %s; want none", s.Path)
	}
}

// TestIgnoredFor lists the keys written for a setting across the layers,
// with a reason that says how the setting is written.
func TestIgnoredFor(t *testing.T) {
	r := mustLoad(t, project(t, map[string]string{
		"work/prefect.toml": "[ui]\napi_url = \"http://a/api\"\nhost = \"x\"\n",
		"work/.env":         "PREFECT_SERVER_UI_API_ULR=http://b/api\n",
	}))
	s, _ := schema.Lookup("server.ui.api_url")
	var got []string
	for _, ig := range r.IgnoredFor(s) {
		got = append(got, ig.Layer.String()+" "+ig.Key+" "+ig.Pos.String()[strings.LastIndexByte(ig.Pos.String(), '/')+1:]+": "+ig.Reason)
	}
	want := []string{
		".env PREFECT_SERVER_UI_API_ULR .env:1:1: it names no setting; server.ui.api_url is written PREFECT_SERVER_UI_API_URL",
		"prefect.toml ui.api_url prefect.toml:2:1: it names no setting; server.ui.api_url is written [server.ui] api_url",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("IgnoredFor:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestIgnoredForRelease lists the keys written for a setting that only the
// release resolved has, not the newest.
func TestIgnoredForRelease(t *testing.T) {
	opts := project(t, map[string]string{
		"work/prefect.toml":           "[runner]\nHEARTBEAT_FREQUENCY = 40\n",
		"work/.env":                   "PREFECT_RUNNER_HEARTBEAT_FREQUENC=40\n",
		"home/.prefect/profiles.toml": "active = \"p\"\n[profiles.p]\nrunner.heartbeat_frequency = \"40\"\n",
	})
	opts.PrefectVersion = "3.4.2"
	r := mustLoad(t, opts)
	s, ok := r.Schema().Lookup("runner.heartbeat_frequency")
	if !ok {
		t.Fatal("3.4.2 has no runner.heartbeat_frequency")
	}
	var got []string
	for _, ig := range r.IgnoredFor(s) {
		got = append(got, ig.Layer.String()+" "+ig.Key)
	}
	want := []string{".env PREFECT_RUNNER_HEARTBEAT_FREQUENC", "prefect.toml runner.HEARTBEAT_FREQUENCY", "profile runner.heartbeat_frequency"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("IgnoredFor:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
