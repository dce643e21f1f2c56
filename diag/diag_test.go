package diag_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/sources"
)

func TestString(t *testing.T) {
	at := sources.Position{File: "prefect.toml", Line: 2, Column: 1, EndLine: 2, EndColumn: 5}
	tests := []struct {
		d    diag.Diagnostic
		want string
	}{
		{diag.Diagnostic{Pos: at, Severity: diag.Error, Message: "server.api.port: bad"}, "prefect.toml:2:1: error: server.api.port: bad"},
		{diag.Diagnostic{Pos: at, Severity: diag.Warning, Rule: "unknown-setting", Message: "unknown setting \"x\""}, "prefect.toml:2:1: warning: unknown setting \"x\" [unknown-setting]"},
		{diag.Diagnostic{Pos: sources.Position{Env: "PREFECT_X"}, Severity: diag.Info, Message: "m"}, "env PREFECT_X: info: m"},
		{diag.Diagnostic{Pos: sources.Position{Env: "--profile"}, Severity: diag.Error, Message: "m"}, "flag --profile: error: m"},
		{diag.Diagnostic{Pos: sources.Position{File: "f.toml"}, Severity: diag.Error, Message: "m"}, "f.toml: error: m"},
		{diag.Diagnostic{Severity: diag.Warning, Message: "no position"}, "warning: no position"},
		// Nothing from a file or variable name forges a line or reaches the
		// terminal as an escape sequence; a message's own lines continue
		// indented.
		{diag.Diagnostic{Pos: sources.Position{File: "a\nb.env:1:1: error: forged\x1b[2J.toml", Line: 1, Column: 1}, Severity: diag.Error, Message: "m"},
			`a\nb.env:1:1: error: forged\x1b[2J.toml:1:1: error: m`},
		{diag.Diagnostic{Pos: sources.Position{Env: "PREFECT_\x1b]0;x\x07"}, Severity: diag.Warning, Message: "m\x1b[31m"}, `env PREFECT_\x1b]0;x\x07: warning: m\x1b[31m`},
		{diag.Diagnostic{Severity: diag.Warning, Message: "first\nsecond\x1b"}, "warning: first\n\tsecond\\x1b"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
	red := func(s diag.Severity, w string) string { return "<" + w + ">" }
	if got := tests[0].d.Format(red); got != "prefect.toml:2:1: <error>: server.api.port: bad" {
		t.Errorf("Format = %q", got)
	}
}

func TestComparePos(t *testing.T) {
	ps := []sources.Position{
		{Env: "PREFECT_B"},
		{File: "b.toml", Line: 1, Column: 1},
		{Env: "PREFECT_A"},
		{File: "a.toml", Line: 10, Column: 1},
		{File: "a.toml", Line: 9, Column: 10},
		{File: "a.toml", Line: 9, Column: 9},
	}
	slices.SortFunc(ps, diag.ComparePos)
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := "[a.toml:9:9 a.toml:9:10 a.toml:10:1 b.toml:1:1 env PREFECT_A env PREFECT_B]"
	if fmt.Sprint(got) != want {
		t.Errorf("sorted %v; want %s", got, want)
	}
}

func TestOf(t *testing.T) {
	syntax := &sources.SyntaxError{Pos: sources.Position{File: "p.toml", Line: 3, Column: 2}, Msg: "invalid TOML: table api already exists",
		First: sources.Position{File: "p.toml", Line: 1, Column: 2}}
	tests := []struct {
		err     error
		want    string
		ok      bool
		related int
	}{
		{fmt.Errorf("reading: %w", syntax), "p.toml:3:2: error: invalid TOML: table api already exists", true, 1},
		{&sources.ReadError{File: "p.toml", Err: errors.New("is a directory")}, "p.toml: error: cannot be read: is a directory", true, 0},
		{&sources.ValueError{Pos: sources.Position{File: "p.toml", Line: 1, Column: 1}, Setting: "api", Msg: "takes a table"}, "p.toml:1:1: error: api: takes a table", true, 0},
		{errors.New("plain"), "error: plain", false, 0},
	}
	for _, tt := range tests {
		d, ok := diag.Of(tt.err)
		if d.String() != tt.want || ok != tt.ok || len(d.Related) != tt.related {
			t.Errorf("Of(%v) = %q, %v, %d related; want %q, %v, %d", tt.err, d, ok, len(d.Related), tt.want, tt.ok, tt.related)
		}
	}
}
