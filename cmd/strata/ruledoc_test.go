package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/strata-settings/strata/lint"
)

// TestExplainRule checks lint --explain: every rule's page on stdout with
// exit 0, and a usage error for an unknown rule or a PATH.
func TestExplainRule(t *testing.T) {
	for _, r := range lint.Rules() {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"lint", "--explain", r.ID}, &stdout, &stderr); code != exitOK || stderr.Len() > 0 {
			t.Errorf("lint --explain %s: exit %d, stderr %q", r.ID, code, stderr.String())
		}
		if !strings.HasPrefix(stdout.String(), r.ID+": "+r.Summary+"\n") {
			t.Errorf("lint --explain %s prints %q", r.ID, firstLine(stdout.String()))
		}
	}
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"lint", "--explain", "ui-tabel"}, `strata lint: unknown rule "ui-tabel"; did you mean "ui-table"?` + "\n"},
		{[]string{"lint", "--explain", "frobnicate"}, `strata lint: unknown rule "frobnicate"; run "strata lint --help" for the rules` + "\n"},
		{[]string{"lint", "--explain", "ui-table", "prefect.toml"}, `strata lint: --explain takes a rule, not a PATH ("prefect.toml")` + "\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, &stdout, &stderr); code != exitUsage || stdout.Len() > 0 || stderr.String() != tt.stderr {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", tt.args, code, stdout.String(), stderr.String(), exitUsage, tt.stderr)
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
