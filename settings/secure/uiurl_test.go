package secure_test

import (
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

// TestUIAPIURL reuses the engine's derivation of server.ui.api_url.
func TestUIAPIURL(t *testing.T) {
	tests := []struct {
		env  []string
		want string
	}{
		{nil, "http://127.0.0.1:4200/api"},
		{[]string{"PREFECT_SERVER_API_HOST=0.0.0.0", "PREFECT_SERVER_API_PORT=4300", "PREFECT_SERVER_API_BASE_PATH=/x"}, "http://0.0.0.0:4300/api"},
		{[]string{"PREFECT_API_URL=https://prefect.example/api"}, "https://prefect.example/api"},
		{[]string{"PREFECT_API_URL=https://prefect.example/api", "PREFECT_UI_API_URL=/api"}, "/api"},
	}
	for _, tt := range tests {
		if got := secure.UIAPIURL(load(t, tt.env...)); got != tt.want {
			t.Errorf("%q: UIAPIURL = %q, want %q", tt.env, got, tt.want)
		}
	}
}
