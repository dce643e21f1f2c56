package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the list of lint rules in docs/lint.md")

const (
	docRulesStart = "<!-- lint rules: from lint/finding.go by go test ./lint -run TestDocRules -update -->\n"
	docRulesEnd   = "<!-- end of lint rules -->\n"
)

// TestDocRules checks that docs/lint.md lists every rule of the rule
// table, one line each; -update rewrites the list.
func TestDocRules(t *testing.T) {
	path := filepath.Join("..", "docs", "lint.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte(docRulesStart))
	j := bytes.Index(data, []byte(docRulesEnd))
	if i < 0 || j < i {
		t.Fatalf("docs/lint.md lacks the markers %q and %q", docRulesStart, docRulesEnd)
	}
	var b strings.Builder
	for _, r := range Rules() {
		b.WriteString("- `" + r.ID + "` (" + r.Severity.String() + "): " + r.Summary + "\n")
	}
	got := string(data[i+len(docRulesStart) : j])
	if got == b.String() {
		return
	}
	if !*update {
		t.Fatalf("docs/lint.md's rule list is stale; run go test ./lint -run TestDocRules -update\ngot:\n%s\nwant:\n%s", got, b.String())
	}
	out := append(append(append([]byte{}, data[:i+len(docRulesStart)]...), b.String()...), data[j:]...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRuleAliases checks that a former rule id still names its rule.
func TestRuleAliases(t *testing.T) {
	for old, id := range ruleAliases {
		if r, ok := LookupRule(old); !ok || r.ID != id {
			t.Errorf("LookupRule(%q) = %q, %v; want %q", old, r.ID, ok, id)
		}
		if _, ok := LookupRule(id); !ok {
			t.Errorf("alias %q names no rule %q", old, id)
		}
	}
}
