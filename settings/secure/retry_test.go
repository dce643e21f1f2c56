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
