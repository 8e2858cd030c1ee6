package sqlitestore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/webservice"
)

func TestVersionCacheEvicts(t *testing.T) {
	c := newVersionCache(100)
	c.put(1, 1, make([]byte, 20))
	c.put(2, 1, make([]byte, 20))
	c.put(3, 1, make([]byte, 26)) // over a quarter: not cached
	_, ok := c.get(3, 1)
	assert.False(t, ok)
	_, ok = c.get(1, 1) // 1 is now the most recent
	require.True(t, ok)
	for i := int64(10); i < 14; i++ {
		c.put(i, 1, make([]byte, 20))
	}
	assert.LessOrEqual(t, c.size, 100)
	_, ok = c.get(2, 1)
	assert.False(t, ok, "the least recently used entry went first")
	_, ok = c.get(1, 2)
	assert.False(t, ok, "another tag is another version")
	got, ok := c.get(13, 1)
	require.True(t, ok)
	grown := append(got, 9)
	grown[0] = 1
	again, _ := c.get(13, 1)
	assert.Zero(t, again[0], "an append copies: the cached bytes stay as they were")
	assert.Len(t, again, 20)
	var nilCache *versionCache
	_, ok = nilCache.get(1, 1)
	assert.False(t, ok)
	nilCache.put(1, 1, []byte("x"))
}

// TestPassNeverServesAStaleVersion: a version cached by one store is not
// served after another store (another process) on the same file updated
// the pass, and changing returned bytes does not change what is served.
func TestPassNeverServesAStaleVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "passes.db")
	a, err := Open(ctx, path, nil)
	require.NoError(t, err)
	defer a.Close()
	b, err := Open(ctx, path, nil)
	require.NoError(t, err)
	defer b.Close()

	require.NoError(t, a.CreatePass(ctx, &webservice.Pass{PassTypeIdentifier: "pass.x", SerialNumber: "1",
		AuthTokenHash: webservice.HashToken("t"), Data: []byte("version 1")}))
	p, err := a.Pass(ctx, "pass.x", "1")
	require.NoError(t, err)
	require.Equal(t, "version 1", string(p.Data))
	p, err = a.Pass(ctx, "pass.x", "1")
	require.NoError(t, err)
	require.Equal(t, "version 1", string(p.Data), "served from the cache")
	p.Data = append(p.Data, " and more"...)
	p, err = a.Pass(ctx, "pass.x", "1")
	require.NoError(t, err)
	require.Equal(t, "version 1", string(p.Data), "appending to returned bytes leaves the cache alone")

	_, err = b.UpdatePass(ctx, "pass.x", "1", nil, func(p *webservice.Pass) error {
		p.Data = []byte("version 2")
		return nil
	})
	require.NoError(t, err)
	p, err = a.Pass(ctx, "pass.x", "1")
	require.NoError(t, err)
	assert.Equal(t, "version 2", string(p.Data))

	// Deleted and issued again under the same serial: a new row, a new version.
	require.NoError(t, b.DeletePass(ctx, "pass.x", "1"))
	require.NoError(t, b.CreatePass(ctx, &webservice.Pass{PassTypeIdentifier: "pass.x", SerialNumber: "1",
		AuthTokenHash: webservice.HashToken("t"), Data: []byte("reissued")}))
	p, err = a.Pass(ctx, "pass.x", "1")
	require.NoError(t, err)
	assert.Equal(t, "reissued", string(p.Data))

	// Without a cache the answers are the same.
	c, err := Open(ctx, path, &Options{CacheBytes: -1})
	require.NoError(t, err)
	defer c.Close()
	p, err = c.Pass(ctx, "pass.x", "1")
	require.NoError(t, err)
	assert.Equal(t, "reissued", string(p.Data))
}
