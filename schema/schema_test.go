package schema_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/strata-settings/strata/schema"
)

// TestCounts pins the facts of Prefect's schema: 225 settings, 330
// environment names, 105 of them legacy aliases.
func TestCounts(t *testing.T) {
	names := map[string]bool{}
	legacy := 0
	for _, s := range schema.All() {
		for _, e := range s.Env {
			names[e] = true
		}
		if s.Legacy() != "" {
			legacy++
		}
		if want := "PREFECT_" + strings.ToUpper(strings.ReplaceAll(s.Path, ".", "_")); s.Canonical() != want {
			t.Errorf("%s: canonical name %s; want %s", s.Path, s.Canonical(), want)
		}
	}
	if len(schema.All()) != 225 || len(names) != 330 || legacy != 105 {
		t.Errorf("%d settings, %d names, %d legacy; want 225, 330, 105", len(schema.All()), len(names), legacy)
	}
}

func TestLookup(t *testing.T) {
	tests := []struct{ name, want string }{
		{"server.api.port", "server.api.port"},
		{"PREFECT_SERVER_API_PORT", "server.api.port"},
		{"prefect_server_csrf_token_expiration", "server.api.csrf_token_expiration"},
		{"PREFECT_UI_URL", "ui_url"},
		{"PREFECT_UI_API_URL", "server.ui.api_url"},
		{"ui.api_url", ""},
		{"PREFECT_PROFILE", ""},
	}
	for _, tt := range tests {
		s, ok := schema.Lookup(tt.name)
		got := ""
		if ok {
			got = s.Path
		}
		if got != tt.want {
			t.Errorf("Lookup(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestJSONSchemaHasEverySetting(t *testing.T) {
	out, err := schema.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range schema.All() {
		node := doc
		for _, k := range strings.Split(s.Path, ".") {
			next, ok := node["properties"].(map[string]any)[k].(map[string]any)
			if !ok {
				t.Fatalf("%s: no property %q", s.Path, k)
			}
			node = next
		}
		if env := node["x-env"].([]any); len(env) != len(s.Env) || env[0] != s.Canonical() {
			t.Errorf("%s: x-env %v", s.Path, env)
		}
	}
	exp := doc["properties"].(map[string]any)["server"].(map[string]any)["properties"].(map[string]any)["api"].(map[string]any)["properties"].(map[string]any)["csrf_token_expiration"].(map[string]any)
	if exp["default"] != "PT1H" || exp["format"] != "duration" {
		t.Errorf("csrf_token_expiration: %v", exp)
	}
}

func TestSecretIsMasked(t *testing.T) {
	s := schema.NewSecret("hunter2")
	for _, got := range []string{s.String(), fmtAll(s)} {
		if strings.Contains(got, "hunter2") {
			t.Errorf("secret shown: %q", got)
		}
	}
	b, _ := json.Marshal(struct{ S schema.SecretString }{s})
	if strings.Contains(string(b), "hunter2") {
		t.Errorf("JSON shows the secret: %s", b)
	}
	if s.Reveal() != "hunter2" {
		t.Error("Reveal lost the value")
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ name, want string }{
		{"PREFECT_API_ULR", "PREFECT_API_URL"},
		{"prefect_api_ulr", "PREFECT_API_URL"},
		{"server.api.prot", "server.api.port"},
		{"ui.api_url", "server.ui.api_url"},
		{"PREFECT_NOTHING_LIKE_IT_AT_ALL_XYZ", ""},
	}
	for _, tt := range tests {
		if got := schema.Suggest(tt.name); got != tt.want {
			t.Errorf("Suggest(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
}
