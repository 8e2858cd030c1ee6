package pgstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/internal/pgtest"
	"github.com/passforge/passforge/webservice"
)

// openStore opens a store in a fresh schema of PASSFORGE_TEST_POSTGRES's database (skipping without it).
func openStore(t testing.TB, opts ...Option) (*Store, string) {
	t.Helper()
	url := pgtest.URL(t)
	s, err := Open(context.Background(), url, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, url
}

const passType = "pass.com.example.test"

func newPass(serial string) *webservice.Pass {
	return &webservice.Pass{
		PassTypeIdentifier: passType,
		SerialNumber:       serial,
		AuthTokenHash:      webservice.HashToken("token-of-" + serial),
		Data:               []byte("pkpass " + serial),
		AppData:            []byte(`{"name":"Jane"}`),
	}
}

func TestOpenMigratesOnceWhenInstancesStartTogether(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	const n = 4
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			stores[i], errs[i] = Open(ctx, url)
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "instance %d", i)
		defer stores[i].Close()
	}

	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var applied int
	require.NoError(t, conn.QueryRow(ctx,
		`SELECT count(*) FROM `+migrationTable+` WHERE version_id > 0 AND is_applied`).Scan(&applied))
	entries, err := migrations.ReadDir("migrations")
	require.NoError(t, err)
	assert.Equal(t, len(entries), applied, "each migration applied exactly once")

	// Every instance works on the one schema: a pass created by one is seen by all.
	require.NoError(t, stores[0].CreatePass(ctx, newPass("shared")))
	for i := range n {
		p, err := stores[i].Pass(ctx, passType, "shared")
		require.NoError(t, err)
		assert.Equal(t, "shared", p.SerialNumber)
	}
}

func TestOpenAgainKeepsData(t *testing.T) {
	s, url := openStore(t)
	ctx := context.Background()
	require.NoError(t, s.CreatePass(ctx, newPass("kept")))
	require.NoError(t, s.Close())

	s2, err := Open(ctx, url)
	require.NoError(t, err)
	defer s2.Close()
	p, err := s2.Pass(ctx, passType, "kept")
	require.NoError(t, err)
	assert.Equal(t, []byte("pkpass kept"), p.Data)
}

func TestOpenUnreachableServerFails(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = Open(ctx, "postgres://app:s3cret-pw@"+addr+"/db?sslmode=disable")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pgstore: ")
	assert.NotContains(t, err.Error(), "s3cret-pw")
}

func TestOpenBadInput(t *testing.T) {
	ctx := context.Background()
	_, err := Open(ctx, "postgres://app:s3cret-pw@host:notaport/db")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pgstore: ")
	assert.NotContains(t, err.Error(), "s3cret-pw")

	_, err = Open(ctx, "postgres://localhost/db", WithMaxConns(0))
	require.ErrorContains(t, err, "pgstore: WithMaxConns(0)")

	_, err = New(ctx, nil)
	require.ErrorContains(t, err, "pgstore: New: nil pool")
}

func TestOpenMissingSchema(t *testing.T) {
	url := pgtest.URL(t)
	// search_path naming a schema that does not exist.
	bad := url[:len(url)-len("pftest_0000000000000000")] + "pftest_does_not_exist"
	_, err := Open(context.Background(), bad)
	require.ErrorContains(t, err, "no schema of the connection's search_path exists")
}

func TestOneConnectionIsEnough(t *testing.T) {
	// Migrating holds one connection for the advisory lock; it must not need a second one.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, _ := openStore(t, WithMaxConns(1))
	require.NoError(t, s.CreatePass(ctx, newPass("one")))
	_, err := s.UpdatePass(ctx, passType, "one", &webservice.UpdateOptions{Enqueue: true}, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 1, s.pool.Config().MaxConns)
}

func TestNewLeavesTheCallersPoolOpen(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	defer pool.Close()
	s, err := New(ctx, pool)
	require.NoError(t, err)
	require.NoError(t, s.CreatePass(ctx, newPass("p")))
	require.NoError(t, s.Close())
	require.NoError(t, pool.Ping(ctx), "the caller's pool is still usable after Close")
}

func TestDatabaseErrorsKeepPgError(t *testing.T) {
	s, url := openStore(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP TABLE passforge_outbox")
	require.NoError(t, err)

	_, err = s.OutboxDepth(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pgstore: outbox depth")
	var pgErr *pgconn.PgError
	require.True(t, errors.As(err, &pgErr), "the *pgconn.PgError is kept: %v", err)
	assert.Equal(t, "42P01", pgErr.Code) // undefined_table
}

// TestClaimSkipsLockedRows: an entry another transaction holds locked is skipped at once, not waited for.
func TestClaimSkipsLockedRows(t *testing.T) {
	s, url := openStore(t)
	ctx := context.Background()
	require.NoError(t, s.CreatePass(ctx, newPass("p")))
	for i := range 2 {
		_, err := s.Register(ctx, webservice.Registration{
			DeviceLibraryIdentifier: fmt.Sprintf("device%d", i), PushToken: fmt.Sprintf("%064x", i),
			PassTypeIdentifier: passType, SerialNumber: "p",
		})
		require.NoError(t, err)
	}
	res, err := s.UpdatePass(ctx, passType, "p", &webservice.UpdateOptions{Enqueue: true}, nil)
	require.NoError(t, err)
	require.Equal(t, 2, res.Queued)

	// Another instance is in the middle of claiming the oldest entry.
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	var lockedID int64
	require.NoError(t, tx.QueryRow(ctx, `SELECT id FROM passforge_outbox ORDER BY id LIMIT 1 FOR UPDATE`).Scan(&lockedID))

	claimCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	got, err := s.Claim(claimCtx, "instance-b", 10, time.Minute)
	require.NoError(t, err, "Claim must not wait for the locked row")
	require.Len(t, got, 1)
	assert.NotEqual(t, lockedID, got[0].ID)
	assert.Equal(t, "instance-b", got[0].LeaseOwner)
}

// TestTagsBecomeVisibleInOrder plays a device polling UpdatedSince while several writers update its
// passes. A poll that answers "latest is L" while an update with a tag in (since, L] has not committed yet
// makes the device skip that update for good: the next poll asks for tags above L. So every update whose
// tag falls in a poll's (since, latest] range must have been listed by that poll.
func TestTagsBecomeVisibleInOrder(t *testing.T) {
	s, _ := openStore(t, WithMaxConns(12))
	ctx := context.Background()
	const passes, writers, rounds = 16, 8, 60
	for i := range passes {
		serial := fmt.Sprintf("s%02d", i)
		require.NoError(t, s.CreatePass(ctx, newPass(serial)))
		_, err := s.Register(ctx, webservice.Registration{
			DeviceLibraryIdentifier: "poller", PushToken: "aa", PassTypeIdentifier: passType, SerialNumber: serial,
		})
		require.NoError(t, err)
	}

	type update struct {
		serial string
		tag    int64
	}
	type pollResult struct {
		since, latest int64
		serials       []string
	}
	var polls []pollResult
	var since int64
	poll := func() {
		serials, latest, err := s.UpdatedSince(ctx, "poller", passType, since)
		require.NoError(t, err)
		if len(serials) > 0 {
			require.Greater(t, latest, since, "the latest tag only moves forward")
			polls = append(polls, pollResult{since, latest, serials})
			since = latest
		}
	}
	poll()

	var wg sync.WaitGroup
	done := make(chan struct{})
	updates := make(chan update, writers*rounds)
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				serial := fmt.Sprintf("s%02d", (w*7+r)%passes)
				res, err := s.UpdatePass(ctx, passType, serial, nil, func(p *webservice.Pass) error {
					p.Data = fmt.Appendf(nil, "w%d r%d", w, r)
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
				updates <- update{serial, res.Pass.Tag}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	for polling := true; polling; {
		select {
		case <-done:
			polling = false
		default:
			poll()
		}
	}
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	close(updates)
	poll()
	require.Greater(t, len(polls), 2, "the device polled while the writers worked")

	checked := 0
	for u := range updates {
		for _, p := range polls {
			if u.tag > p.since && u.tag <= p.latest {
				checked++
				assert.Contains(t, p.serials, u.serial,
					"update of %s with tag %d was not listed by the poll since %d that answered latest %d: the device skips it",
					u.serial, u.tag, p.since, p.latest)
				break
			}
		}
	}
	assert.Equal(t, writers*rounds, checked, "every update falls in one poll's range")
}

// TestTagIsTakenAtCommit: an update whose function is still running when another update commits gets the
// larger tag, so a device told about the other update cannot skip it.
func TestTagIsTakenAtCommit(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	require.NoError(t, s.CreatePass(ctx, newPass("slow")))
	require.NoError(t, s.CreatePass(ctx, newPass("fast")))

	inFn := make(chan struct{})
	release := make(chan struct{})
	var slow *webservice.UpdateResult
	var slowErr error
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		slow, slowErr = s.UpdatePass(ctx, passType, "slow", nil, func(p *webservice.Pass) error {
			close(inFn)
			<-release
			p.Data = []byte("v2")
			return nil
		})
	}()
	<-inFn
	fast, err := s.UpdatePass(ctx, passType, "fast", nil, nil)
	require.NoError(t, err)
	close(release)
	<-finished
	require.NoError(t, slowErr)
	assert.Greater(t, slow.Pass.Tag, fast.Pass.Tag)
}
