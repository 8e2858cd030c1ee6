package wallettest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/webservice/wallettest"
)

func TestLoadRealHandler(t *testing.T) {
	s := newService(t, nil)
	tg, err := wallettest.ReadTarget(s.issue("L-1"))
	require.NoError(t, err)
	rep, err := wallettest.Load(t.Context(), *tg, &wallettest.LoadOptions{Client: s.srv.Client(), Devices: 4, Duration: 300 * time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Devices)
	assert.Positive(t, rep.Requests)
	assert.Zero(t, rep.Errors, rep.FirstError)
	assert.Positive(t, rep.P50)
	assert.GreaterOrEqual(t, rep.P99, rep.P50)
	assert.GreaterOrEqual(t, rep.Max, rep.P99)
	assert.Positive(t, rep.RequestsPerSecond)
	for status := range rep.Statuses {
		assert.Contains(t, []int{http.StatusOK, http.StatusNoContent, http.StatusNotModified}, status)
	}
	assert.Positive(t, rep.Statuses[http.StatusNoContent], "devices holding the tag get 204")
	assert.Positive(t, rep.Statuses[http.StatusNotModified], "devices holding the version get 304")
	assert.Contains(t, rep.String(), "4 devices")
	// Every device unregistered.
	regs, err := s.store.Registrations(t.Context(), "pass.com.example.wallettest", "L-1")
	require.NoError(t, err)
	assert.Empty(t, regs)
}

func TestLoadCountsErrors(t *testing.T) {
	s := newService(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/v1/passes/") {
				http.Error(w, "\x1b[31mboom\x1b[0m", http.StatusInternalServerError)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	tg, err := wallettest.ReadTarget(s.issue("L-2"))
	require.NoError(t, err)
	rep, err := wallettest.Load(t.Context(), *tg, &wallettest.LoadOptions{Client: s.srv.Client(), Devices: 2, Duration: 200 * time.Millisecond})
	require.NoError(t, err)
	assert.Positive(t, rep.Errors)
	assert.Positive(t, rep.Statuses[http.StatusInternalServerError])
	assert.Contains(t, rep.FirstError, "fetch: got 500")
	assert.NotContains(t, rep.FirstError, "\x1b", "server text is escaped")

	// A pass whose token the service refuses cannot be loaded.
	tg.AuthenticationToken = "wrong-token-wrong-token-0000"
	_, err = wallettest.Load(t.Context(), *tg, &wallettest.LoadOptions{Client: s.srv.Client(), Devices: 2, Duration: 100 * time.Millisecond})
	assert.ErrorContains(t, err, "wallettest: load: device 1 cannot register: got 401")

	_, err = wallettest.Load(t.Context(), *tg, &wallettest.LoadOptions{Devices: -1})
	assert.ErrorContains(t, err, "negative")
}

func TestFloorHandler(t *testing.T) {
	srv := httptest.NewServer(wallettest.FloorHandler())
	defer srv.Close()
	tg := wallettest.Target{WebServiceURL: srv.URL, AuthenticationToken: "floor-token-0123456789", PassTypeIdentifier: "pass.x", SerialNumber: "1"}
	rep, err := wallettest.Load(t.Context(), tg, &wallettest.LoadOptions{Devices: 2, Duration: 200 * time.Millisecond})
	require.NoError(t, err)
	assert.Zero(t, rep.Errors, rep.FirstError)
	assert.Positive(t, rep.Statuses[http.StatusNoContent])
	assert.Positive(t, rep.Statuses[http.StatusNotModified])
}

// BenchmarkPoll measures one device poll (the list request with the tag it
// holds: 204) against the real handler on SQLite over loopback HTTP, next to
// FloorHandler on the same stack in the same run. Compare polls/s:
//
//	go test -run '^$' -bench Poll -benchtime 3s ./webservice/wallettest/
func BenchmarkPoll(b *testing.B) {
	s := newService(b, nil)
	pk := s.issue("P-1")
	tg, err := wallettest.ReadTarget(pk)
	require.NoError(b, err)
	floor := httptest.NewTLSServer(wallettest.FloorHandler())
	defer floor.Close()
	ftg := *tg
	ftg.WebServiceURL = floor.URL + "/passes/"
	for _, c := range []struct {
		name   string
		target wallettest.Target
		client *http.Client
	}{
		{"webservice-sqlite", *tg, s.srv.Client()},
		{"floor", ftg, floor.Client()},
	} {
		b.Run(c.name, func(b *testing.B) {
			tr := c.client.Transport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = 64
			client := &http.Client{Transport: tr}
			defer tr.CloseIdleConnections()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				d := wallettest.NewDevice(c.target, client)
				r, err := d.Register(ctx)
				if err != nil || (r.Status != http.StatusCreated && r.Status != http.StatusOK) {
					b.Errorf("register: %v %v", r, err)
					return
				}
				defer d.Unregister(ctx) //nolint:errcheck // best effort
				r, err = d.Serials(ctx, "")
				if err != nil {
					b.Error(err)
					return
				}
				tag := ""
				if sn, err := wallettest.ParseSerialNumbers(r.Body); err == nil {
					tag = sn.LastUpdated
				}
				for pb.Next() {
					r, err := d.Serials(ctx, tag)
					if err != nil || r.Status != http.StatusNoContent {
						b.Errorf("poll: %v %v", r, err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "polls/s")
		})
	}
}
