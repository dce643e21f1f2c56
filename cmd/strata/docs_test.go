package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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

// TestFlagsDocumented checks that the reference documents every name of
// every flag, outside the generated synopsis, which shows one name of
// each: docs/lint.md for lint's flags, docs/cli.md for the others and the
// global ones.
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
		doc := "cli.md"
		if cmd.name == "lint" {
			doc = "lint.md"
		}
		f, _ := cmd.flagsOf(&cli{})
		for _, d := range f.list {
			if d.global {
				continue
			}
			for _, n := range d.names {
				if !documented(doc, n) {
					t.Errorf("docs/%s does not document %s's flag %q", doc, cmd.name, n)
				}
			}
		}
	}
}
