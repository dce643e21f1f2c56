package sources

import (
	"errors"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// TestTOMLHint parses each document with go-toml and checks the hint for
// the error it reports; a credential is never shown.
func TestTOMLHint(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"[logging]\nlog_prints = True\n", "TOML booleans are lower-case: write true"},
		{"[cli]\ncolors = FALSE\n", "TOML booleans are lower-case: write false"},
		{"[api]\nurl = None\n", "TOML has no null: leave url out to leave the setting unset"},
		{"[api]\nurl = <your-prefect-url/api>\n", "a <placeholder> is not a value: put the real value there, in quotes"},
		{"[server.api]\nhost = localhost\n", `strings need quotes in TOML: write host = "localhost"`},
		{"[server.api]\nhost = 0.0.0.0 # all interfaces\n", `strings need quotes in TOML: write host = "0.0.0.0"`},
		{"[api]\nurl = http://localhost:4200/api\n", `strings need quotes in TOML: write url = "http://localhost:4200/api"`},
		{"[api]\nkey = pnu_abc123\n", `strings need quotes in TOML: write key = "..."`},
		{"[server.database]\nconnection_url = postgresql://u:pw@db/p\n", `strings need quotes in TOML: write connection_url = "..."`},
		{"[server.api]\nport = 42x\n", ""},
		{"[server.api]\nport = ,\n", ""},
		{"[server.api]\nport = }\n", ""},
		{"[server.api\nport = 1\n", ""},
		{"[api]\nurl = \"x\n", ""},
	}
	for _, tt := range tests {
		var v map[string]any
		err := toml.Unmarshal([]byte(tt.doc), &v)
		var de *toml.DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("%q: no decode error: %v", tt.doc, err)
		}
		line, col := de.Position()
		if got := TOMLHint([]byte(tt.doc), line, col); got != tt.want {
			t.Errorf("%q: TOMLHint = %q; want %q", tt.doc, got, tt.want)
		}
	}
}
