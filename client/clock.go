package client

import (
	"context"
	"time"
)

// Clock is the source of time for a Client: Now stamps rate-limit resets and
// resolves HTTP-date Retry-After values, and Sleep waits between attempts.
// Tests inject a fake Clock to check retry timing without waiting.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d or until ctx ends, whichever comes first. It returns
	// ctx.Err() when ctx ended before d elapsed and nil otherwise.
	Sleep(ctx context.Context, d time.Duration) error
}

// systemClock is the Clock backed by the time package.
type systemClock struct{}

var _ Clock = systemClock{}

// Now returns time.Now().
func (systemClock) Now() time.Time { return time.Now() }

// Sleep waits on a timer and on ctx.Done().
func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// nowClock reads the time from a func and waits with another Clock (WithNow).
type nowClock struct {
	now     func() time.Time
	sleeper Clock
}

var _ Clock = nowClock{}

// Now returns c.now().
func (c nowClock) Now() time.Time { return c.now() }

// Sleep waits with the Clock that was in place before WithNow.
func (c nowClock) Sleep(ctx context.Context, d time.Duration) error { return c.sleeper.Sleep(ctx, d) }
