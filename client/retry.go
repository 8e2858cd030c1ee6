package client

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Defaults of RetryPolicy, used where a field is zero.
const (
	DefaultMaxAttempts   = 4
	DefaultBaseDelay     = 500 * time.Millisecond
	DefaultMaxDelay      = 30 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
)

// RetryPolicy says how often and how long a Client retries a failed attempt.
// The zero value is the default policy.
//
// An attempt is retried when it failed with a network error (including a
// per-attempt timeout) or with status 408, 429, 500, 502, 503 or 504, and the
// request is safe to repeat: a GET, HEAD, OPTIONS or TRACE, a Request marked
// Idempotent, or a request carrying an idempotency key.
//
// Any other request (an un-keyed POST, PATCH, PUT or DELETE) is retried only
// when it provably never reached the server (dialing failed) or when the
// server answered 429 or 503: both say the request was not processed, and
// providers such as Passinstance ask clients to send it again after
// Retry-After. It is never retried after 408, 500, 502 or 504, or after a
// network error once the request may have been sent: the write may have
// taken effect, and without a key a second one could apply it twice.
//
// The wait before retry n (n = 1 for the second attempt) is the server's
// Retry-After when the response has one, otherwise
// min(MaxDelay, BaseDelay·2^(n-1)) with "equal jitter": half of that delay
// plus a random part of the other half.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included.
	// If zero, DefaultMaxAttempts (4). 1 disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry. If zero,
	// DefaultBaseDelay (500 ms).
	BaseDelay time.Duration
	// MaxDelay caps the exponential backoff. If zero, DefaultMaxDelay (30 s).
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits for itself.
	// A longer one ends the call with a *RateLimitError carrying the wait, so
	// the caller can schedule the request later. If zero,
	// DefaultMaxRetryAfter (60 s).
	MaxRetryAfter time.Duration
	// Jitter returns a number in [0, 1) that picks the random part of each
	// backoff; values outside that range are clamped. If nil,
	// math/rand/v2.Float64.
	Jitter func() float64
}

// validate reports a policy that cannot be used.
func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 0:
		return fmt.Errorf("client: retry policy: MaxAttempts %d is negative", p.MaxAttempts)
	case p.BaseDelay < 0:
		return fmt.Errorf("client: retry policy: BaseDelay %v is negative", p.BaseDelay)
	case p.MaxDelay < 0:
		return fmt.Errorf("client: retry policy: MaxDelay %v is negative", p.MaxDelay)
	case p.MaxRetryAfter < 0:
		return fmt.Errorf("client: retry policy: MaxRetryAfter %v is negative", p.MaxRetryAfter)
	}
	w := p.withDefaults()
	if w.BaseDelay > w.MaxDelay {
		return fmt.Errorf("client: retry policy: BaseDelay %v exceeds MaxDelay %v", w.BaseDelay, w.MaxDelay)
	}
	return nil
}

// withDefaults returns p with every zero field replaced by its default.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if p.Jitter == nil {
		p.Jitter = rand.Float64
	}
	return p
}

// Backoff returns the wait before retry n (1 for the second attempt) when
// the server gave no Retry-After. p must have its defaults applied.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	if d > p.MaxDelay || d <= 0 {
		d = p.MaxDelay
	}
	j := p.Jitter()
	if j < 0 || j != j { // NaN compares unequal to itself
		j = 0
	}
	if j >= 1 {
		j = 1
	}
	half := d / 2
	return half + time.Duration(j*float64(d-half))
}

// retryableStatus reports whether a response status is worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// safeMethod reports whether an HTTP method never changes server state.
func safeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// maxRetryAfterSeconds bounds parsed Retry-After values so the conversion to
// time.Duration cannot overflow.
const maxRetryAfterSeconds = 1 << 32

// parseRetryAfter reads a Retry-After header value in either of its forms,
// delay-seconds or HTTP-date, relative to now. A date in the past is a zero
// wait. ok is false when the value is absent or malformed.
func parseRetryAfter(v string, now time.Time) (wait time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > maxRetryAfterSeconds {
			secs = maxRetryAfterSeconds
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	wait = t.Sub(now)
	if wait < 0 {
		wait = 0
	}
	return wait, true
}
