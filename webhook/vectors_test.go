package webhook

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The published test vectors of /work/shared/providers/README.md.
func TestVectors(t *testing.T) {
	tests := []struct {
		name   string
		scheme Scheme
		secret string
		header http.Header
		body   string
		now    time.Time
	}{
		{
			name:   "standard webhooks",
			scheme: StandardWebhooks(),
			secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
			header: http.Header{
				"Webhook-Id":        {"msg_p5jXN8AQM9LWM0D4loKWxJek"},
				"Webhook-Timestamp": {"1614265330"},
				"Webhook-Signature": {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
			},
			body: `{"test": 2432232314}`,
			now:  time.Unix(1614265330, 0),
		},
		{
			name:   "passmint",
			scheme: Passmint(),
			secret: "whsec_test",
			header: http.Header{"Passmint-Signature": {"t=1760000000,v1=97d5a5d9d5e5eeec23db1def3ed2a9370f5a99e9e0fb0c74c88ef12d0cb5b1b7"}},
			body:   `{"x":1}`,
			now:    time.Unix(1760000000, 0),
		},
		{
			name:   "passlite",
			scheme: PassLite(),
			secret: "whsec_test",
			header: http.Header{"X-Passlite-Signature": {"ca47e2234b5b73c5cdce2258078b038049dbd2037eec018e23ddbd25cf09cb64"}},
			body:   `{"x":1}`,
		},
		{
			name:   "remypass",
			scheme: RemyPass(),
			secret: "whsec_test",
			header: http.Header{"X-Remypass-Signature": {"ca47e2234b5b73c5cdce2258078b038049dbd2037eec018e23ddbd25cf09cb64"}},
			body:   `{"x":1}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewVerifier(tt.scheme, []string{tt.secret}, WithNow(func() time.Time { return tt.now }))
			require.NoError(t, err)
			d, err := v.Verify(tt.header, []byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(d.Body))
			if !tt.now.IsZero() {
				assert.True(t, d.Timestamp.Equal(tt.now))
			}

			// The Signer reproduces the vector exactly.
			s, err := NewSigner(tt.scheme, tt.secret)
			require.NoError(t, err)
			h, err := s.Sign([]byte(tt.body), tt.now, &SignOptions{ID: tt.header.Get("Webhook-Id")})
			require.NoError(t, err)
			sc := v.Scheme()
			assert.Equal(t, tt.header.Get(sc.SignatureHeader), h.Get(sc.SignatureHeader))
			if sc.TimestampHeader != "" {
				assert.Equal(t, tt.header.Get(sc.TimestampHeader), h.Get(sc.TimestampHeader))
			}

			// One changed byte of the body fails.
			tampered := []byte(tt.body)
			tampered[len(tampered)-2] ^= 1
			_, err = v.Verify(tt.header, tampered)
			assert.ErrorIs(t, err, ErrInvalidSignature)
		})
	}
}
