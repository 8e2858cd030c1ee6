package passmint

import (
	"encoding/json"
	"testing"

	"github.com/passforge/passforge/client/internal/clienttest"
	"github.com/stretchr/testify/require"
)

func TestPrintingTheClientShowsNoKey(t *testing.T) {
	c, err := New("pmk_live_SECRETKEY0123")
	require.NoError(t, err)
	clienttest.AssertHidden(t, "SECRETKEY", "", c, *c)
}

func TestPrintingAWebhookShowsNoSecret(t *testing.T) {
	var w Webhook
	require.NoError(t, json.Unmarshal([]byte(`{"object":"webhook","id":"whk_1","url":"https://x","secret":"whsec_SECRETKEY"}`), &w))
	require.Equal(t, "whsec_SECRETKEY", w.Secret)
	clienttest.AssertHidden(t, "SECRETKEY", "whk_1", w, &w, []Webhook{w})
}
