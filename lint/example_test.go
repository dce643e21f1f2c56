package lint_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-settings/strata/lint"
)

// Lint a prefect.toml: the port is no integer, the CORS origins are an
// array where Prefect wants one string, and [ui] api_url does nothing.
func ExampleRun() {
	dir, _ := os.MkdirTemp("", "lint")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "prefect.toml"), []byte(`[server.api]
port = "http"
cors_allowed_origins = ["https://a.example", "https://b.example"]

[ui]
api_url = "http://localhost:4200/api"
`), 0o644)

	findings, err := lint.Run(lint.Options{Dir: dir, Paths: []string{"prefect.toml"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	// Output:
	// prefect.toml:2:1: error: server.api.port: Input should be a valid integer, unable to parse string as an integer [invalid-value]
	// prefect.toml:3:1: error: server.api.cors_allowed_origins takes one comma-separated string, not an array; write "https://a.example,https://b.example" [cors-array]
	// prefect.toml:6:1: warning: [ui] api_url does nothing: Prefect has no [ui] table; the setting is [server.ui] api_url [ui-table]
}
