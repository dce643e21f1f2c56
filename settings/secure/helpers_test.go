package secure_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/settings/secure"
)

// load resolves settings for an environment alone: an empty working and
// home directory.
func load(t testing.TB, env ...string) *settings.Result {
	t.Helper()
	dir := t.TempDir()
	r, err := settings.Load(settings.Options{Environ: env, Dir: dir, Home: dir})
	if err != nil {
		t.Fatalf("load %q: %v", env, err)
	}
	return r
}

// clock is a settable clock shared by a client and a server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sleeps records the waits of a client instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return nil
}

func (s *sleeps) All() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// seen is what the API handler behind a guard received.
type seen struct {
	mu       sync.Mutex
	requests []*http.Request
	bodies   []string
}

func (s *seen) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.requests = append(s.requests, r)
		s.bodies = append(s.bodies, string(body))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"method": r.Method, "path": r.URL.Path})
	})
}

func (s *seen) last() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == 0 {
		return nil
	}
	return s.requests[len(s.requests)-1]
}

func (s *seen) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// guarded starts a loopback server: the handler of s behind a guard built
// from the server environment.
func guarded(t testing.TB, s *seen, opts secure.GuardOptions, env ...string) (*httptest.Server, *secure.Guard) {
	t.Helper()
	g, err := secure.NewServerGuard(load(t, env...), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g.Wrap(s.handler()))
	t.Cleanup(srv.Close)
	return srv, g
}

// client builds a client for srv from the client environment.
func client(t testing.TB, srv *httptest.Server, opts secure.ClientOptions, env ...string) *secure.Client {
	t.Helper()
	env = append([]string{"PREFECT_API_URL=" + srv.URL + "/api"}, env...)
	if opts.Sleep == nil {
		opts.Sleep = (&sleeps{}).Sleep
	}
	c, err := secure.NewClient(load(t, env...), opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// do sends a request through c and returns the status and body.
func do(t testing.TB, c *secure.Client, method, path, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	}
	req, err := c.NewRequest(context.Background(), method, path, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// send sends req as a bare HTTP client does, without the API's headers,
// and returns the answer and its body, read and closed.
func send(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// capture is a logger that keeps every record, at every level.
func capture() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&lockedWriter{w: &buf}, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
