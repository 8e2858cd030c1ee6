package template

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type ctxKey struct{}

// ctxSink records the context value each Put receives.
type ctxSink struct {
	mu   sync.Mutex
	seen []any
}

func (s *ctxSink) Put(ctx context.Context, _ string, _ []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, ctx.Value(ctxKey{}))
	return nil
}
func (s *ctxSink) Close() error { return nil }

// TestBulkPassesContextToSink: Put gets the batch's context, so a sink doing I/O (a network store, a database)
// can honour its deadline and values.
func TestBulkPassesContextToSink(t *testing.T) {
	tp := loadDesign(t)
	ctx := context.WithValue(context.Background(), ctxKey{}, "batch-7")
	s := &ctxSink{}
	sum, err := tp.Bulk(ctx, batch(2), devID().Identity, s, &BulkOptions{Workers: 2})
	require.NoError(t, err)
	assert.Equal(t, 2, sum.Issued)
	assert.Equal(t, []any{"batch-7", "batch-7"}, s.seen)
}

// TestSinksHonourContext: every sink that writes refuses a done context and writes nothing.
func TestSinksHonourContext(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()

	dir := t.TempDir()
	err := (&DirSink{Dir: dir}).Put(done, "a.pkpass", []byte("x"))
	require.ErrorIs(t, err, context.Canceled)
	assert.NoFileExists(t, filepath.Join(dir, "a.pkpass"))

	var buf bytes.Buffer
	zs := NewZipSink(&buf)
	require.ErrorIs(t, zs.Put(done, "a.pkpass", []byte("x")), context.Canceled)
	require.NoError(t, zs.Close())

	bs := &BundleSink{Dir: dir}
	require.ErrorIs(t, bs.Put(done, "a.pkpass", []byte("x")), context.Canceled)
	require.NoError(t, bs.Close())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing written")

	// A live context writes as before.
	require.NoError(t, (&DirSink{Dir: dir}).Put(context.Background(), "b.pkpass", []byte("y")))
	assert.FileExists(t, filepath.Join(dir, "b.pkpass"))
}
