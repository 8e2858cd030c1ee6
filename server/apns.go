package server

import (
	"context"
	"errors"
	"time"

	"github.com/passforge/passforge/push"
)

// PushClient adapts an APNs client to a Pusher for Config.Pusher. Its
// answers map to the outbox as the service needs them: delivered;
// unregistered (410 with APNs's timestamp, or 400 BadDeviceToken) deletes
// the token's older registrations; a configuration error (403, certificate
// or topic problems, DeviceTokenNotForTopic) or a malformed token is
// permanent; anything else (429, 5xx, a timeout, a lost connection, retries
// run out) is retried later with backoff.
//
// The outbox retries durably, so a client made for it should give up
// quickly: for example push.WithRetry(1, 500*time.Millisecond,
// 2*time.Second) and a push.WithTimeout well under Config.PushTimeout.
func PushClient(c *push.Client) Pusher { return apnsPusher{c} }

type apnsPusher struct{ c *push.Client }

func (p apnsPusher) Push(ctx context.Context, token, topic string) PushResult {
	r, err := p.c.Push(ctx, token, topic)
	switch r.Outcome {
	case push.Delivered:
		return PushResult{Outcome: PushDelivered}
	case push.Unregistered:
		at := r.Timestamp
		if at.IsZero() {
			at = time.Now()
		}
		return PushResult{Outcome: PushUnregistered, Unregistered: at, Err: err}
	}
	if errors.Is(err, push.ErrConfiguration) || errors.Is(err, push.ErrInvalidToken) {
		return PushResult{Outcome: PushFailed, Err: err}
	}
	return PushResult{Outcome: PushRetry, Err: err}
}
