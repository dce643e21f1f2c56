// The ${VAR} references of a .env file that nothing defines: python-dotenv
// expands each to an empty string, so that a connection URL becomes
// postgresql+asyncpg://:@:5432/ and ui_url becomes "".

package lint

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// refMark brackets, in a value expanded by undefinedRefs, the name of a
// variable neither the file nor the environment defines.
const refMark = "\x00\x01"

// undefinedRefs reports every ${NAME} of the .env file that a Prefect
// setting's value takes, directly or through an earlier binding, and that
// is set neither earlier in the file nor in the environment (Environ), at
// the reference, with what Prefect gets. With Env the environment is
// Prefect's, and the finding is a warning; without it, the variable may
// yet be set where Prefect runs, and the finding is info. A reference with
// a default (${NAME:-default}) gets its default, as meant.
func (l *linter) undefinedRefs(file string, data []byte, layer *sources.Layer) {
	if l.disabled[RuleUndefinedVariable] || exampleFile(file) || !bytes.Contains(data, []byte("${")) {
		return
	}
	marked, _ := sources.ParseDotEnv(data, func(name string) (string, bool) {
		if v, ok := l.env[name]; ok {
			return v, true
		}
		return refMark + name + refMark, true
	})
	lineStart := []int{0}
	for i, c := range data {
		if c == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	offset := func(line, col int) int {
		if line < 1 || line > len(lineStart) {
			return len(data)
		}
		off := lineStart[line-1]
		for n := 1; n < col && off < len(data); n++ {
			_, size := utf8.DecodeRune(data[off:])
			off += size
		}
		return off
	}
	position := func(off int) sources.Position {
		line, _ := slices.BinarySearch(lineStart, off+1)
		return sources.Position{File: file, Line: line, Column: utf8.RuneCount(data[lineStart[line-1]:off]) + 1}
	}
	// direct[i] are the undefined references written in entry i, with
	// where each is written.
	type ref struct {
		name string
		pos  sources.Position
	}
	direct := make([][]ref, len(marked))
	for i, e := range marked {
		if e.Value == nil {
			continue
		}
		start, end := offset(e.Line, e.Column), len(data)
		if i+1 < len(marked) {
			end = offset(marked[i+1].Line, marked[i+1].Column)
		}
		span := string(data[start:max(start, end)])
		from := 0
		for _, name := range markedNames(*e.Value) {
			at := strings.Index(span[from:], "${"+name)
			if at < 0 {
				continue // taken through an earlier binding
			}
			at += from
			from = at + 2 + len(name)
			if rest := span[from:]; strings.HasPrefix(rest, ":-") {
				continue // ${NAME:-default}: the default applies
			}
			direct[i] = append(direct[i], ref{name, position(start + at)})
		}
	}
	settingAt := map[[2]int]sources.Value{}
	for _, v := range layer.Values {
		settingAt[[2]int{v.Pos.Line, v.Pos.Column}] = v
	}
	reported := map[sources.Position]bool{}
	for i, e := range marked {
		v, ok := settingAt[[2]int{e.Line, e.Column}]
		if !ok || e.Value == nil {
			continue
		}
		for _, name := range markedNames(*e.Value) {
			at, via := -1, ""
			for j := i; j >= 0 && at < 0; j-- {
				for _, r := range direct[j] {
					if r.name == name {
						at = j
						if j != i {
							via = marked[j].Key
						}
						break
					}
				}
			}
			if at < 0 {
				continue // a ${NAME:-default} further up
			}
			for _, r := range direct[at] {
				if r.name != name || reported[r.pos] {
					continue
				}
				reported[r.pos] = true
				l.undefinedRef(r.pos, name, via, v)
			}
		}
	}
}

// markedNames lists, in order, the names refMark brackets in s.
func markedNames(s string) []string {
	var out []string
	for {
		i := strings.Index(s, refMark)
		if i < 0 {
			return out
		}
		s = s[i+len(refMark):]
		j := strings.Index(s, refMark)
		if j < 0 {
			return out
		}
		if name := s[:j]; !slices.Contains(out, name) {
			out = append(out, name)
		}
		s = s[j+len(refMark):]
	}
}

// undefinedRef reports the reference to name at pos, which gives v, the
// value Prefect gets for its setting (through the binding via, if not
// empty), an empty string in its place.
func (l *linter) undefinedRef(pos sources.Position, name, via string, v sources.Value) {
	s := v.Setting
	str, _ := v.Raw.(string)
	gets := fmt.Sprintf("%s = %s", s.Path, strconv.Quote(str))
	if masked, _ := schema.Masked(s, v.Key, str).(string); masked != str {
		gets = fmt.Sprintf("%s with an empty string in its place (a secret: its value is not shown)", s.Path)
	}
	through := ""
	if via != "" {
		through = ", through ${" + via + "}"
	}
	if l.opts.Env {
		l.report(RuleUndefinedVariable, pos, s.Path, "",
			"${%s} is set neither earlier in this file nor in the environment: python-dotenv expands it to an empty string, so Prefect gets %s%s",
			name, gets, through)
		return
	}
	l.reportAs(Info, RuleUndefinedVariable, pos, s.Path, "",
		"${%s} is set neither earlier in this file nor in lint's environment: unless it is set where Prefect runs, python-dotenv expands it to an empty string and Prefect gets %s%s",
		name, gets, through)
}
