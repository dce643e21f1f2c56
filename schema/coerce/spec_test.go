package coerce_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/strata-settings/strata/schema/coerce"
)

func result(v any, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	if f, ok := v.(float64); ok {
		return coerce.FormatFloat(f)
	}
	if d, ok := v.(coerce.Timedelta); ok {
		return d.String()
	}
	return fmt.Sprint(v)
}

// The examples of Prefect's coercion rules, and their edges.
func TestBool(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"tRuE", "true"}, {"N", "false"}, {"OFF", "false"}, {"1", "true"}, {"yes", "true"}, {"t", "true"}, {"on", "true"},
		{"0", "false"}, {"f", "false"}, {"no", "false"}, {true, "true"}, {int64(1), "true"}, {int64(0), "false"},
		{"", "error: Input should be a valid boolean, unable to interpret input"},
		{" true", "error: Input should be a valid boolean, unable to interpret input"},
		{"2", "error: Input should be a valid boolean, unable to interpret input"},
		{"1.0", "error: Input should be a valid boolean, unable to interpret input"},
		{"enabled", "error: Input should be a valid boolean, unable to interpret input"},
		{int64(2), "error: Input should be a valid boolean, unable to interpret input"},
	}
	for _, tt := range tests {
		if got := result(coerce.Bool(tt.in)); got != tt.want {
			t.Errorf("Bool(%#v) = %s; want %s", tt.in, got, tt.want)
		}
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{" 5", "5"}, {"5.0", "5"}, {"+3", "3"}, {"1_000", "1000"}, {"-7", "-7"}, {int64(42), "42"}, {float64(3), "3"},
		{"5.5", "error: Input should be a valid integer, unable to parse string as an integer"},
		{"1e3", "error: Input should be a valid integer, unable to parse string as an integer"},
		{"0x10", "error: Input should be a valid integer, unable to parse string as an integer"},
		{"", "error: Input should be a valid integer, unable to parse string as an integer"},
		{"1__0", "error: Input should be a valid integer, unable to parse string as an integer"},
		{"_1", "error: Input should be a valid integer, unable to parse string as an integer"},
		{2.5, "error: Input should be a valid integer, got a number with a fractional part"},
	}
	for _, tt := range tests {
		if got := result(coerce.Int(tt.in)); got != tt.want {
			t.Errorf("Int(%#v) = %s; want %s", tt.in, got, tt.want)
		}
	}
}

func TestFloat(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"1e2", "100.0"}, {"inf", "inf"}, {"-Infinity", "-inf"}, {".5", "0.5"}, {"5.", "5.0"}, {" 2.5 ", "2.5"},
		{"1_000.5", "1000.5"}, {int64(20), "20.0"}, {"1e-3", "0.001"}, {"1e-05", "1e-05"},
		{"1,5", "error: Input should be a valid number, unable to parse string as a number"},
		{"", "error: Input should be a valid number, unable to parse string as a number"},
		{"0x10", "error: Input should be a valid number, unable to parse string as a number"},
	}
	for _, tt := range tests {
		if got := result(coerce.Float(tt.in)); got != tt.want {
			t.Errorf("Float(%#v) = %s; want %s", tt.in, got, tt.want)
		}
	}
	if f, err := coerce.Float("nan"); err != nil || !math.IsNaN(f) {
		t.Errorf("Float(nan) = %v, %v", f, err)
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"PT1H", "PT1H"}, {"1:00:00", "PT1H"}, {"1 day, 1:00:00", "P1DT1H"}, {"2 days", "P2D"}, {"1d", "P1D"},
		{"P0.5D", "PT12H"}, {"01:30:00", "PT1H30M"}, {"00:00:45", "PT45S"}, {"P1DT2H", "P1DT2H"}, {"PT1.5S", "PT1.5S"},
		{"P1W", "P7D"}, {"-PT1H", "-PT1H"}, {int64(3600), "PT1H"}, {90.5, "PT1M30.5S"}, {int64(0), "PT0S"},
		{true, "PT1S"}, {false, "PT0S"}, // a TOML or JSON boolean is an integer in Python
		{"3600", "error: Input should be a valid timedelta, expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]"},
		{"1h", "error: Input should be a valid timedelta, expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]"},
		{" PT1H", "error: Input should be a valid timedelta, expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]"},
		{"", "error: Input should be a valid timedelta, expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]"},
		{"P", "error: Input should be a valid timedelta, expected ISO 8601 (PT1H) or [D days,] HH:MM[:SS]"},
	}
	for _, tt := range tests {
		if got := result(coerce.Duration(tt.in)); got != tt.want {
			t.Errorf("Duration(%#v) = %s; want %s", tt.in, got, tt.want)
		}
	}
}

func TestSecondsDuration(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"172800", "P2D"}, {"7200.5", "PT2H0.5S"}, {"PT2H", "PT2H"}, {" 60 ", "PT1M"}, {"1e2", "PT1M40S"}, {int64(15), "PT15S"},
		{"inf", "error: Input should be a finite duration"},
	}
	for _, tt := range tests {
		if got := result(coerce.SecondsDuration(tt.in)); got != tt.want {
			t.Errorf("SecondsDuration(%#v) = %s; want %s", tt.in, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	durations := map[time.Duration]string{
		0: "PT0S", time.Hour: "PT1H", 7 * 24 * time.Hour: "P7D", 90 * 24 * time.Hour: "P90D", 100 * 24 * time.Hour: "P100D",
		400 * 24 * time.Hour: "P1Y35D", time.Minute + 500*time.Millisecond: "PT1M0.5S", -time.Second: "-PT1S",
	}
	for d, want := range durations {
		if got := coerce.FormatDuration(coerce.TimedeltaOf(d)); got != want {
			t.Errorf("FormatDuration(%v) = %s; want %s", d, got, want)
		}
	}
	floats := map[float64]string{60: "60.0", 0.2: "0.2", 1e-5: "1e-05", 1e16: "1e+16", 123456789012345.0: "123456789012345.0", math.Inf(1): "inf"}
	for f, want := range floats {
		if got := coerce.FormatFloat(f); got != want {
			t.Errorf("FormatFloat(%v) = %s; want %s", f, got, want)
		}
	}
}

// TestTimedeltaRange: Prefect's durations are Python timedeltas, up to
// 999,999,999 days either way, written back by pydantic in years of 365
// days; beyond that, and for numbers of 2^32 or more, pydantic refuses.
func TestTimedeltaRange(t *testing.T) {
	const tooLarge = "error: Input should be a valid timedelta, durations may not exceed 999,999,999 days"
	const number = "error: Input should be a valid timedelta, a numeric value in the duration is too large"
	tests := []struct {
		in   any
		want string
	}{
		{"P200000D", "P547Y345D"},
		{"-P200000D", "-P547Y345D"},
		{"P999999999D", "P2739726Y9D"},
		{"P999999999DT23H59M59.999999S", "P2739726Y9DT23H59M59.999999S"},
		{"-P999999999D", "-P2739726Y9D"},
		{"P1000000000D", tooLarge},
		{"P999999999DT24H", tooLarge},
		{"P2739727Y", tooLarge},
		{"P4294967295D", tooLarge},
		{"P4294967296D", number},
		{"PT4294967295S", "P136Y70DT6H28M15S"},
		{"PT4294967296S", number},
		{"P" + strings.Repeat("9", 200000) + "D", number},
		{"P0." + strings.Repeat("5", 200000) + "D", "PT13H20M"},
		{"99999 days, 1:00:00", "P273Y354DT1H"},
		{"1000000000 days", tooLarge},
		{int64(86400 * 200000), "P547Y345D"},
		{float64(86400) * 999999999, "P2739726Y9D"},
		{float64(86400) * 1e9, tooLarge},
		{"P0.5Y", "P182DT12H"},
		{"-PT0.000001S", "-PT0.000001S"},
	}
	for _, tt := range tests {
		if got := result(coerce.Duration(tt.in)); got != tt.want {
			t.Errorf("Duration(%.40q) = %s; want %s", fmt.Sprint(tt.in), got, tt.want)
		}
	}
	if got := result(coerce.SecondsDuration("1.728e10")); got != "P547Y345D" {
		t.Errorf("SecondsDuration(1.728e10) = %s", got)
	}
	if got := result(coerce.SecondsDuration("1e20")); got != tooLarge {
		t.Errorf("SecondsDuration(1e20) = %s", got)
	}
}

func TestTimedelta(t *testing.T) {
	d, _ := coerce.Duration("-PT1S")
	if d.Days() != -1 || d.PyString() != "-1 day, 23:59:59" || d.Seconds() != -1 || d.Duration() != -time.Second {
		t.Errorf("-1s: days %d, %q, %v, %v", d.Days(), d.PyString(), d.Seconds(), d.Duration())
	}
	long, _ := coerce.Duration("P200000D")
	if long.Duration() != math.MaxInt64 || long.Seconds() != 200000*86400 || long.Compare(d) != 1 || d.Compare(long) != -1 {
		t.Errorf("P200000D: %v, %v", long.Duration(), long.Seconds())
	}
	if long.PyString() != "200000 days, 0:00:00" {
		t.Errorf("PyString %q", long.PyString())
	}
	var back coerce.Timedelta
	if b, _ := long.MarshalText(); back.UnmarshalText(b) != nil || back != long {
		t.Errorf("text round trip: %v", back)
	}
	if n, ok := coerce.NewTimedelta(0, -1, 0); !ok || n != d {
		t.Errorf("NewTimedelta(0, -1, 0) = %v", n)
	}
	if _, ok := coerce.NewTimedelta(coerce.MaxTimedeltaDays, 86400, 0); ok {
		t.Error("NewTimedelta beyond the range")
	}
}

// BenchmarkDurationDigits reads ISO durations of 2,000, 20,000 and 200,000
// digits, refused as too large: the time grows with the digits, no faster.
func BenchmarkDurationDigits(b *testing.B) {
	for _, n := range []int{2000, 20000, 200000} {
		for _, form := range []string{"P%sD", "P0.%sD", "%s days"} {
			s := fmt.Sprintf(form, strings.Repeat("7", n))
			b.Run(fmt.Sprintf("%s/n=%d", strings.ReplaceAll(form, "%s", "N"), n), func(b *testing.B) {
				for b.Loop() {
					coerce.Duration(s)
				}
			})
		}
	}
}
