package main

import (
	"slices"
	"testing"
)

// TestOverrides names the override variables as Prefect's to_envvar does:
// runs of other characters made one "_", a non-empty mapping no leaf.
func TestOverrides(t *testing.T) {
	config := map[string]any{
		"version": 1,
		"formatters": map[string]any{
			"standard": map[string]any{"()": "x.Formatter", "format": "%(message)s"},
		},
		"handlers": map[string]any{
			"console": map[string]any{"styles": map[string]any{"log.web_url": "blue"}, "level": 0},
		},
		"filters": map[string]any{},
		"root":    map[string]any{"handlers": []any{"console"}},
	}
	want := []string{
		"PREFECT_LOGGING_FILTERS",
		"PREFECT_LOGGING_FORMATTERS_STANDARD_",
		"PREFECT_LOGGING_FORMATTERS_STANDARD_FORMAT",
		"PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL",
		"PREFECT_LOGGING_HANDLERS_CONSOLE_STYLES_LOG_WEB_URL",
		"PREFECT_LOGGING_ROOT_HANDLERS",
		"PREFECT_LOGGING_VERSION",
	}
	if got := overrides(config); !slices.Equal(got, want) {
		t.Errorf("overrides:\n got %q\nwant %q", got, want)
	}
}
