package secure

import (
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 1.5 ", 1500 * time.Millisecond, true},
		{"-2", 0, true},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"3s", 0, false},
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0, true},
		{"tomorrow", 0, false},
		{"1e300", 24 * time.Hour, true},
		{"Mon, 01 Jan 9999 00:00:00 GMT", 24 * time.Hour, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseExpiration(t *testing.T) {
	want := time.Date(2026, 3, 1, 13, 0, 0, 123456000, time.UTC)
	for _, in := range []string{"2026-03-01T13:00:00.123456Z", "2026-03-01T13:00:00.123456+00:00",
		"2026-03-01T14:00:00.123456+01:00", "2026-03-01T13:00:00.123456"} {
		if got := parseExpiration(in); !got.Equal(want) {
			t.Errorf("parseExpiration(%q) = %v, want %v", in, got, want)
		}
	}
	if got := parseExpiration("soon"); !got.IsZero() {
		t.Errorf("parseExpiration(soon) = %v, want zero", got)
	}
}
