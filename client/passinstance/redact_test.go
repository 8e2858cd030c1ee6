package passinstance

import (
	"encoding/json"
	"testing"

	"github.com/passforge/passforge/client/internal/clienttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrintingTheClientShowsNoKey(t *testing.T) {
	c, err := New("k_SECRETKEY0123")
	require.NoError(t, err)
	clienttest.AssertHidden(t, "SECRETKEY", "", c, *c)
}

func TestPrintingWebhooksShowsNoSecret(t *testing.T) {
	var w Webhook
	require.NoError(t, json.Unmarshal([]byte(`{"id":"wh_1","url":"https://x","secret":"SECRETKEY"}`), &w))
	p := WebhookCreateParams{URL: "https://x", Events: []string{"pass.created"}, Secret: "SECRETKEY"}
	clienttest.AssertHidden(t, "SECRETKEY", "https://x", w, &w, []Webhook{w}, p, &p)
	body, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(body), `"secret":"SECRETKEY"`, "the request body still carries the secret")
}
