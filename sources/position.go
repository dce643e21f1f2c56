package sources

import "fmt"

// Position locates a value in its source: a file, line and column, or, for
// the process environment, the variable's name.
type Position struct {
	File   string // file name; empty for the process environment
	Line   int    // 1-based line; 0 when unknown
	Column int    // 1-based column; 0 when unknown
	Env    string // environment variable name, for values from the environment
}

// IsValid reports whether the position names a place.
func (p Position) IsValid() bool { return p.File != "" || p.Env != "" }

// String renders the position as file:line:col, file:line, file, or
// "env NAME" for the process environment.
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
