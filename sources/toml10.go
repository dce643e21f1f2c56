package sources

import (
	"errors"
	"unicode/utf8"
)

// ErrTOML11 is wrapped by every *SyntaxError for TOML 1.1 syntax: go-toml
// reads the document, so the layer is complete, but Prefect's parser
// (Python's tomllib, TOML 1.0) rejects the whole file.
var ErrTOML11 = errors.New("TOML 1.1 syntax, which TOML 1.0 rejects")

// CheckTOML10 returns, joined, a *SyntaxError wrapping ErrTOML11 for each
// place data, the contents of file, uses TOML 1.1 syntax that Prefect's
// TOML 1.0 parser rejects; nil when there is none. It expects a document
// go-toml accepts; the TOML readers of this package call it themselves.
func CheckTOML10(file string, data []byte) error {
	return errors.Join(toml11Errors(file, data)...)
}

// LaterTOMLProblems returns what Prefect 3.6.14 and later, which read
// TOML 1.0 (release.Release.TOMLLib), refuse in data, the contents of the
// TOML file named file: a *SyntaxError for each problem, those of TOML 1.1
// syntax wrapping ErrTOML11; nil when TOML 1.0 reads the file, or when it
// is beyond Strata's limits. It is for files an older release reads with
// the toml package, to tell what an upgrade would refuse.
func LaterTOMLProblems(file string, data []byte) []error {
	doc, err := parseTOMLCached(file, data, false, false)
	var fe *FileError
	switch {
	case errors.As(err, &fe):
		return nil
	case err != nil:
		return []error{err}
	}
	return doc.toml11
}

// toml11Errors returns a *SyntaxError wrapping ErrTOML11 for each place
// data, the contents of file, uses TOML 1.1 syntax.
func toml11Errors(file string, data []byte) []error {
	var errs []error
	for _, p := range scanTOML10(data) {
		errs = append(errs, &SyntaxError{Pos: Position{File: file, Line: p.Line, Column: p.Column},
			Msg: "invalid TOML: " + p.Msg, Err: ErrTOML11})
	}
	return errs
}

// tomlProblem is a place where a TOML document uses syntax that go-toml
// accepts and TOML 1.0 does not.
type tomlProblem struct {
	Line, Column int // 1-based
	Msg          string
}

// scanTOML10 finds the TOML 1.1 syntax in data that go-toml/v2 accepts but
// Prefect's parser, Python's tomllib (TOML 1.0), rejects: line breaks,
// comments and a trailing comma inside an inline table, the \e and \xHH
// escapes, and times without seconds. It expects a document go-toml
// accepts; on anything else it reports what it sees and never fails.
func scanTOML10(data []byte) []tomlProblem {
	s := &tomlScanner{data: data, line: 1}
	s.scan()
	return s.problems
}

type container struct {
	ch       byte // '[' for an array, '{' for an inline table
	reported bool // a line break inside it was reported
}

type tomlScanner struct {
	data      []byte
	i         int
	line      int
	lineStart int // offset where the current line starts
	stack     []container
	last      byte // the last significant byte outside strings and comments
	problems  []tomlProblem
}

func (s *tomlScanner) report(off int, msg string) {
	if off > len(s.data) {
		off = len(s.data)
	}
	col := utf8.RuneCount(s.data[s.lineStart:off]) + 1
	s.problems = append(s.problems, tomlProblem{Line: s.line, Column: col, Msg: msg})
}

func (s *tomlScanner) newline() {
	s.line++
	s.lineStart = s.i + 1
}

func (s *tomlScanner) top() *container {
	if len(s.stack) == 0 {
		return nil
	}
	return &s.stack[len(s.stack)-1]
}

func (s *tomlScanner) scan() {
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '\n':
			if t := s.top(); t != nil && t.ch == '{' && !t.reported {
				t.reported = true
				s.report(s.i, "a line break inside an inline table is TOML 1.1; Prefect's TOML 1.0 parser rejects the file")
			}
			s.newline()
			s.i++
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case c == '#':
			for s.i < len(s.data) && s.data[s.i] != '\n' {
				s.i++
			}
		case c == '"' || c == '\'':
			s.str()
			s.last = c
		case c == '[' && len(s.stack) == 0 && s.atLineStart():
			s.header()
		case c == '[' || c == '{':
			s.stack = append(s.stack, container{ch: c})
			s.last = c
			s.i++
		case c == ']' || c == '}':
			if t := s.top(); t != nil {
				if c == '}' && t.ch == '{' && s.last == ',' {
					s.report(s.i, "a trailing comma in an inline table is TOML 1.1; Prefect's TOML 1.0 parser rejects the file")
				}
				s.stack = s.stack[:len(s.stack)-1]
			}
			s.last = c
			s.i++
		case bareByte(c):
			s.token()
		default:
			s.last = c
			s.i++
		}
	}
}

// atLineStart reports whether only blanks precede s.i on its line.
func (s *tomlScanner) atLineStart() bool {
	for _, c := range s.data[s.lineStart:s.i] {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// header skips a table header, [a.b] or [[a]], with its quoted keys.
func (s *tomlScanner) header() {
	for s.i < len(s.data) && s.data[s.i] != '\n' {
		switch s.data[s.i] {
		case '"', '\'':
			s.str()
		case '#':
			for s.i < len(s.data) && s.data[s.i] != '\n' {
				s.i++
			}
		default:
			s.i++
		}
	}
	s.last = ']'
}

func bareByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '+' || c == '.' || c == ':'
}

// token reads a bare key or value; a time in it must have seconds.
func (s *tomlScanner) token() {
	start := s.i
	for s.i < len(s.data) && bareByte(s.data[s.i]) {
		s.i++
	}
	tok := s.data[start:s.i]
	for j := 0; j+5 <= len(tok); j++ {
		if j > 0 && tok[j-1] != 'T' && tok[j-1] != 't' {
			continue
		}
		if digit(tok[j]) && digit(tok[j+1]) && tok[j+2] == ':' && digit(tok[j+3]) && digit(tok[j+4]) &&
			(j+5 == len(tok) || tok[j+5] != ':' && !digit(tok[j+5])) {
			s.report(start+j, "a time without seconds is TOML 1.1; Prefect's TOML 1.0 parser rejects the file")
			break
		}
	}
	s.last = 'a'
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

// str skips a string of any of the four kinds, reporting the TOML 1.1
// escapes of basic strings.
func (s *tomlScanner) str() {
	q := s.data[s.i]
	multi := s.i+2 < len(s.data) && s.data[s.i+1] == q && s.data[s.i+2] == q
	if multi {
		s.i += 3
	} else {
		s.i++
	}
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '\n':
			if !multi {
				return // an unterminated string; the line ends it
			}
			s.newline()
			s.i++
		case c == '\\' && q == '"':
			if s.i+1 < len(s.data) {
				switch s.data[s.i+1] {
				case 'e':
					s.report(s.i, `the escape \e is TOML 1.1; Prefect's TOML 1.0 parser rejects the file; write \u001b`)
				case 'x':
					s.report(s.i, `the escape \x is TOML 1.1; Prefect's TOML 1.0 parser rejects the file; write \u00XX`)
				case '\n':
					s.i++ // a line-ending backslash: the newline is the string's
					s.newline()
				}
			}
			s.i += 2
		case c == q:
			if !multi {
				s.i++
				return
			}
			if s.i+2 < len(s.data) && s.data[s.i+1] == q && s.data[s.i+2] == q {
				s.i += 3
				for k := 0; k < 2 && s.i < len(s.data) && s.data[s.i] == q; k++ {
					s.i++ // up to two quotes may end the content
				}
				return
			}
			s.i++
		default:
			s.i++
		}
	}
}
