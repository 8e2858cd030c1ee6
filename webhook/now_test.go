package webhook

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithNow: the verifier reads the time through the func() time.Time of WithNow, the one way every package
// takes a clock (sign.Options.Now, sign.VerifyOptions.Now, MemoryStore.Now).
func TestWithNow(t *testing.T) {
	header := http.Header{}
	header.Set("Passmint-Signature", "t=1760000000,v1=97d5a5d9d5e5eeec23db1def3ed2a9370f5a99e9e0fb0c74c88ef12d0cb5b1b7")
	body := []byte(`{"x":1}`)

	now := time.Unix(1760000100, 0)
	v, err := NewVerifier(Passmint(), []string{"whsec_test"}, WithNow(func() time.Time { return now }))
	require.NoError(t, err)
	_, err = v.Verify(header, body)
	require.NoError(t, err)

	now = now.Add(time.Hour) // the same delivery an hour later is outside the tolerance
	_, err = v.Verify(header, body)
	assert.True(t, errors.Is(err, ErrTimestampOutsideTolerance), "%v", err)

	_, err = NewVerifier(Passmint(), []string{"whsec_test"}, WithNow(nil))
	assert.ErrorContains(t, err, "webhook: nil")
}
