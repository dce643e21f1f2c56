package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape escapes the characters of s that could forge or hide output on a
// terminal: control characters (a newline, an escape sequence, C1
// controls) and the Unicode marks that reorder or separate text. \n, \r
// and \t are written so; the others as \xNN or \uNNNN. Everything else,
// backslashes included, is kept, so that ordinary values print as Prefect
// prints them; a byte that is not UTF-8 becomes U+FFFD.
func Escape(s string) string {
	i := strings.IndexFunc(s, Unsafe)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError:
			b.WriteRune(r) // U+FFFD, or what replaces a byte that is not UTF-8
		case Unsafe(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case Unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Unsafe reports whether r is a control character or a mark that changes
// how text around it is laid out, which Escape escapes.
func Unsafe(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return true
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
