package sources

import (
	"bytes"
	"cmp"
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
	pos   keyIndex // key path joined with sep → where it was first written
	lines []int    // byte offset where each line starts
	data  []byte

	toml11 []error // where the document uses TOML 1.1 syntax, which Prefect rejects

	mu   sync.Mutex
	read []*layerRead // the settings layers read from the document, one a release's walker
}

// layerRead is the layer read from a document with one walker. The layer
// is held by value: the reader hands out a copy of it, one allocation.
type layerRead struct {
	w     walker
	once  sync.Once
	layer Layer
	err   error
}

// layers returns the layer read with w from the table at prefix, reading
// it the first time. A document is read by the walkers of a few releases
// at most, so a slice finds w's as fast as a map would, without making one.
func (d *tomlDoc) layers(w walker, kind Kind, prefix []string) *layerRead {
	d.mu.Lock()
	i := slices.IndexFunc(d.read, func(r *layerRead) bool { return r.w == w })
	if i < 0 {
		i = len(d.read)
		d.read = append(d.read, &layerRead{w: w})
	}
	r := d.read[i]
	d.mu.Unlock()
	r.once.Do(func() { r.err = d.readLayer(w, kind, prefix, &r.layer) })
	return r
}

const sep = "\x00"

// keyAt is where a key path was first written: the byte offsets of the
// key's start and of its end (past its last part, so that a.b.c spans all
// three parts), and the path's number in the order key paths appear.
type keyAt struct {
	off, end uint32
	seq      int32
}

// maxKeyWork bounds the work go-toml's decoder does to find whether a key
// was seen: for every key it scans the keys written after the table holding
// it, so its time grows with the square of the keys under one table. A
// document needing more steps is refused before it is decoded; real files
// need a few thousand.
const maxKeyWork = 10_000_000

// maxKeyPath is the longest key path recorded, its keys joined: a bound on
// the copies made of it.
const maxKeyPath = 8 << 10

// SyntaxError is a file that cannot be read as TOML or .env, at the position
// of the problem.
type SyntaxError struct {
	Pos Position
	Msg string
	Err error // the parser's error, when there is one
	// First is, for a key or table defined twice, where it was first
	// defined; the zero Position otherwise.
	First Position
}

// Error renders the problem as "position: message".
func (e *SyntaxError) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap returns the parser's error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// parseTOML decodes data, the contents of file. Invalid TOML is a
// *SyntaxError with the position go-toml reports; a document beyond
// Strata's limits (MaxDepth, MaxKeys, MaxTableKeys, MaxValueLen) is a
// *FileError, found by a first pass of go-toml's parser before the decoder
// (whose time grows with the square of a table's keys) sees it. With
// pyproject set only [tool.prefect] is kept: exactly that name, as Prefect
// reads it ([TOOL.Prefect] is another table).
func parseTOML(file string, data []byte, pyproject bool) (*tomlDoc, error) {
	doc := newTOMLDoc(file, data)
	if len(data) > MaxFileSize {
		return nil, tooLarge(file)
	}
	sc := &tomlScan{doc: doc}
	if err := sc.run(data); err != nil {
		return nil, err
	}
	var root map[string]any
	if err := UnmarshalTOML(data, &root); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			msg := "invalid TOML: " + TOMLError(de)
			if hint := TOMLHint(data, line, col); hint != "" {
				msg += "; " + hint
			}
			return nil, &SyntaxError{Pos: Position{File: file, Line: line, Column: col}, Msg: msg, Err: err,
				First: doc.redefined(de, line, col)}
		}
		return nil, &SyntaxError{Pos: Position{File: file}, Msg: "invalid TOML: " + TOMLError(err), Err: err}
	}
	doc.root = root
	if pyproject {
		doc.root = toolPrefect(root)
	}
	if doc.root == nil {
		doc.root = map[string]any{}
	}
	doc.toml11 = toml11Errors(file, data)
	return doc, nil
}

// toolPrefect trims root, a pyproject.toml file as decoded, to its
// [tool.prefect] table, as Prefect reads it, or to nothing when it has
// none. It trims the decoder's maps in place rather than make new ones.
func toolPrefect(root map[string]any) map[string]any {
	tool, _ := root["tool"].(map[string]any)
	if _, ok := tool["prefect"].(map[string]any); !ok {
		clear(root)
		return root
	}
	for k := range root {
		if k != "tool" {
			delete(root, k)
		}
	}
	for k := range tool {
		if k != "prefect" {
			delete(tool, k)
		}
	}
	return root
}

// newTOMLDoc returns an empty document for data, with the offset where
// each of its lines starts.
func newTOMLDoc(file string, data []byte) *tomlDoc {
	n := bytes.Count(data, []byte{'\n'})
	doc := &tomlDoc{file: file, pos: newKeyIndex(n + 1), lines: make([]int, 1, n+1), data: data}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		doc.lines = append(doc.lines, off)
	}
	return doc
}

// tomlScan is the first pass over a TOML document: it records where every
// key is written and refuses a document beyond the limits. It stops at the
// first syntax error, which the decoder then reports.
type tomlScan struct {
	doc  *tomlDoc
	keys int
	// tableKeys counts the keys directly in each table, by the table's
	// number in keyAt.seq plus one (0 is the root), up to smallTables;
	// laterTables counts them by number past that. Either spares the copy
	// of every table's path a map by path would make.
	tableKeys   []int32
	laterTables map[int32]int32
	// lostTables counts them, by path, for a table whose own path was not
	// recorded (the toml package's reading records only the key paths it
	// writes to).
	lostTables map[string]int32
	work       int  // steps go-toml will take to look the keys up
	maxWork    int  // the most steps allowed; maxKeyWork unless set
	workOnly   bool // check depth and work only: not a settings file
	err        error
	// visit, when set, is handed each expression scanned without a limit
	// passed, with the parser reading it.
	visit  func(e *unstable.Node, p *unstable.Parser)
	syntax error    // the parser's error, where the scan stopped
	paths  [][]byte // the buffers key paths are built in, by nesting (keyValue)
	// lentKeys is set while the document's keys are gathered in a
	// scanBuffer (keyIndex.lend).
	lentKeys bool
}

func (sc *tomlScan) run(data []byte) error {
	b := sc.borrow()
	defer b.put(sc)
	p := &b.parser
	p.Reset(data)
	table := b.table[:0] // the current table's key path, joined with sep
	defer func() { b.table = table[:0] }()
	depth := 0 // keys in table
	for sc.err == nil && p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table, depth = table[:0], 0
			it := e.Key()
			var first *unstable.Node
			for it.Next() {
				k := it.Node()
				if first == nil {
					first = k
				}
				if depth++; depth > MaxDepth {
					return sc.limit(first, "table header more than %d keys deep: no settings file needs that", MaxDepth)
				}
				parent := len(table)
				table = appendKey(table, k.Data)
				sc.record(table, parent, first, k)
			}
		case unstable.KeyValue:
			sc.keyValue(table, depth, e, 1)
		}
		if sc.visit != nil && sc.err == nil {
			sc.visit(e, p)
		}
	}
	sc.syntax = p.Error()
	return sc.err
}

// scanBuffers are what a scan reuses from one document to the next: a TOML
// parser's buffers of nodes, most of what a parse would allocate, and the
// scan's own buffers of key paths and counts.
var scanBuffers = sync.Pool{New: func() any { return new(scanBuffer) }}

type scanBuffer struct {
	parser    unstable.Parser
	table     []byte   // tomlScan.run's path of the current table
	paths     [][]byte // tomlScan.paths
	tableKeys []int32  // tomlScan.tableKeys
	keyPaths  []byte   // the document's keys while scanned (keyIndex.lend)
	keys      []keyEntry
}

// borrow lends sc the buffers of a scan from the pool, its document's
// keys' among them if it has none yet; put gives them back.
func (sc *tomlScan) borrow() *scanBuffer {
	b := scanBuffers.Get().(*scanBuffer)
	sc.paths, sc.tableKeys = b.paths, b.tableKeys[:0]
	sc.lentKeys = sc.doc.pos.lend(b)
	return b
}

// put returns the buffers sc was lent to the pool, keeping the memory,
// not the document: the document keeps a copy of its keys.
func (b *scanBuffer) put(sc *tomlScan) {
	if sc.lentKeys {
		sc.doc.pos.keep(b, !sc.workOnly)
		sc.lentKeys = false
	}
	b.parser.Reset(nil)
	b.paths, b.tableKeys = sc.paths, sc.tableKeys[:0]
	sc.paths, sc.tableKeys = nil, nil
	scanBuffers.Put(b)
}

// ScanTOMLWork checks that data, the contents of the TOML file named file,
// nests keys at most MaxDepth deep and lays its keys out so that go-toml's
// decoder takes at most maxWork steps to check them (its time grows with
// the square of the keys under one table): it is for TOML files other than
// settings files, such as lock files, which may hold many more keys;
// settings files are checked as they are read. In the same pass it hands
// visit each expression of data (a table header or a key = value) with
// the parser reading it; nodes are valid only during the call. The scan, and the
// visits, stop at the first limit passed, which is the *FileError
// returned, or at the first syntax error, returned apart. A caller that
// needs a valid document checks it after the visits (UnmarshalTOML):
// the work limit bounds that check's time.
func ScanTOMLWork(file string, data []byte, maxWork int, visit func(e *unstable.Node, p *unstable.Parser)) (limit, syntax error) {
	doc := newTOMLDoc(file, data)
	sc := &tomlScan{doc: doc, maxWork: maxWork, workOnly: true, visit: visit}
	limit = sc.run(data)
	return limit, sc.syntax
}

func appendKey(path, key []byte) []byte {
	if len(path) > 0 {
		path = append(path, sep...)
	}
	return append(path, key...)
}

// keyValue records the position of a key = value expression (at its first
// key) and of every table its dotted key opens, and of the keys of an
// inline table value. nest counts the arrays and inline tables the
// expression is in.
func (sc *tomlScan) keyValue(table []byte, depth int, e *unstable.Node, nest int) {
	// The path is built in the buffer of its nesting: the expressions
	// inside this one's value use deeper ones, and the next one at this
	// depth comes once this one is recorded.
	for len(sc.paths) <= nest {
		sc.paths = append(sc.paths, nil)
	}
	path := append(sc.paths[nest][:0], table...)
	it := e.Key()
	var first *unstable.Node
	for it.Next() {
		k := it.Node()
		if first == nil {
			first = k
		}
		if depth++; depth > MaxDepth {
			sc.limit(first, "key more than %d keys deep: no settings file needs that", MaxDepth)
			return
		}
		parent := len(path)
		path = appendKey(path, k.Data)
		sc.record(path, parent, first, k)
	}
	sc.paths[nest] = path[:0] // grown, for the next
	sc.value(path, depth, e.Value(), first, nest)
}

// value checks a value's size and nesting, and records the keys of inline
// tables in it.
func (sc *tomlScan) value(path []byte, depth int, v, at *unstable.Node, nest int) {
	switch v.Kind {
	case unstable.String:
		if len(v.Data) > MaxValueLen && !sc.workOnly {
			sc.limit(at, "value longer than %d KiB: no setting needs that much", MaxValueLen>>10)
		}
	case unstable.InlineTable, unstable.Array:
		if nest > MaxDepth {
			sc.limit(at, "arrays and inline tables nested more than %d deep: no setting needs that", MaxDepth)
			return
		}
		kids := v.Children()
		for sc.err == nil && kids.Next() {
			if v.Kind == unstable.InlineTable {
				sc.keyValue(path, depth, kids.Node(), nest+1)
			} else {
				sc.value(path, depth, kids.Node(), at, nest+1)
			}
		}
	}
}

// record notes where a key path was first written, from its first key k to
// its last key last, and counts it against the limits. path[:parent] is the
// table holding the last key.
func (sc *tomlScan) record(path []byte, parent int, k, last *unstable.Node) {
	off, end := -1, -1
	if k != nil && k.Raw.Length > 0 {
		off, end = int(k.Raw.Offset), int(k.Raw.Offset+k.Raw.Length)
		if last != nil && last.Raw.Length > 0 && last.Raw.Offset >= k.Raw.Offset {
			end = int(last.Raw.Offset + last.Raw.Length)
		}
	}
	sc.recordAt(path, parent, off, end)
}

// recordAt is record for a key written from the byte offset off to end;
// both are -1 when unknown.
func (sc *tomlScan) recordAt(path []byte, parent, off, end int) {
	if sc.err != nil {
		return
	}
	parentSeq, parentKnown := int32(-1), true
	if parent > 0 {
		var at keyAt
		at, parentKnown = sc.doc.pos.get(path[:parent])
		parentSeq = at.seq // 0 when not recorded
	}
	if sc.work += sc.keys - int(parentSeq); sc.work > cmp.Or(sc.maxWork, maxKeyWork) {
		why := "; no settings file needs that many"
		if sc.workOnly {
			why = ""
		}
		sc.limitAt(off, "too many keys under one table: looking them up would take more than %d steps%s", cmp.Or(sc.maxWork, maxKeyWork), why)
		return
	}
	if _, ok := sc.doc.pos.get(path); ok {
		return
	}
	at := keyAt{seq: int32(sc.keys)}
	if off >= 0 {
		at.off, at.end = uint32(off), uint32(max(end, off))
	}
	sc.doc.pos.add(path, at)
	if sc.lostTables != nil {
		sc.found(path, at.seq)
	}
	if len(path) > maxKeyPath {
		sc.limitAt(off, "key path longer than %d bytes: no setting needs that", maxKeyPath)
		return
	}
	if sc.keys++; sc.workOnly {
		return
	}
	if sc.keys > MaxKeys {
		sc.limitAt(off, "more than %d keys: no settings file needs that many", MaxKeys)
		return
	}
	if sc.countTableKey(path[:parent], parentSeq, parentKnown) > MaxTableKeys {
		sc.limitAt(off, "more than %d keys in one table: no settings file needs that many", MaxTableKeys)
	}
}

// countTableKey counts one more key in the table at path, numbered seq
// when known, and returns the table's count.
func (sc *tomlScan) countTableKey(path []byte, seq int32, known bool) int32 {
	if !known {
		if sc.lostTables == nil {
			sc.lostTables = map[string]int32{}
		}
		sc.lostTables[string(path)]++
		return sc.lostTables[string(path)]
	}
	return sc.addTableKeys(seq, 1)
}

// smallTables bounds tomlScan.tableKeys: the tables among the first keys
// of a document are counted in a slice, the later ones of a large
// document in a map, which holds only tables.
const smallTables = 64

// addTableKeys counts n more keys in the table numbered seq (-1: the
// root), and returns its count.
func (sc *tomlScan) addTableKeys(seq, n int32) int32 {
	if i := int(seq) + 1; i < smallTables {
		if i >= len(sc.tableKeys) {
			sc.tableKeys = append(sc.tableKeys, make([]int32, i+1-len(sc.tableKeys))...)
		}
		sc.tableKeys[i] += n
		return sc.tableKeys[i]
	}
	if sc.laterTables == nil {
		sc.laterTables = map[int32]int32{}
	}
	sc.laterTables[seq] += n
	return sc.laterTables[seq]
}

// found moves the count of the table at path, numbered seq and recorded
// only now, from lostTables, where keys in it were counted before.
func (sc *tomlScan) found(path []byte, seq int32) {
	n, ok := sc.lostTables[string(path)]
	if !ok {
		return
	}
	delete(sc.lostTables, string(path))
	sc.addTableKeys(seq, n) // none counted yet: the table is new
}

func (sc *tomlScan) limit(k *unstable.Node, format string, args ...any) error {
	off := -1
	if k != nil && k.Raw.Length > 0 {
		off = int(k.Raw.Offset)
	}
	return sc.limitAt(off, format, args...)
}

func (sc *tomlScan) limitAt(off int, format string, args ...any) error {
	pos := Position{File: sc.doc.file}
	if off >= 0 {
		pos = sc.doc.offsetPosition(off)
	}
	sc.err = limitError(pos, format, args...)
	return sc.err
}

// redefined returns, for a key or table go-toml found defined again at
// line:col, where it was first written; else the zero
// Position. go-toml gives a path relative to the table it was in, so a key
// redefined under a header may not be found.
func (d *tomlDoc) redefined(de *toml.DecodeError, line, col int) Position {
	path := de.Key()
	if len(path) == 0 || !strings.Contains(de.Error(), " already ") {
		return Position{}
	}
	if _, ok := d.pos.get([]byte(strings.Join(path, sep))); !ok {
		return Position{}
	}
	first := d.position(path)
	if first.Line == line && first.Column == col {
		return Position{}
	}
	return first
}

// position returns where the key path was written, from its first to its
// last key as written (a key under a table header is the key alone), or
// the file alone. A table opened by a dotted key (server in
// server.api.port = 1) was recorded where that key was written.
func (d *tomlDoc) position(path []string) Position {
	var buf [256]byte // the joined path, on the stack when short
	key := buf[:0]
	for i, k := range path {
		if i > 0 {
			key = append(key, sep...)
		}
		key = append(key, k...)
	}
	at, ok := d.pos.get(key)
	if !ok {
		return Position{File: d.file}
	}
	pos := d.offsetPosition(int(at.off))
	if at.end > at.off {
		end := d.offsetPosition(int(at.end))
		pos.EndLine, pos.EndColumn = end.Line, end.Column
	}
	return pos
}

func (d *tomlDoc) offsetPosition(off int) Position {
	line, _ := slices.BinarySearch(d.lines, off+1)
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

// TOMLKey renders a key path as TOML writes it, quoting the parts that are
// not bare keys: server.api, or tool.prefect."my key".
func TOMLKey(path []string) string {
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

// dotted is TOMLKey, for brevity within the package.
func dotted(path []string) string { return TOMLKey(path) }

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
