package settings_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// TestErrorListAs: errors.As looks into every error of a list, and through
// each to its cause.
func TestErrorListAs(t *testing.T) {
	syntax := &sources.SyntaxError{Pos: sources.Position{File: "prefect.toml", Line: 1, Column: 5}, Msg: "invalid TOML: expected ']'"}
	list := settings.ErrorList{
		{Pos: sources.Position{Env: "PREFECT_SERVER_API_PORT"}, Setting: "server.api.port", Msg: "bad"},
		{Pos: syntax.Pos, Msg: syntax.Msg, Err: syntax},
	}
	var err error = list
	var e *settings.Error
	if !errors.As(err, &e) || e != list[0] {
		t.Errorf("errors.As(*Error) = %v; want the first error", e)
	}
	var se *sources.SyntaxError
	if !errors.As(err, &se) || se != syntax {
		t.Errorf("errors.As(*SyntaxError) = %v; want the second error's cause", se)
	}
	if !errors.Is(err, list[1]) {
		t.Error("errors.Is does not find an element")
	}
	var d diag.Diagnoser
	if !errors.As(err, &d) || d.Diagnostic().Setting != "server.api.port" {
		t.Errorf("errors.As(diag.Diagnoser) = %v", d)
	}
}

// TestErrorListSort: positions compare as numbers, line 9 before line 10,
// within a setting; the environment comes after the files.
func TestErrorListSort(t *testing.T) {
	at := func(file string, line, col int) sources.Position {
		return sources.Position{File: file, Line: line, Column: col}
	}
	list := settings.ErrorList{
		{Pos: sources.Position{Env: "PREFECT_API_URL"}, Setting: "api.url", Msg: "e"},
		{Pos: at("prefect.toml", 10, 1), Setting: "api.url", Msg: "d"},
		{Pos: at("prefect.toml", 9, 12), Setting: "api.url", Msg: "c"},
		{Pos: at("prefect.toml", 9, 2), Setting: "api.url", Msg: "b"},
		{Pos: at(".env", 100, 1), Setting: "api.url", Msg: "a"},
		{Pos: at("z.toml", 1, 1), Msg: "file"},
	}
	list.Sort()
	var got []string
	for _, e := range list {
		got = append(got, e.Msg)
	}
	if want := "file a b c d e"; strings.Join(got, " ") != want {
		t.Errorf("sorted %q; want %q", strings.Join(got, " "), want)
	}
}

// TestErrorRendering: every settings error reads as a diagnostic,
// "file:line:col: error: setting: message", and go-toml's own words do not
// reach it; a key defined twice names where it was first defined.
func TestErrorRendering(t *testing.T) {
	opts := project(t, map[string]string{"work/prefect.toml": "[api]\nurl = \"http://a/api\"\n\n[api]\nkey = \"k\"\n"},
		"PREFECT_SERVER_API_PORT=x")
	_, err := settings.Load(opts)
	var list settings.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v; want an ErrorList", err)
	}
	root := filepath.Dir(opts.Dir) + string(filepath.Separator)
	var got []string
	for _, e := range list {
		got = append(got, strings.ReplaceAll(e.Error(), root, ""))
	}
	want := []string{
		"work/prefect.toml:4:2: error: invalid TOML: table api already exists",
		"env PREFECT_SERVER_API_PORT: error: server.api.port: Input should be a valid integer, unable to parse string as an integer",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	d := list[0].Diagnostic()
	if len(d.Related) != 1 || d.Related[0].Pos.Line != 1 || d.Related[0].Pos.Column != 2 || d.Related[0].Message != "first defined here" {
		t.Errorf("related %+v; want the first [api] at 1:2", d.Related)
	}
}
