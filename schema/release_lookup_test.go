package schema_test

import (
	"testing"

	"github.com/strata-settings/strata/schema"
)

// TestSetSuggest checks that a set suggests its own names: a project on
// an older release is pointed at the names Prefect of that release reads.
func TestSetSuggest(t *testing.T) {
	old, ok := schema.Published("3.4.2")
	if !ok {
		t.Fatal("no schema 3.4.2")
	}
	tests := []struct {
		set        *schema.Set
		name, want string
		key        bool
	}{
		{old, "PREFECT_RUNNER_HEARTBEAT_FREQUENC", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY", false},
		{schema.Newest(), "PREFECT_RUNNER_HEARTBEAT_FREQUENC", "PREFECT_FLOWS_HEARTBEAT_FREQUENCY", false},
		{old, "runner.heartbeat_frequenc", "runner.heartbeat_frequency", true},
		{old, "PREFECT_FLOWS_HEARTBEAT_FREQUENC", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY", false}, // the release has no flows group
		{old, "PREFECT_ORION_API_PORT", "PREFECT_SERVER_API_PORT", false},
	}
	for _, tt := range tests {
		got := tt.set.Suggest(tt.name)
		if tt.key {
			got = tt.set.SuggestKey(tt.name)
		}
		if got != tt.want {
			t.Errorf("%s: Suggest(%q) = %q; want %q", tt.set.ID, tt.name, got, tt.want)
		}
	}
	if schema.Suggest("PREFECT_API_ULR") != schema.Newest().Suggest("PREFECT_API_ULR") {
		t.Error("Suggest is not the newest set's")
	}
}

// TestEver finds a name in whichever release has it, the newest meaning
// first.
func TestEver(t *testing.T) {
	tests := []struct{ name, want string }{
		{"server.database.sqlalchemy_pool_size", "server.database.sqlalchemy_pool_size"}, // only older releases
		{"PREFECT_ASYNC_FETCH_STATE_RESULT", "async_fetch_state_result"},                 // only 3.0
		{"PREFECT_RUNNER_HEARTBEAT_FREQUENCY", "flows.heartbeat_frequency"},              // the newest's legacy name
		{"api.url", "api.url"},
	}
	for _, tt := range tests {
		s, ok := schema.Ever().Lookup(tt.name)
		if !ok || s.Path != tt.want {
			t.Errorf("Ever().Lookup(%q) = %v, %v; want %s", tt.name, s, ok, tt.want)
		}
	}
	if _, ok := schema.Ever().Lookup("PREFECT_NO_SUCH_SETTING"); ok {
		t.Error("Ever found a name no release has")
	}
}

// TestMaskedIn masks by the set's setting, else by any release's: a
// setting the release lacks may still hold a credential.
func TestMaskedIn(t *testing.T) {
	old, _ := schema.Published("3.0.11")
	tests := []struct {
		set   *schema.Set
		name  string
		value any
		want  any
	}{
		{old, "PREFECT_CLIENT_CUSTOM_HEADERS", `{"X-Token": "t"}`, `{"X-Token": "********"}`}, // 3.0.11 has no custom headers
		{old, "PREFECT_API_KEY", "pnu_x", "********"},
		{old, "PREFECT_SQLALCHEMY_POOL_SIZE", "5", "5"},
		{old, "MY_TOKEN", "t", "********"},
		{schema.Newest(), "PREFECT_API_URL", "https://u:p@h/api", "https://u:********@h/api"},
	}
	for _, tt := range tests {
		if got := schema.MaskedIn(tt.set, tt.name, tt.value); got != tt.want {
			t.Errorf("MaskedIn(%s, %s, %v) = %v; want %v", tt.set.ID, tt.name, tt.value, got, tt.want)
		}
	}
}
