package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSecret = "whsec_test"

// receiver is a Handler under test with a signer for its scheme and a log
// of dispatched events.
type receiver struct {
	t       *testing.T
	h       *Handler
	signer  *Signer
	clock   *fakeClock
	mu      sync.Mutex
	events  []*Event
	logged  []error
	failing atomic.Bool // when set, handlers fail
}

func newReceiver(t *testing.T, scheme Scheme, opts ...HandlerOption) *receiver {
	t.Helper()
	rc := &receiver{t: t, clock: newFakeClock(1760000000)}
	v, err := NewVerifier(scheme, []string{testSecret}, WithNow(rc.clock.Now))
	require.NoError(t, err)
	opts = append([]HandlerOption{WithErrorLog(func(_ *http.Request, err error) {
		rc.mu.Lock()
		rc.logged = append(rc.logged, err)
		rc.mu.Unlock()
	})}, opts...)
	rc.h, err = NewHandler(v, opts...)
	require.NoError(t, err)
	rc.signer, err = NewSigner(scheme, testSecret)
	require.NoError(t, err)
	record := func(ctx context.Context, e *Event) error {
		if rc.failing.Load() {
			return errors.New("database unavailable")
		}
		rc.mu.Lock()
		rc.events = append(rc.events, e)
		rc.mu.Unlock()
		return nil
	}
	for _, typ := range []EventType{PassmintPassInstalled, PassLitePassRedeemed, "pass.created", "pass.updated"} {
		rc.h.On(typ, record)
	}
	return rc
}

// send delivers body signed at the clock's time and returns the response.
func (rc *receiver) send(body string, opts *SignOptions) *httptest.ResponseRecorder {
	rc.t.Helper()
	r, err := rc.signer.NewRequest(context.Background(), "http://example.test/hook", []byte(body), rc.clock.Now(), opts)
	require.NoError(rc.t, err)
	return rc.serve(r)
}

func (rc *receiver) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	rc.h.ServeHTTP(w, r)
	return w
}

func (rc *receiver) dispatched() []*Event {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*Event(nil), rc.events...)
}

func TestHandlerDispatchesEachProvider(t *testing.T) {
	tests := []struct {
		name   string
		scheme Scheme
		body   string
		opts   *SignOptions
		typ    EventType
		id     string
		check  func(t *testing.T, e *Event)
	}{
		{
			name:   "passmint",
			scheme: Passmint(),
			body:   `{"id":"evt_1","object":"pass_event","type":"pass.installed","pass_id":"pass_9","created_at":"2025-10-09T08:50:00Z","data":{"serial":"A1"}}`,
			typ:    PassmintPassInstalled,
			id:     "evt_1",
			check: func(t *testing.T, e *Event) {
				pm, ok := e.Envelope.(*PassmintEvent)
				require.True(t, ok)
				assert.Equal(t, "pass_9", pm.PassID)
				assert.Equal(t, time.Date(2025, 10, 9, 8, 50, 0, 0, time.UTC), e.Time)
			},
		},
		{
			name:   "passlite",
			scheme: PassLite(),
			body:   `{"event":"pass.redeemed","timestamp":"2025-10-09T08:53:00Z","data":{"id":"pass_abc123","serial_number":"PL-00042","business_id":"biz_123","status":"active"}}`,
			typ:    PassLitePassRedeemed,
			check: func(t *testing.T, e *Event) {
				pl, ok := e.Envelope.(*PassLiteEvent)
				require.True(t, ok)
				assert.JSONEq(t, `{"id":"pass_abc123","serial_number":"PL-00042","business_id":"biz_123","status":"active"}`, string(pl.Data))
			},
		},
		{
			name:   "remypass",
			scheme: RemyPass(),
			body:   `{"id":"del_7","event":"pass.created","timestamp":1760000000,"data":{"memberId":"m1"}}`,
			opts:   &SignOptions{ID: "del_7", Event: "pass.created"},
			typ:    "pass.created",
			id:     "del_7",
			check: func(t *testing.T, e *Event) {
				_, ok := e.Envelope.(*RemyPassEvent)
				require.True(t, ok)
				assert.Equal(t, int64(1760000000), e.Time.Unix())
			},
		},
		{
			name:   "standard webhooks",
			scheme: StandardWebhooks(),
			body:   `{"type":"pass.updated","timestamp":"2025-10-09T08:53:20Z","data":{"a":1}}`,
			opts:   &SignOptions{ID: "msg_42"},
			typ:    "pass.updated",
			id:     "msg_42",
			check: func(t *testing.T, e *Event) {
				_, ok := e.Envelope.(*StandardEvent)
				require.True(t, ok)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, tt.scheme)
			w := rc.send(tt.body, tt.opts)
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			events := rc.dispatched()
			require.Len(t, events, 1)
			e := events[0]
			assert.Equal(t, tt.typ, e.Type)
			assert.Equal(t, tt.id, e.ID)
			assert.Equal(t, tt.scheme.Name, e.Scheme)
			assert.Equal(t, tt.body, string(e.Body))
			tt.check(t, e)

			// The same delivery again is acknowledged, not dispatched again.
			w = rc.send(tt.body, tt.opts)
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, msgDuplicate, w.Body.String())
			assert.Len(t, rc.dispatched(), 1)
		})
	}
}

func TestHandlerUnknownTypesPassThrough(t *testing.T) {
	rc := newReceiver(t, Passmint())
	body := `{"id":"evt_2","type":"pass.teleported","created_at":"2025-10-09T08:50:00Z","data":{"to":"mars"}}`
	w := rc.send(body, nil)
	assert.Equal(t, http.StatusOK, w.Code, "no handler for the type: acknowledged")
	assert.Empty(t, rc.dispatched())

	var got *Event
	rc.h.OnOther(func(ctx context.Context, e *Event) error { got = e; return nil })
	body = strings.Replace(body, "evt_2", "evt_3", 1)
	w = rc.send(body, nil)
	require.Equal(t, http.StatusOK, w.Code)
	require.NotNil(t, got)
	assert.Equal(t, EventType("pass.teleported"), got.Type)
	assert.JSONEq(t, `{"to":"mars"}`, string(got.Data))

	// Removing a handler sends its type to OnOther.
	rc.h.On(PassmintPassInstalled, nil)
	got = nil
	w = rc.send(`{"id":"evt_4","type":"pass.installed"}`, nil)
	require.Equal(t, http.StatusOK, w.Code)
	require.NotNil(t, got)
	assert.Equal(t, PassmintPassInstalled, got.Type)
}

func TestHandlerRejections(t *testing.T) {
	rc := newReceiver(t, Passmint(), WithReplayWindow(time.Hour))
	body := []byte(`{"id":"evt_1","type":"pass.installed"}`)
	good, err := rc.signer.Sign(body, rc.clock.Now(), nil)
	require.NoError(t, err)
	forger, err := NewSigner(Passmint(), "whsec_guess")
	require.NoError(t, err)
	forged, err := forger.Sign(body, rc.clock.Now(), nil)
	require.NoError(t, err)
	stale, err := rc.signer.Sign(body, rc.clock.Now().Add(-time.Hour), nil)
	require.NoError(t, err)
	unparsable := []byte(`{"id":"evt_1","type":`)
	unparsableHeader, _ := rc.signer.Sign(unparsable, rc.clock.Now(), nil)
	noType := []byte(`{"id":"evt_1"}`)
	noTypeHeader, _ := rc.signer.Sign(noType, rc.clock.Now(), nil)

	tests := []struct {
		name   string
		method string
		header http.Header
		body   []byte
		status int
		want   error
	}{
		{"missing signature", http.MethodPost, http.Header{}, body, 400, ErrMissingSignature},
		{"forged", http.MethodPost, forged, body, 400, ErrInvalidSignature},
		{"malformed", http.MethodPost, http.Header{"Passmint-Signature": {"v1=zz"}}, body, 400, ErrMalformedHeader},
		{"stale", http.MethodPost, stale, body, 400, ErrTimestampOutsideTolerance},
		{"tampered body", http.MethodPost, good, []byte(`{"id":"evt_1","type":"pass.voided"}`), 400, ErrInvalidSignature},
		{"signed but not JSON", http.MethodPost, unparsableHeader, unparsable, 400, ErrMalformedPayload},
		{"signed but no type", http.MethodPost, noTypeHeader, noType, 400, ErrMalformedPayload},
		{"too large", http.MethodPost, good, bytes.Repeat([]byte(" "), DefaultMaxBodyBytes+1), 413, ErrBodyTooLarge},
		{"GET", http.MethodGet, good, nil, 405, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc.mu.Lock()
			rc.logged = nil
			rc.mu.Unlock()
			r := httptest.NewRequest(tt.method, "/hook", bytes.NewReader(tt.body))
			r.Header = tt.header.Clone()
			w := rc.serve(r)
			assert.Equal(t, tt.status, w.Code)
			if tt.status == 400 {
				assert.Equal(t, msgRejected, w.Body.String(), "every rejection reads the same")
			}
			if tt.want != nil {
				require.Len(t, rc.logged, 1)
				assert.ErrorIs(t, rc.logged[0], tt.want)
			}
			assert.Empty(t, rc.dispatched())
		})
	}
	assert.Equal(t, http.MethodPost, func() string {
		w := rc.serve(httptest.NewRequest(http.MethodPut, "/", nil))
		return w.Header().Get("Allow")
	}())
}

func TestHandlerFailureThenRetry(t *testing.T) {
	rc := newReceiver(t, Passmint())
	body := `{"id":"evt_1","type":"pass.installed"}`
	rc.failing.Store(true)
	w := rc.send(body, nil)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	require.Len(t, rc.logged, 1)
	assert.Contains(t, rc.logged[0].Error(), `passmint event "pass.installed" (id "evt_1"): database unavailable`)

	rc.failing.Store(false)
	rc.clock.Add(30 * time.Second)
	w = rc.send(body, nil)
	assert.Equal(t, http.StatusOK, w.Code, "the retry is processed")
	assert.Len(t, rc.dispatched(), 1)
}

func TestHandlerPanicReleasesClaim(t *testing.T) {
	rc := newReceiver(t, Passmint())
	panicking := true
	rc.h.On("pass.voided", func(ctx context.Context, e *Event) error {
		if panicking {
			panic("boom")
		}
		return nil
	})
	body := `{"id":"evt_p","type":"pass.voided"}`
	assert.PanicsWithValue(t, "boom", func() { rc.send(body, nil) })
	panicking = false
	w := rc.send(body, nil)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, msgOK, w.Body.String())
}

func TestHandlerInProgress(t *testing.T) {
	rc := newReceiver(t, Passmint())
	started, release := make(chan struct{}), make(chan struct{})
	rc.h.On("pass.voided", func(ctx context.Context, e *Event) error {
		close(started)
		<-release
		return nil
	})
	body := `{"id":"evt_slow","type":"pass.voided"}`
	done := make(chan int)
	go func() { done <- rc.send(body, nil).Code }()
	<-started
	w := rc.send(body, nil)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.NotEmpty(t, w.Header().Get("Retry-After"))
	close(release)
	assert.Equal(t, http.StatusOK, <-done)
	assert.Equal(t, msgDuplicate, rc.send(body, nil).Body.String())
}

// RemyPass's delivery and event headers are not signed: changing them does
// not get a replay dispatched, nor change the event type.
func TestHandlerRemyPassUnsignedHeaders(t *testing.T) {
	rc := newReceiver(t, RemyPass())
	body := `{"id":"del_1","event":"pass.created","timestamp":"2025-10-09T08:53:00Z","data":{}}`
	require.Equal(t, http.StatusOK, rc.send(body, &SignOptions{ID: "del_1", Event: "pass.created"}).Code)
	w := rc.send(body, &SignOptions{ID: "del_other", Event: "pass.updated"})
	assert.Equal(t, msgDuplicate, w.Body.String())
	require.Len(t, rc.dispatched(), 1)
	assert.Equal(t, EventType("pass.created"), rc.dispatched()[0].Type)

	// Without a signed timestamp, the payload's must be within the replay window.
	old := `{"id":"del_2","event":"pass.created","timestamp":"2025-10-07T08:53:00Z","data":{}}`
	w = rc.send(old, nil)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.ErrorIs(t, rc.logged[len(rc.logged)-1], ErrTimestampOutsideTolerance)
	future := `{"id":"del_3","event":"pass.created","timestamp":"2025-10-09T09:53:00Z","data":{}}`
	assert.Equal(t, http.StatusBadRequest, rc.send(future, nil).Code)
	noID := `{"event":"pass.created","timestamp":"2025-10-09T08:53:00Z"}`
	assert.Equal(t, http.StatusBadRequest, rc.send(noID, nil).Code)
}

// PassLite deliveries have no id: a replay is recognised by its body.
func TestHandlerPassLiteReplay(t *testing.T) {
	rc := newReceiver(t, PassLite())
	body := `{"event":"pass.redeemed","timestamp":"2025-10-09T08:53:00Z","data":{"id":"p1"}}`
	require.Equal(t, http.StatusOK, rc.send(body, nil).Code)
	rc.clock.Add(time.Hour)
	assert.Equal(t, msgDuplicate, rc.send(body, nil).Body.String())
	other := strings.Replace(body, "p1", "p2", 1)
	require.Equal(t, http.StatusOK, rc.send(other, nil).Code)
	assert.Len(t, rc.dispatched(), 2)
	missingTS := `{"event":"pass.redeemed","data":{}}`
	assert.Equal(t, http.StatusBadRequest, rc.send(missingTS, nil).Code)
}

type failingStore struct{ nopStore }

func (failingStore) Claim(context.Context, string, time.Time) error {
	return errors.New("redis: connection refused")
}

func TestHandlerStoreFailure(t *testing.T) {
	rc := newReceiver(t, Passmint(), WithReplayStore(failingStore{}))
	w := rc.send(`{"id":"evt_1","type":"pass.installed"}`, nil)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Empty(t, rc.dispatched())
	require.Len(t, rc.logged, 1)
	assert.Contains(t, rc.logged[0].Error(), "replay store")

	v, _ := NewVerifier(Passmint(), []string{"k"})
	for _, opt := range []HandlerOption{WithReplayStore(nil), WithErrorLog(nil), WithReplayWindow(time.Second)} {
		_, err := NewHandler(v, opt)
		assert.Error(t, err)
	}
}

// Many deliveries, each sent several times at once: every event is
// dispatched exactly once. Run with -race.
func TestHandlerConcurrentDeliveries(t *testing.T) {
	rc := newReceiver(t, StandardWebhooks())
	var mu sync.Mutex
	count := map[string]int{}
	rc.h.On("pass.updated", func(ctx context.Context, e *Event) error {
		mu.Lock()
		count[e.ID]++
		mu.Unlock()
		return nil
	})
	srv := httptest.NewServer(rc.h)
	defer srv.Close()

	const events, copies = 40, 4
	var wg sync.WaitGroup
	for i := range events {
		body := []byte(fmt.Sprintf(`{"type":"pass.updated","timestamp":"2025-10-09T08:53:20Z","data":{"n":%d}}`, i))
		id := fmt.Sprintf("msg_%d", i)
		for range copies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for attempt := 0; attempt < 50; attempt++ { // a sender retries 503s
					r, err := rc.signer.NewRequest(context.Background(), srv.URL, body, rc.clock.Now(), &SignOptions{ID: id})
					if !assert.NoError(t, err) {
						return
					}
					resp, err := srv.Client().Do(r)
					if !assert.NoError(t, err) {
						return
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusServiceUnavailable {
						assert.Equal(t, http.StatusOK, resp.StatusCode)
						return
					}
					time.Sleep(time.Millisecond)
				}
				t.Error("delivery stayed in progress")
			}()
		}
	}
	wg.Wait()
	require.Len(t, count, events)
	for id, n := range count {
		assert.Equal(t, 1, n, id)
	}
}

func TestReplayKey(t *testing.T) {
	long := strings.Repeat("x", 10_000)
	keys := map[string]bool{}
	for _, k := range []string{
		replayKey("passmint", "evt_1", nil),
		replayKey("passmint", "evt_2", nil),
		replayKey("passlite", "evt_1", nil),
		replayKey("passlite", "", []byte("a")),
		replayKey("passlite", "", []byte("b")),
		replayKey("passmint", long, nil),
		replayKey("passmint", long+"y", nil),
	} {
		assert.LessOrEqual(t, len(k), 300)
		assert.False(t, keys[k], "distinct deliveries get distinct keys: %s", k)
		keys[k] = true
	}
	assert.Equal(t, replayKey("passmint", long, nil), replayKey("passmint", long, []byte("other body")))
}

// A sender that retries an event it thinks failed signs it anew with a
// fresh timestamp: within the replay window it is still a duplicate.
func TestHandlerRetrySignedAnew(t *testing.T) {
	rc := newReceiver(t, Passmint())
	body := `{"id":"evt_r","type":"pass.installed"}`
	require.Equal(t, msgOK, rc.send(body, nil).Body.String())
	rc.clock.Add(2 * time.Hour)
	assert.Equal(t, msgDuplicate, rc.send(body, nil).Body.String())
	rc.clock.Add(DefaultReplayWindow)
	assert.Equal(t, msgOK, rc.send(body, nil).Body.String(), "forgotten after the window")
	assert.Len(t, rc.dispatched(), 2)
}
