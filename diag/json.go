package diag

import (
	"encoding/json"

	"github.com/strata-settings/strata/sources"
)

// MarshalJSON writes the diagnostic as every JSON output of Strata writes
// one (strata lint -o json, the problems of config validate -o json): an
// object with the keys file, env (for a diagnostic about an environment
// variable), line, column, range, severity, rule, setting, message,
// suggestion, related and fixes; env, range, rule, setting, suggestion,
// related and fixes are left out when empty.
//
// range is the span concerned, {"start": {"line", "column"}, "end":
// {"line", "column"}}, the end exclusive and left out when unknown;
// related are the other places the diagnostic involves, each {"file",
// "range", "message"} (or {"env", "message"}); fixes are the ways to fix
// it, the best first, each {"message", "edits": [{"file", "range",
// "text"}]}: replace the range by the text. Ranges and edits have the
// shapes of reviewdog's rdjson Range and Suggestion. Columns count
// Unicode code points, as SARIF's "unicodeCodePoints" does.
func (d Diagnostic) MarshalJSON() ([]byte, error) {
	j := jsonDiagnostic{File: d.Pos.File, Env: d.Pos.Env, Line: d.Pos.Line, Column: d.Pos.Column, Range: rangeOf(d.Pos),
		Severity: d.Severity.String(), Rule: d.Rule, Setting: d.Setting, Message: d.Message, Suggestion: d.Suggestion}
	for _, r := range d.Related {
		j.Related = append(j.Related, jsonRelated{File: r.Pos.File, Env: r.Pos.Env, Range: rangeOf(r.Pos), Message: r.Message})
	}
	for _, x := range d.Fixes {
		jf := jsonFix{Message: x.Message, Edits: []jsonEdit{}}
		for _, e := range x.Edits {
			if r := rangeOf(e.Pos); r != nil {
				jf.Edits = append(jf.Edits, jsonEdit{File: e.Pos.File, Range: *r, Text: e.NewText})
			}
		}
		j.Fixes = append(j.Fixes, jf)
	}
	return json.Marshal(j)
}

// jsonDiagnostic is a diagnostic as MarshalJSON writes it.
type jsonDiagnostic struct {
	File       string        `json:"file"`
	Env        string        `json:"env,omitempty"`
	Line       int           `json:"line"`
	Column     int           `json:"column"`
	Range      *jsonRange    `json:"range,omitempty"`
	Severity   string        `json:"severity"`
	Rule       string        `json:"rule,omitempty"`
	Setting    string        `json:"setting,omitempty"`
	Message    string        `json:"message"`
	Suggestion string        `json:"suggestion,omitempty"`
	Related    []jsonRelated `json:"related,omitempty"`
	Fixes      []jsonFix     `json:"fixes,omitempty"`
}

// jsonRange is a span of a file, in the shape of reviewdog's rdjson
// Range: the end is exclusive, and left out when unknown.
type jsonRange struct {
	Start jsonPoint  `json:"start"`
	End   *jsonPoint `json:"end,omitempty"`
}

type jsonPoint struct {
	Line   int `json:"line"`
	Column int `json:"column,omitempty"`
}

// jsonRelated is another place a diagnostic involves.
type jsonRelated struct {
	File    string     `json:"file,omitempty"`
	Env     string     `json:"env,omitempty"`
	Range   *jsonRange `json:"range,omitempty"`
	Message string     `json:"message"`
}

// jsonFix is a fix: edits in the shape of reviewdog's rdjson Suggestion
// (range and text), each naming its file.
type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	File  string    `json:"file"`
	Range jsonRange `json:"range"`
	Text  string    `json:"text"`
}

// rangeOf returns pos's span, or nil for a position without a line.
func rangeOf(pos sources.Position) *jsonRange {
	if pos.File == "" || pos.Line <= 0 {
		return nil
	}
	r := &jsonRange{Start: jsonPoint{pos.Line, pos.Column}}
	if pos.HasEnd() {
		r.End = &jsonPoint{pos.EndLine, pos.EndColumn}
	}
	return r
}
