package lint

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/strata-settings/strata/sources"
)

// tomlEntry is one key of a TOML document as written: a table header, or a
// key of a key = value line (the keys of an inline table included).
type tomlEntry struct {
	path      []string         // the key's full path
	header    []string         // the path of the table header it is written under; nil at the root
	headerPos sources.Position // where that header is written
	pos       sources.Position // where the key is written, from its first part to its last
	isHeader  bool             // a [table] or [[table]] header
	written   string           // the key as written, its dotted parts joined by "."
}

// tomlEntries lists every key of data, a TOML document go-toml accepts, in
// file order.
func tomlEntries(file string, data []byte) []tomlEntry {
	lines := []int{0}
	for i, c := range data {
		if c == '\n' {
			lines = append(lines, i+1)
		}
	}
	posOf := func(off uint32) sources.Position {
		line, _ := slices.BinarySearch(lines, int(off)+1)
		return sources.Position{File: file, Line: line, Column: utf8.RuneCount(data[lines[line-1]:off]) + 1}
	}
	// spanOf is where a key runs, from its first part to its last.
	spanOf := func(first, last *unstable.Node) sources.Position {
		pos := posOf(first.Raw.Offset)
		end := posOf(last.Raw.Offset + last.Raw.Length)
		pos.EndLine, pos.EndColumn = end.Line, end.Column
		return pos
	}
	var out []tomlEntry
	var header []string
	var headerPos sources.Position
	var keyValue func(base []string, e *unstable.Node)
	keyValue = func(base []string, e *unstable.Node) {
		path := slices.Clip(base)
		var parts []string
		it := e.Key()
		var first, last *unstable.Node
		for it.Next() {
			k := it.Node()
			if first == nil {
				first = k
			}
			last = k
			path = append(path, string(k.Data))
			parts = append(parts, string(k.Data))
		}
		if first == nil {
			return
		}
		out = append(out, tomlEntry{path: path, header: header, headerPos: headerPos, pos: spanOf(first, last),
			written: strings.Join(parts, ".")})
		if v := e.Value(); v != nil && v.Kind == unstable.InlineTable {
			kids := v.Children()
			for kids.Next() {
				keyValue(path, kids.Node())
			}
		}
	}
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			var path []string
			var first, last *unstable.Node
			it := e.Key()
			for it.Next() {
				if first == nil {
					first = it.Node()
				}
				last = it.Node()
				path = append(path, string(it.Node().Data))
			}
			if first == nil {
				continue
			}
			header, headerPos = path, spanOf(first, last)
			out = append(out, tomlEntry{path: path, header: path, headerPos: headerPos, pos: headerPos,
				isHeader: true, written: strings.Join(path, ".")})
		case unstable.KeyValue:
			keyValue(header, e)
		}
	}
	return out
}

// hasPrefix reports whether path starts with prefix.
func hasPrefix(path, prefix []string) bool {
	return len(path) >= len(prefix) && slices.Equal(path[:len(prefix)], prefix)
}

// headerText renders a table header as written: [server.api].
func headerText(path []string) string {
	return "[" + joinKey(path) + "]"
}

// joinKey renders a key path as TOML writes it, quoting the parts that are
// not bare keys.
func joinKey(path []string) string { return sources.TOMLKey(path) }
