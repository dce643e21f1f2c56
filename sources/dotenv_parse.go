package sources

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// DotEnvEntry is one binding of a .env file.
type DotEnvEntry struct {
	Key    string  // the key as written, without an export prefix
	Value  *string // nil for a key without '=' (python-dotenv yields None)
	Line   int     // 1-based line of the key
	Column int     // 1-based column of the key
	// EndColumn is the column just past the key as written (its quotes
	// included), on Line.
	EndColumn int
}

// DotEnvError is a statement python-dotenv cannot parse; it skips the rest
// of the line with a warning, and so does ParseDotEnv.
type DotEnvError struct {
	Line, Column int
	Msg          string
	Limit        bool // the file is beyond a limit of Strata's (MaxKeys, MaxValueLen); it is refused, not skipped over
}

// Error renders the problem as "line L:C: message".
func (e *DotEnvError) Error() string { return fmt.Sprintf("line %d:%d: %s", e.Line, e.Column, e.Msg) }

// ParseDotEnv parses data as python-dotenv 1.2 (Prefect's reader) does:
// optional "export ", a bare or single-quoted key, '=' with optional blanks,
// and a single-quoted, double-quoted (with escapes) or bare value; a bare
// value ends at " #". A line it cannot parse is skipped and reported.
// Then ${NAME} and ${NAME:-default} are expanded in every value, from the
// file's earlier bindings first, then from lookup; $NAME is left alone.
//
// godotenv, which the rest of the Go world uses, differs on bad lines (it
// fails the whole file), on expansion inside single quotes and on escapes;
// see TestDotEnvDiffersFromGodotenv.
func ParseDotEnv(data []byte, lookup func(name string) (string, bool)) ([]DotEnvEntry, []*DotEnvError) {
	p := &dotenvParser{src: string(data)}
	p.indexLines()
	// At most a binding a line (the empty one after a final newline
	// aside): the entries are made once, and their values kept in a
	// block of as many (keepValue).
	n := len(p.lines)
	if p.lines[n-1] == len(p.src) {
		n--
	}
	entries := make([]DotEnvEntry, 0, min(n, MaxKeys))
	p.values = make([]string, 0, cap(entries))
	var errs []*DotEnvError
	seen := map[string]*string{}
	expanded := 0
	for {
		e, err, more := p.binding()
		if !more {
			break
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if e.Key == "" && e.Value == nil {
			continue // a comment
		}
		if len(entries) == MaxKeys {
			return entries, append(errs, &DotEnvError{Line: e.Line, Column: e.Column, Limit: true,
				Msg: fmt.Sprintf("more than %d bindings: no settings file needs that many", MaxKeys)})
		}
		if e.Value != nil {
			limit := min(MaxValueLen, maxExpanded-expanded)
			v, ok := expand(*e.Value, seen, lookup, limit)
			if !ok {
				msg := fmt.Sprintf("%s: value longer than %d KiB: no setting needs that much", e.Key, MaxValueLen>>10)
				if limit < MaxValueLen && len(*e.Value) <= MaxValueLen {
					msg = fmt.Sprintf("%s: the values with ${VAR} expanded exceed %d MiB in all", e.Key, maxExpanded>>20)
				}
				return entries, append(errs, &DotEnvError{Line: e.Line, Column: e.Column, Limit: true, Msg: msg})
			}
			expanded += len(v)
			*e.Value = v // the entry's own, as binding made it
		}
		seen[e.Key] = e.Value
		entries = append(entries, e)
	}
	return entries, errs
}

// expand replaces ${NAME} and ${NAME:-default}, as python-dotenv's
// resolve_variables does with override: the file's values win over lookup.
// Its pattern is \$\{(?P<name>[^}:]*)(?::-(?P<default>[^}]*))?\}, tried
// at every "${" in turn. ok is false when the result would exceed limit
// bytes. The time taken is linear in len(v) plus the output: the next ':'
// and '}' are found once, not rescanned for every "${".
func expand(v string, seen map[string]*string, lookup func(string) (string, bool), limit int) (string, bool) {
	if !strings.Contains(v, "${") {
		return v, len(v) <= limit
	}
	var b strings.Builder
	nextBrace, nextColon := -1, -1 // the next '}' and ':' at or after the scan, or len(v)
	next := func(c byte, at, cached int) int {
		if cached >= at {
			return cached
		}
		if i := strings.IndexByte(v[at:], c); i >= 0 {
			return at + i
		}
		return len(v)
	}
	done := 0 // v[:done] is written
	for i := 0; ; {
		j := strings.Index(v[i:], "${")
		if j < 0 {
			break
		}
		i += j
		nameAt := i + 2
		nextBrace, nextColon = next('}', nameAt, nextBrace), next(':', nameAt, nextColon)
		end := min(nextBrace, nextColon) // the name ends here
		var name, def string
		hasDef := false
		switch {
		case end == len(v):
			i = len(v) // no '}' or ':' left: nothing further can match
			continue
		case v[end] == ':':
			if !strings.HasPrefix(v[end:], ":-") || nextBrace == len(v) {
				i += 2
				continue
			}
			name, def, hasDef = v[nameAt:end], v[end+2:nextBrace], true
		default:
			name = v[nameAt:end]
		}
		b.WriteString(v[done:i])
		if val, ok := seen[name]; ok {
			if val != nil { // a key without '=' is None, and None expands to ""
				b.WriteString(*val)
			}
		} else if val, ok := lookupOK(lookup, name); ok {
			b.WriteString(val)
		} else if hasDef {
			b.WriteString(def)
		}
		if b.Len() > limit {
			return "", false
		}
		i = nextBrace + 1
		done = i
	}
	b.WriteString(v[done:])
	return b.String(), b.Len() <= limit
}

func lookupOK(lookup func(string) (string, bool), name string) (string, bool) {
	if lookup == nil {
		return "", false
	}
	return lookup(name)
}

// dotenvParser reads bindings the way python-dotenv's regular expressions
// do, keeping line and column.
type dotenvParser struct {
	src    string
	pos    int
	lines  []int    // byte offset where each line starts
	values []string // the current block of the entries' values (keepValue)
}

// keepValue returns a pointer to v for an entry's Value. The values are
// kept in blocks, one allocation for many where &v makes one each; a full
// block is left to the pointers into it.
func (p *dotenvParser) keepValue(v string) *string {
	if len(p.values) == cap(p.values) {
		p.values = make([]string, 0, max(1, cap(p.values)))
	}
	p.values = append(p.values, v)
	return &p.values[len(p.values)-1]
}

func (p *dotenvParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// indexLines records where every line starts: after "\n", "\r\n" or a
// lone "\r", which python-dotenv also treats as a line end.
func (p *dotenvParser) indexLines() {
	p.lines = make([]int, 1, 1+strings.Count(p.src, "\n")+strings.Count(p.src, "\r"))
	for i := 0; i < len(p.src); i++ {
		switch p.src[i] {
		case '\n':
			p.lines = append(p.lines, i+1)
		case '\r':
			if i+1 < len(p.src) && p.src[i+1] == '\n' {
				continue
			}
			p.lines = append(p.lines, i+1)
		}
	}
}

func (p *dotenvParser) lineCol(at int) (int, int) {
	if p.lines == nil {
		p.indexLines()
	}
	// line is the number of line starts at or before at: the 1-based line.
	line, _ := slices.BinarySearch(p.lines, at+1)
	return line, utf8.RuneCountInString(p.src[p.lines[line-1]:at]) + 1
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\f' || c == '\v' }

func isSpace(c byte) bool { return isBlank(c) || c == '\n' || c == '\r' }

func (p *dotenvParser) skipBlanks() {
	for p.pos < len(p.src) && isBlank(p.src[p.pos]) {
		p.pos++
	}
}

// binding parses one statement; more is false at the end of the input.
func (p *dotenvParser) binding() (e DotEnvEntry, err *DotEnvError, more bool) {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
	if p.pos >= len(p.src) {
		return e, nil, false
	}
	start := p.pos
	fail := func(msg string) (DotEnvEntry, *DotEnvError, bool) {
		line, col := p.lineCol(start)
		p.restOfLine()
		return DotEnvEntry{}, &DotEnvError{Line: line, Column: col, Msg: msg}, true
	}
	if strings.HasPrefix(p.src[p.pos:], "export") && p.pos+6 < len(p.src) && isBlank(p.src[p.pos+6]) {
		p.pos += 6
		p.skipBlanks()
	}
	keyAt := p.pos
	switch c := p.peek(); c {
	case '#':
		p.restOfLine()
		return e, nil, true
	case '\'':
		end := strings.IndexByte(p.src[p.pos+1:], '\'')
		if end <= 0 {
			return fail("python-dotenv could not parse the statement: unterminated quoted key")
		}
		e.Key = p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
	default:
		for p.pos < len(p.src) && !isSpace(p.src[p.pos]) && p.src[p.pos] != '=' && p.src[p.pos] != '#' {
			p.pos++
		}
		if p.pos == keyAt {
			return fail("python-dotenv could not parse the statement: expected a key")
		}
		e.Key = p.src[keyAt:p.pos]
	}
	e.Line, e.Column = p.lineCol(keyAt)
	_, e.EndColumn = p.lineCol(p.pos)
	p.skipBlanks()
	if p.peek() == '=' {
		p.pos++
		p.skipBlanks()
		v, ok := p.value()
		if !ok {
			return fail("python-dotenv could not parse the statement: unterminated quoted value")
		}
		e.Value = p.keepValue(v)
	}
	// An optional comment, then the end of the line.
	p.skipBlanks()
	if p.peek() == '#' {
		for p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
			p.pos++
		}
	}
	p.skipBlanks()
	switch {
	case p.pos >= len(p.src):
	case strings.HasPrefix(p.src[p.pos:], "\r\n"):
		p.pos += 2
	case p.src[p.pos] == '\n' || p.src[p.pos] == '\r':
		p.pos++
	default:
		return fail("python-dotenv could not parse the statement: unexpected text after the value")
	}
	return e, nil, true
}

func (p *dotenvParser) restOfLine() {
	for p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
		p.pos++
	}
	if strings.HasPrefix(p.src[p.pos:], "\r\n") {
		p.pos += 2
	} else if p.pos < len(p.src) {
		p.pos++
	}
}

// value reads a quoted or bare value; ok is false for an unterminated
// quote.
func (p *dotenvParser) value() (string, bool) {
	switch q := p.peek(); q {
	case '\'', '"':
		// The value ends at the first quote not escaped by a backslash; when
		// there is none, python-dotenv's regular expression backtracks to the
		// last escaped one.
		i, lastEscaped := p.pos+1, -1
		for i < len(p.src) && p.src[i] != q {
			if p.src[i] == '\\' && i+1 < len(p.src) && p.src[i+1] == q {
				i++
				lastEscaped = i
			}
			i++
		}
		if i >= len(p.src) {
			if lastEscaped < 0 {
				return "", false
			}
			i = lastEscaped
		}
		raw := p.src[p.pos+1 : i]
		p.pos = i + 1
		return unescape(raw, q), true
	case 0, '\n', '\r':
		return "", true
	}
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
		p.pos++
	}
	v := p.src[start:p.pos]
	// python-dotenv drops the first run of whitespace followed by '#' and
	// everything after it, then trailing whitespace.
	for i := 1; i < len(v); i++ {
		if v[i] == '#' && isBlank(v[i-1]) {
			j := i - 1
			for j > 0 && isBlank(v[j-1]) {
				j--
			}
			v = v[:j]
			break
		}
	}
	return strings.TrimRight(v, " \t\f\v"), true
}

// unescape decodes the escapes python-dotenv decodes: \\ and \' in single
// quotes; \\ \' \" \a \b \f \n \r \t \v in double quotes.
func unescape(s string, quote byte) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		n := s[i+1]
		var out byte
		switch {
		case n == '\\' || n == '\'':
			out = n
		case quote == '"' && n == '"':
			out = n
		case quote == '"':
			out = map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v'}[n]
		}
		if out == 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte(out)
		i++
	}
	return b.String()
}
