package settings

import (
	"cmp"
	"slices"
	"strings"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/sources"
)

// Error is a setting whose value cannot be used, or a source that cannot be
// read, with where the value came from. Its Diagnostic is the shape every
// output renders.
type Error struct {
	Pos     sources.Position // file:line:col (and the key's end, when known), or the environment variable
	Layer   sources.Kind     // the layer the value came from
	Setting string           // dotted path of the setting ("" for a whole file)
	Key     string           // the key or variable name as written
	Msg     string
	Err     error // the underlying error, if any
	// Related are the other places the error involves, such as where a
	// key defined twice was first defined.
	Related []diag.Related
}

// Diagnostic returns the error as a diagnostic of severity diag.Error:
// its message is "setting: message", or the message alone for a whole
// file.
func (e *Error) Diagnostic() diag.Diagnostic {
	msg := e.Msg
	if e.Setting != "" {
		msg = e.Setting + ": " + msg
	}
	return diag.Diagnostic{Pos: e.Pos, Severity: diag.Error, Setting: e.Setting, Message: msg, Related: e.Related}
}

// Error renders the error as "file:line:col: error: setting: message", or
// "env NAME: error: setting: message" for the environment: the
// diagnostic's one rendering.
func (e *Error) Error() string { return e.Diagnostic().String() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every problem one resolution found.
type ErrorList []*Error

// Error renders the first error and how many more there are; print the list
// one error a line to see them all.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return l[0].Error() + " (and " + itoa(len(l)-1) + " more errors)"
}

// Unwrap returns the errors of the list, so that errors.Is and errors.As
// look into each: errors.As(err, &e) with e a *Error finds the first.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Sort orders the list by setting, then by position: file, then line and
// column as numbers (line 9 before line 10), the environment last.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(strings.Compare(a.Setting, b.Setting), diag.ComparePos(a.Pos, b.Pos))
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Diagnostics returns every error of the list as a diagnostic.
func (l ErrorList) Diagnostics() []diag.Diagnostic {
	out := make([]diag.Diagnostic, len(l))
	for i, e := range l {
		out[i] = e.Diagnostic()
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
