// The checks of profiles files and of the profile selected.

package lint

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// lintProfiles checks every profile of a profiles file.
func (l *linter) lintProfiles(file string, p *prepared) {
	doc := p.doc
	if l.syntaxErrors(file, p.err) {
		return
	}
	l.laterTOML(file, p.data, p.rd)
	if doc.HasActive && doc.Active != "" && doc.Profile(doc.Active) == nil {
		l.missingProfile(Warning, doc.ActivePos, doc.Active, "the active key", doc)
	}
	entries := p.entries
	l.outsideProfiles(doc, entries)
	for _, p := range doc.Profiles {
		for _, v := range p.Values {
			l.value(sources.Profile, v, true)
		}
		for _, ig := range p.Ignored {
			if !l.profileTable(p.Profile, ig, entries) {
				l.swallowedInProfile(p.Profile, ig, entries)
				l.ignoredProfile(ig)
			}
		}
		if r := l.resolve(l.releaseFor(sources.Position{File: file}), []*sources.Layer{p}); r != nil {
			l.keyAndAuth(r)
			l.keyNotCloud(r)
		}
	}
}

func (l *linter) ignoredProfile(ig sources.Ignored) {
	switch {
	case strings.EqualFold(ig.Key, "PREFECT_PROFILE"):
		l.report(RuleIgnoredKey, ig.Pos, "", "",
			"PREFECT_PROFILE inside a profile is not a setting: a profile cannot select a profile")
	case strings.HasPrefix(ig.Reason, "profile keys must be upper-case"):
		s, _, _ := l.releaseFor(ig.Pos).rel.Schema().ByEnv(ig.Key) // the reader's release named it
		l.reportRename([]string{ig.Key}, []string{strings.ToUpper(ig.Key)}, RuleIgnoredKey, ig.Pos, s.Path, strings.ToUpper(ig.Key),
			"profile keys are upper-case: Prefect does not read %s; write %s", ig.Key, strings.ToUpper(ig.Key))
	case strings.HasPrefix(ig.Reason, "profile keys must be environment names"):
		s, _ := l.releaseFor(ig.Pos).rel.Schema().ByPath(ig.Key)
		l.reportRename([]string{ig.Key}, []string{s.Canonical()}, RuleIgnoredKey, ig.Pos, s.Path, s.Canonical(),
			"profile keys are environment names: Prefect does not read %s; write %s", ig.Key, s.Canonical())
	case ig.Reason != "unknown setting":
		l.report(RuleIgnoredKey, ig.Pos, "", "", "Prefect ignores %s: %s", ig.Key, ig.Reason)
	case loggingOverrides[strings.ToUpper(ig.Key)]:
		l.report(RuleIgnoredKey, ig.Pos, "", "",
			"%s overrides Prefect's logging configuration only from the environment; in a profile it does nothing", ig.Key)
	default:
		l.unknown(ig.Pos, ig.Key, "", l.suggest(ig.Key, false))
	}
}

// profileTable reports the settings of a group written as a TOML table
// in the profile named ([profiles.dev] api.url = ...), where Prefect reads
// only environment names; it reports whether ig was such a table.
func (l *linter) profileTable(name string, ig sources.Ignored, entries []tomlEntry) bool {
	set := l.releaseFor(ig.Pos).rel.Schema()
	if !set.IsGroup(strings.ToLower(ig.Key)) {
		return false
	}
	found := false
	for _, e := range entries {
		if e.isHeader || len(e.path) < 4 || !hasPrefix(e.path, []string{"profiles", name, ig.Key}) {
			continue
		}
		s, ok := set.ByPath(strings.ToLower(strings.Join(e.path[2:], ".")))
		if !ok {
			continue
		}
		found = true
		l.reportRename(e.path, []string{"profiles", name, s.Canonical()}, RuleIgnoredKey, e.pos, s.Path, s.Canonical(),
			"profile keys are environment names: Prefect does not read %s; write %s", joinKey(e.path[2:]), s.Canonical())
	}
	return found
}

// outsideProfiles reports the tables and keys of a profiles file that are
// in no [profiles.NAME] table, where Prefect reads nothing.
func (l *linter) outsideProfiles(doc *sources.ProfilesDoc, entries []tomlEntry) {
	var headers [][]string
	for _, e := range entries {
		p := e.path
		switch {
		case len(p) == 1 && p[0] == "active" && !e.isHeader:
		case p[0] == "profiles":
			if len(p) == 2 && !e.isHeader && doc.Profile(p[1]) == nil {
				l.report(RuleOutsideProfile, e.pos, "", "",
					"%s is in no profile, so Prefect reads nothing from it; put it under [profiles.NAME]", joinKey(p))
			}
		case e.isHeader:
			if slices.ContainsFunc(headers, func(h []string) bool { return hasPrefix(p, h) }) {
				continue
			}
			headers = append(headers, p)
			l.swallowedOutside(e, entries)
			name := p
			if len(p) > 1 && (strings.EqualFold(p[0], "profiles") || schema.Nearest(strings.ToLower(p[0]), []string{"profiles"}) != "") {
				name = p[1:]
			}
			want := headerText(append([]string{"profiles"}, name...))
			l.reportRename(p, append([]string{"profiles"}, name...), RuleOutsideProfile, e.pos, "", want,
				"%s is not a profile, so Prefect reads nothing from it: profiles are [profiles.NAME] tables; did you mean %s?", headerText(p), want)
		case e.header == nil:
			l.report(RuleOutsideProfile, e.pos, "", "",
				"%s is in no profile, so Prefect reads nothing from it; put it under [profiles.NAME]", joinKey(p))
		}
	}
}

// swallowedKeys lists the keys written under the table header at path (or
// a header below it) that name a Prefect setting: an environment name, as
// profiles take them, or a setting's path.
func swallowedKeys(path []string, entries []tomlEntry) []tomlEntry {
	var out []tomlEntry
	for _, e := range entries {
		if e.isHeader || len(e.header) == 0 || !hasPrefix(e.header, path) || !hasPrefix(e.path, e.header) {
			continue
		}
		written := e.path[len(e.header):]
		if _, ok := envKeySetting(written); ok || isSetting(strings.ToLower(strings.Join(written, "."))) {
			out = append(out, e)
		}
	}
	return out
}

// swallowedInProfile reports, at its own line, each setting written under
// a table of the profile named ([profiles.dev.storage]) that is no group
// of settings: the table takes it in, and Prefect ignores it.
func (l *linter) swallowedInProfile(name string, ig sources.Ignored, entries []tomlEntry) {
	profile := []string{"profiles", name}
	for _, e := range swallowedKeys([]string{"profiles", name, ig.Key}, entries) {
		written := e.path[len(e.header):]
		l.report(RuleWrongTable, e.pos, settingOfKey(written), "",
			"%s is read as %s because of the %s header above it, and Prefect ignores it; move it under %s",
			joinKey(written), joinKey(e.path), headerText(e.header), headerText(profile))
	}
}

// swallowedOutside reports, at its own line, each setting written under
// the header h, a table that is in no profile: Prefect reads nothing from
// it. The profile above the header, if any, is where it was likely meant.
func (l *linter) swallowedOutside(h tomlEntry, entries []tomlEntry) {
	where := "under a [profiles.NAME] table"
	for _, e := range entries {
		if e.isHeader && len(e.path) == 2 && e.path[0] == "profiles" && e.pos.Line < h.pos.Line {
			where = "under " + headerText(e.path) + ", above " + headerText(h.path)
		}
	}
	for _, e := range swallowedKeys(h.path, entries) {
		written := e.path[len(e.header):]
		l.report(RuleOutsideProfile, e.pos, settingOfKey(written), "",
			"%s is read as %s because of the %s header above it, which is no profile, so Prefect reads nothing from it; move it %s",
			joinKey(written), joinKey(e.path), headerText(e.header), where)
	}
}

// settingOfKey returns the path of the setting a key names, as an
// environment name or as a path, or "".
func settingOfKey(written []string) string {
	if s, ok := envKeySetting(written); ok {
		return s.Path
	}
	return settingOf(strings.ToLower(strings.Join(written, ".")))
}

// packagedNames are the profiles Prefect ships with.
var packagedNames = []string{"ephemeral", "local", "test", "cloud"}

// profileInput is what locates the profiles file from directory d.
func (l *linter) profileInput(d string) *sources.ProfileInput {
	dl := l.dir(d)
	return &sources.ProfileInput{Environ: l.env, DotEnv: dl.dotenv, Prefect: dl.prefect, Pyproject: dl.pyproject,
		Dir: l.abs(d), Home: l.opts.Home, Name: l.opts.Profile, Exists: l.exists}
}

// exists reports whether a file exists at path, asking the system once a
// run for each path: every directory looks for the same default profiles
// file.
func (l *linter) exists(path string) bool {
	l.existing.mu.Lock()
	defer l.existing.mu.Unlock()
	ok, seen := l.existing.paths[path]
	if !seen {
		_, err := os.Stat(path)
		ok = err == nil
		if l.existing.paths == nil {
			l.existing.paths = map[string]bool{}
		}
		l.existing.paths[path] = ok
	}
	return ok
}

// profilesPath returns the profiles file Prefect reads from directory d,
// as shown in findings, or "" for the packaged profiles.
func (l *linter) profilesPath(d string) string {
	loc := sources.LocateProfiles(l.profileInput(d))
	if loc.Packaged {
		return ""
	}
	if filepath.IsAbs(loc.Path) {
		return l.display(loc.Path)
	}
	return filepath.Join(d, loc.Path)
}

// display shows an absolute path under Dir relative to it, as the files
// found by searching Dir are shown.
func (l *linter) display(p string) string {
	if l.opts.Dir == "" || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(l.opts.Dir, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return p
}

// selectedProfile checks the profile --profile or PREFECT_PROFILE selects.
func (l *linter) selectedProfile() {
	name, pos, sev, by := l.opts.Profile, sources.Position{Env: "--profile"}, Error, "--profile"
	if name == "" {
		name, pos, sev, by = l.env["PREFECT_PROFILE"], sources.Position{Env: "PREFECT_PROFILE"}, Warning, "PREFECT_PROFILE"
	}
	if name == "" {
		return
	}
	in := l.profileInput(".")
	if in.TestMode() {
		return
	}
	file := l.profilesPath(".")
	var doc *sources.ProfilesDoc
	if file != "" {
		data, err := sources.ReadFile(l.abs(file))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return
		default:
			if doc, err = l.reader(file).ParseProfiles(file, data); err != nil {
				return // reported as the file's syntax error
			}
		}
	}
	if doc != nil && doc.Profile(name) != nil || doc == nil && slices.Contains(packagedNames, name) {
		return
	}
	if doc == nil {
		doc = &sources.ProfilesDoc{File: file}
	}
	l.missingProfile(sev, pos, name, by, doc)
}

// missingProfile reports the profile name, chosen by by, that is not in
// doc.
func (l *linter) missingProfile(sev Severity, pos sources.Position, name, by string, doc *sources.ProfilesDoc) {
	file := doc.File
	if file == "" {
		file = "Prefect's packaged profiles"
	}
	var names []string
	for _, p := range doc.Profiles {
		names = append(names, p.Profile)
	}
	near := nearestProfile(name, names)
	if slices.Contains(packagedNames, name) {
		if name == "ephemeral" {
			return // the fallback is this very profile
		}
		l.reportAs(Warning, RuleMissingProfile, pos, "", near,
			"profile %q (from %s) is not in %s, only among Prefect's packaged profiles: its settings loader applies the packaged \"ephemeral\" profile instead", name, by, file)
		return
	}
	msg := "profile %q (from %s) does not exist in %s: Prefect applies the packaged \"ephemeral\" profile instead"
	if by == "--profile" {
		msg = "profile %q (from %s) does not exist in %s: prefect --profile fails with \"Unknown profile\""
	}
	if near != "" {
		msg += "; did you mean " + quote(near) + "?"
	}
	l.reportAs(sev, RuleMissingProfile, pos, "", near, msg, name, by, file)
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func nearestProfile(name string, names []string) string {
	return schema.Nearest(name, append(slices.Clone(names), packagedNames...))
}
