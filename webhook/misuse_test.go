package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNilAndZeroValues checks that nil options, nil and zero-value verifiers
// and handlers fail closed with an error instead of panicking.
func TestNilAndZeroValues(t *testing.T) {
	t.Run("nil options are skipped", func(t *testing.T) {
		v, err := NewVerifier(Passmint(), []string{"whsec_test"}, nil)
		require.NoError(t, err)
		h, err := NewHandler(v, nil)
		require.NoError(t, err)
		assert.NotNil(t, h)
	})
	for name, v := range map[string]*Verifier{"nil": nil, "zero": {}} {
		t.Run(name+" verifier", func(t *testing.T) {
			_, err := v.Verify(http.Header{}, []byte("{}"))
			require.ErrorIs(t, err, ErrNoSecret)
			_, err = v.VerifyRequest(httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
			require.ErrorIs(t, err, ErrNoSecret)
		})
	}
	t.Run("nil request", func(t *testing.T) {
		v, err := NewVerifier(Passmint(), []string{"whsec_test"})
		require.NoError(t, err)
		_, err = v.VerifyRequest(nil)
		require.EqualError(t, err, "webhook: nil request")
	})
	for name, h := range map[string]*Handler{"nil": nil, "zero": {}} {
		t.Run(name+" handler", func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
			assert.Equal(t, http.StatusInternalServerError, rec.Code)
			assert.Contains(t, rec.Body.String(), "not made by NewHandler")
		})
	}
	t.Run("zero handler registers", func(t *testing.T) {
		h := &Handler{}
		h.On("pass.created", func(ctx context.Context, e *Event) error { return nil })
		assert.NotNil(t, h.lookup("pass.created"))
	})
}
