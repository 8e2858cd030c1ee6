package webhook

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchDelivery returns a verifier and a signed 1 KiB delivery for scheme.
func benchDelivery(b *testing.B, scheme Scheme, secret string) (*Verifier, http.Header, []byte) {
	b.Helper()
	now := time.Unix(1760000000, 0)
	body := bytes.Repeat([]byte("a"), 1024)
	copy(body, `{"id":"evt_1","type":"pass.installed","created_at":"2025-10-09T08:53:20Z","data":{"x":"`)
	copy(body[1021:], `"}}`)
	s, err := NewSigner(scheme, secret)
	if err != nil {
		b.Fatal(err)
	}
	h, err := s.Sign(body, now, &SignOptions{ID: "msg_bench"})
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(scheme, []string{secret}, WithNow(func() time.Time { return now }))
	if err != nil {
		b.Fatal(err)
	}
	return v, h, body
}

// BenchmarkVerify measures verifying a 1 KiB delivery (target: under 2 µs,
// a few allocations at most).
func BenchmarkVerify(b *testing.B) {
	schemes := []struct {
		name   string
		scheme Scheme
		secret string
	}{
		{"passmint", Passmint(), "whsec_test"},
		{"passlite", PassLite(), "whsec_test"},
		{"standard-webhooks", StandardWebhooks(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
	}
	for _, sc := range schemes {
		b.Run(sc.name, func(b *testing.B) {
			v, h, body := benchDelivery(b, sc.scheme, sc.secret)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(h, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHandler measures a whole delivery through the Handler: read,
// verify, decode, replay check and dispatch.
func BenchmarkHandler(b *testing.B) {
	v, h, body := benchDelivery(b, Passmint(), "whsec_test")
	handler, err := NewHandler(v, WithReplayStore(nopStore{}))
	if err != nil {
		b.Fatal(err)
	}
	handler.On(PassmintPassInstalled, func(ctx context.Context, e *Event) error { return nil })
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header = h
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// nopStore accepts every key, to measure the handler without replay bookkeeping.
type nopStore struct{}

func (nopStore) Claim(context.Context, string, time.Time) error    { return nil }
func (nopStore) Complete(context.Context, string, time.Time) error { return nil }
func (nopStore) Release(context.Context, string) error             { return nil }

// BenchmarkHMACFloor is the floor under BenchmarkVerify: one HMAC-SHA256 of
// a 1 KiB body with a reused hash state and nothing else.
func BenchmarkHMACFloor(b *testing.B) {
	body := bytes.Repeat([]byte("a"), 1024)
	k := newMACKey([]byte("whsec_test"))
	st := k.get()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		st.h.Reset()
		st.h.Write(body)
		st.h.Sum(st.sum[:0])
	}
}
