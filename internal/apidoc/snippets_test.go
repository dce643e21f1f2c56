package apidoc

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// snippet is a ```go block of a page: its body and where it starts.
type snippet struct {
	file string // relative to the module's root
	line int    // of the block's first line of code
	code string
}

// docSnippets returns the Go blocks of README.md, CONTRIBUTING.md and the
// pages under docs/.
func docSnippets(t *testing.T) []snippet {
	t.Helper()
	pages := []string{"README.md", "CONTRIBUTING.md"}
	more, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	for _, m := range more {
		rel, _ := filepath.Rel(root, m)
		pages = append(pages, filepath.ToSlash(rel))
	}
	var out []snippet
	for _, page := range pages {
		f, err := os.Open(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		var cur *snippet
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			switch {
			case cur == nil && strings.TrimSpace(line) == "```go":
				cur = &snippet{file: page, line: n + 1}
			case cur != nil && strings.TrimSpace(line) == "```":
				out = append(out, *cur)
				cur = nil
			case cur != nil:
				cur.code += line + "\n"
			}
		}
		f.Close()
	}
	return out
}

// snippetPrelude declares what the pages' snippets take as given: the
// imports, and the few values a reader's program already has (a context,
// a koanf instance, an HTTP handler, a deployment file's input).
const snippetPrelude = `package apidoc

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"sync/atomic"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"

	"github.com/strata-settings/strata/deploy"
	"github.com/strata-settings/strata/koanfprovider"
	"github.com/strata-settings/strata/settings"
	"github.com/strata-settings/strata/settings/secure"
)

var (
	ctx     context.Context
	k       = koanf.New(".")
	api     http.Handler
	current atomic.Pointer[settings.Result]
	in      *deploy.Input
	r       *settings.Result

	_ = fmt.Println
	_ = log.Fatal
	_ = yaml.Parser
	_ = file.Provider
	_ = koanfprovider.New
	_ = secure.NewClient
)
`

// TestDocSnippetsCompile type-checks every Go block of the README and the
// pages under docs/, each as the body of a function, against the packages
// it uses: a renamed function or field breaks the test, not the reader's
// first program. Variables a block declares and leaves unused are allowed.
func TestDocSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the module's packages")
	}
	snippets := docSnippets(t)
	if len(snippets) == 0 {
		t.Fatal("no Go blocks found in the pages")
	}
	var src strings.Builder
	src.WriteString(snippetPrelude)
	type span struct {
		from int // first line of the block in src
		s    snippet
	}
	var spans []span
	lines := strings.Count(snippetPrelude, "\n")
	for i, s := range snippets {
		fmt.Fprintf(&src, "\nfunc _snippet%d() {\n", i)
		lines += 2
		spans = append(spans, span{lines + 1, s})
		src.WriteString(s.code)
		lines += strings.Count(s.code, "\n")
		src.WriteString("}\n")
		lines++
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(abs, "internal", "apidoc", "zz_doc_snippets.go")
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:     abs,
		Overlay: map[string][]byte{name: []byte(src.String())},
	}
	pkgs, err := packages.Load(cfg, "./internal/apidoc")
	if err != nil {
		t.Fatal(err)
	}
	where := func(line int) string {
		for i := len(spans) - 1; i >= 0; i-- {
			if line >= spans[i].from {
				return fmt.Sprintf("%s:%d", spans[i].s.file, spans[i].s.line+line-spans[i].from)
			}
		}
		return fmt.Sprintf("prelude line %d", line)
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if strings.Contains(e.Msg, "declared and not used") {
				continue
			}
			pos := e.Pos
			if file, rest, ok := strings.Cut(pos, "zz_doc_snippets.go:"); ok && file != "" {
				var line int
				fmt.Sscanf(rest, "%d", &line)
				pos = where(line)
			}
			t.Errorf("%s: %s", pos, e.Msg)
		}
	}
}
