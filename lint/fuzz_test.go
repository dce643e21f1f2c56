package lint

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLint lints arbitrary contents as each kind of settings file: no
// panic, and every finding about a file names the file.
func FuzzLint(f *testing.F) {
	for _, seed := range []string{
		"[server.api]\nport = \"x\"\nprot = 1\n[ui]\napi_url = 1\n",
		"[profiles.a]\nPREFECT_CLIENT_CUSTOM_HEADERS = {A = 1}\nprefect_x = 1\n\"a.b\" = 2\n",
		"PREFECT_API_KEY=x\nPREFECT_API={\nbad line\n",
		"[tool.prefect]\n\"a\".\"b.c\" = 1\nAPI.URL = 2\n[tool.prefect.experiments.plugins]\nx = 1\n",
		"[storage.local]\napi.url = \"http://0.0.0.0\"\n[Server.API]\nport = 1\n[TOOL.prefect.ui]\nurl = 1\n[default]\nA = 1\n",
		"\ufeffPREFECT_API_URL=<your-url>\nPREFECT_LOGGING_LEVEL\nPREFECT_X: 1\nPREFECT_API_KEY=None\n",
		"[api]\nurl = True\n",
		"PREFECT_UI_URL=http://h/api\nH=${X:-a}\nPREFECT_API_URL=http://${H}${Y}:4200/api\nsource x\n./a.env\nexport\n",
		"[tool.hatch.envs.d.env-vars]\nPREFECT_API_URL = 1\n[tool.pytest.ini_options]\nenv = [\"PREFECT_X=1\", 2]\n[storage]\nPREFECT_API_KEY = \"k\"\n[tool.pytest_env]\nPREFECT_HOME = {value = 1}\n",
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
		checkFuzzFindings(t, fs, data)
	})
}

// checkFuzzFindings checks the findings of files holding data: each has a
// position, ends after it starts, and every fix edits its file where the
// file has text.
func checkFuzzFindings(t *testing.T, fs []Finding, data []byte) {
	t.Helper()
	for _, f := range fs {
		if f.Pos.File == "" && f.Pos.Env == "" || f.Pos.Line < 0 || f.Pos.Column < 0 {
			t.Errorf("finding without a position: %+v", f)
		}
		if f.Pos.HasEnd() && (f.Pos.EndLine < f.Pos.Line || f.Pos.EndLine == f.Pos.Line && f.Pos.EndColumn < f.Pos.Column) {
			t.Errorf("finding ends before it starts: %+v", f)
		}
		for _, x := range f.Fixes {
			for _, e := range x.Edits {
				if _, _, ok := byteSpan(data, e.Pos); !ok || e.Pos.File == "" {
					t.Errorf("fix %+v outside the file", e)
				}
			}
		}
	}
}
