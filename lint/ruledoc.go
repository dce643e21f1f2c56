// The documentation of the rules: what each checks, why it matters in
// Prefect, an example that fires and its fix. It is data beside the rule
// table, one directory a rule under rules/:
//
//	rules/ID/doc.md        Since, What it does, Why is this bad?, References
//	rules/ID/bad/FILE      settings files on which the rule fires (subdirectories hold other projects)
//	rules/ID/findings.txt  what strata lint reports on bad/
//	rules/ID/good/FILE     the same files fixed, on which lint reports nothing
//	rules/ID/prefect.txt   what Prefect's own settings code makes of both
//
// A rule about what no settings file can show (a path the search cannot
// read) has no bad/ and good/: its Example section says what it reports.
//
// TestRuleDocs lints every example, checks prefect.txt against the
// records of Prefect on the examples (testdata/rules-oracle/) and writes
// docs/rules/ from this data.

package lint

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
)

//go:embed all:rules
var ruleFiles embed.FS

// Unreleased is the Since of a rule no release has yet; the release that
// brings it replaces it with its own version.
const Unreleased = "unreleased"

// RuleDocsURL is where the rules' pages are, one ID.md a rule.
const RuleDocsURL = InformationURI + "/blob/main/docs/rules/"

// RuleDoc is the documentation of a rule, in the shape of staticcheck's and
// ruff's rule pages.
type RuleDoc struct {
	Rule              // the rule's row of the table
	Since      string // the Strata release that added the rule ("v0.1.0"), or Unreleased
	What       string // what it checks, in Markdown
	Why        string // why that matters: what Prefect does, in Markdown
	Bad        Example
	Good       Example
	Prefect    string // what Prefect's own settings code makes of both examples, indented lines under a heading each
	References []Link // where Prefect does what Why says: its source, pull requests, issues, docs
}

// Example is a set of settings files, as the example of a rule's page
// shows them.
type Example struct {
	Text     string        // what the example shows, in Markdown; may be empty
	Files    []ExampleFile // sorted by path
	Findings string        // what strata lint reports on the files, a finding a line
}

// ExampleFile is one file of an example.
type ExampleFile struct {
	Name string // its slash-separated path in the example: prefect.toml, .env, flows/pyproject.toml...
	Data string
}

// Link is a reference of a rule's page.
type Link struct {
	Text, URL string
}

// URL returns the address of the rule's page.
func (d *RuleDoc) URL() string { return RuleDocURL(d.ID) }

// RuleDocURL returns the address of the page of the rule with the id.
func RuleDocURL(id string) string { return RuleDocsURL + id + ".md" }

// LookupDoc returns the documentation of the rule with the id, or with a
// former id of a renamed rule.
func LookupDoc(id string) (*RuleDoc, bool) {
	r, ok := LookupRule(id)
	if !ok {
		return nil, false
	}
	docs, _ := loadDocs()
	d, ok := docs[r.ID]
	if !ok {
		return nil, false
	}
	c := *d // the loaded documentation stays as read
	return &c, true
}

// loadDocs reads the documentation of every rule that has some, by id; the
// error lists every directory of rules/ that is malformed or names no rule.
var loadDocs = sync.OnceValues(func() (map[string]*RuleDoc, error) {
	docs := map[string]*RuleDoc{}
	entries, err := fs.ReadDir(ruleFiles, "rules")
	if err != nil {
		return docs, err
	}
	var errs []error
	for _, e := range entries {
		d, err := readDoc(ruleFiles, e.Name())
		if err != nil {
			errs = append(errs, fmt.Errorf("lint/rules/%s: %w", e.Name(), err))
			continue
		}
		docs[d.ID] = d
	}
	return docs, errors.Join(errs...)
})

// readDoc reads rules/id of fsys.
func readDoc(fsys fs.FS, id string) (*RuleDoc, error) {
	i := slices.IndexFunc(rules, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("no rule %q in the rule table", id)
	}
	dir := path.Join("rules", id)
	src, err := fs.ReadFile(fsys, path.Join(dir, "doc.md"))
	if err != nil {
		return nil, err
	}
	d, err := parseDoc(string(src))
	if err != nil {
		return nil, fmt.Errorf("doc.md: %w", err)
	}
	d.Rule = rules[i]
	if d.Bad.Files, err = exampleFiles(fsys, path.Join(dir, "bad")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if d.Good.Files, err = exampleFiles(fsys, path.Join(dir, "good")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	findings, err := fs.ReadFile(fsys, path.Join(dir, "findings.txt"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) { // written by TestRuleDocs -update
		return nil, err
	}
	d.Bad.Findings = string(findings)
	prefect, err := fs.ReadFile(fsys, path.Join(dir, "prefect.txt"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) { // written by TestRuleDocs -update
		return nil, err
	}
	d.Prefect = string(prefect)
	return d, nil
}

// exampleFiles reads the files of an example directory, those of its
// subdirectories too (a project in a subdirectory of another), named by
// their slash-separated paths under it.
func exampleFiles(fsys fs.FS, dir string) ([]ExampleFile, error) {
	var out []ExampleFile
	err := fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out = append(out, ExampleFile{Name: strings.TrimPrefix(p, dir+"/"), Data: string(data)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no example file", dir)
	}
	return out, nil
}

// The sections of doc.md, in their order.
const (
	sectionWhat       = "What it does"
	sectionWhy        = "Why is this bad?"
	sectionExample    = "Example"
	sectionUseInstead = "Use instead"
	sectionReferences = "References"
)

// sectionPrefect is the section of the page that says what Prefect makes
// of the examples; doc.md does not have it.
const sectionPrefect = "What Prefect does with them"

// oracleLibs are the libraries beside Prefect when what Prefect makes of
// the examples was recorded.
const oracleLibs = "pydantic-settings 2.14.1, python-dotenv 1.2.2"

// prefectLead introduces the section.
const prefectLead = "What Prefect's own settings code resolves from each example\n(" + oracleLibs +
	"; recorded in lint/testdata/rules-oracle/):"

var docSections = []string{sectionWhat, sectionWhy, sectionExample, sectionUseInstead, sectionReferences}

var (
	versionRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)
	linkRE    = regexp.MustCompile(`^- ` + mdLink.String() + `$`)
)

// parseDoc reads a doc.md: a "Since: VERSION" line, then the sections
// "## What it does", "## Why is this bad?", optionally "## Example" and
// "## Use instead" (the text before each example's files), and
// "## References", a list of "- [text](https://...)" lines.
func parseDoc(src string) (*RuleDoc, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	first, rest, _ := strings.Cut(strings.TrimLeft(src, "\n"), "\n")
	since, ok := strings.CutPrefix(first, "Since: ")
	if !ok {
		return nil, fmt.Errorf("the first line is %q, not \"Since: VERSION\"", first)
	}
	if since != Unreleased && !versionRE.MatchString(since) {
		return nil, fmt.Errorf("since %q: want a release such as v0.1.0, or %q", since, Unreleased)
	}
	d := &RuleDoc{Since: since}
	sections := map[string]string{}
	var order []string
	name := ""
	var text strings.Builder
	flush := func() error {
		body := strings.TrimSpace(text.String())
		text.Reset()
		if name == "" {
			if body != "" {
				return fmt.Errorf("text before the first section: %q", firstLine(body))
			}
			return nil
		}
		sections[name] = body
		return nil
	}
	fence := false
	for _, line := range strings.Split(rest, "\n") {
		if strings.HasPrefix(line, "```") {
			fence = !fence
		}
		if h, ok := strings.CutPrefix(line, "## "); ok && !fence {
			if err := flush(); err != nil {
				return nil, err
			}
			if !slices.Contains(docSections, h) {
				return nil, fmt.Errorf("unknown section %q; the sections are %q", h, docSections)
			}
			if _, dup := sections[h]; dup {
				return nil, fmt.Errorf("section %q twice", h)
			}
			name = h
			sections[h] = ""
			order = append(order, h)
			continue
		}
		if strings.HasPrefix(line, "#") && !fence {
			return nil, fmt.Errorf("heading %q: only the sections' \"## \" headings are allowed", line)
		}
		text.WriteString(line + "\n")
	}
	if fence {
		return nil, errors.New("a code block is not closed")
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if !slices.IsSortedFunc(order, func(a, b string) int {
		return slices.Index(docSections, a) - slices.Index(docSections, b)
	}) {
		return nil, fmt.Errorf("sections %q: want them in the order %q", order, docSections)
	}
	for _, s := range []string{sectionWhat, sectionWhy, sectionReferences} {
		if sections[s] == "" {
			return nil, fmt.Errorf("no section %q, or an empty one", s)
		}
	}
	d.What, d.Why = sections[sectionWhat], sections[sectionWhy]
	d.Bad.Text, d.Good.Text = sections[sectionExample], sections[sectionUseInstead]
	for _, line := range strings.Split(sections[sectionReferences], "\n") {
		m := linkRE.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("reference %q: want \"- [text](https://...)\"", line)
		}
		d.References = append(d.References, Link{Text: m[1], URL: m[2]})
	}
	return d, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// sinceText renders Since for people: "Strata v0.1.0", or "the next
// Strata release (unreleased)".
func (d *RuleDoc) sinceText() string {
	if d.Since == Unreleased {
		return "the next Strata release (unreleased)"
	}
	return "Strata " + d.Since
}

// fenceLang is the language of a Markdown code block holding the file.
func fenceLang(name string) string {
	base := path.Base(name)
	switch {
	case strings.HasSuffix(base, ".toml"):
		return "toml"
	case strings.HasSuffix(base, ".yaml"), strings.HasSuffix(base, ".yml"):
		return "yaml"
	case strings.HasSuffix(base, ".json"):
		return "json"
	case strings.HasSuffix(base, ".sh"), base == ".envrc":
		return "sh"
	case strings.Contains(strings.ToLower(base), "dockerfile"):
		return "dockerfile"
	case base == "Makefile", strings.HasSuffix(base, ".mk"):
		return "makefile"
	}
	return "dotenv"
}

// Markdown renders the rule's page, as docs/rules/ID.md holds it, but
// with absolute links to the other rules' pages, for a page read elsewhere
// (SARIF's rule help).
func (d *RuleDoc) Markdown() string {
	return ruleLink.ReplaceAllString(d.page(), "[$1]("+RuleDocsURL+"$2.md)")
}

// ruleLink is a link from a page to another rule's page: [`syntax`](syntax.md).
var ruleLink = regexp.MustCompile(`\[([^\[\]]+)\]\(([a-z0-9.-]+)\.md\)`)

// page renders the rule's page, as docs/rules/ID.md holds it.
func (d *RuleDoc) page() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s.\n\n", d.ID, mdEscape(upperFirst(d.Summary)))
	fmt.Fprintf(&b, "| Severity | Since | Turn it off |\n|---|---|---|\n| %s | %s | `strata lint --disable %s` |\n\n",
		d.Severity, d.sinceText(), d.ID)
	fmt.Fprintf(&b, "## %s\n\n%s\n\n## %s\n\n%s\n\n", sectionWhat, d.What, sectionWhy, d.Why)
	for _, ex := range []struct {
		title string
		ex    Example
	}{{sectionExample, d.Bad}, {sectionUseInstead, d.Good}} {
		if ex.ex.Text == "" && len(ex.ex.Files) == 0 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\n", ex.title)
		if ex.ex.Text != "" {
			b.WriteString(ex.ex.Text + "\n\n")
		}
		if len(ex.ex.Files) == 0 {
			continue // a rule about what no settings file can show
		}
		for _, f := range ex.ex.Files {
			fmt.Fprintf(&b, "`%s`:\n\n```%s\n%s```\n\n", f.Name, fenceLang(f.Name), withNewline(f.Data))
		}
		if ex.title == sectionExample {
			fmt.Fprintf(&b, "`strata lint` reports:\n\n```\n%s```\n\n", withNewline(ex.ex.Findings))
		} else {
			b.WriteString("`strata lint` reports nothing.\n\n")
		}
	}
	if d.Prefect != "" {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n```\n%s```\n\n", sectionPrefect, prefectLead, withNewline(d.Prefect))
	}
	fmt.Fprintf(&b, "## %s\n\n", sectionReferences)
	for _, l := range d.References {
		fmt.Fprintf(&b, "- [%s](%s)\n", l.Text, l.URL)
	}
	fmt.Fprintf(&b, "\n`strata lint --explain %s` prints this page.\n", d.ID)
	return b.String()
}

// Text renders the rule's page as plain text, as strata lint --explain
// prints it.
func (d *RuleDoc) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", d.ID, d.Summary)
	section := func(title, body string) {
		fmt.Fprintf(&b, "%s\n%s\n", title, indent(plainText(body), "    "))
	}
	section(sectionWhat, d.What)
	section(sectionWhy, d.Why)
	for _, ex := range []struct {
		title string
		ex    Example
	}{{sectionExample, d.Bad}, {sectionUseInstead, d.Good}} {
		if ex.ex.Text == "" && len(ex.ex.Files) == 0 {
			continue
		}
		var body strings.Builder
		if ex.ex.Text != "" {
			body.WriteString(plainText(ex.ex.Text) + "\n\n")
		}
		if len(ex.ex.Files) == 0 {
			section(ex.title, body.String())
			continue
		}
		for _, f := range ex.ex.Files {
			fmt.Fprintf(&body, "%s:\n%s\n", f.Name, indent(withNewline(f.Data), "    "))
		}
		if ex.title == sectionExample {
			fmt.Fprintf(&body, "strata lint reports:\n%s", indent(withNewline(ex.ex.Findings), "    "))
		} else {
			body.WriteString("strata lint reports nothing.\n")
		}
		section(ex.title, body.String())
	}
	if d.Prefect != "" {
		section(sectionPrefect, prefectLead+"\n\n"+d.Prefect)
	}
	var refs strings.Builder
	for _, l := range d.References {
		fmt.Fprintf(&refs, "%s\n    %s\n", plainText(l.Text), l.URL)
	}
	section(sectionReferences, refs.String())
	section("Severity", d.Severity.String()+"\n")
	section("Available since", d.sinceText()+"\n")
	section("Online documentation", d.URL()+"\n")
	return strings.TrimRight(b.String(), "\n")
}

// mdLink is a Markdown link, whose text may hold brackets one deep
// ("[ui] api_url").
var mdLink = regexp.MustCompile(`\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\((https?://[^\s()]+)\)`)

// plainText renders Markdown prose for a terminal: links become "text
// (URL)", links to other rules' pages their text, and code fences go.
func plainText(md string) string {
	var out []string
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			continue
		}
		line = ruleLink.ReplaceAllString(line, "$1")
		out = append(out, mdLink.ReplaceAllString(line, "$1 ($2)"))
	}
	return strings.Join(out, "\n")
}

// indent prefixes every line of s but empty ones, and ends it with a
// newline.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// mdEscape escapes what Markdown would take for markup in plain text: an
// HTML tag (<your-api-key>), emphasis, a table cell's end.
var mdEscape = strings.NewReplacer(`\`, `\\`, "<", `\<`, "*", `\*`, "|", `\|`).Replace

func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
