package detect

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDetect feeds one text to every kind of file detection reads: no
// panic, and every version found is filed with its file.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{uvLock, poetryLock, pdmLock, pylock, pipfileLock, metadata,
		"prefect==3.4.25 \\\n --hash=x\n-r requirements.txt\n", "[project]\ndependencies = [\"prefect==3.4.25\"]\n",
		"[tool.poetry.dependencies]\nprefect = {version = \"3.4.25\"}\n", "[packages]\nprefect = \"==3.4.25\"\n"} {
		f.Add(s)
	}
	dir := f.TempDir()
	names := []string{"uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "Pipfile.lock", "requirements.txt", "pyproject.toml", "Pipfile"}
	meta := filepath.Join(dir, ".venv", "lib", "python3.12", "site-packages", "prefect-3.4.25.dist-info", "METADATA")
	if err := os.MkdirAll(filepath.Dir(meta), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data string) {
		for _, name := range append(names, meta) {
			file := name
			if !filepath.IsAbs(file) {
				file = filepath.Join(dir, name)
			}
			if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p := Detect(Options{Dir: dir})
		for _, found := range []Found{p.Prefect, p.PydanticSettings} {
			if found.OK() && (found.Pos.File == "" || found.Kind == None) {
				t.Errorf("found %+v without its file", found)
			}
		}
		for _, s := range p.Skipped {
			if s.Pos.File == "" || s.Reason == "" {
				t.Errorf("skip %+v without its file or reason", s)
			}
		}
		checkVersionsOnly(t, Options{Dir: dir}, p)
	})
}
