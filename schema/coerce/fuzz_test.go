package coerce_test

import (
	"testing"
	"time"

	"github.com/strata-settings/strata/schema/coerce"
)

var seeds = []string{"", "0", "1", " 5 ", "+3", "1_000", "5.0", "5.5", "1e3", "0x10", "inf", "-Infinity", "nan", ".5", "5.",
	"PT1H", "P1DT2H", "-PT1S", "P0.5D", "1:00:00", "1 day, 1:00:00", "2 days", "1d", "3600", "01:30:00.5", "P", "PT", "yes", "OFF"}

// FuzzScalars feeds every coercion arbitrary strings: no panic, and an
// error always has a message.
func FuzzScalars(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range map[string]func(any) error{
			"Bool":            func(v any) error { _, err := coerce.Bool(v); return err },
			"Int":             func(v any) error { _, err := coerce.Int(v); return err },
			"Float":           func(v any) error { _, err := coerce.Float(v); return err },
			"Duration":        func(v any) error { _, err := coerce.Duration(v); return err },
			"SecondsDuration": func(v any) error { _, err := coerce.SecondsDuration(v); return err },
		} {
			if err := fn(s); err != nil && err.Error() == "" {
				t.Errorf("%s(%q): empty error", name, s)
			}
		}
	})
}

// FuzzDurationRoundTrip checks that every duration pydantic can write reads
// back as the same duration.
func FuzzDurationRoundTrip(f *testing.F) {
	for _, n := range []int64{0, 1, -1, 3600e6, 86400e6 * 400, 1500000, -86400e6 - 1} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, us int64) {
		if us > 1e17 || us < -1e17 {
			return // beyond time.Duration's range
		}
		d := coerce.TimedeltaOf(time.Duration(us) * time.Microsecond)
		s := d.String()
		back, err := coerce.Duration(s)
		if err != nil || back != d {
			t.Errorf("FormatDuration(%v) = %q, read back as %v, %v", d, s, back, err)
		}
	})
}

// FuzzTimedeltaRoundTrip covers the whole range of a timedelta: what
// String writes, Duration reads back the same; and every string Duration
// accepts is written back to a string that reads the same.
func FuzzTimedeltaRoundTrip(f *testing.F) {
	f.Add(int64(200000), int64(0), "P200000D")
	f.Add(int64(-coerce.MaxTimedeltaDays), int64(1), "-P2739726Y9DT0.000001S")
	f.Add(int64(coerce.MaxTimedeltaDays), int64(86400e6-1), "99999 days, 23:59:59.999999")
	f.Fuzz(func(t *testing.T, days, us int64, s string) {
		if d, ok := coerce.NewTimedelta(days%(coerce.MaxTimedeltaDays+1), 0, us%86400e6); ok {
			back, err := coerce.Duration(d.String())
			if err != nil || back != d {
				t.Errorf("%q read back as %v, %v", d.String(), back, err)
			}
		}
		if d, err := coerce.Duration(s); err == nil {
			back, err := coerce.Duration(d.String())
			if err != nil || back != d {
				t.Errorf("Duration(%q) = %q, read back as %v, %v", s, d.String(), back, err)
			}
		}
	})
}
