package diag_test

import (
	"testing"

	"github.com/strata-settings/strata/diag"
)

func TestEscape(t *testing.T) {
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
		if got := diag.Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzEscape: the output holds no control character and no mark
// that reorders text, and text without them is left alone.
func FuzzEscape(f *testing.F) {
	f.Add("evil\nPREFECT_API_KEY='x'\x1b[2J\u202e\x9b")
	f.Add(`C:\results\tab ✓`)
	f.Add("\xff\xfe bytes")
	f.Fuzz(func(t *testing.T, s string) {
		got := diag.Escape(s)
		for _, r := range got {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
				r == 0x061c || r == 0x200e || r == 0x200f || r == 0x2028 || r == 0x2029 {
				t.Fatalf("Escape(%q) = %q keeps %U", s, got, r)
			}
		}
		if diag.Escape(got) != got {
			t.Errorf("Escape is not idempotent on %q", got)
		}
	})
}
