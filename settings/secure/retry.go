package secure

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// defaultMaxMaintenance bounds the waits for a server in maintenance,
	// unless ClientOptions say otherwise.
	defaultMaxMaintenance = time.Hour
	// minMaintenanceWait is the shortest wait before asking a server in
	// maintenance again, whatever its Retry-After says.
	minMaintenanceWait = time.Second
)

// retryCodes are the statuses Prefect's client retries, 429, 502, 503 and
// 408, with client.retry_extra_codes.
func retryCodes(extra []int64) map[int]bool {
	codes := map[int]bool{
		http.StatusTooManyRequests: true, http.StatusBadGateway: true,
		http.StatusServiceUnavailable: true, http.StatusRequestTimeout: true,
	}
	for _, c := range extra {
		codes[int(c)] = true
	}
	return codes
}

// send sends req until the answer is final, as Prefect's client retries:
// transport errors worth another attempt, the retry codes, and a CSRF token
// the server refused, which is replaced. replayable says whether the body
// can be sent again, changes whether the method is state-changing, sent is
// the CSRF token req carries ("" for none).
func (t *Transport) send(req *http.Request, replayable, changes bool, sent string) (*http.Response, error) {
	ctx := req.Context()
	var maintenance time.Duration // waited out so far for maintenance answers
	for try := 0; ; {
		resp, err := t.next.RoundTrip(req)
		var wait time.Duration
		if err != nil {
			try++
			if !replayable || try > t.maxRetries || !t.retryable(ctx, err) {
				return nil, err
			}
			wait = t.backoff(try, false, 0)
			t.log.DebugContext(ctx, "retrying after a transport error", "method", req.Method, "path", req.URL.Path,
				"attempt", try, "of", t.maxRetries+1, "wait", wait, "error", err.Error())
		} else {
			t.connected.Store(true)
			// As Prefect: an answer during maintenance does not count
			// against the retries.
			inMaintenance := resp.Header.Get("Prefect-Maintenance") == "true"
			if !inMaintenance {
				try++
			}
			invalid := changes && resp.StatusCode == http.StatusForbidden && invalidCSRF(resp)
			if invalid {
				// Whatever happens next, the refused token is not used again.
				t.dropCSRF(sent)
			}
			if !invalid && !t.retryCodes[resp.StatusCode] {
				return resp, nil
			}
			if !replayable || try > t.maxRetries {
				return resp, nil
			}
			after, hasAfter := retryAfter(resp.Header.Get("Retry-After"), t.now())
			wait = t.backoff(try, hasAfter, after)
			if inMaintenance {
				wait = max(wait, minMaintenanceWait)
				if maintenance+wait > t.maxMaintenance {
					return resp, nil
				}
				maintenance += wait
			}
			t.log.DebugContext(ctx, "retrying after a retryable status", "method", req.Method, "path", req.URL.Path,
				"status", resp.StatusCode, "attempt", try, "of", t.maxRetries+1, "maintenance", inMaintenance, "wait", wait)
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if invalid {
				if sent, err = t.addCSRF(req); err != nil {
					return nil, err
				}
			}
		}
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
		if err := rewind(req); err != nil {
			return nil, err
		}
	}
}

// retryable reports whether a transport error is worth another attempt:
// timeouts, resets and broken connections, and a refused connection once
// the server has answered before (a restart), as Prefect's client does.
func (t *Transport) retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return t.connected.Load()
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "connection reset")
}

// backoff is Prefect's delay before another attempt: Retry-After when the
// server sent it, with jitter that only lengthens it; else 2^try seconds
// with jitter either side.
func (t *Transport) backoff(try int, hasAfter bool, after time.Duration) time.Duration {
	d := after
	if !hasAfter {
		d = time.Duration(1<<min(try, 30)) * time.Second
	}
	if d <= 0 || t.jitter <= 0 {
		return max(d, 0)
	}
	if hasAfter {
		return clampDuration(float64(d) * (1 + t.jitter*t.rand()))
	}
	return clampDuration(float64(d) * (1 + t.jitter*(2*t.rand()-1)))
}

// clampDuration converts nanoseconds to a duration between zero and a day
// beyond maxRetryAfter: a huge jitter factor must not overflow.
func clampDuration(ns float64) time.Duration {
	return time.Duration(min(max(ns, 0), float64(2*maxRetryAfter)))
}

// maxRetryAfter bounds a Retry-After delay: a larger one is read as this.
const maxRetryAfter = 24 * time.Hour

// retryAfter parses a Retry-After value: seconds (Prefect reads a float) or
// an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(secs) && !math.IsInf(secs, 0) {
		// Clamp before converting: a float beyond int64 does not convert.
		return time.Duration(min(max(secs, 0), maxRetryAfter.Seconds()) * float64(time.Second)), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return min(max(at.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}

// sleep waits d, or less when ctx ends first, and returns ctx's error then.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
