package secure_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strata-settings/strata/settings/secure"
)

// tokenCounter counts the token requests reaching the guard.
func tokenCounter(next http.Handler, n *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/csrf-token") {
			n.Add(1)
		}
		next.ServeHTTP(w, r)
	})
}

// csrfServer starts a guarded server whose token requests are counted.
func csrfServer(t *testing.T, s *seen, now func() time.Time, env ...string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	g, err := secure.NewServerGuard(load(t, env...), secure.GuardOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	srv := httptest.NewServer(tokenCounter(g.Wrap(s.handler()), &n))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestCSRFOn: the client fetches one token, sends it with state-changing
// requests only, and the server accepts it.
func TestCSRFOn(t *testing.T) {
	var s seen
	srv, fetches := csrfServer(t, &s, nil, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true",
		"PREFECT_SERVER_API_AUTH_STRING="+authString)
	c := client(t, srv, secure.ClientOptions{}, "PREFECT_API_AUTH_STRING="+authString)

	if status, _ := do(t, c, "GET", "/flows", ""); status != 200 {
		t.Fatalf("GET status = %d", status)
	}
	if got := s.last().Header.Get("Prefect-Csrf-Token"); got != "" || fetches.Load() != 0 {
		t.Errorf("a GET fetched or sent a token: %q, %d fetches", got, fetches.Load())
	}
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if status, body := do(t, c, method, "/flows", `{"name":"x"}`); status != 200 {
			t.Fatalf("%s status = %d: %s", method, status, body)
		}
		r := s.last()
		if len(r.Header.Get("Prefect-Csrf-Token")) != 64 || r.Header.Get("Prefect-Csrf-Client") != c.Transport().ClientID() {
			t.Errorf("%s sent token %q client %q", method, r.Header.Get("Prefect-Csrf-Token"), r.Header.Get("Prefect-Csrf-Client"))
		}
	}
	if fetches.Load() != 1 {
		t.Errorf("token fetches = %d, want 1", fetches.Load())
	}
	if !c.Transport().CSRFEnabled() {
		t.Error("CSRF support turned off")
	}
}

// TestCSRFOffOnServer: the token endpoint answers 422 "CSRF protection is
// disabled." and the client stops asking.
func TestCSRFOffOnServer(t *testing.T) {
	var s seen
	srv, fetches := csrfServer(t, &s, nil)
	c := client(t, srv, secure.ClientOptions{})

	for range 3 {
		if status, body := do(t, c, "POST", "/flows", "{}"); status != 200 {
			t.Fatalf("status = %d: %s", status, body)
		}
	}
	if fetches.Load() != 1 {
		t.Errorf("token fetches = %d, want 1", fetches.Load())
	}
	if c.Transport().CSRFEnabled() {
		t.Error("CSRF support still on after 422")
	}
	if got := s.last().Header.Get("Prefect-Csrf-Token"); got != "" {
		t.Errorf("sent a token %q", got)
	}

	req, _ := http.NewRequest("GET", srv.URL+"/api/csrf-token?client=abc", nil)
	if resp, body := send(t, req); resp.StatusCode != 422 || body != `{"detail":"CSRF protection is disabled."}` {
		t.Errorf("token endpoint = %d %s", resp.StatusCode, body)
	}
}

// TestCSRFOldServer: a server without the token endpoint (404) turns CSRF
// support off too.
func TestCSRFOldServer(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/csrf-token" {
			http.NotFound(w, r)
			return
		}
		posts.Add(1)
	}))
	t.Cleanup(srv.Close)
	c := client(t, srv, secure.ClientOptions{})
	if status, _ := do(t, c, "POST", "/flows", "{}"); status != 200 || posts.Load() != 1 {
		t.Errorf("status = %d, posts = %d", status, posts.Load())
	}
	if c.Transport().CSRFEnabled() {
		t.Error("CSRF support still on after 404")
	}
}

// TestCSRFClientSupportOff: with client.csrf_support_enabled false the
// client never asks, and a protecting server refuses it.
func TestCSRFClientSupportOff(t *testing.T) {
	var s seen
	srv, fetches := csrfServer(t, &s, nil, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true")
	c := client(t, srv, secure.ClientOptions{}, "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false")
	status, body := do(t, c, "POST", "/flows", "{}")
	if status != 403 || body != `{"detail":"Missing CSRF token."}` || fetches.Load() != 0 {
		t.Errorf("= %d %s, %d fetches", status, body, fetches.Load())
	}
}

// TestCSRFRefusals checks the server's answers to requests without a valid
// token and client pair.
func TestCSRFRefusals(t *testing.T) {
	var s seen
	srv, _ := csrfServer(t, &s, nil, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true")
	req, _ := http.NewRequest("GET", srv.URL+"/api/csrf-token?client=known", nil)
	_, tokenJSON := send(t, req)
	var tok struct{ Token, Client, Expiration string }
	json.Unmarshal([]byte(tokenJSON), &tok)
	if tok.Client != "known" || len(tok.Token) != 64 {
		t.Fatalf("token answer = %+v", tok)
	}
	if _, err := time.Parse(time.RFC3339Nano, tok.Expiration); err != nil {
		t.Errorf("expiration %q: %v", tok.Expiration, err)
	}

	tests := []struct {
		name    string
		method  string
		headers map[string]string
		want    int
		body    string
		acao    string
	}{
		{"no token", "POST", nil, 403, `{"detail":"Missing CSRF token."}`, ""},
		{"no client", "DELETE", map[string]string{"Prefect-Csrf-Token": tok.Token}, 403, `{"detail":"Missing client identifier."}`, ""},
		{"wrong token", "PUT", map[string]string{"Prefect-Csrf-Token": strings.Repeat("0", 64), "Prefect-Csrf-Client": "known"},
			403, `{"detail":"Invalid CSRF token or client identifier."}`, "*"},
		{"unknown client", "PATCH", map[string]string{"Prefect-Csrf-Token": tok.Token, "Prefect-Csrf-Client": "other"},
			403, `{"detail":"Invalid CSRF token or client identifier."}`, "*"},
		{"empty token", "POST", map[string]string{"Prefect-Csrf-Token": "", "Prefect-Csrf-Client": "known"},
			403, `{"detail":"Invalid CSRF token or client identifier."}`, "*"},
		{"valid", "POST", map[string]string{"Prefect-Csrf-Token": tok.Token, "Prefect-Csrf-Client": "known"}, 200, "", ""},
		{"GET needs none", "GET", nil, 200, "", ""},
		{"outside the API too", "POST", nil, 403, `{"detail":"Missing CSRF token."}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/api/flows"
			if tt.name == "outside the API too" {
				path = "/dashboard"
			}
			req, _ := http.NewRequest(tt.method, srv.URL+path, strings.NewReader("{}"))
			for k, v := range tt.headers {
				req.Header[k] = []string{v}
			}
			resp, body := send(t, req)
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body = %s, want %s", body, tt.body)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.acao {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.acao)
			}
		})
	}

	req, _ = http.NewRequest("GET", srv.URL+"/api/csrf-token", nil)
	if resp, _ := send(t, req); resp.StatusCode != 422 {
		t.Errorf("token without client = %d, want 422", resp.StatusCode)
	}
}

// TestCSRFExpiry: the client replaces its token shortly before it expires;
// a token the server no longer knows (its clock ran ahead) is refused with
// 403, and the client fetches a new one and retries.
func TestCSRFExpiry(t *testing.T) {
	serverClock, clientClock := newClock(), newClock()
	var s seen
	srv, fetches := csrfServer(t, &s, serverClock.Now, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true",
		"PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION=PT1H")
	var waits sleeps
	c := client(t, srv, secure.ClientOptions{Now: clientClock.Now, Sleep: waits.Sleep})

	post := func() string {
		t.Helper()
		if status, body := do(t, c, "POST", "/flows", "{}"); status != 200 {
			t.Fatalf("status = %d: %s", status, body)
		}
		return s.last().Header.Get("Prefect-Csrf-Token")
	}
	first := post()
	steps := []struct {
		name         string
		server, cl   time.Duration
		fetches      int32
		sameAsBefore bool
	}{
		{"half-way", 30 * time.Minute, 30 * time.Minute, 1, true},
		{"still well before expiry", 29 * time.Minute, 29 * time.Minute, 1, true},
		{"in the last seconds", 55 * time.Second, 55 * time.Second, 2, false},
		{"server ahead of the client", 2 * time.Hour, 0, 3, false},
	}
	prev := first
	for _, st := range steps {
		serverClock.Advance(st.server)
		clientClock.Advance(st.cl)
		before := s.count()
		tok := post()
		if got := fetches.Load(); got != st.fetches {
			t.Errorf("%s: fetches = %d, want %d", st.name, got, st.fetches)
		}
		if (tok == prev) != st.sameAsBefore {
			t.Errorf("%s: token reused = %v, want %v", st.name, tok == prev, st.sameAsBefore)
		}
		if s.count() != before+1 {
			t.Errorf("%s: handler saw %d requests, want 1", st.name, s.count()-before)
		}
		prev = tok
	}
	if got := waits.All(); len(got) != 1 {
		t.Errorf("waits = %v, want one before the retry of the refused token", got)
	}
}

// TestCSRFTokenURL checks the request the client makes for a token.
func TestCSRFTokenURL(t *testing.T) {
	var got *url.URL
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/csrf-token") {
			mu.Lock()
			got = r.URL
			mu.Unlock()
			json.NewEncoder(w).Encode(map[string]string{"token": "t", "client": r.URL.Query().Get("client"),
				"expiration": "2999-01-01T00:00:00.000000+00:00"})
		}
	}))
	t.Cleanup(srv.Close)
	c := client(t, srv, secure.ClientOptions{})
	do(t, c, "DELETE", "/flows/1", "")
	mu.Lock()
	defer mu.Unlock()
	if got == nil || got.Path != "/api/csrf-token" || got.Query().Get("client") != c.Transport().ClientID() {
		t.Errorf("token request = %v", got)
	}
	if len(c.Transport().ClientID()) != 36 {
		t.Errorf("client id %q is not a UUID", c.Transport().ClientID())
	}
}

// TestCSRFTokenFailure: a token endpoint that fails otherwise fails the
// request, as Prefect's client raises.
func TestCSRFTokenFailure(t *testing.T) {
	var s seen
	srv, _ := csrfServer(t, &s, nil, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true",
		"PREFECT_SERVER_API_AUTH_STRING="+authString)
	c := client(t, srv, secure.ClientOptions{}, "PREFECT_API_KEY="+apiKey)
	req, _ := c.NewRequest(t.Context(), "POST", "/flows", strings.NewReader("{}"))
	_, err := c.Do(req)
	want := `Post "` + srv.URL + `/api/flows": fetching a CSRF token: the server answered "401 Unauthorized"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

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

// TestConcurrentClient hammers one client with state-changing requests
// while CSRF tokens expire on the server; run with -race. With the
// client's clock a day ahead every token looks expired on arrival, and the
// client must still not fetch one per request.
func TestConcurrentClient(t *testing.T) {
	for _, skew := range []time.Duration{0, 24 * time.Hour} {
		t.Run(fmt.Sprint("client clock ahead ", skew), func(t *testing.T) {
			serverClock := newClock()
			var s seen
			srv, fetches := csrfServer(t, &s, serverClock.Now, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true",
				"PREFECT_SERVER_API_AUTH_STRING="+authString, "PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION=PT1M")
			clientNow := func() time.Time { return serverClock.Now().Add(skew) }
			c := client(t, srv, secure.ClientOptions{Now: clientNow}, "PREFECT_API_AUTH_STRING="+authString,
				"PREFECT_CLIENT_MAX_RETRIES=10")

			const workers, each = 16, 25
			var wg sync.WaitGroup
			errs := make(chan error, workers*each)
			for w := range workers {
				wg.Go(func() {
					for i := range each {
						if w == 0 && i%5 == 0 {
							serverClock.Advance(2 * time.Minute) // every token so far expires
						}
						method := []string{"POST", "PUT", "PATCH", "DELETE", "GET"}[i%5]
						req, _ := c.NewRequest(t.Context(), method, "/flows", strings.NewReader(`{"i":1}`))
						resp, err := c.Do(req)
						if err != nil {
							errs <- err
							continue
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							errs <- fmt.Errorf("%s: status %d", method, resp.StatusCode)
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if s.count() != workers*each {
				t.Errorf("handler saw %d requests, want %d", s.count(), workers*each)
			}
			if n := fetches.Load(); n > workers*each/4 {
				t.Errorf("%d token fetches for %d state-changing requests", n, workers*each*4/5)
			}
		})
	}
}
