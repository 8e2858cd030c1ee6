package sign

import (
	"bytes"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNilAndZeroValues checks that nil and zero-value identities and readers
// give empty answers or errors, never a panic.
func TestNilAndZeroValues(t *testing.T) {
	for name, id := range map[string]*Identity{"nil": nil, "zero": {}} {
		t.Run(name+" identity", func(t *testing.T) {
			assert.Empty(t, id.PassTypeIdentifier())
			assert.Empty(t, id.TeamIdentifier())
			assert.True(t, id.NotAfter().IsZero())
			assert.Empty(t, id.Check(time.Now()))
		})
	}
	t.Run("identity without its certificate keeps checking the chain", func(t *testing.T) {
		id := &Identity{Chain: []*x509.Certificate{AppleWWDRG4()}}
		notices := id.Check(AppleWWDRG4().NotAfter.Add(time.Hour))
		require.Len(t, notices, 1)
		assert.Error(t, notices[0].Err)
	})
	for name, d := range map[string]*DevelopmentIdentity{"nil": nil, "zero": {}} {
		t.Run(name+" development identity", func(t *testing.T) {
			assert.Nil(t, d.CAPEM())
		})
	}
	t.Run("Read nil reader", func(t *testing.T) {
		pkg, err := Read(nil, 10, nil)
		assert.Nil(t, pkg)
		require.ErrorIs(t, err, ErrArchive)
		assert.ErrorContains(t, err, "nil reader")
	})
	t.Run("ReadBundle nil reader", func(t *testing.T) {
		passes, err := ReadBundle(nil, 10)
		assert.Nil(t, passes)
		require.ErrorIs(t, err, ErrArchive)
	})
}

// TestWriteBundleRefusesEmptyPass checks that a BundlePass without data is
// refused instead of being written as an empty .pkpass.
func TestWriteBundleRefusesEmptyPass(t *testing.T) {
	var buf bytes.Buffer
	err := WriteBundle(&buf, []BundlePass{{}})
	require.EqualError(t, err, `sign: bundle entry "pass1.pkpass" is empty`)
	assert.Zero(t, buf.Len())
}
