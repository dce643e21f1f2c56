// The godotenv rule: the lines of a .env file that godotenv, which Go
// services load .env files with, reads otherwise than python-dotenv, which
// Prefect reads them with.

package lint

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/joho/godotenv"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// maxGodotenvStatements bounds the comparison.
const maxGodotenvStatements = 10000

// maxGodotenvReread bounds the text read again to expand a statement whose
// earlier bindings cannot be written back alone.
const maxGodotenvReread = 16 << 10

// godotenvDiffs reports every statement of a .env file that godotenv reads
// otherwise than python-dotenv: a line one rejects and the other reads (a
// line godotenv rejects makes godotenv.Load fail for the whole file), a
// different key, or, for Prefect's variables, a different value. The
// statements are python-dotenv's; godotenv reads each one after the ones
// before it that it accepts.
func (l *linter) godotenvDiffs(file string, data []byte, entries []sources.DotEnvEntry, bad []*sources.DotEnvError) {
	if l.disabled[RuleGodotenv] {
		return
	}
	if bytes.Contains(data, []byte("\r\n")) {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		entries, bad = sources.ParseDotEnv(data, l.lookup)
	}
	type statement struct {
		line, col int
		entry     *sources.DotEnvEntry // nil when python-dotenv skips the line
	}
	stmts := make([]statement, 0, len(entries)+len(bad))
	for i := range entries {
		stmts = append(stmts, statement{entries[i].Line, entries[i].Column, &entries[i]})
	}
	for _, b := range bad {
		stmts = append(stmts, statement{line: b.Line, col: b.Column})
	}
	slices.SortFunc(stmts, func(a, b statement) int { return a.line - b.line })
	if len(stmts) > maxGodotenvStatements {
		stmts = stmts[:maxGodotenvStatements]
	}
	lineStart := make([]int, 2, 2+bytes.Count(data, []byte("\n"))) // byte offset of each 1-based line
	for i, c := range data {
		if c == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	offset := func(line int) int {
		if line < len(lineStart) {
			return lineStart[line]
		}
		return len(data)
	}

	values := map[string]string{}          // godotenv's reading so far
	accepted := make([]byte, 0, len(data)) // the statements godotenv accepted, at most the file
	for i, st := range stmts {
		end := len(data)
		if i+1 < len(stmts) {
			end = offset(stmts[i+1].line)
		}
		text := data[offset(st.line):end]
		if e := st.entry; e != nil && e.Value != nil && plainBinding(text, e) {
			// Both read KEY=value alike: no need to ask godotenv.
			values[e.Key] = *e.Value
			accepted = append(accepted, text...)
			continue
		}
		pos := sources.Position{File: file, Line: st.line, Column: st.col}
		alone, err := godotenv.UnmarshalBytes(text)
		if err != nil {
			if st.entry != nil {
				l.report(RuleGodotenv, pos, envSetting(st.entry.Key), "",
					"godotenv rejects this line (%s), so godotenv.Load fails for the whole file; python-dotenv (Prefect) reads %s",
					godotenvReason(err), pyReading(st.entry))
			}
			continue
		}
		all := alone
		if bytes.IndexByte(text, '$') >= 0 {
			// godotenv expands $NAME from the file's earlier lines: read
			// the statement after the bindings it names, or else after
			// every statement godotenv accepted, if they are few enough
			// (this costs a pass over them each time).
			before, ok := bindings(values, text)
			if !ok && len(accepted) <= maxGodotenvReread {
				before, ok = accepted, true
			}
			if !ok {
				maps.Copy(values, alone) // unknown: no finding for this statement
				accepted = append(accepted, text...)
				continue
			}
			if all, err = godotenv.UnmarshalBytes(append(slices.Clip(before), text...)); err != nil {
				continue
			}
		}
		accepted = append(accepted, text...)
		for k := range alone {
			values[k] = all[k]
		}
		keys := slices.Sorted(maps.Keys(alone))
		readings := make([]string, len(keys))
		for k, key := range keys {
			readings[k] = reading(key, all[key])
		}
		switch {
		case st.entry == nil && len(keys) > 0:
			l.report(RuleGodotenv, pos, envSetting(keys[0]), "",
				"godotenv reads %s from this line, which python-dotenv (Prefect) skips", strings.Join(readings, ", "))
		case st.entry == nil:
		case len(keys) == 0:
			l.report(RuleGodotenv, pos, envSetting(st.entry.Key), "",
				"godotenv reads nothing from this line; python-dotenv (Prefect) reads %s", pyReading(st.entry))
		case len(keys) != 1 || keys[0] != st.entry.Key:
			if !prefectName(st.entry.Key) && !slices.ContainsFunc(keys, prefectName) {
				continue
			}
			l.report(RuleGodotenv, pos, envSetting(st.entry.Key), "",
				"godotenv reads %s, python-dotenv (Prefect) reads %s: the key differs",
				strings.Join(readings, ", "), pyReading(st.entry))
		case st.entry.Value != nil && all[keys[0]] != *st.entry.Value:
			if !prefectName(st.entry.Key) {
				continue
			}
			l.report(RuleGodotenv, pos, envSetting(st.entry.Key), "",
				"godotenv reads %s, python-dotenv (Prefect) reads %s%s",
				readings[0], pyReading(st.entry), godotenvHint(text))
		}
	}
}

// plainBinding reports whether text, the statement of e, is written
// KEY=value, with a value of characters neither reader treats specially
// (no quote, blank, $, # or backslash): godotenv reads it as python-dotenv
// does.
func plainBinding(text []byte, e *sources.DotEnvEntry) bool {
	t := bytes.TrimSuffix(text, []byte("\n"))
	if len(t) != len(e.Key)+1+len(*e.Value) || string(t[:len(e.Key)]) != e.Key || t[len(e.Key)] != '=' ||
		!plainKey.MatchString(e.Key) {
		return false
	}
	for _, c := range t[len(e.Key)+1:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_./:@%+,=-", c) >= 0) {
			return false
		}
	}
	return true
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// godotenvName is a name godotenv expands in $NAME.
var godotenvName = regexp.MustCompile(`[A-Z0-9_]+`)

// bindings writes, as godotenv reads them back unchanged, the earlier
// bindings of the names text mentions; ok is false when a value cannot be
// written so.
func bindings(values map[string]string, text []byte) (b []byte, ok bool) {
	seen := map[string]bool{}
	for _, name := range godotenvName.FindAll(text, -1) {
		v, ok := values[string(name)]
		if !ok || seen[string(name)] {
			continue
		}
		seen[string(name)] = true
		switch {
		case !strings.ContainsRune(v, '\'') && !strings.HasSuffix(v, `\`):
			// Single-quoted, a value is taken literally; it cannot hold
			// a quote, nor end with a backslash (which would escape the
			// closing quote).
			b = append(b, string(name)+"='"+v+"'\n"...)
		case !strings.HasSuffix(v, `\`) && !strings.HasSuffix(v, `"`):
			// Double-quoted, godotenv unescapes \\, \", \$ and \r, but
			// trims a trailing quote and skips a quote after a backslash.
			b = append(b, string(name)+`="`+godotenvEscaper.Replace(v)+"\"\n"...)
		default:
			return nil, false
		}
	}
	return b, true
}

// godotenvEscaper writes a value double-quoted for godotenv.
var godotenvEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "\r", `\r`)

// prefectName reports whether a .env key is one of Prefect's variables,
// whose value matters to a Go service that loads the file with godotenv
// and then resolves Prefect's settings from its environment.
func prefectName(key string) bool {
	return len(key) >= 8 && strings.EqualFold(key[:8], "PREFECT_")
}

// envSetting returns the dotted path of the setting an environment name
// belongs to, or "".
func envSetting(key string) string {
	if s, _, ok := schema.Ever().ByEnv(key); ok {
		return s.Path
	}
	return ""
}

// pyReading renders python-dotenv's reading of a binding.
func pyReading(e *sources.DotEnvEntry) string {
	if e.Value == nil {
		return e.Key + " without a value (unset)"
	}
	return reading(e.Key, *e.Value)
}

// reading renders KEY="value", the value hidden when it can carry a
// credential: a secret setting, custom headers, a name that says so, or a
// URL's password.
func reading(key, value string) string {
	if sensitive(key) {
		return fmt.Sprintf("%s=<hidden, %d characters>", key, len(value))
	}
	return fmt.Sprintf("%s=%q", key, settings.RedactURL(value))
}

// sensitive reports whether the value of the variable key can carry a
// credential: a secret setting or custom headers of any release (the
// project's may lack the setting, not the credential), or a name that says
// so.
func sensitive(key string) bool {
	if s, _, ok := schema.Ever().ByEnv(key); ok {
		return s.Secret || s.Kind == schema.Headers
	}
	return schema.SecretName(key)
}

// godotenvReason is godotenv's error without the text it quotes, which
// may hold a secret.
func godotenvReason(err error) string {
	msg := err.Error()
	msg, _, _ = strings.Cut(msg, " near ")
	if strings.HasPrefix(msg, "unterminated quoted value") {
		return "unterminated quoted value"
	}
	return msg
}

var unescapedDollar = regexp.MustCompile(`(^|[^\\])\$`)

// godotenvHint explains the usual causes of a different value.
func godotenvHint(text []byte) string {
	var hints []string
	if unescapedDollar.Match(text) {
		hints = append(hints, "godotenv expands $NAME and ${NAME} from the file's earlier lines only (an unknown name becomes empty), python-dotenv expands only ${NAME}, from the file and then the environment")
	}
	if bytes.ContainsRune(text, '\\') {
		hints = append(hints, "the two unescape backslashes differently")
	}
	if len(hints) == 0 {
		return ""
	}
	return "; " + strings.Join(hints, "; ")
}
