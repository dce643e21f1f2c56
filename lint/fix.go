// The fixes findings carry: edits of the key as written, checked to leave
// a file its reader still reads.

package lint

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/sources"
)

// fileText is a file linted: its contents and its kind, and for a .env
// file its bindings read from the file alone, when it could be read.
type fileText struct {
	data   []byte
	kind   fileKind
	dotenv []sources.DotEnvEntry
	// valid says the TOML file decodes as it is: its reader parsed it.
	valid bool
	// set are the values its reader read, by their full keys as written
	// (a TOML file's layer): the keys the file defines already.
	set []sources.Value
}

// defines reports whether the TOML file sets the value at the full path
// key, outside any array of tables: its reader read a setting there.
func (f fileText) defines(key []string) bool {
	text := joinKey(key)
	for _, v := range f.set {
		if v.Key == text {
			return true
		}
	}
	return false
}

// reportRename is report with the fix that renames the key at pos, whose
// full path is from, to the path to (renameFix).
func (l *linter) reportRename(from, to []string, rule string, pos sources.Position, setting, suggestion, format string, args ...any) {
	l.reportMore(more{fixes: l.renameFix(pos, from, to), own: true}, rule, pos, setting, suggestion, format, args...)
}

// renameFix returns the fix that renames the key written at pos, whose
// full path is from, to the full path to: the parts of from written there
// (a key under a table header is written without the header's parts)
// become the same parts of to. There is none when pos has no span, when
// to is not under the same header, or when the edit would leave a TOML
// file go-toml rejects (a table defined twice). In a .env file, from and
// to are variable names.
func (l *linter) renameFix(pos sources.Position, from, to []string) []diag.Fix {
	if !pos.HasEnd() || pos.EndLine != pos.Line || len(from) == 0 || len(to) == 0 {
		return nil
	}
	f, ok := l.text(pos.File)
	if !ok {
		return nil
	}
	start, end, ok := byteSpan(f.data, pos)
	if !ok {
		return nil
	}
	written := f.data[start:end]
	var text string
	if f.kind == kindDotEnv || f.kind == kindDeploy {
		if string(written) != from[len(from)-1] || !envName(to[len(to)-1]) {
			return nil
		}
		text = to[len(to)-1]
		// A name the file sets already would take over its value; in a
		// deployment file, any mention of it may be a key the rename
		// would write twice.
		if f.kind == kindDeploy {
			if bytes.Contains(f.data, []byte(text)) {
				return nil
			}
		} else {
			entries := f.dotenv
			if entries == nil {
				entries, _ = sources.ParseDotEnv(f.data, nil)
			}
			for _, e := range entries {
				if e.Key == text {
					return nil
				}
			}
		}
	} else {
		n, ok := writtenKey(written, from)
		if !ok {
			return nil
		}
		header := from[:len(from)-n]
		if !hasPrefix(to, header) || len(to) == len(header) {
			return nil
		}
		text = joinKey(to[len(header):])
		if !f.renameKeepsTOML(start, end, text, from, to[len(header):], to) {
			return nil
		}
	}
	if text == string(written) {
		return nil
	}
	// The fix and its one edit, made in one allocation: a run offers a
	// fix with most of its findings.
	fix := &struct {
		fix  [1]diag.Fix
		edit [1]diag.Edit
	}{}
	fix.edit[0] = diag.Edit{Pos: pos, NewText: text}
	fix.fix[0] = diag.Fix{Message: "rename " + string(written) + " to " + text, Edits: fix.edit[:]}
	return fix.fix[:]
}

// renameKeepsTOML reports whether writing text, the key of parts, in place
// of bytes start to end of the TOML file, renaming the key at full path
// from to the one at to, leaves a file go-toml reads: it checks every key,
// duplicates included, whatever it decodes into. The edit is decoded only
// when the file's own keys cannot tell.
func (f fileText) renameKeepsTOML(start, end int, text string, from, parts, to []string) bool {
	switch {
	case f.valid && freshKey(f.data, text, parts):
		return true
	case f.valid && !slices.Equal(from, to) && f.defines(to):
		return false // a key the file sets already, other than the one renamed
	}
	edited := slices.Concat(f.data[:start], []byte(text), f.data[end:])
	var none struct{}
	return sources.UnmarshalTOML(edited, &none) == nil
}

// freshKey reports whether text, the key of parts written in place of
// another key of data, a valid TOML document, surely leaves it valid: its
// parts are bare (text quotes none) and its first is written nowhere in
// data, so that no table or key of data can clash with it. Without a
// backslash in data, every key's parts are written as they read.
func freshKey(data []byte, text string, parts []string) bool {
	return !strings.Contains(text, `"`) && bytes.IndexByte(data, '\\') < 0 && !bytes.Contains(data, []byte(parts[0]))
}

// byteSpan returns the byte offsets in data of pos's span, one line.
func byteSpan(data []byte, pos sources.Position) (start, end int, ok bool) {
	lineStart := 0
	for line := 1; line < pos.Line; line++ {
		i := bytes.IndexByte(data[lineStart:], '\n')
		if i < 0 {
			return 0, 0, false
		}
		lineStart += i + 1
	}
	lineEnd := len(data)
	if i := bytes.IndexByte(data[lineStart:], '\n'); i >= 0 {
		lineEnd = lineStart + i
	}
	at := func(col int) (int, bool) {
		off := lineStart
		for c := 1; c < col; c++ {
			if off >= lineEnd {
				return 0, false
			}
			_, n := utf8.DecodeRune(data[off:lineEnd])
			off += n
		}
		return off, true
	}
	if start, ok = at(pos.Column); !ok {
		return 0, 0, false
	}
	if end, ok = at(pos.EndColumn); !ok || end < start {
		return 0, 0, false
	}
	return start, end, true
}

// writtenKey reads a TOML key as written ("server.api", "\"a.b\" . c")
// and returns how many parts it has, when they are the last parts of path.
// The parts are compared where the parser holds them, never copied.
func writtenKey(written []byte, path []string) (n int, ok bool) {
	w := getWalker() // a parser's buffers, reused
	defer putWalker(w)
	p := &w.p
	w.doc = append(append(w.doc[:0], written...), " = 0\n"...)
	p.Reset(w.doc)
	if !p.NextExpression() {
		return 0, false
	}
	e := p.Expression()
	if e.Kind != unstable.KeyValue {
		return 0, false
	}
	var room [8][]byte
	parts := room[:0]
	for it := e.Key(); it.Next(); {
		parts = append(parts, it.Node().Data)
	}
	if len(parts) == 0 || len(parts) > len(path) {
		return 0, false
	}
	for i, part := range parts {
		if string(part) != path[len(path)-len(parts)+i] {
			return 0, false
		}
	}
	return len(parts), !p.NextExpression() && p.Error() == nil
}

// envName reports whether name can be written bare as a .env key.
func envName(name string) bool {
	return name != "" && !strings.ContainsFunc(name, func(r rune) bool {
		return !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}
