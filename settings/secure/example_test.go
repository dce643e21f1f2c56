package secure_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/settings/secure"
)

// A server and a client configured from one project: prefect.toml sets up
// the server's authentication and CSRF protection, the client's profile
// holds the matching auth string, and the client authenticates, fetches a
// CSRF token and posts to the guarded API.
func Example() {
	root, _ := os.MkdirTemp("", "strata-secure")
	defer os.RemoveAll(root)
	work, home := filepath.Join(root, "work"), filepath.Join(root, "home")
	os.MkdirAll(work, 0o755)
	os.MkdirAll(filepath.Join(home, ".prefect"), 0o755)
	os.WriteFile(filepath.Join(work, "prefect.toml"), []byte(`
[server.api]
host = "127.0.0.1"
port = 4300
auth_string = "admin:pass"
csrf_protection_enabled = true
cors_allowed_origins = "https://ui.example"
`), 0o644)
	os.WriteFile(filepath.Join(home, ".prefect", "profiles.toml"), []byte(`
active = "dev"

[profiles.dev]
PREFECT_API_AUTH_STRING = "admin:pass"
`), 0o644)

	server, err := settings.Load(settings.Options{Environ: []string{}, Dir: work, Home: home})
	if err != nil {
		fmt.Println(err)
		return
	}
	guard, err := secure.NewServerGuard(server, secure.GuardOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.Path, body)
	})
	srv := httptest.NewServer(guard.Wrap(api))
	defer srv.Close()
	fmt.Println("browser API URL:", secure.UIAPIURL(server))

	// The client's environment names the server; the rest comes from the
	// profile.
	client, err := settings.Load(settings.Options{
		Environ: []string{"PREFECT_API_URL=" + srv.URL + "/api"}, Dir: work, Home: home,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := secure.NewClient(client, secure.ClientOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	req, _ := c.NewRequest(context.Background(), "POST", "/flows", strings.NewReader(`{"name":"etl"}`))
	resp, err := c.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(body))
	fmt.Println("warnings:", len(c.Warnings()))

	anonymous, _ := http.Get(srv.URL + "/api/flows")
	anonymous.Body.Close()
	fmt.Println("without credentials:", anonymous.Status)
	// Output:
	// browser API URL: http://127.0.0.1:4300/api
	// 200 OK POST /api/flows {"name":"etl"}
	// warnings: 0
	// without credentials: 401 Unauthorized
}
