package webhook

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock(unix int64) *fakeClock { return &fakeClock{t: time.Unix(unix, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestMemoryStoreLifecycle(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock(1_000_000)
	var m MemoryStore // the zero value is ready
	m.Now = clock.Now
	exp := clock.Now().Add(time.Minute)

	require.NoError(t, m.Claim(ctx, "a", exp))
	assert.ErrorIs(t, m.Claim(ctx, "a", exp), ErrInProgress)
	require.NoError(t, m.Complete(ctx, "a", exp))
	assert.ErrorIs(t, m.Claim(ctx, "a", exp), ErrDuplicate)

	require.NoError(t, m.Claim(ctx, "b", exp))
	require.NoError(t, m.Release(ctx, "b"))
	require.NoError(t, m.Claim(ctx, "b", exp), "released keys are claimable again")
	require.NoError(t, m.Release(ctx, "unknown"))

	clock.Add(time.Minute)
	require.NoError(t, m.Claim(ctx, "a", clock.Now().Add(time.Minute)), "expired keys are forgotten")
	assert.Equal(t, 1, m.Len(), "a was re-claimed, b expired and was swept")

	// Complete of a key the store no longer holds records it.
	require.NoError(t, m.Complete(ctx, "c", clock.Now().Add(time.Minute)))
	assert.ErrorIs(t, m.Claim(ctx, "c", exp), ErrDuplicate)

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, m.Claim(canceled, "d", exp), context.Canceled)
	assert.ErrorIs(t, m.Complete(canceled, "d", exp), context.Canceled)
	assert.ErrorIs(t, m.Release(canceled, "d"), context.Canceled)
}

func TestMemoryStoreBoundsMemory(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock(1_000_000)
	m := &MemoryStore{MaxEntries: 100, Now: clock.Now}
	exp := clock.Now().Add(time.Hour)
	for i := range 10_000 {
		key := fmt.Sprint("k", i)
		require.NoError(t, m.Claim(ctx, key, exp))
		switch i % 3 {
		case 0:
			require.NoError(t, m.Release(ctx, key))
		case 1:
			require.NoError(t, m.Complete(ctx, key, exp))
		}
		require.LessOrEqual(t, m.Len(), 100)
	}
	m.mu.Lock()
	queued := len(m.queue) - m.head
	m.mu.Unlock()
	assert.LessOrEqual(t, queued, 2*100+64+1, "the queue stays proportional to the entries")
	assert.Equal(t, 99, m.Len(), "full, less the last key, which was released")

	// The newest keys are kept, the oldest evicted first.
	assert.ErrorIs(t, m.Claim(ctx, "k9997", exp), ErrDuplicate)
	require.NoError(t, m.Claim(ctx, "k1", exp))

	// Expiry empties the store without new keys beyond one.
	clock.Add(2 * time.Hour)
	require.NoError(t, m.Claim(ctx, "late", clock.Now().Add(time.Hour)))
	assert.Equal(t, 1, m.Len())
}

func TestMemoryStoreConcurrentClaims(t *testing.T) {
	ctx := context.Background()
	var m MemoryStore
	exp := time.Now().Add(time.Hour)
	var wg sync.WaitGroup
	wins := make([]int, 20)
	var mu sync.Mutex
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				if m.Claim(ctx, fmt.Sprint(k), exp) == nil {
					mu.Lock()
					wins[k]++
					mu.Unlock()
					_ = m.Complete(ctx, fmt.Sprint(k), exp)
				}
			}
		}()
	}
	wg.Wait()
	for k, n := range wins {
		assert.Equal(t, 1, n, "key %d claimed once", k)
	}
}
