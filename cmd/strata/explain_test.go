package main

import (
	"testing"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// TestMeantFor checks which keys Prefect ignored explain names for a
// setting: those clearly written for it, and no others.
func TestMeantFor(t *testing.T) {
	tests := []struct {
		kind    sources.Kind
		key     string
		setting string
		want    bool
	}{
		{sources.PrefectTOML, "ui.api_url", "server.ui.api_url", true},
		{sources.PrefectTOML, "server.api.PORT", "server.api.port", true},
		{sources.PrefectTOML, `"server.api.port"`, "server.api.port", true},
		{sources.PrefectTOML, "storage.local.api.url", "api.url", true},
		{sources.PrefectTOML, "PREFECT_API_URL", "api.url", true},
		{sources.PyprojectTOML, "tool.prefect.ui.api_url", "server.ui.api_url", true},
		{sources.PrefectTOML, "server.api.prot", "server.api.port", true},
		{sources.PrefectTOML, "ui.api_url", "api.url", false},
		{sources.PrefectTOML, "PREFECT_API_KEY", "api.url", false},
		{sources.PrefectTOML, "tool.black.line_length", "server.api.port", false},
		{sources.Env, "PREFECT_API_ULR", "api.url", true},
		{sources.DotEnv, "PREFECT_API_ULR", "api.url", true},
		{sources.Profile, "prefect_api_url", "api.url", true},
		{sources.Profile, "api.url", "api.url", true},
		{sources.Env, "PREFECT_API_ULR", "server.ui.api_url", false},
		{sources.Env, "PREFECT_SOMETHING_ELSE", "api.url", false},
	}
	for _, tt := range tests {
		s, ok := schema.Lookup(tt.setting)
		if !ok {
			t.Fatalf("no setting %s", tt.setting)
		}
		if got := meantFor(tt.kind, sources.Ignored{Key: tt.key}, s); got != tt.want {
			t.Errorf("meantFor(%v, %q, %s) = %v; want %v", tt.kind, tt.key, tt.setting, got, tt.want)
		}
	}
}
