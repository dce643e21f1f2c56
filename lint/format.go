package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/sources"
)

// WriteText writes one finding a line: "file:line:col: severity: message
// [rule]" (Finding.String), control characters in names and messages
// escaped.
func WriteText(w io.Writer, fs []Finding) error {
	for _, f := range fs {
		if _, err := fmt.Fprintln(w, f.String()); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the findings as one JSON array of objects, each a
// finding as every JSON output of Strata writes a diagnostic
// (diag.Diagnostic.MarshalJSON): the keys file, env (for a finding about
// an environment variable), line, column, range, severity, rule, setting,
// message, suggestion, related and fixes, the last six and env left out
// when empty; config validate -o json writes its problems so too.
//
// Ranges and edits have the shape of reviewdog's rdjson; this jq program
// turns the output into an rdjson DiagnosticResult for reviewdog -f=rdjson
// (rdjson counts columns in UTF-8 bytes, which agree on the ASCII lines
// settings keys are written on):
//
//	{source: {name: "strata"}, diagnostics: [.[] | select(.file != "") |
//	  {message, severity: (.severity | ascii_upcase), code: {value: .rule},
//	   location: {path: .file, range},
//	   suggestions: [(.fixes[0].edits // [])[] | {range, text}],
//	   related_locations: [(.related // [])[] | select(.file) |
//	     {message, location: {path: .file, range}}]}]}
func WriteJSON(w io.Writer, fs []Finding) error {
	if fs == nil {
		fs = []Finding{}
	}
	return encode(w, fs)
}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// InformationURI is where the SARIF output says Strata is described.
const InformationURI = "https://github.com/strata-settings/strata"

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name"`
	ShortDescription     sarifText   `json:"shortDescription"`
	HelpURI              string      `json:"helpUri,omitempty"`
	Help                 *sarifHelp  `json:"help,omitempty"`
	DefaultConfiguration sarifConfig `json:"defaultConfiguration"`
}

// sarifHelp is a rule's page, as SARIF's multiformatMessageString.
type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"` // exclusive, as SARIF's
}

// sarifPlace locates pos in its file, with its region when it has a line;
// ok is false for a position in no file.
func sarifPlace(pos sources.Position) (sarifPhysical, bool) {
	if pos.File == "" {
		return sarifPhysical{}, false
	}
	p := sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(pos.File)}}
	if pos.Line > 0 {
		p.Region = &sarifRegion{StartLine: pos.Line, StartColumn: pos.Column}
		if pos.HasEnd() {
			p.Region.EndLine, p.Region.EndColumn = pos.EndLine, pos.EndColumn
		}
	}
	return p, true
}

// WriteSARIF writes the findings as a SARIF 2.1.0 log, as GitHub code
// scanning takes it: every rule in tool.driver.rules, with its page
// (docs/rules/) as helpUri and, for the rules of the results, as help in
// text and Markdown; a result per
// finding located in its file (relative paths become relative URIs with
// forward slashes), its region spanning the key (endLine and endColumn,
// exclusive), with the finding's related places in relatedLocations and
// its fixes in fixes (artifactChanges of replacements). Code scanning
// needs a file for every result, so findings about environment variables
// are left out, as are related places in the environment.
func WriteSARIF(w io.Writer, fs []Finding) error {
	all := Rules()
	index := map[string]int{}
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "strata", InformationURI: InformationURI}},
		ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	fired := map[string]bool{}
	for _, f := range fs {
		fired[f.Rule] = fired[f.Rule] || f.Pos.File != ""
	}
	for i, r := range all {
		index[r.ID] = i
		rule := sarifRule{ID: r.ID, Name: ruleName(r.ID),
			ShortDescription: sarifText{r.Summary}, DefaultConfiguration: sarifConfig{sarifLevel(r.Severity)}}
		rule.HelpURI = RuleDocURL(r.ID)
		if d, ok := LookupDoc(r.ID); ok && fired[r.ID] {
			rule.Help = &sarifHelp{Text: d.Text(), Markdown: d.Markdown()}
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	for _, f := range fs {
		place, ok := sarifPlace(f.Pos)
		if !ok {
			continue
		}
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message: sarifText{f.Message}, Locations: []sarifLocation{{PhysicalLocation: place}}}
		for _, r := range f.Related {
			if p, ok := sarifPlace(r.Pos); ok {
				id := len(res.RelatedLocations)
				res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id, PhysicalLocation: p, Message: &sarifText{r.Message}})
			}
		}
		for _, x := range f.Fixes {
			fix := sarifFix{Description: sarifText{x.Message}}
			for _, e := range x.Edits {
				p, ok := sarifPlace(e.Pos)
				if !ok || !e.Pos.HasEnd() {
					continue
				}
				change := sarifArtifactChange{ArtifactLocation: p.ArtifactLocation}
				if n := len(fix.ArtifactChanges); n > 0 && fix.ArtifactChanges[n-1].ArtifactLocation == p.ArtifactLocation {
					change = fix.ArtifactChanges[n-1]
					fix.ArtifactChanges = fix.ArtifactChanges[:n-1]
				}
				change.Replacements = append(change.Replacements, sarifReplacement{DeletedRegion: *p.Region, InsertedContent: sarifText{e.NewText}})
				fix.ArtifactChanges = append(fix.ArtifactChanges, change)
			}
			if len(fix.ArtifactChanges) > 0 {
				res.Fixes = append(res.Fixes, fix)
			}
		}
		run.Results = append(run.Results, res)
	}
	return encode(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// ruleName turns a rule id into SARIF's PascalCase name: "ui-table"
// becomes "UiTable".
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// fileURI is the URI of a file: relative for a relative path, file:// for
// an absolute one.
func fileURI(file string) string {
	if filepath.IsAbs(file) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	}
	return (&url.URL{Path: filepath.ToSlash(file)}).String()
}

// WriteGitHub writes the findings as GitHub Actions workflow commands, which
// annotate the files of a pull request:
// "::error file=F,line=L,col=C,endLine=L,endColumn=C,title=RULE::message";
// warnings are ::warning and infos ::notice. Control characters in file
// names and messages are escaped as the text output escapes them.
func WriteGitHub(w io.Writer, fs []Finding) error {
	for _, f := range fs {
		cmd := "notice"
		switch f.Severity {
		case Error:
			cmd = "error"
		case Warning:
			cmd = "warning"
		}
		var props []string
		lines := strings.Split(f.Message, "\n")
		for i, l := range lines {
			lines[i] = diag.Escape(l)
		}
		msg := strings.Join(lines, "\n")
		if f.Pos.File != "" {
			props = append(props, "file="+escapeProperty(diag.Escape(filepath.ToSlash(f.Pos.File))))
			if f.Pos.Line > 0 {
				props = append(props, "line="+strconv.Itoa(f.Pos.Line))
			}
			if f.Pos.Column > 0 {
				props = append(props, "col="+strconv.Itoa(f.Pos.Column))
			}
			if f.Pos.HasEnd() && f.Pos.EndLine == f.Pos.Line {
				// The runner takes columns on one line only; the end is
				// exclusive, as ruff writes it.
				props = append(props, "endLine="+strconv.Itoa(f.Pos.EndLine), "endColumn="+strconv.Itoa(f.Pos.EndColumn))
			}
		} else {
			msg = f.Where() + ": " + msg
		}
		props = append(props, "title="+escapeProperty(f.Rule))
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
	}
	return nil
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
