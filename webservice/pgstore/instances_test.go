package pgstore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/webservice"
)

// TestTwoInstancesShareTheOutbox: two stores on one schema (two service instances) claim at the same time;
// every entry is leased to exactly one of them.
func TestTwoInstancesShareTheOutbox(t *testing.T) {
	a, url := openStore(t)
	ctx := context.Background()
	b, err := Open(ctx, url)
	require.NoError(t, err)
	defer b.Close()

	const devices, updates = 20, 10
	require.NoError(t, a.CreatePass(ctx, newPass("p")))
	for i := range devices {
		_, err := b.Register(ctx, webservice.Registration{
			DeviceLibraryIdentifier: fmt.Sprintf("device%d", i), PushToken: fmt.Sprintf("%064x", i),
			PassTypeIdentifier: passType, SerialNumber: "p",
		})
		require.NoError(t, err)
	}
	for range updates {
		res, err := a.UpdatePass(ctx, passType, "p", &webservice.UpdateOptions{Enqueue: true}, nil)
		require.NoError(t, err)
		require.Equal(t, devices, res.Queued)
	}

	var mu sync.Mutex
	owner := map[int64]string{}
	var wg sync.WaitGroup
	for i, s := range []*Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("instance%d", i)
			for {
				got, err := s.Claim(ctx, name, 7, time.Minute)
				if !assert.NoError(t, err) || len(got) == 0 {
					return
				}
				mu.Lock()
				for _, e := range got {
					prev, dup := owner[e.ID]
					assert.False(t, dup, "entry %d claimed by %s and %s", e.ID, prev, name)
					owner[e.ID] = name
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, owner, devices*updates)
	depth, err := b.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, devices*updates, depth, "claimed, not completed")
}

// TestRegisterRacingUnregister: a device unregistering one pass while registering another must end up
// registered for the other, never deleted with it.
func TestRegisterRacingUnregister(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	require.NoError(t, s.CreatePass(ctx, newPass("old")))
	const rounds = 50
	for i := range rounds {
		require.NoError(t, s.CreatePass(ctx, newPass(fmt.Sprintf("new%d", i))))
	}
	for i := range rounds {
		device := fmt.Sprintf("device%d", i)
		reg := webservice.Registration{DeviceLibraryIdentifier: device, PushToken: "ab", PassTypeIdentifier: passType, SerialNumber: "old"}
		_, err := s.Register(ctx, reg)
		require.NoError(t, err)

		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			removed, err := s.Unregister(ctx, device, passType, "old")
			assert.NoError(t, err)
			assert.True(t, removed)
		}()
		go func() {
			defer wg.Done()
			reg.SerialNumber = fmt.Sprintf("new%d", i)
			created, err := s.Register(ctx, reg)
			assert.NoError(t, err)
			assert.True(t, created)
		}()
		wg.Wait()

		regs, err := s.Registrations(ctx, passType, fmt.Sprintf("new%d", i))
		require.NoError(t, err)
		require.Len(t, regs, 1, "round %d: the registration for the other pass survives", i)
		assert.Equal(t, device, regs[0].DeviceLibraryIdentifier)
		serials, _, err := s.UpdatedSince(ctx, device, passType, 0)
		require.NoError(t, err)
		assert.Equal(t, []string{fmt.Sprintf("new%d", i)}, serials)
	}
	c, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, webservice.Counts{Passes: rounds + 1, Devices: rounds, Registrations: rounds}, c)
}

// TestRegisterRacingDeletePass: registering for a pass that is being deleted either lands before the
// delete (and is removed with it) or reports ErrNotFound; it never fails otherwise or leaves a device
// without registrations.
func TestRegisterRacingDeletePass(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	const rounds = 30
	for i := range rounds {
		serial := fmt.Sprintf("doomed%d", i)
		require.NoError(t, s.CreatePass(ctx, newPass(serial)))
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			assert.NoError(t, s.DeletePass(ctx, passType, serial))
		}()
		go func() {
			defer wg.Done()
			_, err := s.Register(ctx, webservice.Registration{
				DeviceLibraryIdentifier: fmt.Sprintf("device%d", i), PushToken: "ab",
				PassTypeIdentifier: passType, SerialNumber: serial,
			})
			if err != nil {
				assert.ErrorIs(t, err, webservice.ErrNotFound)
			}
		}()
		wg.Wait()
	}
	c, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, webservice.Counts{}, c)
}

// TestDeletePassRacingDeviceChanges: deleting a pass while its devices unregister it, register it again
// and register other passes ends without deadlocks or errors, with exactly the devices that still have a
// registration.
func TestDeletePassRacingDeviceChanges(t *testing.T) {
	s, _ := openStore(t, WithMaxConns(8))
	ctx := context.Background()
	require.NoError(t, s.CreatePass(ctx, newPass("other")))
	const rounds = 25
	for i := range rounds {
		serial := fmt.Sprintf("doomed%d", i)
		require.NoError(t, s.CreatePass(ctx, newPass(serial)))
		dev := func(n int) webservice.Registration {
			return webservice.Registration{DeviceLibraryIdentifier: fmt.Sprintf("r%d-d%d", i, n), PushToken: "ab",
				PassTypeIdentifier: passType, SerialNumber: serial}
		}
		for n := range 3 {
			_, err := s.Register(ctx, dev(n))
			require.NoError(t, err)
		}
		var wg sync.WaitGroup
		run := func(f func() error) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := f(); err != nil {
					assert.ErrorIs(t, err, webservice.ErrNotFound)
				}
			}()
		}
		run(func() error { return s.DeletePass(ctx, passType, serial) })
		run(func() error {
			_, err := s.Unregister(ctx, dev(0).DeviceLibraryIdentifier, passType, serial)
			return err
		})
		run(func() error { r := dev(1); r.SerialNumber = "other"; _, err := s.Register(ctx, r); return err })
		run(func() error { _, err := s.Register(ctx, dev(2)); return err })
		wg.Wait()

		_, err := s.Pass(ctx, passType, serial)
		require.ErrorIs(t, err, webservice.ErrNotFound)
		serials, _, err := s.UpdatedSince(ctx, dev(1).DeviceLibraryIdentifier, passType, 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"other"}, serials, "round %d", i)
	}
	c, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, webservice.Counts{Passes: 1, Devices: rounds, Registrations: rounds}, c,
		"one device per round is left, registered for the other pass")
}

// TestInstancesAgreeOnSettings: instances starting together each propose a value; all get the same one.
func TestInstancesAgreeOnSettings(t *testing.T) {
	_, url := openStore(t)
	ctx := context.Background()
	const n = 6
	got := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		s, err := Open(ctx, url)
		require.NoError(t, err)
		defer s.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.PutSettingIfAbsent(ctx, "identity", fmt.Appendf(nil, "instance %d", i))
			assert.NoError(t, err)
			got[i] = v
		}()
	}
	wg.Wait()
	for i := range n {
		assert.Equal(t, got[0], got[i])
	}
	assert.Regexp(t, `^instance \d$`, string(got[0]))
}
