package coerce

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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
// or "Dd". A bare number in a string ("3600") is not a duration. As in
// pydantic, every number written must be below 2^32, and the duration
// within MaxTimedeltaDays. The time taken is linear in the input.
func Duration(v any) (Timedelta, error) {
	switch t := v.(type) {
	case bool: // a TOML or JSON boolean is the integer 1 or 0, as in Python
		if t {
			return seconds(1)
		}
		return seconds(0)
	case int64:
		return seconds(float64(t))
	case float64:
		return seconds(t)
	case string:
		return parseDuration(t)
	}
	return Timedelta{}, fail(msgDuration)
}

// SecondsDuration is Prefect's SecondsTimeDelta: a string Python's float()
// reads is a number of seconds; anything else is read as by Duration.
func SecondsDuration(v any) (Timedelta, error) {
	if s, ok := v.(string); ok {
		if f, err := parseFloat(s); err == nil {
			return seconds(f)
		}
	}
	return Duration(v)
}

const (
	msgDurationForm     = msgDuration + ", expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]"
	msgDurationTooLarge = msgDuration + ", durations may not exceed 999,999,999 days"
	msgDurationNumber   = msgDuration + ", a numeric value in the duration is too large"
)

func seconds(f float64) (Timedelta, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return Timedelta{}, fail("Input should be a finite duration")
	}
	if math.Abs(f) >= (MaxTimedeltaDays+1)*86400 {
		return Timedelta{}, fail(msgDurationTooLarge)
	}
	days := math.Floor(f / 86400)
	rest := f - days*86400
	whole := math.Floor(rest)
	us := int64(whole)*1e6 + int64(math.Round((rest-whole)*1e6)) // pydantic keeps microseconds
	t, ok := makeTimedelta(int64(days), us)
	if !ok {
		return Timedelta{}, fail(msgDurationTooLarge)
	}
	return t, nil
}

// durationParts is a duration being read: days, seconds and microseconds,
// each kept well within int64 by the 2^32 bound on numbers.
type durationParts struct{ days, secs, us int64 }

// errDurationNumber is a number of 2^32 or more, which pydantic refuses.
var errDurationNumber = fail(msgDurationNumber)

func parseDuration(s string) (Timedelta, error) {
	body, neg := s, false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	var d durationParts
	var err error
	switch {
	case strings.HasPrefix(body, "P"):
		err = d.iso(body[1:])
	case strings.Contains(body, "d"):
		err = d.daysTime(body)
	default:
		err = d.clock(body)
	}
	if err != nil {
		return Timedelta{}, err
	}
	if d.days > 2*MaxTimedeltaDays || d.secs > 2*MaxTimedeltaDays*86400 {
		return Timedelta{}, fail(msgDurationTooLarge)
	}
	days, us := d.days, d.secs*1e6+d.us
	if neg {
		days, us = -days, -us
	}
	t, ok := makeTimedelta(days, us)
	if !ok {
		return Timedelta{}, fail(msgDurationTooLarge)
	}
	return t, nil
}

var errDurationForm = fail(msgDurationForm)

// number reads the digits at the start of s, with an optional fraction
// ("12", "1.5", ".5", "2."): the whole part below 2^32 and the fraction as
// a float. n is the bytes read; 0 when there is no number.
func number(s string) (whole int64, frac float64, n int, err error) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		if whole = whole*10 + int64(s[i]-'0'); whole > math.MaxUint32 {
			return 0, 0, 0, errDurationNumber
		}
		i++
	}
	digits := i
	if i < len(s) && s[i] == '.' {
		i++
		scale := 1.0
		for i < len(s) && isDigit(s[i]) {
			if scale > 1e-18 { // later digits cannot change a microsecond
				scale /= 10
				frac += float64(s[i]-'0') * scale
			}
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0, 0, errDurationForm
	}
	return whole, frac, i, nil
}

// addDays adds n and a fraction of mult days.
func (d *durationParts) addDays(n int64, frac float64, mult int64) error {
	if d.days += n * mult; d.days > math.MaxUint32 {
		return errDurationNumber
	}
	extra := frac * float64(mult)
	full := math.Trunc(extra)
	d.days += int64(full)
	return d.addSeconds(0, (extra-full)*86400, 1)
}

// addSeconds adds n and a fraction of mult seconds.
func (d *durationParts) addSeconds(n int64, frac float64, mult int64) error {
	if d.secs += n * mult; d.secs > math.MaxUint32 {
		return errDurationNumber
	}
	extra := frac * float64(mult)
	full := math.Trunc(extra)
	d.secs += int64(full)
	d.us += int64(math.Round((extra - full) * 1e6))
	return nil
}

// iso reads the part of an ISO 8601 duration after the P.
func (d *durationParts) iso(s string) error {
	if s == "" || s == "T" {
		return errDurationForm
	}
	inTime := false
	for i := 0; i < len(s); {
		if s[i] == 'T' && !inTime {
			inTime = true
			if i++; i == len(s) {
				return errDurationForm
			}
			continue
		}
		n, frac, used, err := number(s[i:])
		if err != nil {
			return err
		}
		if i += used; i == len(s) {
			return errDurationForm // a number without its unit
		}
		unit := s[i]
		i++
		switch {
		case !inTime && unit == 'Y':
			err = d.addDays(n, frac, 365)
		case !inTime && unit == 'M':
			err = d.addDays(n, frac, 30)
		case !inTime && unit == 'W':
			err = d.addDays(n, frac, 7)
		case !inTime && unit == 'D':
			err = d.addDays(n, frac, 1)
		case inTime && unit == 'H':
			err = d.addSeconds(n, frac, 3600)
		case inTime && unit == 'M':
			err = d.addSeconds(n, frac, 60)
		case inTime && unit == 'S':
			err = d.addSeconds(n, frac, 1)
		default:
			return errDurationForm
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// daysTime reads "D day[s][,] [clock]", "D d" and "Dd".
func (d *durationParts) daysTime(s string) error {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return errDurationForm
	}
	days, _, _, err := number(s[:i])
	if err != nil {
		return err
	}
	rest := strings.TrimLeft(s[i:], " ")
	switch {
	case strings.HasPrefix(rest, "days"):
		rest = rest[4:]
	case strings.HasPrefix(rest, "day"):
		rest = rest[3:]
	case strings.HasPrefix(rest, "d"):
		rest = rest[1:]
	default:
		return errDurationForm
	}
	rest = strings.TrimPrefix(rest, ",")
	rest = strings.TrimLeft(rest, " ")
	d.days = days
	if rest == "" {
		return nil
	}
	return d.clock(rest)
}

// clock reads "[H]H:MM[:SS[.ffffff]]".
func (d *durationParts) clock(s string) error {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return errDurationForm
	}
	for i, p := range parts {
		if p == "" {
			return errDurationForm
		}
		if i < 2 || !strings.Contains(p, ".") {
			for j := 0; j < len(p); j++ {
				if !isDigit(p[j]) {
					return errDurationForm
				}
			}
		}
		if i > 0 && len(strings.SplitN(p, ".", 2)[0]) != 2 {
			return errDurationForm
		}
		n, frac, used, err := number(p)
		if err != nil {
			return err
		}
		if used != len(p) || i > 0 && n >= 60 {
			return errDurationForm
		}
		if err := d.addSeconds(n, frac, []int64{3600, 60, 1}[i]); err != nil {
			return err
		}
	}
	return nil
}

// FormatDuration writes a duration as pydantic serialises a timedelta to
// JSON: t.String().
func FormatDuration(t Timedelta) string { return t.String() }

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
