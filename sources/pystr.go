package sources

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Python's string semantics, as the toml package's decoder relies on them:
// which characters are space and alphanumeric, what strip removes, and
// what int() and float() accept.

// pyIsSpace reports whether Python's str.isspace holds for r.
func pyIsSpace(r rune) bool {
	switch {
	case r == ' ' || r >= '\t' && r <= '\r' || r >= 0x1c && r <= 0x1f:
		return true
	case r < 0x80:
		return false
	case r == 0x85 || r == 0xa0 || r == 0x1680 || r >= 0x2000 && r <= 0x200a ||
		r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000:
		return true
	}
	return false
}

// pyIsAlnum reports whether Python's str.isalnum holds for r.
func pyIsAlnum(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// pyStrip is Python's str.strip(): s without the whitespace at its ends.
func pyStrip(s string) string { return pyRStrip(pyLStrip(s)) }

func pyLStrip(s string) string {
	for s != "" {
		r, n := utf8.DecodeRuneInString(s)
		if !pyIsSpace(r) {
			break
		}
		s = s[n:]
	}
	return s
}

func pyRStrip(s string) string {
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		if !pyIsSpace(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

// pyASCII is the form Python's int() and float() parse a string in: every
// whitespace character a space, every decimal digit of any script its
// ASCII digit, and the surrounding spaces removed. ok is false when s
// holds another non-ASCII character, which neither accepts.
func pyASCII(s string) (string, bool) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r < 0x80:
				b.WriteRune(r)
			case pyIsSpace(r):
				b.WriteByte(' ')
			case unicode.Is(unicode.Nd, r):
				b.WriteByte(byte('0' + digitValue(r)))
			default:
				return "", false
			}
		}
		s = b.String()
	}
	return strings.Trim(s, " \t\n\v\f\r"), true
}

// digitValue is the value of r, a decimal digit (Unicode category Nd):
// such digits come in runs of ten, each starting at zero.
func digitValue(r rune) int {
	start := r
	for start > 0 && unicode.Is(unicode.Nd, start-1) && r-start < 100 {
		start--
	}
	return int(r-start) % 10
}

// pyInt is Python's int(s, base) for base 0 (a prefix 0x, 0o or 0b
// chooses the base, and a decimal number has no leading zero) or 10. The
// value is an int64, or a float64 when it does not fit in one (Strata
// holds no larger integers).
func pyInt(s string, base int) (any, bool) {
	if n, ok := smallInt(s, base); ok {
		return n, true
	}
	t, ok := pyASCII(s)
	if !ok || t == "" {
		return nil, false
	}
	neg := false
	if t[0] == '+' || t[0] == '-' {
		neg = t[0] == '-'
		t = t[1:]
	}
	digits := 10
	if base == 0 && len(t) > 1 && t[0] == '0' {
		switch t[1] {
		case 'x', 'X':
			digits = 16
		case 'o', 'O':
			digits = 8
		case 'b', 'B':
			digits = 2
		}
		if digits != 10 {
			t = strings.TrimPrefix(t[2:], "_")
		}
	}
	clean, ok := underscored(t, func(c byte) bool { return digitOf(c) < digits })
	if !ok {
		return nil, false
	}
	if base == 0 && digits == 10 && clean[0] == '0' && strings.Trim(clean, "0") != "" {
		return nil, false // base 0 refuses leading zeros
	}
	n, _ := new(big.Int).SetString(clean, digits)
	if neg {
		n.Neg(n)
	}
	if n.IsInt64() {
		return n.Int64(), true
	}
	f, _ := new(big.Float).SetInt(n).Float64()
	return f, true
}

// smallInt is pyInt's common case: a few ASCII digits, with a sign.
func smallInt(s string, base int) (int64, bool) {
	d := s
	if d != "" && (d[0] == '-' || d[0] == '+') {
		d = d[1:]
	}
	if d == "" || len(d) > 18 || base == 0 && d[0] == '0' && len(d) > 1 {
		return 0, false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func digitOf(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// underscored returns s without its underscores when it is one or more
// characters ok accepts with single underscores between them.
func underscored(s string, ok func(byte) bool) (string, bool) {
	if s == "" {
		return "", false
	}
	if !strings.Contains(s, "_") {
		for i := 0; i < len(s); i++ {
			if !ok(s[i]) {
				return "", false
			}
		}
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if i == 0 || i == len(s)-1 || s[i-1] == '_' || !ok(s[i+1]) {
				return "", false
			}
			continue
		}
		if !ok(c) {
			return "", false
		}
		b = append(b, c)
	}
	return string(b), true
}

// pyFloat is Python's float(s): a decimal number with single underscores
// between digits, or inf, infinity or nan in any case, each with an
// optional sign, and surrounding space.
func pyFloat(s string) (float64, bool) {
	t, ok := pyASCII(s)
	if !ok || t == "" {
		return 0, false
	}
	body := t
	neg := false
	if body[0] == '+' || body[0] == '-' {
		neg = body[0] == '-'
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	mant, exp := body, ""
	if i := strings.IndexAny(body, "eE"); i >= 0 {
		mant, exp = body[:i], body[i+1:]
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		if _, ok := underscored(exp, isDigit); !ok {
			return 0, false
		}
	}
	whole, frac, dot := strings.Cut(mant, ".")
	if whole == "" && frac == "" {
		return 0, false
	}
	if whole != "" {
		if _, ok := underscored(whole, isDigit); !ok {
			return 0, false
		}
	}
	if dot && frac != "" {
		if _, ok := underscored(frac, isDigit); !ok {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return f, true
}
