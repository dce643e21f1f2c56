package diag_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// A settings error and a lint finding render the same way.
func ExampleDiagnostic_String() {
	err := &settings.Error{Pos: sources.Position{File: "prefect.toml", Line: 2, Column: 1}, Setting: "server.api.port",
		Msg: "Input should be a valid integer"}
	fmt.Println(err.Diagnostic())

	finding := diag.Diagnostic{
		Pos:      sources.Position{File: ".env", Line: 3, Column: 1, EndLine: 3, EndColumn: 19},
		Severity: diag.Warning, Rule: "legacy-alias", Setting: "server.ui.api_url",
		Message: `PREFECT_UI_API_URL is the legacy name of server.ui.api_url; use "PREFECT_SERVER_UI_API_URL"`,
		Fixes: []diag.Fix{{Message: "rename PREFECT_UI_API_URL to PREFECT_SERVER_UI_API_URL",
			Edits: []diag.Edit{{Pos: sources.Position{File: ".env", Line: 3, Column: 1, EndLine: 3, EndColumn: 19}, NewText: "PREFECT_SERVER_UI_API_URL"}}}},
	}
	fmt.Println(finding)
	// Output:
	// prefect.toml:2:1: error: server.api.port: Input should be a valid integer
	// .env:3:1: warning: PREFECT_UI_API_URL is the legacy name of server.ui.api_url; use "PREFECT_SERVER_UI_API_URL" [legacy-alias]
}

// Of finds the diagnostic an error carries, through the errors wrapping it.
func ExampleOf() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	_, err := settings.Load(settings.Options{Environ: []string{"PREFECT_SERVER_API_PORT=http"}, Dir: dir, Home: dir})
	if d, ok := diag.Of(fmt.Errorf("loading: %w", err)); ok {
		fmt.Println(d.Pos, "|", d.Severity, "|", d.Message)
	}
	var e *settings.Error
	fmt.Println(errors.As(err, &e), e.Setting)
	// Output:
	// env PREFECT_SERVER_API_PORT | error | server.api.port: Input should be a valid integer, unable to parse string as an integer
	// true server.api.port
}
