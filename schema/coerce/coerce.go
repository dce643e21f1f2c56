package coerce

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Error is a value that cannot be coerced; its message is pydantic's.
type Error struct{ Msg string }

// Error returns the message.
func (e *Error) Error() string { return e.Msg }

func fail(msg string) error { return &Error{msg} }

const (
	msgBool     = "Input should be a valid boolean, unable to interpret input"
	msgInt      = "Input should be a valid integer, unable to parse string as an integer"
	msgFraction = "Input should be a valid integer, got a number with a fractional part"
	msgFloat    = "Input should be a valid number, unable to parse string as a number"
	msgFinite   = "Input should be a finite number"
	msgString   = "Input should be a valid string"
	msgDuration = "Input should be a valid timedelta"
)

// Bool accepts, as pydantic does, the strings 1 on t true y yes and 0 off f
// false n no in any case (but no surrounding space), booleans, and the
// numbers 0 and 1.
func Bool(v any) (bool, error) {
	switch t := v.(type) {
	case bool:
		return t, nil
	case int64:
		if t == 0 || t == 1 {
			return t == 1, nil
		}
	case float64:
		if t == 0 || t == 1 {
			return t == 1, nil
		}
	case string:
		switch strings.ToLower(t) {
		case "1", "on", "t", "true", "y", "yes":
			return true, nil
		case "0", "off", "f", "false", "n", "no":
			return false, nil
		}
	}
	return false, fail(msgBool)
}

// Int accepts integers, floats without a fraction, booleans, and strings
// holding an integer: surrounding space, a sign, single underscores between
// digits, and a fraction of zeros ("5.0") are allowed; exponents and hex
// are not.
func Int(v any) (int64, error) {
	switch t := v.(type) {
	case int64:
		return t, nil
	case bool:
		if t {
			return 1, nil
		}
		return 0, nil
	case float64:
		switch {
		case math.IsInf(t, 0) || math.IsNaN(t):
			return 0, fail(msgFinite)
		case t != math.Trunc(t):
			return 0, fail(msgFraction)
		case t >= math.MaxInt64 || t < math.MinInt64:
			return 0, fail("Input should be an integer that fits in 64 bits")
		}
		return int64(t), nil
	case string:
		s := strings.TrimSpace(t)
		if i := strings.IndexByte(s, '.'); i >= 0 && strings.Trim(s[i+1:], "0") == "" {
			s = s[:i]
		}
		digits, ok := withoutUnderscores(strings.TrimLeft(s, "+-"))
		if !ok || len(s)-len(strings.TrimLeft(s, "+-")) > 1 {
			return 0, fail(msgInt)
		}
		n, err := strconv.ParseInt(s[:len(s)-len(strings.TrimLeft(s, "+-"))]+digits, 10, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return 0, fail("Input should be an integer that fits in 64 bits")
			}
			return 0, fail(msgInt)
		}
		return n, nil
	}
	return 0, fail(msgInt)
}

// withoutUnderscores removes the underscores of a number written with
// single underscores between digits, as Python allows; ok is false when an
// underscore is misplaced.
func withoutUnderscores(s string) (string, bool) {
	if !strings.Contains(s, "_") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			if i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
				return "", false
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Float accepts numbers, booleans, and strings as Python's float() reads
// them: surrounding space, exponents, inf, infinity and nan in any case,
// ".5", "5." and single underscores between digits; not hex.
func Float(v any) (float64, error) {
	switch t := v.(type) {
	case float64:
		return t, nil
	case int64:
		return float64(t), nil
	case bool:
		if t {
			return 1, nil
		}
		return 0, nil
	case string:
		return parseFloat(t)
	}
	return 0, fail(msgFloat)
}

func parseFloat(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "xXpP") && !strings.Contains(strings.ToLower(s), "inf") {
		return 0, fail(msgFloat)
	}
	digits, ok := withoutUnderscores(s)
	if !ok {
		return 0, fail(msgFloat)
	}
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil // Python rounds to inf or 0 as well
		}
		return 0, fail(msgFloat)
	}
	return f, nil
}

// Str accepts strings only.
func Str(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", fail(msgString)
}

// Duration accepts what pydantic accepts for a timedelta: numbers of
// seconds, and strings in ISO 8601 ("PT1H", "P1DT2H", "P0.5D", with an
// optional sign; Y is 365 days, M 30 days or minutes after T, W 7 days) or
// in the clock forms "[D day[s][,]] [H]H:MM[:SS[.ffffff]]" and "D day[s]"
// or "Dd". A bare number in a string ("3600") is not a duration.
func Duration(v any) (time.Duration, error) {
	switch t := v.(type) {
	case int64:
		return seconds(float64(t))
	case float64:
		return seconds(t)
	case string:
		if d, ok := parseDuration(t); ok {
			return d, nil
		}
		return 0, fail(msgDuration + ", expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]")
	}
	return 0, fail(msgDuration)
}

// SecondsDuration is Prefect's SecondsTimeDelta: a string Python's float()
// reads is a number of seconds; anything else is read as by Duration.
func SecondsDuration(v any) (time.Duration, error) {
	if s, ok := v.(string); ok {
		if f, err := parseFloat(s); err == nil {
			return seconds(f)
		}
	}
	return Duration(v)
}

func seconds(f float64) (time.Duration, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fail("Input should be a finite duration")
	}
	ns := math.Round(f * 1e6) // pydantic keeps microseconds
	if ns*1e3 >= math.MaxInt64 || ns*1e3 <= math.MinInt64 {
		return 0, fail("duration too large")
	}
	return time.Duration(ns) * time.Microsecond, nil
}

func parseDuration(s string) (time.Duration, bool) {
	body, sign := s, 1.0
	if body != "" && (body[0] == '+' || body[0] == '-') {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	var secs float64
	var ok bool
	switch {
	case strings.HasPrefix(body, "P"):
		secs, ok = parseISO(body[1:])
	case strings.Contains(body, "d"):
		secs, ok = parseDaysTime(body)
	default:
		secs, ok = parseClock(body)
	}
	if !ok {
		return 0, false
	}
	d, err := seconds(sign * secs)
	return d, err == nil
}

// parseISO reads the part of an ISO 8601 duration after the P.
func parseISO(s string) (float64, bool) {
	if s == "" || s == "T" {
		return 0, false
	}
	var total float64
	inTime, num := false, ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c) || c == '.':
			num += string(c)
		case c == 'T' && !inTime && num == "":
			inTime = true
			if i == len(s)-1 {
				return 0, false
			}
		default:
			if num == "" {
				return 0, false
			}
			n, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, false
			}
			num = ""
			var unit float64
			switch {
			case !inTime && c == 'Y':
				unit = 365 * 86400
			case !inTime && c == 'M':
				unit = 30 * 86400
			case !inTime && c == 'W':
				unit = 7 * 86400
			case !inTime && c == 'D':
				unit = 86400
			case inTime && c == 'H':
				unit = 3600
			case inTime && c == 'M':
				unit = 60
			case inTime && c == 'S':
				unit = 1
			default:
				return 0, false
			}
			total += n * unit
		}
	}
	return total, num == ""
}

// parseDaysTime reads "D day[s][,] [clock]", "D d" and "Dd".
func parseDaysTime(s string) (float64, bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return 0, false
	}
	days, _ := strconv.ParseFloat(s[:i], 64)
	rest := strings.TrimLeft(s[i:], " ")
	switch {
	case strings.HasPrefix(rest, "days"):
		rest = rest[4:]
	case strings.HasPrefix(rest, "day"):
		rest = rest[3:]
	case strings.HasPrefix(rest, "d"):
		rest = rest[1:]
	default:
		return 0, false
	}
	rest = strings.TrimPrefix(rest, ",")
	rest = strings.TrimLeft(rest, " ")
	if rest == "" {
		return days * 86400, true
	}
	clock, ok := parseClock(rest)
	return days*86400 + clock, ok
}

// parseClock reads "[H]H:MM[:SS[.ffffff]]".
func parseClock(s string) (float64, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var total float64
	for i, p := range parts {
		if p == "" {
			return 0, false
		}
		if i < 2 || !strings.Contains(p, ".") {
			for j := 0; j < len(p); j++ {
				if !isDigit(p[j]) {
					return 0, false
				}
			}
		}
		if i > 0 && len(strings.SplitN(p, ".", 2)[0]) != 2 {
			return 0, false
		}
		n, err := strconv.ParseFloat(p, 64)
		if err != nil || (i > 0 && n >= 60) {
			return 0, false
		}
		total += n * []float64{3600, 60, 1}[i]
	}
	return total, true
}

// FormatDuration writes a duration as pydantic serialises a timedelta to
// JSON: ISO 8601 with years of 365 days, days, and a time part ("PT1H",
// "P7D", "P1DT2H", "PT1.5S", "PT0S"; "-PT1S" when negative).
func FormatDuration(d time.Duration) string {
	us := d.Microseconds()
	var b strings.Builder
	if us < 0 {
		b.WriteByte('-')
		us = -us
	}
	b.WriteByte('P')
	days, rest := us/86400e6, us%86400e6
	if days >= 365 {
		fmt.Fprintf(&b, "%dY", days/365)
		days %= 365
	}
	if days != 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if rest != 0 {
		b.WriteByte('T')
		h, m, s, frac := rest/3600e6, rest/60e6%60, rest/1e6%60, rest%1e6
		if h != 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m != 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
		if s != 0 || frac != 0 {
			fmt.Fprintf(&b, "%d", s)
			if frac != 0 {
				b.WriteString(strings.TrimRight(fmt.Sprintf(".%06d", frac), "0"))
			}
			b.WriteByte('S')
		}
	}
	if us == 0 {
		b.WriteString("T0S")
	}
	return b.String()
}

// FormatFloat writes f as Python's repr does: the shortest digits that read
// back the same, with ".0" on whole numbers, an exponent below 1e-4 and from
// 1e16 on ("1e-05", "1e+16"), and inf, -inf and nan.
func FormatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
