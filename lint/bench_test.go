package lint

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkLintTree lints a tree of 1,000 settings files: 250 projects,
// each with prefect.toml, pyproject.toml, .env and profiles.toml, some
// correct and some not.
func BenchmarkLintTree(b *testing.B) {
	dir := b.TempDir()
	files := map[string]string{}
	for i := range 250 {
		p := fmt.Sprintf("team%d/project%d/", i%10, i)
		files[p+"prefect.toml"] = fmt.Sprintf("[server.api]\nport = %d\nprot = 1\ncsrf_token_expiration = \"3600\"\n[api]\nurl = \"http://h%d:4200/api\"\n[client.custom_headers]\nX-Team = \"t\"\nUser-Agent = \"u\"\n", 4200+i, i)
		files[p+"pyproject.toml"] = "[project]\nname = \"flows\"\ndependencies = [\"prefect\"]\n[tool.prefect]\nlogging.level = \"loud\"\nPREFECT_API_URL = \"x\"\n"
		files[p+".env"] = "PREFECT_API_KEY=k\nPREFECT_UI_API_URL=http://x\nPREFECT_LOGGING_LEVL=INFO\nOTHER=1\n"
		files[p+"profiles.toml"] = "active = \"dev\"\n[profiles.dev]\nPREFECT_API_AUTH_STRING = \"a:b\"\nprefect_api_url = \"x\"\n[profiles.prod]\nPREFECT_CLIENT_CUSTOM_HEADERS = { A = \"b\" }\n"
	}
	write(b, dir, files)
	opts := Options{Dir: dir, Home: filepath.Join(dir, "home")}
	var n int
	for b.Loop() {
		fs, err := Run(opts)
		if err != nil {
			b.Fatal(err)
		}
		n = len(fs)
	}
	if n < 1000 {
		b.Fatalf("only %d findings", n)
	}
}
