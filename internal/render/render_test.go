package render

import "testing"

func TestPyRepr(t *testing.T) {
	// Each want is what Python 3 prints for repr(in).
	tests := []struct{ in, want string }{
		{"plain", `'plain'`},
		{"a'b", `"a'b"`},
		{`a"b`, `'a"b'`},
		{`a'b"c`, `'a\'b"c'`},
		{"x\ny\tz\r", `'x\ny\tz\r'`},
		{"\x01\x7f", `'\x01\x7f'`},
		{`a\b`, `'a\\b'`},
		{"é", `'é'`},
		{"\u00a0\u200b", `'\xa0\u200b'`},
		{"", `''`},
	}
	for _, tt := range tests {
		if got := PyRepr(tt.in); got != tt.want {
			t.Errorf("PyRepr(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
