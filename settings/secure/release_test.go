package secure_test

import (
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

// TestClientFollowsRelease checks that a client sends what the selected
// Prefect release's client sends: Prefect 3.0 has no api.auth_string, and
// client.custom_headers arrived in 3.4.8.
func TestClientFollowsRelease(t *testing.T) {
	for _, tc := range []struct {
		release      string
		auth, header string // what the server sees
	}{
		{"3.0.11", "", ""},
		{"3.1.15", "Basic YWRtaW46cGFzcw==", ""},
		{"3.4.7", "Basic YWRtaW46cGFzcw==", ""},
		{"3.4.8", "Basic YWRtaW46cGFzcw==", "abc"},
		{"3.8.3", "Basic YWRtaW46cGFzcw==", "abc"},
	} {
		t.Run(tc.release, func(t *testing.T) {
			var s seen
			srv, _ := guarded(t, &s, secure.GuardOptions{})
			c := client(t, srv, secure.ClientOptions{}, "STRATA_PREFECT_VERSION="+tc.release,
				"PREFECT_API_AUTH_STRING="+authString, `PREFECT_CLIENT_CUSTOM_HEADERS={"X-Proxy-Auth": "abc"}`)
			if status, body := do(t, c, "GET", "/flows", ""); status != 200 {
				t.Fatalf("status = %d (body %s)", status, body)
			}
			h := s.last().Header
			if got := h.Get("Authorization"); got != tc.auth {
				t.Errorf("Authorization %q; want %q", got, tc.auth)
			}
			if got := h.Get("X-Proxy-Auth"); got != tc.header {
				t.Errorf("X-Proxy-Auth %q; want %q", got, tc.header)
			}
		})
	}
}
