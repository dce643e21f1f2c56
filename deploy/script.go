package deploy

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/sources"
)

// Script is shell code to read: a whole script file, a Makefile recipe, a
// Dockerfile's RUN or CMD, a Compose command, a workflow's run: step.
type Script struct {
	Text string
	File string // the file it is written in, which positions name
	// Spans say where the pieces of Text are written in File when Text is
	// not File's content from line 1, column 1 (a script written inside
	// another file): the Len bytes of Text from Off are written from Pos
	// on, on one line. Spans are in the order of Off and do not overlap; a
	// byte outside every span is placed where the span before it ends.
	// YAMLScript makes them for a YAML scalar.
	Spans []Span
	// Env are the variables set when the script starts (a Dockerfile
	// stage's ENV and ARG, a workflow job's env:): the script's references
	// to them take their values, or are deferred with them.
	Env []Var

	// exec says the text is the words of a command run without a shell
	// (a Kubernetes args: list), quoted for the shell parser: a $ in them
	// is the platform's reference, not written out.
	exec bool

	base      envSource     // read beside Env
	lines     *lineIndex    // of Text, when Spans is nil
	runes     *runeIndex    // of Text, when Spans is not
	templates templateNames // the placeholders a reader put in Text
}

// template returns the template a placeholder name stands for.
func (s *Script) template(name string) (string, bool) {
	if !strings.HasPrefix(name, templatePrefix) {
		return "", false
	}
	t, ok := s.templates[name]
	return t, ok
}

// untemplate returns text with the placeholders in it shown as the
// templates they stand for.
func (s *Script) untemplate(text string) string {
	if len(s.templates) == 0 || !strings.Contains(text, templatePrefix) {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, "${"+templatePrefix)
		if i < 0 {
			break
		}
		end := strings.IndexByte(text[i:], '}')
		if end < 0 {
			break
		}
		t, ok := s.templates[text[i+2:i+end]]
		if !ok {
			t = text[i : i+end+1]
		}
		b.WriteString(text[:i])
		b.WriteString(t)
		text = text[i+end+1:]
	}
	b.WriteString(text)
	return b.String()
}

// Span is a piece of a Script's Text written verbatim in its file.
type Span struct {
	Off, Len int
	Pos      sources.Position
}

// at returns where byte off of the script's text is written.
func (s *Script) at(off int) sources.Position {
	if s.Spans == nil {
		if s.lines == nil {
			s.lines = newLineIndex(s.Text)
		}
		return s.lines.pos(s.File, off)
	}
	i, found := slices.BinarySearchFunc(s.Spans, off, func(sp Span, off int) int { return sp.Off - off })
	if !found {
		i-- // the last span starting before off
	}
	if i < 0 {
		if len(s.Spans) == 0 {
			return sources.Position{File: s.File}
		}
		return s.Spans[0].Pos
	}
	sp := s.Spans[i]
	return s.shift(sp, min(off, sp.Off+sp.Len, len(s.Text)))
}

// shift returns where byte off of the script's text is written, off
// being within span sp.
func (s *Script) shift(sp Span, off int) sources.Position {
	p := sp.Pos
	if p.Column > 0 {
		if s.runes == nil {
			s.runes = &runeIndex{text: s.Text}
		}
		p.Column += s.runes.count(sp.Off, off)
	}
	return p
}

// runeIndex counts the characters between two offsets of a text in a
// time that does not grow with the offsets: a long line with many
// variables must not cost the square of its length.
type runeIndex struct {
	text  string
	marks []int // marks[k]: the characters of text[:k*runeStep]
}

const runeStep = 256

// count returns the number of characters in text[a:b].
func (x *runeIndex) count(a, b int) int {
	if b-a <= runeStep {
		return countRunes(x.text[a:b])
	}
	if x.marks == nil {
		x.marks = make([]int, len(x.text)/runeStep+1)
		for k := 1; k < len(x.marks); k++ {
			x.marks[k] = x.marks[k-1] + countRunes(x.text[(k-1)*runeStep:k*runeStep])
		}
	}
	return x.before(b) - x.before(a)
}

func (x *runeIndex) before(off int) int {
	k := off / runeStep
	return x.marks[k] + countRunes(x.text[k*runeStep:off])
}

// countRunes counts the characters of valid UTF-8 text: its bytes that
// start one (a byte cut from a character at either end counts as none or
// one, as a column should).
func countRunes(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// lineIndex finds the line and column of a byte offset in a text.
type lineIndex struct {
	text   string
	starts []int // byte offset of each line's start
	runes  *runeIndex
}

func newLineIndex(text string) *lineIndex {
	li := &lineIndex{text: text, starts: make([]int, 1, strings.Count(text, "\n")+1)}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

// pos returns the 1-based line and rune column of byte off.
func (li *lineIndex) pos(file string, off int) sources.Position {
	off = max(0, min(off, len(li.text)))
	line, _ := slices.BinarySearch(li.starts, off+1) // line starts at or before off: the 1-based line
	if li.runes == nil {
		li.runes = &runeIndex{text: li.text}
	}
	return sources.Position{File: file, Line: line, Column: li.runes.count(li.starts[line-1], off) + 1}
}

// line returns the text of 1-based line n without its line break, and the
// offset it starts at; "" past the end.
func (li *lineIndex) line(n int) (string, int) {
	if n < 1 || n > len(li.starts) {
		return "", len(li.text)
	}
	start, end := li.starts[n-1], len(li.text)
	if n < len(li.starts) {
		end = li.starts[n] - 1
	}
	return strings.TrimSuffix(li.text[start:end], "\r"), start
}

// lines returns how many lines the text has.
func (li *lineIndex) lines() int { return len(li.starts) }

// byteCol returns the byte offset in line of 1-based rune column col.
func byteCol(line string, col int) int {
	off := 0
	for n := 1; n < col && off < len(line); n++ {
		_, w := utf8.DecodeRuneInString(line[off:])
		off += w
	}
	return off
}

// edit replaces the bytes [Off, End) of a script's text.
type edit struct {
	Off, End int
	With     string
}

// rewrite returns the script with the edits made (in order, not
// overlapping), its spans following: the text an edit writes is placed
// where the text it replaces starts.
func (s *Script) rewrite(edits []edit) *Script {
	if len(edits) == 0 {
		return s
	}
	out := &Script{File: s.File, Env: s.Env, base: s.base, templates: s.templates}
	var b strings.Builder
	b.Grow(len(s.Text))
	si := 0                      // the first span that may be over what is kept next: pieces come in order
	keep := func(from, to int) { // copy s.Text[from:to] with the spans over it
		if from >= to {
			return
		}
		base := b.Len() - from
		b.WriteString(s.Text[from:to])
		if s.Spans == nil {
			// A whole file: one span per line of the piece.
			for from < to {
				end := strings.IndexByte(s.Text[from:to], '\n')
				if end < 0 {
					end = to
				} else {
					end += from
				}
				if end > from {
					out.Spans = append(out.Spans, Span{Off: base + from, Len: end - from, Pos: s.at(from)})
				}
				from = end + 1
			}
			return
		}
		for si < len(s.Spans) && s.Spans[si].Off+s.Spans[si].Len <= from {
			si++
		}
		for _, sp := range s.Spans[si:] {
			if sp.Off >= to {
				break
			}
			if lo, hi := max(sp.Off, from), min(sp.Off+sp.Len, to); lo < hi {
				out.Spans = append(out.Spans, Span{Off: base + lo, Len: hi - lo, Pos: s.shift(sp, lo)})
			}
		}
	}
	at := 0
	for _, e := range edits {
		keep(at, e.Off)
		if e.With != "" {
			out.Spans = append(out.Spans, Span{Off: b.Len(), Len: len(e.With), Pos: s.at(e.Off)})
		}
		b.WriteString(e.With)
		at = e.End
	}
	keep(at, len(s.Text))
	out.Text = b.String()
	return out
}

// slice returns the script's text from off to end as a script of its own,
// written where it is.
func (s *Script) slice(off, end int) *Script {
	off, end = max(0, min(off, len(s.Text))), max(0, min(end, len(s.Text)))
	out := &Script{Text: s.Text[off:end], File: s.File, Env: s.Env, base: s.base, templates: s.templates}
	if s.Spans == nil {
		for from := off; from < end; {
			n := strings.IndexByte(s.Text[from:end], '\n')
			if n < 0 {
				n = end - from
			}
			if n > 0 {
				out.Spans = append(out.Spans, Span{Off: from - off, Len: n, Pos: s.at(from)})
			}
			from += n + 1
		}
		return out
	}
	for _, sp := range s.Spans {
		lo, hi := max(sp.Off, off), min(sp.Off+sp.Len, end)
		if lo < hi {
			out.Spans = append(out.Spans, Span{Off: lo - off, Len: hi - lo, Pos: s.shift(sp, lo)})
		}
	}
	if len(out.Spans) == 0 || out.Spans[0].Off > 0 {
		out.Spans = append([]Span{{Off: 0, Len: 0, Pos: s.at(off)}}, out.Spans...)
	}
	return out
}
