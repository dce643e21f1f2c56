package main

import (
	"errors"
	"fmt"
	"slices"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// problemOf is the diagnostic d as -o json prints it: its files relative
// to the working directory. A diagnostic is written in JSON as lint -o json
// writes its findings (diag.Diagnostic.MarshalJSON).
func problemOf(d diag.Diagnostic) diag.Diagnostic {
	d.Pos.File = relative(d.Pos.File)
	d.Message = relativeMsg(d.Message)
	d.Related = slices.Clone(d.Related)
	for i := range d.Related {
		d.Related[i].Pos.File = relative(d.Related[i].Pos.File)
	}
	return d
}

// validation is config validate's report, as -o json prints it.
type validation struct {
	Valid    bool              `json:"valid"`
	Release  *releaseJS        `json:"release,omitempty"`
	Profile  string            `json:"profile,omitempty"`
	Problems []diag.Diagnostic `json:"problems"`
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
		for _, d := range append(invalid, notes...) {
			c.render(d)
		}
		if len(invalid) > 0 {
			return exitFail
		}
		fmt.Fprintln(c.stdout, "Configuration valid!")
		return exitOK
	}
	out := validation{Problems: []diag.Diagnostic{}}
	r, err := settings.Load(c.options())
	if r != nil {
		rel := c.releaseOf(r.Release, &r.Prefect)
		out.Release, out.Profile = &rel, r.Profile
		for _, w := range r.Warnings {
			out.Problems = append(out.Problems, problemOf(w.Diagnostic()))
		}
	}
	var list settings.ErrorList
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			out.Problems = append(out.Problems, problemOf(e.Diagnostic()))
		}
	case err != nil:
		d, _ := diag.Of(err)
		out.Problems = append(out.Problems, problemOf(d))
	default:
		invalid, notes := profileProblems(r)
		for _, d := range append(invalid, notes...) {
			out.Problems = append(out.Problems, problemOf(d))
		}
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
func profileProblems(r *settings.Result) (invalid, notes []diag.Diagnostic) {
	for _, l := range r.Layers {
		if l.Kind != sources.Profile {
			continue
		}
		if l.Profile == "" && len(l.Warnings) > 0 {
			// Prefect's config validate stops on a profiles file it cannot
			// parse; its settings loader only warns.
			return []diag.Diagnostic{{Pos: sources.Position{File: r.ProfilesFile.Path}, Severity: diag.Error,
				Message: "the profiles file is not valid TOML, so the configuration is not valid"}}, nil
		}
		for _, ig := range l.Ignored {
			notes = append(notes, diag.Diagnostic{Pos: ig.Pos, Severity: diag.Warning, Message: ig.Key + ": ignored: " + ig.Reason})
		}
		for _, v := range l.Values {
			if v.Alias > 0 {
				notes = append(notes, diag.Diagnostic{Pos: v.Pos, Severity: diag.Info, Setting: v.Setting.Path,
					Message: fmt.Sprintf("%s is a legacy name; the setting's name is %s", v.Key, v.Setting.Canonical())})
			}
		}
	}
	return invalid, notes
}
