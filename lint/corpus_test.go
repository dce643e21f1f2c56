package lint

import (
	"os"
	"path/filepath"
	"slices"
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
			// Secrets in files depend on git, and have tests of their own.
			if lintArchive(t, path, func(dir string, names []string, _ map[string][]byte) Options {
				return Options{Dir: dir, Paths: names, Home: filepath.Join(dir, "home"), Disabled: []string{RuleSecretInFile}}
			}) {
				clean++
			}
		})
	}
	if clean < 8 {
		t.Errorf("only %d clean corpus files", clean)
	}
}

// lintArchive lints the files of the txtar archive at path, written in a
// temporary directory, with the options opts makes of the directory, the
// files' names and the archive's files named in special (an environment,
// say), which are not written; the findings must be the archive's want
// file, which -update rewrites, and none for an archive named clean-*. It
// reports whether the archive is a clean one.
func lintArchive(t *testing.T, path string, opts func(dir string, names []string, special map[string][]byte) Options, special ...string) bool {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var names []string
	extra := map[string][]byte{}
	wantAt := -1
	for i, f := range ar.Files {
		switch {
		case f.Name == "want":
			wantAt = i
		case slices.Contains(special, f.Name):
			extra[f.Name] = f.Data
		default:
			write(t, dir, map[string]string{f.Name: string(f.Data)})
			names = append(names, f.Name)
		}
	}
	if wantAt < 0 {
		t.Fatal("no want file")
	}
	fs, err := Run(opts(dir, names, extra))
	if err != nil {
		t.Fatal(err)
	}
	got := lines(fs)
	clean := strings.HasPrefix(filepath.Base(path), "clean-")
	if clean && got != "" {
		t.Errorf("a clean archive raises findings:\n%s", got)
	}
	if want := string(ar.Files[wantAt].Data); got != want {
		if !*update {
			t.Errorf("got:\n%s\nwant:\n%s", got, want)
			return clean
		}
		ar.Files[wantAt].Data = []byte(got)
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return clean
}
