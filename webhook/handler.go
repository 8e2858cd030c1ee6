package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// HandlerFunc processes one verified event. Returning an error makes the
// Handler answer 500, so that the sender retries the delivery later.
type HandlerFunc func(ctx context.Context, e *Event) error

// DefaultReplayWindow is how long a Handler remembers a delivery, and how
// old an event may be when the scheme has no signed timestamp header.
const DefaultReplayWindow = 24 * time.Hour

// claimTTL bounds how long a delivery stays "in progress" in the store if
// the process dies while handling it.
const claimTTL = 10 * time.Minute

// Handler is an http.Handler that receives webhook deliveries: it reads the
// raw body (capped), verifies it, decodes the event, drops replays, and
// dispatches to the HandlerFunc registered for the event type.
//
// Responses: 200 after the handler succeeded, for a duplicate delivery
// (acknowledged, not dispatched again) and for a type nobody handles; 400
// for any signature, header or payload problem, always with the same
// body, so that a forger learns nothing; 405 for methods other than POST;
// 413 for a body over the limit; 500 when the handler or the replay store
// failed, so that the sender retries; 503 while the same delivery is still
// being processed.
//
// Replay protection: every event is keyed by the scheme's signed id (the
// "webhook-id" header, else the payload's "id"), else by the SHA-256 of the
// body, and the key is remembered for the replay window (24 hours by
// default), so that a sender's retry of an event already handled, even
// signed anew, is acknowledged without running the HandlerFunc again.
// Exact replays older than the verifier's tolerance fail the timestamp
// check; for schemes without a signed header timestamp (PassLite,
// RemyPass), the payload's signed timestamp must lie within the replay
// window instead. A delivery with no timestamp anywhere (a custom Scheme
// without one, and a payload without one) is caught as a replay only within
// the window.
type Handler struct {
	v      *Verifier
	store  ReplayStore
	window time.Duration
	logf   func(*http.Request, error)

	mu       sync.RWMutex
	handlers map[EventType]HandlerFunc
	other    HandlerFunc
}

// HandlerOption configures a Handler.
type HandlerOption func(*Handler) error

// WithReplayStore sets where the handler remembers deliveries. The default
// is a new MemoryStore of DefaultMaxEntries keys.
func WithReplayStore(s ReplayStore) HandlerOption {
	return func(h *Handler) error {
		if s == nil {
			return errors.New("webhook: nil replay store")
		}
		h.store = s
		return nil
	}
}

// WithReplayWindow sets how long deliveries are remembered and how old an
// event without a signed header timestamp may be. It must be at least the
// verifier's tolerance. The default is DefaultReplayWindow (24 hours).
func WithReplayWindow(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d < h.v.tolerance {
			return fmt.Errorf("webhook: replay window %s is shorter than the tolerance %s", d, h.v.tolerance)
		}
		h.window = d
		return nil
	}
}

// WithErrorLog sets a function told about every rejected or failed
// delivery, with the reason the response does not give. The errors never
// contain secrets. The default discards them.
func WithErrorLog(logf func(r *http.Request, err error)) HandlerOption {
	return func(h *Handler) error {
		if logf == nil {
			return errors.New("webhook: nil error log")
		}
		h.logf = logf
		return nil
	}
}

// NewHandler returns a Handler verifying deliveries with v.
func NewHandler(v *Verifier, opts ...HandlerOption) (*Handler, error) {
	if v == nil || len(v.keys) == 0 {
		return nil, fmt.Errorf("%w: the handler's verifier has no secret", ErrNoSecret)
	}
	h := &Handler{v: v, window: DefaultReplayWindow, logf: func(*http.Request, error) {}, handlers: map[EventType]HandlerFunc{}}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(h); err != nil {
			return nil, err
		}
	}
	if h.store == nil {
		h.store = &MemoryStore{Now: v.now}
	}
	return h, nil
}

// On registers fn for events of type t, replacing any earlier one. It is
// safe to call while the handler serves.
func (h *Handler) On(t EventType, fn HandlerFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if fn == nil {
		delete(h.handlers, t)
		return
	}
	if h.handlers == nil {
		h.handlers = map[EventType]HandlerFunc{}
	}
	h.handlers[t] = fn
}

// OnOther registers fn for every event type without its own HandlerFunc,
// including types the provider adds later. Without it such events are
// acknowledged and dropped.
func (h *Handler) OnOther(fn HandlerFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.other = fn
}

func (h *Handler) lookup(t EventType) HandlerFunc {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if fn, ok := h.handlers[t]; ok {
		return fn
	}
	return h.other
}

// Response bodies. Rejections all say the same thing.
const (
	msgRejected   = "webhook: delivery rejected\n"
	msgTooLarge   = "webhook: body too large\n"
	msgOK         = "ok\n"
	msgDuplicate  = "ok: duplicate delivery\n"
	msgInProgress = "webhook: delivery in progress, retry later\n"
	msgFailed     = "webhook: processing failed, retry later\n"
)

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h == nil || h.v == nil {
		// Fail closed: a Handler that NewHandler did not make has no secret.
		reply(w, http.StatusInternalServerError, "webhook: the Handler was not made by NewHandler\n")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, "webhook: use POST\n")
		return
	}
	// 1. Verify.
	d, err := h.v.VerifyRequest(r)
	if err != nil {
		h.logf(r, err)
		if errors.Is(err, ErrBodyTooLarge) {
			reply(w, http.StatusRequestEntityTooLarge, msgTooLarge)
			return
		}
		reply(w, http.StatusBadRequest, msgRejected)
		return
	}
	// 2. Parse.
	e, err := ParseEvent(h.v.scheme.Envelope, d.Body)
	if err != nil {
		h.logf(r, err)
		reply(w, http.StatusBadRequest, msgRejected)
		return
	}
	e.Scheme = h.v.scheme.Name
	if d.ID != "" {
		e.ID = d.ID
	}
	now := h.v.now()
	expires, err := h.expiry(d, e, now)
	if err != nil {
		h.logf(r, err)
		reply(w, http.StatusBadRequest, msgRejected)
		return
	}
	// 3. Drop replays, then dispatch.
	key := replayKey(h.v.scheme.Name, e.ID, d.Body)
	ctx := r.Context()
	claimExpires := now.Add(claimTTL)
	if expires.Before(claimExpires) {
		claimExpires = expires
	}
	switch err := h.store.Claim(ctx, key, claimExpires); {
	case errors.Is(err, ErrDuplicate):
		reply(w, http.StatusOK, msgDuplicate)
		return
	case errors.Is(err, ErrInProgress):
		w.Header().Set("Retry-After", "10")
		reply(w, http.StatusServiceUnavailable, msgInProgress)
		return
	case err != nil:
		h.logf(r, fmt.Errorf("webhook: replay store: %w", err))
		reply(w, http.StatusInternalServerError, msgFailed)
		return
	}
	// The store calls below must happen even if the sender hung up.
	storeCtx := context.WithoutCancel(ctx)
	if err := h.dispatch(ctx, storeCtx, key, e); err != nil {
		h.logf(r, err)
		reply(w, http.StatusInternalServerError, msgFailed)
		return
	}
	if err := h.store.Complete(storeCtx, key, expires); err != nil {
		// The event was handled: acknowledge it. Until the claim expires the
		// store still answers "in progress" for this key.
		h.logf(r, fmt.Errorf("webhook: replay store: %w", err))
	}
	reply(w, http.StatusOK, msgOK)
}

// expiry returns until when a delivery's key is remembered: the replay
// window from now, which covers a sender's retries of the same event signed
// anew. When the scheme has no signed header timestamp, the payload's
// signed time takes its place: it must not be older than the window (an
// older replay could have been forgotten) nor further in the future than
// the tolerance.
func (h *Handler) expiry(d Delivery, e *Event, now time.Time) (time.Time, error) {
	if !d.Timestamp.IsZero() || e.Time.IsZero() {
		return now.Add(h.window), nil
	}
	age := now.Sub(e.Time)
	switch {
	case age > h.window:
		return time.Time{}, &TimestampError{Source: "payload timestamp", Timestamp: e.Time, Now: now, Tolerance: h.window}
	case age < -h.v.tolerance:
		return time.Time{}, &TimestampError{Source: "payload timestamp", Timestamp: e.Time, Now: now, Tolerance: h.v.tolerance}
	}
	return e.Time.Add(h.window + time.Second), nil
}

// dispatch runs the event's HandlerFunc. If it fails or panics, the claim
// on key is released so that the sender's retry is processed.
func (h *Handler) dispatch(ctx, storeCtx context.Context, key string, e *Event) (err error) {
	fn := h.lookup(e.Type)
	if fn == nil {
		return nil
	}
	released := false
	release := func() {
		if !released {
			released = true
			if rerr := h.store.Release(storeCtx, key); rerr != nil {
				err = errors.Join(err, fmt.Errorf("webhook: replay store: %w", rerr))
			}
		}
	}
	defer func() {
		if p := recover(); p != nil {
			release()
			panic(p)
		}
	}()
	if err = fn(ctx, e); err != nil {
		err = fmt.Errorf("webhook: %s event %q (id %q): %w", e.Scheme, e.Type, e.ID, err)
		release()
	}
	return err
}

// replayKey names a delivery in the ReplayStore: the scheme's name and the
// event's signed id, or the SHA-256 of the body when there is no id. Ids
// longer than maxIDLen are hashed too, so that every key is short and the
// store's memory stays proportional to its entry count.
func replayKey(scheme, id string, body []byte) string {
	switch {
	case id == "":
		sum := sha256.Sum256(body)
		return scheme + ":body-sha256:" + hex.EncodeToString(sum[:])
	case len(id) > maxIDLen:
		sum := sha256.Sum256([]byte(id))
		return scheme + ":id-sha256:" + hex.EncodeToString(sum[:])
	}
	return scheme + ":id:" + id
}

func reply(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg))
}
