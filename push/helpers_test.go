package push

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/sign"
)

const testTopic = "pass.com.example.push"

// devIdentity is one development identity per test binary (RSA key
// generation is slow).
var devIdentity = sync.OnceValues(func() (*sign.DevelopmentIdentity, error) {
	return sign.NewDevelopmentIdentity(testTopic, "ABCDE12345")
})

func identity(t testing.TB) *sign.Identity {
	t.Helper()
	d, err := devIdentity()
	require.NoError(t, err)
	return d.Identity
}

// token returns a distinct, valid 64-hex-digit device token.
func token(i int) string { return fmt.Sprintf("%064x", i+1) }

func tokens(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = token(i)
	}
	return out
}

func newServer(t testing.TB, opts ...pushtest.Option) *pushtest.Server {
	t.Helper()
	s, err := pushtest.NewServer(opts...)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// quiet is a logger that drops everything.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newClient returns a client of the test identity pushing to s, with quick
// retries.
func newClient(t testing.TB, s *pushtest.Server, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithURL(s.URL), WithRootCAs(s.CertPool()), WithRetry(3, time.Millisecond, 5*time.Millisecond), WithLogger(quiet)}
	c, err := New(identity(t), append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// clock is a settable clock for WithNow.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}
func (c *clock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.ns.Add(int64(d)) }
func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *clock) option() Option      { return WithNow(c.now) }

// opaqueSigner hides the concrete key type: the identity is a bare
// crypto.Signer, as with a key in an HSM.
type opaqueSigner struct{ s crypto.Signer }

func (o opaqueSigner) Public() crypto.PublicKey { return o.s.Public() }
func (o opaqueSigner) Sign(r io.Reader, d []byte, opts crypto.SignerOpts) ([]byte, error) {
	return o.s.Sign(r, d, opts)
}

// p8 returns a fresh P-256 key as a .p8 PEM and its public key.
func p8(t testing.TB) ([]byte, *ecdsa.PublicKey) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(k)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), &k.PublicKey
}

// collect runs PushAll and returns the results by token.
func collect(t testing.TB, c *Client, notes []Notification) (map[string]Result, Summary, error) {
	t.Helper()
	out := map[string]Result{}
	sum, err := c.PushAll(t.Context(), func(yield func(Notification) bool) {
		for _, n := range notes {
			if !yield(n) {
				return
			}
		}
	}, func(r Result) {
		out[r.Token+"/"+r.Topic] = r
	})
	return out, sum, err
}

func notes(topic string, toks ...string) []Notification {
	out := make([]Notification, len(toks))
	for i, tk := range toks {
		out[i] = Notification{Token: tk, Topic: topic}
	}
	return out
}

func contains(s, sub string) bool { return sub != "" && strings.Contains(s, sub) }
