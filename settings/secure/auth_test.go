package secure_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

const (
	authString = "admin:pass"
	apiKey     = "pnu_s3cr3tkey"
)

// TestClientServerAuth pairs a real client with a real guarded server for
// every combination of client credentials, against a server with and
// without an auth string.
func TestClientServerAuth(t *testing.T) {
	bothWarning := "both api.key and api.auth_string are set: Strata sends the API key as a Bearer token, but Prefect's Python client sends the auth string, and a server that expects the auth string answers 401"
	clients := []struct {
		name    string
		env     []string
		auth    string // the Authorization header the server sees
		warning string
	}{
		{"neither", nil, "", ""},
		{"auth string", []string{"PREFECT_API_AUTH_STRING=" + authString}, "Basic YWRtaW46cGFzcw==", ""},
		{"wrong auth string", []string{"PREFECT_API_AUTH_STRING=admin:nope"}, "Basic YWRtaW46bm9wZQ==", ""},
		{"key", []string{"PREFECT_API_KEY=" + apiKey}, "Bearer " + apiKey, ""},
		{"both", []string{"PREFECT_API_KEY=" + apiKey, "PREFECT_API_AUTH_STRING=" + authString}, "Bearer " + apiKey, bothWarning},
	}
	servers := []struct {
		name string
		env  []string
		want map[string]int // status by client
	}{
		{"server with auth string", []string{"PREFECT_SERVER_API_AUTH_STRING=" + authString}, map[string]int{
			"neither": 401, "auth string": 200, "wrong auth string": 401, "key": 401, "both": 401,
		}},
		{"server without auth string", nil, map[string]int{
			"neither": 200, "auth string": 200, "wrong auth string": 200, "key": 200, "both": 200,
		}},
	}
	for _, sv := range servers {
		for _, cl := range clients {
			t.Run(sv.name+"/"+cl.name, func(t *testing.T) {
				var s seen
				srv, _ := guarded(t, &s, secure.GuardOptions{}, sv.env...)
				c := client(t, srv, secure.ClientOptions{}, cl.env...)

				status, body := do(t, c, "GET", "/flows", "")
				if status != sv.want[cl.name] {
					t.Errorf("status = %d, want %d (body %s)", status, sv.want[cl.name], body)
				}
				if status == 401 {
					if body != `{"exception_message":"Unauthorized"}` {
						t.Errorf("body = %q", body)
					}
				} else if got := s.last().Header.Get("Authorization"); got != cl.auth {
					t.Errorf("server saw Authorization %q, want %q", got, cl.auth)
				}
				var warnings []string
				for _, w := range c.Warnings() {
					warnings = append(warnings, w.Msg)
				}
				if got := strings.Join(warnings, "\n"); got != cl.warning {
					t.Errorf("warnings = %q, want %q", got, cl.warning)
				}
			})
		}
	}
}

// TestGuardAuthPaths checks which requests need authentication: probes
// on the exact health and readiness paths do not, nor do paths outside
// the API prefix, where Prefect serves its UI.
func TestGuardAuthPaths(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		env    []string
		method string
		path   string
		want   int
	}{
		{"health", "", nil, "GET", "/api/health", 200},
		{"ready", "", nil, "GET", "/api/ready", 200},
		{"health by POST", "", nil, "POST", "/api/health", 401},
		{"health suffix", "", nil, "GET", "/api/flows/health", 401},
		{"health prefix", "", nil, "GET", "/api/healthz", 401},
		{"api root", "", nil, "GET", "/api", 401},
		{"api route", "", nil, "GET", "/api/flows", 401},
		{"ui", "", nil, "GET", "/dashboard", 200},
		{"lookalike prefix", "", nil, "GET", "/apiary", 200},
		{"base path", "", []string{"PREFECT_SERVER_API_BASE_PATH=/prefect/api/"}, "GET", "/prefect/api/flows", 401},
		{"base path health", "", []string{"PREFECT_SERVER_API_BASE_PATH=/prefect/api"}, "GET", "/prefect/api/health", 200},
		{"option prefix", "/v1", nil, "GET", "/v1/health", 200},
		{"option prefix route", "/v1", nil, "GET", "/v1/flows", 401},
		{"root prefix", "/", nil, "GET", "/flows", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s seen
			env := append([]string{"PREFECT_SERVER_API_AUTH_STRING=" + authString}, tt.env...)
			srv, _ := guarded(t, &s, secure.GuardOptions{Prefix: tt.prefix}, env...)
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			resp, body := send(t, req)
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
			// Prefect's answer exactly, and no WWW-Authenticate, which would
			// make a browser show its own login box over the UI's.
			if _, ok := resp.Header["Www-Authenticate"]; ok {
				t.Errorf("WWW-Authenticate = %q, want none", resp.Header.Get("WWW-Authenticate"))
			}
			if tt.want == 401 && (body != `{"exception_message":"Unauthorized"}` || resp.Header.Get("Content-Type") != "application/json") {
				t.Errorf("401 answer = %s %q, want Prefect's", resp.Header.Get("Content-Type"), body)
			}
		})
	}
}

// TestGuardAuthorizationHeader checks the parsing of the header as
// Prefect's server does.
func TestGuardAuthorizationHeader(t *testing.T) {
	tests := []struct {
		name, header string
		want         int
	}{
		{"valid", "Basic YWRtaW46cGFzcw==", 200},
		{"extra spaces", "Basic   YWRtaW46cGFzcw==", 200},
		{"lower-case scheme", "basic YWRtaW46cGFzcw==", 401},
		{"bearer", "Bearer YWRtaW46cGFzcw==", 401},
		{"not base64", "Basic admin:pass", 401},
		{"prefix of the secret", "Basic YWRtaW46cGFz", 401},
		{"three fields", "Basic YWRtaW46cGFzcw== x", 401},
		{"empty", "", 401},
	}
	var s seen
	srv, _ := guarded(t, &s, secure.GuardOptions{}, "PREFECT_SERVER_API_AUTH_STRING="+authString)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/api/flows", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			if resp, _ := send(t, req); resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

// TestGuardEmptyAuthString: an auth string set to "" installs a check that
// no request passes, as in Prefect.
func TestGuardEmptyAuthString(t *testing.T) {
	var s seen
	srv, _ := guarded(t, &s, secure.GuardOptions{}, "PREFECT_SERVER_API_AUTH_STRING=")
	req, _ := http.NewRequest("GET", srv.URL+"/api/flows", nil)
	req.Header.Set("Authorization", "Basic ") // base64 of ""
	if resp, _ := send(t, req); resp.StatusCode != 401 {
		t.Errorf("status = %d, want 401", resp.StatusCode)
	}
}
