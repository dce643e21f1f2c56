package lint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/strata-settings/strata/schema"
	"github.com/strata-settings/strata/sources"
)

// oracleFacts are what the recordings of testdata/oracle show Prefect
// does, for the settings lint's findings speak of: the value Prefect
// resolves, or, for a key it ignores, nil (the default, unset).
var oracleFacts = map[string]map[string]any{
	"lint-ui-url-api-env":     {"ui_url": "http://prefect.internal:4200/api", "server.ui.api_url": "http://prefect.internal:4200/api"},
	"lint-ui-url-api-files":   {"ui_url": "https://prefect.example.com/api/", "server.ui.api_url": "http://127.0.0.1:4200/api"},
	"lint-ui-url-api-profile": {"ui_url": "http://127.0.0.1:4200/api"},
	"lint-dotenv-undefined-variable": {"server.database.connection_url": "postgresql+asyncpg://prefect:@:5432/", "ui_url": "",
		"server.api.host": "", "api.url": "http://127.0.0.1:4200/api"},
	"lint-dotenv-undefined-variable-chain": {"api.url": "http://:4200/api", "server.api.port": 4300.0},
	"lint-toml-unknown-table-keys":         {"results.persist_by_default": false, "logging.level": "INFO", "server.api.port": 4300.0},
	"lint-pyproject-unknown-table-keys":    {"api.url": nil},
	"lint-profiles-unknown-table-keys":     {"api.url": "http://127.0.0.1:4200/api", "logging.level": "INFO", "api.key": nil},
	"lint-dotenv-lines-without-equals":     {"api.url": nil, "api.key": nil, "logging.level": "DEBUG"},
}

// TestOracle lints each scenario Prefect was asked about, as
// strata lint --env in its working directory, and checks the findings
// (want/lint, rewritten by -update) and that what they say Prefect does is
// what Prefect did: the value python-dotenv's expansion gives, a URL kept
// as written, a key a table took in left unread.
func TestOracle(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "oracle", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(oracleFacts) {
		t.Errorf("%d recordings, facts for %d", len(paths), len(oracleFacts))
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			environ := []string{"HOME=" + filepath.Join(root, "home")}
			var recorded map[string]any
			wantAt := -1
			for i, f := range ar.Files {
				switch {
				case f.Name == "env":
					for line := range strings.SplitSeq(strings.TrimSpace(string(f.Data)), "\n") {
						if line != "" {
							environ = append(environ, strings.ReplaceAll(line, "$ROOT", root))
						}
					}
				case f.Name == "want/settings.json":
					if err := json.Unmarshal(f.Data, &recorded); err != nil {
						t.Fatal(err)
					}
				case f.Name == "want/lint":
					wantAt = i
				case !strings.HasPrefix(f.Name, "want/"):
					write(t, root, map[string]string{f.Name: string(f.Data)})
				}
			}
			write(t, root, map[string]string{"work/.keep": "", "home/.keep": ""})
			work := filepath.Join(root, "work")
			fs, err := Run(Options{Dir: work, Home: filepath.Join(root, "home"), Environ: environ, Env: true,
				PrefectVersion: "3.8.3", PydanticSettingsVersion: "2.14.1"})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.ReplaceAll(lines(fs), root, "$ROOT")
			if wantAt < 0 {
				ar.Files = append(ar.Files, txtar.File{Name: "want/lint"})
				wantAt = len(ar.Files) - 1
			}
			if want := string(ar.Files[wantAt].Data); got != want {
				if !*update {
					t.Errorf("got:\n%s\nwant:\n%s", got, want)
				} else {
					ar.Files[wantAt].Data = []byte(got)
					if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			for setting, want := range oracleFacts[name] {
				if v := recordedValue(recorded, setting); v != want {
					t.Errorf("Prefect resolved %s = %#v; the facts say %#v", setting, v, want)
				}
			}
			dotenv := filepath.Join(work, ".env")
			layer, _ := sources.ReadDotEnv(dotenv, func(name string) (string, bool) {
				for _, kv := range environ {
					if k, v, ok := strings.Cut(kv, "="); ok && k == name {
						return v, true
					}
				}
				return "", false
			})
			for _, f := range fs {
				switch f.Rule {
				case RuleUndefinedVariable:
					// Strata's reading of the .env is Prefect's, and the
					// message shows it unless it is a secret.
					v := recordedValue(recorded, f.Setting)
					found := false
					for _, x := range layer.Values {
						if x.Setting.Path == f.Setting {
							found = x.Raw == v
						}
					}
					if !found {
						t.Errorf("%s: Strata reads %s otherwise than Prefect (%#v)", f, f.Setting, v)
					}
					s, _ := schema.Lookup(f.Setting)
					if str, _ := v.(string); s.Kind != schema.Secret && !strings.Contains(f.Message, f.Setting+" = "+strconv.Quote(str)) {
						t.Errorf("%s: the message does not say Prefect gets %q", f, str)
					}
				case RuleUIURLAPI:
					if v, _ := recordedValue(recorded, f.Setting).(string); !hasAPISegment(v) {
						t.Errorf("%s: Prefect resolved %s = %q", f, f.Setting, v)
					}
				}
			}
		})
	}
}

// recordedValue returns the value of the setting at path in a recorded
// settings.json.
func recordedValue(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}
