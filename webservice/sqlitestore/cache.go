package sqlitestore

import (
	"container/list"
	"sync"
)

// versionCache keeps the signed .pkpass bytes of recently served versions,
// keyed by pass row id and update tag. A version never changes once written
// (every change takes a new tag, a re-created pass a new id), so an entry is
// never stale: this is what lets Pass skip reading the blob's overflow pages
// on every request. It holds at most max bytes, least recently used out.
type versionCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *cacheEntry, most recent at the front
	byKey map[cacheKey]*list.Element
}

type cacheKey struct{ id, tag int64 }

type cacheEntry struct {
	key  cacheKey
	data []byte
}

func newVersionCache(max int) *versionCache {
	return &versionCache{max: max, order: list.New(), byKey: map[cacheKey]*list.Element{}}
}

// get returns the cached bytes themselves, with their capacity clipped so
// an append copies them. Callers must not write into them (Store.Pass's
// contract: a store may share returned bytes with a cache); copying 16 KiB
// per request cost a tenth of the latest-pass endpoint's time.
func (c *versionCache) get(id, tag int64) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[cacheKey{id, tag}]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	data := e.Value.(*cacheEntry).data
	return data[:len(data):len(data)], true
}

// put stores a copy of data unless it is larger than a quarter of the cache.
func (c *versionCache) put(id, tag int64, data []byte) {
	if c == nil || len(data) > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := cacheKey{id, tag}
	if _, ok := c.byKey[k]; ok {
		return
	}
	c.byKey[k] = c.order.PushFront(&cacheEntry{key: k, data: append([]byte(nil), data...)})
	c.size += len(data)
	for c.size > c.max {
		last := c.order.Back()
		ent := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.byKey, ent.key)
		c.size -= len(ent.data)
	}
}
