package secure_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strata-settings/strata/settings/secure"
)

// TestCSRFNotForCloud: as Prefect's client, no CSRF token is asked of
// Prefect Cloud: api.url starting with cloud.api_url turns CSRF support
// off from the start.
func TestCSRFNotForCloud(t *testing.T) {
	tests := []struct {
		name    string
		cloud   func(srv string) string // cloud.api_url
		enabled bool
	}{
		{"cloud", func(srv string) string { return srv + "/api" }, false},
		{"cloud prefix of a workspace URL", func(srv string) string { return srv }, false},
		{"a server", func(string) string { return "https://api.prefect.cloud/api" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s seen
			srv, fetches := csrfServer(t, &s, nil)
			c := client(t, srv, secure.ClientOptions{}, "PREFECT_CLOUD_API_URL="+tt.cloud(srv.URL), "PREFECT_API_KEY="+apiKey)
			if c.CSRFEnabled() != tt.enabled {
				t.Errorf("CSRFEnabled() = %v before any request, want %v", c.CSRFEnabled(), tt.enabled)
			}
			if status, body := do(t, c, "POST", "/flows", "{}"); status != 200 {
				t.Fatalf("status = %d: %s", status, body)
			}
			want := int32(1)
			if !tt.enabled {
				want = 0
			}
			if fetches.Load() != want {
				t.Errorf("token fetches = %d, want %d", fetches.Load(), want)
			}
		})
	}
}

// TestClientAccessors: the client says whether it sends CSRF tokens, under
// which client id, which custom headers it drops, and names Strata's
// version in its User-Agent.
func TestClientAccessors(t *testing.T) {
	var s seen
	srv, _ := guarded(t, &s, secure.GuardOptions{})
	c := client(t, srv, secure.ClientOptions{},
		`PREFECT_CLIENT_CUSTOM_HEADERS={"X-Team": "data", "user-agent": "evil/1", "Prefect-Csrf-Client": "forged"}`)
	if !c.CSRFEnabled() {
		t.Error("CSRFEnabled() = false before any request")
	}
	if id := c.ClientID(); len(id) != 36 || id != c.Transport().ClientID() {
		t.Errorf("ClientID() = %q", id)
	}
	if got, want := c.DroppedHeaders(), []string{"Prefect-Csrf-Client", "user-agent"}; !slices.Equal(got, want) {
		t.Errorf("DroppedHeaders() = %q, want %q", got, want)
	}
	c.DroppedHeaders()[0] = "changed"
	if c.DroppedHeaders()[0] != "Prefect-Csrf-Client" {
		t.Error("DroppedHeaders() shares its slice")
	}
	do(t, c, "GET", "/flows", "")
	// A test binary is a development build of the module.
	if ua := s.last().Header.Get("User-Agent"); ua != "strata/(devel)" {
		t.Errorf("User-Agent = %q, want strata/(devel)", ua)
	}
}

// TestClientMaintenanceBounded: a server that stays in maintenance, even
// asking for no wait at all, cannot keep a request going for ever: each
// wait lasts at least a second, and the waits end at MaxMaintenance or
// with the context.
func TestClientMaintenanceBounded(t *testing.T) {
	maint := &scripted{script: []int{503}, header: func(int) http.Header {
		return http.Header{"Prefect-Maintenance": {"true"}, "Retry-After": {"0"}}
	}}
	srv := httptest.NewServer(maint)
	t.Cleanup(srv.Close)
	var waits sleeps
	c := client(t, srv, secure.ClientOptions{Sleep: waits.Sleep, MaxMaintenance: 10 * time.Second},
		"PREFECT_CLIENT_MAX_RETRIES=0", "PREFECT_CLIENT_RETRY_JITTER_FACTOR=0")
	if status, _ := do(t, c, "GET", "/flows", ""); status != 503 {
		t.Errorf("status = %d, want 503", status)
	}
	if got := waits.All(); len(got) != 10 || slices.ContainsFunc(got, func(d time.Duration) bool { return d != time.Second }) {
		t.Errorf("waits = %v, want ten of 1s", got)
	}

	ctx, cancel := context.WithCancel(t.Context())
	var n atomic.Int32
	c = client(t, srv, secure.ClientOptions{Sleep: func(ctx context.Context, d time.Duration) error {
		if n.Add(1) == 3 {
			cancel()
		}
		return ctx.Err()
	}}, "PREFECT_CLIENT_MAX_RETRIES=0")
	req, _ := c.NewRequest(ctx, "GET", "/flows", nil)
	if _, err := c.Do(req); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want the context's", err)
	}
}

// TestClientBufferLimit: a body without GetBody larger than
// MaxBufferedBody is sent whole, once.
func TestClientBufferLimit(t *testing.T) {
	h := &scripted{script: []int{503, 200}}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := client(t, srv, secure.ClientOptions{MaxBufferedBody: 4}, "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false")
	req, _ := c.NewRequest(t.Context(), "POST", "/flows", io.NopCloser(strings.NewReader(`{"a":1}`)))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || h.attempts != 1 || h.bodies[0] != `{"a":1}` {
		t.Errorf("status %d after %d attempts, bodies %q", resp.StatusCode, h.attempts, h.bodies)
	}
}

// refusingServer issues tokens and refuses the first n state-changing
// requests as Prefect refuses a CSRF token it no longer knows.
type refusingServer struct {
	mu     sync.Mutex
	refuse int
	issued int
	tokens []string // the token each state-changing request carried
	bodies []string
}

func (s *refusingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == "/api/csrf-token" {
		s.issued++
		fmt.Fprintf(w, `{"token": "tok%d", "client": %q, "expiration": "2999-01-01T00:00:00Z"}`, s.issued, r.URL.Query().Get("client"))
		return
	}
	body, _ := io.ReadAll(r.Body)
	s.tokens = append(s.tokens, r.Header.Get("Prefect-Csrf-Token"))
	s.bodies = append(s.bodies, string(body))
	if s.refuse > 0 {
		s.refuse--
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"detail":"Invalid CSRF token or client identifier."}`)
	}
}

// TestCSRFRefusedBodyWithoutGetBody: a refused token is replaced and the
// request, whose body has no GetBody, is sent again with the same body.
func TestCSRFRefusedBodyWithoutGetBody(t *testing.T) {
	h := &refusingServer{refuse: 1}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := client(t, srv, secure.ClientOptions{})
	req, _ := c.NewRequest(t.Context(), "POST", "/flows", io.NopCloser(strings.NewReader(`{"name":"x"}`)))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !slices.Equal(h.tokens, []string{"tok1", "tok2"}) ||
		!slices.Equal(h.bodies, []string{`{"name":"x"}`, `{"name":"x"}`}) {
		t.Errorf("status %d, tokens %q, bodies %q", resp.StatusCode, h.tokens, h.bodies)
	}
}

// TestCSRFRefusedTokenDropped: a token refused by a request that cannot
// be retried (no retries left, or a body too large to keep) is dropped
// all the same, so the next request fetches a new one.
func TestCSRFRefusedTokenDropped(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		opts secure.ClientOptions
	}{
		{"no retries", []string{"PREFECT_CLIENT_MAX_RETRIES=0"}, secure.ClientOptions{}},
		{"body too large to keep", nil, secure.ClientOptions{MaxBufferedBody: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &refusingServer{refuse: 1}
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			c := client(t, srv, tt.opts, tt.env...)
			req, _ := c.NewRequest(t.Context(), "POST", "/flows", io.NopCloser(strings.NewReader(`{"n":1}`)))
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 403 {
				t.Fatalf("first status = %d, want the refusal", resp.StatusCode)
			}
			if status, _ := do(t, c, "POST", "/flows", "{}"); status != 200 {
				t.Errorf("second status = %d", status)
			}
			if !slices.Equal(h.tokens, []string{"tok1", "tok2"}) {
				t.Errorf("tokens sent = %q, want a new one after the refusal", h.tokens)
			}
		})
	}
}

// TestClientRedirects: redirects are followed, as Prefect's client does;
// one within the API keeps its headers, one to another origin (host, port
// or scheme) carries neither credentials nor custom headers.
func TestClientRedirects(t *testing.T) {
	var other seen
	elsewhere := httptest.NewServer(other.handler())
	t.Cleanup(elsewhere.Close)
	var api seen
	var hops atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/moved":
			http.Redirect(w, r, "/api/health", http.StatusMovedPermanently)
		case "/api/away":
			http.Redirect(w, r, elsewhere.URL+"/landing", http.StatusFound)
		case "/api/loop":
			hops.Add(1)
			http.Redirect(w, r, "/api/loop", http.StatusFound)
		default:
			api.handler().ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c := client(t, srv, secure.ClientOptions{}, "PREFECT_API_KEY="+apiKey,
		`PREFECT_CLIENT_CUSTOM_HEADERS={"X-Proxy-Token": "proxysecret"}`)

	if status, _ := do(t, c, "GET", "/moved", ""); status != 200 {
		t.Fatalf("same-origin redirect: status %d", status)
	}
	if r := api.last(); r.URL.Path != "/api/health" || r.Header.Get("Authorization") != "Bearer "+apiKey ||
		r.Header.Get("X-Proxy-Token") != "proxysecret" {
		t.Errorf("same-origin redirect lost the API's headers: %s %v", r.URL.Path, r.Header)
	}

	if status, _ := do(t, c, "GET", "/away", ""); status != 200 {
		t.Fatalf("cross-origin redirect: status %d", status)
	}
	r := other.last()
	if r == nil || r.URL.Path != "/landing" {
		t.Fatalf("the redirect was not followed")
	}
	for name, v := range r.Header {
		if strings.Contains(strings.Join(v, ","), apiKey) || strings.Contains(strings.Join(v, ","), "proxysecret") ||
			strings.EqualFold(name, "Authorization") || strings.EqualFold(name, "X-Proxy-Token") {
			t.Errorf("another origin saw %s: %q", name, v)
		}
	}

	req, _ := c.NewRequest(t.Context(), "GET", "/loop", nil)
	if _, err := c.Do(req); err == nil || hops.Load() != 21 {
		t.Errorf("redirect loop: error %v after %d requests, want an error after 21", err, hops.Load())
	}
}

// TestClientCleartextWarning: credentials bound for plain http to a host
// other than this machine are warned about, before any request.
func TestClientCleartextWarning(t *testing.T) {
	tests := []struct {
		url, creds string
		want       string
	}{
		{"http://prefect.example.com/api", "PREFECT_API_KEY=" + apiKey,
			"env PREFECT_API_URL: api.url: plain http to prefect.example.com, which is not this machine: the API key would cross the network unencrypted; use https"},
		{"http://10.0.0.5:4200/api", "PREFECT_API_AUTH_STRING=" + authString,
			"env PREFECT_API_URL: api.url: plain http to 10.0.0.5, which is not this machine: the auth string would cross the network unencrypted; use https"},
		{"http://proxy.internal/api", `PREFECT_CLIENT_CUSTOM_HEADERS={"authorization": "Bearer x"}`,
			"env PREFECT_API_URL: api.url: plain http to proxy.internal, which is not this machine: the custom Authorization header would cross the network unencrypted; use https"},
		{"https://prefect.example.com/api", "PREFECT_API_KEY=" + apiKey, ""},
		{"http://localhost:4200/api", "PREFECT_API_KEY=" + apiKey, ""},
		{"http://127.0.0.2:4200/api", "PREFECT_API_KEY=" + apiKey, ""},
		{"http://[::1]:4200/api", "PREFECT_API_KEY=" + apiKey, ""},
		{"http://prefect.example.com/api", "PREFECT_CLIENT_MAX_RETRIES=1", ""},
	}
	for _, tt := range tests {
		c, err := secure.NewClient(load(t, "PREFECT_API_URL="+tt.url, tt.creds), secure.ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range c.Warnings() {
			got = append(got, w.String())
		}
		if strings.Join(got, "\n") != tt.want {
			t.Errorf("%s with %s: warnings %q, want %q", tt.url, tt.creds, got, tt.want)
		}
		if strings.Contains(strings.Join(got, ""), apiKey) || strings.Contains(strings.Join(got, ""), authString) {
			t.Errorf("a warning holds a secret: %q", got)
		}
	}
}
