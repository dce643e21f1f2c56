package settings

import (
	"fmt"
	"testing"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		setting string
		layer   sources.Kind
		raw     any
		err     string
	}{
		{"server.api.port", sources.PrefectTOML, int64(4200), ""},
		{"server.api.port", sources.Env, "http", "Input should be a valid integer, unable to parse string as an integer"},
		{"server.api.csrf_token_expiration", sources.Env, "3600", "Input should be a valid timedelta, expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]"},
		{"server.api.csrf_token_expiration", sources.PrefectTOML, int64(3600), ""},
		{"client.max_retries", sources.Env, "-1", "Input should be greater than or equal to 0"},
		{"server.api.cors_allowed_origins", sources.PrefectTOML, []any{"a"}, "Input should be a valid string"},
		{"api.key", sources.PrefectTOML, int64(1234), "Input should be a valid string"},
		{"api.key", sources.Env, "", ""},
	}
	for _, tt := range tests {
		s, _ := schema.ByPath(tt.setting)
		err := Validate(s, tt.layer, tt.raw)
		if got := fmt.Sprint(err); err == nil && tt.err != "" || err != nil && got != tt.err {
			t.Errorf("Validate(%s, %v, %#v) = %v; want %q", tt.setting, tt.layer, tt.raw, err, tt.err)
		}
	}
}
