package secure_test

import (
	"errors"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

// TestClientBodyReplay: a body without GetBody is kept, up to
// MaxBufferedBody, so that a retry sends it again, with its length; a
// larger one, or any with buffering off, is sent whole, once. A body with
// GetBody is sent again from it, whatever MaxBufferedBody says.
func TestClientBodyReplay(t *testing.T) {
	const body = `{"a":1}`
	noGetBody := func() io.Reader { return io.NopCloser(strings.NewReader(body)) }
	withGetBody := func() io.Reader { return strings.NewReader(body) }
	tests := []struct {
		name     string
		max      int64
		body     func() io.Reader
		attempts int
		lengths  []int64 // the Content-Length of each attempt, -1 unknown
	}{
		{"kept", 0, noGetBody, 2, []int64{7, 7}},
		{"kept to the byte", 7, noGetBody, 2, []int64{7, 7}},
		{"a byte too large", 6, noGetBody, 1, []int64{-1}},
		{"buffering off", -1, noGetBody, 1, []int64{-1}},
		{"GetBody", -1, withGetBody, 2, []int64{7, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &scripted{script: []int{503, 200}}
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			c := client(t, srv, secure.ClientOptions{MaxBufferedBody: tt.max}, "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false")
			req, _ := c.NewRequest(t.Context(), "POST", "/flows", tt.body())
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if h.attempts != tt.attempts || !slices.Equal(h.lengths, tt.lengths) {
				t.Errorf("%d attempts with lengths %v, want %d with %v", h.attempts, h.lengths, tt.attempts, tt.lengths)
			}
			for i, b := range h.bodies {
				if b != body {
					t.Errorf("attempt %d body = %q, want %q", i+1, b, body)
				}
			}
		})
	}
}

// failingBody fails to read, and records that it was closed.
type failingBody struct{ closed bool }

func (b *failingBody) Read([]byte) (int, error) { return 0, errors.New("disk gone") }
func (b *failingBody) Close() error             { b.closed = true; return nil }

// TestClientBodyErrors: a body that cannot be read fails the request
// before anything is sent, and is closed; a GetBody that fails when the
// body is to be sent again fails the request with its error.
func TestClientBodyErrors(t *testing.T) {
	h := &scripted{script: []int{503, 200}}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := client(t, srv, secure.ClientOptions{}, "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false")

	unreadable := &failingBody{}
	req, _ := c.NewRequest(t.Context(), "POST", "/flows", unreadable)
	_, err := c.Do(req)
	if err == nil || !strings.HasSuffix(err.Error(), "reading the request body: disk gone") || h.attempts != 0 || !unreadable.closed {
		t.Errorf("unreadable body: error %v after %d attempts, closed %v", err, h.attempts, unreadable.closed)
	}

	req, _ = c.NewRequest(t.Context(), "POST", "/flows", strings.NewReader(`{"a":1}`))
	req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
	_, err = c.Do(req)
	if err == nil || !strings.HasSuffix(err.Error(), "replaying the request body: gone") || h.attempts != 1 {
		t.Errorf("failing GetBody: error %v after %d attempts", err, h.attempts)
	}
}
