package server

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/webservice"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptedPusher answers each token from a script, then PushDelivered, and
// records every push. It stands for APNs at the Pusher interface; the
// adapter of the real push client is tested against pushtest.
type scriptedPusher struct {
	mu      sync.Mutex
	script  map[string][]PushResult
	sent    map[string]int
	topics  []string
	block   chan struct{} // when not nil, each push waits for it
	entered chan struct{} // when not nil, told of each push before it waits
}

func newScriptedPusher() *scriptedPusher {
	return &scriptedPusher{script: map[string][]PushResult{}, sent: map[string]int{}}
}

func (p *scriptedPusher) Push(ctx context.Context, token, topic string) PushResult {
	if p.entered != nil {
		p.entered <- struct{}{}
	}
	if p.block != nil {
		select {
		case <-p.block:
		case <-ctx.Done():
			return PushResult{Outcome: PushRetry, Err: ctx.Err()}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent[token]++
	p.topics = append(p.topics, topic)
	if s := p.script[token]; len(s) > 0 {
		p.script[token] = s[1:]
		return s[0]
	}
	return PushResult{Outcome: PushDelivered}
}

func (p *scriptedPusher) count(token string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent[token]
}

func hexToken(b byte) string {
	t := make([]byte, 64)
	for i := range t {
		t[i] = "0123456789abcdef"[(int(b)+i)%16]
	}
	return string(t)
}

// register registers a device for serial straight in the store.
func (h *harness) register(device, token, serial string) {
	h.t.Helper()
	_, err := h.store.Register(h.t.Context(), webservice.Registration{DeviceLibraryIdentifier: device, PushToken: token, PassTypeIdentifier: testPassTypeID, SerialNumber: serial})
	require.NoError(h.t, err)
}

func (h *harness) depth() int64 {
	h.t.Helper()
	n, err := h.store.OutboxDepth(h.t.Context())
	require.NoError(h.t, err)
	return n
}

// run starts the worker and stops it when the test ends.
func (h *harness) run() {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.srv.Run(ctx) }()
	h.t.Cleanup(func() {
		cancel()
		require.NoError(h.t, <-done)
	})
}

func fastWorker(p Pusher) func(*Config) {
	return func(c *Config) {
		c.Pusher = p
		c.PollInterval = 20 * time.Millisecond
		c.MaxBackoff = 40 * time.Millisecond
		c.Lease = 2 * time.Second
		c.PushTimeout = time.Second
	}
}

func TestWorkerOutcomes(t *testing.T) {
	p := newScriptedPusher()
	h := newHarness(t, fastWorker(p))
	ctx := t.Context()
	_, err := h.srv.Issue(ctx, "w-1", Values{"name": json.RawMessage(`"W"`)})
	require.NoError(t, err)
	delivered, flaky, gone, stale, broken := hexToken(1), hexToken(2), hexToken(3), hexToken(4), hexToken(5)
	h.register("dev-delivered", delivered, "w-1")
	h.register("dev-flaky", flaky, "w-1")
	h.register("dev-gone", gone, "w-1")
	h.register("dev-stale", stale, "w-1")
	h.register("dev-broken", broken, "w-1")
	p.script[flaky] = []PushResult{{Outcome: PushRetry, Err: errors.New("503 ServiceUnavailable")}, {Outcome: PushRetry, Err: errors.New("connection dropped")}}
	p.script[gone] = []PushResult{{Outcome: PushUnregistered, Unregistered: time.Now().Add(time.Hour)}}
	// APNs learned of this token's end before the device registered again:
	// the newer registration stays.
	p.script[stale] = []PushResult{{Outcome: PushUnregistered, Unregistered: time.Now().Add(-time.Hour)}}
	p.script[broken] = []PushResult{{Outcome: PushFailed, Err: errors.New("DeviceTokenNotForTopic")}}

	info, err := h.srv.Update(ctx, "w-1", Values{"points": json.RawMessage(`1`)})
	require.NoError(t, err)
	assert.Equal(t, 5, *info.PushesQueued)
	assert.EqualValues(t, 5, h.depth())
	h.run()
	require.Eventually(t, func() bool { return h.depth() == 0 }, 10*time.Second, 10*time.Millisecond)

	assert.Equal(t, 1, p.count(delivered))
	assert.Equal(t, 3, p.count(flaky), "retried until delivered")
	assert.Equal(t, 1, p.count(gone))
	assert.Equal(t, 1, p.count(broken), "a permanent error is not retried")
	for _, topic := range p.topics {
		assert.Equal(t, testPassTypeID, topic)
	}
	regs, err := h.store.Registrations(ctx, testPassTypeID, "w-1")
	require.NoError(t, err)
	var devices []string
	for _, r := range regs {
		devices = append(devices, r.DeviceLibraryIdentifier)
	}
	assert.ElementsMatch(t, []string{"dev-delivered", "dev-flaky", "dev-stale", "dev-broken"}, devices)

	resp, body := h.doAuth("GET", "/metrics", "", "")
	require.Equal(t, 200, resp.StatusCode)
	for _, want := range []string{
		`passforge_pushes_total{outcome="delivered"} 2`,
		`passforge_pushes_total{outcome="retry"} 2`,
		`passforge_pushes_total{outcome="unregistered"} 2`,
		`passforge_pushes_total{outcome="failed"} 1`,
		"passforge_outbox_depth 0",
		"passforge_registrations 4",
	} {
		assert.Contains(t, string(body), want)
	}
	assert.Contains(t, h.logs.String(), "push failed permanently")
}

func TestWorkerOffKeepsOutbox(t *testing.T) {
	h := newHarness(t, nil) // no Pusher: APNs off
	ctx := t.Context()
	_, err := h.srv.Issue(ctx, "o-1", Values{"name": json.RawMessage(`"O"`)})
	require.NoError(t, err)
	h.register("dev-1", hexToken(7), "o-1")
	info, err := h.srv.Update(ctx, "o-1", Values{"points": json.RawMessage(`2`)})
	require.NoError(t, err)
	assert.Equal(t, 1, *info.PushesQueued)
	h.run()
	time.Sleep(100 * time.Millisecond)
	assert.EqualValues(t, 1, h.depth())
}

func TestWorkerStopsAfterInFlightPushes(t *testing.T) {
	p := newScriptedPusher()
	p.block = make(chan struct{})
	p.entered = make(chan struct{}, 1)
	h := newHarness(t, fastWorker(p))
	ctx := t.Context()
	_, err := h.srv.Issue(ctx, "s-1", Values{"name": json.RawMessage(`"S"`)})
	require.NoError(t, err)
	tok := hexToken(9)
	h.register("dev-1", tok, "s-1")
	_, err = h.srv.Update(ctx, "s-1", Values{"points": json.RawMessage(`3`)})
	require.NoError(t, err)

	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.srv.Run(runCtx) }()
	// Stop the worker while the push hangs: Run waits for it.
	select {
	case <-p.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the worker sent nothing")
	}
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned with a push in flight")
	case <-time.After(100 * time.Millisecond):
	}
	close(p.block)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	assert.Equal(t, 1, p.count(tok))
	assert.EqualValues(t, 0, h.depth(), "the push in flight was completed")
}

func TestWorkerLeaseLapses(t *testing.T) {
	// An instance that claimed an entry and died: once its lease lapses,
	// another sends it.
	p := newScriptedPusher()
	h := newHarness(t, fastWorker(p))
	ctx := t.Context()
	_, err := h.srv.Issue(ctx, "l-1", Values{"name": json.RawMessage(`"L"`)})
	require.NoError(t, err)
	tok := hexToken(11)
	h.register("dev-1", tok, "l-1")
	_, err = h.srv.Update(ctx, "l-1", Values{"points": json.RawMessage(`4`)})
	require.NoError(t, err)
	const lease = 1500 * time.Millisecond
	claimed, err := h.store.Claim(ctx, "dead-instance", 10, lease)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	start := time.Now()
	h.run()
	time.Sleep(200 * time.Millisecond)
	if time.Since(start) < lease-100*time.Millisecond { // a stalled machine may have slept through the lease
		assert.Equal(t, 0, p.count(tok), "not sent while the lease holds")
	}
	require.Eventually(t, func() bool { return h.depth() == 0 }, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, 1, p.count(tok))
}

func TestBackoff(t *testing.T) {
	s := &Server{cfg: Config{MaxBackoff: time.Minute}}
	for attempts, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second} {
		for range 20 {
			d := s.backoff(attempts)
			assert.GreaterOrEqual(t, d, want/2)
			assert.LessOrEqual(t, d, want)
		}
	}
	for range 20 {
		d := s.backoff(40)
		assert.GreaterOrEqual(t, d, 30*time.Second)
		assert.LessOrEqual(t, d, time.Minute)
	}
}
