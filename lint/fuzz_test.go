package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzTOML10 scans arbitrary TOML for TOML 1.1 syntax: no panic, and every
// problem lies inside the document.
func FuzzTOML10(f *testing.F) {
	for _, seed := range []string{
		"a = {b = 1,\n c = 2}\n",
		"a = {b = 1, c = 2,}\n",
		"a = \"\\e\\x41\"\n",
		"a = 07:32\nb = 1979-05-27 07:32Z\n",
		"a = \"\"\"x\\\n  y\"\"\"\"\"\n",
		"[\"a{\".b] # {\nc = '''{,}'''\n",
		"a = \"unterminated\n{",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range scanTOML10(data) {
			if p.Line < 1 || p.Line > lines || p.Column < 1 {
				t.Errorf("problem %+v outside the document of %d lines", p, lines)
			}
		}
	})
}

// FuzzLint lints arbitrary contents as each kind of settings file: no
// panic, and every finding about a file names the file.
func FuzzLint(f *testing.F) {
	for _, seed := range []string{
		"[server.api]\nport = \"x\"\nprot = 1\n[ui]\napi_url = 1\n",
		"[profiles.a]\nPREFECT_CLIENT_CUSTOM_HEADERS = {A = 1}\nprefect_x = 1\n\"a.b\" = 2\n",
		"PREFECT_API_KEY=x\nPREFECT_API={\nbad line\n",
		"[tool.prefect]\n\"a\".\"b.c\" = 1\nAPI.URL = 2\n[tool.prefect.experiments.plugins]\nx = 1\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		names := []string{"prefect.toml", "pyproject.toml", "profiles.toml", ".env"}
		for _, name := range names {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		fs, err := Run(Options{Dir: dir, Paths: names, Environ: []string{"PREFECT_PROFILES_PATH=profiles.toml"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Pos.File == "" && f.Pos.Env == "" || f.Pos.Line < 0 || f.Pos.Column < 0 {
				t.Errorf("finding without a position: %+v", f)
			}
		}
	})
}
