package pass2u

import (
	"testing"

	"github.com/passforge/passforge/client/internal/clienttest"
	"github.com/stretchr/testify/require"
)

func TestPrintingTheClientShowsNoKey(t *testing.T) {
	c, err := New("k_SECRETKEY0123")
	require.NoError(t, err)
	clienttest.AssertHidden(t, "SECRETKEY", "", c, *c)
}
