package secure_test

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// scripted answers each request with the next status of a script, and
// the last one for ever.
type scripted struct {
	mu       sync.Mutex
	script   []int
	header   func(n int) http.Header
	attempts int
	bodies   []string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := s.attempts
	s.attempts++
	s.bodies = append(s.bodies, string(body))
	s.mu.Unlock()
	status := s.script[min(n, len(s.script)-1)]
	if s.header != nil {
		for k, v := range s.header(n) {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(status)
	fmt.Fprintf(w, "attempt %d", n+1)
}

// TestClientRetries follows Prefect's retry rules: 429, 502, 503, 408 and
// the extra codes are retried up to client.max_retries times, waiting for
// Retry-After or 2^n seconds, with jitter.
func TestClientRetries(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	after := func(v string) func(int) http.Header {
		return func(int) http.Header { return http.Header{"Retry-After": {v}} }
	}
	noJitter := "PREFECT_CLIENT_RETRY_JITTER_FACTOR=0"
	tests := []struct {
		name     string
		env      []string
		script   []int
		header   func(int) http.Header
		rand     float64
		method   string
		body     io.Reader
		want     int
		attempts int
		waits    []time.Duration
	}{
		{"429 with Retry-After seconds", []string{noJitter}, []int{429, 200}, after("3"), 0, "GET", nil, 200, 2, []time.Duration{3 * time.Second}},
		{"503 with fractional Retry-After", []string{noJitter}, []int{503, 503, 200}, after("0.5"), 0, "GET", nil, 200, 3,
			[]time.Duration{500 * time.Millisecond, 500 * time.Millisecond}},
		{"503 with Retry-After date", []string{noJitter}, []int{503, 200},
			after(now.Add(10 * time.Second).Format(http.TimeFormat)), 0, "GET", nil, 200, 2, []time.Duration{10 * time.Second}},
		{"Retry-After date in the past", []string{noJitter}, []int{503, 200},
			after(now.Add(-time.Minute).Format(http.TimeFormat)), 0, "GET", nil, 200, 2, []time.Duration{0}},
		{"502 without Retry-After backs off", []string{noJitter}, []int{502, 502, 502, 200}, nil, 0, "GET", nil, 200, 4,
			[]time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}},
		{"408", []string{noJitter}, []int{408, 200}, nil, 0, "GET", nil, 200, 2, []time.Duration{2 * time.Second}},
		{"unreadable Retry-After backs off", []string{noJitter}, []int{429, 200}, after("soon"), 0, "GET", nil, 200, 2,
			[]time.Duration{2 * time.Second}},
		{"500 is final", nil, []int{500, 200}, nil, 0, "GET", nil, 500, 1, nil},
		{"extra code", []string{noJitter, "PREFECT_CLIENT_RETRY_EXTRA_CODES=500,520"}, []int{500, 520, 200}, nil, 0, "GET", nil, 200, 3,
			[]time.Duration{2 * time.Second, 4 * time.Second}},
		{"max_retries exhausted", []string{noJitter, "PREFECT_CLIENT_MAX_RETRIES=2"}, []int{503}, after("1"), 0, "GET", nil, 503, 3,
			[]time.Duration{time.Second, time.Second}},
		{"max_retries 0", []string{"PREFECT_CLIENT_MAX_RETRIES=0"}, []int{429, 200}, nil, 0, "GET", nil, 429, 1, nil},
		{"jitter only lengthens Retry-After", []string{"PREFECT_CLIENT_RETRY_JITTER_FACTOR=0.2"}, []int{429, 200}, after("10"), 0.5, "GET", nil, 200, 2,
			[]time.Duration{11 * time.Second}},
		{"jitter either side of the backoff, low", []string{"PREFECT_CLIENT_RETRY_JITTER_FACTOR=0.5"}, []int{503, 200}, nil, 0, "GET", nil, 200, 2,
			[]time.Duration{time.Second}},
		{"jitter either side of the backoff, high", []string{"PREFECT_CLIENT_RETRY_JITTER_FACTOR=0.5"}, []int{503, 200}, nil, 0.75, "GET", nil, 200, 2,
			[]time.Duration{2500 * time.Millisecond}},
		{"replayable body", []string{noJitter}, []int{503, 200}, nil, 0, "POST", strings.NewReader(`{"a":1}`), 200, 2,
			[]time.Duration{2 * time.Second}},
		{"body without GetBody is buffered", []string{noJitter}, []int{503, 200}, nil, 0, "POST", io.NopCloser(strings.NewReader(`{"a":1}`)), 200, 2,
			[]time.Duration{2 * time.Second}},
		{"maintenance does not count", []string{noJitter, "PREFECT_CLIENT_MAX_RETRIES=1"}, []int{503, 503, 503, 503, 200},
			func(n int) http.Header {
				if n < 3 {
					return http.Header{"Prefect-Maintenance": {"true"}, "Retry-After": {"5"}}
				}
				return nil
			}, 0, "GET", nil, 200, 5, []time.Duration{5 * time.Second, 5 * time.Second, 5 * time.Second, 2 * time.Second}},
		{"maintenance waits at least a second", []string{noJitter, "PREFECT_CLIENT_MAX_RETRIES=0"}, []int{503, 200},
			func(int) http.Header { return http.Header{"Prefect-Maintenance": {"true"}, "Retry-After": {"0"}} },
			0, "GET", nil, 200, 2, []time.Duration{time.Second}},
		{"maintenance only when true", []string{noJitter, "PREFECT_CLIENT_MAX_RETRIES=0"}, []int{503, 200},
			func(int) http.Header { return http.Header{"Prefect-Maintenance": {"false"}} }, 0, "GET", nil, 503, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &scripted{script: tt.script, header: tt.header}
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			var waits sleeps
			env := append([]string{"PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false"}, tt.env...)
			c := client(t, srv, secure.ClientOptions{Sleep: waits.Sleep, Now: func() time.Time { return now },
				Rand: func() float64 { return tt.rand }}, env...)
			req, _ := c.NewRequest(t.Context(), tt.method, "/flows", tt.body)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want || h.attempts != tt.attempts {
				t.Errorf("status = %d after %d attempts, want %d after %d", resp.StatusCode, h.attempts, tt.want, tt.attempts)
			}
			if want := fmt.Sprintf("attempt %d", h.attempts); string(body) != want {
				t.Errorf("body = %q, want the last answer %q", body, want)
			}
			if got := waits.All(); !slices.Equal(got, tt.waits) {
				t.Errorf("waits = %v, want %v", got, tt.waits)
			}
			if tt.body != nil && tt.attempts > 1 {
				for i, b := range h.bodies {
					if b != `{"a":1}` {
						t.Errorf("attempt %d body = %q", i+1, b)
					}
				}
			}
		})
	}
}

// TestClientRetryCancelled: a cancelled context ends the waits.
func TestClientRetryCancelled(t *testing.T) {
	h := &scripted{script: []int{503}}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(t.Context())
	c := client(t, srv, secure.ClientOptions{Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}}, "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false")
	req, _ := c.NewRequest(ctx, "GET", "/flows", nil)
	_, err := c.Do(req)
	if !errors.Is(err, context.Canceled) || h.attempts != 1 {
		t.Errorf("error = %v after %d attempts", err, h.attempts)
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

// TestClientTLS checks api.ssl_cert_file, api.tls_insecure_skip_verify and
// api.enable_http2 against a loopback TLS server.
func TestClientTLS(t *testing.T) {
	var proto atomic.Value
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store(r.Proto)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	os.WriteFile(notPEM, []byte("no certificate here"), 0o600)

	tests := []struct {
		name  string
		env   []string
		proto string
		err   string
	}{
		{"CA bundle", []string{"PREFECT_API_SSL_CERT_FILE=" + bundle}, "HTTP/1.1", ""},
		{"CA bundle and HTTP/2", []string{"PREFECT_API_SSL_CERT_FILE=" + bundle, "PREFECT_API_ENABLE_HTTP2=true"}, "HTTP/2.0", ""},
		{"SSL_CERT_FILE", []string{"SSL_CERT_FILE=" + bundle}, "HTTP/1.1", ""},
		{"skip verification", []string{"PREFECT_API_TLS_INSECURE_SKIP_VERIFY=true"}, "HTTP/1.1", ""},
		{"system roots", nil, "", "certificate signed by unknown authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proto.Store("")
			c := client(t, srv, secure.ClientOptions{}, append(tt.env, "PREFECT_CLIENT_MAX_RETRIES=0")...)
			req, _ := c.NewRequest(t.Context(), "GET", "/flows", nil)
			resp, err := c.Do(req)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := proto.Load(); got != tt.proto {
				t.Errorf("protocol = %v, want %s", got, tt.proto)
			}
		})
	}

	_, err := secure.NewClient(load(t, "PREFECT_API_URL="+srv.URL, "PREFECT_API_SSL_CERT_FILE="+notPEM), secure.ClientOptions{})
	if want := fmt.Sprintf("api.ssl_cert_file %q holds no PEM certificate", notPEM); err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
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

// TestGuardErrors lists the settings a guard cannot be built from.
func TestGuardErrors(t *testing.T) {
	_, err := secure.NewServerGuard(load(t, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true",
		"PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION=PT0S"), secure.GuardOptions{})
	want := "server.api.csrf_token_expiration is 0s: CSRF protection needs a positive token lifetime"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
