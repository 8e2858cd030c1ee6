package preview

import (
	"testing"

	"github.com/passforge/passforge/pass"
	"github.com/stretchr/testify/assert"
)

// TestWritePNGNilWriter checks that a nil writer is an error, not a panic.
func TestWritePNGNilWriter(t *testing.T) {
	err := WritePNG(nil, &pass.Pass{Generic: &pass.PassFields{}}, nil, nil)
	assert.EqualError(t, err, "preview: nil writer")
}
