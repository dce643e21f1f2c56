package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the command synopses of README.md and main.go from the command table")

// TestSynopsesUpToDate checks that the README's "Commands" block and the
// usage block of main.go's doc comment are the command table's synopses;
// -update rewrites them.
func TestSynopsesUpToDate(t *testing.T) {
	lines := synopses()
	tests := []struct {
		file, start, end, prefix string
	}{
		{filepath.Join("..", "..", "README.md"), "## Commands\n\n```\n", "```\n", ""},
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
