package lint

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// deployFormatFiles are deployment files of several kinds, each with a
// finding on a known line: a Compose file, a Kubernetes manifest, a
// Dockerfile and a workflow.
var deployFormatFiles = map[string]string{
	"compose.yaml": "services:\n  server:\n    image: prefecthq/prefect:3.4.22-python3.11\n    command: prefect server start --host 0.0.0.0\n" +
		"  worker:\n    image: prefecthq/prefect:3.4.22-python3.11\n    command: prefect worker start --pool p\n    environment:\n      PREFECT_API_URL: http://localhost:4200/api\n",
	"k8s/worker.yaml":          "apiVersion: v1\nkind: Pod\nmetadata:\n  name: flow\nspec:\n  containers:\n    - name: flow\n      image: prefecthq/prefect:3-latest\n      env:\n        - name: PREFECT_LOGGING_LEVL\n          value: DEBUG\n",
	"Dockerfile":               "FROM prefecthq/prefect:3.4.22-python3.11\nENV PREFECT_API_KEY=pnu_Xr7dW2qLk9VbN3mT5sYc8HfJ0pRe1uAz6gDi\n",
	".github/workflows/ci.yml": "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      PREFECT_SERVER_API_PORT: many\n    steps:\n      - run: prefect deploy --all\n",
}

// deployFormatWant is each finding's place, as text prints it.
var deployFormatWant = []string{
	".github/workflows/ci.yml:6:7: error: server.api.port",
	"Dockerfile:2:5: warning: api.key holds a secret, and ENV writes it into the image",
	"compose.yaml:9:7: warning: api.url calls localhost",
	"k8s/worker.yaml:10:17: warning: unknown setting \"PREFECT_LOGGING_LEVL\"",
}

// TestDeployFindingsInEveryFormat: a finding of a deployment file is at
// its line and column in every output format, and the SARIF log of
// deployment files validates.
func TestDeployFindingsInEveryFormat(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, deployFormatFiles)
	fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home")})
	if err != nil {
		t.Fatal(err)
	}
	text := lines(fs)
	for _, want := range deployFormatWant {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, fs); err != nil {
		t.Fatal(err)
	}
	var gh bytes.Buffer
	if err := WriteGitHub(&gh, fs); err != nil {
		t.Fatal(err)
	}
	var sarif bytes.Buffer
	if err := WriteSARIF(&sarif, fs); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(sarif.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	var places []string
	for _, r := range log.Runs[0].Results {
		p := r.Locations[0].PhysicalLocation
		places = append(places, p.ArtifactLocation.URI+":"+strconv.Itoa(p.Region.StartLine)+":"+strconv.Itoa(p.Region.StartColumn))
	}
	var raw any
	if err := json.Unmarshal(sarif.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	validate(t, "sarif-schema-2.1.0.json", sarifSchemaURL, raw)
	for _, want := range deployFormatWant {
		file, rest, _ := strings.Cut(want, ":")
		line, rest, _ := strings.Cut(rest, ":")
		col, _, _ := strings.Cut(rest, ":")
		if !strings.Contains(js.String(), `"file": "`+file+`",
    "line": `+line+`,
    "column": `+col+`,`) {
			t.Errorf("JSON lacks %s:%s:%s:\n%s", file, line, col, js.String())
		}
		if !strings.Contains(gh.String(), "file="+file+",line="+line+",col="+col+",") {
			t.Errorf("GitHub output lacks %s:%s:%s:\n%s", file, line, col, gh.String())
		}
		if !strings.Contains(strings.Join(places, "\n"), file+":"+line+":"+col) {
			t.Errorf("SARIF lacks %s:%s:%s: %v", file, line, col, places)
		}
	}
}
