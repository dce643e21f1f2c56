package lint

import (
	"bytes"
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
	path     []string         // the key's full path
	header   []string         // the path of the table header it is written under; nil at the root
	pos      sources.Position // where the key is written, from its first part to its last
	isHeader bool             // a [table] or [[table]] header
	value    *tomlValue       // the value of a key of an environment table (envtables.go); nil otherwise
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
// file order. Values are kept only for the keys of the tables where other
// tools set the environment (envtables.go), which are checked by value.
func tomlEntries(file string, data []byte) []tomlEntry {
	w := getWalker()
	defer putWalker(w)
	if len(w.intern) > 1<<14 {
		clear(w.intern)
	}
	lines := append(w.lines[:0], 0)
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		lines = append(lines, off)
	}
	defer func() { w.lines = lines }() // only this listing reads them
	posOf := func(off uint32) sources.Position {
		line, _ := slices.BinarySearch(lines, int(off)+1)
		return sources.Position{File: file, Line: line, Column: utf8.RuneCount(data[lines[line-1]:off]) + 1}
	}
	out := getEntries(len(lines) + 1) // a key or header a line, mostly
	// Every path is a piece of one arena: a key path costs no allocation
	// of its own. The pieces are never appended to.
	arena := make([]string, 0, 4*len(lines))
	// spanOf is where a key runs, from its first part to its last.
	spanOf := func(first, last *unstable.Node) sources.Position {
		pos := posOf(first.Raw.Offset)
		end := posOf(last.Raw.Offset + last.Raw.Length)
		pos.EndLine, pos.EndColumn = end.Line, end.Column
		return pos
	}
	path := func(base []string, it unstable.Iterator) ([]string, *unstable.Node, *unstable.Node) {
		start := len(arena)
		arena = append(arena, base...)
		var first, last *unstable.Node
		for it.Next() {
			k := it.Node()
			if first == nil {
				first = k
			}
			last = k
			arena = append(arena, w.key(k.Data))
		}
		return arena[start:len(arena):len(arena)], first, last
	}
	var header []string
	var keyValue func(base []string, e *unstable.Node)
	keyValue = func(base []string, e *unstable.Node) {
		p, first, last := path(base, e.Key())
		if first == nil {
			return
		}
		entry := tomlEntry{path: p, header: header, pos: spanOf(first, last)}
		v := e.Value()
		if v != nil && v.Kind != unstable.InlineTable {
			if _, ok := envTableOf(p); ok {
				val := scalar(v, posOf, entry.pos)
				entry.value = &val
			}
		}
		out = append(out, entry)
		if v != nil && v.Kind == unstable.InlineTable {
			kids := v.Children()
			for kids.Next() {
				keyValue(p, kids.Node())
			}
		}
	}
	w.p.Reset(data)
	for w.p.NextExpression() {
		e := w.p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			p, first, last := path(nil, e.Key())
			if first == nil {
				continue
			}
			header = p
			out = append(out, tomlEntry{path: p, header: p, pos: spanOf(first, last), isHeader: true})
		case unstable.KeyValue:
			keyValue(header, e)
		}
	}
	return out
}

// tomlWalker is what listing the keys of a document reuses: the parser's
// buffers, and the keys' strings, which documents repeat.
type tomlWalker struct {
	p      unstable.Parser
	intern map[string]string
	lines  []int  // where each line of the document listed starts
	doc    []byte // the one-line document keyParts parses
}

// entryLists keeps the lists of keys of files checked, for the listings
// of the next files (putEntries).
var entryLists = make(chan []tomlEntry, 8)

// getEntries returns an empty list of keys with room for n.
func getEntries(n int) []tomlEntry {
	select {
	case out := <-entryLists:
		if cap(out) >= n {
			return out
		}
	default:
	}
	return make([]tomlEntry, 0, n)
}

// putEntries keeps a list tomlEntries returned, once nothing reads it any
// more: its file is checked, and no finding holds its entries.
func putEntries(entries []tomlEntry) {
	if cap(entries) == 0 || cap(entries) > 1<<12 {
		return
	}
	entries = entries[:cap(entries)]
	clear(entries) // no document kept alive through them
	select {
	case entryLists <- entries[:0]:
	default:
	}
}

// walkers keeps a few walkers for the next documents. Unlike a
// sync.Pool's, they outlive garbage collections, which a run of many
// small files triggers often.
var walkers = make(chan *tomlWalker, 8)

func getWalker() *tomlWalker {
	select {
	case w := <-walkers:
		return w
	default:
		return &tomlWalker{intern: map[string]string{}}
	}
}

func putWalker(w *tomlWalker) {
	w.p.Reset(nil) // keep the buffers, not the document
	select {
	case walkers <- w:
	default:
	}
}

// key returns the string of a key's bytes, one string for each key.
func (w *tomlWalker) key(b []byte) string {
	if s, ok := w.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	w.intern[s] = s
	return s
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
