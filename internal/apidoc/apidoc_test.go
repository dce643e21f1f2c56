package apidoc

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// root is the module's root, from this package's directory.
const root = "../.."

// publicPackages returns the directories, relative to the module's root and
// slash-separated, of the packages a user can import: every package outside
// internal/, cmd/, testdata/ and third_party/.
func publicPackages(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if rel != "." && (strings.HasPrefix(name, ".") || name == "internal" || name == "testdata" || name == "third_party" || rel == "cmd") {
			return filepath.SkipDir
		}
		files, _ := filepath.Glob(filepath.Join(p, "*.go"))
		if slices.ContainsFunc(files, func(f string) bool { return !strings.HasSuffix(f, "_test.go") }) {
			dirs = append(dirs, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// parsePackage parses the non-test files of the package in dir, every
// build constraint's included.
func parsePackage(t *testing.T, dir string) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	names, _ := filepath.Glob(filepath.Join(root, dir, "*.go"))
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// startsWith reports whether the doc comment names name first, as Go's
// documentation conventions ask, an article allowed before it.
func startsWith(doc *ast.CommentGroup, name string) bool {
	if doc == nil {
		return false
	}
	text := doc.Text()
	for _, article := range []string{"A ", "An ", "The "} {
		text = strings.TrimPrefix(text, article)
	}
	rest, ok := strings.CutPrefix(text, name)
	return ok && (rest == "" || !isIdentRune(rest[0]))
}

func isIdentRune(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// receiverName returns the name of a method's receiver type.
func receiverName(fd *ast.FuncDecl) string {
	typ := fd.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	switch x := typ.(type) {
	case *ast.IndexExpr:
		typ = x.X
	case *ast.IndexListExpr:
		typ = x.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// TestExportedNamesAreDocumented: every exported name of a public package
// has a doc comment that starts with its name. A constant or variable of a
// parenthesised group may share the group's comment instead.
func TestExportedNamesAreDocumented(t *testing.T) {
	for _, dir := range publicPackages(t) {
		fset, files := parsePackage(t, dir)
		for _, f := range files {
			where := func(n ast.Node) string {
				p := fset.Position(n.Pos())
				return path.Join(dir, filepath.Base(p.Filename)) + ":" + strconv.Itoa(p.Line)
			}
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() || d.Recv != nil && !ast.IsExported(receiverName(d)) {
						continue
					}
					if !startsWith(d.Doc, d.Name.Name) {
						t.Errorf("%s: %s has no doc comment starting with its name", where(d), d.Name.Name)
					}
				case *ast.GenDecl:
					grouped := d.Lparen.IsValid()
					for _, spec := range d.Specs {
						switch s := spec.(type) {
						case *ast.TypeSpec:
							doc := s.Doc
							if doc == nil && !grouped {
								doc = d.Doc
							}
							if s.Name.IsExported() && !startsWith(doc, s.Name.Name) {
								t.Errorf("%s: type %s has no doc comment starting with its name", where(s), s.Name.Name)
							}
						case *ast.ValueSpec:
							for _, n := range s.Names {
								if !n.IsExported() {
									continue
								}
								switch {
								case s.Doc != nil:
									if !slices.ContainsFunc(s.Names, func(m *ast.Ident) bool { return startsWith(s.Doc, m.Name) }) {
										t.Errorf("%s: the doc comment of %s does not start with its name", where(s), n.Name)
									}
								case grouped:
									if d.Doc == nil {
										t.Errorf("%s: %s has no doc comment, nor has its group", where(s), n.Name)
									}
								case !startsWith(d.Doc, n.Name):
									t.Errorf("%s: %s has no doc comment starting with its name", where(s), n.Name)
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestNoExportedVariables: a public package exports no variable but an
// error sentinel (ErrNotSettingsFile): any importer could reassign one and
// change what every other caller in the process gets. A table is a
// function returning a copy (release.Switches, settings.Precedence).
func TestNoExportedVariables(t *testing.T) {
	for _, dir := range publicPackages(t) {
		fset, files := parsePackage(t, dir)
		for _, f := range files {
			for _, decl := range f.Decls {
				d, ok := decl.(*ast.GenDecl)
				if !ok || d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						if n.IsExported() && !strings.HasPrefix(n.Name, "Err") {
							p := fset.Position(n.Pos())
							t.Errorf("%s:%d: exported variable %s.%s; make it a function, or unexported", path.Join(dir, filepath.Base(p.Filename)), p.Line, path.Base(dir), n.Name)
						}
					}
				}
			}
		}
	}
}

// TestPackagesListed: the list of public packages in the Packages section
// of docs/library.md names exactly the public packages, so that making a
// package public, or internal, is a decision the documentation records.
func TestPackagesListed(t *testing.T) {
	const file = "docs/library.md"
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	section := packagesSection(string(data))
	if section == "" {
		t.Fatalf("%s has no Packages section", file)
	}
	isPackage := func(dir string) bool {
		files, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(dir), "*.go"))
		return len(files) > 0
	}
	listed := map[string]bool{}
	for _, item := range strings.Split(section, "\n- ")[1:] {
		item, _, _ = strings.Cut(item, "\n\n") // the list ends at a blank line
		for _, m := range backticked.FindAllStringSubmatch(item, -1) {
			if isPackage(m[1]) {
				listed[m[1]] = true
			}
		}
	}
	public := publicPackages(t)
	for _, dir := range public {
		if !listed[dir] {
			t.Errorf("%s: the Packages section does not list the public package %s", file, dir)
		}
	}
	for dir := range listed {
		if !slices.Contains(public, dir) {
			t.Errorf("%s: the Packages section lists %s among the public packages, which is not one", file, dir)
		}
	}
}

// backticked matches a code span that may name a package directory.
var backticked = regexp.MustCompile("`([a-z][a-z0-9]*(?:/[a-z][a-z0-9]*)*)`")

// packagesSection returns the text of the section headed "Packages" (at
// any level), up to the next heading of the same or a higher level.
func packagesSection(doc string) string {
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		level := len(l) - len(strings.TrimLeft(l, "#"))
		if level == 0 || strings.TrimSpace(l[level:]) != "Packages" {
			continue
		}
		end := len(lines)
		for j := i + 1; j < len(lines); j++ {
			if k := len(lines[j]) - len(strings.TrimLeft(lines[j], "#")); k > 0 && k <= level && strings.HasPrefix(lines[j][k:], " ") {
				end = j
				break
			}
		}
		return strings.Join(lines[i+1:end], "\n")
	}
	return ""
}
