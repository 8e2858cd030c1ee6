package pgstore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/internal/pgtest"
	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/storetest"
)

// TestConformance runs the webservice.Store conformance suite, each subtest on a fresh schema.
func TestConformance(t *testing.T) {
	pgtest.Base(t)
	storetest.Run(t, func(t *testing.T) webservice.Store {
		s, err := Open(context.Background(), pgtest.URL(t), WithMaxConns(8))
		require.NoError(t, err)
		return s
	}, &storetest.Options{Parallel: true})
}
