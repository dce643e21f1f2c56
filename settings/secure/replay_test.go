package secure_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

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
