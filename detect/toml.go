package detect

import (
	"errors"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/strata-settings/strata/sources"
)

// tomlVisit is called for every key = value of a document, and once with
// an empty key at each [[array table]] header. at holds the path of the
// current table and of the key within it; the parser p resolves v's
// position. Nodes, and at, are valid only during the call: a walk builds
// every path in the same buffers.
type tomlVisit func(at *walkPath, v *unstable.Node, p *unstable.Parser)

// walkPath is where a walk is: the current table and key.
type walkPath struct {
	table []string // the current table's path
	key   []string // the key's path within it; empty at an [[array table]] header
	whole []string // table and key, once path has joined them
}

// path returns the whole path of the key: the table's, then the key's.
func (k *walkPath) path() []string {
	k.whole = append(append(k.whole[:0], k.table...), k.key...)
	return k.whole
}

// walker is what a walk reuses from the last: a parser's buffers of nodes
// and the buffers of the key paths, most of what a walk would allocate.
type walker struct {
	parser unstable.Parser
	at     walkPath
}

var walkers = sync.Pool{New: func() any { return new(walker) }}

// getWalker returns a walker and the function that puts it back, its
// document dropped.
func getWalker() (*walker, func()) {
	w := walkers.Get().(*walker)
	return w, func() {
		w.parser.Reset(nil) // keep the buffers, not the document
		walkers.Put(w)
	}
}

// maxTOMLWork bounds the steps go-toml's decoder may take to check the keys
// of one file (its time grows with the square of the keys under one
// table): a fraction of a second. Lock files of thousands of packages need
// far fewer.
const maxTOMLWork = 50_000_000

// walkTOML visits the key/value pairs of data, the contents of file, in
// order, and checks that it is valid TOML: the visits are made as the
// keys are counted against the limits (sources.ScanTOMLWork), one pass
// over the document, before the check. Invalid TOML is a skip at its
// position; discard then says the visits were made of a document that
// is not read, and what they found must be dropped.
func walkTOML(file string, data []byte, visit tomlVisit) (bad *Skipped, discard bool) {
	w, put := getWalker()
	defer put()
	limit, syntax := sources.ScanTOMLWork(file, data, maxTOMLWork, func(e *unstable.Node, p *unstable.Parser) {
		visitExpression(e, p, &w.at, visit)
	})
	var fe *sources.FileError
	if errors.As(limit, &fe) {
		return &Skipped{Pos: fe.Pos, Reason: fe.Msg + ", not read"}, true
	}
	var none struct{}
	if err := sources.UnmarshalTOML(data, &none); err != nil {
		pos := sources.Position{File: file}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			pos.Line, _ = de.Position()
		}
		return &Skipped{Pos: pos, Reason: "not valid TOML: " + sources.TOMLError(err)}, true
	}
	if syntax != nil {
		return &Skipped{Pos: sources.Position{File: file}, Reason: "not valid TOML: " + sources.TOMLError(syntax)}, false
	}
	return nil, false
}

// walkTOMLUnchecked visits the key/value pairs of data as walkTOML does,
// up to the first syntax error, without counting the keys against the
// limits or checking that the document is valid: what the visits find
// stands only if walkTOML would find the same.
func walkTOMLUnchecked(data []byte, visit tomlVisit) {
	w, put := getWalker()
	defer put()
	p := &w.parser
	p.Reset(data)
	for p.NextExpression() {
		visitExpression(p.Expression(), p, &w.at, visit)
	}
}

// visitExpression hands visit the key/value pair, or the [[array table]]
// header, e is, keeping at.table the path of the current table.
func visitExpression(e *unstable.Node, p *unstable.Parser, at *walkPath, visit tomlVisit) {
	switch e.Kind {
	case unstable.Table, unstable.ArrayTable:
		at.table = appendKeyPath(at.table[:0], e.Key())
		if e.Kind == unstable.ArrayTable {
			at.key = at.key[:0]
			visit(at, nil, p)
		}
	case unstable.KeyValue:
		at.key = appendKeyPath(at.key[:0], e.Key())
		visit(at, e.Value(), p)
	}
}

// found is what a detector found so far, to return to when what a walk
// of an invalid document found is dropped.
type found struct {
	want    [len(wanted)]Found
	ranged  [len(wanted)]Found
	skipped int
}

// mark returns what d found so far.
func (d *detector) mark() found {
	f := found{ranged: d.ranged, skipped: len(d.skipped)}
	for i, w := range d.want {
		f.want[i] = *w
	}
	return f
}

// reset returns d to what it had found at f.
func (d *detector) reset(f found) {
	for i, w := range d.want {
		*w = f.want[i]
	}
	d.ranged = f.ranged
	d.skipped = d.skipped[:f.skipped]
}

func keyPath(it unstable.Iterator) []string {
	return appendKeyPath(nil, it)
}

// appendKeyPath appends the keys of it to path.
func appendKeyPath(path []string, it unstable.Iterator) []string {
	for it.Next() {
		path = append(path, keyString(it.Node().Data))
	}
	return path
}

// keyString returns key as a string, without allocating one for the keys
// the files detection reads are mostly made of.
func keyString(key []byte) string {
	if s, ok := commonKeys[string(key)]; ok { // a lookup that converts no bytes
		return s
	}
	return string(key)
}

// commonKeys are the keys of pyproject.toml, Pipfile and the lock files
// that detection reads or that fill them, by themselves.
var commonKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range strings.Fields(`project name version dependencies optional-dependencies dependency-groups
		requires-python tool uv pdm poetry group packages dev-packages package override-dependencies
		constraint-dependencies dev-dependencies source wheels sdist url hash size upload-time marker markers
		resolution-markers metadata requires-dist specifier extra extras editable registry revision
		prefect pydantic-settings python description optional python-versions files content-hash
		lock-version groups strategy targets build-system requires build-backend readme license authors
		scripts`) {
		m[k] = k
	}
	return m
}()

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
