package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// Signer signs deliveries under one Scheme and secret: the same schemes a
// Verifier checks, in reverse. Applications use it to send webhooks of their
// own; tests use it to build deliveries. A Signer is safe for concurrent use
// and printing it never shows its secret.
type Signer struct {
	scheme Scheme
	key    *macKey
}

// SignOptions are the per-delivery values a scheme may put in its headers.
// A nil *SignOptions is the same as the zero value.
type SignOptions struct {
	// ID is the delivery id for the scheme's IDHeader. If empty and the
	// scheme has an IDHeader, a random "msg_…" id is generated.
	ID string
	// Event is the event type for the scheme's EventHeader, such as
	// "pass.installed". If empty, the header is not set.
	Event EventType
}

// NewSigner returns a Signer for scheme with secret, a string or byte slice.
// An empty secret is an error wrapping ErrNoSecret.
func NewSigner[S ~string | ~[]byte](scheme Scheme, secret S) (*Signer, error) {
	s, err := scheme.normalize()
	if err != nil {
		return nil, err
	}
	key, err := s.hmacKey([]byte(secret))
	if err != nil {
		return nil, fmt.Errorf("%w (scheme %s)", err, s.Name)
	}
	return &Signer{scheme: s, key: newMACKey(key)}, nil
}

// Sign returns the headers that carry a signature of body made at time at.
// The headers are those of the scheme: the signature header and, as the
// scheme has them, the timestamp, id and event headers.
func (s *Signer) Sign(body []byte, at time.Time, opts *SignOptions) (http.Header, error) {
	if s == nil || s.key == nil {
		return nil, ErrNoSecret
	}
	if opts == nil {
		opts = &SignOptions{}
	}
	sc := &s.scheme
	h := make(http.Header, 4)
	var p parsed
	if sc.hasTimestamp() {
		if at.Unix() < 0 {
			return nil, fmt.Errorf("webhook: sign: time %s is before 1970", at.UTC().Format(time.RFC3339))
		}
		p.ts, p.tsStr, p.hasTS = at.Unix(), strconv.FormatInt(at.Unix(), 10), true
	}
	if sc.IDHeader != "" {
		id := opts.ID
		if id == "" {
			var b [12]byte
			_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
			id = "msg_" + hex.EncodeToString(b[:])
		}
		if len(id) > maxIDLen {
			return nil, fmt.Errorf("webhook: sign: id longer than %d bytes", maxIDLen)
		}
		p.id = id
		h[sc.IDHeader] = []string{id}
	}
	if sc.EventHeader != "" && opts.Event != "" {
		h[sc.EventHeader] = []string{string(opts.Event)}
	}
	if sc.TimestampHeader != "" {
		h[sc.TimestampHeader] = []string{p.tsStr}
	}
	st := s.key.get()
	sig := encodeSignature(sc.Encoding, st.compute(sc, &p, body))
	s.key.put(st)
	var v string
	switch sc.Format {
	case FormatTimestamped:
		v = "t=" + p.tsStr + ",v1=" + sig
	case FormatVersioned:
		v = "v1," + sig
	default:
		v = sc.Prefix + sig
	}
	h[sc.SignatureHeader] = []string{v}
	return h, nil
}

func encodeSignature(e Encoding, sum []byte) string {
	if e == EncodingBase64 {
		return base64.StdEncoding.EncodeToString(sum)
	}
	return hex.EncodeToString(sum)
}

// NewRequest returns a signed POST of body to url, with Content-Type
// application/json: a delivery as the scheme's sender would make it. It is
// meant for tests and for applications that send webhooks.
func (s *Signer) NewRequest(ctx context.Context, url string, body []byte, at time.Time, opts *SignOptions) (*http.Request, error) {
	h, err := s.Sign(body, at, opts)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("webhook: building request: %w", err)
	}
	for k, v := range h {
		r.Header[k] = v
	}
	r.Header.Set("Content-Type", "application/json")
	return r, nil
}

// Format prints a Signer without its secret, for every verb.
func (s Signer) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "webhook.Signer{scheme: %s}", s.scheme.Name)
}

// LogValue implements slog.LogValuer: a log record shows what Format shows.
func (s Signer) LogValue() slog.Value {
	return slog.StringValue("webhook.Signer{scheme: " + s.scheme.Name + "}")
}
