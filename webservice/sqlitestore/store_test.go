package sqlitestore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/storetest"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "passes.db"), nil)
	require.NoError(t, err)
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) webservice.Store { return openTemp(t) }, nil)
}

func TestOpenRejectsBadPaths(t *testing.T) {
	for _, path := range []string{"", "a?b.db", "a#b.db"} {
		_, err := Open(context.Background(), path, nil)
		require.Error(t, err, "path %q", path)
		require.Contains(t, err.Error(), "sqlitestore: ")
	}
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing", "dir", "x.db"), nil)
	require.Error(t, err, "a missing folder is an error")
}

func TestOpenSettings(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	defer s.Close()
	var mode string
	require.NoError(t, s.reader.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	require.Equal(t, "wal", mode)
	var busy int
	require.NoError(t, s.writer.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
	require.Equal(t, 10000, busy)
	var fk int
	require.NoError(t, s.writer.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
	require.Equal(t, 1, fk)
	_, err := s.reader.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('x', x'00')")
	require.Error(t, err, "reader connections are query-only")
	require.Equal(t, 1, s.writer.Stats().MaxOpenConnections, "one writer connection")
	var version int64
	require.NoError(t, s.reader.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&version))
	require.Equal(t, int64(1), version, "the embedded migrations are applied and recorded")
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "passes.db")
	s, err := Open(ctx, path, &Options{Durable: true, Readers: 2})
	require.NoError(t, err)
	p := &webservice.Pass{PassTypeIdentifier: "pass.x", SerialNumber: "1", AuthTokenHash: webservice.HashToken("t")}
	require.NoError(t, s.CreatePass(ctx, p))
	require.NoError(t, s.Close())

	s, err = Open(ctx, path, nil)
	require.NoError(t, err)
	defer s.Close()
	got, err := s.Pass(ctx, "pass.x", "1")
	require.NoError(t, err)
	require.Equal(t, p.Tag, got.Tag)
	q := &webservice.Pass{PassTypeIdentifier: "pass.x", SerialNumber: "2", AuthTokenHash: webservice.HashToken("t")}
	require.NoError(t, s.CreatePass(ctx, q))
	require.Greater(t, q.Tag, p.Tag, "the tag sequence survives a restart")
}

// TestConcurrentOpen opens one new file from several goroutines at once, each
// with its own connections, as several instances starting together would.
func TestConcurrentOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "passes.db")
	const n = 8
	errs := make(chan error, n)
	stores := make(chan *Store, n)
	for range n {
		go func() {
			s, err := Open(ctx, path, nil)
			errs <- err
			stores <- s
		}()
	}
	for range n {
		require.NoError(t, <-errs)
	}
	for range n {
		s := <-stores
		var applied int
		require.NoError(t, s.reader.QueryRowContext(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id = 1").Scan(&applied))
		require.Equal(t, 1, applied, "the migration was applied exactly once")
		require.NoError(t, s.Close())
	}
}

func TestReaderMmap(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		opt  int64
		want int64
	}{{0, 1 << 30}, {4 << 20, 4 << 20}, {-1, 0}} {
		s, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"), &Options{MmapBytes: tc.opt})
		require.NoError(t, err)
		var got int64
		require.NoError(t, s.reader.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(&got))
		require.Equal(t, tc.want, got, "MmapBytes %d", tc.opt)
		require.NoError(t, s.Close())
	}
}
