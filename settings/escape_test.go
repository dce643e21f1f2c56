package settings_test

import (
	"testing"

	"github.com/strata-settings/strata/settings"
)

func TestEscapeControl(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://localhost:4200/api", "http://localhost:4200/api"},
		{`C:\results\tab`, `C:\results\tab`},
		{"héllo ✓ 日本", "héllo ✓ 日本"},
		{"a\nb\rc\td", `a\nb\rc\td`},
		{"\x1b[2J\x07\x00\x7f", `\x1b[2J\x07\x00\x7f`},
		{"\u009b31m", `\x9b31m`},
		{"abc\u202edef\u2066\u200f\u2028", `abc\u202edef\u2066\u200f\u2028`},
		{"bad \xff byte", "bad \ufffd byte"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := settings.EscapeControl(tt.in); got != tt.want {
			t.Errorf("EscapeControl(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
