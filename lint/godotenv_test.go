package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/joho/godotenv"
)

// TestGodotenvBindings checks that the earlier bindings a statement is read
// after come back from godotenv unchanged.
func TestGodotenvBindings(t *testing.T) {
	for _, v := range []string{
		"", "plain", " spaced ", `back\slash`, `\n "quoted"`, "$HOME", "${HOME}", "multi\nline", `#hash`, "a # b",
		"it's", `it's \n "quoted" x`, "it's $HOME", `it's \$HOME`, "it's\r\nmulti", `"it's"x`, `\"it's`, "it's\\n", `plain"`,
	} {
		b, ok := bindings(map[string]string{"X": v}, []byte("$X"))
		if !ok {
			t.Errorf("%q: cannot be written", v)
			continue
		}
		got, err := godotenv.UnmarshalBytes(b)
		if err != nil || got["X"] != v {
			t.Errorf("%q: godotenv reads %q, %v", v, got["X"], err)
		}
	}
	for _, v := range []string{`it's "quoted"`, `trailing\`} {
		if b, ok := bindings(map[string]string{"X": v}, []byte("$X")); ok {
			t.Errorf("%q: written as %q, which godotenv cannot read back", v, b)
		}
	}
}

// TestGodotenvContext: a statement is read after the bindings it expands,
// even one that cannot be written back single-quoted.
func TestGodotenvContext(t *testing.T) {
	dir := t.TempDir()
	data := "B=\"it's\"\nPREFECT_SERVER_UI_API_URL=http://$B/x\n"
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, err := Run(Options{Dir: dir, Paths: []string{".env"}, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	want := `.env:2:1: info: godotenv reads PREFECT_SERVER_UI_API_URL="http://it's/x", python-dotenv (Prefect) reads PREFECT_SERVER_UI_API_URL="http://$B/x"`
	for _, f := range fs {
		if strings.HasPrefix(f.String(), want) {
			return
		}
	}
	t.Errorf("no finding %s in %v", want, fs)
}
