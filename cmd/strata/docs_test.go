package main

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/strata-settings/strata/release"
	"github.com/strata-settings/strata/schema"
)

var update = flag.Bool("update", false, "rewrite the command synopses of docs/cli.md and main.go from the command table")

// synopsisMarker opens the synopsis block of docs/cli.md.
const synopsisMarker = "<!-- synopsis: from the command table by go test ./cmd/strata -run TestSynopsesUpToDate -update -->\n```\n"

// TestSynopsesUpToDate checks that the synopsis block of docs/cli.md and
// the usage block of main.go's doc comment are the command table's
// synopses; -update rewrites them.
func TestSynopsesUpToDate(t *testing.T) {
	lines := synopses()
	tests := []struct {
		file, start, end, prefix string
	}{
		{filepath.Join("..", "..", "docs", "cli.md"), synopsisMarker, "```\n", ""},
		{"main.go", "// Usage:\n//\n", "//\n", "//\t"},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		i := strings.Index(text, tt.start)
		if i < 0 {
			t.Fatalf("%s has no %q", tt.file, tt.start)
		}
		i += len(tt.start)
		j := strings.Index(text[i:], tt.end)
		if j < 0 {
			t.Fatalf("%s: no %q after %q", tt.file, tt.end, tt.start)
		}
		j += i
		var want strings.Builder
		for _, l := range lines {
			want.WriteString(tt.prefix + l + "\n")
		}
		if text[i:j] == want.String() {
			continue
		}
		if !*update {
			t.Errorf("%s's synopses are not the command table's; run go test ./cmd/strata -run TestSynopsesUpToDate -update\ngot:\n%s\nwant:\n%s", tt.file, text[i:j], want.String())
			continue
		}
		if err := os.WriteFile(tt.file, []byte(text[:i]+want.String()+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCommandTable checks the table itself: every command has a summary,
// its flags parse, its argument counts agree with its synopsis, and no
// two flags of a command share a name (flag.Var would panic).
func TestCommandTable(t *testing.T) {
	seen := map[string]bool{}
	for _, cmd := range commands {
		if seen[cmd.name] {
			t.Errorf("command %q is in the table twice", cmd.name)
		}
		seen[cmd.name] = true
		if cmd.summary == "" || strings.HasSuffix(cmd.summary, ".") {
			t.Errorf("%s: summary %q: want a lower-case phrase without a final period", cmd.name, cmd.summary)
		}
		f, _ := cmd.flagsOf(&cli{})
		for _, d := range f.list {
			if d.usage == "" {
				t.Errorf("%s: flag %v has no usage", cmd.name, d.names)
			}
		}
		optional := strings.HasPrefix(cmd.args, "[")
		if cmd.args != "" && !cmd.raw && (cmd.min == 0) != optional {
			t.Errorf("%s: args %q with at least %d", cmd.name, cmd.args, cmd.min)
		}
		if cmd.args == "" && cmd.max != 0 {
			t.Errorf("%s: no args in the synopsis, but up to %d", cmd.name, cmd.max)
		}
	}
}

// TestFlagsDocumented checks that docs/cli.md names every name of every
// flag outside its generated synopsis, which shows one name of each, and
// that docs/lint.md, lint's reference, names every name of lint's flags.
func TestFlagsDocumented(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("..", "..", "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if i := strings.Index(text, synopsisMarker); i >= 0 {
			j := strings.Index(text[i+len(synopsisMarker):], "```\n")
			text = text[:i] + text[i+len(synopsisMarker)+max(j, 0):]
		}
		return text
	}
	docs := map[string]string{"cli.md": read("cli.md"), "lint.md": read("lint.md")}
	documented := func(doc, name string) bool {
		dash := "--"
		if len(name) == 1 {
			dash = "-"
		}
		return regexp.MustCompile("`" + regexp.QuoteMeta(dash+name) + "[^a-z0-9-]").MatchString(docs[doc])
	}
	global := newFlags("strata")
	global.global(&cli{})
	global.boolVar(new(bool), "version", "")
	for _, d := range global.list {
		for _, n := range d.names {
			if !documented("cli.md", n) {
				t.Errorf("docs/cli.md does not document the global flag %q", n)
			}
		}
	}
	for _, cmd := range commands {
		if cmd.hidden {
			continue
		}
		docs := []string{"cli.md"}
		if cmd.name == "lint" {
			docs = append(docs, "lint.md")
		}
		f, _ := cmd.flagsOf(&cli{})
		for _, d := range f.list {
			if d.global {
				continue
			}
			for _, n := range d.names {
				for _, doc := range docs {
					if !documented(doc, n) {
						t.Errorf("docs/%s does not document %s's flag %q", doc, cmd.name, n)
					}
				}
			}
		}
	}
}

// TestDocLinks checks that every relative link of README.md and of the
// pages under docs/ names a file of the repository and, when it names a
// heading of a Markdown page (page.md#heading, or #heading in the same
// page), a heading that page has, as GitHub makes anchors of them.
func TestDocLinks(t *testing.T) {
	pages := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(repoRoot, "docs"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, _ := filepath.Rel(repoRoot, path)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]map[string]bool{} // page -> its headings' anchors
	anchorsOf := func(page string) map[string]bool {
		if a, ok := anchors[page]; ok {
			return a
		}
		data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		anchors[page] = headingAnchors(string(data))
		return anchors[page]
	}
	for _, page := range pages {
		data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range markdownLinks(string(data)) {
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			to := page
			if file != "" {
				to = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(page), file)))
				if to == ".." || strings.HasPrefix(to, "../") {
					t.Errorf("%s: link %q leaves the repository", page, target)
					continue
				}
				if _, err := os.Stat(filepath.Join(repoRoot, filepath.FromSlash(to))); err != nil {
					t.Errorf("%s: link %q names no file of the repository", page, target)
					continue
				}
			}
			if anchor != "" && strings.HasSuffix(to, ".md") && !anchorsOf(to)[anchor] {
				t.Errorf("%s: link %q names no heading of %s", page, target, to)
			}
		}
	}
}

// markdownLink matches an inline link or image, [text](target "title"), and
// a link reference definition, [label]: target.
var markdownLink = regexp.MustCompile(`\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|(?m)^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)`)

// markdownLinks returns the targets of the links of a Markdown page,
// outside fenced code blocks and code spans.
func markdownLinks(doc string) []string {
	var out []string
	for _, line := range proseLines(doc) {
		line = codeSpan.ReplaceAllString(line, "``")
		for _, m := range markdownLink.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1]+m[2])
		}
	}
	return out
}

// codeSpan matches a code span of one line.
var codeSpan = regexp.MustCompile("`+[^`]*`+")

// proseLines returns the lines of a Markdown page outside fenced code
// blocks.
func proseLines(doc string) []string {
	var out []string
	fence := ""
	for _, line := range strings.Split(doc, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
		case strings.HasPrefix(trimmed, "```"), strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
		default:
			out = append(out, line)
		}
	}
	return out
}

// headingAnchors returns the anchors GitHub gives the headings of a
// Markdown page: the text lower-cased, without punctuation but '-' and '_',
// spaces made '-', a repeated anchor numbered from -1.
func headingAnchors(doc string) map[string]bool {
	anchors := map[string]bool{}
	seen := map[string]int{}
	for _, line := range proseLines(doc) {
		text, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " ")
		if !ok || !strings.HasPrefix(line, "#") || len(line)-len(strings.TrimLeft(line, "#")) > 6 {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(text)) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			anchors[fmt.Sprintf("%s-%d", a, n)] = true
		} else {
			anchors[a] = true
		}
		seen[a]++
	}
	return anchors
}

// TestREADMEFrontDoor checks that the README stays a front door, the
// reference being in docs/: short, with the two set-up commands a fresh
// clone runs, verbatim.
func TestREADMEFrontDoor(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 10<<10 {
		t.Errorf("README.md is %d bytes; keep it under 10 KiB and move reference material to docs/", len(data))
	}
	setUp := docSection(t, "README.md", "Set up")
	for _, cmd := range []string{"go run ./cmd/strata config view", "go test ./..."} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(cmd) + `(\s|$)`).MatchString(setUp) {
			t.Errorf("README.md's Set up section lacks the command %q", cmd)
		}
	}
}

// TestActionDocumented checks that docs/lint.md names every input and
// output of the GitHub Action, as code spans.
func TestActionDocumented(t *testing.T) {
	a := readAction(t)
	section := docSection(t, "docs/lint.md", "In GitHub Actions")
	for kind, names := range map[string][]string{"input": slices.Collect(maps.Keys(a.Inputs)), "output": slices.Collect(maps.Keys(a.Outputs))} {
		for _, name := range names {
			if !strings.Contains(section, "`"+name+"`") && !strings.Contains(section, "`"+name+":") {
				t.Errorf("docs/lint.md's section \"In GitHub Actions\" does not name the action's %s %q", kind, name)
			}
		}
	}
}

// TestDocTranscripts runs every transcript of the reference, a code block
// that starts with "$ ", its first line a command (variables first, then
// strata and its arguments) and the rest what it prints, in an empty
// directory with an empty home and no other PREFECT_ variable, and checks
// that it prints that.
func TestDocTranscripts(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	pages = append(pages, filepath.Join(repoRoot, "README.md"))
	found := 0
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range transcript.FindAllStringSubmatch(string(data), -1) {
			found++
			name, _ := filepath.Rel(repoRoot, page)
			t.Run(filepath.ToSlash(name)+": "+m[1], func(t *testing.T) {
				dir := t.TempDir()
				t.Chdir(dir)
				t.Setenv("HOME", dir)
				for _, kv := range os.Environ() {
					if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(strings.ToUpper(k), "PREFECT_") || strings.HasPrefix(k, "STRATA_") || k == "VIRTUAL_ENV" {
						t.Setenv(k, "")
						os.Unsetenv(k)
					}
				}
				words := strings.Fields(m[1])
				for len(words) > 0 && strings.Contains(words[0], "=") {
					k, v, _ := strings.Cut(words[0], "=")
					t.Setenv(k, v)
					words = words[1:]
				}
				if len(words) == 0 || words[0] != "strata" {
					t.Fatalf("the transcript's command %q does not run strata", m[1])
				}
				var stdout, stderr bytes.Buffer
				run(words[1:], &stdout, &stderr)
				if got := stdout.String() + stderr.String(); got != m[2] {
					t.Errorf("%s prints\n%s\nthe documentation says\n%s", m[1], got, m[2])
				}
			})
		}
	}
	if found == 0 {
		t.Error("the documentation has no transcript; this test would check nothing")
	}
}

// transcript matches a fenced block of a command and its output.
var transcript = regexp.MustCompile("(?m)^```\n\\$ ([^\n]+)\n((?s:.*?))^```$")

// TestDocReleaseRange checks that the range of supported Prefect releases
// the README and the reference state is release.Oldest to release.Newest,
// and that a number of releases they give is release.Known's.
func TestDocReleaseRange(t *testing.T) {
	want := []string{release.Oldest().String(), release.Newest().String()}
	for _, name := range []string{"README.md", "docs/cli.md"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range releaseCount.FindAllStringSubmatch(string(data), -1) {
			if m[1] != fmt.Sprint(len(release.Known())) {
				t.Errorf("%s speaks of %s releases; release.Known has %d", name, m[1], len(release.Known()))
			}
		}
		ms := releaseRange.FindAllStringSubmatch(string(data), -1)
		if len(ms) == 0 {
			t.Errorf("%s does not say which releases are supported (\"release from X to Y\")", name)
		}
		for _, m := range ms {
			if got := m[1:]; !slices.Equal(got, want) {
				t.Errorf("%s says releases from %s to %s are supported; release.Oldest and release.Newest are %s and %s", name, got[0], got[1], want[0], want[1])
			}
		}
	}
}

// releaseCount matches a number of releases.
var releaseCount = regexp.MustCompile(`\b(\d+)\s+releases\b`)

// releaseRange matches the statement of the supported releases.
var releaseRange = regexp.MustCompile(`release\s+from\s+(\d+\.\d+\.\d+)\s+to\s+(\d+\.\d+\.\d+)`)

// docSection returns the section of a page of the repository (a path
// relative to its root) under the level-2 heading given, up to the next
// one; it fails the test when the page has no such section.
func docSection(t *testing.T, page, heading string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(page)))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("%s has no section %q", page, heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// TestDocSettingCount keeps the pages' count of the newest release's
// settings ("225 settings", "225 of the newest release") equal to the
// schema's.
func TestDocSettingCount(t *testing.T) {
	want := fmt.Sprint(schema.Newest().Len())
	for _, name := range []string{"README.md", "docs/cli.md", "docs/design.md", "docs/library.md"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range settingCount.FindAllStringSubmatch(string(data), -1) {
			if n := m[1] + m[2]; n != want {
				t.Errorf("%s: %q; the newest release has %s settings", name, m[0], want)
			}
		}
	}
}

// settingCount matches a count of the newest release's settings.
var settingCount = regexp.MustCompile(`(?:\b(\d{3}) settings\b|\((\d+) of\s+the\s+newest\s+release)`)

// TestDependenciesDocumented checks that docs/design.md, which says what
// each dependency is for, names every module go.mod requires directly.
func TestDependenciesDocumented(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	design := docSection(t, "docs/design.md", "Dependencies")
	found := 0
	for _, line := range strings.Split(string(mod), "\n") {
		f := strings.Fields(line)
		if len(f) == 1 && f[0] == "require" || len(f) < 2 || strings.Contains(line, "// indirect") || !strings.Contains(f[0], ".") {
			continue
		}
		if f[0] == "require" {
			f = f[1:]
		}
		found++
		if !strings.Contains(design, "`"+f[0]) {
			t.Errorf("docs/design.md's section \"Dependencies\" does not say what %s is for", f[0])
		}
	}
	if found == 0 {
		t.Error("go.mod requires no module; this test would check nothing")
	}
}
