package secure_test

import (
	"net/http"
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

// TestCORS follows Starlette's CORSMiddleware as Prefect configures it.
func TestCORS(t *testing.T) {
	const allMethods = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
	tests := []struct {
		name    string
		env     []string
		method  string
		headers map[string]string
		want    int
		body    string            // checked when set
		resp    map[string]string // response headers; "" means absent
	}{
		{"no origin", nil, "GET", nil, 200, "",
			map[string]string{"Access-Control-Allow-Origin": ""}},
		{"any origin, simple", nil, "GET", map[string]string{"Origin": "https://a.example"}, 200, "",
			map[string]string{"Access-Control-Allow-Origin": "*", "Vary": ""}},
		{"any origin with a cookie", nil, "GET", map[string]string{"Origin": "https://a.example", "Cookie": "c=1"}, 200, "",
			map[string]string{"Access-Control-Allow-Origin": "https://a.example", "Vary": "Origin"}},
		{"listed origin, simple", []string{"PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS=https://a.example,https://b.example"},
			"GET", map[string]string{"Origin": "https://b.example"}, 200, "",
			map[string]string{"Access-Control-Allow-Origin": "https://b.example", "Vary": "Origin"}},
		{"unlisted origin, simple: served without the header", []string{"PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS=https://a.example"},
			"GET", map[string]string{"Origin": "https://evil.example"}, 200, "",
			map[string]string{"Access-Control-Allow-Origin": ""}},
		{"any origin, preflight", nil, "OPTIONS",
			map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "POST"}, 200, "OK",
			map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": allMethods,
				"Access-Control-Max-Age": "600", "Access-Control-Allow-Headers": "", "Vary": ""}},
		{"any header mirrors the request", nil, "OPTIONS",
			map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "x-custom, authorization"}, 200, "OK",
			map[string]string{"Access-Control-Allow-Headers": "x-custom, authorization"}},
		{"listed origin, preflight", []string{"PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS=https://a.example"}, "OPTIONS",
			map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "PUT"}, 200, "OK",
			map[string]string{"Access-Control-Allow-Origin": "https://a.example", "Vary": "Origin"}},
		{"refused origin, preflight", []string{"PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS=https://a.example"}, "OPTIONS",
			map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}, 400, "Disallowed CORS origin",
			map[string]string{"Access-Control-Allow-Origin": "", "Vary": "Origin"}},
		{"origins are not trimmed", []string{"PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS=https://a.example, https://b.example"}, "OPTIONS",
			map[string]string{"Origin": "https://b.example", "Access-Control-Request-Method": "GET"}, 400, "Disallowed CORS origin", nil},
		{"refused method", []string{"PREFECT_SERVER_API_CORS_ALLOWED_METHODS=GET,POST"}, "OPTIONS",
			map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "DELETE"}, 400, "Disallowed CORS method",
			map[string]string{"Access-Control-Allow-Methods": "GET, POST"}},
		{"refused origin and method", []string{"PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS=https://a.example",
			"PREFECT_SERVER_API_CORS_ALLOWED_METHODS=GET"}, "OPTIONS",
			map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "DELETE"}, 400, "Disallowed CORS origin, method", nil},
		{"listed headers", []string{"PREFECT_SERVER_API_CORS_ALLOWED_HEADERS=X-Custom"}, "OPTIONS",
			map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "x-custom, Content-Type"}, 200, "OK",
			map[string]string{"Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Language, Content-Type, X-Custom"}},
		{"refused header", []string{"PREFECT_SERVER_API_CORS_ALLOWED_HEADERS=X-Custom"}, "OPTIONS",
			map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "x-other"}, 400, "Disallowed CORS headers", nil},
		{"OPTIONS without a requested method is not a preflight", []string{"PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS=https://a.example"},
			"OPTIONS", map[string]string{"Origin": "https://evil.example"}, 200, "",
			map[string]string{"Access-Control-Allow-Origin": ""}},
		{"preflight needs no credentials", []string{"PREFECT_SERVER_API_AUTH_STRING=" + authString}, "OPTIONS",
			map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "POST"}, 200, "OK", nil},
		{"a refusal still carries CORS headers", []string{"PREFECT_SERVER_API_AUTH_STRING=" + authString}, "GET",
			map[string]string{"Origin": "https://a.example"}, 401, "",
			map[string]string{"Access-Control-Allow-Origin": "*"}},
		{"preflight passes the CSRF check", []string{"PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true"}, "OPTIONS",
			map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "POST"}, 200, "OK", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s seen
			srv, _ := guarded(t, &s, secure.GuardOptions{}, tt.env...)
			req, _ := http.NewRequest(tt.method, srv.URL+"/api/flows", nil)
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, body := send(t, req)
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d (%s)", resp.StatusCode, tt.want, body)
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			for k, want := range tt.resp {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}
