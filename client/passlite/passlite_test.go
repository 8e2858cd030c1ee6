package passlite

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/clienttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testKey = "pb_test_0123456789abcdef"
	testJWT = "eyJhbGciOiJIUzI1NiIs.eyJzdWIiOiJiaXpfMTIzIn0.c2lnbmF0dXJl"
	biz     = "biz_123"
)

// Example responses copied from PassLite's API reference. The reference
// shows no body for /businesses/me, the webhook endpoints and the customer
// passes; those are plausible objects with the fields the client types.
const (
	issuedJSON = `{
  "id": "pass_abc123", "serial_number": "PL-00042", "template_id": "tpl_loyalty_gold",
  "customer_name": "Jane Doe", "customer_email": "jane@example.com", "external_id": "cust_9821",
  "status": "active", "points": 0, "balance": null, "stamps": 0,
  "download_url": "https://api.passlite.io/pass/PL-00042", "created_at": "2026-04-07T10:30:00Z"
}`
	gotJSON = `{
  "id": "pass_abc123", "serial_number": "PL-00042", "template_id": "tpl_loyalty_gold",
  "customer_name": "Jane Doe", "customer_email": "jane@example.com", "external_id": "cust_9821",
  "status": "active", "points": 150, "balance": null, "stamps": 3, "metadata": { "tier": "gold" },
  "download_url": "https://api.passlite.io/pass/PL-00042",
  "created_at": "2026-04-07T10:30:00Z", "updated_at": "2026-04-07T14:22:00Z", "wallet": "apple"
}`
	bulkIssueJSON = `{
  "total": 2, "succeeded": 1, "failed": 1,
  "results": [
    { "index": 0, "status": "created", "pass": { "id": "pass_abc123", "serial_number": "PL-00042" } },
    { "index": 1, "status": "error", "error": { "code": "duplicate_external_id", "message": "external_id cust_9822 already exists" } }
  ]
}`
	bulkUpdateJSON = `{
  "total": 2, "succeeded": 2, "failed": 0,
  "results": [
    { "index": 0, "status": "updated", "pass": { "id": "pass_abc123" } },
    { "index": 1, "status": "updated", "pass": { "id": "pass_def456" } }
  ]
}`
	stampJSON       = `{ "id": "pass_abc123", "stamps": 4, "status": "active" }`
	pointsJSON      = `{ "id": "pass_abc123", "points": 200, "status": "active" }`
	chargeJSON      = `{ "id": "pass_abc123", "balance": 85.0, "status": "active" }`
	topUpJSON       = `{ "id": "pass_abc123", "balance": 105.0, "status": "active" }`
	checkInJSON     = `{ "id": "pass_abc123", "status": "checked_in", "checked_in_at": "2026-04-07T14:00:00Z" }`
	redeemJSON      = `{ "id": "pass_abc123", "status": "redeemed", "redeemed_at": "2026-04-07T15:00:00Z" }`
	voidJSON        = `{ "id": "pass_abc123", "status": "voided", "voided_at": "2026-04-07T16:00:00Z" }`
	reactivateJSON  = `{ "id": "pass_abc123", "status": "active", "reactivated_at": "2026-04-07T17:00:00Z" }`
	lookupEmailJSON = `[
  { "id": "pass_abc123", "serial_number": "PL-00042", "status": "active" },
  { "id": "pass_def456", "serial_number": "PL-00099", "status": "redeemed" }
]`
	lookupExternalJSON = `{ "id": "pass_abc123", "external_id": "cust_9821", "status": "active" }`
	webhookJSON        = `{"id": "wh_1", "url": "https://example.com/hooks/passlite", "events": ["pass.created", "pass.redeemed"],
  "secret": "whsec_test", "created_at": "2026-04-07T10:30:00Z"}`
	businessJSON = `{"id": "biz_123", "name": "Acme Coffee", "plan": "pro"}`
)

// fake is an httptest PassLite written from the API reference: it checks
// the credential, answers each documented route with the reference's
// example response and records every request.
type fake struct{ *clienttest.Server }

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{}
	f.Server = clienttest.NewServer(t, f.serve)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request, n int) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", fmt.Sprintf("req_%d", n))
	w.Header().Set("X-RateLimit-Limit", "60")
	w.Header().Set("X-RateLimit-Remaining", "59")
	w.Header().Set("X-RateLimit-Reset", "1775557860")
	if f.Overridden(w, r, n) {
		return
	}
	public := strings.HasPrefix(r.URL.Path, "/public/")
	if !public && r.Header.Get("X-API-Key") != testKey && r.Header.Get("Authorization") != "Bearer "+testJWT {
		w.WriteHeader(401)
		_, _ = io.WriteString(w, `{"error": {"code": "unauthorized", "message": "Missing or invalid authentication.", "status": 401}}`)
		return
	}
	const pass = "/businesses/biz_123/passes/pass_abc123"
	var resp string
	switch route := r.Method + " " + r.URL.EscapedPath(); route {
	case "GET /businesses/me":
		resp = businessJSON
	case "POST /businesses/biz_123/passes":
		resp = issuedJSON
	case "POST /businesses/biz_123/passes/bulk":
		resp = bulkIssueJSON
	case "GET " + pass, "GET /businesses/biz_123/passes/PL-00042", "GET /businesses/biz_123/passes/cust_9821":
		resp = gotJSON
	case "PATCH " + pass:
		resp = strings.Replace(gotJSON, `"Jane Doe"`, `"Jane Smith"`, 1)
	case "PATCH /businesses/biz_123/passes/bulk":
		resp = bulkUpdateJSON
	case "POST " + pass + "/stamp":
		resp = stampJSON
	case "POST " + pass + "/points":
		resp = pointsJSON
	case "POST " + pass + "/charge":
		resp = chargeJSON
	case "POST " + pass + "/topup":
		resp = topUpJSON
	case "POST " + pass + "/checkin":
		resp = checkInJSON
	case "POST " + pass + "/redeem":
		resp = redeemJSON
	case "DELETE " + pass:
		resp = voidJSON
	case "POST " + pass + "/reactivate":
		resp = reactivateJSON
	case "GET /businesses/biz_123/passes/lookup/email/jane@example.com":
		resp = lookupEmailJSON
	case "GET /businesses/biz_123/passes/lookup/external/cust_9821":
		resp = lookupExternalJSON
	case "POST /businesses/biz_123/webhooks":
		resp = webhookJSON
	case "GET /businesses/biz_123/webhooks":
		resp = `[` + strings.Replace(webhookJSON, `"secret": "whsec_test",`, "", 1) + `]`
	case "DELETE /businesses/biz_123/webhooks/wh_1":
		w.WriteHeader(http.StatusNoContent)
		return
	case "POST /public/customer/magic-link":
		resp = `{"sent": true}`
	case "GET /public/customer/passes":
		if r.URL.Query().Get("token") != testJWT {
			w.WriteHeader(401)
			_, _ = io.WriteString(w, `{"error": {"code": "unauthorized", "message": "Invalid or expired token.", "status": 401}}`)
			return
		}
		resp = `[` + gotJSON + `]`
	default:
		w.WriteHeader(404)
		_, _ = fmt.Fprintf(w, `{"error": {"code": "not_found", "message": "No route %s.", "status": 404}}`, route)
		return
	}
	if r.Method == http.MethodPost && !strings.HasPrefix(r.URL.Path, "/public/") && !strings.Contains(r.URL.Path, "/pass_abc123/") {
		w.WriteHeader(http.StatusCreated)
	}
	_, _ = io.WriteString(w, resp)
}

// fakeClock never waits and records the waits asked for.
type fakeClock struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (*fakeClock) Now() time.Time { return time.Date(2026, 4, 7, 14, 30, 0, 0, time.UTC) }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

func newTestClient(t *testing.T, f *fake, opts ...client.Option) *Client {
	t.Helper()
	c, err := New(testKey, append([]client.Option{client.WithBaseURL(f.URL), client.WithClock(&fakeClock{})}, opts...)...)
	require.NoError(t, err)
	return c
}

func ptr[T any](v T) *T { return &v }

func TestEveryOperation(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		do         func(c *Client) (any, *client.Response, error)
		method     string
		path       string
		query      string
		body       string // JSON; "" for none
		keyed      bool   // an Idempotency-Key is expected
		wantStatus int
		check      func(t *testing.T, v any)
	}{
		{
			name:   "businesses me",
			do:     func(c *Client) (any, *client.Response, error) { return c.Businesses.Me(ctx) },
			method: "GET", path: "/businesses/me", wantStatus: 200,
			check: func(t *testing.T, v any) {
				b := v.(*Business)
				assert.Equal(t, "biz_123", b.ID)
				assert.Equal(t, "Acme Coffee", b.Name)
				assert.JSONEq(t, businessJSON, string(b.Raw))
			},
		},
		{
			name: "passes issue",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Issue(ctx, biz, &PassIssueParams{
					TemplateID: "tpl_loyalty_gold", CustomerName: "Jane Doe", CustomerEmail: "jane@example.com",
					ExternalID: "cust_9821", InitialBalance: ptr(50.0), Points: ptr(0), BarcodeData: "TICKET-XYZ-12345",
					NFCData: "custom-nfc-payload", Metadata: map[string]any{"tier": "gold"},
				})
			},
			method: "POST", path: "/businesses/biz_123/passes", keyed: true, wantStatus: 201,
			body: `{"template_id":"tpl_loyalty_gold","customer_name":"Jane Doe","customer_email":"jane@example.com",
				"external_id":"cust_9821","initial_balance":50,"points":0,"barcode_data":"TICKET-XYZ-12345",
				"nfc_data":"custom-nfc-payload","metadata":{"tier":"gold"}}`,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, "pass_abc123", p.ID)
				assert.Equal(t, "PL-00042", p.SerialNumber)
				assert.Equal(t, "tpl_loyalty_gold", p.TemplateID)
				assert.Equal(t, "Jane Doe", p.CustomerName)
				assert.Equal(t, "jane@example.com", p.CustomerEmail)
				assert.Equal(t, "cust_9821", p.ExternalID)
				assert.Equal(t, StatusActive, p.Status)
				assert.Zero(t, p.Points)
				assert.Nil(t, p.Balance)
				assert.Zero(t, p.Stamps)
				assert.Equal(t, "https://api.passlite.io/pass/PL-00042", p.DownloadURL)
				assert.Equal(t, time.Date(2026, 4, 7, 10, 30, 0, 0, time.UTC), p.CreatedAt)
				assert.Nil(t, p.UpdatedAt)
			},
		},
		{
			name: "passes bulk issue",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.BulkIssue(ctx, biz, &BulkIssueParams{Passes: []PassIssueParams{
					{TemplateID: "tpl_loyalty_gold", CustomerName: "Jane Doe", CustomerEmail: "jane@example.com", ExternalID: "cust_9821"},
					{TemplateID: "tpl_loyalty_gold", CustomerName: "John Smith", CustomerEmail: "john@example.com", ExternalID: "cust_9822", IdempotencyKey: "ignored"},
				}})
			},
			method: "POST", path: "/businesses/biz_123/passes/bulk", keyed: true, wantStatus: 201,
			body: `{"passes":[
				{"template_id":"tpl_loyalty_gold","customer_name":"Jane Doe","customer_email":"jane@example.com","external_id":"cust_9821"},
				{"template_id":"tpl_loyalty_gold","customer_name":"John Smith","customer_email":"john@example.com","external_id":"cust_9822"}]}`,
			check: func(t *testing.T, v any) {
				r := v.(*BulkResult)
				assert.Equal(t, 2, r.Total)
				assert.Equal(t, 1, r.Succeeded)
				assert.Equal(t, 1, r.Failed)
				require.Len(t, r.Results, 2)
				assert.Equal(t, BulkStatusCreated, r.Results[0].Status)
				require.NotNil(t, r.Results[0].Pass)
				assert.Equal(t, "PL-00042", r.Results[0].Pass.SerialNumber)
				assert.Nil(t, r.Results[0].Error)
				fails := r.Failures()
				require.Len(t, fails, 1)
				assert.Equal(t, 1, fails[0].Index)
				assert.Nil(t, fails[0].Pass)
				require.NotNil(t, fails[0].Error)
				assert.Equal(t, "duplicate_external_id", fails[0].Error.Code)
				assert.EqualError(t, fails[0].Error, "passlite: bulk item 1: duplicate_external_id: external_id cust_9822 already exists")
			},
		},
		{
			name:   "passes get by id",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Get(ctx, biz, "pass_abc123") },
			method: "GET", path: "/businesses/biz_123/passes/pass_abc123", wantStatus: 200,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, 150, p.Points)
				assert.Equal(t, 3, p.Stamps)
				assert.Equal(t, map[string]any{"tier": "gold"}, p.Metadata)
				require.NotNil(t, p.UpdatedAt)
				assert.Equal(t, time.Date(2026, 4, 7, 14, 22, 0, 0, time.UTC), *p.UpdatedAt)
				assert.Contains(t, string(p.Raw), `"wallet": "apple"`, "undocumented fields stay in Raw")
			},
		},
		{
			name:   "passes get by serial number",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Get(ctx, biz, "PL-00042") },
			method: "GET", path: "/businesses/biz_123/passes/PL-00042", wantStatus: 200,
			check: func(t *testing.T, v any) { assert.Equal(t, "pass_abc123", v.(*Pass).ID) },
		},
		{
			name:   "passes get by external id",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Get(ctx, biz, "cust_9821") },
			method: "GET", path: "/businesses/biz_123/passes/cust_9821", wantStatus: 200,
			check: func(t *testing.T, v any) { assert.Equal(t, "cust_9821", v.(*Pass).ExternalID) },
		},
		{
			name: "passes update",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Update(ctx, biz, "pass_abc123", &PassUpdateParams{
					CustomerName: ptr("Jane Smith"), CustomerEmail: ptr("jane.smith@example.com"), ExternalID: ptr("cust_1"),
					Points: ptr(0), Balance: ptr(12.5), Stamps: ptr(2), Metadata: map[string]any{"tier": "platinum"},
					ClearBarcodeData: true, Extra: map[string]any{"nfc_data": "x"},
				})
			},
			method: "PATCH", path: "/businesses/biz_123/passes/pass_abc123", keyed: true, wantStatus: 200,
			body: `{"customer_name":"Jane Smith","customer_email":"jane.smith@example.com","external_id":"cust_1",
				"points":0,"balance":12.5,"stamps":2,"metadata":{"tier":"platinum"},"barcode_data":null,"nfc_data":"x"}`,
			check: func(t *testing.T, v any) { assert.Equal(t, "Jane Smith", v.(*Pass).CustomerName) },
		},
		{
			name: "passes update barcode only",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Update(ctx, biz, "pass_abc123", &PassUpdateParams{BarcodeData: ptr("TICKET-1")})
			},
			method: "PATCH", path: "/businesses/biz_123/passes/pass_abc123", keyed: true, wantStatus: 200,
			body:  `{"barcode_data":"TICKET-1"}`,
			check: func(t *testing.T, v any) { assert.Equal(t, "pass_abc123", v.(*Pass).ID) },
		},
		{
			name: "passes bulk update",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.BulkUpdate(ctx, biz, &BulkUpdateParams{Passes: []BulkUpdateItem{
					{Identifier: "pass_abc123", Update: PassUpdateParams{Points: ptr(200)}},
					{Identifier: "cust_9822", Update: PassUpdateParams{Metadata: map[string]any{"tier": "silver"}}},
				}})
			},
			method: "PATCH", path: "/businesses/biz_123/passes/bulk", keyed: true, wantStatus: 200,
			body: `{"passes":[{"identifier":"pass_abc123","points":200},{"identifier":"cust_9822","metadata":{"tier":"silver"}}]}`,
			check: func(t *testing.T, v any) {
				r := v.(*BulkResult)
				assert.Equal(t, 2, r.Succeeded)
				assert.Empty(t, r.Failures())
				assert.Equal(t, "pass_def456", r.Results[1].Pass.ID)
				assert.Equal(t, BulkStatusUpdated, r.Results[1].Status)
			},
		},
		{
			name: "passes stamp",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Stamp(ctx, biz, "pass_abc123", nil)
			},
			method: "POST", path: "/businesses/biz_123/passes/pass_abc123/stamp", query: "count=1", keyed: true, wantStatus: 200,
			check: func(t *testing.T, v any) { assert.Equal(t, 4, v.(*Pass).Stamps) },
		},
		{
			name: "passes stamp count",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Stamp(ctx, biz, "pass_abc123", &StampParams{Count: 3})
			},
			method: "POST", path: "/businesses/biz_123/passes/pass_abc123/stamp", query: "count=3", keyed: true, wantStatus: 200,
			check: func(t *testing.T, v any) { assert.Equal(t, StatusActive, v.(*Pass).Status) },
		},
		{
			name: "passes points",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.AddPoints(ctx, biz, "pass_abc123", &PointsParams{Points: 50})
			},
			method: "POST", path: "/businesses/biz_123/passes/pass_abc123/points", query: "points=50", keyed: true, wantStatus: 200,
			check: func(t *testing.T, v any) { assert.Equal(t, 200, v.(*Pass).Points) },
		},
		{
			name: "passes charge",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Charge(ctx, biz, "pass_abc123", &AmountParams{Amount: 15})
			},
			method: "POST", path: "/businesses/biz_123/passes/pass_abc123/charge", query: "amount=15.0", keyed: true, wantStatus: 200,
			check: func(t *testing.T, v any) {
				require.NotNil(t, v.(*Pass).Balance)
				assert.InDelta(t, 85.0, *v.(*Pass).Balance, 1e-9)
			},
		},
		{
			name: "passes top up",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.TopUp(ctx, biz, "pass_abc123", &AmountParams{Amount: 20.25})
			},
			method: "POST", path: "/businesses/biz_123/passes/pass_abc123/topup", query: "amount=20.25", keyed: true, wantStatus: 200,
			check: func(t *testing.T, v any) { assert.InDelta(t, 105.0, *v.(*Pass).Balance, 1e-9) },
		},
		{
			name:   "passes check in",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.CheckIn(ctx, biz, "pass_abc123", nil) },
			method: "POST", path: "/businesses/biz_123/passes/pass_abc123/checkin", keyed: true, wantStatus: 200,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, StatusCheckedIn, p.Status)
				require.NotNil(t, p.CheckedInAt)
				assert.Equal(t, time.Date(2026, 4, 7, 14, 0, 0, 0, time.UTC), *p.CheckedInAt)
			},
		},
		{
			name:   "passes redeem",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Redeem(ctx, biz, "pass_abc123", nil) },
			method: "POST", path: "/businesses/biz_123/passes/pass_abc123/redeem", keyed: true, wantStatus: 200,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, StatusRedeemed, p.Status)
				require.NotNil(t, p.RedeemedAt)
				assert.Equal(t, 15, p.RedeemedAt.Hour())
			},
		},
		{
			name:   "passes void",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Void(ctx, biz, "pass_abc123") },
			method: "DELETE", path: "/businesses/biz_123/passes/pass_abc123", wantStatus: 200,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, StatusVoided, p.Status)
				require.NotNil(t, p.VoidedAt)
				assert.Equal(t, 16, p.VoidedAt.Hour())
			},
		},
		{
			name: "passes reactivate",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Reactivate(ctx, biz, "pass_abc123", &ActionOptions{IdempotencyKey: "reactivate-1"})
			},
			method: "POST", path: "/businesses/biz_123/passes/pass_abc123/reactivate", keyed: true, wantStatus: 200,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, StatusActive, p.Status)
				require.NotNil(t, p.ReactivatedAt)
				assert.Equal(t, 17, p.ReactivatedAt.Hour())
			},
		},
		{
			name: "passes lookup by email",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.LookupByEmail(ctx, biz, "jane@example.com")
			},
			method: "GET", path: "/businesses/biz_123/passes/lookup/email/jane@example.com", wantStatus: 200,
			check: func(t *testing.T, v any) {
				ps := v.([]Pass)
				require.Len(t, ps, 2)
				assert.Equal(t, "PL-00099", ps[1].SerialNumber)
				assert.Equal(t, StatusRedeemed, ps[1].Status)
			},
		},
		{
			name: "passes lookup by external id",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.LookupByExternalID(ctx, biz, "cust_9821")
			},
			method: "GET", path: "/businesses/biz_123/passes/lookup/external/cust_9821", wantStatus: 200,
			check: func(t *testing.T, v any) { assert.Equal(t, "cust_9821", v.(*Pass).ExternalID) },
		},
		{
			name: "webhooks create",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Webhooks.Create(ctx, biz, &WebhookCreateParams{
					URL: "https://example.com/hooks/passlite", Events: []string{EventPassCreated, EventPassRedeemed},
					Extra: map[string]any{"description": "prod"},
				})
			},
			method: "POST", path: "/businesses/biz_123/webhooks", keyed: true, wantStatus: 201,
			body: `{"url":"https://example.com/hooks/passlite","events":["pass.created","pass.redeemed"],"description":"prod"}`,
			check: func(t *testing.T, v any) {
				w := v.(*Webhook)
				assert.Equal(t, "wh_1", w.ID)
				assert.Equal(t, "whsec_test", w.Secret)
				assert.Equal(t, []string{"pass.created", "pass.redeemed"}, w.Events)
				require.NotNil(t, w.CreatedAt)
			},
		},
		{
			name:   "webhooks list",
			do:     func(c *Client) (any, *client.Response, error) { return c.Webhooks.List(ctx, biz) },
			method: "GET", path: "/businesses/biz_123/webhooks", wantStatus: 200,
			check: func(t *testing.T, v any) {
				ws := v.([]Webhook)
				require.Len(t, ws, 1)
				assert.Equal(t, "https://example.com/hooks/passlite", ws[0].URL)
				assert.Empty(t, ws[0].Secret)
			},
		},
		{
			name: "webhooks delete",
			do: func(c *Client) (any, *client.Response, error) {
				resp, err := c.Webhooks.Delete(ctx, biz, "wh_1")
				return nil, resp, err
			},
			method: "DELETE", path: "/businesses/biz_123/webhooks/wh_1", wantStatus: 204,
		},
		{
			name: "customers magic link",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Customers.SendMagicLink(ctx, "customer@example.com")
			},
			method: "POST", path: "/public/customer/magic-link", keyed: true, wantStatus: 200,
			body:  `{"email":"customer@example.com"}`,
			check: func(t *testing.T, v any) { assert.True(t, v.(*MagicLink).Sent) },
		},
		{
			name:   "customers passes",
			do:     func(c *Client) (any, *client.Response, error) { return c.Customers.Passes(ctx, testJWT) },
			method: "GET", path: "/public/customer/passes", query: "token=" + testJWT, wantStatus: 200,
			check: func(t *testing.T, v any) {
				ps := v.([]Pass)
				require.Len(t, ps, 1)
				assert.Equal(t, 3, ps[0].Stamps)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			c := newTestClient(t, f)
			v, resp, err := tt.do(c)
			require.NoError(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, 1, resp.Attempts)
			assert.Equal(t, "req_1", resp.RequestID)
			assert.Equal(t, 60, resp.RateLimit.Limit)
			assert.Equal(t, 59, resp.RateLimit.Remaining)
			assert.Equal(t, int64(1775557860), resp.RateLimit.Reset.Unix())

			calls := f.Requests()
			require.Len(t, calls, 1)
			got := calls[0]
			clienttest.Want{
				Method: tt.method, Path: tt.path, RawQuery: tt.query, JSON: tt.body,
				Header: map[string]string{
					"X-API-Key":     testKey,
					"Authorization": "",
					"Accept":        "application/json",
					"User-Agent":    "passforge-passlite",
				},
			}.Assert(t, got)
			if tt.keyed {
				assert.NotEmpty(t, got.Header.Get("Idempotency-Key"))
				assert.Equal(t, got.Header.Get("Idempotency-Key"), resp.IdempotencyKey)
			} else {
				assert.Empty(t, got.Header.Get("Idempotency-Key"))
			}
			if tt.check != nil {
				tt.check(t, v)
			}
		})
	}
}

func TestNew(t *testing.T) {
	t.Run("modes from the key prefix", func(t *testing.T) {
		c, err := New("pb_live_abc")
		require.NoError(t, err)
		assert.Equal(t, ModeLive, c.Mode())
		c, err = New("pb_test_abc")
		require.NoError(t, err)
		assert.Equal(t, ModeTest, c.Mode())
		assert.Equal(t, DefaultBaseURL, c.core.BaseURL().String())
	})
	for _, key := range []string{"", "pb_live_", "pb_test_", "sk_live_secretvalue", "pmk_test_secretvalue"} {
		t.Run("rejects "+fmt.Sprintf("%q", key), func(t *testing.T) {
			_, err := New(key)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "passlite: "), err.Error())
			if len(key) > 8 {
				assert.NotContains(t, err.Error(), key)
				assert.NotContains(t, err.Error(), "secretvalue")
			}
		})
	}
	t.Run("bad option", func(t *testing.T) {
		_, err := New(testKey, client.WithBaseURL("ftp://x"))
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "passlite: "))
	})
	t.Run("bearer token", func(t *testing.T) {
		f := newFake(t)
		c, err := NewBearer(testJWT, client.WithBaseURL(f.URL))
		require.NoError(t, err)
		assert.Equal(t, ModeUnknown, c.Mode())
		b, _, err := c.Businesses.Me(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "biz_123", b.ID)
		got := f.Requests()[0]
		assert.Equal(t, "Bearer "+testJWT, got.Header.Get("Authorization"))
		assert.Empty(t, got.Header.Get("X-API-Key"))

		_, err = NewBearer(" ")
		require.EqualError(t, err, "passlite: bearer token is empty")
	})
}

func TestInvalidInput(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	ctx := context.Background()
	tooMany := make([]PassIssueParams, MaxBulkPasses+1)
	for i := range tooMany {
		tooMany[i].TemplateID = "tpl"
	}
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"issue nil params", func() error { _, _, err := c.Passes.Issue(ctx, biz, nil); return err }, "passlite: issue pass: params are nil"},
		{"issue without template", func() error {
			_, _, err := c.Passes.Issue(ctx, biz, &PassIssueParams{CustomerEmail: "a@example.com"})
			return err
		}, "passlite: issue pass: template_id is required"},
		{"issue NaN balance", func() error {
			nan := 0.0
			nan /= nan
			_, _, err := c.Passes.Issue(ctx, biz, &PassIssueParams{TemplateID: "tpl", InitialBalance: &nan})
			return err
		}, "passlite: issue pass: initial_balance is not a finite number"},
		{"empty business", func() error { _, _, err := c.Passes.Get(ctx, "", "pass_abc123"); return err }, "passlite: business id is empty"},
		{"dot identifier", func() error { _, _, err := c.Passes.Get(ctx, biz, ".."); return err }, `passlite: pass identifier ".." is not valid`},
		{"bulk identifier", func() error {
			_, _, err := c.Passes.Update(ctx, biz, "bulk", &PassUpdateParams{Points: ptr(1)})
			return err
		}, `passlite: pass identifier "bulk" names the bulk endpoint, not a pass`},
		{"empty identifier", func() error { _, _, err := c.Passes.Void(ctx, biz, " "); return err }, "passlite: pass identifier is empty"},
		{"update nothing", func() error {
			_, _, err := c.Passes.Update(ctx, biz, "pass_abc123", &PassUpdateParams{})
			return err
		}, "passlite: update pass: no field to update"},
		{"update nil", func() error { _, _, err := c.Passes.Update(ctx, biz, "pass_abc123", nil); return err }, "passlite: update pass: params are nil"},
		{"update barcode twice", func() error {
			_, _, err := c.Passes.Update(ctx, biz, "pass_abc123", &PassUpdateParams{BarcodeData: ptr("x"), ClearBarcodeData: true})
			return err
		}, "passlite: update pass: both BarcodeData and ClearBarcodeData are set"},
		{"update extra collides", func() error {
			_, _, err := c.Passes.Update(ctx, biz, "pass_abc123", &PassUpdateParams{Points: ptr(1), Extra: map[string]any{"points": 2}})
			return err
		}, `passlite: update pass: key "points" of Extra collides with a typed field`},
		{"bulk issue empty", func() error { _, _, err := c.Passes.BulkIssue(ctx, biz, &BulkIssueParams{}); return err }, "passlite: bulk issue passes: no passes"},
		{"bulk issue too many", func() error {
			_, _, err := c.Passes.BulkIssue(ctx, biz, &BulkIssueParams{Passes: tooMany})
			return err
		}, "passlite: bulk issue passes: 501 passes is more than 500"},
		{"bulk issue bad item", func() error {
			_, _, err := c.Passes.BulkIssue(ctx, biz, &BulkIssueParams{Passes: []PassIssueParams{{TemplateID: "t"}, {}}})
			return err
		}, "passlite: bulk issue passes: passes[1]: template_id is required"},
		{"bulk update no identifier", func() error {
			_, _, err := c.Passes.BulkUpdate(ctx, biz, &BulkUpdateParams{Passes: []BulkUpdateItem{{Update: PassUpdateParams{Points: ptr(1)}}}})
			return err
		}, "passlite: bulk update passes: passes[0]: identifier is required"},
		{"bulk update empty item", func() error {
			_, _, err := c.Passes.BulkUpdate(ctx, biz, &BulkUpdateParams{Passes: []BulkUpdateItem{{Identifier: "p"}}})
			return err
		}, "passlite: bulk update passes: passes[0]: no field to update"},
		{"bulk update nil", func() error { _, _, err := c.Passes.BulkUpdate(ctx, biz, nil); return err }, "passlite: bulk update passes: no passes"},
		{"negative stamps", func() error {
			_, _, err := c.Passes.Stamp(ctx, biz, "pass_abc123", &StampParams{Count: -1})
			return err
		}, "passlite: stamp pass: count -1 is negative"},
		{"zero points", func() error { _, _, err := c.Passes.AddPoints(ctx, biz, "pass_abc123", &PointsParams{}); return err }, "passlite: add points: points must not be zero"},
		{"negative charge", func() error {
			_, _, err := c.Passes.Charge(ctx, biz, "pass_abc123", &AmountParams{Amount: -5})
			return err
		}, "passlite: charge balance: amount -5 is not a positive finite number"},
		{"nil top up", func() error { _, _, err := c.Passes.TopUp(ctx, biz, "pass_abc123", nil); return err }, "passlite: top up balance: amount 0 is not a positive finite number"},
		{"empty email", func() error { _, _, err := c.Passes.LookupByEmail(ctx, biz, ""); return err }, "passlite: email is empty"},
		{"empty external id", func() error { _, _, err := c.Passes.LookupByExternalID(ctx, biz, ""); return err }, "passlite: external id is empty"},
		{"webhook without url", func() error { _, _, err := c.Webhooks.Create(ctx, biz, &WebhookCreateParams{}); return err }, "passlite: create webhook: url is required"},
		{"webhook relative url", func() error {
			_, _, err := c.Webhooks.Create(ctx, biz, &WebhookCreateParams{URL: "/hooks"})
			return err
		}, `passlite: create webhook: url "/hooks" is not an absolute http(s) URL`},
		{"webhook empty event", func() error {
			_, _, err := c.Webhooks.Create(ctx, biz, &WebhookCreateParams{URL: "https://x.example", Events: []string{""}})
			return err
		}, "passlite: create webhook: events[0] is empty"},
		{"webhook delete empty", func() error { _, err := c.Webhooks.Delete(ctx, biz, ""); return err }, "passlite: webhook id is empty"},
		{"magic link empty", func() error { _, _, err := c.Customers.SendMagicLink(ctx, ""); return err }, "passlite: send magic link: email is empty"},
		{"customer token empty", func() error { _, _, err := c.Customers.Passes(ctx, ""); return err }, "passlite: list customer passes: token is empty"},
		{"nil context", func() error {
			//nolint:staticcheck // a nil context is the bad input under test
			_, _, err := c.Passes.Get(nil, biz, "pass_abc123") //lint:ignore SA1012 testing nil context
			return err
		}, "passlite: get pass: nil context.Context"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.EqualError(t, tt.do(), tt.want)
		})
	}
	assert.Empty(t, f.Requests(), "invalid input must not reach the server")
}

func TestEscapedPathSegments(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	_, _, err := c.Passes.LookupByEmail(context.Background(), "biz/1", "a/b@example.com")
	require.Error(t, err) // the fake has no such route
	got := f.Requests()[0]
	assert.Equal(t, "/businesses/biz%2F1/passes/lookup/email/a%2Fb@example.com", got.Path)
}

func BenchmarkIssue(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, issuedJSON)
	}))
	defer srv.Close()
	c, err := New(testKey, client.WithBaseURL(srv.URL))
	require.NoError(b, err)
	params := &PassIssueParams{TemplateID: "tpl_loyalty_gold", CustomerName: "Jane Doe", CustomerEmail: "jane@example.com",
		Metadata: map[string]any{"tier": "gold"}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Passes.Issue(ctx, biz, params); err != nil {
			b.Fatal(err)
		}
	}
}
