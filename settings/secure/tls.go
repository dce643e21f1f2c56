package secure

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/strata-settings/strata/schema"
)

// tlsConfig is the TLS configuration of the api settings: TLS 1.2 or later,
// verified against the system roots, or against api.ssl_cert_file alone,
// or not verified when api.tls_insecure_skip_verify.
func tlsConfig(s *schema.Settings) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	switch {
	case s.API.TLSInsecureSkipVerify:
		conf.InsecureSkipVerify = true
	case s.API.SSLCertFile != nil && *s.API.SSLCertFile != "":
		// As Python's ssl.create_default_context(cafile=...): the bundle
		// replaces the system roots.
		pem, err := os.ReadFile(*s.API.SSLCertFile)
		if err != nil {
			return nil, fmt.Errorf("api.ssl_cert_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("api.ssl_cert_file %q holds no PEM certificate", *s.API.SSLCertFile)
		}
		conf.RootCAs = pool
	}
	return conf, nil
}
