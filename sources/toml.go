package sources

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// tomlDoc is a parsed TOML file: the values as go-toml decodes them, and the
// position of every key.
type tomlDoc struct {
	file  string
	root  map[string]any
	pos   map[string]uint32 // key path joined with sep → byte offset of the key
	lines []int             // byte offset where each line starts
	data  []byte

	toml11 []error // where the document uses TOML 1.1 syntax, which Prefect rejects

	once     sync.Once // the settings layer read from the document, once
	layer    *Layer
	layerErr error
}

const sep = "\x00"

// SyntaxError is a file that cannot be read as TOML or .env, at the position
// of the problem.
type SyntaxError struct {
	Pos Position
	Msg string
	Err error // the parser's error, when there is one
}

// Error renders the problem as "position: message".
func (e *SyntaxError) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap returns the parser's error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// pyprojectDoc is the part of pyproject.toml Prefect reads; go-toml skips
// the rest without building it.
type pyprojectDoc struct {
	Tool struct {
		Prefect map[string]any `toml:"prefect"`
	} `toml:"tool"`
}

// parseTOML decodes data, the contents of file. Invalid TOML is a
// *SyntaxError with the position go-toml reports. With pyproject set only
// [tool.prefect] is kept.
func parseTOML(file string, data []byte, pyproject bool) (*tomlDoc, error) {
	doc := &tomlDoc{file: file, pos: map[string]uint32{}, lines: []int{0}, data: data}
	for i, c := range data {
		if c == '\n' {
			doc.lines = append(doc.lines, i+1)
		}
	}
	var err error
	if pyproject {
		var py pyprojectDoc
		err = toml.Unmarshal(data, &py)
		if py.Tool.Prefect != nil {
			doc.root = map[string]any{"tool": map[string]any{"prefect": py.Tool.Prefect}}
		}
	} else {
		err = toml.Unmarshal(data, &doc.root)
	}
	if err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			msg := "invalid TOML: " + de.Error()
			if hint := TOMLHint(data, line, col); hint != "" {
				msg += "; " + hint
			}
			return nil, &SyntaxError{Pos: Position{File: file, Line: line, Column: col}, Msg: msg, Err: err}
		}
		return nil, &SyntaxError{Pos: Position{File: file}, Msg: "invalid TOML: " + err.Error(), Err: err}
	}
	if doc.root == nil {
		doc.root = map[string]any{}
	}
	doc.toml11 = toml11Errors(file, data)
	var p unstable.Parser
	p.Reset(data)
	var table []byte // the current table's key path, joined with sep
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = table[:0]
			it := e.Key()
			var first *unstable.Node
			for it.Next() {
				k := it.Node()
				if first == nil {
					first = k
				}
				table = appendKey(table, k.Data)
				doc.record(table, first)
			}
		case unstable.KeyValue:
			doc.keyValue(table, e)
		}
	}
	return doc, nil
}

func appendKey(path, key []byte) []byte {
	if len(path) > 0 {
		path = append(path, sep...)
	}
	return append(path, key...)
}

// keyValue records the position of a key = value expression (at its first
// key), and of the keys of an inline table value.
func (d *tomlDoc) keyValue(table []byte, e *unstable.Node) {
	path := table[:len(table):len(table)]
	it := e.Key()
	var first *unstable.Node
	for it.Next() {
		k := it.Node()
		if first == nil {
			first = k
		}
		path = appendKey(path, k.Data)
	}
	d.record(path, first)
	if v := e.Value(); v.Kind == unstable.InlineTable {
		kids := v.Children()
		for kids.Next() {
			d.keyValue(path, kids.Node())
		}
	}
}

func (d *tomlDoc) record(path []byte, k *unstable.Node) {
	if _, ok := d.pos[string(path)]; !ok && k != nil && k.Raw.Length > 0 {
		d.pos[string(path)] = k.Raw.Offset
	}
}

// position returns where the key path was written, or the file alone.
func (d *tomlDoc) position(path []string) Position {
	key := strings.Join(path, sep)
	off, ok := d.pos[key]
	if !ok {
		// A prefix of a dotted key (server in server.api.port = 1): the
		// first key written under it.
		first := -1
		for k, o := range d.pos {
			if strings.HasPrefix(k, key+sep) && (first < 0 || int(o) < first) {
				first = int(o)
			}
		}
		if first < 0 {
			return Position{File: d.file}
		}
		off = uint32(first)
	}
	line, _ := slices.BinarySearch(d.lines, int(off)+1)
	// line is the number of line starts at or before off: the 1-based line.
	col := utf8.RuneCount(d.data[d.lines[line-1]:off]) + 1
	return Position{File: d.file, Line: line, Column: col}
}

// table returns the table at path, or nil.
func (d *tomlDoc) table(path ...string) map[string]any {
	t := d.root
	for _, k := range path {
		next, ok := t[k].(map[string]any)
		if !ok {
			return nil
		}
		t = next
	}
	return t
}

// dotted renders a key path as TOML would write it, quoting where needed.
func dotted(path []string) string {
	if all(path, bare) {
		return strings.Join(path, ".")
	}
	var b strings.Builder
	for i, k := range path {
		if i > 0 {
			b.WriteByte('.')
		}
		if bare(k) {
			b.WriteString(k)
		} else {
			fmt.Fprintf(&b, "%q", k)
		}
	}
	return b.String()
}

func bare(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func all(ss []string, f func(string) bool) bool {
	for _, s := range ss {
		if !f(s) {
			return false
		}
	}
	return true
}
