package lint

import (
	"fmt"
	"strings"
	"testing"
)

// TestEnvBindings lists the variables the environment tables of each tool
// set, as the tool sets them.
func TestEnvBindings(t *testing.T) {
	doc := `[tool.pixi.feature.dev.activation.env]
PREFECT_API_URL = "http://127.0.0.1:4200/api"
[tool.rye.scripts.serve]
env = { PREFECT_SERVER_API_PORT = 4300 }
[tool.poe.tasks.flow.env]
PREFECT_LOGGING_LEVEL = "${LEVEL}"
[tool.pytest_env]
PREFECT_SERVER_API_KEEPALIVE_TIMEOUT = 5.0
PREFECT_DEBUG_MODE = { value = true, transform = false }
PREFECT_X = { unset = true }
[tool.pytest.ini_options]
env = ["R:PREFECT_HOME={HOME}/x", "bad", 1]
[tool.hatch.envs.test]
env-vars = { PREFECT_API_KEY = ["not", "a", "string"] }
[tool.ruff]
PREFECT_API_URL = "x"
`
	var got []string
	for _, b := range envBindings(tomlEntries("pyproject.toml", []byte(doc))) {
		got = append(got, fmt.Sprintf("%s=%s %s check=%v", b.name, b.value, b.pos, b.checkValue))
	}
	want := []string{
		"PREFECT_API_URL=http://127.0.0.1:4200/api pyproject.toml:2:1 check=true",
		"PREFECT_SERVER_API_PORT=4300 pyproject.toml:4:9 check=true",
		"PREFECT_LOGGING_LEVEL=${LEVEL} pyproject.toml:6:1 check=false",
		"PREFECT_SERVER_API_KEEPALIVE_TIMEOUT=5.0 pyproject.toml:8:1 check=true",
		"PREFECT_DEBUG_MODE=True pyproject.toml:9:24 check=true",
		"PREFECT_HOME={HOME}/x pyproject.toml:12:8 check=false",
		"PREFECT_API_KEY= pyproject.toml:14:14 check=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
