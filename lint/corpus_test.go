package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestCorpus lints the realistic settings files of testdata/corpus, one a
// txtar archive: the archive's comment says what the file is, its files
// are linted by name, and its want file holds the exact findings, empty
// for a clean file. -update rewrites the want files.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 30 {
		t.Fatalf("only %d corpus files", len(paths))
	}
	clean := 0
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var names []string
			wantAt := -1
			for i, f := range ar.Files {
				if f.Name == "want" {
					wantAt = i
					continue
				}
				write(t, dir, map[string]string{f.Name: string(f.Data)})
				names = append(names, f.Name)
			}
			if wantAt < 0 {
				t.Fatal("no want file")
			}
			// Secrets in files depend on git, and have tests of their own.
			fs, err := Run(Options{Dir: dir, Paths: names, Home: filepath.Join(dir, "home"), Disabled: []string{RuleSecretInFile}})
			if err != nil {
				t.Fatal(err)
			}
			got := lines(fs)
			if strings.HasPrefix(filepath.Base(path), "clean-") {
				clean++
				if got != "" {
					t.Errorf("a clean file raises findings:\n%s", got)
				}
			}
			if want := string(ar.Files[wantAt].Data); got != want {
				if !*update {
					t.Errorf("got:\n%s\nwant:\n%s", got, want)
					return
				}
				ar.Files[wantAt].Data = []byte(got)
				if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	if clean < 8 {
		t.Errorf("only %d clean corpus files", clean)
	}
}
