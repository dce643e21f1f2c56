package coerce

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// MaxTimedeltaDays is the largest number of days a timedelta holds, either
// way: Python's timedelta.max is 999999999 days, 23:59:59.999999.
const MaxTimedeltaDays = 999_999_999

const usPerDay = 86_400_000_000

// Timedelta is a duration with the range and precision of Python's
// datetime.timedelta, which Prefect's duration settings are: microseconds,
// up to 999,999,999 days either way (about 2.7 million years; a Go
// time.Duration stops at 292 years). The zero value is a zero duration;
// values compare with == and Compare.
type Timedelta struct {
	days int64 // -MaxTimedeltaDays ..= MaxTimedeltaDays
	us   int64 // microseconds into the day: 0 ..< usPerDay, as Python keeps them
}

// TimedeltaOf returns d as a Timedelta, truncated to microseconds.
func TimedeltaOf(d time.Duration) Timedelta {
	t, _ := makeTimedelta(0, d.Microseconds())
	return t
}

// NewTimedelta returns days, seconds and microseconds added together (any
// of them may be negative), as Python's timedelta(days, seconds,
// microseconds) does; ok is false beyond MaxTimedeltaDays.
func NewTimedelta(days, seconds, microseconds int64) (t Timedelta, ok bool) {
	if abs(days) > 2*MaxTimedeltaDays || abs(seconds) > 2*MaxTimedeltaDays*86400 || abs(microseconds) > math.MaxInt64/2 {
		return Timedelta{}, false
	}
	days += seconds / 86400
	return makeTimedelta(days, seconds%86400*1e6+microseconds)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// makeTimedelta normalises days and microseconds (which must not overflow
// when added as days*usPerDay would not: callers keep us within int64).
func makeTimedelta(days, us int64) (Timedelta, bool) {
	days += us / usPerDay
	us %= usPerDay
	if us < 0 {
		days--
		us += usPerDay
	}
	if days > MaxTimedeltaDays || days < -MaxTimedeltaDays {
		return Timedelta{}, false
	}
	return Timedelta{days: days, us: us}, true
}

// Days returns the whole days, as Python's timedelta.days: rounded down,
// so -1 second is -1 day and 86399 seconds.
func (t Timedelta) Days() int64 { return t.days }

// Duration returns t as a time.Duration, saturated at the largest and
// smallest time.Duration (about 292 years) for longer durations: as a
// timeout or a time to live, those are forever either way.
func (t Timedelta) Duration() time.Duration {
	const maxDays = math.MaxInt64 / (usPerDay * 1000)
	switch {
	case t.days > maxDays:
		return math.MaxInt64
	case t.days < -maxDays:
		return math.MinInt64
	}
	return time.Duration(t.days*usPerDay+t.us) * time.Microsecond
}

// Seconds returns the duration in seconds, as Python's total_seconds().
func (t Timedelta) Seconds() float64 {
	return float64(t.days)*86400 + float64(t.us)/1e6
}

// Compare returns -1, 0 or +1 as t is shorter than, as long as or longer
// than u.
func (t Timedelta) Compare(u Timedelta) int {
	switch {
	case t.days != u.days:
		return cmpInt(t.days, u.days)
	default:
		return cmpInt(t.us, u.us)
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String writes the duration as pydantic serialises a timedelta to JSON:
// ISO 8601 with years of 365 days, days, and a time part ("PT1H", "P7D",
// "P1DT2H", "PT1.5S", "PT0S", "P547Y345D"; "-PT1S" when negative).
func (t Timedelta) String() string {
	days, us := t.days, t.us
	var b strings.Builder
	if days < 0 { // the magnitude: -(days*D + us) = (-days-1)*D + (D-us)
		b.WriteByte('-')
		days, us = -days, -us
		if us < 0 {
			days--
			us += usPerDay
		}
	}
	b.WriteByte('P')
	if days >= 365 {
		fmt.Fprintf(&b, "%dY", days/365)
		days %= 365
	}
	if days != 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if us != 0 {
		b.WriteByte('T')
		h, m, s, frac := us/3600e6, us/60e6%60, us/1e6%60, us%1e6
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
	if t == (Timedelta{}) {
		b.WriteString("T0S")
	}
	return b.String()
}

// PyString writes the duration as Python's str(timedelta) does: "1:00:00",
// "7 days, 0:00:00", "-1 day, 23:59:59", "0:00:01.500000".
func (t Timedelta) PyString() string {
	h, rest := t.us/3600e6, t.us%3600e6
	m, rest := rest/60e6, rest%60e6
	sec, frac := rest/1e6, rest%1e6
	out := fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	if frac != 0 {
		out += fmt.Sprintf(".%06d", frac)
	}
	if t.days != 0 {
		unit := "days"
		if t.days == 1 || t.days == -1 {
			unit = "day"
		}
		out = fmt.Sprintf("%d %s, %s", t.days, unit, out)
	}
	return out
}

// MarshalText writes the duration as String does.
func (t Timedelta) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a duration as Duration reads a string.
func (t *Timedelta) UnmarshalText(b []byte) error {
	d, err := Duration(string(b))
	if err != nil {
		return err
	}
	*t = d
	return nil
}
