package webhook

import (
	"context"
	"sync"
	"time"
)

// ReplayStore remembers which deliveries were processed, so that a replayed
// or retried delivery is not dispatched twice. Keys are opaque strings made
// by the Handler; each is remembered until its expiry. Implementations must
// be safe for concurrent use; a shared store (a database, Redis) lets
// several processes behind a load balancer share one memory.
//
// The interface follows autocert.Cache: small, with a context on each call.
type ReplayStore interface {
	// Claim records key as being processed until expires. It returns
	// ErrDuplicate if key was completed and has not expired, and
	// ErrInProgress if another claim on key is still running.
	Claim(ctx context.Context, key string, expires time.Time) error
	// Complete records key as processed until expires.
	Complete(ctx context.Context, key string, expires time.Time) error
	// Release forgets key, so that a later delivery with it is processed
	// again; the Handler calls it when processing failed.
	Release(ctx context.Context, key string) error
}

var _ ReplayStore = (*MemoryStore)(nil)

// DefaultMaxEntries is the capacity of a MemoryStore whose MaxEntries is zero.
const DefaultMaxEntries = 100_000

// MemoryStore is a ReplayStore in process memory. It bounds its memory: it
// holds at most MaxEntries keys, drops expired keys as it goes, and when
// full forgets the oldest key first (a replay of that delivery would then
// be caught only by the timestamp check). The zero value is an empty store
// ready to use. A MemoryStore must not be copied after first use.
type MemoryStore struct {
	// MaxEntries is the most keys held at once. If zero, DefaultMaxEntries.
	MaxEntries int
	// Now is the clock that decides expiry. If nil, time.Now.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]*memEntry
	queue   []*memEntry // in order of insertion; queue[head:] is live or dead
	head    int
}

type memEntry struct {
	key     string
	expires time.Time
	done    bool
	dead    bool // removed from entries; its queue slot is waiting to be dropped
}

// Claim implements ReplayStore.
func (m *MemoryStore) Claim(ctx context.Context, key string, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.sweep(now)
	if e, ok := m.entries[key]; ok {
		if now.Before(e.expires) {
			if e.done {
				return ErrDuplicate
			}
			return ErrInProgress
		}
		m.remove(e)
	}
	m.insert(key, expires, false)
	return nil
}

// Complete implements ReplayStore.
func (m *MemoryStore) Complete(ctx context.Context, key string, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok {
		e.done, e.expires = true, expires
		return nil
	}
	// Evicted while it was being processed: record it again.
	m.sweep(m.now())
	m.insert(key, expires, true)
	return nil
}

// Release implements ReplayStore.
func (m *MemoryStore) Release(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok {
		m.remove(e)
	}
	return nil
}

// Len returns the number of keys held, expired ones included until they are swept.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

func (m *MemoryStore) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *MemoryStore) max() int {
	if m.MaxEntries > 0 {
		return m.MaxEntries
	}
	return DefaultMaxEntries
}

func (m *MemoryStore) insert(key string, expires time.Time, done bool) {
	if m.entries == nil {
		m.entries = make(map[string]*memEntry)
	}
	for len(m.entries) >= m.max() {
		m.sweepDead()
		m.remove(m.queue[m.head]) // the oldest live entry
	}
	e := &memEntry{key: key, expires: expires, done: done}
	m.entries[key] = e
	m.queue = append(m.queue, e)
	// Keep the queue within a constant factor of the live entries.
	if live := len(m.queue) - m.head; live > 2*len(m.entries)+64 || m.head > len(m.queue)/2 {
		m.compact()
	}
}

func (m *MemoryStore) remove(e *memEntry) {
	if m.entries[e.key] == e {
		delete(m.entries, e.key)
	}
	e.dead = true
}

// sweep drops dead entries and expired ones from the head of the queue.
// Entries inserted later with an earlier expiry wait for their turn; the
// capacity bound holds regardless.
func (m *MemoryStore) sweep(now time.Time) {
	for m.head < len(m.queue) {
		e := m.queue[m.head]
		if !e.dead && now.Before(e.expires) {
			return
		}
		if !e.dead {
			m.remove(e)
		}
		m.queue[m.head] = nil
		m.head++
	}
}

func (m *MemoryStore) sweepDead() {
	for m.head < len(m.queue) && m.queue[m.head].dead {
		m.queue[m.head] = nil
		m.head++
	}
}

func (m *MemoryStore) compact() {
	q := m.queue[:0]
	for _, e := range m.queue[m.head:] {
		if !e.dead {
			q = append(q, e)
		}
	}
	clear(m.queue[len(q):])
	m.queue, m.head = q, 0
}
