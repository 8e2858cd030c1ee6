package images

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDecodeNilReader checks that a nil reader is an error, not a panic.
func TestDecodeNilReader(t *testing.T) {
	img, err := Decode(nil)
	assert.Nil(t, img)
	assert.EqualError(t, err, "images: reading the source image: nil reader")
}
