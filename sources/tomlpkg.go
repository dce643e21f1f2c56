package sources

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// Prefect before 3.6.14 (release.Release.TOMLLib off) read prefect.toml,
// pyproject.toml and the profiles file with the toml package, version
// 0.10.2, whose decoder (toml/decoder.py) reads many files otherwise than
// TOML 1.0: it takes a non-ASCII bare key, lets a dotted key extend an
// inline table, keeps the spaces around a dot in a key (api . url is the
// key "api " and then url), unescapes a quoted key's \n but not its \u,
// rejects arrays mixing types, reads dates loosely, and more. parseTOMLPkg
// is that decoder, step by step, on the file as Python's text mode gives
// it (line ends translated to \n), yielding the document Strata reads
// settings from, with the position of every key.

// ErrTOMLPackage is wrapped by every *SyntaxError for a file the toml
// package, Prefect's TOML parser before 3.6.14, fails to read.
var ErrTOMLPackage = errors.New("a file the toml package rejects")

// ErrMixedArray is wrapped, with ErrTOMLPackage, by every *SyntaxError for
// an array mixing types ([1, "a"]), which TOML 1.0 accepts and the toml
// package rejects.
var ErrMixedArray = errors.New("an array mixing types, which the toml package rejects")

// pkgError is a failure of the toml package's decoder. Crash names the
// Python exception when it is not the decoder's own TomlDecodeError.
type pkgError struct {
	msg   string
	crash string
	mixed bool
}

func (e *pkgError) Error() string { return e.msg }

func (e *pkgError) Is(target error) bool {
	return target == ErrTOMLPackage || target == ErrMixedArray && e.mixed
}

// tomlPkgMaxWork bounds the characters the decoder scans again: the toml
// package scans parts of a line once for every '=' or ',' in it, and
// parts of a multi-line string once for every line. Real files need a few
// thousand; a file needing more is refused.
const tomlPkgMaxWork = 20_000_000

// pyList is a Python list: arrays and arrays of tables, shared by
// reference as Python shares them.
type pyList struct{ items []any }

// pkgDecoder holds the state of one decoding.
type pkgDecoder struct {
	doc  *tomlDoc
	sc   *tomlScan
	text string // the file as Python reads it
	crs  []int  // offsets in text where a \r was removed before \n
	work int
	stmt int // offset of the statement being read, for keys without one
}

// tomlPkgFail stops the decoder with err.
type tomlPkgFail struct{ err error }

// parseTOMLPkg decodes data, the contents of file, as the toml package
// 0.10.2 does. A file it rejects is a *SyntaxError wrapping ErrTOMLPackage
// at the position of the problem; a file beyond Strata's limits a
// *FileError. With pyproject set only [tool.prefect] is kept.
func parseTOMLPkg(file string, data []byte, pyproject bool) (doc *tomlDoc, err error) {
	if len(data) > MaxFileSize {
		return nil, tooLarge(file)
	}
	doc = newTOMLDoc(file, data)
	if strings.ContainsRune(string(data), '\r') {
		// Python's text mode ends a line at a lone \r too.
		doc.lines = doc.lines[:1]
		for i, c := range data {
			if c == '\n' || c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
				doc.lines = append(doc.lines, i+1)
			}
		}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, &SyntaxError{Pos: doc.offsetPosition(off), Err: &pkgError{msg: "not UTF-8", crash: "UnicodeDecodeError"},
			Msg: "invalid TOML: not UTF-8 text; Prefect stops with UnicodeDecodeError reading it"}
	}
	d := &pkgDecoder{doc: doc, sc: &tomlScan{doc: doc, maxWork: math.MaxInt}}
	defer d.sc.borrow().put(d.sc) // the scan's buffers, for recordAt
	d.text, d.crs = pyNewlines(data)
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(tomlPkgFail)
			if !ok {
				panic(r)
			}
			doc, err = nil, f.err
		}
	}()
	root := d.loads()
	doc.root = toGo(root).(map[string]any)
	if pyproject {
		doc.root = map[string]any{}
		if tool, ok := root["tool"].(map[string]any); ok {
			if t, ok := tool["prefect"].(map[string]any); ok {
				doc.root = map[string]any{"tool": map[string]any{"prefect": toGo(t)}}
			}
		}
	}
	return doc, nil
}

// pyNewlines is data as Python's text mode reads it: \r\n and a lone \r
// are \n. crs lists, in the result, the offsets of the \n whose \r went.
func pyNewlines(data []byte) (string, []int) {
	if !strings.ContainsRune(string(data), '\r') {
		return string(data), nil
	}
	b := make([]byte, 0, len(data))
	var crs []int
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\r' {
			if i+1 < len(data) && data[i+1] == '\n' {
				crs = append(crs, len(b))
				continue
			}
			c = '\n'
		}
		b = append(b, c)
	}
	return string(b), crs
}

// orig maps an offset in d.text to one in the file.
func (d *pkgDecoder) orig(off int) int {
	return off + sort.SearchInts(d.crs, off+1)
}

func (d *pkgDecoder) pos(off int) Position {
	if off < 0 {
		off = d.stmt
	}
	return d.doc.offsetPosition(d.orig(min(off, len(d.text))))
}

// fail stops the decoder with the toml package's TomlDecodeError at off.
func (d *pkgDecoder) fail(off int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	panic(tomlPkgFail{&SyntaxError{Pos: d.pos(off), Err: &pkgError{msg: msg},
		Msg: "invalid TOML for this Prefect release: " + msg + " (the toml package, which Prefect reads TOML with before 3.6.14, rejects it)"}})
}

// crash stops the decoder with a Python exception other than the
// decoder's own, which Prefect does not catch.
func (d *pkgDecoder) crash(off int, exc, msg string) {
	panic(tomlPkgFail{&SyntaxError{Pos: d.pos(off), Err: &pkgError{msg: msg, crash: exc},
		Msg: fmt.Sprintf("invalid TOML for this Prefect release: %s; the toml package, which Prefect reads TOML with before 3.6.14, fails on it with %s", msg, exc)}})
}

// valueErr is the decoder's ValueError, which becomes a TomlDecodeError at
// the start of the statement.
type valueErr struct {
	msg   string
	mixed bool
}

func (d *pkgDecoder) valueError(msg string) { panic(valueErr{msg: msg}) }

// charge counts n characters scanned again, refusing the file past the
// budget.
func (d *pkgDecoder) charge(n int) {
	if d.work += n; d.work > tomlPkgMaxWork {
		panic(tomlPkgFail{limitError(d.pos(d.stmt), "reading this file would take the toml package (Prefect's TOML parser before 3.6.14) more than %d steps: no settings file needs that", tomlPkgMaxWork)})
	}
}

// limit stops the decoder on a limit of Strata's, at off.
func (d *pkgDecoder) limit(off int, format string, args ...any) {
	panic(tomlPkgFail{limitError(d.pos(off), format, args...)})
}

// record notes where the key path was first written, from off to end (or
// -1 when unknown), and counts it against the limits.
func (d *pkgDecoder) record(path []string, off, end int) {
	if len(path) > MaxDepth {
		d.limit(off, "key more than %d keys deep: no settings file needs that", MaxDepth)
	}
	var b []byte
	for _, k := range path[:len(path)-1] {
		b = appendKey(b, []byte(k))
	}
	parent := len(b)
	b = appendKey(b, []byte(path[len(path)-1]))
	if off < 0 {
		off, end = d.stmt, -1
	}
	if end >= off {
		end = d.orig(end)
	} else {
		end = -1
	}
	d.sc.recordAt(b, parent, d.orig(off), end)
	if d.sc.err != nil {
		panic(tomlPkgFail{d.sc.err})
	}
}

// at is sl[j] with Python's negative indices; ok is false for an
// IndexError.
func at(sl []byte, j int) (byte, bool) {
	if j < 0 {
		j += len(sl)
	}
	if j < 0 || j >= len(sl) {
		return 0, false
	}
	return sl[j], true
}

func is(sl []byte, j int, c byte) bool {
	b, ok := at(sl, j)
	return ok && b == c
}

func set(sl []byte, j int, c byte) {
	if j < 0 {
		j += len(sl)
	}
	sl[j] = c
}

// loads is toml.loads: a first pass over the characters that finds keys,
// strings, comments and arrays (blanking comments and joining the lines of
// an array), then a pass over the lines.
func (d *pkgDecoder) loads() map[string]any {
	sl := []byte(d.text)
	var (
		openarr                  int
		openstring, multilinestr bool
		openstrchar              byte
		arrayoftables, keygroup  bool
		beginline                = true
		dottedkey                bool
		keyname                  int
	)
	for i := 0; i < len(sl); {
		item, size := utf8.DecodeRune(sl[i:])
		next := i + size
		if keyname != 0 {
			if item == '\n' {
				d.fail(i, "a key without a value: the line ends")
			}
			handled := false
			switch {
			case openstring:
				if byte(item) == openstrchar && item < 0x80 {
					odd := false
					for k := 1; i >= k && sl[i-k] == '\\'; k++ {
						odd = !odd
					}
					if !odd {
						keyname, openstring, openstrchar = 2, false, 0
					}
				}
				handled = true
			case keyname == 1:
				switch {
				case pyIsSpace(item):
					keyname, handled = 2, true
				case item == '.':
					dottedkey, handled = true, true
				case pyIsAlnum(item) || item == '_' || item == '-':
					handled = true
				case dottedkey && is(sl, i-1, '.') && (item == '"' || item == '\''):
					openstring, openstrchar, handled = true, byte(item), true
				}
			case keyname == 2:
				switch {
				case pyIsSpace(item):
					if dottedkey {
						n := d.nextItem(sl, next)
						if !pyIsSpace(n) && n != '.' {
							keyname = 1
						}
					}
					handled = true
				case item == '.':
					dottedkey = true
					n := d.nextItem(sl, next)
					if !pyIsSpace(n) && n != '.' {
						keyname = 1
					}
					handled = true
				}
			}
			if handled {
				i = next
				continue
			}
			if item != '=' {
				d.fail(i, "invalid character %q in a key; the key needs quotes", item)
			}
			keyname, dottedkey = 0, false
		}
		if item == '\'' && openstrchar != '"' || item == '"' && openstrchar != '\'' {
			// A quote opens or closes a string; three open or close a
			// multi-line one; an odd run of backslashes before a double
			// quote escapes it.
			q := byte(item)
			k, triple := 1, false
			for is(sl, i-k, q) {
				if k++; k == 3 {
					triple = true
					break
				}
			}
			odd := false
			if q == '"' && (k == 1 || triple) {
				for is(sl, i-k, '\\') {
					odd = !odd
					k++
				}
			}
			if !odd {
				if triple {
					multilinestr = !multilinestr
					openstring = multilinestr
				} else {
					openstring = !openstring
				}
			}
			openstrchar = 0
			if openstring {
				openstrchar = q
			}
		}
		if item == '#' && !openstring && !keygroup && !arrayoftables {
			j := i
			for j < len(sl) && sl[j] != '\n' {
				sl[j] = ' '
				j++
			}
			if j == len(sl) {
				break // the comment ends the file
			}
		}
		if item == '[' && !openstring && !keygroup && !arrayoftables {
			if beginline {
				if i+1 < len(sl) && sl[i+1] == '[' {
					arrayoftables = true
				} else {
					keygroup = true
				}
			} else {
				openarr++
			}
		}
		if item == ']' && !openstring {
			switch {
			case keygroup:
				keygroup = false
			case arrayoftables:
				if is(sl, i-1, ']') {
					arrayoftables = false
				}
			default:
				openarr--
			}
		}
		if item == '\n' {
			switch {
			case openstring || multilinestr:
				if !multilinestr {
					d.fail(i, "a string without its closing quote")
				}
				p, _ := at(sl, i-1)
				if (p == '\'' || p == '"') && is(sl, i-2, p) {
					sl[i] = p
					if is(sl, i-3, p) {
						set(sl, i-3, ' ')
					}
				}
			case openarr != 0:
				sl[i] = ' '
			default:
				beginline = true
			}
		} else if beginline && sl[i] != ' ' && sl[i] != '\t' {
			beginline = false
			if !keygroup && !arrayoftables {
				if sl[i] == '=' {
					d.fail(i, "a key without a name")
				}
				keyname = 1
			}
		}
		i = next
	}
	if keyname != 0 {
		d.fail(len(sl), "a key without a value: the file ends")
	}
	if openstring {
		d.fail(len(sl), "a string without its closing quote: the file ends")
	}
	return d.lines(string(sl))
}

// nextItem is sl[i+1] in the first pass: the next character, where the
// toml package fails with IndexError at the end of the file.
func (d *pkgDecoder) nextItem(sl []byte, next int) rune {
	if next >= len(sl) {
		d.crash(next, "IndexError", "a key ends the file")
	}
	r, _ := utf8.DecodeRune(sl[next:])
	return r
}

// table is a table being filled, and its key path.
type table struct {
	t    any // map[string]any, or another value where the toml package fails
	path []string
}

// lines is the second pass of toml.loads, over the lines of s.
func (d *pkgDecoder) lines(s string) map[string]any {
	retval := map[string]any{}
	cur := table{retval, nil}
	var implicit []string
	var (
		multikey  string
		inMulti   bool
		multi     []byte
		multiNL   bool // multi holds a \n
		multiBS   bool
		multiStmt int
	)
	next := 0
	for next <= len(s) {
		lineOff := next
		end := strings.IndexByte(s[next:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += next
		}
		line := s[next:end]
		next = end + 1
		if len(multi) == 0 || multiBS || !multiNL {
			lineOff += len(line) - len(pyLStrip(line))
			line = pyStrip(line)
		}
		if line == "" && (!inMulti || multiBS) {
			continue
		}
		d.stmt = lineOff
		if inMulti {
			multi = append(multi, line...)
			multiBS = false
			closed := false
			if multi[0] == '[' {
				if line == "" {
					d.crash(lineOff, "IndexError", "an empty line inside an array")
				}
				closed = line[len(line)-1] == ']'
			} else if utf8.RuneCountInString(line) > 2 {
				q := multi[0]
				closed = line[len(line)-1] == q && line[len(line)-2] == q && line[len(line)-3] == q
			}
			if closed {
				v := d.valueAt(lineOff, func() any {
					v, _ := d.loadValue(string(multi), -1, append(cur.path[:len(cur.path):len(cur.path)], multikey), true, 0)
					return v
				})
				if !setItem(cur.t, multikey, v) {
					d.crash(multiStmt, "TypeError", "a value inside "+pyTypeName(cur.t))
				}
				inMulti, multi, multiNL = false, multi[:0], false
				continue
			}
			k := len(multi) - 1
			for ; k > -1 && multi[k] == '\\'; k-- {
				multiBS = !multiBS
			}
			d.charge(len(multi) - 1 - k)
			if multiBS {
				multi = multi[:len(multi)-1]
			} else {
				multi = append(multi, '\n')
				multiNL = true
			}
			continue
		}
		switch {
		case line[0] == '[':
			cur = d.header(retval, line, lineOff, &implicit)
		case line[0] == '{':
			if line[len(line)-1] != '}' {
				d.fail(lineOff, "a line break inside an inline table")
			}
			d.valueAt(lineOff, func() any { d.loadInlineObject(line, lineOff, cur, 0); return nil })
		case strings.Contains(line, "="):
			var ret *multiStart
			d.valueAt(lineOff, func() any { ret = d.loadLine(line, lineOff, cur, 0); return nil })
			if ret != nil {
				inMulti, multikey, multiBS, multiStmt = true, ret.key, ret.backslash, lineOff
				multi = append(multi[:0], ret.value...)
				multiNL = strings.Contains(ret.value, "\n")
				d.record(append(cur.path[:len(cur.path):len(cur.path)], multikey), lineOff, -1)
			}
		}
	}
	return retval
}

// valueAt runs f, turning the decoder's ValueError into a TomlDecodeError
// at off, as toml.loads does.
func (d *pkgDecoder) valueAt(off int, f func() any) (v any) {
	defer func() {
		if r := recover(); r != nil {
			ve, ok := r.(valueErr)
			if !ok {
				panic(r)
			}
			err := &SyntaxError{Pos: d.pos(off), Err: &pkgError{msg: ve.msg, mixed: ve.mixed},
				Msg: "invalid TOML for this Prefect release: " + ve.msg + " (the toml package, which Prefect reads TOML with before 3.6.14, rejects it)"}
			panic(tomlPkgFail{err})
		}
	}()
	return f()
}

var groupName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// header reads a [table] or [[array of tables]] header line, and returns
// the table it opens.
func (d *pkgDecoder) header(retval map[string]any, line string, off int, implicit *[]string) table {
	if len(line) == 1 {
		d.fail(off, "a [ alone on its line")
	}
	array := line[1] == '['
	body, split := line[1:], "]"
	if array {
		body, split = line[2:], "]]"
	}
	i := 1
	quoted := false
	for _, q := range d.splitOnQuotes(body) {
		if !quoted && strings.Contains(q, split) {
			break
		}
		i += strings.Count(q, split)
		quoted = !quoted
	}
	parts := strings.SplitN(body, split, i+1)
	if len(parts) < i+1 || pyStrip(parts[len(parts)-1]) != "" {
		d.fail(off, "a table header not alone on its line")
	}
	groups := strings.Split(strings.Join(parts[:len(parts)-1], split), ".")
	bodyOff := off + len(line) - len(body)
	keys := strings.Join(parts[:len(parts)-1], split)
	keyOff := bodyOff + len(keys) - len(pyLStrip(keys))
	keyEnd := bodyOff + len(pyRStrip(keys))
	for i := 0; i < len(groups); i++ {
		groups[i] = pyStrip(groups[i])
		if g := groups[i]; g != "" && (g[0] == '"' || g[0] == '\'') {
			str := g
			j := i + 1
			for str[0] != str[len(str)-1] || utf8.RuneCountInString(str) == 1 {
				j++
				if j > len(groups)+2 {
					d.fail(off, "invalid table name %q", str)
				}
				str = pyStrip(strings.Join(groups[i:min(j, len(groups))], "."))
				d.charge(len(str))
				if str == "" {
					d.crash(off, "IndexError", "a table name that is only a quote")
				}
			}
			groups[i] = str[1 : len(str)-1]
			groups = append(groups[:i+1], groups[min(j, len(groups)):]...)
		} else if !groupName.MatchString(g) {
			d.fail(off, "invalid table name %q; it needs quotes", g)
		}
		if i+1 > MaxDepth {
			d.limit(keyOff, "table header more than %d keys deep: no settings file needs that", MaxDepth)
		}
	}
	var cur any = retval
	var path []string
	for i, group := range groups {
		if group == "" {
			d.fail(off, "a table with an empty name")
		}
		last := i == len(groups)-1
		path = append(path, group)
		d.record(path, keyOff, keyEnd)
		v, err := getItem(cur, group)
		switch err {
		case nil:
			if last {
				if k := indexOf(*implicit, group); k >= 0 {
					*implicit = append((*implicit)[:k], (*implicit)[k+1:]...)
					if array {
						d.fail(off, "an implicitly defined table cannot be an array of tables")
					}
				} else if array {
					l, ok := v.(*pyList)
					if !ok {
						d.crash(off, "AttributeError", fmt.Sprintf("[[%s]] where %s is %s", strings.Join(path, "."), group, pyTypeName(v)))
					}
					l.items = append(l.items, map[string]any{})
				} else {
					d.fail(off, "the table %q is already defined", strings.Join(path, "."))
				}
			}
		case errType:
			elem, ok := lastItem(cur)
			if !ok {
				d.crash(off, pyErrName(cur), fmt.Sprintf("a table inside %s", pyTypeName(cur)))
			}
			cur = elem
			in, err := contains(cur, group)
			if err != nil {
				d.crash(off, "TypeError", fmt.Sprintf("a table inside %s", pyTypeName(cur)))
			}
			if !in {
				var nv any = map[string]any{}
				if last && array {
					nv = &pyList{items: []any{map[string]any{}}}
				}
				if !setItem(cur, group, nv) {
					d.crash(off, "TypeError", fmt.Sprintf("a table inside %s", pyTypeName(cur)))
				}
			}
		case errKey:
			if !last {
				*implicit = append(*implicit, group)
			}
			var nv any = map[string]any{}
			if last && array {
				nv = &pyList{items: []any{map[string]any{}}}
			}
			setItem(cur, group, nv)
		}
		next, err := getItem(cur, group)
		if err != nil {
			d.crash(off, "TypeError", fmt.Sprintf("a table inside %s", pyTypeName(cur)))
		}
		cur = next
		if array {
			if _, isDict := cur.(map[string]any); !isDict {
				elem, ok := lastItem(cur)
				if !ok {
					d.crash(off, pyErrName(cur), fmt.Sprintf("an array of tables inside %s", pyTypeName(cur)))
				}
				cur = elem
			}
		}
	}
	return table{cur, path}
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// The Python errors of indexing a value.
var (
	errKey  = errors.New("KeyError")
	errType = errors.New("TypeError")
)

// getItem is v[key] for a string key.
func getItem(v any, key string) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		x, ok := t[key]
		if !ok {
			return nil, errKey
		}
		return x, nil
	}
	return nil, errType
}

// setItem is v[key] = x; false for a TypeError.
func setItem(v any, key string, x any) bool {
	t, ok := v.(map[string]any)
	if ok {
		t[key] = x
	}
	return ok
}

// lastItem is v[-1]: the last element of a list, the last character of a
// string; ok is false for an IndexError or TypeError.
func lastItem(v any) (any, bool) {
	switch t := v.(type) {
	case *pyList:
		if len(t.items) == 0 {
			return nil, false
		}
		return t.items[len(t.items)-1], true
	case string:
		if t == "" {
			return nil, false
		}
		_, n := utf8.DecodeLastRuneInString(t)
		return t[len(t)-n:], true
	}
	return nil, false
}

func pyErrName(v any) string {
	switch t := v.(type) {
	case *pyList:
		if len(t.items) == 0 {
			return "IndexError"
		}
	case string:
		if t == "" {
			return "IndexError"
		}
	}
	return "TypeError"
}

// contains is Python's key in v.
func contains(v any, key string) (bool, error) {
	switch t := v.(type) {
	case map[string]any:
		_, ok := t[key]
		return ok, nil
	case string:
		return strings.Contains(t, key), nil
	case *pyList:
		for _, x := range t.items {
			if s, ok := x.(string); ok && s == key {
				return true, nil
			}
		}
		return false, nil
	}
	return false, errType
}

func pyTypeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a table"
	case *pyList:
		return "an array"
	case string:
		return "a string"
	case int64, float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "a date or time"
}

// splitOnQuotes is TomlDecoder._get_split_on_quotes.
func (d *pkgDecoder) splitOnQuotes(line string) []string {
	dq := strings.Split(line, "\"")
	var out []string
	if len(dq) > 1 && strings.Contains(dq[0], "'") {
		sq := strings.Split(dq[0], "'")
		dq = dq[1:]
		for len(sq)%2 == 0 && len(dq) > 0 {
			last := sq[len(sq)-1] + "\"" + dq[0]
			d.charge(len(last))
			dq = dq[1:]
			if strings.Contains(last, "'") {
				sq = append(sq[:len(sq)-1], strings.Split(last, "'")...)
			} else {
				sq[len(sq)-1] = last
			}
		}
		out = append(out, sq...)
	}
	quoted := false
	for _, s := range dq {
		if quoted {
			out = append(out, s)
		} else {
			out = append(out, strings.Split(s, "'")...)
			quoted = !quoted
		}
	}
	return out
}

// multiStart is load_line's answer for a value that continues on the next
// lines: a multi-line string, or an array holding one.
type multiStart struct {
	key       string
	value     string
	backslash bool
}

// strictlyValidNum is _strictly_valid_num.
func strictlyValidNum(n string) bool {
	n = pyStrip(n)
	switch {
	case n == "", n[0] == '_', n[len(n)-1] == '_', strings.Contains(n, "_.") || strings.Contains(n, "._"):
		return false
	case utf8.RuneCountInString(n) == 1:
		return true
	case n[0] == '0' && !strings.ContainsRune(".obx", rune(n[1])):
		return false
	}
	if n[0] == '+' || n[0] == '-' {
		n = n[1:]
		if utf8.RuneCountInString(n) > 1 && n[0] == '0' && n[1] != '.' {
			return false
		}
	}
	return !strings.Contains(n, "__")
}

var timeRE = regexp.MustCompile(`^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.([0-9]{3,6}))?`)

// matchTime is TIME_RE.match(v): a time at the start of v, HH:MM:SS with
// an optional fraction of three to six digits; what follows is ignored.
func matchTime(v string) []string {
	if len(v) < 8 || v[2] != ':' || v[5] != ':' {
		return nil
	}
	return timeRE.FindStringSubmatch(v)
}

// loadLine is TomlDecoder.load_line: one key = value, at off, into cur.
// depth counts the inline tables and arrays it is in.
func (d *pkgDecoder) loadLine(line string, off int, cur table, depth int) *multiStart {
	i := 1
	quoted := false
	for _, q := range d.splitOnQuotes(line) {
		if !quoted && strings.Contains(q, "=") {
			break
		}
		i += strings.Count(q, "=")
		quoted = !quoted
	}
	var eqs []int
	for k := 0; k < len(line); k++ {
		if line[k] == '=' {
			eqs = append(eqs, k)
		}
	}
	// line.split('=', i): the value is what follows the i-th '=', or the
	// last.
	cut := func(i int) int { return eqs[min(i, len(eqs))-1] }
	value := line[cut(i)+1:]
	strict := strictlyValidNum(value)
	if value != "" && value[0] >= '0' && value[0] <= '9' {
		value = strings.ReplaceAll(value, "_", "")
	}
	for first := true; value != "" && !strings.ContainsRune(" \t'\"[{", rune(value[0])) &&
		pyStrip(value) != "true" && pyStrip(value) != "false"; first = false {
		if !first {
			d.charge(len(value))
		}
		if _, ok := pyFloat(value); ok {
			break
		}
		if v, _ := loadDate(value); v != nil {
			break
		}
		if matchTime(value) != nil {
			break
		}
		i++
		prev := value
		value = line[cut(i)+1:]
		if prev == value {
			d.valueError("an invalid date or number")
		}
		if strict {
			strict = strictlyValidNum(value)
		}
	}
	key := pyStrip(line[:cut(i)])
	value = pyStrip(value)
	keyOff, keyEnd := off, -1
	if off >= 0 {
		keyOff = off + len(line) - len(pyLStrip(line))
		keyEnd = off + len(pyRStrip(line[:cut(i)]))
	}
	path := cur.path
	target := cur.t
	if strings.Contains(key, ".") {
		var levels []string
		if strings.ContainsAny(key, "\"'") {
			q := false
			for _, part := range d.splitOnQuotes(key) {
				if q {
					levels = append(levels, part)
				} else {
					for _, l := range strings.Split(part, ".") {
						levels = append(levels, pyStrip(l))
					}
				}
				q = !q
			}
		} else {
			levels = strings.Split(key, ".")
		}
		for len(levels) > 0 && levels[len(levels)-1] == "" {
			levels = levels[:len(levels)-1]
		}
		if len(levels) == 0 {
			d.crash(keyOff, "IndexError", fmt.Sprintf("the key %q has no name", key))
		}
		path = append(path[:len(path):len(path)], nil...)
		for _, level := range levels[:len(levels)-1] {
			if level == "" {
				continue
			}
			in, err := contains(target, level)
			if err != nil {
				d.crash(keyOff, "TypeError", fmt.Sprintf("a dotted key into %s", pyTypeName(target)))
			}
			if !in && !setItem(target, level, map[string]any{}) {
				d.crash(keyOff, "TypeError", fmt.Sprintf("a dotted key into %s", pyTypeName(target)))
			}
			next, err := getItem(target, level)
			if err != nil {
				d.crash(keyOff, "TypeError", fmt.Sprintf("a dotted key into %s", pyTypeName(target)))
			}
			path = append(path, level)
			d.record(path, keyOff, keyEnd)
			target = next
		}
		key = pyStrip(levels[len(levels)-1])
	} else if key == "" {
		d.crash(keyOff, "IndexError", "a key without a name")
	} else if (key[0] == '"' || key[0] == '\'') && key[len(key)-1] == key[0] {
		key = d.unescape(trimRunes(key, 1))
	}
	path = append(path[:len(path):len(path)], key)
	d.record(path, keyOff, keyEnd)
	valOff := -1
	if off >= 0 {
		raw := line[cut(i)+1:]
		valOff = off + cut(i) + 1 + len(raw) - len(pyLStrip(raw))
	}
	k, koff := d.multilineStr(value)
	if k > -1 {
		bs := false
		for ; k > -1 && value[k+koff] == '\\'; k-- {
			bs = !bs
		}
		ms := &multiStart{key: key, backslash: bs}
		if bs {
			ms.value = value[:len(value)-1]
		} else {
			ms.value = value + "\n"
		}
		if _, err := getItem(target, key); err == nil || err == errType {
			d.valueError(fmt.Sprintf("the key %q is defined twice", strings.Join(path, ".")))
		}
		if key == "" {
			d.crash(keyOff, "UnboundLocalError", "a multi-line string for an empty key")
		}
		return ms
	}
	v, _ := d.loadValue(value, valOff, path, strict, depth)
	if _, err := getItem(target, key); err == nil || err == errType {
		d.valueError(fmt.Sprintf("the key %q is defined twice", strings.Join(path, ".")))
	}
	setItem(target, key, v)
	return nil
}

// multilineStr is _load_line_multiline_str: where a value that continues
// on the next lines ends, or -1.
func (d *pkgDecoder) multilineStr(p string) (int, int) {
	poffset := 0
	if utf8.RuneCountInString(p) < 3 {
		return -1, 0
	}
	if p[0] == '[' && pyStrip(p)[len(pyStrip(p))-1] != ']' && isStrArray(p) {
		newp := strings.Split(pyStrip(p[1:]), ",")
		for len(newp) > 1 && (newp[len(newp)-1] == "" || newp[len(newp)-1][0] != '"' && newp[len(newp)-1][0] != '\'') {
			if newp[len(newp)-1] == "" {
				d.crash(d.stmt, "IndexError", "an array of strings ending in a comma")
			}
			last := newp[len(newp)-2] + "," + newp[len(newp)-1]
			d.charge(len(last))
			newp = append(newp[:len(newp)-2], last)
		}
		poffset = len(p) - len(newp[len(newp)-1])
		p = newp[len(newp)-1]
	}
	if p == "" {
		d.crash(d.stmt, "IndexError", "an empty value")
	}
	if p[0] != '"' && p[0] != '\'' {
		return -1, poffset
	}
	if len(p) < 2 || len(p) < 3 && p[1] == p[0] {
		d.crash(d.stmt, "IndexError", "a short string")
	}
	if p[1] != p[0] || p[2] != p[0] {
		return -1, poffset
	}
	if utf8.RuneCountInString(p) > 5 && p[len(p)-1] == p[0] && p[len(p)-2] == p[0] && p[len(p)-3] == p[0] {
		return -1, poffset
	}
	return len(p) - 1, poffset
}

// isStrArray is _load_array_isstrarray.
func isStrArray(a string) bool {
	if len(a) < 2 {
		return false
	}
	a = pyStrip(a[1 : len(a)-1])
	return a != "" && (a[0] == '"' || a[0] == '\'')
}

var escapes = map[byte]byte{'0': 0, 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', '"': '"'}

// unescape is _unescape: the escapes \0 \b \f \n \r \t \" and \\ are
// replaced; \u and \U stay as they are; any other is an error.
func (d *pkgDecoder) unescape(v string) string {
	if !strings.Contains(v, "\\") {
		return v
	}
	var b strings.Builder
	backslash := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if backslash {
			backslash = false
			switch e, ok := escapes[c]; {
			case ok:
				b.WriteByte(e)
			case c == '\\':
				b.WriteByte('\\')
			case c == 'u' || c == 'U':
				b.WriteByte('\\')
				b.WriteByte(c)
			default:
				d.valueError("a reserved escape sequence")
			}
			continue
		}
		if c == '\\' {
			backslash = true
			continue
		}
		b.WriteByte(c)
	}
	if backslash {
		b.WriteByte('\\')
	}
	return b.String()
}

// unicodeEscapes is _load_unicode_escapes.
func (d *pkgDecoder) unicodeEscapes(v string, hexbytes []string, prefix string) string {
	var b strings.Builder
	b.WriteString(v)
	skip := trailingOdd(v)
	width := 4
	if prefix == "\\U" {
		width = 8
	}
	for _, hx := range hexbytes {
		if skip {
			skip = trailingOdd(hx)
			b.WriteString(prefix)
			b.WriteString(hx)
			continue
		}
		rs := []rune(hx)
		hxb := strings.ToLower(string(rs[:min(width, len(rs))]))
		if strings.Trim(hxb, "0123456789abcdef") != "" {
			d.valueError(`an invalid \u or \U escape sequence`)
		}
		if hxb[0] == 'd' && (len(hxb) < 2 || strings.Trim(hxb[1:2], "01234567") != "") {
			if len(hxb) < 2 {
				d.crash(d.stmt, "IndexError", "a short escape sequence")
			}
			d.valueError(`a \u escape of a surrogate: only scalar Unicode code points are allowed`)
		}
		n, _ := strconv.ParseUint(hxb, 16, 64)
		if n > utf8.MaxRune {
			d.valueError(`a \U escape beyond Unicode`)
		}
		b.WriteRune(rune(n))
		b.WriteString(string(rs[len([]rune(hxb)):]))
	}
	return b.String()
}

// trailingOdd reports whether s ends in an odd number of backslashes.
func trailingOdd(s string) bool {
	odd := false
	for i := len(s) - 1; i >= 0 && s[i] == '\\'; i-- {
		odd = !odd
	}
	return odd
}

// loadValue is TomlDecoder.load_value: v at off (or -1), the value of the
// key path; depth counts the arrays and inline tables it is in. The type
// is the one the toml package checks arrays with: bool, str, array,
// inline_object, time, date (dates and date-times alike), float, int.
func (d *pkgDecoder) loadValue(v string, off int, path []string, strict bool, depth int) (any, string) {
	switch lower := strings.ToLower(v); {
	case v == "":
		d.valueError("an empty value")
	case v == "true":
		return true, "bool"
	case v == "false":
		return false, "bool"
	case lower == "true" || lower == "false":
		d.valueError("a boolean not in lower case")
	case v[0] == '"' || v[0] == '\'':
		return d.loadString(v, off), "str"
	case v[0] == '[':
		return d.loadArray(v, off, path, depth+1), "array"
	case v[0] == '{':
		t := map[string]any{}
		d.loadInlineObject(v, off, table{t, path}, depth+1)
		return t, "inline_object"
	}
	if m := matchTime(v); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		s, _ := strconv.Atoi(m[3])
		us := 0
		if m[5] != "" {
			us, _ = strconv.Atoi(m[5]) // microseconds as written: .5 is not half a second
		}
		if h > 23 || mi > 59 || s > 59 {
			d.valueError("a time out of range")
		}
		return toml.LocalTime{Hour: h, Minute: mi, Second: s, Nanosecond: us * 1000, Precision: 6}, "time"
	}
	if date, _ := loadDate(v); date != nil {
		return date, "date"
	}
	if !strict {
		d.valueError("leading zeros or misplaced underscores in a number")
	}
	neg := false
	if v[0] == '-' {
		neg, v = true, v[1:]
	} else if v[0] == '+' {
		v = v[1:]
	}
	v = strings.ReplaceAll(v, "_", "")
	lower := strings.ToLower(v)
	if strings.Contains(v, ".") || !strings.Contains(v, "x") && strings.ContainsAny(v, "eE") {
		if _, after, ok := strings.Cut(v, "."); ok && after == "" {
			d.valueError("a float without digits after the point")
		}
		if v[0] < '0' || v[0] > '9' {
			d.valueError("a float without a leading digit")
		}
		f, ok := pyFloat(v)
		if !ok {
			d.valueError("a value that is no float")
		}
		if neg {
			f = 0 - f
		}
		return f, "float"
	}
	if len(lower) == 3 && (lower == "inf" || lower == "nan") {
		f, _ := pyFloat(v)
		if neg {
			f = 0 - f
		}
		return f, "float"
	}
	if neg && v != "" && v[0] != '+' && v[0] != '-' {
		v = "-" + v // 0 - int(v), in one parse so that -2**63 fits
		neg = false
	}
	n, ok := pyInt(v, 0)
	if !ok {
		d.valueError("a value that is no integer, float, date, boolean or quoted string")
	}
	if neg {
		switch t := n.(type) {
		case int64:
			if t == math.MinInt64 {
				return 0 - float64(t), "int"
			}
			return 0 - t, "int"
		case float64:
			return 0 - t, "int"
		}
	}
	return n, "int"
}

// loadString is the string branch of load_value.
func (d *pkgDecoder) loadString(v string, off int) string {
	q := v[0]
	testv := strings.Split(v[1:], string(q))
	triple := false
	tripleCount := 0
	if len(testv) > 1 && testv[0] == "" && testv[1] == "" {
		testv = testv[2:]
		triple = true
	}
	closed := false
	for _, tv := range testv {
		if tv == "" {
			if triple {
				tripleCount++
			} else {
				closed = true
			}
			continue
		}
		if !trailingOdd(tv) {
			if closed {
				d.valueError("tokens after a closed string")
			}
			if !triple || tripleCount > 1 {
				closed = true
			} else {
				tripleCount = 0
			}
		}
	}
	if q == '"' {
		backslash := false
		parts := strings.Split(v, "\\")
		for _, s := range parts[1:] {
			if s == "" {
				backslash = !backslash
				continue
			}
			if _, ok := escapes[s[0]]; !ok && s[0] != 'u' && s[0] != 'U' && !backslash {
				d.valueError("a reserved escape sequence")
			}
			backslash = false
		}
		for _, prefix := range []string{"\\u", "\\U"} {
			if strings.Contains(v, prefix) {
				hexbytes := strings.Split(v, prefix)
				v = d.unicodeEscapes(hexbytes[0], hexbytes[1:], prefix)
			}
		}
		v = d.unescape(v)
	}
	if len(v) > 1 && v[1] == q && (len(v) < 3 || v[1] == v[2]) {
		v = trimRunes(v, 2)
	}
	v = trimRunes(v, 1)
	if len(v) > MaxValueLen {
		d.limit(off, "value longer than %d KiB: no setting needs that much", MaxValueLen>>10)
	}
	return v
}

// trimRunes is s[n:-n] in Python.
func trimRunes(s string, n int) string {
	i, j := 0, len(s)
	for k := 0; k < n && i < j; k++ {
		_, size := utf8.DecodeRuneInString(s[i:j])
		i += size
	}
	for k := 0; k < n && i < j; k++ {
		_, size := utf8.DecodeLastRuneInString(s[i:j])
		j -= size
	}
	if utf8.RuneCountInString(s) <= 2*n {
		return ""
	}
	return s[i:j]
}

// inner is s[1:-1] in Python.
func inner(s string) string { return trimRunes(s, 1) }

// loadInlineObject is TomlDecoder.load_inline_object: the inline table
// line, at off, into cur.
func (d *pkgDecoder) loadInlineObject(line string, off int, cur table, depth int) {
	if depth > MaxDepth {
		d.limit(off, "arrays and inline tables nested more than %d deep: no setting needs that", MaxDepth)
	}
	type group struct {
		s   string
		off int
	}
	body := inner(line)
	var cands []group
	start := 0
	for k := 0; k <= len(body); k++ {
		if k == len(body) || body[k] == ',' {
			o := -1
			if off >= 0 {
				o = off + 1 + start
			}
			cands = append(cands, group{body[start:k], o})
			start = k + 1
		}
	}
	if len(cands) == 1 && pyStrip(cands[0].s) == "" {
		cands = nil
	}
	var groups []group
	for len(cands) > 0 {
		g := cands[0]
		cands = cands[1:]
		_, value, ok := strings.Cut(g.s, "=")
		if !ok {
			d.valueError("an invalid inline table")
		}
		value = pyStrip(value)
		if value == "" {
			d.crash(g.off, "IndexError", "an inline table entry without a value")
		}
		first, last := value[0], value[len(value)-1]
		switch {
		case first == last && (first == '"' || first == '\''),
			strings.IndexByte("-0123456789", first) >= 0,
			value == "true" || value == "false",
			first == '[' && last == ']',
			first == '{' && last == '}':
			groups = append(groups, g)
		case len(cands) > 0:
			cands[0] = group{g.s + "," + cands[0].s, g.off}
			d.charge(len(cands[0].s))
		default:
			d.valueError("an invalid inline table value")
		}
	}
	for _, g := range groups {
		if d.loadLine(g.s, g.off, cur, depth) != nil {
			break
		}
	}
}

// boundedString is TomlDecoder.bounded_string.
func boundedString(s string) bool {
	if s == "" {
		return true
	}
	if s[len(s)-1] != s[0] {
		return false
	}
	backslash := false
	for i := len(s) - 2; i > 0 && s[i] == '\\'; i-- {
		backslash = !backslash
	}
	return !backslash
}

// loadArray is TomlDecoder.load_array: a, at off, the value of path.
func (d *pkgDecoder) loadArray(a string, off int, path []string, depth int) *pyList {
	if depth > MaxDepth {
		d.limit(off, "arrays and inline tables nested more than %d deep: no setting needs that", MaxDepth)
	}
	type elem struct {
		s   string
		off int
	}
	lead := len(a) - len(pyLStrip(a))
	a = pyStrip(a)
	if off >= 0 {
		off += lead
	}
	sub := func(i, j int) elem {
		o := -1
		if off >= 0 {
			o = off + i
		}
		return elem{a[i:j], o}
	}
	in := inner(a)
	var items []elem
	if !strings.Contains(in, "[") || pyStrip(strings.SplitN(in, "[", 2)[0]) != "" {
		strarray := isStrArray(a)
		if !strings.HasPrefix(pyStrip(in), "{") {
			lo := 1
			if in == "" {
				lo = 0
			}
			hi, start := lo+len(in), lo
			for k := lo; k <= hi; k++ {
				if k == hi || a[k] == ',' {
					items = append(items, sub(start, k))
					start = k + 1
				}
			}
		} else {
			// An array of inline tables: the groups between braces.
			n := len(a) - 1 // len(a[1:])
			startI, endI := 1, 2
			open := 0
			if a[startI] == '{' {
				open = 1
			}
			inStr := false
			for endI < n {
				c := a[endI]
				if c == '"' || c == '\'' {
					if inStr {
						for b := endI - 1; b > -1 && a[b] == '\\'; b-- {
							inStr = !inStr
						}
					}
					inStr = !inStr
				}
				if !inStr && c == '{' {
					open++
				}
				if inStr || c != '}' {
					endI++
					continue
				} else if open > 1 {
					open--
					endI++
					continue
				}
				endI++
				items = append(items, sub(startI, endI))
				startI = endI + 1
				for startI < n && a[startI] != '{' {
					startI++
				}
				endI = startI + 1
			}
		}
		if strarray {
			for b := 0; b < len(items)-1; b++ {
				for {
					ab := pyStrip(items[b].s)
					if boundedString(ab) && !openTriple(ab) {
						break
					}
					if b+1 >= len(items) {
						d.crash(off, "IndexError", "an array of strings with a string not closed")
					}
					items[b] = elem{items[b].s + "," + items[b+1].s, items[b].off}
					d.charge(len(items[b].s))
					items = append(items[:b+1], items[b+2:]...)
				}
			}
		}
	} else {
		open := 0
		start := 1
		for k := 1; k < len(a)-1; k++ {
			switch a[k] {
			case '[':
				open++
			case ']':
				open--
			case ',':
				if open == 0 {
					items = append(items, sub(start, k))
					start = k + 1
				}
			}
		}
		items = append(items, sub(start, max(len(a)-1, start)))
	}
	out := &pyList{}
	atype := ""
	for _, it := range items {
		s := pyStrip(it.s)
		if s == "" {
			continue
		}
		o := it.off
		if o >= 0 {
			o += len(it.s) - len(pyLStrip(it.s))
		}
		v, t := d.loadValue(s, o, path, true, depth)
		if atype != "" && t != atype {
			panic(valueErr{msg: fmt.Sprintf("%s mixes %s and %s in one array", TOMLKey(path), typeWords[atype], typeWords[t]), mixed: true})
		}
		atype = t
		out.items = append(out.items, v)
	}
	return out
}

var typeWords = map[string]string{"bool": "booleans", "str": "strings", "array": "arrays", "inline_object": "inline tables",
	"time": "times", "date": "dates", "float": "floats", "int": "integers"}

// openTriple is the second test of load_array's loop joining the strings
// of an array split at commas: ab starts with three quotes and its second
// and third characters from the end are no such quote.
func openTriple(ab string) bool {
	rs := []rune(ab)
	return len(rs) > 2 && rs[0] == rs[1] && rs[1] == rs[2] && rs[len(rs)-2] != rs[0] && rs[len(rs)-3] != rs[0]
}

// loadDate is _load_date: a date or date-time, read loosely (the
// separators are not checked, nor the offset's sign), or nil.
func loadDate(val string) (any, bool) {
	if !strings.Contains(val, "-") {
		return nil, false
	}
	rs := []rune(val)
	if !strings.Contains(string(rs[1:]), "-") {
		return nil, false
	}
	us := 0
	var tz *time.Location
	func() {
		if len(rs) <= 19 {
			return
		}
		var tzval string
		hasTZ := true
		if rs[19] == '.' {
			var sub string
			if last := rs[len(rs)-1]; last == 'Z' || last == 'z' {
				sub, tzval = string(rs[20:len(rs)-1]), "Z"
			} else {
				rest := string(rs[20:])
				if i := strings.IndexByte(rest, '+'); i >= 0 {
					sub, tzval = rest[:i], rest[i:]
				} else if i := strings.IndexByte(rest, '-'); i >= 0 {
					sub, tzval = rest[:i], rest[i:]
				} else {
					sub, hasTZ = rest, false
				}
			}
			var z *time.Location
			if hasTZ {
				var ok bool
				if z, ok = tomlTz(tzval); !ok {
					return
				}
			}
			n, ok := pyInt(sub, 10)
			if !ok {
				return
			}
			var f float64
			digits := utf8.RuneCountInString(sub)
			switch t := n.(type) {
			case int64:
				if digits <= 6 {
					f = float64(t * int64(math.Pow10(6-digits)))
				} else {
					f = float64(t) * math.Pow10(6-digits)
				}
			case float64:
				f = t * math.Pow10(6-digits)
			}
			tz, us = z, int(f)
			return
		}
		z, ok := tomlTz(string(rs[19:]))
		if ok {
			tz = z
		}
	}()
	num := func(i, j int) (int, bool) {
		if j > len(rs) {
			j = len(rs)
		}
		if i > j {
			i = j
		}
		n, ok := pyInt(string(rs[i:j]), 10)
		if !ok {
			return 0, false
		}
		x, isInt := n.(int64)
		return int(x), isInt && x >= math.MinInt32 && x <= math.MaxInt32
	}
	y, ok1 := num(0, 4)
	m, ok2 := num(5, 7)
	dd, ok3 := num(8, 10)
	if !ok1 || !ok2 || !ok3 || y < 1 || y > 9999 || m < 1 || m > 12 || dd < 1 || dd > daysIn(y, m) {
		return nil, false
	}
	if len(rs) == 10 {
		return toml.LocalDate{Year: y, Month: m, Day: dd}, true
	}
	h, ok1 := num(11, 13)
	mi, ok2 := num(14, 16)
	s, ok3 := num(17, 19)
	if !ok1 || !ok2 || !ok3 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || us < 0 || us > 999999 {
		return nil, false
	}
	if tz == nil {
		return toml.LocalDateTime{LocalDate: toml.LocalDate{Year: y, Month: m, Day: dd},
			LocalTime: toml.LocalTime{Hour: h, Minute: mi, Second: s, Nanosecond: us * 1000, Precision: 6}}, true
	}
	return time.Date(y, time.Month(m), dd, h, mi, s, us*1000, tz), true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// tomlTz is TomlTz(offset): "Z", or a sign (any character but '-' counts
// as '+') and the hours and minutes at [1:3] and [4:6].
func tomlTz(raw string) (*time.Location, bool) {
	if raw == "Z" {
		raw = "+00:00"
	}
	rs := []rune(raw)
	part := func(i, j int) (int64, bool) {
		if i > len(rs) {
			i = len(rs)
		}
		n, ok := pyInt(string(rs[i:min(j, len(rs))]), 10)
		x, isInt := n.(int64)
		return x, ok && isInt && x > -1e6 && x < 1e6
	}
	h, ok1 := part(1, 3)
	m, ok2 := part(4, 6)
	if !ok1 || !ok2 || len(rs) == 0 {
		return nil, false
	}
	sign := int64(1)
	if rs[0] == '-' {
		sign = -1
	}
	secs := sign * (h*3600 + m*60)
	return time.FixedZone(raw, int(secs)), true
}

// toGo turns the decoder's values into the ones go-toml yields: arrays as
// []any.
func toGo(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = toGo(x)
		}
		return t
	case *pyList:
		out := make([]any, len(t.items))
		for i, x := range t.items {
			out[i] = toGo(x)
		}
		return out
	}
	return v
}
