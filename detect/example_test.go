package detect_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-settings/strata/detect"
)

// Detect reads the versions a project runs, with the file and line of each.
func ExampleDetect() {
	dir, _ := os.MkdirTemp("", "project")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "uv.lock"), []byte(`version = 1

[[package]]
name = "prefect"
version = "3.4.25"
`), 0o644)
	os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("pydantic-settings==2.13.1\n"), 0o644)

	p := detect.Detect(detect.Options{Dir: dir})
	for _, f := range []detect.Found{p.Prefect, p.PydanticSettings} {
		rel, _ := filepath.Rel(dir, f.Pos.File)
		fmt.Printf("%s from a %s, %s:%d\n", f.Version, f.Kind, rel, f.Pos.Line)
	}
	// Output:
	// 3.4.25 from a lock file, uv.lock:5
	// 2.13.1 from a pin, requirements.txt:1
}
