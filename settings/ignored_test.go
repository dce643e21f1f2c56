package settings_test

import (
	"strings"
	"testing"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestMeant checks which setting a key Prefect ignored was written for:
// the one it clearly names, and none when it names none.
func TestMeant(t *testing.T) {
	tests := []struct {
		kind sources.Kind
		key  string
		want string // the setting's path; "" for none
	}{
		{sources.PrefectTOML, "ui.api_url", "server.ui.api_url"},
		{sources.PrefectTOML, "server.api.PORT", "server.api.port"},
		{sources.PrefectTOML, `"server.api.port"`, "server.api.port"},
		{sources.PrefectTOML, "storage.local.api.url", "api.url"},
		{sources.PrefectTOML, "PREFECT_API_URL", "api.url"},
		{sources.PrefectTOML, "PREFECT_API_KEY", "api.key"},
		{sources.PyprojectTOML, "tool.prefect.ui.api_url", "server.ui.api_url"},
		{sources.PrefectTOML, "server.api.prot", "server.api.port"},
		{sources.PrefectTOML, "tool.black.line_length", ""},
		{sources.Env, "PREFECT_API_ULR", "api.url"},
		{sources.DotEnv, "PREFECT_API_ULR", "api.url"},
		{sources.Profile, "prefect_api_url", "api.url"},
		{sources.Profile, "api.url", "api.url"},
		{sources.Env, "PREFECT_SOMETHING_ELSE", ""},
	}
	for _, tt := range tests {
		got := ""
		if s, ok := settings.Meant(tt.kind, sources.Ignored{Key: tt.key}); ok {
			got = s.Path
		}
		if got != tt.want {
			t.Errorf("Meant(%v, %q) = %q; want %q", tt.kind, tt.key, got, tt.want)
		}
	}
	// A table names no setting itself; its keys do.
	if s, ok := settings.Meant(sources.PrefectTOML, sources.Ignored{Key: "ui", Keys: []sources.Ignored{{Key: "ui.api_url"}}}); ok {
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
