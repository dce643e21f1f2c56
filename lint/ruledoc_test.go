package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/sources"
)

// docsDir is where the rules' pages are generated.
var docsDir = filepath.Join("..", "docs", "rules")

const docsGenerated = "<!-- Generated from lint/rules/ by go test ./lint -run TestRuleDocs -update; do not edit. -->\n\n"

// TestRuleDocs checks the rules' documentation (lint/rules/) against the
// rule table and the linter: every rule has a page and every page a rule;
// lint reports the rule on its bad example, exactly as findings.txt says,
// and nothing at all on its good one. Then it checks that docs/rules/ is
// what the documentation makes. -update rewrites findings.txt and
// docs/rules/.
func TestRuleDocs(t *testing.T) {
	docs, err := loadDocs()
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	scenarios := map[string][]oracleScenario{}
	var documented []*RuleDoc
	for _, r := range Rules() {
		d, ok := docs[r.ID]
		if !ok {
			t.Errorf("rule %q has no documentation: write lint/rules/%s/doc.md with examples in bad/ and good/", r.ID, r.ID)
			continue
		}
		c := *d
		t.Run(r.ID, func(t *testing.T) {
			if why, ok := withoutExamples[c.ID]; ok {
				if len(c.Bad.Files)+len(c.Good.Files) > 0 || c.Bad.Text == "" || c.Prefect != "" {
					t.Errorf("a rule without examples (%s) has neither bad/ nor good/ nor prefect.txt, and its Example section says what it reports", why)
				}
				return
			}
			if len(c.Bad.Files) == 0 || len(c.Good.Files) == 0 {
				t.Fatalf("no example in bad/ or good/")
			}
			bad := checkExamples(t, &c)
			why, ok := withoutPrefect[c.ID]
			if !ok && deploymentExample(c.Bad) && deploymentExample(c.Good) {
				why, ok = "its examples are deployment files, which Prefect's settings code does not read: it reads the environment they give a container", true
			}
			if ok {
				if c.Prefect != "" {
					t.Errorf("prefect.txt, for a rule whose examples Prefect cannot be run on (%s)", why)
				}
				return
			}
			checkOracle(t, &c, bad, scenarios)
		})
		documented = append(documented, &c)
		pages[r.ID+".md"] = docsGenerated + c.page()
	}
	pages["README.md"] = docsGenerated + docsIndex(documented)
	checkPages(t, pages)
	checkScenarios(t, scenarios)
}

// withoutExamples are the rules that no settings file can show, and why:
// their pages say what they report instead.
var withoutExamples = map[string]string{
	RuleUnreadable: "no settings file can show a directory the search cannot read",
}

// withoutPrefect are the rules whose examples Prefect 3's settings code
// cannot be run on, and why: their pages do not say what Prefect makes of
// them.
var withoutPrefect = map[string]string{
	RuleUnsupported:    "the example pins Prefect 2, whose settings code the oracle does not run",
	RuleProjectRelease: "it says which release lint checks a directory against, which is no setting Prefect resolves",
}

// deploymentExample reports whether the files of an example are all
// deployment files.
func deploymentExample(ex Example) bool {
	return !slices.ContainsFunc(ex.Files, func(f ExampleFile) bool {
		_, ok := classify(path.Base(f.Name), false)
		return ok
	})
}

// TestRuleDocsExceptions checks that the rules without examples or
// without Prefect's record are rules.
func TestRuleDocsExceptions(t *testing.T) {
	for _, m := range []map[string]string{withoutExamples, withoutPrefect} {
		for id := range m {
			if _, ok := LookupRule(id); !ok {
				t.Errorf("%q is no rule", id)
			}
		}
	}
}

// checkExamples lints the examples of d, sets d.Bad.Findings to what lint
// reports on the bad one and returns those findings.
func checkExamples(t *testing.T, d *RuleDoc) []Finding {
	if len(d.References) == 0 {
		t.Error("no reference")
	}
	for _, l := range d.References {
		if !strings.HasPrefix(l.URL, "https://") {
			t.Errorf("reference %s: not https", l.URL)
		}
	}
	for _, m := range ruleLink.FindAllStringSubmatch(d.What+d.Why+d.Bad.Text+d.Good.Text, -1) {
		if _, ok := LookupRule(m[2]); !ok {
			t.Errorf("a link to %s.md, the page of no rule", m[2])
		}
	}
	bad := lintExample(t, d.Bad)
	if !slices.ContainsFunc(bad, func(f Finding) bool { return f.Rule == d.ID }) {
		t.Errorf("lint does not report %s on bad/:\n%s", d.ID, lines(bad))
	}
	got := lines(bad)
	if got != d.Bad.Findings {
		if *update {
			if err := os.WriteFile(filepath.Join("rules", d.ID, "findings.txt"), []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			t.Errorf("lint/rules/%s/findings.txt is not what lint reports on bad/; run go test ./lint -run TestRuleDocs -update\ngot:\n%s\nwant:\n%s", d.ID, got, d.Bad.Findings)
		}
	}
	d.Bad.Findings = got
	if good := lintExample(t, d.Good); len(good) > 0 {
		t.Errorf("lint reports findings on good/, which shows the fix:\n%s", lines(good))
	}
	return bad
}

// lintExample lints the files of an example in a directory of their own,
// with a home that holds no profiles file and an empty environment.
func lintExample(t *testing.T, ex Example) []Finding {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for _, f := range ex.Files {
		if _, ok := classify(path.Base(f.Name), false); !ok && !deployCandidate(f.Name) {
			t.Errorf("example file %s: not a settings or deployment file that lint finds in a directory", f.Name)
		}
		write(t, dir, map[string]string{f.Name: f.Data})
		names = append(names, f.Name)
	}
	fs, err := Run(Options{Dir: dir, Paths: names, Home: t.TempDir(), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// docsIndex is docs/rules/README.md: the rules by severity.
func docsIndex(docs []*RuleDoc) string {
	var b strings.Builder
	b.WriteString("# The rules of strata lint\n\n" +
		"Each page says what a rule checks and why it matters in Prefect, with the Prefect source or\n" +
		"documentation that shows it, an example on which it fires and the same example fixed.\n" +
		"`strata lint --explain RULE` prints a page; `strata lint --disable RULE` turns a rule off.\n")
	for _, sev := range []struct {
		s     Severity
		title string
		what  string
	}{
		{Error, "Errors", "Prefect rejects the value or fails to load the file."},
		{Warning, "Warnings", "Prefect loads the file, but not as written: a name it ignores, a value it drops, a secret in a file git shares."},
		{Info, "Infos", "Prefect behaves as documented, which may surprise."},
	} {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| Rule | What it reports | Since |\n|---|---|---|\n", sev.title, sev.what)
		for _, d := range docs {
			if d.Severity == sev.s {
				fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s |\n", d.ID, d.ID, mdEscape(d.Summary), d.Since)
			}
		}
	}
	return b.String()
}

// checkPages compares docs/rules/ with pages, by file name; -update
// writes them and removes the pages of rules that are gone.
func checkPages(t *testing.T, pages map[string]string) {
	entries, err := os.ReadDir(docsDir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := pages[e.Name()]; ok {
			continue
		}
		if *update {
			if err := os.Remove(filepath.Join(docsDir, e.Name())); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("docs/rules/%s is the page of no rule; run go test ./lint -run TestRuleDocs -update", e.Name())
	}
	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		p := filepath.Join(docsDir, name)
		data, err := os.ReadFile(p)
		if err == nil && string(data) == pages[name] {
			continue
		}
		if !*update {
			t.Errorf("docs/rules/%s is not what lint/rules/ makes; run go test ./lint -run TestRuleDocs -update", name)
			continue
		}
		if err := os.MkdirAll(docsDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(pages[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLookupDoc finds a rule's documentation by its id and by a former
// id.
func TestLookupDoc(t *testing.T) {
	for old, id := range ruleAliases {
		if d, ok := LookupDoc(old); !ok || d.ID != id {
			t.Errorf("LookupDoc(%q) = %v, %v; want the page of %q", old, d, ok, id)
		}
	}
	if d, ok := LookupDoc("no-such-rule"); ok {
		t.Errorf("LookupDoc(\"no-such-rule\") = %v", d)
	}
}

// TestParseDoc checks how doc.md is read and what it refuses.
func TestParseDoc(t *testing.T) {
	const ok = "Since: v0.1.0\n\n## What it does\n\nReports x.\n\n## Why is this bad?\n\nPrefect y.\n\n```toml\n## not a heading\n```\n\n## References\n\n- [Prefect](https://github.com/PrefectHQ/prefect)\n"
	d, err := parseDoc(ok)
	if err != nil {
		t.Fatal(err)
	}
	if d.Since != "v0.1.0" || d.What != "Reports x." || !strings.HasSuffix(d.Why, "## not a heading\n```") ||
		len(d.References) != 1 || d.References[0] != (Link{"Prefect", "https://github.com/PrefectHQ/prefect"}) {
		t.Errorf("parseDoc = %+v", d)
	}
	tests := []struct {
		name, src, err string
	}{
		{"no since", "## What it does\n", `the first line is "## What it does", not "Since: VERSION"`},
		{"bad since", "Since: 0.1\n", `since "0.1": want a release such as v0.1.0, or "unreleased"`},
		{"unknown section", "Since: unreleased\n## Notes\n", `unknown section "Notes"; the sections are ["What it does" "Why is this bad?" "Example" "Use instead" "References"]`},
		{"twice", "Since: unreleased\n## What it does\nx\n## What it does\n", `section "What it does" twice`},
		{"order", "Since: unreleased\n## Why is this bad?\nx\n## What it does\nx\n## References\n- [a](https://a)\n", `sections ["Why is this bad?" "What it does" "References"]: want them in the order ["What it does" "Why is this bad?" "Example" "Use instead" "References"]`},
		{"missing", "Since: unreleased\n## What it does\nx\n## References\n- [a](https://a)\n", `no section "Why is this bad?", or an empty one`},
		{"text before", "Since: unreleased\nhello\n## What it does\n", `text before the first section: "hello"`},
		{"other heading", "Since: unreleased\n## What it does\n### More\n", `heading "### More": only the sections' "## " headings are allowed`},
		{"open fence", "Since: unreleased\n## What it does\n```\n", "a code block is not closed"},
		{"bad reference", "Since: unreleased\n## What it does\nx\n## Why is this bad?\ny\n## References\n- http://a\n", `reference "- http://a": want "- [text](https://...)"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseDoc(tt.src)
			if err == nil || err.Error() != tt.err {
				t.Errorf("parseDoc: %v; want %s", err, tt.err)
			}
		})
	}
}

// TestSARIFHelp checks that SARIF links every rule to its page and carries
// the page itself for the rules of the results, valid against SARIF's
// schema.
func TestSARIFHelp(t *testing.T) {
	var b bytes.Buffer
	fs := []Finding{{Pos: sources.Position{File: "prefect.toml", Line: 2, Column: 1}, Severity: Warning, Rule: RuleUITable, Message: "m"},
		{Pos: sources.Position{Env: "PREFECT_API_URL"}, Severity: Info, Rule: RuleAPIURLPath, Message: "m"}}
	if err := WriteSARIF(&b, fs); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []sarifRule `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		d, _ := LookupDoc(r.ID)
		if r.HelpURI != RuleDocsURL+r.ID+".md" {
			t.Errorf("%s: helpUri %q", r.ID, r.HelpURI)
		}
		switch {
		case r.ID == RuleUITable:
			if r.Help == nil || r.Help.Text != d.Text() || r.Help.Markdown != d.Markdown() {
				t.Errorf("%s: help %+v; want the rule's page", r.ID, r.Help)
			}
		case r.Help != nil:
			t.Errorf("%s: help, though no result of the log is of the rule", r.ID) // a finding in the environment is no result
		}
	}
	var v any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	validate(t, "sarif-schema-2.1.0.json", sarifSchemaURL, v)
}
