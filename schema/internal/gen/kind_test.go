package main

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestKindOf pins how each shape of type in Prefect's schemas is parsed,
// and that a shape the generator does not know gets no kind.
func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		path, schema string
		kind         string
		optional     bool
		members      []string
	}{
		{"api.url", `{"anyOf": [{"type": "string"}, {"type": "null"}]}`, "String", true, nil},
		{"api.key", `{"anyOf": [{"format": "password", "type": "string", "writeOnly": true}, {"type": "null"}]}`, "Secret", true, nil},
		{"home", `{"format": "path", "type": "string"}`, "Path", false, nil},
		{"logging.level", `{"enum": ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], "type": "string"}`, "LogLevel", false, nil},
		{"logging.to_api.when_missing_flow", `{"enum": ["warn", "error", "ignore"], "type": "string"}`, "Enum", false, nil},
		{"server.api.csrf_token_expiration", `{"format": "duration", "type": "string"}`, "Duration", false, nil},
		{"server.services.late_runs.after_seconds", `{"format": "duration", "type": "string"}`, "SecondsDuration", false, nil},
		{"client.retry_extra_codes", `{"anyOf": [{"type": "string"}, {"maximum": 599, "minimum": 100, "type": "integer"}, {"items": {"maximum": 599, "minimum": 100, "type": "integer"}, "type": "array", "uniqueItems": true}, {"type": "null"}]}`, "IntSet", true, nil},
		{"logging.extra_loggers", `{"anyOf": [{"type": "string"}, {"items": {"type": "string"}, "type": "array"}, {"type": "null"}]}`, "StringList", true, nil},
		{"plugins.allow", `{"anyOf": [{"items": {"type": "string"}, "type": "array", "uniqueItems": true}, {"type": "null"}]}`, "StringSet", true, nil},
		{"flows.default_retry_delay_seconds", `{"anyOf": [{"type": "integer"}, {"type": "number"}, {"items": {"type": "number"}, "type": "array"}]}`, "NumberOrList", false, []string{"int", "float", "list[float]"}},
		{"tasks.default_retry_delay_seconds", `{"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}, {"items": {"type": "number"}, "type": "array"}, {"type": "null"}]}`, "FloatOrList", true, nil},
		{"server.services.db_vacuum.enabled", `{"type": "boolean"}`, "Bool", false, nil},
		{"server.services.db_vacuum.enabled", `{"anyOf": [{"items": {"type": "string"}, "type": "array", "uniqueItems": true}, {"type": "boolean"}, {"type": "null"}]}`, "Vacuum", true, nil},
		{"client.custom_headers", `{"additionalProperties": {"type": "string"}, "type": "object"}`, "Headers", false, nil},
		{"server.services.db_vacuum.event_retention_overrides", `{"additionalProperties": {"format": "duration", "type": "string"}, "type": "object"}`, "DurationMap", false, nil},
		{"testing.test_setting", `{"anyOf": [{}, {"type": "null"}]}`, "Any", true, nil},
		// Shapes no setting has: no kind.
		{"x", `{"anyOf": [{"type": "integer"}, {"type": "string"}]}`, "", false, nil},
		{"x", `{"items": {"type": "integer"}, "type": "array"}`, "", false, nil},
		{"x", `{"additionalProperties": {"type": "integer"}, "type": "object"}`, "", false, nil},
	} {
		var p prop
		if err := json.Unmarshal([]byte(tc.schema), &p); err != nil {
			t.Fatal(err)
		}
		kind, members, optional := kindOf(tc.path, p)
		if kind != tc.kind || optional != tc.optional || !slices.Equal(members, tc.members) {
			t.Errorf("%s %s: %s, optional %v, members %q; want %s, %v, %q", tc.path, tc.schema, kind, optional, members, tc.kind, tc.optional, tc.members)
		}
	}
}
