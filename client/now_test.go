package client

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithNow: the client reads the time through WithNow's func() time.Time, the way every passforge package
// takes a clock, while sleeps between attempts stay with the Clock.
func TestWithNow(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }

	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(429, `{"message":"slow down"}`, "Retry-After", at.Add(90*time.Second).Format(http.TimeFormat))(w)
	})
	c, clk := newTestClient(t, s.URL, WithRetryPolicy(RetryPolicy{MaxRetryAfter: time.Minute}), WithNow(now))
	_, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 90*time.Second, rl.RetryAfter, "the HTTP date is resolved against the injected time")
	assert.Equal(t, at.Add(90*time.Second), rl.RetryAt)
	assert.Empty(t, clk.Sleeps())

	// A short wait is still slept through the Clock (here the fake one): WithNow changes what is read, not how
	// the client waits.
	s2 := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			status(503, `{"message":"busy"}`, "Retry-After", "2")(w)
			return
		}
		status(200, `{}`)(w)
	})
	c, clk = newTestClient(t, s2.URL, WithNow(now))
	_, err = c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second}, clk.Sleeps())

	_, err = New(WithBaseURL(s.URL), WithNow(nil))
	assert.ErrorContains(t, err, "client: nil")
}
