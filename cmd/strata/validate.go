package main

import (
	"errors"
	"fmt"

	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// problem is one thing config validate reports, as -o json prints it:
// positioned as lint's findings are.
type problem struct {
	Severity string `json:"severity"` // "error", "warning" or "note"
	File     string `json:"file,omitempty"`
	Env      string `json:"env,omitempty"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Setting  string `json:"setting,omitempty"`
	Message  string `json:"message"`
}

func newProblem(severity string, pos sources.Position, setting, msg string) problem {
	pos.File = relative(pos.File)
	return problem{Severity: severity, File: pos.File, Env: pos.Env, Line: pos.Line, Column: pos.Column, Setting: setting, Message: relativeMsg(msg)}
}

// validation is config validate's report, as -o json prints it.
type validation struct {
	Valid    bool       `json:"valid"`
	Release  *releaseJS `json:"release,omitempty"`
	Profile  string     `json:"profile,omitempty"`
	Problems []problem  `json:"problems"`
}

// validate checks that the settings in force are valid, as Prefect's
// config validate does, and reports what the profile holds that Prefect
// ignores or reads under a legacy name.
func (c *cli) validate(asJSON bool) int {
	if !asJSON {
		r := c.load()
		if r == nil {
			return exitFail
		}
		invalid, notes := profileProblems(r)
		for _, p := range append(invalid, notes...) {
			c.diag(p.Severity, "%s", p.text())
		}
		if len(invalid) > 0 {
			return exitFail
		}
		fmt.Fprintln(c.stdout, "Configuration valid!")
		return exitOK
	}
	out := validation{Problems: []problem{}}
	r, err := settings.Load(c.options())
	if r != nil {
		rel := c.releaseOf(r.Release, &r.Prefect)
		out.Release, out.Profile = &rel, r.Profile
		for _, w := range r.Warnings {
			out.Problems = append(out.Problems, newProblem("warning", w.Pos, w.Setting, w.Msg))
		}
	}
	var list settings.ErrorList
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			out.Problems = append(out.Problems, newProblem("error", e.Pos, e.Setting, e.Msg))
		}
	case err != nil:
		out.Problems = append(out.Problems, problem{Severity: "error", Message: relativeMsg(err.Error())})
	default:
		invalid, notes := profileProblems(r)
		out.Problems = append(append(out.Problems, invalid...), notes...)
		out.Valid = len(invalid) == 0
	}
	writeJSON(c.stdout, out)
	if !out.Valid {
		return exitFail
	}
	return exitOK
}

// profileProblems are what config validate says of the profile: a profiles
// file that is not TOML (invalid), and keys Prefect ignores or reads under
// a legacy name (notes).
func profileProblems(r *settings.Result) (invalid, notes []problem) {
	for _, l := range r.Layers {
		if l.Kind != sources.Profile {
			continue
		}
		if l.Profile == "" && len(l.Warnings) > 0 {
			// Prefect's config validate stops on a profiles file it cannot
			// parse; its settings loader only warns.
			return []problem{newProblem("error", sources.Position{File: r.ProfilesFile.Path}, "",
				"the profiles file is not valid TOML, so the configuration is not valid")}, nil
		}
		for _, ig := range l.Ignored {
			notes = append(notes, newProblem("warning", ig.Pos, "", fmt.Sprintf("%s: ignored: %s", ig.Key, ig.Reason)))
		}
		for _, v := range l.Values {
			if v.Alias > 0 {
				notes = append(notes, newProblem("note", v.Pos, v.Setting.Path,
					fmt.Sprintf("%s is a legacy name; the setting's name is %s", v.Key, v.Setting.Canonical())))
			}
		}
	}
	return invalid, notes
}

// text renders the problem as a diagnostic's message: "file:line:col: message".
func (p problem) text() string {
	pos := sources.Position{File: p.File, Env: p.Env, Line: p.Line, Column: p.Column}
	return pos.String() + ": " + p.Message
}
