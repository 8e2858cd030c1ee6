package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/passforge/passforge/push"
	"github.com/passforge/passforge/push/pushtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newAPNs starts pushtest and a push client for it, made as the outbox
// wants it (few retries, short timeouts).
func newAPNs(t testing.TB) (*pushtest.Server, *push.Client) {
	t.Helper()
	apns, err := pushtest.NewServer()
	require.NoError(t, err)
	t.Cleanup(apns.Close)
	c, err := push.New(devID().Identity, push.WithURL(apns.URL), push.WithRootCAs(apns.CertPool()),
		push.WithRetry(1, 10*time.Millisecond, 50*time.Millisecond), push.WithTimeout(time.Second),
		push.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return apns, c
}

func TestPushClientOutcomes(t *testing.T) {
	apns, c := newAPNs(t)
	p := PushClient(c)
	gone := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	cases := []struct {
		name   string
		script []pushtest.Response
		want   PushOutcome
	}{
		{"delivered", nil, PushDelivered},
		{"410", []pushtest.Response{pushtest.Unregistered(gone)}, PushUnregistered},
		{"bad device token", []pushtest.Response{pushtest.BadDeviceToken()}, PushUnregistered},
		{"not for topic", []pushtest.Response{pushtest.DeviceTokenNotForTopic()}, PushFailed},
		{"forbidden", []pushtest.Response{pushtest.Forbidden("BadCertificate")}, PushFailed},
		{"429 then 200", []pushtest.Response{pushtest.TooManyRequests()}, PushDelivered},
		{"503 every time", []pushtest.Response{pushtest.ServiceUnavailable(), pushtest.ServiceUnavailable(), pushtest.ServiceUnavailable()}, PushRetry},
		{"500 every time", []pushtest.Response{pushtest.InternalServerError(), pushtest.InternalServerError(), pushtest.InternalServerError()}, PushRetry},
		{"hangs", []pushtest.Response{{Delay: 10 * time.Second}, {Delay: 10 * time.Second}, {Delay: 10 * time.Second}, {Delay: 10 * time.Second}}, PushRetry},
		{"drops the connection", []pushtest.Response{{Drop: true}, {Drop: true}, {Drop: true}, {Drop: true}}, PushRetry},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			token := hexToken(byte(40 + i))
			apns.Script(token, c.script...)
			r := p.Push(t.Context(), token, testPassTypeID)
			assert.Equal(t, c.want, r.Outcome, "%v", r.Err)
			if c.want != PushDelivered {
				assert.Error(t, r.Err)
			}
			if c.name == "410" {
				assert.True(t, r.Unregistered.Equal(gone), "%s != %s", r.Unregistered, gone)
			}
			if c.name == "bad device token" {
				assert.WithinDuration(t, time.Now(), r.Unregistered, 5*time.Second)
			}
		})
	}
	r := p.Push(t.Context(), "not-hex", testPassTypeID)
	assert.Equal(t, PushFailed, r.Outcome, "a malformed token never goes through")
}

// TestWorkerWithAPNs runs the outbox against pushtest through the real
// push client: every entry ends as APNs answered.
func TestWorkerWithAPNs(t *testing.T) {
	apns, c := newAPNs(t)
	h := newHarness(t, fastWorker(PushClient(c)))
	ctx := t.Context()
	_, err := h.srv.Issue(ctx, "a-1", Values{"name": json.RawMessage(`"A"`)})
	require.NoError(t, err)
	ok, gone, flaky, config := hexToken(60), hexToken(61), hexToken(62), hexToken(63)
	for i, tok := range []string{ok, gone, flaky, config} {
		h.register("apnsdevice"+string(rune('a'+i)), tok, "a-1")
	}
	apns.Script(gone, pushtest.Unregistered(time.Now().Add(time.Minute)))
	apns.Script(flaky, pushtest.ServiceUnavailable(), pushtest.ServiceUnavailable(), pushtest.ServiceUnavailable())
	apns.Script(config, pushtest.DeviceTokenNotForTopic())
	h.run()
	_, err = h.srv.Update(ctx, "a-1", Values{"points": json.RawMessage(`9`)})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return h.depth() == 0 }, 10*time.Second, 10*time.Millisecond)

	assert.Len(t, apns.RequestsFor(ok), 1)
	assert.Len(t, apns.RequestsFor(gone), 1)
	assert.Len(t, apns.RequestsFor(config), 1)
	assert.GreaterOrEqual(t, len(apns.RequestsFor(flaky)), 4, "retried by the outbox after the client gave up")
	req := apns.RequestsFor(ok)[0]
	assert.Equal(t, testPassTypeID, req.Header.Get("apns-topic"))
	assert.JSONEq(t, `{}`, string(req.Body))
	regs, err := h.store.Registrations(ctx, testPassTypeID, "a-1")
	require.NoError(t, err)
	assert.Len(t, regs, 3, "the unregistered token's registration is gone")
	for _, r := range regs {
		assert.NotEqual(t, gone, r.PushToken)
	}
}
