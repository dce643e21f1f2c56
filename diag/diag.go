package diag

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/strata-settings/strata/sources"
)

// Severity says how much a diagnostic matters.
type Severity uint8

// The severities, most severe first.
const (
	Error   Severity = iota // Prefect rejects the value or fails to load the file
	Warning                 // Prefect loads it, but not as written
	Info                    // a documented behaviour that may surprise
)

var severityNames = [...]string{Error: "error", Warning: "warning", Info: "info"}

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return "unknown"
}

// Diagnostic is one problem, at the place it concerns. It never holds a
// secret's value: not in its message, its related messages nor its fixes.
type Diagnostic struct {
	// Pos is where the problem is: a file's span (Line:Column up to
	// EndLine:EndColumn when the end is known), or the environment
	// variable, or, with an Env starting with "-", the flag.
	Pos        sources.Position
	Severity   Severity
	Rule       string // the lint rule's id, such as "unknown-setting"; empty for the engine's errors
	Setting    string // dotted path of the setting concerned, if one is
	Message    string // lower-case, without a final period; one line for lint
	Suggestion string // what to write instead, if there is one thing to write
	// Related are the other places the problem involves: the value that
	// overrides this one, the other half of a conflicting pair.
	Related []Related
	// Fixes are the ways to fix the problem by editing files, the best
	// first; a tool applies one of them, every edit of it.
	Fixes []Fix
}

// Related is a place a diagnostic involves, and what it is there.
type Related struct {
	Pos     sources.Position
	Message string // "api.auth_string is set here"
}

// Fix is one way to fix a diagnostic: edits made together.
type Fix struct {
	Message string // "rename PREFECT_UI_API_URL to PREFECT_SERVER_UI_API_URL"
	Edits   []Edit
}

// Edit replaces the text of a file's span with NewText: from Pos's
// Line:Column up to, not including, its EndLine:EndColumn. A span whose end
// is its start inserts; an empty NewText deletes.
type Edit struct {
	Pos     sources.Position
	NewText string
}

// Where renders the diagnostic's position: file:line:col, file, "env NAME",
// "flag --profile", or "-" when it has none. Control characters in the file
// or variable name are escaped.
func (d Diagnostic) Where() string { return Where(d.Pos) }

// Where renders pos as Diagnostic.Where does.
func Where(pos sources.Position) string {
	switch {
	case pos.File != "":
		return Escape(pos.Start().String())
	case strings.HasPrefix(pos.Env, "-"):
		return "flag " + Escape(pos.Env)
	case pos.Env != "":
		return "env " + Escape(pos.Env)
	}
	return "-"
}

// String renders the diagnostic as "file:line:col: severity: message",
// followed by " [rule]" for a lint finding; without a position, as
// "severity: message". Control characters are escaped; a message of
// several lines continues on lines indented by a tab, which cannot be
// taken for another diagnostic.
func (d Diagnostic) String() string { return d.Format(nil) }

// Format is String with the severity word passed through paint, which may
// colour it for a terminal; a nil paint leaves it as is.
func (d Diagnostic) Format(paint func(Severity, string) string) string {
	var b strings.Builder
	if d.Pos.IsValid() {
		b.WriteString(d.Where())
		b.WriteString(": ")
	}
	sev := d.Severity.String()
	if paint != nil {
		sev = paint(d.Severity, sev)
	}
	b.WriteString(sev)
	b.WriteString(": ")
	for i, line := range strings.Split(d.Message, "\n") {
		if i > 0 {
			b.WriteString("\n\t")
		}
		b.WriteString(Escape(line))
	}
	if d.Rule != "" {
		b.WriteString(" [")
		b.WriteString(Escape(d.Rule))
		b.WriteString("]")
	}
	return b.String()
}

// Equal reports whether d and e say the same thing at the same place.
func (d Diagnostic) Equal(e Diagnostic) bool {
	return d.Pos == e.Pos && d.Severity == e.Severity && d.Rule == e.Rule && d.Setting == e.Setting &&
		d.Message == e.Message && d.Suggestion == e.Suggestion && slices.Equal(d.Related, e.Related) &&
		slices.EqualFunc(d.Fixes, e.Fixes, func(a, b Fix) bool { return a.Message == b.Message && slices.Equal(a.Edits, b.Edits) })
}

// Compare orders diagnostics by position (ComparePos), then rule, then
// message.
func Compare(a, b Diagnostic) int { return compare(&a, &b) }

// compare is Compare without copies, each key compared only when the ones
// before are equal: sorting thousands of findings calls it most.
func compare(a, b *Diagnostic) int {
	if c := comparePos(&a.Pos, &b.Pos); c != 0 {
		return c
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// ComparePtr is Compare for diagnostics held by pointer.
func ComparePtr(a, b *Diagnostic) int { return compare(a, b) }

// ComparePos orders positions by file, then line and column as numbers
// (line 9 before line 10), then end; positions in files come before those
// of environment variables, which are ordered by name.
func ComparePos(a, b sources.Position) int { return comparePos(&a, &b) }

func comparePos(a, b *sources.Position) int {
	aFile, bFile := a.File != "", b.File != ""
	if aFile != bFile {
		if aFile {
			return -1
		}
		return 1
	}
	if a.File != b.File {
		return strings.Compare(a.File, b.File)
	}
	if a.Line != b.Line {
		return cmp.Compare(a.Line, b.Line)
	}
	if a.Column != b.Column {
		return cmp.Compare(a.Column, b.Column)
	}
	if a.Env != b.Env {
		return strings.Compare(a.Env, b.Env)
	}
	if a.EndLine != b.EndLine {
		return cmp.Compare(a.EndLine, b.EndLine)
	}
	return cmp.Compare(a.EndColumn, b.EndColumn)
}

// Diagnoser is an error that is a diagnostic: settings.Error is one.
type Diagnoser interface {
	error
	Diagnostic() Diagnostic
}

// Of returns the diagnostic an error carries: that of the first error in
// its tree (errors.As order, joined errors included) that is a Diagnoser
// or one of the sources package's errors with a position (SyntaxError,
// FileError, ReadError, ValueError), as an Error; the text wrapping it is
// dropped. ok is false when there is none, and the diagnostic holds err's
// text without a position.
func Of(err error) (d Diagnostic, ok bool) {
	var (
		dg Diagnoser
		se *sources.SyntaxError
		fe *sources.FileError
		re *sources.ReadError
		ve *sources.ValueError
	)
	switch {
	case err == nil:
		return Diagnostic{}, false
	case errors.As(err, &dg):
		return dg.Diagnostic(), true
	case errors.As(err, &se):
		d := Diagnostic{Pos: se.Pos, Severity: Error, Message: se.Msg}
		if se.First.IsValid() {
			d.Related = []Related{{Pos: se.First, Message: "first defined here"}}
		}
		return d, true
	case errors.As(err, &fe):
		return Diagnostic{Pos: fe.Pos, Severity: Error, Message: fe.Msg}, true
	case errors.As(err, &re):
		return Diagnostic{Pos: sources.Position{File: re.File}, Severity: Error, Message: re.Reason()}, true
	case errors.As(err, &ve):
		return Diagnostic{Pos: ve.Pos, Severity: Error, Setting: ve.Setting, Message: ve.Setting + ": " + ve.Msg}, true
	}
	return Diagnostic{Severity: Error, Message: err.Error()}, false
}
