// The checks of .env files, read as python-dotenv reads them.

package lint

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// lintDotEnv checks a .env file as python-dotenv reads it.
func (l *linter) lintDotEnv(file string, p *prepared) {
	if l.syntaxErrors(file, p.err) {
		return
	}
	data, layer, literal := p.data, p.layer, p.literal
	l.mu.Lock()
	if l.leaks.literals == nil {
		l.leaks.literals = map[string][]sources.DotEnvEntry{}
	}
	l.leaks.literals[file] = literal
	l.mu.Unlock()
	l.godotenvDiffs(file, data, p.dotenv, p.bad)
	l.undefinedRefs(file, data, layer)
	if filepath.Base(file) == ".env" {
		l.setLayer(parentDir(file), func(dl *dirLayers) { dl.dotenv = layer })
	}
	l.skippedLines(file, data, layer, literal)
	for _, v := range layer.Values {
		l.value(sources.DotEnv, v, true)
		if v.Setting.Index == schema.IProfilesPath && v.Key != "PREFECT_PROFILES_PATH" {
			l.reportRename([]string{v.Key}, []string{"PREFECT_PROFILES_PATH"}, RuleIgnoredKey, v.Pos, v.Setting.Path, "PREFECT_PROFILES_PATH",
				"%s sets profiles_path, but Prefect looks for the profiles file only under the upper-case name; write PREFECT_PROFILES_PATH", v.Key)
		}
	}
	l.groups(layer)
	for _, ig := range layer.Ignored {
		switch {
		case strings.EqualFold(ig.Key, "PREFECT_PROFILE"):
			l.report(RuleIgnoredKey, ig.Pos, "", "",
				"PREFECT_PROFILE is read only from the environment: Prefect does not export .env values")
		case loggingOverrides[strings.ToUpper(ig.Key)]:
			l.reportAs(Info, RuleIgnoredKey, ig.Pos, "", "",
				"%s overrides Prefect's logging configuration only from the environment: Prefect does not export .env values", ig.Key)
		default:
			// Other tools share .env files: a PREFECT_ name close to none
			// of Prefect's may well be theirs.
			if near := l.suggest(ig.Key, false); near != "" {
				l.unknown(ig.Pos, ig.Key, "", near)
			} else if !l.oldName(ig.Pos, ig.Key) {
				l.reportAs(Info, RuleUnknownSetting, ig.Pos, "", "", "unknown setting %q: Prefect ignores it", ig.Key)
			}
		}
	}
}

// utf8BOM is the byte-order mark some editors write at the start of a
// UTF-8 file.
const utf8BOM = "\ufeff"

// skippedLines reports the lines of a .env file Prefect skips: those
// python-dotenv cannot parse, lines without '=' of every shape (a bare
// name, a lone export, a path, source FILE), which set nothing, and a
// first name behind a byte-order mark.
func (l *linter) skippedLines(file string, data []byte, layer *sources.Layer, literal []sources.DotEnvEntry) {
	var lines []string // split when a line is asked for: most files have no warning
	lineText := func(n int) string {
		if lines == nil {
			lines = strings.Split(string(data), "\n")
		}
		if n >= 1 && n <= len(lines) {
			return strings.TrimSpace(strings.TrimPrefix(lines[n-1], utf8BOM))
		}
		return ""
	}
	for _, w := range layer.Warnings {
		se, ok := w.(*sources.SyntaxError)
		if !ok {
			continue
		}
		text := lineText(se.Pos.Line)
		if text == "" || strings.Contains(text, "=") {
			l.report(RuleDotEnvLine, se.Pos, "", "", "%s", se.Msg)
			continue
		}
		word, rest, _ := strings.Cut(text, " ")
		name := strings.TrimRight(word, ":")
		if word == "export" {
			name, _, _ = strings.Cut(strings.TrimSpace(rest), " ")
		}
		switch {
		case word == "source" || word == ".":
			l.report(RuleDotEnvLine, se.Pos, "", "",
				"%q sets nothing: python-dotenv skips a line without '=', and runs no command nor includes another file, so none of the settings of %s reach Prefect; write them in this file, or set them in the environment",
				text, strings.TrimSpace(rest))
		case isPrefectName(name):
			l.report(RuleDotEnvLine, se.Pos, settingOfEnv(name), name+"=...",
				"a line without '=': python-dotenv skips it, so Prefect ignores %s; write %s=value", name, name)
		default:
			// The line is not quoted: it may be a credential pasted alone.
			l.report(RuleDotEnvLine, se.Pos, "", "", "this line sets nothing: python-dotenv skips a line without '='")
		}
	}
	entries := literal
	bom := bytes.HasPrefix(data, []byte(utf8BOM))
	if bom {
		entries, _ = sources.ParseDotEnv(data[len(utf8BOM):], nil)
	}
	for i, e := range entries {
		pos := sources.Position{File: file, Line: e.Line, Column: e.Column}
		if i == 0 && bom && e.Line == 1 && isPrefectName(e.Key) {
			l.report(RuleDotEnvLine, sources.Position{File: file, Line: 1, Column: 1}, settingOfEnv(e.Key), "",
				"the file starts with a byte-order mark: python-dotenv 1.2.2 and older read the first name as \"\\ufeff%s\", so Prefect ignores %s (1.2.3 strips the mark); save the file without it",
				e.Key, e.Key)
		}
		if e.Value != nil {
			continue
		}
		switch export := strings.HasPrefix(lineText(e.Line), "export"); {
		case isPrefectName(e.Key) && export:
			l.report(RuleDotEnvLine, pos, settingOfEnv(e.Key), e.Key+"=...",
				"export %s has no '=': it exports a shell variable, but python-dotenv reads it as a name without a value, so Prefect ignores it; write %s=value", e.Key, e.Key)
		case isPrefectName(e.Key):
			l.report(RuleDotEnvLine, pos, settingOfEnv(e.Key), e.Key+"=...",
				"%s has no '=': python-dotenv reads a bare name as unset, so Prefect ignores it; write %s=value", e.Key, e.Key)
		case e.Key == "export":
			l.report(RuleDotEnvLine, pos, "", "", "export alone sets nothing: python-dotenv reads it as a name without a value")
		case strings.ContainsAny(e.Key, "/\\") || strings.HasPrefix(e.Key, ".") || strings.HasSuffix(e.Key, ".env"):
			l.report(RuleDotEnvLine, pos, "", "",
				"%q sets nothing: python-dotenv reads a line without '=' as a name without a value, and includes no other file, so none of its settings reach Prefect; write them in this file, or set them in the environment", e.Key)
		case upperEnvName.MatchString(e.Key):
			l.reportAs(Info, RuleDotEnvLine, pos, "", "",
				"%s has no '=': python-dotenv reads a bare name as unset, and sets nothing", e.Key)
		default:
			// The word is not quoted: it may be a credential pasted alone.
			l.report(RuleDotEnvLine, pos, "", "", "this line sets nothing: python-dotenv reads a line without '=' as a name without a value")
		}
	}
}

// upperEnvName matches what is written as an environment variable's name, in
// upper case: a lower-case word alone on a line may be a credential.
var upperEnvName = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

// isPrefectName reports whether name is a PREFECT_ variable name, in any
// case.
func isPrefectName(name string) bool {
	return len(name) > len("PREFECT_") && strings.EqualFold(name[:len("PREFECT_")], "PREFECT_")
}

func settingOfEnv(name string) string {
	if s, _, ok := schema.Ever().ByEnv(name); ok {
		return s.Path
	}
	return ""
}

// relocate names file in every position of the layer.
func relocate(layer *sources.Layer, file string) {
	layer.File = file
	for i := range layer.Values {
		layer.Values[i].Pos.File = file
	}
	for i := range layer.Groups {
		layer.Groups[i].Pos.File = file
	}
	for i := range layer.Ignored {
		layer.Ignored[i].Pos.File = file
	}
	for _, w := range layer.Warnings {
		if se, ok := w.(*sources.SyntaxError); ok {
			se.Pos.File = file
		}
	}
}
