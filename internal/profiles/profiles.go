package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/strata-settings/strata/sources"
)

// Doc is the text of a profiles file and what it holds: the active profile
// and the profiles, each with its settings in the order written.
type Doc struct {
	file   string
	src    []byte
	values map[string]any // the decoded document

	active *keyValue // the root active key, if any
	rootKV []*keyValue
	tables []*table
}

// An Entry is one key of a profile.
type Entry struct {
	Key   string           // as written
	Value any              // as TOML decodes it
	Pos   sources.Position // where the key is written
}

// span is a byte range [Start, End) of the text.
type span struct{ start, end int }

type keyValue struct {
	key   []string // the dotted key, relative to its table
	expr  span     // key = value
	value span     // value
	pos   sources.Position
}

type table struct {
	path   []string // [profiles NAME ...]
	header span     // the [ ... ] line, with its newline
	name   span     // the second key of the header (the profile's name)
	kvs    []*keyValue
}

// Parse reads data, the contents of file. Invalid TOML is a
// *sources.SyntaxError at its position; so is TOML 1.1 syntax, which
// Prefect's TOML 1.0 parser refuses (see sources.CheckTOML10).
func Parse(file string, data []byte) (*Doc, error) {
	d := &Doc{file: file, src: data}
	var fe *sources.FileError
	if _, err := sources.ParseProfiles(file, data); errors.As(err, &fe) {
		return nil, fe // beyond the limits every reader of settings files keeps
	}
	if err := sources.UnmarshalTOML(data, &d.values); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			msg := "invalid TOML: " + sources.TOMLError(de)
			if hint := sources.TOMLHint(data, line, col); hint != "" {
				msg += "; " + hint
			}
			return nil, &sources.SyntaxError{Pos: sources.Position{File: file, Line: line, Column: col}, Msg: msg, Err: err}
		}
		return nil, &sources.SyntaxError{Pos: sources.Position{File: file}, Msg: "invalid TOML: " + sources.TOMLError(err), Err: err}
	}
	if err := sources.CheckTOML10(file, data); err != nil {
		return nil, err // Prefect's TOML 1.0 parser refuses the file: leave it as it is
	}
	if d.values == nil {
		d.values = map[string]any{}
	}
	var p unstable.Parser
	p.Reset(data)
	var cur *table
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			t := &table{}
			it := e.Key()
			for it.Next() {
				k := it.Node()
				t.path = append(t.path, string(k.Data))
				if len(t.path) == 1 {
					start := lineStart(data, int(k.Raw.Offset))
					t.header = span{start, lineEnd(data, int(k.Raw.Offset))}
				}
				if len(t.path) == 2 {
					t.name = span{int(k.Raw.Offset), int(k.Raw.Offset + k.Raw.Length)}
				}
			}
			d.tables = append(d.tables, t)
			cur = t
		case unstable.KeyValue:
			kv := &keyValue{expr: span{int(e.Raw.Offset), int(e.Raw.Offset + e.Raw.Length)}}
			it := e.Key()
			keyEnd := kv.expr.start
			for it.Next() {
				k := it.Node()
				kv.key = append(kv.key, string(k.Data))
				keyEnd = int(k.Raw.Offset + k.Raw.Length)
			}
			kv.value = valueSpan(data, keyEnd, kv.expr.end)
			kv.pos = d.position(kv.expr.start)
			if cur == nil {
				d.rootKV = append(d.rootKV, kv)
				if len(kv.key) == 1 && kv.key[0] == "active" {
					d.active = kv
				}
			} else {
				cur.kvs = append(cur.kvs, kv)
			}
		}
	}
	if err := p.Error(); err != nil {
		return nil, &sources.SyntaxError{Pos: sources.Position{File: file}, Msg: "invalid TOML: " + sources.TOMLError(err), Err: err}
	}
	return d, nil
}

// valueSpan finds the value of a key = value expression that ends at end,
// its key ending at keyEnd.
func valueSpan(b []byte, keyEnd, end int) span {
	i := keyEnd
	for i < end && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i < end && b[i] == '=' {
		i++
	}
	for i < end && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return span{i, end}
}

func (d *Doc) position(off int) sources.Position {
	line := bytes.Count(d.src[:off], []byte("\n")) + 1
	col := off - lineStart(d.src, off) + 1
	return sources.Position{File: d.file, Line: line, Column: col}
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(b []byte, off int) int { return bytes.LastIndexByte(b[:off], '\n') + 1 }

// lineEnd returns the offset just past the newline ending the line holding
// off, or len(b).
func lineEnd(b []byte, off int) int {
	if i := bytes.IndexByte(b[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(b)
}

// Bytes returns the text of the document.
func (d *Doc) Bytes() []byte { return d.src }

// File returns the name the document was parsed under.
func (d *Doc) File() string { return d.file }

// Active returns the value of the root active key, and whether it is a
// string.
func (d *Doc) Active() (string, bool) {
	s, ok := d.values["active"].(string)
	return s, ok
}

func (d *Doc) profileTables() map[string]any {
	m, _ := d.values["profiles"].(map[string]any)
	return m
}

// Names returns the names of the profiles, in the order they are written.
func (d *Doc) Names() []string {
	m := d.profileTables()
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if _, ok := m[n].(map[string]any); ok && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, t := range d.tables {
		if len(t.path) >= 2 && t.path[0] == "profiles" {
			add(t.path[1])
		}
	}
	// Profiles written some other way: dotted keys or inline tables.
	for _, n := range unseen(m, seen) {
		add(n)
	}
	return names
}

// unseen returns the keys of m not in seen, sorted.
func unseen(m map[string]any, seen map[string]bool) []string {
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return rest
}

// Has reports whether the document holds a profile of that name.
func (d *Doc) Has(name string) bool {
	_, ok := d.profileTables()[name].(map[string]any)
	return ok
}

// Entries returns the keys of the profile in the order they are written.
func (d *Doc) Entries(name string) []Entry {
	m, _ := d.profileTables()[name].(map[string]any)
	var out []Entry
	seen := map[string]bool{}
	if t := d.mainTable(name); t != nil {
		for _, kv := range t.kvs {
			k := kv.key[0]
			if v, ok := m[k]; ok && !seen[k] {
				seen[k] = true
				out = append(out, Entry{Key: k, Value: v, Pos: kv.pos})
			}
		}
	}
	for _, k := range unseen(m, seen) {
		out = append(out, Entry{Key: k, Value: m[k], Pos: sources.Position{File: d.file}})
	}
	return out
}

// mainTable returns the [profiles.NAME] table, or nil.
func (d *Doc) mainTable(name string) *table {
	for _, t := range d.tables {
		if len(t.path) == 2 && t.path[0] == "profiles" && t.path[1] == name {
			return t
		}
	}
	return nil
}

// tableOf returns the index of the first table of the profile: its
// [profiles.NAME] table or one nested under it; -1 when there is none.
func (d *Doc) tableOf(name string) int {
	return slices.IndexFunc(d.tables, func(t *table) bool {
		return len(t.path) >= 2 && t.path[0] == "profiles" && t.path[1] == name
	})
}

// editable reports an error unless the profile is written only as a
// [profiles.NAME] table with plain keys, the form Doc edits.
func (d *Doc) editable(name string) error {
	bad := func() error {
		return &EditError{File: d.file, Msg: fmt.Sprintf("profile %q is not written as a [profiles.%s] table of plain keys; edit it by hand", name, formatKey(name))}
	}
	for _, kv := range d.rootKV {
		if kv.key[0] == "profiles" {
			return bad()
		}
	}
	for _, t := range d.tables {
		if len(t.path) == 1 && t.path[0] == "profiles" {
			for _, kv := range t.kvs {
				if kv.key[0] == name {
					return bad()
				}
			}
		}
		if len(t.path) == 2 && t.path[0] == "profiles" && t.path[1] == name {
			for _, kv := range t.kvs {
				if len(kv.key) != 1 {
					return bad()
				}
			}
		}
	}
	return nil
}

// splice replaces the bytes in s with text and parses the result again.
func (d *Doc) splice(s span, text string) error {
	saved := *d
	d.spliceOnly(s, text)
	if err := d.reparse(); err != nil {
		*d = saved
		return err
	}
	return nil
}

// spliceOnly replaces the bytes in s with text, leaving the parse stale:
// callers splice from the end of the text backwards, then reparse.
func (d *Doc) spliceOnly(s span, text string) {
	var b bytes.Buffer
	b.Grow(len(d.src) + len(text))
	b.Write(d.src[:s.start])
	b.WriteString(text)
	b.Write(d.src[s.end:])
	d.src = b.Bytes()
}

// reparse parses the text again after splices.
func (d *Doc) reparse() error {
	nd, err := Parse(d.file, d.src)
	if err != nil {
		// The position is in the edited text, which was never written:
		// name the file, and the parser's complaint alone.
		msg := err.Error()
		var se *sources.SyntaxError
		if errors.As(err, &se) {
			msg = strings.TrimPrefix(se.Msg, "invalid TOML: ")
		}
		return &EditError{File: d.file, Msg: "the change would leave the file invalid TOML, so nothing was written: " + msg}
	}
	*d = *nd
	return nil
}

// EditError is a change the document refuses, naming the file.
type EditError struct {
	File string
	Msg  string
}

// Error renders the refusal as "file: message".
func (e *EditError) Error() string { return e.File + ": " + e.Msg }

// utf8Only refuses text TOML cannot hold.
func utf8Only(texts ...string) error {
	for _, s := range texts {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%q is not valid UTF-8", s)
		}
	}
	return nil
}

// SetActive makes name the active profile.
func (d *Doc) SetActive(name string) error {
	if err := utf8Only(name); err != nil {
		return err
	}
	line := "active = " + quote(name)
	if d.active != nil {
		return d.splice(d.active.expr, line)
	}
	if n := len(d.rootKV); n > 0 {
		at := lineEnd(d.src, d.rootKV[n-1].expr.end)
		return d.splice(span{at, at}, d.newlineIfNeeded(d.src[:at])+line+d.nl())
	}
	if len(d.tables) == 0 {
		at := len(d.src)
		return d.splice(span{at, at}, d.newlineIfNeeded(d.src)+line+d.nl())
	}
	// Before the first table, and before the comments that lead into it.
	at := d.tables[0].header.start
	for at > 0 {
		prev := lineStart(d.src, at-1)
		if !bytes.HasPrefix(bytes.TrimLeft(d.src[prev:at], " \t"), []byte("#")) {
			break
		}
		at = prev
	}
	return d.splice(span{at, at}, line+d.nl()+d.nl())
}

// Set gives key the value in the profile, written as TOML (use Quote for a
// string). An existing key of the same name, or one of aliases (other names
// of the same setting), is replaced where it stands; the others are removed.
// A new key goes after the last key of the profile; a new profile is
// appended to the file.
func (d *Doc) Set(name, key, value string, aliases ...string) error {
	if err := utf8Only(name, key, value); err != nil {
		return err
	}
	if err := d.editable(name); err != nil {
		return err
	}
	line := formatKey(key) + " = " + value
	t := d.mainTable(name)
	if t == nil {
		return d.appendProfile(name, []string{line})
	}
	names := append([]string{key}, aliases...)
	var found []*keyValue
	for _, kv := range t.kvs {
		if slices.Contains(names, kv.key[0]) {
			found = append(found, kv)
		}
	}
	if len(found) == 0 {
		at := t.header.end
		indent := ""
		if n := len(t.kvs); n > 0 {
			last := t.kvs[n-1]
			at = lineEnd(d.src, last.expr.end)
			indent = string(d.src[lineStart(d.src, last.expr.start):last.expr.start])
		}
		return d.splice(span{at, at}, d.newlineIfNeeded(d.src[:at])+indent+line+d.nl())
	}
	// Replace the key itself if it is there, else the first alias, and
	// remove the others: from the end of the file, so offsets hold.
	keep := found[0]
	if i := slices.IndexFunc(found, func(kv *keyValue) bool { return kv.key[0] == key }); i >= 0 {
		keep = found[i]
	}
	saved := *d
	for i := len(found) - 1; i >= 0; i-- {
		s, text := d.lines(found[i].expr), ""
		switch {
		case found[i] == keep && keep.key[0] == key:
			s, text = keep.value, value // the key and its spacing stay
		case found[i] == keep:
			s, text = keep.expr, line
		}
		d.spliceOnly(s, text)
	}
	if err := d.reparse(); err != nil {
		*d = saved
		return err
	}
	return nil
}

// Unset removes the keys from the profile, with their lines. It reports
// whether any was there.
func (d *Doc) Unset(name string, keys ...string) (bool, error) {
	if err := d.editable(name); err != nil {
		return false, err
	}
	removed := false
	for {
		t := d.mainTable(name)
		if t == nil {
			return removed, nil
		}
		i := slices.IndexFunc(t.kvs, func(kv *keyValue) bool { return slices.Contains(keys, kv.key[0]) })
		if i < 0 {
			return removed, nil
		}
		if err := d.splice(d.lines(t.kvs[i].expr), ""); err != nil {
			return removed, err
		}
		removed = true
	}
}

// lines widens s to the whole lines it covers, newline included.
func (d *Doc) lines(s span) span {
	return span{lineStart(d.src, s.start), lineEnd(d.src, s.end)}
}

// Lines returns the key = value expressions of the profile's table as
// written, to copy them into another profile.
func (d *Doc) Lines(name string) []string {
	var out []string
	if t := d.mainTable(name); t != nil {
		for _, kv := range t.kvs {
			out = append(out, string(d.src[kv.expr.start:kv.expr.end]))
		}
	}
	return out
}

// Create appends a new profile holding lines, key = value expressions such
// as Lines returns.
func (d *Doc) Create(name string, lines ...string) error {
	if err := utf8Only(name); err != nil {
		return err
	}
	if d.Has(name) {
		return fmt.Errorf("profile %q already exists", name)
	}
	return d.appendProfile(name, lines)
}

func (d *Doc) appendProfile(name string, lines []string) error {
	var b strings.Builder
	nl := d.nl()
	b.WriteString(d.newlineIfNeeded(d.src))
	if len(bytes.TrimSpace(d.src)) > 0 && !bytes.HasSuffix(d.src, []byte(nl+nl)) {
		b.WriteString(nl)
	}
	b.WriteString("[profiles." + formatKey(name) + "]" + nl)
	for _, l := range lines {
		b.WriteString(l + nl)
	}
	at := len(d.src)
	return d.splice(span{at, at}, b.String())
}

// Rename gives the profile old the name new, where it stands, and makes the
// active key follow it.
func (d *Doc) Rename(old, new string) error {
	if err := utf8Only(new); err != nil {
		return err
	}
	if d.Has(new) {
		return fmt.Errorf("profile %q already exists", new)
	}
	if err := d.editable(old); err != nil {
		return err
	}
	for {
		i := d.tableOf(old)
		if i < 0 {
			break
		}
		if err := d.splice(d.tables[i].name, formatKey(new)); err != nil {
			return err
		}
	}
	if a, _ := d.Active(); a == old && d.active != nil {
		return d.SetActive(new)
	}
	return nil
}

// Delete removes the profile: its table header and its keys, and any table
// nested under it. Comments after its last key stay.
func (d *Doc) Delete(name string) error {
	if err := d.editable(name); err != nil {
		return err
	}
	for {
		i := d.tableOf(name)
		if i < 0 {
			return nil
		}
		t := d.tables[i]
		s := t.header
		if n := len(t.kvs); n > 0 {
			s.end = lineEnd(d.src, t.kvs[n-1].expr.end)
		}
		// Keep one blank line between what was before and after.
		if s.start == 0 || bytes.HasSuffix(d.src[:s.start], []byte(d.nl()+d.nl())) {
			for s.end < len(d.src) && (d.src[s.end] == '\n' || d.src[s.end] == '\r') {
				s.end++
			}
		}
		if err := d.splice(s, ""); err != nil {
			return err
		}
	}
}

// nl is the file's line ending: CRLF when it already uses it, else LF.
func (d *Doc) nl() string {
	if bytes.Contains(d.src, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

// newlineIfNeeded ends an unterminated last line before text is added.
func (d *Doc) newlineIfNeeded(b []byte) string {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return d.nl()
	}
	return ""
}

// formatKey writes a TOML key: bare when it can be, else quoted.
func formatKey(k string) string {
	if k == "" {
		return `""`
	}
	for _, c := range k {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return quote(k)
		}
	}
	return k
}

// Quote writes s as a TOML basic string.
func Quote(s string) string { return quote(s) }

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
