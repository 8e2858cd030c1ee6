package server

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/passforge/passforge/webservice/wallettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWallettestConformance plays the Wallet device simulator against the
// service: every protocol check, then an update made through the admin API
// whose push must reach APNs (pushtest, through the real push client).
func TestWallettestConformance(t *testing.T) {
	apns, c := newAPNs(t)
	h := newHarness(t, fastWorker(PushClient(c)))
	h.run()
	info, err := h.srv.Issue(t.Context(), "wt-1", Values{"name": json.RawMessage(`"Wally"`), "points": json.RawMessage(`1`)})
	require.NoError(t, err)
	data, _, err := h.srv.PassData(t.Context(), "wt-1")
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(devID().CA)
	opts := &wallettest.Options{Roots: roots}

	rep, err := wallettest.Check(t.Context(), data, opts)
	require.NoError(t, err)
	for _, r := range rep.Results {
		assert.True(t, r.OK, "%s: %s", r.Name, r.Detail)
	}
	require.True(t, rep.OK())

	points := 1
	update := func(ctx context.Context) error {
		points++
		resp, body := h.do("PATCH", "/api/v1/passes/wt-1", fmt.Sprintf(`{"values": {"points": %d}}`, points))
		if resp.StatusCode != 200 {
			return fmt.Errorf("PATCH: %d %s", resp.StatusCode, body)
		}
		return nil
	}
	waitPush := func(ctx context.Context, token string) error {
		for len(apns.RequestsFor(token)) == 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
		if got := apns.RequestsFor(token)[0].Header.Get("apns-topic"); got != testPassTypeID {
			return fmt.Errorf("apns-topic %q", got)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	rep, err = wallettest.CheckUpdate(ctx, data, update, &wallettest.UpdateOptions{Options: *opts, WaitPush: waitPush})
	require.NoError(t, err)
	for _, r := range rep.Results {
		assert.True(t, r.OK, "%s: %s", r.Name, r.Detail)
	}
	assert.Equal(t, "wt-1", info.SerialNumber)
}
