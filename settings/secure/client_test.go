package secure_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

// TestClientHeaders: the server sees the ordinary custom headers and the
// client's User-Agent, never the protected custom headers; each dropped
// header is reported once.
func TestClientHeaders(t *testing.T) {
	var s seen
	srv, _ := guarded(t, &s, secure.GuardOptions{}, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true")
	c := client(t, srv, secure.ClientOptions{},
		`PREFECT_CLIENT_CUSTOM_HEADERS={"X-Team": "data", "x-trace": "on", "user-agent": "evil/1", "PREFECT-CSRF-TOKEN": "forged", "Prefect-Csrf-Client": "forged"}`)

	if status, body := do(t, c, "POST", "/flows", "{}"); status != 200 {
		t.Fatalf("status = %d: %s", status, body)
	}
	r := s.last()
	if r.Header.Get("X-Team") != "data" || r.Header.Get("X-Trace") != "on" {
		t.Errorf("custom headers lost: %v", r.Header)
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "strata/") {
		t.Errorf("User-Agent = %q", ua)
	}
	if tok := r.Header.Get("Prefect-Csrf-Token"); tok == "forged" || len(tok) != 64 {
		t.Errorf("Prefect-Csrf-Token = %q", tok)
	}
	if cl := r.Header.Get("Prefect-Csrf-Client"); cl != c.Transport().ClientID() {
		t.Errorf("Prefect-Csrf-Client = %q", cl)
	}
	var dropped []string
	for _, w := range c.Warnings() {
		if w.Setting != "client.custom_headers" {
			t.Errorf("unexpected warning %v", w)
		}
		dropped = append(dropped, w.Msg)
	}
	want := []string{
		`custom header "PREFECT-CSRF-TOKEN" is ignored because it conflicts with a header Prefect manages (User-Agent, Prefect-Csrf-Token, Prefect-Csrf-Client)`,
		`custom header "Prefect-Csrf-Client" is ignored because it conflicts with a header Prefect manages (User-Agent, Prefect-Csrf-Token, Prefect-Csrf-Client)`,
		`custom header "user-agent" is ignored because it conflicts with a header Prefect manages (User-Agent, Prefect-Csrf-Token, Prefect-Csrf-Client)`,
	}
	if !slices.Equal(dropped, want) {
		t.Errorf("warnings =\n%s\nwant\n%s", strings.Join(dropped, "\n"), strings.Join(want, "\n"))
	}
}

// TestClientHeaderPrecedence: a custom Authorization header replaces the
// credentials (as in Prefect), and a request's own headers win over both.
func TestClientHeaderPrecedence(t *testing.T) {
	var s seen
	srv, _ := guarded(t, &s, secure.GuardOptions{})
	c := client(t, srv, secure.ClientOptions{UserAgent: "my-service/2"}, "PREFECT_API_KEY="+apiKey,
		`PREFECT_CLIENT_CUSTOM_HEADERS={"authorization": "Token custom", "X-Team": "data"}`)
	do(t, c, "GET", "/flows", "")
	if got := s.last().Header.Get("Authorization"); got != "Token custom" {
		t.Errorf("Authorization = %q", got)
	}
	if got := s.last().Header.Get("User-Agent"); got != "my-service/2" {
		t.Errorf("User-Agent = %q", got)
	}
	req, _ := c.NewRequest(t.Context(), "GET", "flows", nil)
	req.Header.Set("X-Team", "platform")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := s.last().Header["X-Team"]; !slices.Equal(got, []string{"platform"}) {
		t.Errorf("X-Team = %q", got)
	}
}

// TestClientOtherHosts: requests to another host carry none of the API's
// headers, so credentials never leave for it.
func TestClientOtherHosts(t *testing.T) {
	var api, other seen
	srv, _ := guarded(t, &api, secure.GuardOptions{})
	elsewhere := httptest.NewServer(other.handler())
	t.Cleanup(elsewhere.Close)
	c := client(t, srv, secure.ClientOptions{}, "PREFECT_API_KEY="+apiKey, `PREFECT_CLIENT_CUSTOM_HEADERS={"X-Team": "data"}`)
	resp, err := c.Post(elsewhere.URL+"/hook", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := other.last()
	for _, h := range []string{"Authorization", "X-Team", "Prefect-Csrf-Token"} {
		if v := r.Header.Get(h); v != "" {
			t.Errorf("other host saw %s: %q", h, v)
		}
	}
}

// TestClientAccessors: the client says whether it sends CSRF tokens, under
// which client id, which custom headers it drops and its base URL, and
// names Strata's version in its User-Agent.
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
	if got, want := c.BaseURL(), srv.URL+"/api"; got != want {
		t.Errorf("BaseURL() = %q, want %q", got, want)
	}
	slashed, err := secure.NewClient(load(t, "PREFECT_API_URL="+srv.URL+"/api/"), secure.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slashed.BaseURL(), srv.URL+"/api"; got != want {
		t.Errorf("BaseURL() = %q for api.url with a final slash, want %q", got, want)
	}
	do(t, c, "GET", "/flows", "")
	// A test binary is a development build of the module.
	if ua := s.last().Header.Get("User-Agent"); ua != "strata/(devel)" {
		t.Errorf("User-Agent = %q, want strata/(devel)", ua)
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
			"env PREFECT_API_URL: warning: api.url: plain http to prefect.example.com, which is not this machine: the API key would cross the network unencrypted; use https"},
		{"http://10.0.0.5:4200/api", "PREFECT_API_AUTH_STRING=" + authString,
			"env PREFECT_API_URL: warning: api.url: plain http to 10.0.0.5, which is not this machine: the auth string would cross the network unencrypted; use https"},
		{"http://proxy.internal/api", `PREFECT_CLIENT_CUSTOM_HEADERS={"authorization": "Bearer x"}`,
			"env PREFECT_API_URL: warning: api.url: plain http to proxy.internal, which is not this machine: the custom Authorization header would cross the network unencrypted; use https"},
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

// TestClientTimeout: api.request_timeout bounds the wait for an answer.
func TestClientTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c := client(t, srv, secure.ClientOptions{}, "PREFECT_API_REQUEST_TIMEOUT=0.05", "PREFECT_CLIENT_MAX_RETRIES=0")
	req, _ := c.NewRequest(t.Context(), "GET", "/flows", nil)
	_, err := c.Do(req)
	if err == nil || !strings.Contains(err.Error(), "timeout awaiting response headers") {
		t.Errorf("error = %v", err)
	}
}

// TestNewClientErrors lists the settings a client cannot be built from.
func TestNewClientErrors(t *testing.T) {
	tests := []struct {
		env  []string
		want string
	}{
		{nil, "api.url is not set: the client needs the URL of a Prefect API"},
		{[]string{"PREFECT_API_URL=localhost:4200/api"}, `api.url "localhost:4200/api" is not an absolute http or https URL`},
		{[]string{"PREFECT_API_URL=ftp://user:hunter2@host/api"}, `api.url "ftp://user:xxxxx@host/api" is not an absolute http or https URL`},
		{[]string{"PREFECT_API_URL=http://h/api", "PREFECT_API_SSL_CERT_FILE=/nonexistent/ca.pem"},
			"api.ssl_cert_file: open /nonexistent/ca.pem: no such file or directory"},
	}
	for _, tt := range tests {
		_, err := secure.NewClient(load(t, tt.env...), secure.ClientOptions{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: error = %v, want %s", tt.env, err, tt.want)
		}
	}
}

// BenchmarkClientRequest measures one authenticated POST with CSRF
// through a guarded loopback server.
func BenchmarkClientRequest(b *testing.B) {
	var s seen
	srv, _ := guarded(b, &s, secure.GuardOptions{}, "PREFECT_SERVER_API_AUTH_STRING="+authString,
		"PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true")
	c := client(b, srv, secure.ClientOptions{}, "PREFECT_API_AUTH_STRING="+authString)
	b.ReportAllocs()
	for b.Loop() {
		req, _ := c.NewRequest(b.Context(), "POST", "/flows", strings.NewReader(`{"name":"x"}`))
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
