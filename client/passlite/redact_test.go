package passlite

import (
	"encoding/json"
	"testing"

	"github.com/passforge/passforge/client/internal/clienttest"
	"github.com/stretchr/testify/require"
)

func TestPrintingTheClientShowsNoKey(t *testing.T) {
	c, err := New("pb_live_SECRETKEY0123")
	require.NoError(t, err)
	clienttest.AssertHidden(t, "SECRETKEY", "", c, *c)
}

func TestPrintingAWebhookShowsNoSecret(t *testing.T) {
	var w Webhook
	require.NoError(t, json.Unmarshal([]byte(`{"id":"wh_1","url":"https://x","secret":"SECRETKEY"}`), &w))
	require.Equal(t, "SECRETKEY", w.Secret)
	clienttest.AssertHidden(t, "SECRETKEY", "wh_1", w, &w, []Webhook{w})
}
