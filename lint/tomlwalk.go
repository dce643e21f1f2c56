package lint

import (
	"slices"
	"strconv"
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
	pos       sources.Position // where the key's first part is written
	isHeader  bool             // a [table] or [[table]] header
	written   string           // the key as written, its dotted parts joined by "."
	value     *tomlValue       // the value of a key = value line; nil for a header or an inline table
}

// tomlValue is a value as written: a string, int64, float64 or bool, an
// array of values ([]tomlValue), or, for a date or time, its text.
type tomlValue struct {
	v   any
	pos sources.Position // where it starts
}

// scalar decodes the value of node n, as TOML reads it.
func scalar(n *unstable.Node, pos func(uint32) sources.Position, at sources.Position) tomlValue {
	if n.Raw.Length > 0 {
		at = pos(n.Raw.Offset)
	}
	text := string(n.Data)
	switch n.Kind {
	case unstable.String:
		return tomlValue{text, at}
	case unstable.Bool:
		return tomlValue{text == "true", at}
	case unstable.Integer:
		if i, err := strconv.ParseInt(text, 0, 64); err == nil {
			return tomlValue{i, at}
		}
	case unstable.Float:
		if f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64); err == nil {
			return tomlValue{f, at}
		}
	case unstable.Array:
		var items []tomlValue
		it := n.Children()
		for it.Next() {
			items = append(items, scalar(it.Node(), pos, at))
		}
		return tomlValue{items, at}
	case unstable.InlineTable:
		return tomlValue{nil, at}
	}
	return tomlValue{text, at}
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
	var out []tomlEntry
	var header []string
	var headerPos sources.Position
	var keyValue func(base []string, e *unstable.Node)
	keyValue = func(base []string, e *unstable.Node) {
		path := slices.Clip(base)
		var parts []string
		it := e.Key()
		var first *unstable.Node
		for it.Next() {
			k := it.Node()
			if first == nil {
				first = k
			}
			path = append(path, string(k.Data))
			parts = append(parts, string(k.Data))
		}
		if first == nil {
			return
		}
		entry := tomlEntry{path: path, header: header, headerPos: headerPos, pos: posOf(first.Raw.Offset),
			written: strings.Join(parts, ".")}
		v := e.Value()
		if v != nil && v.Kind != unstable.InlineTable {
			val := scalar(v, posOf, entry.pos)
			entry.value = &val
		}
		out = append(out, entry)
		if v != nil && v.Kind == unstable.InlineTable {
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
			var first *unstable.Node
			it := e.Key()
			for it.Next() {
				if first == nil {
					first = it.Node()
				}
				path = append(path, string(it.Node().Data))
			}
			if first == nil {
				continue
			}
			header, headerPos = path, posOf(first.Raw.Offset)
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
