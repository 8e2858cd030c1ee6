package sqlitestore

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/webservice"
)

const childEnv = "PASSFORGE_SQLITESTORE_CHILD"

// TestMain lets the test binary act as a second process opening the store.
func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(child(path))
	}
	code := m.Run()
	cleanupBench()
	os.Exit(code)
}

// child opens the store and creates one pass, as a second instance would.
func child(path string) int {
	ctx := context.Background()
	s, err := Open(ctx, path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	for i := range 50 {
		p := &webservice.Pass{PassTypeIdentifier: "pass.x", SerialNumber: fmt.Sprintf("%d-%d", os.Getpid(), i),
			AuthTokenHash: webservice.HashToken("t")}
		if err := s.CreatePass(ctx, p); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// TestTwoProcessesOpenAtOnce starts several processes that open a new file
// at the same moment and write to it: migrations run once, every write lands
// and tags stay unique.
func TestTwoProcessesOpenAtOnce(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "shared.db")
	const procs = 3
	cmds := make([]*exec.Cmd, procs)
	for i := range cmds {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+path)
		cmds[i] = cmd
	}
	outs := make(chan error, procs)
	for _, cmd := range cmds {
		go func() {
			out, err := cmd.CombinedOutput()
			if err != nil {
				err = fmt.Errorf("%w: %s", err, out)
			}
			outs <- err
		}()
	}
	for range procs {
		require.NoError(t, <-outs)
	}
	ctx := context.Background()
	s, err := Open(ctx, path, nil)
	require.NoError(t, err)
	defer s.Close()
	c, err := s.Counts(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(procs*50), c.Passes)
	var distinct, applied int64
	require.NoError(t, s.reader.QueryRowContext(ctx, "SELECT count(DISTINCT tag) FROM passes").Scan(&distinct))
	require.Equal(t, int64(procs*50), distinct, "tags unique across processes")
	require.NoError(t, s.reader.QueryRowContext(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id = 1").Scan(&applied))
	require.Equal(t, int64(1), applied)
}
