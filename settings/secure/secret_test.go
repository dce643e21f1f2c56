package secure_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/strata-settings/strata/settings/secure"
)

// TestNoSecretInOutput runs the package through its warnings, errors and
// logs with secrets set everywhere, and looks for the secrets in all of
// it.
func TestNoSecretInOutput(t *testing.T) {
	const (
		key        = "pnu_keyvalue9f8e7d"
		clientAuth = "clientuser:clientpw77"
		serverAuth = "serveruser:serverpw88"
		headerVal  = "headersecret55"
	)
	secrets := []string{key, clientAuth, serverAuth, headerVal, "clientpw77", "serverpw88",
		base64.StdEncoding.EncodeToString([]byte(clientAuth)), base64.StdEncoding.EncodeToString([]byte(serverAuth))}

	log, buf := capture()
	var out []string
	note := func(v ...any) { out = append(out, fmt.Sprint(v...)) }

	h := &scripted{script: []int{503, 429, 200}}
	g, err := secure.NewServerGuard(load(t, "PREFECT_SERVER_API_AUTH_STRING="+serverAuth,
		"PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true"), secure.GuardOptions{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g.Wrap(h))
	t.Cleanup(srv.Close)
	env := []string{"PREFECT_API_URL=" + srv.URL + "/api", "PREFECT_API_KEY=" + key, "PREFECT_API_AUTH_STRING=" + clientAuth,
		`PREFECT_CLIENT_CUSTOM_HEADERS={"User-Agent": "` + headerVal + `", "X-Token": "` + headerVal + `"}`}
	c, err := secure.NewClient(load(t, env...), secure.ClientOptions{Logger: log, Sleep: (&sleeps{}).Sleep})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range c.Warnings() {
		note(w.String())
	}
	// The key is sent, the server wants the auth string: GETs get 401, a
	// POST fails fetching its token.
	for _, method := range []string{"GET", "POST"} {
		req, _ := c.NewRequest(t.Context(), method, "/flows", strings.NewReader("{}"))
		resp, err := c.Do(req)
		if err != nil {
			note(err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		note(resp.Status, string(b), resp.Header)
	}
	// A client with the right auth string goes through retries and CSRF.
	good, err := secure.NewClient(load(t, "PREFECT_API_URL="+srv.URL+"/api", "PREFECT_API_AUTH_STRING="+serverAuth),
		secure.ClientOptions{Logger: log, Sleep: (&sleeps{}).Sleep})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := good.NewRequest(t.Context(), "POST", "/flows", strings.NewReader("{}"))
	resp, err := good.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h.attempts != 3 {
		t.Errorf("attempts = %d, want 3", h.attempts)
	}
	// Errors from settings.
	for _, env := range [][]string{
		{"PREFECT_API_URL=ftp://user:" + key + "@host/api"},
		{"PREFECT_API_URL=" + srv.URL, "PREFECT_API_KEY=" + key, "PREFECT_API_SSL_CERT_FILE=/nonexistent"},
	} {
		_, err := secure.NewClient(load(t, env...), secure.ClientOptions{Logger: log})
		note(err)
	}

	out = append(out, buf.String())
	if buf.Len() == 0 {
		t.Error("nothing was logged")
	}
	all := strings.Join(out, "\n")
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("output holds the secret %q:\n%s", s, all)
		}
	}
}
