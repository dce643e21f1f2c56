package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/internal/profiles"
	"github.com/strata-settings/strata/schema"
)

// validName refuses a profile name Prefect could not select: empty, or not
// valid UTF-8.
func (c *cli) validName(name string) bool {
	if name == "" || !utf8.ValidString(name) {
		c.diag("error", "invalid profile name %s: a name must be a non-empty text", pyQuote(name))
		return false
	}
	return true
}

func (c *cli) profileList(isJSON bool) int {
	f, doc := c.openAndRead()
	if f == nil {
		return exitFail
	}
	active := c.current(doc)
	if isJSON {
		type row struct {
			Name   string `json:"name"`
			Active bool   `json:"active"`
		}
		rows := []row{}
		for _, n := range doc.Names() {
			rows = append(rows, row{n, n == active})
		}
		writeJSON(c.stdout, rows)
		return exitOK
	}
	fmt.Fprintln(c.stdout, "Available Profiles:")
	for _, n := range doc.Names() {
		mark := "  "
		if n == active {
			mark = "* "
		}
		fmt.Fprintf(c.stdout, "  %s%s\n", mark, n)
	}
	fmt.Fprintln(c.stdout, "* active profile")
	return exitOK
}

func (c *cli) profileCreate(name, from string) int {
	if !c.validName(name) {
		return exitFail
	}
	f := c.openProfiles()
	if f == nil {
		return exitFail
	}
	ok := c.edit(f, func(doc *profiles.Doc) error {
		if doc.Has(name) {
			return &cliError{
				msg:  fmt.Sprintf("profile %s already exists", pyQuote(name)),
				more: []string{"to create a new profile, remove the existing one first:", "", "    strata profile delete " + pyQuote(name)},
			}
		}
		var lines []string
		if from != "" {
			if !doc.Has(from) {
				return refuse("profile %s not found", pyQuote(from))
			}
			lines = doc.Lines(from)
		}
		return doc.Create(name, lines...)
	})
	if !ok {
		return exitFail
	}
	fromName := "None"
	if from != "" {
		fromName = from
	}
	fmt.Fprintf(c.stdout, `
Created profile with properties:
    name - %s
    from name - %s

Use created profile for future, subsequent commands:
    strata profile use %s

Use created profile temporarily for a single command:
    strata -p %s config view
`, pyQuote(name), fromName, pyQuote(name), pyQuote(name))
	return exitOK
}

func (c *cli) profileRename(old, new string) int {
	if !c.validName(new) {
		return exitFail
	}
	f := c.openProfiles()
	if f == nil {
		return exitFail
	}
	ok := c.edit(f, func(doc *profiles.Doc) error {
		if !doc.Has(old) {
			return refuse("profile %s not found", pyQuote(old))
		}
		if doc.Has(new) {
			return refuse("profile %s already exists", pyQuote(new))
		}
		return doc.Rename(old, new)
	})
	if !ok {
		return exitFail
	}
	if os.Getenv("PREFECT_PROFILE") == old {
		c.diag("warning", "PREFECT_PROFILE selects %s; set it to %s to keep using the profile", pyQuote(old), pyQuote(new))
	}
	fmt.Fprintf(c.stdout, "Renamed profile %s to %s.\n", pyQuote(old), pyQuote(new))
	return exitOK
}

func (c *cli) profileDelete(name string, yes bool) int {
	f := c.openProfiles()
	if f == nil {
		return exitFail
	}
	check := func(doc *profiles.Doc) error {
		if !doc.Has(name) {
			if packagedDoc().Has(name) {
				return refuse("profile %s is one of Prefect's packaged profiles and is not in %s: there is nothing to delete", pyQuote(name), f.shown)
			}
			return refuse("profile %s not found", pyQuote(name))
		}
		if name == c.current(doc) {
			return refuse("profile %s is the active profile; switch profiles before deleting it", pyQuote(name))
		}
		return nil
	}
	doc := c.read(f)
	if doc == nil {
		return exitFail
	}
	if err := check(doc); err != nil {
		c.fail(err)
		return exitFail
	}
	if !yes && !c.confirm(fmt.Sprintf("Are you sure you want to delete profile with name %s?", pyQuote(name)), false) {
		fmt.Fprintln(c.stderr, "Deletion aborted.")
		return exitFail
	}
	ok := c.edit(f, func(doc *profiles.Doc) error {
		if err := check(doc); err != nil {
			return err
		}
		return doc.Delete(name)
	})
	if !ok {
		return exitFail
	}
	fmt.Fprintf(c.stdout, "Removed profile %s.\n", pyQuote(name))
	return exitOK
}

func (c *cli) profileInspect(name string, isJSON, showSecrets bool) int {
	f, doc := c.openAndRead()
	if f == nil {
		return exitFail
	}
	if name == "" {
		name = f.r.Profile
		if name == "" {
			c.fail(refuse("no active profile: give the name of the profile to inspect"))
			return exitFail
		}
		if !isJSON {
			fmt.Fprintf(c.stderr, "No name provided, defaulting to %s\n", pyQuote(name))
		}
	}
	// The profile as the settings loader reads it: the file's, else the
	// packaged one.
	src := doc
	if !doc.Has(name) {
		src = packagedDoc()
		if !src.Has(name) {
			c.fail(refuse("profile %s not found", pyQuote(name)))
			return exitFail
		}
	}
	entries := src.Entries(name)
	if isJSON {
		obj := orderedObject{}
		for _, e := range entries {
			obj = append(obj, member{e.Key, maskEntry(f.r.Schema(), e, showSecrets)})
		}
		writeJSON(c.stdout, obj)
		return exitOK
	}
	if len(entries) == 0 {
		fmt.Fprintf(c.stdout, "Profile %s is empty.\n", pyQuote(name))
		return exitOK
	}
	for _, e := range entries {
		fmt.Fprintf(c.stdout, "%s='%s'\n", diag.Escape(e.Key), diag.Escape(pyStr(maskEntry(f.r.Schema(), e, showSecrets))))
	}
	return exitOK
}

// maskEntry returns the entry's value as it may be shown
// (schema.MaskedIn): a secret setting's masked, header values masked, URL
// passwords masked, and an unknown key whose name says it holds a secret
// masked. The key is looked up among the settings of set, the release
// resolved, then of any release.
func maskEntry(set *schema.Set, e profiles.Entry, show bool) any {
	if show {
		return e.Value
	}
	return schema.MaskedIn(set, e.Key, e.Value)
}

// member and orderedObject write a JSON object keeping the file's order.
type member struct {
	key   string
	value any
}

type orderedObject []member

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// pyStr renders a TOML value as Python's str() does.
func pyStr(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		if t {
			return "True"
		}
		return "False"
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			if s, ok := x.(string); ok {
				parts[i] = pyQuote(s)
			} else {
				parts[i] = pyStr(x)
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			x := pyStr(t[k])
			if s, ok := t[k].(string); ok {
				x = pyQuote(s)
			}
			parts[i] = pyQuote(k) + ": " + x
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

func (c *cli) profilePopulate(yes bool) int {
	f, doc := c.openAndRead()
	if f == nil {
		return exitFail
	}
	pkg := packagedDoc()
	missing := func(doc *profiles.Doc) []string {
		var out []string
		for _, n := range pkg.Names() {
			if !doc.Has(n) {
				out = append(out, n)
			}
		}
		return out
	}
	_, statErr := os.Stat(f.path)
	if statErr != nil {
		fmt.Fprintln(c.stdout, "Creating new profiles file with default profiles.")
	}
	add := missing(doc)
	if len(add) == 0 {
		fmt.Fprintln(c.stdout, "No changes needed. All profiles are up to date.")
		return exitOK
	}
	fmt.Fprintln(c.stdout, "Proposed Changes:")
	for _, n := range add {
		fmt.Fprintf(c.stdout, "  • Add %s\n", pyQuote(n))
	}
	if !yes && !c.confirm(fmt.Sprintf("Update profiles at %s?", f.shown), true) {
		fmt.Fprintln(c.stdout, "Operation cancelled.")
		return exitOK
	}
	ok := c.edit(f, func(doc *profiles.Doc) error {
		for _, n := range missing(doc) {
			if err := doc.Create(n, pkg.Lines(n)...); err != nil {
				return err
			}
		}
		return nil
	})
	if !ok {
		return exitFail
	}
	fmt.Fprintf(c.stdout, "Profiles updated in %s\n\nUse with strata profile use [PROFILE-NAME]\n\nAvailable profiles:\n", f.shown)
	if doc = c.read(f); doc == nil {
		return exitFail
	}
	for _, n := range doc.Names() {
		fmt.Fprintf(c.stdout, "  - %s\n", n)
	}
	return exitOK
}
