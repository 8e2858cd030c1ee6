package sign

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An identity in a log record or a JSON document shows its certificate, never its private key: slog's JSON
// handler (and any logger that uses encoding/json) wrote an RSA key's D and Primes.
func TestIdentityNeverShowsItsKey(t *testing.T) {
	d, err := NewDevelopmentIdentity("pass.com.example.log", "A1B2C3D4E5")
	require.NoError(t, err)
	key := d.Signer.(*rsa.PrivateKey)
	secretDigits := key.D.String()[:24]

	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logs, nil), slog.NewTextHandler(&logs, nil)} {
		slog.New(h).Info("loaded", "identity", d.Identity, "value", *d.Identity, "dev", d)
	}
	out, err := json.Marshal(map[string]any{"id": d.Identity, "v": *d.Identity, "dev": d})
	require.NoError(t, err)
	all := logs.String() + string(out)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		all += fmt.Sprintf(verb, d) + fmt.Sprintf(verb, d.Identity) + fmt.Sprintf(verb, *d.Identity)
	}
	// Checked without printing what was seen: on failure that would be the key.
	assert.False(t, strings.Contains(all, secretDigits), "the private exponent was printed")
	assert.False(t, strings.Contains(all, `"D"`), "a D member was printed")
	assert.False(t, strings.Contains(all, "Primes"), "the primes were printed")
	assert.True(t, strings.Contains(logs.String(), "pass.com.example.log"), "the record still says which identity")
	assert.True(t, strings.Contains(string(out), `"passTypeIdentifier":"pass.com.example.log"`), "JSON says which identity")

	var zero Identity
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("zero", "identity", zero, "nil", (*Identity)(nil))
}
