package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/strata-settings/strata/sources"
)

// formatFiles bring findings with spans, related places and fixes.
var formatFiles = map[string]string{
	"prefect.toml": "[server.api]\nprot = 4300\n[api]\nkey = \"pnu_k\"\nauth_string = \"u:p\"\n",
	".env":         "PREFECT_UI_API_URL=http://127.0.0.1:4200/api\n",
}

func formatFindings(t *testing.T) []Finding {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, formatFiles)
	fs, err := Run(Options{Dir: dir, Home: filepath.Join(dir, "home"), Disabled: []string{RuleSecretInFile}})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestWriteJSONRanges: each finding has its range, its related places and
// its fixes, in rdjson's shapes.
func TestWriteJSONRanges(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, formatFindings(t)); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "file": ".env",
    "line": 1,
    "column": 1,
    "range": {
      "start": {
        "line": 1,
        "column": 1
      },
      "end": {
        "line": 1,
        "column": 19
      }
    },
    "severity": "warning",
    "rule": "legacy-alias",
    "setting": "server.ui.api_url",
    "message": "PREFECT_UI_API_URL is the legacy name of server.ui.api_url; use \"PREFECT_SERVER_UI_API_URL\"",
    "suggestion": "PREFECT_SERVER_UI_API_URL",
    "fixes": [
      {
        "message": "rename PREFECT_UI_API_URL to PREFECT_SERVER_UI_API_URL",
        "edits": [
          {
            "file": ".env",
            "range": {
              "start": {
                "line": 1,
                "column": 1
              },
              "end": {
                "line": 1,
                "column": 19
              }
            },
            "text": "PREFECT_SERVER_UI_API_URL"
          }
        ]
      }
    ]
  },
  {
    "file": "prefect.toml",
    "line": 2,
    "column": 1,
    "range": {
      "start": {
        "line": 2,
        "column": 1
      },
      "end": {
        "line": 2,
        "column": 5
      }
    },
    "severity": "warning",
    "rule": "unknown-setting",
    "setting": "server.api.port",
    "message": "unknown setting \"server.api.prot\"; did you mean \"server.api.port\"?",
    "suggestion": "server.api.port",
    "fixes": [
      {
        "message": "rename prot to port",
        "edits": [
          {
            "file": "prefect.toml",
            "range": {
              "start": {
                "line": 2,
                "column": 1
              },
              "end": {
                "line": 2,
                "column": 5
              }
            },
            "text": "port"
          }
        ]
      }
    ]
  },
  {
    "file": "prefect.toml",
    "line": 4,
    "column": 1,
    "range": {
      "start": {
        "line": 4,
        "column": 1
      },
      "end": {
        "line": 4,
        "column": 4
      }
    },
    "severity": "warning",
    "rule": "key-and-auth-string",
    "setting": "api.key",
    "message": "both api.key and api.auth_string are set (the auth string at line 5): Strata sends the key as a Bearer token, Prefect's Python client sends the auth string, and a server that expects the auth string answers 401",
    "related": [
      {
        "file": "prefect.toml",
        "range": {
          "start": {
            "line": 5,
            "column": 1
          },
          "end": {
            "line": 5,
            "column": 12
          }
        },
        "message": "api.auth_string is set here"
      }
    ]
  }
]
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestJSONToRDJSON applies WriteJSON's documented mapping to rdjson and
// validates the result against rdjson's schema, so that the mapping stays
// true to the output.
func TestJSONToRDJSON(t *testing.T) {
	fs := append(formatFindings(t), Finding{Pos: sources.Position{Env: "PREFECT_X"}, Severity: Info, Rule: RuleUnknownSetting, Message: "m"})
	var b bytes.Buffer
	if err := WriteJSON(&b, fs); err != nil {
		t.Fatal(err)
	}
	var in []map[string]any
	if err := json.Unmarshal(b.Bytes(), &in); err != nil {
		t.Fatal(err)
	}
	// The jq program of WriteJSON's documentation, step by step.
	var diags []any
	for _, f := range in {
		if f["file"] == "" {
			continue
		}
		d := map[string]any{"message": f["message"], "severity": strings.ToUpper(f["severity"].(string)),
			"code": map[string]any{"value": f["rule"]}, "location": map[string]any{"path": f["file"], "range": f["range"]}}
		sugg := []any{}
		if fixes, ok := f["fixes"].([]any); ok {
			for _, e := range fixes[0].(map[string]any)["edits"].([]any) {
				e := e.(map[string]any)
				sugg = append(sugg, map[string]any{"range": e["range"], "text": e["text"]})
			}
		}
		d["suggestions"] = sugg
		rel := []any{}
		if related, ok := f["related"].([]any); ok {
			for _, r := range related {
				r := r.(map[string]any)
				if r["file"] != nil {
					rel = append(rel, map[string]any{"message": r["message"], "location": map[string]any{"path": r["file"], "range": r["range"]}})
				}
			}
		}
		d["related_locations"] = rel
		diags = append(diags, d)
	}
	out := map[string]any{"source": map[string]any{"name": "strata"}, "diagnostics": diags}
	validate(t, "rdjson-diagnostic-result.json", "https://raw.githubusercontent.com/reviewdog/reviewdog/master/proto/rdf/jsonschema/DiagnosticResult.json", out)
	if len(diags) != 3 {
		t.Errorf("%d diagnostics; want 3", len(diags))
	}
}

// sarifSchemaURL is the SARIF 2.1.0 schema's id.
const sarifSchemaURL = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// validate validates v against the JSON schema in testdata/name.
func validate(t *testing.T, name, url string, v any) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(v)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("does not validate against %s: %v", name, err)
	}
}

// TestSARIFRangesAndFixes: regions end, results carry their related
// places and fixes, and the log still validates.
func TestSARIFRangesAndFixes(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSARIF(&b, formatFindings(t)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"endLine": 2`, `"endColumn": 5`, `"relatedLocations"`, `"message": {
                "text": "api.auth_string is set here"`,
		`"deletedRegion": {`, `"insertedContent": {
                        "text": "port"`, `"description": {
                "text": "rename prot to port"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("SARIF output lacks %s:\n%s", want, b.String())
		}
	}
	var log any
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	validate(t, "sarif-schema-2.1.0.json", sarifSchemaURL, log)
}

// TestNamesCannotForgeLines: a file name with a newline or an escape
// sequence is escaped in the text and GitHub outputs, as values are.
func TestNamesCannotForgeLines(t *testing.T) {
	fs := []Finding{{Pos: sources.Position{File: "a\nb.env:1:1: error: forged\x1b[2J", Line: 3, Column: 1, EndLine: 3, EndColumn: 4},
		Severity: Warning, Rule: RuleUnknownSetting, Message: "unknown setting \"X\x1b]0;t\x07\""}}
	var text, gh bytes.Buffer
	if err := WriteText(&text, fs); err != nil {
		t.Fatal(err)
	}
	if err := WriteGitHub(&gh, fs); err != nil {
		t.Fatal(err)
	}
	wantText := `a\nb.env:1:1: error: forged\x1b[2J:3:1: warning: unknown setting "X\x1b]0;t\x07" [unknown-setting]` + "\n"
	wantGH := `::warning file=a\nb.env%3A1%3A1%3A error%3A forged\x1b[2J,line=3,col=1,endLine=3,endColumn=4,title=unknown-setting::unknown setting "X\x1b]0;t\x07"` + "\n"
	if text.String() != wantText {
		t.Errorf("text:\n%q\nwant\n%q", text.String(), wantText)
	}
	if gh.String() != wantGH {
		t.Errorf("github:\n%q\nwant\n%q", gh.String(), wantGH)
	}
	for _, out := range []string{text.String(), gh.String()} {
		if strings.Count(out, "\n") != 1 || strings.ContainsRune(out, 0x1b) {
			t.Errorf("output forges a line or holds ESC: %q", out)
		}
	}
}
