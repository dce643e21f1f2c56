package coerce

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

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
	return false, &Error{"Input should be a valid boolean, unable to interpret input"}
}

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
		if t == math.Trunc(t) {
			return int64(t), nil
		}
		return 0, &Error{"Input should be a valid integer, got a number with a fractional part"}
	case string:
		s := strings.TrimSpace(t)
		s = strings.ReplaceAll(s, "_", "")
		if i := strings.IndexByte(s, '.'); i >= 0 && strings.Trim(s[i+1:], "0") == "" {
			s = s[:i]
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err == nil {
			return n, nil
		}
	}
	return 0, &Error{"Input should be a valid integer, unable to parse string as an integer"}
}

func Float(v any) (float64, error) {
	switch t := v.(type) {
	case int64:
		return float64(t), nil
	case float64:
		return t, nil
	case bool:
		if t {
			return 1, nil
		}
		return 0, nil
	case string:
		s := strings.ReplaceAll(strings.TrimSpace(t), "_", "")
		f, err := strconv.ParseFloat(s, 64)
		if err == nil || strings.Contains(err.Error(), "range") {
			return f, nil
		}
	}
	return 0, &Error{"Input should be a valid number, unable to parse string as a number"}
}

func Str(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", &Error{"Input should be a valid string"}
}

func Duration(v any) (time.Duration, error) {
	switch t := v.(type) {
	case int64:
		return time.Duration(t) * time.Second, nil
	case float64:
		return time.Duration(t * 1e9), nil
	case string:
		if d, ok := parse(t); ok {
			return d, nil
		}
	}
	return 0, &Error{"Input should be a valid timedelta"}
}

func parse(s string) (time.Duration, bool) {
	if strings.HasPrefix(s, "P") {
		var total float64
		inT := false
		num := ""
		for _, r := range s[1:] {
			switch {
			case r >= '0' && r <= '9' || r == '.':
				num += string(r)
			case r == 'T':
				inT = true
			default:
				f, err := strconv.ParseFloat(num, 64)
				if err != nil {
					return 0, false
				}
				num = ""
				unit := map[rune]float64{'Y': 365 * 86400, 'W': 7 * 86400, 'D': 86400, 'H': 3600, 'S': 1}[r]
				if r == 'M' {
					unit = 30 * 86400
					if inT {
						unit = 60
					}
				}
				if unit == 0 {
					return 0, false
				}
				total += f * unit
			}
		}
		if num != "" {
			return 0, false
		}
		return time.Duration(total * 1e9), true
	}
	days := 0.0
	rest := s
	if i := strings.Index(s, "day"); i >= 0 {
		f, err := strconv.ParseFloat(strings.TrimSpace(s[:i]), 64)
		if err != nil {
			return 0, false
		}
		days = f
		rest = strings.TrimLeft(s[i+3:], "s")
		rest = strings.TrimSpace(strings.TrimPrefix(rest, ","))
		if rest == "" {
			return time.Duration(days * 86400e9), true
		}
	} else if strings.HasSuffix(s, "d") {
		f, err := strconv.ParseFloat(s[:len(s)-1], 64)
		if err != nil {
			return 0, false
		}
		return time.Duration(f * 86400e9), true
	}
	parts := strings.Split(rest, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var secs float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return 0, false
		}
		secs += f * []float64{3600, 60, 1}[i]
	}
	return time.Duration((days*86400 + secs) * 1e9), true
}

func SecondsDuration(v any) (time.Duration, error) {
	if s, ok := v.(string); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			if math.IsInf(f, 0) || math.IsNaN(f) {
				return 0, &Error{"Input should be a finite duration"}
			}
			return time.Duration(f * 1e9), nil
		}
	}
	return Duration(v)
}

func FormatDuration(d time.Duration) string {
	us := d.Microseconds()
	neg := us < 0
	if neg {
		us = -us
	}
	days := us / 86400e6
	rest := us % 86400e6
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('P')
	if days >= 365 {
		fmt.Fprintf(&b, "%dY", days/365)
		days %= 365
	}
	if days != 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if rest != 0 {
		b.WriteByte('T')
		h, m := rest/3600e6, rest/60e6%60
		s, f := rest/1e6%60, rest%1e6
		if h != 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m != 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
		if s != 0 || f != 0 {
			fmt.Fprintf(&b, "%d", s)
			if f != 0 {
				b.WriteString(strings.TrimRight(fmt.Sprintf(".%06d", f), "0"))
			}
			b.WriteByte('S')
		}
	}
	if us == 0 {
		b.WriteString("T0S")
	}
	return b.String()
}

func FormatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eIN") {
		s += ".0"
	}
	return s
}
