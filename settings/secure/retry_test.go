package secure_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strata-settings/strata/settings/secure"
)

// scripted answers each request with the next status of a script, and
// the last one for ever.
type scripted struct {
	mu       sync.Mutex
	script   []int
	header   func(n int) http.Header
	attempts int
	bodies   []string
	lengths  []int64 // the Content-Length of each attempt, -1 when unknown
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := s.attempts
	s.attempts++
	s.bodies = append(s.bodies, string(body))
	s.lengths = append(s.lengths, r.ContentLength)
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

// flaky is a base transport that fails or answers 200 by a script, a step
// an attempt and the last step for ever; a nil step is an answer.
type flaky struct {
	mu       sync.Mutex
	steps    []error
	attempts int
	cancel   func() // when set, called at each attempt, before the step
}

func (f *flaky) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	f.mu.Lock()
	n := f.attempts
	f.attempts++
	f.mu.Unlock()
	if f.cancel != nil {
		f.cancel()
	}
	if err := f.steps[min(n, len(f.steps)-1)]; err != nil {
		return nil, err
	}
	return answer(req, http.StatusOK, nil), nil
}

// answer is a response to req with a status and headers.
func answer(req *http.Request, status int, h http.Header) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Body: io.NopCloser(strings.NewReader("ok")), Request: req}
}

// roundTripFunc is a base transport made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// TestClientTransportErrors follows Prefect's retries after a failed
// attempt: timeouts, resets and closed connections are retried, with the
// backoff, up to client.max_retries; a refused connection only once the
// server has answered (a restart); anything else, a body that cannot be
// sent again, or an ended context, is final.
func TestClientTransportErrors(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	badCert := errors.New("tls: failed to verify certificate: x509: certificate signed by unknown authority")
	two, four := 2*time.Second, 4*time.Second
	tests := []struct {
		name      string
		env       []string
		steps     []error
		warm      bool // an answered request first
		cancel    bool // the context ends during the first attempt
		body      io.Reader
		maxBuffer int64
		err       error // nil: the answer
		attempts  int   // of the request after warm
		waits     []time.Duration
	}{
		{"timeout", nil, []error{timeout, nil}, false, false, nil, 0, nil, 2, []time.Duration{two}},
		{"reset", nil, []error{reset, reset, nil}, false, false, nil, 0, nil, 3, []time.Duration{two, four}},
		{"unexpected EOF", nil, []error{io.ErrUnexpectedEOF, nil}, false, false, nil, 0, nil, 2, []time.Duration{two}},
		{"EOF", nil, []error{fmt.Errorf("reading: %w", io.EOF), nil}, false, false, nil, 0, nil, 2, []time.Duration{two}},
		{"closed", nil, []error{net.ErrClosed, nil}, false, false, nil, 0, nil, 2, []time.Duration{two}},
		{"refused before any answer", nil, []error{refused, nil}, false, false, nil, 0, refused, 1, nil},
		{"refused after an answer", nil, []error{nil, refused, nil}, true, false, nil, 0, nil, 2, []time.Duration{two}},
		{"other errors are final", nil, []error{badCert, nil}, false, false, nil, 0, badCert, 1, nil},
		{"max_retries exhausted", []string{"PREFECT_CLIENT_MAX_RETRIES=2"}, []error{reset}, false, false, nil, 0, reset, 3,
			[]time.Duration{two, four}},
		{"max_retries 0", []string{"PREFECT_CLIENT_MAX_RETRIES=0"}, []error{reset, nil}, false, false, nil, 0, reset, 1, nil},
		{"body sent again", nil, []error{reset, nil}, false, false, io.NopCloser(strings.NewReader(`{"a":1}`)), 0, nil, 2,
			[]time.Duration{two}},
		{"body too large to send again", nil, []error{reset, nil}, false, false, io.NopCloser(strings.NewReader(`{"a":1}`)), 2,
			reset, 1, nil},
		{"context ended", nil, []error{reset, nil}, false, true, nil, 0, reset, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			base := &flaky{steps: tt.steps}
			var waits sleeps
			env := append([]string{"PREFECT_API_URL=http://127.0.0.1:4200/api", "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false",
				"PREFECT_CLIENT_RETRY_JITTER_FACTOR=0"}, tt.env...)
			c, err := secure.NewClient(load(t, env...), secure.ClientOptions{Base: base, Sleep: waits.Sleep, MaxBufferedBody: tt.maxBuffer})
			if err != nil {
				t.Fatal(err)
			}
			if tt.warm {
				if status, _ := do(t, c, "GET", "/health", ""); status != 200 {
					t.Fatalf("warm-up status = %d", status)
				}
			}
			before := base.attempts
			if tt.cancel {
				base.cancel = cancel
			}
			method := "GET"
			if tt.body != nil {
				method = "POST"
			}
			req, _ := c.NewRequest(ctx, method, "/flows", tt.body)
			resp, err := c.Do(req)
			if resp != nil {
				resp.Body.Close()
			}
			if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("error = %v, want %v", err, tt.err)
			}
			if got := base.attempts - before; got != tt.attempts {
				t.Errorf("attempts = %d, want %d", got, tt.attempts)
			}
			if got := waits.All(); !slices.Equal(got, tt.waits) {
				t.Errorf("waits = %v, want %v", got, tt.waits)
			}
		})
	}
}

// TestClientDroppedConnection: a server that drops the connection before
// answering is asked again, through the transport built from the settings.
func TestClientDroppedConnection(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close()
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	var waits sleeps
	c := client(t, srv, secure.ClientOptions{Sleep: waits.Sleep}, "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false",
		"PREFECT_CLIENT_RETRY_JITTER_FACTOR=0")
	if status, body := do(t, c, "POST", "/flows", `{"a":1}`); status != 200 || body != "ok" {
		t.Errorf("status %d, body %q", status, body)
	}
	if n.Load() != 2 || !slices.Equal(waits.All(), []time.Duration{2 * time.Second}) {
		t.Errorf("%d attempts, waits %v; want 2 attempts after a 2s wait", n.Load(), waits.All())
	}
}

// TestClientTimerSleep: without ClientOptions.Sleep the client waits on a
// timer: Retry-After 0 asks again at once, a short one after the wait, and
// a context that ends cuts an hour's wait short.
func TestClientTimerSleep(t *testing.T) {
	tests := []struct {
		name, after string
		cancel      bool
		err         error // nil: the second attempt's answer
	}{
		{"no wait", "0", false, nil},
		{"a short wait", "0.01", false, nil},
		{"the context ends the wait", "3600", true, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			attempts := 0
			base := roundTripFunc(func(req *http.Request) (*http.Response, error) {
				if attempts++; attempts == 1 {
					if tt.cancel {
						cancel()
					}
					return answer(req, http.StatusServiceUnavailable, http.Header{"Retry-After": {tt.after}}), nil
				}
				return answer(req, http.StatusOK, nil), nil
			})
			c, err := secure.NewClient(load(t, "PREFECT_API_URL=http://127.0.0.1:4200/api",
				"PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false", "PREFECT_CLIENT_RETRY_JITTER_FACTOR=0"), secure.ClientOptions{Base: base})
			if err != nil {
				t.Fatal(err)
			}
			req, _ := c.NewRequest(ctx, "GET", "/flows", nil)
			resp, err := c.Do(req)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || attempts != 1 {
					t.Errorf("error = %v after %d attempts, want %v after 1", err, attempts, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || attempts != 2 {
				t.Errorf("status %d after %d attempts, want 200 after 2", resp.StatusCode, attempts)
			}
		})
	}
}
