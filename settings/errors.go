package settings

import (
	"cmp"
	"slices"
	"strings"

	"github.com/strata-settings/strata/sources"
)

// Error is a setting whose value cannot be used, or a source that cannot be
// read, with where the value came from.
type Error struct {
	Pos     sources.Position // file:line:col, or the environment variable
	Layer   sources.Kind     // the layer the value came from
	Setting string           // dotted path of the setting ("" for a whole file)
	Key     string           // the key or variable name as written
	Msg     string
	Err     error // the underlying error, if any
}

// Error renders the error as "file:line:col: setting: message", or
// "env NAME: setting: message" for the environment.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.IsValid() {
		b.WriteString(e.Pos.String())
		b.WriteString(": ")
	}
	if e.Setting != "" {
		b.WriteString(e.Setting)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

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

// Sort orders the list by setting, then by position.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(strings.Compare(a.Setting, b.Setting), strings.Compare(a.Pos.String(), b.Pos.String()))
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
