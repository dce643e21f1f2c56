package detect

import (
	"errors"
	"sync"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/strata-settings/strata/sources"
)

// tomlVisit is called for every key = value of a document, and once with a
// nil key at each [[array table]] header. table is the path of the current
// table, key the path of the key within it; the parser p resolves v's
// position. Nodes are valid only during the call.
type tomlVisit func(table, key []string, v *unstable.Node, p *unstable.Parser)

// maxTOMLWork bounds the steps go-toml's decoder may take to check the keys
// of one file (its time grows with the square of the keys under one
// table): a fraction of a second. Lock files of thousands of packages need
// far fewer.
const maxTOMLWork = 50_000_000

// walkTOML checks that data, the contents of file, is valid TOML, then
// visits its key/value pairs in order. Invalid TOML is an error at its
// position.
func walkTOML(file string, data []byte, visit tomlVisit) *Skipped {
	var fe *sources.FileError
	if err := sources.CheckTOMLWork(file, data, maxTOMLWork); errors.As(err, &fe) {
		return &Skipped{Pos: fe.Pos, Reason: fe.Msg + ", not read"}
	}
	var none struct{}
	if err := sources.UnmarshalTOML(data, &none); err != nil {
		pos := sources.Position{File: file}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			pos.Line, _ = de.Position()
		}
		return &Skipped{Pos: pos, Reason: "not valid TOML: " + sources.TOMLError(err)}
	}
	p := parsers.Get().(*unstable.Parser)
	defer putParser(p)
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyPath(e.Key())
			if e.Kind == unstable.ArrayTable {
				visit(table, nil, nil, p)
			}
		case unstable.KeyValue:
			visit(table, keyPath(e.Key()), e.Value(), p)
		}
	}
	if err := p.Error(); err != nil {
		return &Skipped{Pos: sources.Position{File: file}, Reason: "not valid TOML: " + sources.TOMLError(err)}
	}
	return nil
}

// parsers are TOML parsers whose buffers of nodes a walk reuses: most of
// what a parse would allocate.
var parsers = sync.Pool{New: func() any { return new(unstable.Parser) }}

func putParser(p *unstable.Parser) {
	p.Reset(nil) // keep the buffers, not the document
	parsers.Put(p)
}

func keyPath(it unstable.Iterator) []string {
	var path []string
	for it.Next() {
		path = append(path, string(it.Node().Data))
	}
	return path
}

// str returns v's string value, if it is a string.
func str(v *unstable.Node) (string, bool) {
	if v == nil || v.Kind != unstable.String {
		return "", false
	}
	return string(v.Data), true
}

// line returns the line v starts on.
func line(p *unstable.Parser, v *unstable.Node) int {
	if v == nil || v.Raw.Length == 0 && v.Raw.Offset == 0 {
		return 0
	}
	return lineAt(p.Data(), int64(v.Raw.Offset))
}

// is reports whether path equals want.
func is(path []string, want ...string) bool {
	if len(path) != len(want) {
		return false
	}
	for i := range path {
		if path[i] != want[i] {
			return false
		}
	}
	return true
}
