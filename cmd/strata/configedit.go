package main

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/internal/profiles"
	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/sources"
)

// assignment is one NAME=VALUE of config set.
type assignment struct {
	name, value string
	setting     *schema.Setting
}

// settingByNameIn finds a setting of set by an environment name written
// exactly (Prefect's CLI is case-sensitive) or by its accessor. A setting
// the release rel (nil: the newest) does not have is refused, saying which
// releases have it.
func settingByNameIn(set *schema.Set, rel *release.Release, name string) (*schema.Setting, error) {
	if s, _, ok := set.ByEnvExact(name); ok {
		return s, nil
	}
	if s, ok := set.ByPath(name); ok {
		return s, nil
	}
	if rel != nil {
		if err := notInRelease(rel, name); err != nil {
			return nil, err
		}
	}
	near := set.Suggest(name)
	if s, alias, ok := set.ByEnv(name); ok {
		near = s.Env[alias] // the name written in another case
	}
	if near != "" {
		return nil, fmt.Errorf("unknown setting name %q; did you mean %q?", name, near)
	}
	return nil, fmt.Errorf("unknown setting name %q", name)
}

// fixed are the settings that choose the profiles file itself; a profile
// cannot move them.
func fixed(s *schema.Setting) bool {
	return s.Index == schema.IHome || s.Index == schema.IProfilesPath
}

func (c *cli) set(args []string, showSecrets bool) int {
	set, rel := c.settingsOf()
	if set == nil {
		return exitFail
	}
	var sets []assignment
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		if !ok {
			c.fail(refuse("failed to parse argument %q: use the format NAME=VALUE", arg))
			return exitFail
		}
		s, err := settingByNameIn(set, rel, name)
		if err != nil {
			c.fail(err)
			return exitFail
		}
		if fixed(s) {
			c.fail(refuse("setting %q cannot be changed with this command: it chooses the profiles file; use an environment variable instead", name))
			return exitFail
		}
		if !utf8.ValidString(value) {
			c.fail(refuse("%s: the value is not valid UTF-8", name))
			return exitFail
		}
		sets = append(sets, assignment{name, value, s})
	}
	f := c.openProfiles()
	if f == nil {
		return exitFail
	}
	var target string
	var notes []string
	ok := c.edit(f, func(doc *profiles.Doc) error {
		var err error
		target, notes, err = c.setTarget(f, doc)
		if err != nil {
			return err
		}
		for _, a := range sets {
			if err := doc.Set(target, a.setting.Canonical(), profiles.Quote(a.value), a.setting.Env[1:]...); err != nil {
				return err
			}
		}
		changed := map[int]bool{}
		for _, a := range sets {
			changed[a.setting.Index] = true
		}
		return checkProfile(set, doc, target, changed)
	})
	if !ok {
		return exitFail
	}
	for _, n := range notes {
		c.diag("note", "%s", n)
	}
	for _, a := range sets {
		v := a.value
		if !showSecrets {
			v, _ = schema.Masked(a.setting, "", v).(string)
		}
		fmt.Fprintf(c.stdout, "Set %s to %s.\n", pyQuote(a.name), pyQuote(v))
		c.warnOverrides(f.r, a.setting)
	}
	fmt.Fprintf(c.stdout, "Updated profile %s.\n", pyQuote(target))
	return exitOK
}

// setTarget chooses the profile config set writes: the one selected, when
// the file has it. A profile Prefect ships and the file lacks is copied in
// first, with its values, so that it applies. With no selection, or an
// active key naming no profile, the packaged default profile is copied in
// and made active: those are the values that applied.
func (c *cli) setTarget(f *profilesFile, doc *profiles.Doc) (string, []string, error) {
	pkg := packagedDoc()
	sel, by := c.selection(doc)
	switch {
	case sel != "" && doc.Has(sel):
		return sel, nil, nil
	case sel != "" && pkg.Has(sel):
		note := fmt.Sprintf("profile %s was Prefect's packaged profile, which the settings do not read once a profiles file exists; it is now in %s", pyQuote(sel), f.shown)
		return sel, []string{note}, doc.Create(sel, pkg.Lines(sel)...)
	case sel != "" && by != "the active key of the profiles file":
		return "", nil, &cliError{
			msg:  fmt.Sprintf("profile %s, selected by %s, does not exist in %s", pyQuote(sel), by, f.shown),
			more: []string{"create it first:", "    strata profile create " + pyQuote(sel)},
		}
	}
	name, _ := pkg.Active()
	var notes []string
	if sel != "" {
		notes = append(notes, fmt.Sprintf("the active profile %s does not exist, so the settings came from profile %s, which is now the active profile", pyQuote(sel), pyQuote(name)))
	}
	if !doc.Has(name) {
		if err := doc.Create(name, pkg.Lines(name)...); err != nil {
			return "", nil, err
		}
	}
	return name, notes, doc.SetActive(name)
}

// checkProfile validates the values the settings loader takes from the
// profile, as Prefect validates the whole profile before saving it, with
// the settings of the release, set. A value that was already invalid
// blocks the change too, and says how to fix it.
func checkProfile(set *schema.Set, doc *profiles.Doc, name string, changed map[int]bool) error {
	var diags []diag.Diagnostic
	old := false
	for _, s := range appliedEntries(set, doc, name) {
		if err := settings.Validate(s.setting, sources.Profile, s.entry.Value); err != nil {
			msg := fmt.Sprintf("%s (%s): %v", s.entry.Key, s.setting.Path, err)
			if !changed[s.setting.Index] {
				msg += " (already in the profile)"
				old = true
			}
			diags = append(diags, diag.Diagnostic{Pos: s.entry.Pos, Severity: diag.Error, Setting: s.setting.Path, Message: msg})
		}
	}
	if len(diags) == 0 {
		return nil
	}
	e := &cliError{diags: diags, msg: "invalid value, nothing written"}
	if len(diags) > 1 {
		e.msg = "invalid values, nothing written"
	}
	if old {
		e.more = append(e.more, "set the values already in the profile again, or unset them, in the same command or before")
	}
	return e
}

type appliedEntry struct {
	entry   profiles.Entry
	setting *schema.Setting
}

// appliedEntries are the keys of the profile the settings loader applies:
// exact environment names, the canonical one winning over an alias.
func appliedEntries(set *schema.Set, doc *profiles.Doc, name string) []appliedEntry {
	entries := doc.Entries(name)
	byKey := map[string]profiles.Entry{}
	for _, e := range entries {
		byKey[e.Key] = e
	}
	var out []appliedEntry
	done := map[int]bool{}
	for _, e := range entries {
		s, _, ok := set.ByEnvExact(e.Key)
		if !ok || done[s.Index] {
			continue
		}
		done[s.Index] = true
		for _, env := range s.Env {
			if first, ok := byKey[env]; ok {
				out = append(out, appliedEntry{first, s})
				break
			}
		}
	}
	return out
}

// warnOverrides says which higher layers hold a value for the setting and
// so override the profile.
func (c *cli) warnOverrides(r *settings.Result, s *schema.Setting) {
	o, _ := r.Origin(s.Path)
	for _, cand := range o.Candidates {
		switch {
		case cand.Layer == sources.Env:
			c.diag("warning", "%s is also set by an environment variable, which overrides the profile; run `unset %s` to clear it", cand.Key, cand.Key)
		case cand.Layer < sources.Profile: // a higher layer, in the order of the Kind constants
			where := cand.Pos
			where.File = relative(where.File)
			c.diag("warning", "%s is also set at %s, which overrides the profile", s.Canonical(), where)
		}
	}
}

func (c *cli) unset(args []string, yes bool) int {
	set, rel := c.settingsOf()
	if set == nil {
		return exitFail
	}
	var names []string
	var ss []*schema.Setting
	for _, name := range args {
		if slices.Contains(names, name) {
			continue
		}
		s, err := settingByNameIn(set, rel, name)
		if err != nil {
			c.fail(err)
			return exitFail
		}
		names, ss = append(names, name), append(ss, s)
	}
	f := c.openProfiles()
	if f == nil {
		return exitFail
	}
	// Check before asking, and again under the lock.
	check := func(doc *profiles.Doc) (string, error) {
		target := c.current(doc)
		if target == "" {
			target, _ = packagedDoc().Active() // the profile Prefect falls back on
		}
		for i, s := range ss {
			present := slices.ContainsFunc(doc.Entries(target), func(e profiles.Entry) bool { return slices.Contains(s.Env, e.Key) })
			if !present || !doc.Has(target) {
				return "", refuse("%s is not set in profile %s of %s", pyQuote(names[i]), pyQuote(target), f.shown)
			}
		}
		return target, nil
	}
	doc := c.read(f)
	if doc == nil {
		return exitFail
	}
	if _, err := check(doc); err != nil {
		c.fail(err)
		return exitFail
	}
	if !yes {
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = pyQuote(n)
		}
		if !c.confirm("Are you sure you want to unset the following setting(s): "+strings.Join(quoted, " ")+"?", false) {
			fmt.Fprintln(c.stderr, "Unset aborted.")
			return exitFail
		}
	}
	var target string
	ok := c.edit(f, func(doc *profiles.Doc) error {
		var err error
		if target, err = check(doc); err != nil {
			return err
		}
		for _, s := range ss {
			if _, err := doc.Unset(target, s.Env...); err != nil {
				return err
			}
		}
		return nil
	})
	if !ok {
		return exitFail
	}
	for i, name := range names {
		fmt.Fprintf(c.stdout, "Unset %s.\n", pyQuote(name))
		c.warnOverrides(f.r, ss[i])
	}
	fmt.Fprintf(c.stdout, "Updated profile %s.\n", pyQuote(target))
	return exitOK
}
