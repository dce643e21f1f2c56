package sources

import (
	"fmt"
	"testing"
)

// span renders where a key runs: "line:col-line:col".
func span(p Position) string {
	return fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Column, p.EndLine, p.EndColumn)
}

// TestKeySpans: the readers say where each key ends, so that a fix can
// replace the key as written.
func TestKeySpans(t *testing.T) {
	dir := t.TempDir()
	toml := writeFile(t, dir, "prefect.toml", "server . api.port = 1\n[\"logging\"]\nlevel = \"INFO\"\n[API]\nURL = \"z\"\n[server.ui]\n  api_url = \"é\"\nx = { \"ñ\" = 1 }\n")
	l, err := ReadPrefectTOML(toml)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range l.Values {
		got[v.Key] = span(v.Pos)
	}
	for _, ig := range l.Ignored {
		got[ig.Key] = span(ig.Pos)
	}
	want := map[string]string{
		"server.api.port":   "1:1-1:18", // the dotted key as written, blanks included
		"logging.level":     "3:1-3:6",  // a key under a header is the key alone
		"API":               "4:2-4:5",  // a table is its header's key
		"server.ui.api_url": "7:3-7:10",
		"server.ui.x":       "8:1-8:2",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s spans %s; want %s", k, got[k], w)
		}
	}

	env := writeFile(t, dir, ".env", "export  PREFECT_API_URL=x\n'PREFECT_LOGGING_LEVEL'=INFO\nPREFECT_HOME =h\n")
	l, err = ReadDotEnv(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	got = map[string]string{}
	for _, v := range l.Values {
		got[v.Key] = span(v.Pos)
	}
	want = map[string]string{
		"PREFECT_API_URL":       "1:9-1:24",
		"PREFECT_LOGGING_LEVEL": "2:1-2:24", // the quotes included
		"PREFECT_HOME":          "3:1-3:13",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf(".env %s spans %s; want %s", k, got[k], w)
		}
	}
}
