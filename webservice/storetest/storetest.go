package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/webservice"
)

// Options size the suite. A nil *Options is the same as the zero value.
type Options struct {
	// Registrations is the number of concurrent registrations of the
	// "lose none" test. If zero, 1000.
	Registrations int
	// Updates is the number of concurrent pass updates of the tag-ordering
	// test. If zero, 200.
	Updates int
	// Claimers is the number of concurrent outbox claimers. If zero, 8.
	Claimers int
	// Parallel runs the subtests in parallel (each on its own store).
	Parallel bool
}

func (o *Options) registrations() int {
	if o == nil || o.Registrations <= 0 {
		return 1000
	}
	return o.Registrations
}

func (o *Options) updates() int {
	if o == nil || o.Updates <= 0 {
		return 200
	}
	return o.Updates
}

func (o *Options) claimers() int {
	if o == nil || o.Claimers <= 0 {
		return 8
	}
	return o.Claimers
}

// Run runs the conformance suite against stores made by open. open must
// return a new, empty store for each subtest (a fresh file, schema or
// database); Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) webservice.Store, opts *Options) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s webservice.Store, opts *Options)
	}{
		{"CreateAndGet", testCreateAndGet},
		{"ConcurrentRegistrations", testConcurrentRegistrations},
		{"IdempotentRegistration", testIdempotentRegistration},
		{"PushTokenReplaced", testPushTokenReplaced},
		{"RegisterUnknownPass", testRegisterUnknownPass},
		{"UnregisterLastRemovesDevice", testUnregisterLast},
		{"UpdatePass", testUpdatePass},
		{"ModifiedStrictlyIncreasing", testModifiedIncreasing},
		{"TagOrderingConcurrent", testTagOrdering},
		{"UpdatedSince", testUpdatedSince},
		{"DeleteCascades", testDeleteCascades},
		{"Outbox", testOutbox},
		{"OutboxLeaseLapses", testOutboxLeaseLapse},
		{"OutboxConcurrentClaimers", testOutboxConcurrentClaimers},
		{"RemoveUnregistered", testRemoveUnregistered},
		{"Settings", testSettings},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if opts != nil && opts.Parallel {
				t.Parallel()
			}
			s := open(t)
			require.NotNil(t, s, "open returned a nil store")
			t.Cleanup(func() { assert.NoError(t, s.Close()) })
			tc.fn(t, s, opts)
		})
	}
}

const passType = "pass.com.example.storetest"

// token returns a deterministic 64-hex-digit push token for n.
func token(n int) string { return fmt.Sprintf("%064x", n+1) }

func newPass(t *testing.T, s webservice.Store, typ, serial string) *webservice.Pass {
	t.Helper()
	p := &webservice.Pass{
		PassTypeIdentifier: typ,
		SerialNumber:       serial,
		AuthTokenHash:      webservice.HashToken("token-of-" + serial),
		Data:               []byte("pkpass " + serial),
		AppData:            []byte(`{"serial":"` + serial + `"}`),
	}
	require.NoError(t, s.CreatePass(context.Background(), p))
	return p
}

func register(t *testing.T, s webservice.Store, device, push, typ, serial string) bool {
	t.Helper()
	created, err := s.Register(context.Background(), webservice.Registration{
		DeviceLibraryIdentifier: device, PushToken: push, PassTypeIdentifier: typ, SerialNumber: serial,
	})
	require.NoError(t, err)
	return created
}

func counts(t *testing.T, s webservice.Store) webservice.Counts {
	t.Helper()
	c, err := s.Counts(context.Background())
	require.NoError(t, err)
	return c
}

func testCreateAndGet(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	require.NoError(t, s.Ping(ctx))
	before := time.Now().Add(-time.Second)
	p := newPass(t, s, passType, "A1")
	assert.Positive(t, p.Tag, "CreatePass sets a tag from the store's sequence")
	assert.Equal(t, p.Modified, p.Modified.Truncate(time.Second), "Modified is whole seconds")
	assert.False(t, p.Modified.Before(before.Truncate(time.Second)), "Modified is now")
	assert.False(t, p.Created.IsZero())

	got, err := s.Pass(ctx, passType, "A1")
	require.NoError(t, err)
	assert.Equal(t, passType, got.PassTypeIdentifier)
	assert.Equal(t, "A1", got.SerialNumber)
	assert.Equal(t, webservice.HashToken("token-of-A1"), got.AuthTokenHash)
	assert.Equal(t, []byte("pkpass A1"), got.Data)
	assert.Equal(t, []byte(`{"serial":"A1"}`), got.AppData)
	assert.Equal(t, p.Tag, got.Tag)
	assert.True(t, p.Modified.Equal(got.Modified), "Modified %v, stored %v", p.Modified, got.Modified)

	q := newPass(t, s, passType, "A2")
	assert.Greater(t, q.Tag, p.Tag, "tags strictly increase across passes")
	other := newPass(t, s, passType+".other", "A1")
	assert.Greater(t, other.Tag, q.Tag, "the same serial under another type is another pass")

	dup := &webservice.Pass{PassTypeIdentifier: passType, SerialNumber: "A1", AuthTokenHash: webservice.HashToken("x")}
	err = s.CreatePass(ctx, dup)
	require.ErrorIs(t, err, webservice.ErrExists)
	got, err = s.Pass(ctx, passType, "A1")
	require.NoError(t, err)
	assert.Equal(t, []byte("pkpass A1"), got.Data, "a refused duplicate changes nothing")

	empty := &webservice.Pass{PassTypeIdentifier: passType, SerialNumber: "E", AuthTokenHash: webservice.HashToken("e")}
	require.NoError(t, s.CreatePass(ctx, empty), "Data and AppData may be empty")
	got, err = s.Pass(ctx, passType, "E")
	require.NoError(t, err)
	assert.Empty(t, got.Data)
	assert.Empty(t, got.AppData)

	for _, bad := range []*webservice.Pass{
		{SerialNumber: "B", AuthTokenHash: webservice.HashToken("b")},
		{PassTypeIdentifier: passType, AuthTokenHash: webservice.HashToken("b")},
		{PassTypeIdentifier: passType, SerialNumber: "B", AuthTokenHash: []byte("short")},
	} {
		assert.Error(t, s.CreatePass(ctx, bad), "invalid pass %+v", bad)
	}
	_, err = s.Pass(ctx, passType, "B")
	assert.ErrorIs(t, err, webservice.ErrNotFound, "an invalid pass is not stored")
	_, err = s.Pass(ctx, passType, "nope")
	assert.ErrorIs(t, err, webservice.ErrNotFound)
	_, err = s.PushTokens(ctx, passType, "nope")
	assert.ErrorIs(t, err, webservice.ErrNotFound)
	_, err = s.Registrations(ctx, passType, "nope")
	assert.ErrorIs(t, err, webservice.ErrNotFound)

	c := counts(t, s)
	assert.Equal(t, webservice.Counts{Passes: 4}, c)
}

func testConcurrentRegistrations(t *testing.T, s webservice.Store, opts *Options) {
	ctx := context.Background()
	n := opts.registrations()
	const passes = 10
	for i := range passes {
		newPass(t, s, passType, fmt.Sprintf("S%02d", i))
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		errs    []error
		created int
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, err := s.Register(ctx, webservice.Registration{
				DeviceLibraryIdentifier: fmt.Sprintf("device%05d", i), PushToken: token(i),
				PassTypeIdentifier: passType, SerialNumber: fmt.Sprintf("S%02d", i%passes),
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			} else if ok {
				created++
			}
		}()
	}
	close(start)
	wg.Wait()
	require.Empty(t, errs, "concurrent registrations failed")
	assert.Equal(t, n, created, "every registration reported created")
	c := counts(t, s)
	assert.Equal(t, int64(n), c.Registrations, "registrations lost")
	assert.Equal(t, int64(n), c.Devices, "devices lost")
	total := 0
	for i := range passes {
		tokens, err := s.PushTokens(ctx, passType, fmt.Sprintf("S%02d", i))
		require.NoError(t, err)
		total += len(tokens)
	}
	assert.Equal(t, n, total, "push tokens lost")
	for _, i := range []int{0, n / 2, n - 1} {
		serials, latest, err := s.UpdatedSince(ctx, fmt.Sprintf("device%05d", i), passType, 0)
		require.NoError(t, err)
		assert.Equal(t, []string{fmt.Sprintf("S%02d", i%passes)}, serials)
		assert.Positive(t, latest)
	}
}

func testIdempotentRegistration(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	newPass(t, s, passType, "I1")
	assert.True(t, register(t, s, "dev1", token(1), passType, "I1"), "first registration is created (201)")
	regs, err := s.Registrations(ctx, passType, "I1")
	require.NoError(t, err)
	require.Len(t, regs, 1)
	first := regs[0].Registered
	assert.False(t, first.IsZero(), "the registration time is kept")
	time.Sleep(5 * time.Millisecond)
	assert.False(t, register(t, s, "dev1", token(1), passType, "I1"), "second registration already exists (200)")
	assert.False(t, register(t, s, "dev1", token(1), passType, "I1"))
	assert.Equal(t, webservice.Counts{Passes: 1, Devices: 1, Registrations: 1}, counts(t, s))
	regs, err = s.Registrations(ctx, passType, "I1")
	require.NoError(t, err)
	require.Len(t, regs, 1)
	assert.Equal(t, webservice.Registration{
		DeviceLibraryIdentifier: "dev1", PushToken: token(1), PassTypeIdentifier: passType, SerialNumber: "I1",
		Registered: regs[0].Registered,
	}, regs[0])
	assert.True(t, regs[0].Registered.After(first), "re-registering refreshes the registration time")
}

func testPushTokenReplaced(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	newPass(t, s, passType, "P1")
	newPass(t, s, passType, "P2")
	assert.True(t, register(t, s, "dev1", token(1), passType, "P1"))
	assert.True(t, register(t, s, "dev2", token(2), passType, "P1"))
	tokens, err := s.PushTokens(ctx, passType, "P1")
	require.NoError(t, err)
	assert.Equal(t, []string{token(1), token(2)}, tokens)

	// The device re-registers with a new token: 200, and the old token is gone everywhere.
	assert.False(t, register(t, s, "dev1", token(9), passType, "P1"))
	tokens, err = s.PushTokens(ctx, passType, "P1")
	require.NoError(t, err)
	assert.Equal(t, []string{token(2), token(9)}, tokens)

	assert.True(t, register(t, s, "dev1", token(10), passType, "P2"), "a new pass for a known device is created")
	tokens, err = s.PushTokens(ctx, passType, "P1")
	require.NoError(t, err)
	assert.Equal(t, []string{token(2), token(10)}, tokens, "one push token per device, the newest")
	assert.Equal(t, int64(2), counts(t, s).Devices)
}

func testRegisterUnknownPass(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	_, err := s.Register(ctx, webservice.Registration{
		DeviceLibraryIdentifier: "dev1", PushToken: token(1), PassTypeIdentifier: passType, SerialNumber: "missing",
	})
	require.ErrorIs(t, err, webservice.ErrNotFound)
	assert.Equal(t, webservice.Counts{}, counts(t, s), "a refused registration leaves no device behind")
	removed, err := s.Unregister(ctx, "dev1", passType, "missing")
	require.NoError(t, err, "unregistering an unknown registration is not an error")
	assert.False(t, removed)
}

func testUnregisterLast(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	newPass(t, s, passType, "U1")
	newPass(t, s, passType, "U2")
	register(t, s, "dev1", token(1), passType, "U1")
	register(t, s, "dev1", token(1), passType, "U2")
	register(t, s, "dev2", token(2), passType, "U1")

	removed, err := s.Unregister(ctx, "dev1", passType, "U1")
	require.NoError(t, err)
	assert.True(t, removed)
	assert.Equal(t, webservice.Counts{Passes: 2, Devices: 2, Registrations: 2}, counts(t, s), "dev1 still has U2")
	serials, _, err := s.UpdatedSince(ctx, "dev1", passType, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"U2"}, serials)

	removed, err = s.Unregister(ctx, "dev1", passType, "U2")
	require.NoError(t, err)
	assert.True(t, removed)
	assert.Equal(t, webservice.Counts{Passes: 2, Devices: 1, Registrations: 1}, counts(t, s), "dev1's last registration removes it")

	removed, err = s.Unregister(ctx, "dev1", passType, "U2")
	require.NoError(t, err)
	assert.False(t, removed, "unregistering twice is harmless")

	// A device that comes back is a new registration.
	assert.True(t, register(t, s, "dev1", token(3), passType, "U1"))
	tokens, err := s.PushTokens(ctx, passType, "U1")
	require.NoError(t, err)
	assert.Equal(t, []string{token(2), token(3)}, tokens)
}

func testUpdatePass(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	p := newPass(t, s, passType, "X1")
	register(t, s, "dev1", token(1), passType, "X1")
	register(t, s, "dev2", token(2), passType, "X1")

	res, err := s.UpdatePass(ctx, passType, "X1", nil, func(cur *webservice.Pass) error {
		assert.Equal(t, []byte("pkpass X1"), cur.Data, "fn sees the current version")
		assert.Equal(t, p.Tag, cur.Tag)
		cur.Data = []byte("pkpass X1 v2")
		cur.AppData = []byte(`{"v":2}`)
		cur.SerialNumber = "changed"    // ignored
		cur.PassTypeIdentifier = "nope" // ignored
		cur.Tag = 1 << 40               // ignored
		cur.Modified = time.Unix(1, 0)  // ignored
		return nil
	})
	require.NoError(t, err)
	require.NotNil(t, res.Pass)
	assert.Greater(t, res.Pass.Tag, p.Tag)
	assert.Less(t, res.Pass.Tag, int64(1<<40), "the tag comes from the store, not from fn")
	assert.True(t, res.Pass.Modified.After(p.Modified))
	assert.Equal(t, []string{token(1), token(2)}, res.PushTokens)
	assert.Zero(t, res.Queued, "no outbox entries unless asked")
	depth, err := s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Zero(t, depth)

	got, err := s.Pass(ctx, passType, "X1")
	require.NoError(t, err)
	assert.Equal(t, "X1", got.SerialNumber)
	assert.Equal(t, passType, got.PassTypeIdentifier)
	assert.Equal(t, []byte("pkpass X1 v2"), got.Data)
	assert.Equal(t, []byte(`{"v":2}`), got.AppData)
	assert.Equal(t, res.Pass.Tag, got.Tag)
	assert.True(t, res.Pass.Modified.Equal(got.Modified))
	_, err = s.Pass(ctx, passType, "changed")
	assert.ErrorIs(t, err, webservice.ErrNotFound)

	// An error from fn rolls everything back and comes back unchanged.
	boom := errors.New("application says no")
	_, err = s.UpdatePass(ctx, passType, "X1", &webservice.UpdateOptions{Enqueue: true}, func(cur *webservice.Pass) error {
		cur.Data = []byte("must not be stored")
		return boom
	})
	require.ErrorIs(t, err, boom)
	after, err := s.Pass(ctx, passType, "X1")
	require.NoError(t, err)
	assert.Equal(t, got.Tag, after.Tag, "a failed update takes no tag")
	assert.Equal(t, []byte("pkpass X1 v2"), after.Data)
	depth, err = s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Zero(t, depth, "a failed update queues no pushes")

	// A nil fn only bumps the tag (the application changed data elsewhere).
	res2, err := s.UpdatePass(ctx, passType, "X1", nil, nil)
	require.NoError(t, err)
	assert.Greater(t, res2.Pass.Tag, got.Tag)
	assert.Equal(t, []byte("pkpass X1 v2"), res2.Pass.Data)

	_, err = s.UpdatePass(ctx, passType, "unknown", nil, nil)
	assert.ErrorIs(t, err, webservice.ErrNotFound)
}

func testModifiedIncreasing(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	p := newPass(t, s, passType, "M1")
	prevTag, prevMod := p.Tag, p.Modified
	// Five updates well within one or two seconds: each version is still a
	// second later than the one before, so If-Modified-Since never hides one.
	for i := range 5 {
		res, err := s.UpdatePass(ctx, passType, "M1", nil, func(cur *webservice.Pass) error {
			cur.Data = fmt.Appendf(nil, "v%d", i)
			return nil
		})
		require.NoError(t, err)
		assert.Greater(t, res.Pass.Tag, prevTag)
		assert.True(t, res.Pass.Modified.After(prevMod), "update %d: Modified %v not after %v", i, res.Pass.Modified, prevMod)
		assert.Equal(t, res.Pass.Modified, res.Pass.Modified.Truncate(time.Second), "whole seconds")
		prevTag, prevMod = res.Pass.Tag, res.Pass.Modified
	}
	got, err := s.Pass(ctx, passType, "M1")
	require.NoError(t, err)
	assert.True(t, got.Modified.Equal(prevMod))
}

func testTagOrdering(t *testing.T, s webservice.Store, opts *Options) {
	ctx := context.Background()
	const passes = 5
	created := map[string]int64{}
	for i := range passes {
		p := newPass(t, s, passType, fmt.Sprintf("T%d", i))
		created[p.SerialNumber] = p.Tag
	}
	n := opts.updates()
	type result struct {
		serial   string
		tag      int64
		modified time.Time
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		results []result
		errs    []error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			serial := fmt.Sprintf("T%d", i%passes)
			res, err := s.UpdatePass(ctx, passType, serial, nil, func(cur *webservice.Pass) error {
				cur.AppData = fmt.Appendf(nil, "%d", i)
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			results = append(results, result{serial, res.Pass.Tag, res.Pass.Modified})
		}()
	}
	close(start)
	wg.Wait()
	require.Empty(t, errs)
	require.Len(t, results, n)

	seen := map[int64]bool{}
	var maxCreated int64
	for _, tag := range created {
		maxCreated = max(maxCreated, tag)
	}
	for _, r := range results {
		assert.False(t, seen[r.tag], "tag %d issued twice", r.tag)
		seen[r.tag] = true
		assert.Greater(t, r.tag, maxCreated, "an update's tag is newer than every earlier tag")
	}
	// Per pass, in tag order, Modified strictly increases and the stored
	// version is the one with the newest tag.
	slices.SortFunc(results, func(a, b result) int { return int(a.tag - b.tag) })
	last := map[string]result{}
	for _, r := range results {
		if prev, ok := last[r.serial]; ok {
			assert.True(t, r.modified.After(prev.modified), "pass %s: tag %d has Modified %v, not after tag %d's %v",
				r.serial, r.tag, r.modified, prev.tag, prev.modified)
		}
		last[r.serial] = r
	}
	for serial, r := range last {
		got, err := s.Pass(ctx, passType, serial)
		require.NoError(t, err)
		assert.Equal(t, r.tag, got.Tag, "pass %s keeps its newest tag", serial)
		assert.True(t, r.modified.Equal(got.Modified))
	}
}

func testUpdatedSince(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	const other = passType + ".other"
	for _, serial := range []string{"s3", "s1", "s2"} {
		newPass(t, s, passType, serial)
		register(t, s, "dev1", token(1), passType, serial)
	}
	newPass(t, s, passType, "unregistered")
	newPass(t, s, other, "o1")
	register(t, s, "dev1", token(1), other, "o1")
	newPass(t, s, passType, "dev2only")
	register(t, s, "dev2", token(2), passType, "dev2only")

	all, latest, err := s.UpdatedSince(ctx, "dev1", passType, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"s1", "s2", "s3"}, all, "no tag: every registered pass of that type, sorted")
	var maxTag int64
	for _, serial := range all {
		p, err := s.Pass(ctx, passType, serial)
		require.NoError(t, err)
		maxTag = max(maxTag, p.Tag)
	}
	assert.Equal(t, maxTag, latest, "latest is the newest tag among them")

	// Nothing changed since that tag.
	serials, l, err := s.UpdatedSince(ctx, "dev1", passType, latest)
	require.NoError(t, err)
	assert.Empty(t, serials)
	assert.Zero(t, l)

	// A device holding a tag from before an update sees the pass.
	held := latest
	res, err := s.UpdatePass(ctx, passType, "s2", nil, nil)
	require.NoError(t, err)
	serials, l, err = s.UpdatedSince(ctx, "dev1", passType, held)
	require.NoError(t, err)
	assert.Equal(t, []string{"s2"}, serials)
	assert.Equal(t, res.Pass.Tag, l)

	// Two changes after the held tag, one pass changed twice: both serials,
	// and the tag of the newest change.
	_, err = s.UpdatePass(ctx, passType, "s3", nil, nil)
	require.NoError(t, err)
	res, err = s.UpdatePass(ctx, passType, "s2", nil, nil)
	require.NoError(t, err)
	serials, l, err = s.UpdatedSince(ctx, "dev1", passType, held)
	require.NoError(t, err)
	assert.Equal(t, []string{"s2", "s3"}, serials)
	assert.Equal(t, res.Pass.Tag, l)

	// Changes to passes the device did not register, or of another type, do not show.
	_, err = s.UpdatePass(ctx, passType, "unregistered", nil, nil)
	require.NoError(t, err)
	_, err = s.UpdatePass(ctx, other, "o1", nil, nil)
	require.NoError(t, err)
	_, err = s.UpdatePass(ctx, passType, "dev2only", nil, nil)
	require.NoError(t, err)
	serials, _, err = s.UpdatedSince(ctx, "dev1", passType, l)
	require.NoError(t, err)
	assert.Empty(t, serials)
	serials, _, err = s.UpdatedSince(ctx, "dev1", other, l)
	require.NoError(t, err)
	assert.Equal(t, []string{"o1"}, serials, "the other type's change shows under its own type")

	// A tag the store never issued (from the future, e.g. a restored
	// database) means every registered pass.
	serials, l, err = s.UpdatedSince(ctx, "dev1", passType, 1<<60)
	require.NoError(t, err)
	assert.Equal(t, []string{"s1", "s2", "s3"}, serials)
	assert.Equal(t, res.Pass.Tag, l)
	serials, _, err = s.UpdatedSince(ctx, "dev1", passType, -5)
	require.NoError(t, err)
	assert.Equal(t, []string{"s1", "s2", "s3"}, serials, "a negative tag means every registered pass")

	// Unknown device: nothing.
	serials, l, err = s.UpdatedSince(ctx, "nobody", passType, 0)
	require.NoError(t, err)
	assert.Empty(t, serials)
	assert.Zero(t, l)

	// A pass registered after the device's tag was issued shows up.
	newPass(t, s, passType, "s4")
	register(t, s, "dev1", token(1), passType, "s4")
	serials, _, err = s.UpdatedSince(ctx, "dev1", passType, res.Pass.Tag)
	require.NoError(t, err)
	assert.Equal(t, []string{"s4"}, serials)
}

func testDeleteCascades(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	newPass(t, s, passType, "D1")
	newPass(t, s, passType, "D2")
	register(t, s, "dev1", token(1), passType, "D1")
	register(t, s, "dev2", token(2), passType, "D1")
	register(t, s, "dev2", token(2), passType, "D2")
	res, err := s.UpdatePass(ctx, passType, "D1", &webservice.UpdateOptions{Enqueue: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Queued)
	res, err = s.UpdatePass(ctx, passType, "D2", &webservice.UpdateOptions{Enqueue: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Queued)

	require.NoError(t, s.DeletePass(ctx, passType, "D1"))
	_, err = s.Pass(ctx, passType, "D1")
	assert.ErrorIs(t, err, webservice.ErrNotFound)
	assert.Equal(t, webservice.Counts{Passes: 1, Devices: 1, Registrations: 1}, counts(t, s),
		"dev1 had only D1 and is gone; dev2 keeps D2")
	depth, err := s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), depth, "D1's outbox entries are gone, D2's stays")
	entries, err := s.Claim(ctx, "w", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "D2", entries[0].SerialNumber)

	serials, _, err := s.UpdatedSince(ctx, "dev2", passType, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"D2"}, serials)

	assert.ErrorIs(t, s.DeletePass(ctx, passType, "D1"), webservice.ErrNotFound)
	// The serial can be issued again, as a new pass with no registrations.
	p := newPass(t, s, passType, "D1")
	tokens, err := s.PushTokens(ctx, passType, "D1")
	require.NoError(t, err)
	assert.Empty(t, tokens)
	assert.Greater(t, p.Tag, res.Pass.Tag)
}

func testOutbox(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	newPass(t, s, passType, "O1")
	register(t, s, "dev1", token(1), passType, "O1")
	register(t, s, "dev2", token(2), passType, "O1")
	register(t, s, "dev3", token(3), passType, "O1")

	before := time.Now().Add(-time.Second)
	res, err := s.UpdatePass(ctx, passType, "O1", &webservice.UpdateOptions{Enqueue: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, res.Queued)
	assert.Equal(t, []string{token(1), token(2), token(3)}, res.PushTokens)
	depth, err := s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(3), depth, "entries are enqueued with the update")

	none, err := s.Claim(ctx, "A", 0, time.Minute)
	require.NoError(t, err)
	assert.Empty(t, none, "limit 0 claims nothing")

	got, err := s.Claim(ctx, "A", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, got, 3)
	var claimed []string
	for i, e := range got {
		assert.Equal(t, passType, e.PassTypeIdentifier)
		assert.Equal(t, "O1", e.SerialNumber)
		assert.Zero(t, e.Attempts)
		assert.Equal(t, "A", e.LeaseOwner)
		assert.True(t, e.Created.After(before), "created %v", e.Created)
		assert.True(t, e.LeaseUntil.After(time.Now().Add(30*time.Second)), "leased for the asked time")
		if i > 0 {
			assert.Greater(t, e.ID, got[i-1].ID, "oldest first")
		}
		claimed = append(claimed, e.PushToken)
	}
	slices.Sort(claimed)
	assert.Equal(t, []string{token(1), token(2), token(3)}, claimed)

	again, err := s.Claim(ctx, "B", 10, time.Minute)
	require.NoError(t, err)
	assert.Empty(t, again, "leased entries are not claimed twice")

	require.NoError(t, s.Complete(ctx, got[0].ID))
	assert.ErrorIs(t, s.Complete(ctx, got[0].ID), webservice.ErrNotFound)
	depth, err = s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2), depth)

	require.NoError(t, s.Retry(ctx, got[1].ID, time.Now().Add(-time.Second), "apns: 503 ServiceUnavailable"))
	require.NoError(t, s.Retry(ctx, got[2].ID, time.Now().Add(time.Hour), "apns: 429 TooManyRequests"))
	assert.ErrorIs(t, s.Retry(ctx, got[0].ID, time.Now(), "x"), webservice.ErrNotFound)

	retried, err := s.Claim(ctx, "B", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, retried, 1, "only the entry whose next attempt has come")
	assert.Equal(t, got[1].ID, retried[0].ID)
	assert.Equal(t, 1, retried[0].Attempts)
	assert.Equal(t, "apns: 503 ServiceUnavailable", retried[0].LastError)
	assert.Equal(t, "B", retried[0].LeaseOwner)

	require.NoError(t, s.Retry(ctx, retried[0].ID, time.Now().Add(-time.Second), "again"))
	retried, err = s.Claim(ctx, "C", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, retried, 1)
	assert.Equal(t, 2, retried[0].Attempts)

	// Without Enqueue the tokens come back and nothing is queued.
	res, err = s.UpdatePass(ctx, passType, "O1", nil, nil)
	require.NoError(t, err)
	assert.Zero(t, res.Queued)
	assert.Len(t, res.PushTokens, 3)
	depth, err = s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2), depth)

	// A pass without registrations queues nothing.
	newPass(t, s, passType, "O2")
	res, err = s.UpdatePass(ctx, passType, "O2", &webservice.UpdateOptions{Enqueue: true}, nil)
	require.NoError(t, err)
	assert.Zero(t, res.Queued)
	assert.Empty(t, res.PushTokens)
}

func testOutboxLeaseLapse(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	newPass(t, s, passType, "L1")
	register(t, s, "dev1", token(1), passType, "L1")
	_, err := s.UpdatePass(ctx, passType, "L1", &webservice.UpdateOptions{Enqueue: true}, nil)
	require.NoError(t, err)

	got, err := s.Claim(ctx, "dead-instance", 10, 150*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, got, 1)
	none, err := s.Claim(ctx, "live-instance", 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, none)

	// The instance holding the lease dies; once the lease lapses another one takes the entry.
	deadline := time.Now().Add(5 * time.Second)
	var again []webservice.OutboxEntry
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		again, err = s.Claim(ctx, "live-instance", 10, time.Minute)
		require.NoError(t, err)
		if len(again) > 0 {
			break
		}
	}
	require.Len(t, again, 1, "a lapsed lease frees the entry")
	assert.Equal(t, got[0].ID, again[0].ID)
	assert.Equal(t, "live-instance", again[0].LeaseOwner)
	assert.Equal(t, token(1), again[0].PushToken)
	require.NoError(t, s.Complete(ctx, again[0].ID))
	depth, err := s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Zero(t, depth)
}

func testOutboxConcurrentClaimers(t *testing.T, s webservice.Store, opts *Options) {
	ctx := context.Background()
	const devices, updates = 40, 5
	newPass(t, s, passType, "C1")
	for i := range devices {
		register(t, s, fmt.Sprintf("dev%d", i), token(i), passType, "C1")
	}
	for range updates {
		res, err := s.UpdatePass(ctx, passType, "C1", &webservice.UpdateOptions{Enqueue: true}, nil)
		require.NoError(t, err)
		require.Equal(t, devices, res.Queued)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[int64]string{}
		dups []string
		errs []error
	)
	for w := range opts.claimers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("worker-%d", w)
			for {
				got, err := s.Claim(ctx, owner, 7, time.Minute)
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, e := range got {
					if prev, ok := seen[e.ID]; ok {
						dups = append(dups, fmt.Sprintf("entry %d claimed by %s and %s", e.ID, prev, owner))
					}
					seen[e.ID] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Empty(t, errs)
	assert.Empty(t, dups, "two claimers got the same entry")
	assert.Len(t, seen, devices*updates, "every entry claimed once")
}

func testRemoveUnregistered(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	newPass(t, s, passType, "R1")
	newPass(t, s, passType, "R2")
	register(t, s, "dev1", token(1), passType, "R1")
	register(t, s, "dev1", token(1), passType, "R2")
	register(t, s, "dev2", token(2), passType, "R1")

	time.Sleep(5 * time.Millisecond)
	gone := time.Now() // APNs: token(1) stopped being valid at this time

	n, err := s.RemoveUnregistered(ctx, token(1), gone)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, webservice.Counts{Passes: 2, Devices: 1, Registrations: 1}, counts(t, s), "dev1 is gone")
	tokens, err := s.PushTokens(ctx, passType, "R1")
	require.NoError(t, err)
	assert.Equal(t, []string{token(2)}, tokens)

	// dev2's token is reported gone as of a time before dev2 registered
	// again: the newer registration stays.
	old := time.Now()
	time.Sleep(5 * time.Millisecond)
	register(t, s, "dev2", token(2), passType, "R1")
	register(t, s, "dev2", token(2), passType, "R2")
	n, err = s.RemoveUnregistered(ctx, token(2), old)
	require.NoError(t, err)
	assert.Zero(t, n, "registrations made after the 410 timestamp stay")
	assert.Equal(t, webservice.Counts{Passes: 2, Devices: 1, Registrations: 2}, counts(t, s))

	n, err = s.RemoveUnregistered(ctx, token(99), time.Now())
	require.NoError(t, err)
	assert.Zero(t, n, "an unknown token removes nothing")
}

func testSettings(t *testing.T, s webservice.Store, _ *Options) {
	ctx := context.Background()
	_, err := s.Setting(ctx, "identity")
	require.ErrorIs(t, err, webservice.ErrNotFound)

	v, err := s.PutSettingIfAbsent(ctx, "identity", []byte("first"))
	require.NoError(t, err)
	assert.Equal(t, []byte("first"), v)
	v, err = s.PutSettingIfAbsent(ctx, "identity", []byte("second"))
	require.NoError(t, err)
	assert.Equal(t, []byte("first"), v, "an existing value wins")
	v, err = s.Setting(ctx, "identity")
	require.NoError(t, err)
	assert.Equal(t, []byte("first"), v)

	binary := []byte{0, 1, 2, 0xff, 0}
	v, err = s.PutSettingIfAbsent(ctx, "secret", binary)
	require.NoError(t, err)
	assert.Equal(t, binary, v, "values are bytes, not text")

	// Several instances starting at once agree on one value.
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		values = map[string]int{}
		errs   []error
	)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.PutSettingIfAbsent(ctx, "race", fmt.Appendf(nil, "instance-%d", i))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			values[string(v)]++
		}()
	}
	wg.Wait()
	require.Empty(t, errs)
	assert.Len(t, values, 1, "every caller got the same value: %v", values)
}
