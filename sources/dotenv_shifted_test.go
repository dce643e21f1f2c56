package sources

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/release"
)

// TestDotEnvShifted reads .env as Prefect 3.1.2 … 3.6.27 does on
// pydantic-settings 2.14 (Prefect issue #21664): names compared
// case-sensitively and without the PREFECT_ prefix.
func TestDotEnvShifted(t *testing.T) {
	rel, _, err := release.Select("3.4.2", "2.14.1")
	if err != nil || !rel.DotenvPositional {
		t.Fatalf("3.4.2: %v, shifted %v", err, rel.DotenvPositional)
	}
	file := strings.Join([]string{
		"PREFECT_API_URL=http://upper/api",              // the usual name: not read
		"prefect_server_ui_api_url=http://lower/api",    // a lower-case env name: read as env values are
		"PREFECT_SERVER_UI_prefect_ui_api_url=http://x", // prefix + a lower-case name: read as written
		"PREFECT_LOGGING_level=DEBUG",                   // prefix + field name
		"PREFECT_LOGGING_LEVEL=ERROR",                   // not read
		"prefect_logging_level=ERROR",                   // one name, no AliasChoices: not read
		"PREFECT_SERVER_API_port=",                      // empty extra value: not read
		"api_url=http://bare/api",                       // a field name: Prefect removes it
		"Prefect_Server_Ui_Api_Url=http://mixed/api",    // not read
		"prefect_server_events_maximum_event_name_length=2048",
		"PREFECT_SERVER_api={\"port\": 1}", // a group handed a string
	}, "\n") + "\n"
	p := writeFile(t, t.TempDir(), ".env", file)
	l, err := Reader{Release: rel}.DotEnv(p, nil)
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Setting != "server.api" || ve.Pos.Line != 11 {
		t.Errorf("error %v; want server.api at line 11", err)
	}
	var read []string
	for i, v := range l.Values {
		mark := ""
		if slices.Contains(l.Verbatim, i) {
			mark = " verbatim"
		}
		read = append(read, v.Setting.Path+"="+v.Raw.(string)+mark)
	}
	want := "server.ui.api_url=http://lower/api server.ui.api_url=http://x verbatim logging.level=DEBUG verbatim server.events.maximum_event_name_length=2048"
	if g := strings.Join(read, " "); g != want {
		t.Errorf("read %s\nwant %s", g, want)
	}
	var ignored []string
	for _, ig := range l.Ignored {
		ignored = append(ignored, ig.Key)
	}
	if g := strings.Join(ignored, " "); g != "PREFECT_API_URL PREFECT_LOGGING_LEVEL prefect_logging_level PREFECT_SERVER_API_port Prefect_Server_Ui_Api_Url" {
		t.Errorf("ignored %s", g)
	}
	if v, ok := l.DotEnvValue("PREFECT_API_URL"); !ok || v != "http://upper/api" {
		t.Errorf("the profiles file's locator reads %q, %v from .env", v, ok)
	}
}
