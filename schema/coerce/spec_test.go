package coerce_test

import (
	"fmt"
	"math"
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
	if d, ok := v.(time.Duration); ok {
		return coerce.FormatDuration(d)
	}
	return fmt.Sprint(v)
}

// The examples of Prefect's coercion table (SPEC §4), and their edges.
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
		if got := coerce.FormatDuration(d); got != want {
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
