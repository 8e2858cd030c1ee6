package pass

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNilMisuse checks that a nil *Pass, a nil *Assets and a nil fs.FS give
// empty answers or errors instead of panicking.
func TestNilMisuse(t *testing.T) {
	var p *Pass
	assert.Nil(t, p.Fields(StyleStoreCard))
	assert.Equal(t, Style(""), p.Style())
	assert.False(t, p.HasPosterGeneric())
	require.Error(t, p.Validate(nil))

	var a *Assets
	assert.EqualError(t, a.Set("icon.png", []byte{1}), "pass: cannot set icon.png on a nil *Assets")
	assert.Error(t, a.SetImage(ImageIcon, 2, []byte{1}))
	assert.Zero(t, a.Len())

	_, _, err := Load(nil)
	assert.EqualError(t, err, "pass: Load: nil fs.FS")
}
