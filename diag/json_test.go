package diag_test

import (
	"encoding/json"
	"testing"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/sources"
)

// TestMarshalJSON pins the one JSON shape of a diagnostic, which lint -o
// json and config validate -o json write.
func TestMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		d    diag.Diagnostic
		want string
	}{{
		name: "a finding with its span, related place and fix",
		d: diag.Diagnostic{
			Pos:      sources.Position{File: "prefect.toml", Line: 2, Column: 1, EndLine: 2, EndColumn: 5},
			Severity: diag.Warning, Rule: "unknown-setting", Setting: "server.api.port",
			Message: "unknown setting", Suggestion: "server.api.port",
			Related: []diag.Related{{Pos: sources.Position{File: "prefect.toml", Line: 1, Column: 1}, Message: "the table"}, {Pos: sources.Position{Env: "PREFECT_API_URL"}, Message: "set here"}},
			Fixes: []diag.Fix{{Message: "rename prot to port", Edits: []diag.Edit{
				{Pos: sources.Position{File: "prefect.toml", Line: 2, Column: 1, EndLine: 2, EndColumn: 5}, NewText: "port"},
				{Pos: sources.Position{Env: "X"}, NewText: "dropped: no span"},
			}}},
		},
		want: `{"file":"prefect.toml","line":2,"column":1,"range":{"start":{"line":2,"column":1},"end":{"line":2,"column":5}},"severity":"warning","rule":"unknown-setting","setting":"server.api.port","message":"unknown setting","suggestion":"server.api.port","related":[{"file":"prefect.toml","range":{"start":{"line":1,"column":1}},"message":"the table"},{"env":"PREFECT_API_URL","message":"set here"}],"fixes":[{"message":"rename prot to port","edits":[{"file":"prefect.toml","range":{"start":{"line":2,"column":1},"end":{"line":2,"column":5}},"text":"port"}]}]}`,
	}, {
		name: "an engine's error about a variable: no range, no rule",
		d:    diag.Diagnostic{Pos: sources.Position{Env: "PREFECT_CLIENT_MAX_RETRIES"}, Severity: diag.Error, Setting: "client.max_retries", Message: "client.max_retries: not an integer"},
		want: `{"file":"","env":"PREFECT_CLIENT_MAX_RETRIES","line":0,"column":0,"severity":"error","setting":"client.max_retries","message":"client.max_retries: not an integer"}`,
	}}
	for _, tt := range tests {
		got, err := json.Marshal(tt.d)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
