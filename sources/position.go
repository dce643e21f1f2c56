package sources

import "fmt"

// Position locates a value in its source: a file, line and column, or, for
// the process environment, the variable's name. When the source knows how
// far the key runs, EndLine and EndColumn say where it ends: the position
// spans the key as written, from Line:Column up to, not including,
// EndLine:EndColumn.
type Position struct {
	File   string // file name; empty for the process environment
	Line   int    // 1-based line; 0 when unknown
	Column int    // 1-based column, counted in Unicode code points; 0 when unknown
	Env    string // environment variable name, for values from the environment

	EndLine   int // 1-based line where the span ends; 0 when only the start is known
	EndColumn int // 1-based column just past the span's last character
}

// IsValid reports whether the position names a place.
func (p Position) IsValid() bool { return p.File != "" || p.Env != "" }

// HasEnd reports whether the position spans a range of its file: it has a
// start and an end.
func (p Position) HasEnd() bool {
	return p.File != "" && p.Line > 0 && p.Column > 0 && p.EndLine > 0 && p.EndColumn > 0
}

// Start returns the position without its end.
func (p Position) Start() Position {
	p.EndLine, p.EndColumn = 0, 0
	return p
}

// String renders the position as file:line:col, file:line, file, or
// "env NAME" for the process environment. The end is not shown.
func (p Position) String() string {
	switch {
	case p.File == "" && p.Env != "":
		return "env " + p.Env
	case p.File == "":
		return "-"
	case p.Line > 0 && p.Column > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return p.File
}
