package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/diag"
	"github.com/strata-settings/strata/sources"
)

// applyFix makes the edits of fix on data, the contents of one file.
func applyFix(t *testing.T, data []byte, fix diag.Fix) []byte {
	t.Helper()
	edits := slices.Clone(fix.Edits)
	slices.SortFunc(edits, func(a, b diag.Edit) int { return -diag.ComparePos(a.Pos, b.Pos) }) // last first
	for _, e := range edits {
		start, end, ok := byteSpan(data, e.Pos)
		if !ok {
			t.Fatalf("edit %+v outside the file", e)
		}
		data = slices.Concat(data[:start], []byte(e.NewText), data[end:])
	}
	return data
}

// TestFixes: the common findings carry the edit that fixes them, and the
// file fixed so no longer has the finding; where an edit would break the
// file or change another value, there is none.
func TestFixes(t *testing.T) {
	tests := []struct {
		name string
		file string // its name
		text string
		rule string
		want string // the file after the finding's fix; "" for no fix
	}{
		{"legacy alias in .env", ".env", "A=1\nPREFECT_UI_API_URL=http://x/api # ui\n", RuleLegacyAlias,
			"A=1\nPREFECT_SERVER_UI_API_URL=http://x/api # ui\n"},
		{"legacy alias beside its canonical name", ".env", "PREFECT_UI_API_URL=http://x/api\nPREFECT_SERVER_UI_API_URL=http://y/api\n", RuleLegacyAlias, ""},
		{"legacy alias in a profile", "home/.prefect/profiles.toml", "active = \"a\"\n[profiles.a]\nPREFECT_UI_API_URL = \"http://x/api\"\n", RuleLegacyAlias,
			"active = \"a\"\n[profiles.a]\nPREFECT_SERVER_UI_API_URL = \"http://x/api\"\n"},
		{"misspelt name in .env", ".env", "export PREFECT_API_ULR=http://x/api\n", RuleUnknownSetting, "export PREFECT_API_URL=http://x/api\n"},
		{"misspelt key under a header", "prefect.toml", "[server.api]\nprot = 4300\n", RuleUnknownSetting, "[server.api]\nport = 4300\n"},
		{"misspelt key beside the key it means", "prefect.toml", "[server.api]\nport = 4200\nprot = 4300\n", RuleUnknownSetting, ""},
		{"misspelt dotted key beside the key it means", "pyproject.toml", "[tool.prefect]\nserver.api.port = 4200\nserver.api.prot = 4300\n", RuleUnknownSetting, ""},
		{"misspelt dotted key", "prefect.toml", "server.api.prot = 4300\n", RuleUnknownSetting, "server.api.port = 4300\n"},
		{"misspelt name in a profile", "home/.prefect/profiles.toml", "[profiles.a]\nPREFECT_API_URLL = \"x\"\n", RuleUnknownSetting,
			"[profiles.a]\nPREFECT_API_URL = \"x\"\n"},
		{"[ui] api_url moves to [server.ui]", "prefect.toml", "[ui]\napi_url = \"http://x/api\"\n", RuleUITable, "[server.ui]\napi_url = \"http://x/api\"\n"},
		{"[ui] when [server.ui] exists", "prefect.toml", "[server.ui]\nenabled = true\n[ui]\napi_url = \"http://x/api\"\n", RuleUITable, ""},
		{"ui.api_url as a dotted key", "prefect.toml", "ui.api_url = \"http://x/api\"\n", RuleUITable, "server.ui.api_url = \"http://x/api\"\n"},
		{"[ui] of pyproject.toml", "pyproject.toml", "[tool.prefect.ui]\napi_url = \"http://x/api\"\n", RuleUITable,
			"[tool.prefect.server.ui]\napi_url = \"http://x/api\"\n"},
		{"a table in another case", "prefect.toml", "[API]\nurl = \"http://x/api\"\n", RuleIgnoredKey, "[api]\nurl = \"http://x/api\"\n"},
		{"an environment name in pyproject.toml", "pyproject.toml", "[tool.prefect]\nPREFECT_API_URL = \"http://x/api\"\n", RuleIgnoredKey,
			"[tool.prefect]\napi.url = \"http://x/api\"\n"},
		{"an environment name whose path a table takes", "pyproject.toml", "[tool.prefect]\nPREFECT_API_URL = \"http://x/api\"\n[tool.prefect.api]\nkey = \"k\"\n", RuleIgnoredKey, ""},
		{"an environment name whose path an escaped key takes", "pyproject.toml", "[tool.prefect]\nPREFECT_API_URL = \"http://x/api\"\n\"\\u0061pi\" = { key = \"k\" }\n", RuleIgnoredKey, ""},
		{"a profile key written twice once renamed", "home/.prefect/profiles.toml", "[profiles.a]\nprefect_api_url = \"x\"\nPREFECT_API_URL = \"y\"\n", RuleIgnoredKey, ""},
		{"a quoted dotted key", "prefect.toml", "\"server.api.port\" = 4300\n", RuleIgnoredKey, "server.api.port = 4300\n"},
		{"a lower-case profile key", "home/.prefect/profiles.toml", "[profiles.a]\nprefect_api_url = \"x\"\n", RuleIgnoredKey, "[profiles.a]\nPREFECT_API_URL = \"x\"\n"},
		{"an accessor in a profile", "home/.prefect/profiles.toml", "[profiles.a]\napi.url = \"x\"\n", RuleIgnoredKey, "[profiles.a]\nPREFECT_API_URL = \"x\"\n"},
		{"a profile outside [profiles]", "home/.prefect/profiles.toml", "[dev]\nPREFECT_API_URL = \"x\"\n", RuleOutsideProfile, "[profiles.dev]\nPREFECT_API_URL = \"x\"\n"},
		{"[tool.Prefect]", "pyproject.toml", "[project]\ndependencies = [\"prefect\"]\n[tool.Prefect]\napi.url = \"x\"\n", RuleIgnoredKey,
			"[project]\ndependencies = [\"prefect\"]\n[tool.prefect]\napi.url = \"x\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{tt.file: tt.text})
			opts := Options{Dir: dir, Home: filepath.Join(dir, "home")}
			fs, err := Run(opts)
			if err != nil {
				t.Fatal(err)
			}
			var f *Finding
			for i := range fs {
				if fs[i].Rule == tt.rule {
					f = &fs[i]
					break
				}
			}
			if f == nil {
				t.Fatalf("no %s finding:\n%s", tt.rule, lines(fs))
			}
			if tt.want == "" {
				if len(f.Fixes) > 0 {
					t.Errorf("fix %+v; want none", f.Fixes)
				}
				return
			}
			if len(f.Fixes) != 1 {
				t.Fatalf("%d fixes; want 1: %s", len(f.Fixes), f)
			}
			for _, e := range f.Fixes[0].Edits {
				if filepath.ToSlash(e.Pos.File) != tt.file {
					t.Errorf("edit of %s; want %s", e.Pos.File, tt.file)
				}
			}
			got := applyFix(t, []byte(tt.text), f.Fixes[0])
			if string(got) != tt.want {
				t.Fatalf("fixed:\n%s\nwant:\n%s", got, tt.want)
			}
			if err := os.WriteFile(filepath.Join(dir, tt.file), got, 0o644); err != nil {
				t.Fatal(err)
			}
			again, err := Run(opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range again {
				if g.Rule == tt.rule || g.Rule == RuleSyntax {
					t.Errorf("after the fix: %s", g)
				}
			}
		})
	}
}

// TestFixesSpanTheKey: a finding about a key spans it, so that tools can
// underline it.
func TestFixesSpanTheKey(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"prefect.toml": "[server.api]\n  prot = 1\n", ".env": "PREFECT_API_ULR=x\n"})
	fs, err := Run(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, spanOf(f.Pos))
	}
	if want := ".env:1:1-1:16 prefect.toml:2:3-2:7"; strings.Join(got, " ") != want {
		t.Errorf("spans %s; want %s", strings.Join(got, " "), want)
	}
}

func spanOf(p sources.Position) string {
	return fmt.Sprintf("%s-%d:%d", p, p.EndLine, p.EndColumn)
}
