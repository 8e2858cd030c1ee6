package sign

import (
	"bytes"
	"errors"
	"testing"

	"github.com/passforge/passforge/pass"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteRefusesUnreplacedPlaceholder: issue 12 found that Write shipped a pass still holding {{name}}
// (a template design signed as it is). It is now a validation error naming where the placeholder is, and
// nothing is written.
func TestWriteRefusesUnreplacedPlaceholder(t *testing.T) {
	p := testPass()
	p.StoreCard.SecondaryFields[0].Value = pass.String("{{holder_name}}")
	var b bytes.Buffer
	err := Write(&b, p, testAssets(t), pkiOnce().identity(t), nil)
	require.ErrorIs(t, err, ErrInvalidPass)
	var ve *pass.ValidationError
	require.True(t, errors.As(err, &ve))
	require.Len(t, ve.Errors(), 1, "%v", ve)
	assert.Equal(t, "storeCard.secondaryFields[0].value", ve.Errors()[0].Path)
	assert.Equal(t, "unreplaced-placeholder", ve.Errors()[0].Rule)
	assert.Zero(t, b.Len(), "nothing written")

	// The same pass, filled, signs.
	p.StoreCard.SecondaryFields[0].Value = pass.String("Jane Appleseed")
	require.NoError(t, Write(&b, p, testAssets(t), pkiOnce().identity(t), nil))
}
