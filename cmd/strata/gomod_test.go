package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// codeNeeds is the Go release Strata's own code needs: errors.AsType came
// in Go 1.26.
const codeNeeds = "1.26.0"

// TestGoVersion checks go.mod's go line: what the code or a dependency
// needs, no more, since go install and pre-commit's golang hooks fetch
// any newer toolchain the line names; and the README's "Go X.Y or later",
// and any the documentation in docs/ says, agree with it.
func TestGoVersion(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var goLine string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go "); ok {
			goLine = strings.TrimSpace(v)
		}
	}
	cmd := exec.Command("go", "list", "-m", "-json", "all")
	cmd.Dir = repoRoot
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -m all: %v", err)
	}
	want, by := codeNeeds, "the code"
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m struct {
			Path      string
			Main      bool
			GoVersion string
		}
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		if !m.Main && m.GoVersion != "" && goLess(want, m.GoVersion) {
			want, by = m.GoVersion, m.Path
		}
	}
	if goLine != want {
		t.Errorf("go.mod says go %s; %s needs go %s, and nothing more", goLine, by, want)
	}
	docs, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	orLater := regexp.MustCompile(`Go (\d+\.\d+(?:\.\d+)?) or later`)
	for _, name := range append([]string{filepath.Join(repoRoot, "README.md")}, docs...) {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(repoRoot, name)
		ms := orLater.FindAllSubmatch(text, -1)
		if len(ms) == 0 && rel == "README.md" {
			t.Errorf("README.md does not say \"Go %s or later\" (go.mod: go %s)", want, goLine)
		}
		for _, m := range ms {
			if !strings.HasPrefix(want+".", string(m[1])+".") {
				t.Errorf("%s says \"Go %s or later\"; go.mod says go %s", filepath.ToSlash(rel), m[1], goLine)
			}
		}
	}
}

// goLess reports whether Go version a is older than b: "1.26" < "1.26.0"
// < "1.26.8", as the go command orders a language version before its
// releases.
func goLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		if i >= len(pa) || i >= len(pb) {
			return len(pa) < len(pb)
		}
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return false
}
