package sources

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2/unstable"
)

// hostile builds the shapes of files that once took seconds to minutes, or
// gigabytes, to read.
var hostile = struct {
	deepHeader   func(depth int) string
	dottedKeys   func(n int) string
	wideTable    func(n int) string
	dotenvLines  func(n int) string
	dotenvColons func(n int) string
	deepArray    func(depth int) string
	tables       func(n int) string
}{
	deepHeader: func(depth int) string { return "[" + strings.Repeat("a.", depth-1) + "a]\nx = 1\n" },
	dottedKeys: func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "server.g%d.k%d = 1\n", i%500, i)
		}
		return b.String()
	},
	wideTable: func(n int) string {
		var b strings.Builder
		b.WriteString("[t]\n")
		for i := range n {
			fmt.Fprintf(&b, "k%d = 1\n", i)
		}
		return b.String()
	},
	dotenvLines: func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "K%d=v\n", i)
		}
		return b.String()
	},
	tables: func(n int) string {
		var b strings.Builder
		for i := range n {
			if i%25 == 0 {
				fmt.Fprintf(&b, "[server.t%d]\n", i)
			}
			fmt.Fprintf(&b, "k%d = 1\n", i)
		}
		return b.String()
	},
	dotenvColons: func(n int) string { return "A=" + strings.Repeat("${:", n) + "}\n" },
	deepArray:    func(depth int) string { return "a = " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n" },
}

// TestTOMLLimits: documents beyond what any settings file needs are refused
// with the file, the position and the limit, before the decoder sees them,
// by the TOML 1.0 reader and by the toml package's (releases before
// 3.6.14), which also refuses the shapes it would scan again and again (it
// rescans a line for every '=' or ',' in it) past a bound no settings file
// comes near. pkg is the toml package reader's refusal where it differs
// ("-": none, the file is the TOML 1.0 reader's concern alone).
// manyKeysThen is file after a table of 100 keys: its tables are counted
// past the first keys' (smallTables).
func manyKeysThen(file string) string {
	var b strings.Builder
	b.WriteString("[pre]\n")
	for i := range 100 {
		fmt.Fprintf(&b, "p%d = 1\n", i)
	}
	return b.String() + file
}

func TestTOMLLimits(t *testing.T) {
	const rescan = "f.toml:1:1: reading this file would take the toml package (Prefect's TOML parser before 3.6.14) more than 20000000 steps: no settings file needs that"
	tests := []struct{ name, file, want, pkg string }{
		{"deep table header", hostile.deepHeader(40000), "f.toml:1:2: table header more than 32 keys deep: no settings file needs that", ""},
		{"deep dotted key", strings.Repeat("a.", 40) + "a = 1\n", "f.toml:1:1: key more than 32 keys deep: no settings file needs that", ""},
		{"deep key under a table", "[a.b]\n" + strings.Repeat("c.", 30) + "c = 1\n", "f.toml:2:1: key more than 32 keys deep: no settings file needs that", ""},
		{"deep arrays", hostile.deepArray(5000), "f.toml:1:1: arrays and inline tables nested more than 32 deep: no setting needs that",
			"f.toml:1:37: arrays and inline tables nested more than 32 deep: no setting needs that"},
		{"deep inline tables", "a = " + strings.Repeat("{b = ", 40) + "1" + strings.Repeat("}", 40) + "\n", "f.toml:1:161: key more than 32 keys deep: no settings file needs that", ""},
		{"wide table", hostile.wideTable(100000), "f.toml:2002:1: more than 2000 keys in one table: no settings file needs that many", ""},
		{"wide table after many keys", manyKeysThen(hostile.wideTable(100000)), "f.toml:2103:1: more than 2000 keys in one table: no settings file needs that many", ""},
		{"many dotted keys", hostile.dottedKeys(30000), "f.toml:2310:1: too many keys under one table: looking them up would take more than 10000000 steps; no settings file needs that many",
			"f.toml:9500:1: more than 10000 keys: no settings file needs that many"},
		{"many keys", hostile.tables(30000), "f.toml:10000:1: more than 10000 keys: no settings file needs that many", ""},
		{"long string", "a = \"" + strings.Repeat("x", MaxValueLen+1) + "\"\n", "f.toml:1:1: value longer than 1024 KiB: no setting needs that much",
			"f.toml:1:5: value longer than 1024 KiB: no setting needs that much"},
		{"long key", "\"" + strings.Repeat("k", 9000) + "\" = 1\n", "f.toml:1:1: key path longer than 8192 bytes: no setting needs that", ""},
		{"long multi-line string", "a = \"\"\"" + strings.Repeat("x\n", MaxValueLen/2+1) + "\"\"\"\n", "-",
			"f.toml:524290:1: value longer than 1024 KiB: no setting needs that much"},
		{"equals signs", "a=" + strings.Repeat("1=", 1<<20) + "\n", "-", rescan},
		{"commas in an inline table", "a = {" + strings.Repeat("b = x,", 300000) + "}\n", "-", rescan},
		{"backslashes", "a = \"\"\"" + strings.Repeat("\\\\\\\n", 100000) + "\"\"\"\n", "-", strings.Replace(rescan, ":1:1:", ":4472:1:", 1)},
	}
	for _, tt := range tests {
		for _, pkg := range []bool{false, true} {
			want, parse := tt.want, parseTOML
			if pkg {
				want, parse = cmp.Or(tt.pkg, tt.want), parseTOMLPkg
			}
			if want == "-" {
				continue
			}
			for _, pyproject := range []bool{false, true} {
				t.Run(fmt.Sprint(tt.name, pkg, pyproject), func(t *testing.T) {
					_, err := parse("f.toml", []byte(tt.file), pyproject)
					var fe *FileError
					if !errors.As(err, &fe) || err.Error() != want {
						t.Errorf("got %.300v\nwant %s", err, want)
					}
				})
			}
		}
	}
	// At the limits, files still read.
	for _, file := range []string{hostile.deepHeader(MaxDepth - 1), hostile.wideTable(MaxTableKeys), manyKeysThen(hostile.wideTable(MaxTableKeys)), hostile.deepArray(MaxDepth - 1),
		hostile.dottedKeys(2000), hostile.tables(9500), "a = [" + strings.Repeat("1, ", 100000) + "]\n"} {
		for _, parse := range []func(string, []byte, bool) (*tomlDoc, error){parseTOML, parseTOMLPkg} {
			if _, err := parse("f.toml", []byte(file), false); err != nil {
				t.Errorf("%.40q...: %v", file, err)
			}
		}
	}
}

// TestProfilesLimits: a profiles file beyond the limits applies no profile
// and says why, as a *FileError settings.Load treats as an error.
func TestProfilesLimits(t *testing.T) {
	p := writeFile(t, t.TempDir(), "profiles.toml", "active = \"a\"\n"+hostile.deepHeader(40000))
	l, _ := ReadProfiles(&ProfileInput{Environ: map[string]string{"PREFECT_PROFILES_PATH": p}})
	var fe *FileError
	if len(l.Warnings) != 1 || !errors.As(l.Warnings[0], &fe) || !strings.HasSuffix(fe.Error(), "profiles.toml:2:2: table header more than 32 keys deep: no settings file needs that") {
		t.Errorf("warnings %v; want the depth limit", l.Warnings)
	}
	if _, err := ParseProfiles(p, []byte(hostile.wideTable(5000))); !errors.As(err, &fe) {
		t.Errorf("ParseProfiles: %v; want the table limit", err)
	}
}

func TestDotEnvLimits(t *testing.T) {
	long := strings.Repeat("x", 600<<10)
	tests := []struct{ name, file, want string }{
		{"too many bindings", hostile.dotenvLines(MaxKeys + 5), ".env:10001:1: more than 10000 bindings: no settings file needs that many"},
		{"long value", "A=1\nB=" + strings.Repeat("x", MaxValueLen+1) + "\n", ".env:2:1: B: value longer than 1024 KiB: no setting needs that much"},
		{"expansion beyond the value limit", "A=" + long + "\nB=${A}${A}\n", ".env:2:1: B: value longer than 1024 KiB: no setting needs that much"},
		{"expansion beyond the file limit", "A=" + long + "\n" + strings.Repeat("B=${A}\n", 40), ".env:28:1: B: the values with ${VAR} expanded exceed 16 MiB in all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), ".env", tt.file)
			_, err := ReadDotEnv(p, nil)
			var fe *FileError
			if !errors.As(err, &fe) || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("got %v\nwant …%s", err, tt.want)
			}
		})
	}
}

// TestExpandLinear pins python-dotenv's pattern on the shapes the linear
// scan treats specially.
func TestExpandLinear(t *testing.T) {
	seen := map[string]*string{}
	for k, v := range map[string]string{"A": "a", "B:": "no", "": "empty"} {
		seen[k] = &v
	}
	tests := []struct{ in, want string }{
		{"${A}", "a"},
		{"${A:-d}", "a"},
		{"${Z:-d:e}", "d:e"},
		{"${Z:-}", ""},
		{"${}", "empty"},
		{"${:}", "${:}"},
		{"${A:x}", "${A:x}"},
		{"${:${A}", "${:a"},
		{"${A${A}", ""},
		{"${A", "${A"},
		{"${A:-${A}}", "a}"},
		{"x${:${:${:}y", "x${:${:${:}y"},
		{"${Z:-d}${A}${Z:-}", "da"},
		{strings.Repeat("${:", 5) + "${A}", strings.Repeat("${:", 5) + "a"},
	}
	for _, tt := range tests {
		if got, ok := expand(tt.in, seen, nil, 100); !ok || got != tt.want {
			t.Errorf("expand(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// TestPyprojectToolPrefectExactName: Prefect reads [tool.prefect] and no
// other spelling of it.
func TestPyprojectToolPrefectExactName(t *testing.T) {
	for _, file := range []string{
		"[TOOL.Prefect]\napi.url = \"http://x\"\n",
		"[tool.PREFECT]\napi.url = \"http://x\"\n",
		"[Tool.prefect.api]\nurl = \"http://x\"\n",
		"tool.Prefect.api.url = \"http://x\"\n",
	} {
		l, err := ParsePyproject("pyproject.toml", []byte(file))
		if err != nil || len(l.Values) != 0 {
			t.Errorf("%q: %v, values %v; want none", file, err, got(l))
		}
	}
	l, err := ParsePyproject("pyproject.toml", []byte("[TOOL.PREFECT]\napi.url = \"http://no\"\n[tool.prefect]\napi.url = \"http://yes\"\n"))
	if g := strings.Join(got(l), " "); err != nil || g != "api.url=http://yes@pyproject.toml:4:1" {
		t.Errorf("got %v, %s", err, g)
	}
}

// ScanTOMLWork visits each expression as it counts it, stops at the first
// limit passed, and returns the parser's error apart.
func TestScanTOMLWork(t *testing.T) {
	deep := "a" + strings.Repeat(".a", MaxDepth) + " = 1\n"
	for _, tt := range []struct {
		name, doc     string
		visits        int
		limit, syntax bool
	}{
		{"valid", "[t]\na = 1\nb = {c = 2}\n", 3, false, false},
		{"a limit passed", "x = 1\n" + deep + "y = 2\n", 1, true, false},
		{"a syntax error", "x = 1\ny = \n", 1, false, true},
		{"duplicates, for the decoder to refuse", "x = 1\nx = 2\n", 2, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			visits := 0
			limit, syntax := ScanTOMLWork("f.toml", []byte(tt.doc), 1000, func(e *unstable.Node, p *unstable.Parser) { visits++ })
			var fe *FileError
			if visits != tt.visits || errors.As(limit, &fe) != tt.limit || (syntax != nil) != tt.syntax {
				t.Errorf("%d visits, limit %v, syntax %v", visits, limit, syntax)
			}
		})
	}
}
