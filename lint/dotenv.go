// The checks of .env files, read as python-dotenv reads them.

package lint

import (
	"path/filepath"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// lintDotEnv checks a .env file as python-dotenv reads it.
func (l *linter) lintDotEnv(file string, data []byte) {
	layer, err := sources.ReadDotEnv(l.abs(file), l.lookup)
	if l.syntaxErrors(file, err) {
		return
	}
	relocate(layer, file)
	l.godotenvDiffs(file, data)
	if filepath.Base(file) == ".env" {
		l.dir(filepath.Dir(file)).dotenv = layer
	}
	for _, w := range layer.Warnings {
		if se, ok := w.(*sources.SyntaxError); ok {
			l.reportAs(Warning, RuleSyntax, se.Pos, "", "", "%s", se.Msg)
		}
	}
	for _, v := range layer.Values {
		l.value(sources.DotEnv, v, true)
		if v.Setting.Index == schema.IProfilesPath && v.Key != "PREFECT_PROFILES_PATH" {
			l.report(RuleIgnoredKey, v.Pos, v.Setting.Path, "PREFECT_PROFILES_PATH",
				"%s sets profiles_path, but Prefect looks for the profiles file only under the upper-case name; write PREFECT_PROFILES_PATH", v.Key)
		}
	}
	l.groups(layer)
	for _, ig := range layer.Ignored {
		if strings.EqualFold(ig.Key, "PREFECT_PROFILE") {
			l.report(RuleIgnoredKey, ig.Pos, "", "",
				"PREFECT_PROFILE is read only from the environment: Prefect does not export .env values")
			continue
		}
		l.unknown(ig.Pos, ig.Key, "", l.suggest(ig.Key, false))
	}
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
