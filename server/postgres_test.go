package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/internal/pgtest"
	"github.com/passforge/passforge/webservice/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingPusher delivers every push and counts them per token.
type countingPusher struct {
	mu   sync.Mutex
	sent map[string]int
}

func (p *countingPusher) Push(_ context.Context, token, _ string) PushResult {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent[token]++
	return PushResult{Outcome: PushDelivered}
}

func (p *countingPusher) count(token string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent[token]
}

// TestSeveralInstancesPostgres runs two Servers, each with its own pool, on
// one PostgreSQL schema: they share the secret (tokens and links work on
// both), any of them serves any device, and each outbox entry is sent once.
func TestSeveralInstancesPostgres(t *testing.T) {
	url := pgtest.URL(t)
	open := func() *pgstore.Store {
		st, err := pgstore.Open(t.Context(), url)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		return st
	}
	pusher := &countingPusher{sent: map[string]int{}}
	a := newHarnessOn(t, open(), fastWorker(pusher))
	b := newHarnessOn(t, open(), fastWorker(pusher))
	a.run()
	b.run()

	resp, body := a.do("POST", "/api/v1/passes", `{"serialNumber": "pg-1", "values": {"name": "Pat", "points": 1}}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", body)
	info := decodeInfo(t, body)
	// The download link made by one instance works on the other.
	resp, data := b.doAuth("GET", info.DownloadURL[len(a.http.URL):], "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	pkg := verifyPkpass(t, data)

	var devices []*device
	for i := range 4 {
		// Devices reach either instance.
		wsURL := a.srv.WebServiceURL()
		if i%2 == 1 {
			wsURL = b.srv.WebServiceURL()
		}
		d := newDevice(t, fmt.Sprintf("pgdevice%d", i), hexToken(byte(i)), wsURL, testPassTypeID, "pg-1", pkg.Pass.AuthenticationToken)
		require.Equal(t, http.StatusCreated, d.register())
		require.Equal(t, []string{"pg-1"}, d.poll())
		require.Equal(t, http.StatusOK, d.fetch())
		devices = append(devices, d)
	}

	// Ten updates through both instances, some at the same time.
	var wg sync.WaitGroup
	for i := range 10 {
		h := a
		if i%2 == 1 {
			h = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.srv.Update(t.Context(), "pg-1", Values{"points": json.RawMessage(fmt.Sprint(100 + i))})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	require.Eventually(t, func() bool { return a.depth() == 0 }, 20*time.Second, 20*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	for _, d := range devices {
		assert.Equal(t, 10, pusher.count(d.PushToken), "one push per update per device: sent once")
		before := d.Modified
		assert.Equal(t, []string{"pg-1"}, d.poll())
		assert.Equal(t, http.StatusOK, d.fetch())
		assert.True(t, d.Modified.After(before))
		assert.Nil(t, d.poll())
	}
	got, err := b.srv.Pass(t.Context(), "pg-1")
	require.NoError(t, err)
	assert.Equal(t, 4, *got.Registrations)
	assert.Equal(t, devices[0].Tag, got.LastUpdated)
}
