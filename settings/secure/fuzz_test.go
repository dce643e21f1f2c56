package secure

import (
	"testing"
	"time"
)

// FuzzRetryAfter: any Retry-After header gives a delay between zero and
// maxRetryAfter, never a panic.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"3", "1.5", "-2", "1e300", "NaN", "Sun, 01 Mar 2026 12:00:30 GMT", "Mon, 01 Jan 9999 00:00:00 GMT", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, _ := retryAfter(v, now)
		if d < 0 || d > maxRetryAfter {
			t.Fatalf("retryAfter(%q) = %v", v, d)
		}
	})
}

// FuzzParseExpiration: any expiration text parses or gives the zero time.
func FuzzParseExpiration(f *testing.F) {
	for _, s := range []string{"2026-03-01T13:00:00.123456Z", "2026-03-01T13:00:00.123456", "soon", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		parseExpiration(v)
	})
}
