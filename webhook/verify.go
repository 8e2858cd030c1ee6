package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/passforge/passforge/internal/secret"
)

// Defaults of a Verifier.
const (
	// DefaultTolerance is how far a signed timestamp may be from the
	// verifier's clock, in either direction.
	DefaultTolerance = 5 * time.Minute
	// DefaultMaxBodyBytes is the largest body a verifier accepts.
	DefaultMaxBodyBytes = 1 << 20

	maxBodyLimit = 1 << 32 // the largest limit WithMaxBodyBytes accepts
)

// Verifier checks the signatures of deliveries under one Scheme and one or
// more secrets. Several secrets are accepted at once so that a secret can be
// rotated without dropping deliveries; every signature in the header is
// tried against every secret, in constant time per comparison.
//
// A Verifier is safe for concurrent use. Its zero value has no secret and
// rejects every delivery with ErrNoSecret. Printing a Verifier never shows
// its secrets.
type Verifier struct {
	scheme    Scheme
	keys      []*macKey
	tolerance time.Duration
	maxBody   int64
	now       func() time.Time
}

// Delivery is what a Verifier learned from a delivery's signed headers.
type Delivery struct {
	// ID is the delivery id from the scheme's IDHeader, set only when the
	// signature covers it (Standard Webhooks "webhook-id").
	ID string
	// Timestamp is the signed time of the delivery; zero when the scheme's
	// headers carry none (PassLite, RemyPass).
	Timestamp time.Time
	// Body is the verified body.
	Body []byte
}

// Option configures a Verifier.
type Option func(*Verifier) error

// WithTolerance sets how far a signed timestamp may be from the clock, in
// either direction. The default is DefaultTolerance (5 minutes).
func WithTolerance(d time.Duration) Option {
	return func(v *Verifier) error {
		if d <= 0 {
			return fmt.Errorf("webhook: tolerance %s is not positive", d)
		}
		v.tolerance = d
		return nil
	}
}

// WithNow sets the clock that timestamp checks read. If not given, time.Now. Every passforge package takes its
// clock this way, as a func() time.Time called Now.
func WithNow(now func() time.Time) Option {
	return func(v *Verifier) error {
		if now == nil {
			return errors.New("webhook: nil Now func")
		}
		v.now = now
		return nil
	}
}

// WithMaxBodyBytes sets the largest body accepted. The default is
// DefaultMaxBodyBytes (1 MiB); n must be between 1 and 4 GiB.
func WithMaxBodyBytes(n int64) Option {
	return func(v *Verifier) error {
		if n <= 0 || n > maxBodyLimit {
			return fmt.Errorf("webhook: body limit %d is not between 1 and %d bytes", n, int64(maxBodyLimit))
		}
		v.maxBody = n
		return nil
	}
}

// NewVerifier returns a Verifier for scheme that accepts a signature made
// with any of secrets. Secrets may be strings or byte slices; at least one is
// required and none may be empty (the verifier fails closed).
func NewVerifier[S ~string | ~[]byte](scheme Scheme, secrets []S, opts ...Option) (*Verifier, error) {
	s, err := scheme.normalize()
	if err != nil {
		return nil, err
	}
	if len(secrets) == 0 {
		return nil, fmt.Errorf("%w given (scheme %s)", ErrNoSecret, s.Name)
	}
	v := &Verifier{scheme: s, tolerance: DefaultTolerance, maxBody: DefaultMaxBodyBytes, now: time.Now}
	for i, secret := range secrets {
		key, err := s.hmacKey([]byte(secret))
		if err != nil {
			return nil, fmt.Errorf("%w (scheme %s, secret %d)", err, s.Name, i)
		}
		v.keys = append(v.keys, newMACKey(key))
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Scheme returns the verifier's scheme with its defaults filled in.
func (v *Verifier) Scheme() Scheme { return v.scheme }

// Tolerance returns the allowed difference between a signed timestamp and the clock.
func (v *Verifier) Tolerance() time.Duration { return v.tolerance }

// Verify checks that header carries a valid signature of body. It returns
// an error wrapping ErrMissingSignature, ErrMalformedHeader,
// ErrInvalidSignature, ErrTimestampOutsideTolerance, ErrBodyTooLarge or
// ErrNoSecret. The signature is checked before the timestamp, so a forger
// learns nothing from the timestamp error.
func (v *Verifier) Verify(header http.Header, body []byte) (Delivery, error) {
	if v == nil || len(v.keys) == 0 {
		return Delivery{}, ErrNoSecret
	}
	if int64(len(body)) > v.maxBody {
		return Delivery{}, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, v.maxBody)
	}
	var p parsed
	if err := parseHeaders(&v.scheme, header, &p); err != nil {
		return Delivery{}, err
	}
	if !v.matches(&p, body) {
		return Delivery{}, ErrInvalidSignature
	}
	d := Delivery{ID: p.id, Body: body}
	if p.hasTS {
		d.Timestamp = time.Unix(p.ts, 0).UTC()
		source := v.scheme.TimestampHeader
		if source == "" {
			source = v.scheme.SignatureHeader
		}
		if err := v.checkTime(source, d.Timestamp); err != nil {
			return Delivery{}, err
		}
	}
	return d, nil
}

// VerifyRequest reads r's body, at most the verifier's limit, and verifies
// it with r's headers. It does not close r.Body.
func (v *Verifier) VerifyRequest(r *http.Request) (Delivery, error) {
	if v == nil || len(v.keys) == 0 {
		return Delivery{}, ErrNoSecret
	}
	if r == nil {
		return Delivery{}, errors.New("webhook: nil request")
	}
	body, err := readBody(r, v.maxBody)
	if err != nil {
		return Delivery{}, err
	}
	return v.Verify(r.Header, body)
}

// readBody reads at most limit bytes of r's body. It sizes its buffer from
// Content-Length (up to 64 KiB, so a lying header cannot make it reserve
// more) and reads one byte past the limit to tell "exactly at the limit"
// from "too large".
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
	}
	if r.Body == nil {
		return nil, nil
	}
	size := int64(512)
	if r.ContentLength >= 0 {
		size = min(r.ContentLength+1, 64<<10)
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		end := cap(buf)
		if int64(end) > limit+1 {
			end = int(limit + 1)
		}
		n, err := r.Body.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("webhook: reading body: %w", err)
		}
	}
}

// checkTime enforces the tolerance on a signed time.
func (v *Verifier) checkTime(source string, ts time.Time) error {
	now := v.now()
	if d := now.Sub(ts); d > v.tolerance || d < -v.tolerance {
		return &TimestampError{Source: source, Timestamp: ts, Now: now, Tolerance: v.tolerance}
	}
	return nil
}

// matches reports whether any candidate in p is the HMAC of the signed
// content under any key. Every comparison runs in constant time.
func (v *Verifier) matches(p *parsed, body []byte) bool {
	ok := false
	for _, k := range v.keys {
		st := k.get()
		sum := st.compute(&v.scheme, p, body)
		for i := 0; i < p.n; i++ {
			if hmac.Equal(sum, p.sigs[i][:]) {
				ok = true
			}
		}
		k.put(st)
		if ok {
			return true
		}
	}
	return false
}

// macKey is one HMAC key with a pool of ready hash states, so that
// verifying does not allocate. Keys live behind a pointer so that printing
// a Verifier shows an address, never the key.
type macKey struct {
	key  secret.Bytes
	pool sync.Pool // of *macState
}

type macState struct {
	h      hash.Hash
	prefix []byte
	sum    mac
}

func newMACKey(key []byte) *macKey {
	k := &macKey{key: secret.NewBytes(key)}
	k.pool.New = func() any { return &macState{h: hmac.New(sha256.New, k.key.Reveal())} }
	return k
}

func (k *macKey) get() *macState  { return k.pool.Get().(*macState) }
func (k *macKey) put(s *macState) { k.pool.Put(s) }

// compute returns the HMAC of the signed content of a delivery. The result
// aliases st and is valid until st is returned to the pool.
func (st *macState) compute(s *Scheme, p *parsed, body []byte) []byte {
	st.h.Reset()
	st.prefix = appendSignedPrefix(st.prefix[:0], s, p.id, p.tsStr)
	st.h.Write(st.prefix)
	st.h.Write(body)
	return st.h.Sum(st.sum[:0])
}

// appendSignedPrefix appends what a scheme signs before the body.
func appendSignedPrefix(dst []byte, s *Scheme, id, ts string) []byte {
	switch s.Content {
	case ContentTimestampBody:
		dst = append(dst, ts...)
		dst = append(dst, s.Separator...)
	case ContentIDTimestampBody:
		dst = append(dst, id...)
		dst = append(dst, s.Separator...)
		dst = append(dst, ts...)
		dst = append(dst, s.Separator...)
	}
	return dst
}

// Format prints a Verifier without its secrets, for every verb.
func (v Verifier) Format(f fmt.State, verb rune) { io.WriteString(f, v.describe()) }

// LogValue implements slog.LogValuer: a log record shows what Format shows.
func (v Verifier) LogValue() slog.Value { return slog.StringValue(v.describe()) }

// describe names the scheme and the settings of v, never its secrets.
func (v *Verifier) describe() string {
	return fmt.Sprintf("webhook.Verifier{scheme: %s, secrets: %d, tolerance: %s, maxBodyBytes: %d}",
		v.scheme.Name, len(v.keys), v.tolerance, v.maxBody)
}
