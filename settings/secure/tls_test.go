package secure_test

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

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
