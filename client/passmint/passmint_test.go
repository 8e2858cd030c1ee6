package passmint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/clienttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testKey = "pmk_test_0123456789abcdef"

// testNow is the fake clock's time, the day of the reference's examples.
var testNow = time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)

// Example responses copied from Passmint's API reference.
const (
	passJSON = `{
  "object": "pass", "id": "pass_xxx", "short_id": "abc123", "template_id": "tmpl_xxx",
  "serial_number": "SN-1", "mode": "test", "holder_email": "alice@example.com",
  "holder_name": "Alice Johnson", "field_values": { "seatNumber": "A12" },
  "voided": false, "voided_at": null, "metadata": { "order_id": "ord_123" },
  "created_via_api": true, "url": "https://passmint.com/p/abc123",
  "download_url": "https://passmint.com/p/abc123/download",
  "created_at": "2026-04-16T12:00:00Z", "undocumented_extra": 7
}`
	voidedPassJSON = `{"object": "pass", "id": "pass_xxx", "voided": true, "voided_at": "2026-04-16T14:30:00Z", "holder_email": null, "holder_name": null}`
	templateJSON   = `{
  "object": "template", "id": "tmpl_xxx", "name": "VIP Concert Pass", "type": "event",
  "apple_style": "eventTicket", "design": {"backgroundColor": "rgb(0,0,0)"}, "archived": false,
  "created_at": "2026-04-16T12:00:00Z", "updated_at": "2026-04-16T12:00:00Z"
}`
	eventsJSON = `{"object": "list", "data": [{"object": "pass_event", "id": "evt_xxx", "pass_id": "pass_xxx",
  "type": "installed", "metadata": {}, "created_at": "2026-04-16T13:00:00Z"}], "has_more": false}`
	webhookJSON = `{"object": "webhook", "id": "whk_xxx", "url": "https://example.com/webhooks/passmint",
  "events": ["pass.created", "pass.installed"], "description": "Production webhook", "enabled": true,
  "secret": "whsec_xxx", "created_at": "2026-04-16T12:00:00Z"}`
	deliveriesJSON = `{"object": "list", "data": [{"object": "webhook_delivery", "id": "whd_xxx", "webhook_id": "whk_xxx",
  "event_type": "pass.created", "status": "delivered", "attempts": 1, "last_attempt_at": "2026-04-16T12:01:00Z",
  "next_attempt_at": null, "response_status": 200, "response_body": "ok", "created_at": "2026-04-16T12:00:00Z"}],
  "has_more": false}`
)

// fake is an httptest Passmint written from the API reference. It answers
// each documented route with the reference's example response and records
// every request.
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
	if f.Overridden(w, r, n) {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testKey {
		w.WriteHeader(401)
		_, _ = io.WriteString(w, `{"error":{"type":"authentication_error","code":null,"message":"Invalid API key","param":null}}`)
		return
	}
	route := r.Method + " " + r.URL.Path
	var resp string
	switch {
	case route == "POST /v1/passes", route == "GET /v1/passes/pass_xxx", route == "PATCH /v1/passes/pass_xxx":
		resp = passJSON
	case route == "GET /v1/passes":
		resp = `{"object":"list","data":[` + passJSON + `],"has_more":false}`
	case route == "DELETE /v1/passes/pass_xxx":
		resp = voidedPassJSON
	case route == "POST /v1/templates", route == "GET /v1/templates/tmpl_xxx", route == "PATCH /v1/templates/tmpl_xxx":
		resp = templateJSON
	case route == "GET /v1/templates":
		resp = `{"object":"list","data":[` + templateJSON + `],"has_more":false}`
	case route == "DELETE /v1/templates/tmpl_xxx":
		resp = `{"id": "tmpl_xxx", "deleted": true}`
	case route == "GET /v1/events", route == "GET /v1/passes/pass_xxx/events":
		resp = eventsJSON
	case route == "POST /v1/webhooks", route == "PATCH /v1/webhooks/whk_xxx":
		resp = webhookJSON
	case route == "GET /v1/webhooks/whk_xxx":
		resp = strings.Replace(webhookJSON, `"secret": "whsec_xxx", `, "", 1)
	case route == "GET /v1/webhooks":
		resp = `{"object":"list","data":[` + strings.Replace(webhookJSON, `"secret": "whsec_xxx", `, "", 1) + `],"has_more":false}`
	case route == "DELETE /v1/webhooks/whk_xxx":
		resp = `{"id": "whk_xxx", "deleted": true}`
	case route == "GET /v1/webhooks/whk_xxx/deliveries":
		resp = deliveriesJSON
	default:
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"error":{"type":"not_found_error","code":null,"message":"No such route","param":null}}`)
		return
	}
	if r.Method == http.MethodPost {
		w.WriteHeader(201)
	}
	_, _ = io.WriteString(w, resp)
}

func newTestClient(t *testing.T, f *fake, opts ...client.Option) *Client {
	t.Helper()
	c, err := New(testKey, append([]client.Option{client.WithBaseURL(f.URL), client.WithClock(clienttest.NoSleep{At: testNow})}, opts...)...)
	require.NoError(t, err)
	return c
}

func ptr[T any](v T) *T { return &v }

func TestEveryOperation(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		do        func(c *Client) (any, *client.Response, error)
		method    string
		path      string
		query     string
		body      string // JSON; "" for none
		keyed     bool
		check     func(t *testing.T, v any)
		wantState int
	}{
		{
			name: "passes issue",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Issue(ctx, &PassIssueParams{
					TemplateID: "tmpl_xxx", HolderEmail: "alice@example.com", HolderName: "Alice Johnson",
					FieldValues: map[string]string{"seatNumber": "A12"}, Metadata: map[string]any{"order_id": "ord_123"},
				})
			},
			method: "POST", path: "/v1/passes", keyed: true, wantState: 201,
			body: `{"template_id":"tmpl_xxx","holder_email":"alice@example.com","holder_name":"Alice Johnson","field_values":{"seatNumber":"A12"},"metadata":{"order_id":"ord_123"}}`,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, "pass_xxx", p.ID)
				assert.Equal(t, "pass", p.Object)
				assert.Equal(t, "abc123", p.ShortID)
				assert.Equal(t, "tmpl_xxx", p.TemplateID)
				assert.Equal(t, "SN-1", p.SerialNumber)
				assert.Equal(t, ModeTest, p.Mode)
				assert.Equal(t, "alice@example.com", p.HolderEmail)
				assert.Equal(t, "Alice Johnson", p.HolderName)
				assert.Equal(t, map[string]string{"seatNumber": "A12"}, p.FieldValues)
				assert.False(t, p.Voided)
				assert.Nil(t, p.VoidedAt)
				assert.Equal(t, map[string]any{"order_id": "ord_123"}, p.Metadata)
				assert.True(t, p.CreatedViaAPI)
				assert.Equal(t, "https://passmint.com/p/abc123", p.URL)
				assert.Equal(t, "https://passmint.com/p/abc123/download", p.DownloadURL)
				assert.Equal(t, time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC), p.CreatedAt)
				var raw map[string]any
				require.NoError(t, json.Unmarshal(p.Raw, &raw))
				assert.EqualValues(t, 7, raw["undocumented_extra"], "undocumented fields stay reachable")
			},
		},
		{
			name: "passes list with filters",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.List(ctx, &PassListParams{TemplateID: "tmpl_xxx", HolderEmail: "alice@example.com", Limit: 10})
			},
			method: "GET", path: "/v1/passes", query: "holder_email=alice%40example.com&limit=10&template_id=tmpl_xxx",
			check: func(t *testing.T, v any) {
				l := v.(*List[Pass])
				assert.Equal(t, "list", l.Object)
				assert.False(t, l.HasMore)
				require.Len(t, l.Data, 1)
				assert.Equal(t, "pass_xxx", l.Data[0].ID)
				assert.NotEmpty(t, l.Data[0].Raw)
			},
		},
		{
			name:   "passes list without params",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.List(ctx, nil) },
			method: "GET", path: "/v1/passes",
			check: func(t *testing.T, v any) { assert.Len(t, v.(*List[Pass]).Data, 1) },
		},
		{
			name:   "passes retrieve",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Get(ctx, "pass_xxx") },
			method: "GET", path: "/v1/passes/pass_xxx",
			check: func(t *testing.T, v any) { assert.Equal(t, "Alice Johnson", v.(*Pass).HolderName) },
		},
		{
			name: "passes update",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Update(ctx, "pass_xxx", &PassUpdateParams{FieldValues: map[string]string{"seatNumber": "B7"}})
			},
			method: "PATCH", path: "/v1/passes/pass_xxx", keyed: true, body: `{"field_values":{"seatNumber":"B7"}}`,
			check: func(t *testing.T, v any) { assert.Equal(t, "pass_xxx", v.(*Pass).ID) },
		},
		{
			name:   "passes void",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Void(ctx, "pass_xxx") },
			method: "DELETE", path: "/v1/passes/pass_xxx",
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.True(t, p.Voided)
				require.NotNil(t, p.VoidedAt)
				assert.Equal(t, time.Date(2026, 4, 16, 14, 30, 0, 0, time.UTC), *p.VoidedAt)
				assert.Empty(t, p.HolderEmail, "null becomes empty")
			},
		},
		{
			name: "templates create",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Templates.Create(ctx, &TemplateCreateParams{Name: "VIP Concert Pass", Type: TemplateTypeEvent,
					AppleStyle: AppleStyleEventTicket, Design: json.RawMessage(`{"backgroundColor":"rgb(0,0,0)"}`)})
			},
			method: "POST", path: "/v1/templates", keyed: true, wantState: 201,
			body: `{"name":"VIP Concert Pass","type":"event","apple_style":"eventTicket","design":{"backgroundColor":"rgb(0,0,0)"}}`,
			check: func(t *testing.T, v any) {
				tm := v.(*Template)
				assert.Equal(t, "tmpl_xxx", tm.ID)
				assert.Equal(t, "template", tm.Object)
				assert.Equal(t, "VIP Concert Pass", tm.Name)
				assert.Equal(t, TemplateTypeEvent, tm.Type)
				assert.Equal(t, AppleStyleEventTicket, tm.AppleStyle)
				assert.JSONEq(t, `{"backgroundColor":"rgb(0,0,0)"}`, string(tm.Design))
				assert.False(t, tm.Archived)
				assert.Equal(t, time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC), tm.UpdatedAt)
			},
		},
		{
			name: "templates list",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Templates.List(ctx, &TemplateListParams{Limit: 10})
			},
			method: "GET", path: "/v1/templates", query: "limit=10",
			check: func(t *testing.T, v any) { assert.Equal(t, "tmpl_xxx", v.(*List[Template]).Data[0].ID) },
		},
		{
			name:   "templates retrieve",
			do:     func(c *Client) (any, *client.Response, error) { return c.Templates.Get(ctx, "tmpl_xxx") },
			method: "GET", path: "/v1/templates/tmpl_xxx",
			check: func(t *testing.T, v any) { assert.Equal(t, "VIP Concert Pass", v.(*Template).Name) },
		},
		{
			name: "templates update",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Templates.Update(ctx, "tmpl_xxx", &TemplateUpdateParams{Name: ptr("Updated Template Name"), Archived: ptr(false)})
			},
			method: "PATCH", path: "/v1/templates/tmpl_xxx", keyed: true, body: `{"name":"Updated Template Name","archived":false}`,
			check: func(t *testing.T, v any) { assert.Equal(t, "tmpl_xxx", v.(*Template).ID) },
		},
		{
			name:   "templates archive",
			do:     func(c *Client) (any, *client.Response, error) { return c.Templates.Archive(ctx, "tmpl_xxx") },
			method: "DELETE", path: "/v1/templates/tmpl_xxx",
			check: func(t *testing.T, v any) {
				d := v.(*DeletedObject)
				assert.Equal(t, "tmpl_xxx", d.ID)
				assert.True(t, d.Deleted)
				assert.JSONEq(t, `{"id": "tmpl_xxx", "deleted": true}`, string(d.Raw))
			},
		},
		{
			name:   "events recent",
			do:     func(c *Client) (any, *client.Response, error) { return c.Events.List(ctx, &EventListParams{Limit: 50}) },
			method: "GET", path: "/v1/events", query: "limit=50",
			check: func(t *testing.T, v any) {
				l := v.(*List[PassEvent])
				require.Len(t, l.Data, 1)
				e := l.Data[0]
				assert.Equal(t, "evt_xxx", e.ID)
				assert.Equal(t, "pass_event", e.Object)
				assert.Equal(t, "pass_xxx", e.PassID)
				assert.Equal(t, EventInstalled, e.Type)
				assert.Empty(t, e.Metadata)
				assert.Equal(t, time.Date(2026, 4, 16, 13, 0, 0, 0, time.UTC), e.CreatedAt)
			},
		},
		{
			name: "events per pass",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Events.ListForPass(ctx, "pass_xxx", &EventListParams{Limit: 20})
			},
			method: "GET", path: "/v1/passes/pass_xxx/events", query: "limit=20",
			check: func(t *testing.T, v any) { assert.Equal(t, "pass_xxx", v.(*List[PassEvent]).Data[0].PassID) },
		},
		{
			name: "webhooks create",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Webhooks.Create(ctx, &WebhookCreateParams{URL: "https://example.com/webhooks/passmint",
					Events: []string{WebhookEventPassCreated, WebhookEventPassInstalled}, Description: "Production webhook"})
			},
			method: "POST", path: "/v1/webhooks", keyed: true, wantState: 201,
			body: `{"url":"https://example.com/webhooks/passmint","events":["pass.created","pass.installed"],"description":"Production webhook"}`,
			check: func(t *testing.T, v any) {
				w := v.(*Webhook)
				assert.Equal(t, "whk_xxx", w.ID)
				assert.Equal(t, "webhook", w.Object)
				assert.Equal(t, "https://example.com/webhooks/passmint", w.URL)
				assert.Equal(t, []string{"pass.created", "pass.installed"}, w.Events)
				assert.Equal(t, "Production webhook", w.Description)
				assert.True(t, w.Enabled)
				assert.Equal(t, "whsec_xxx", w.Secret)
			},
		},
		{
			name:   "webhooks list",
			do:     func(c *Client) (any, *client.Response, error) { return c.Webhooks.List(ctx) },
			method: "GET", path: "/v1/webhooks",
			check: func(t *testing.T, v any) {
				l := v.(*List[Webhook])
				require.Len(t, l.Data, 1)
				assert.Empty(t, l.Data[0].Secret)
			},
		},
		{
			name:   "webhooks retrieve",
			do:     func(c *Client) (any, *client.Response, error) { return c.Webhooks.Get(ctx, "whk_xxx") },
			method: "GET", path: "/v1/webhooks/whk_xxx",
			check: func(t *testing.T, v any) {
				assert.Equal(t, "whk_xxx", v.(*Webhook).ID)
				assert.Empty(t, v.(*Webhook).Secret, "retrieval has no secret")
			},
		},
		{
			name: "webhooks update",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Webhooks.Update(ctx, "whk_xxx", &WebhookUpdateParams{Events: []string{WebhookEventAll}, Description: ptr("All events"), Enabled: ptr(false)})
			},
			method: "PATCH", path: "/v1/webhooks/whk_xxx", keyed: true, body: `{"events":["*"],"description":"All events","enabled":false}`,
			check: func(t *testing.T, v any) { assert.Equal(t, "whk_xxx", v.(*Webhook).ID) },
		},
		{
			name:   "webhooks delete",
			do:     func(c *Client) (any, *client.Response, error) { return c.Webhooks.Delete(ctx, "whk_xxx") },
			method: "DELETE", path: "/v1/webhooks/whk_xxx",
			check: func(t *testing.T, v any) { assert.True(t, v.(*DeletedObject).Deleted) },
		},
		{
			name:   "webhooks deliveries",
			do:     func(c *Client) (any, *client.Response, error) { return c.Webhooks.Deliveries(ctx, "whk_xxx") },
			method: "GET", path: "/v1/webhooks/whk_xxx/deliveries",
			check: func(t *testing.T, v any) {
				l := v.(*List[WebhookDelivery])
				require.Len(t, l.Data, 1)
				d := l.Data[0]
				assert.Equal(t, "whd_xxx", d.ID)
				assert.Equal(t, "webhook_delivery", d.Object)
				assert.Equal(t, "whk_xxx", d.WebhookID)
				assert.Equal(t, "pass.created", d.EventType)
				assert.Equal(t, DeliveryDelivered, d.Status)
				assert.Equal(t, 1, d.Attempts)
				require.NotNil(t, d.LastAttemptAt)
				assert.Equal(t, time.Date(2026, 4, 16, 12, 1, 0, 0, time.UTC), *d.LastAttemptAt)
				assert.Nil(t, d.NextAttemptAt)
				require.NotNil(t, d.ResponseStatus)
				assert.Equal(t, 200, *d.ResponseStatus)
				require.NotNil(t, d.ResponseBody)
				assert.Equal(t, "ok", *d.ResponseBody)
			},
		},
	}
	f := newFake(t)
	c := newTestClient(t, f)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, resp, err := tt.do(c)
			require.NoError(t, err)
			got := f.Last(t)
			clienttest.Want{
				Method: tt.method, Path: tt.path, RawQuery: tt.query, JSON: tt.body,
				Header: map[string]string{"Authorization": "Bearer " + testKey, "Accept": "application/json"},
			}.Assert(t, got)
			if tt.keyed {
				assert.Regexp(t, `^[0-9a-f-]{36}$`, got.Header.Get("Idempotency-Key"))
				assert.Equal(t, got.Header.Get("Idempotency-Key"), resp.IdempotencyKey)
			} else {
				assert.Empty(t, got.Header.Get("Idempotency-Key"))
			}
			want := tt.wantState
			if want == 0 {
				want = 200
			}
			assert.Equal(t, want, resp.StatusCode)
			assert.NotEmpty(t, resp.RequestID)
			tt.check(t, v)
		})
	}
}

func TestCallerIdempotencyKey(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	ctx := context.Background()
	_, _, err := c.Passes.Issue(ctx, &PassIssueParams{TemplateID: "tmpl_xxx", IdempotencyKey: "order-42"})
	require.NoError(t, err)
	assert.Equal(t, "order-42", f.Last(t).Header.Get("Idempotency-Key"))
	assert.NotContains(t, f.Last(t).Body, "order-42", "the key is a header, not a body field")
	_, _, err = c.Passes.Update(ctx, "pass_xxx", &PassUpdateParams{Metadata: map[string]any{"a": 1}, IdempotencyKey: "upd-1"})
	require.NoError(t, err)
	assert.Equal(t, "upd-1", f.Last(t).Header.Get("Idempotency-Key"))
	_, _, err = c.Templates.Create(ctx, &TemplateCreateParams{Name: "n", Type: TemplateTypeGeneric, AppleStyle: AppleStyleGeneric,
		Design: json.RawMessage(`{}`), IdempotencyKey: "tpl-1"})
	require.NoError(t, err)
	assert.Equal(t, "tpl-1", f.Last(t).Header.Get("Idempotency-Key"))
	_, _, err = c.Templates.Update(ctx, "tmpl_xxx", &TemplateUpdateParams{IdempotencyKey: "tpl-2"})
	require.NoError(t, err)
	assert.Equal(t, "tpl-2", f.Last(t).Header.Get("Idempotency-Key"))
	_, _, err = c.Webhooks.Create(ctx, &WebhookCreateParams{URL: "https://x", Events: []string{"*"}, IdempotencyKey: "wh-1"})
	require.NoError(t, err)
	assert.Equal(t, "wh-1", f.Last(t).Header.Get("Idempotency-Key"))
	_, _, err = c.Webhooks.Update(ctx, "whk_xxx", &WebhookUpdateParams{IdempotencyKey: "wh-2"})
	require.NoError(t, err)
	assert.Equal(t, "wh-2", f.Last(t).Header.Get("Idempotency-Key"))
}

func TestIssueRetriedWithSameKey(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n < 3 {
			w.WriteHeader(500)
			_, _ = io.WriteString(w, `{"error":{"type":"api_error","code":null,"message":"Internal error","param":null}}`)
			return true
		}
		return false
	})
	c := newTestClient(t, f)
	p, resp, err := c.Passes.Issue(context.Background(), &PassIssueParams{TemplateID: "tmpl_xxx"})
	require.NoError(t, err)
	assert.Equal(t, "pass_xxx", p.ID)
	assert.Equal(t, 3, resp.Attempts)
	calls := f.Requests()
	require.Len(t, calls, 3)
	key := calls[0].Header.Get("Idempotency-Key")
	require.NotEmpty(t, key)
	for _, cl := range calls {
		assert.Equal(t, key, cl.Header.Get("Idempotency-Key"))
		assert.Equal(t, calls[0].Body, cl.Body)
	}
}

func TestVoidNotRetriedAfterReachingServer(t *testing.T) {
	// A 502 may come after the void took effect: the un-keyed DELETE is not sent again. A 503 says the
	// request was not processed: it is.
	for code, want := range map[int]int{502: 1, 503: client.DefaultMaxAttempts} {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.WriteHeader(code)
			return true
		})
		c := newTestClient(t, f)
		_, resp, err := c.Passes.Void(context.Background(), "pass_xxx")
		require.ErrorIs(t, err, client.ErrServer)
		assert.Equal(t, want, resp.Attempts, code)
		assert.Len(t, f.Requests(), want, code)
	}
}

func TestDocumentedErrors(t *testing.T) {
	tests := []struct {
		status  int
		errType string
		code    string
		param   string
		want    []error
	}{
		{401, "authentication_error", "null", "null", []error{client.ErrUnauthorized}},
		{400, "invalid_request_error", "null", `"template_id"`, []error{client.ErrValidation}},
		{404, "not_found_error", `"resource_missing"`, "null", []error{client.ErrNotFound}},
		{402, "billing_error", `"plan_limit"`, "null", []error{client.ErrPaymentRequired}},
		{409, "idempotency_error", "null", "null", []error{client.ErrIdempotencyConflict, client.ErrConflict}},
		{500, "api_error", "null", "null", []error{client.ErrServer}},
	}
	for _, tt := range tests {
		t.Run(tt.errType, func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
				w.WriteHeader(tt.status)
				fmt.Fprintf(w, `{"error":{"type":%q,"code":%s,"message":"something about %s","param":%s}}`, tt.errType, tt.code, tt.errType, tt.param)
				return true
			})
			c := newTestClient(t, f, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
			_, resp, err := c.Passes.Get(context.Background(), "pass_xxx")
			require.Error(t, err)
			for _, w := range tt.want {
				assert.ErrorIs(t, err, w)
			}
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.errType, apiErr.Type)
			assert.Equal(t, "something about "+tt.errType, apiErr.Message)
			assert.Equal(t, strings.Trim(strings.TrimPrefix(tt.code, "null"), `"`), apiErr.Code)
			assert.Equal(t, strings.Trim(strings.TrimPrefix(tt.param, "null"), `"`), apiErr.Param)
			assert.Equal(t, "req_1", apiErr.RequestID)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.True(t, strings.HasPrefix(err.Error(), "passmint: retrieve pass: client: GET /v1/passes/pass_xxx: status "), err.Error())
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

func TestWrongKeyIsUnauthorized(t *testing.T) {
	f := newFake(t)
	c, err := New("pmk_live_wrong", client.WithBaseURL(f.URL))
	require.NoError(t, err)
	assert.Equal(t, ModeLive, c.Mode())
	_, _, err = c.Templates.List(context.Background(), nil)
	require.ErrorIs(t, err, client.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "pmk_live_wrong")
}

func TestDecodeErrorFallbacks(t *testing.T) {
	tests := []struct {
		body, wantMsg, wantCode string
	}{
		{`{"message":"plain"}`, "plain", ""},
		{`{"error":{"type":"invalid_request_error","code":42,"message":"m"}}`, "m", "42"},
		{`not json`, "not json", ""},
		{`{"error":null}`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			e := &client.APIError{StatusCode: 400, Body: []byte(tt.body)}
			decodeError(e)
			assert.Equal(t, tt.wantMsg, e.Message)
			assert.Equal(t, tt.wantCode, e.Code)
		})
	}
}

func TestModeFromKey(t *testing.T) {
	tests := []struct {
		key     string
		want    Mode
		wantErr string
	}{
		{"pmk_test_abc", ModeTest, ""},
		{"pmk_live_abc", ModeLive, ""},
		{"", "", "empty"},
		{"pmk_test_", "", "only a prefix"},
		{"sk_live_abc", "", "must start with"},
		{"PMK_TEST_abc", "", "must start with"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := ModeFromKey(tt.key)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				if tt.key != "" {
					assert.NotContains(t, err.Error(), tt.key)
				}
				_, err = New(tt.key)
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			c, err := New(tt.key)
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.Mode())
		})
	}
}

func TestNewPassesCoreOptionErrors(t *testing.T) {
	_, err := New(testKey, client.WithBaseURL("ftp://nope"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "passmint: client: base URL"), err.Error())
	c, err := New(testKey)
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.core.BaseURL().String())
}

func TestInputValidation(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	ctx := context.Background()
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"issue nil", func() error { _, _, err := c.Passes.Issue(ctx, nil); return err }, "template_id is required"},
		{"issue no template", func() error { _, _, err := c.Passes.Issue(ctx, &PassIssueParams{HolderName: "A"}); return err }, "template_id is required"},
		{"list limit", func() error { _, _, err := c.Passes.List(ctx, &PassListParams{Limit: 101}); return err }, "outside 1..100"},
		{"get empty id", func() error { _, _, err := c.Passes.Get(ctx, ""); return err }, "pass id is empty"},
		{"get dot id", func() error { _, _, err := c.Passes.Get(ctx, ".."); return err }, "not valid"},
		{"update nothing", func() error { _, _, err := c.Passes.Update(ctx, "pass_xxx", &PassUpdateParams{}); return err }, "at least one of"},
		{"void empty", func() error { _, _, err := c.Passes.Void(ctx, " "); return err }, "pass id is empty"},
		{"template missing", func() error { _, _, err := c.Templates.Create(ctx, &TemplateCreateParams{Name: "x"}); return err }, "required: type, apple_style, design"},
		{"template nil", func() error { _, _, err := c.Templates.Create(ctx, nil); return err }, "nil params"},
		{"template bad type", func() error {
			_, _, err := c.Templates.Create(ctx, &TemplateCreateParams{Name: "x", Type: "ticket", AppleStyle: AppleStyleGeneric, Design: json.RawMessage(`{}`)})
			return err
		}, `type "ticket"`},
		{"template bad style", func() error {
			_, _, err := c.Templates.Create(ctx, &TemplateCreateParams{Name: "x", Type: TemplateTypeEvent, AppleStyle: "poster", Design: json.RawMessage(`{}`)})
			return err
		}, `apple_style "poster"`},
		{"template bad design", func() error {
			_, _, err := c.Templates.Create(ctx, &TemplateCreateParams{Name: "x", Type: TemplateTypeEvent, AppleStyle: AppleStyleGeneric, Design: json.RawMessage(`{`)})
			return err
		}, "design is not valid JSON"},
		{"template update bad design", func() error {
			_, _, err := c.Templates.Update(ctx, "tmpl_xxx", &TemplateUpdateParams{Design: json.RawMessage(`{`)})
			return err
		}, "design is not valid JSON"},
		{"template empty id", func() error { _, _, err := c.Templates.Archive(ctx, ""); return err }, "template id is empty"},
		{"events limit", func() error { _, _, err := c.Events.List(ctx, &EventListParams{Limit: 201}); return err }, "outside 1..200"},
		{"events empty pass", func() error { _, _, err := c.Events.ListForPass(ctx, "", nil); return err }, "pass id is empty"},
		{"webhook no url", func() error {
			_, _, err := c.Webhooks.Create(ctx, &WebhookCreateParams{Events: []string{"*"}})
			return err
		}, "url is required"},
		{"webhook no events", func() error { _, _, err := c.Webhooks.Create(ctx, &WebhookCreateParams{URL: "https://x"}); return err }, "non-empty"},
		{"webhook update empty events", func() error {
			_, _, err := c.Webhooks.Update(ctx, "whk_xxx", &WebhookUpdateParams{Events: []string{}})
			return err
		}, "must not be an empty array"},
		{"webhook empty id", func() error { _, _, err := c.Webhooks.Deliveries(ctx, ""); return err }, "webhook id is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "passmint: "), err.Error())
		})
	}
	assert.Empty(t, f.Requests(), "invalid input is rejected before sending")
}

func TestPathEscaping(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	_, _, err := c.Passes.Get(context.Background(), "a/b c")
	require.ErrorIs(t, err, client.ErrNotFound)
	assert.Equal(t, "/v1/passes/a%2Fb%20c", f.Last(t).Path)
}

// pagingFake serves n passes in pages that honour limit and starting_after.
func pagingFake(t *testing.T, f *fake, path string, ids []string, object string) {
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if r.URL.Path != path {
			return false
		}
		limit := 2
		start := 0
		if after := r.URL.Query().Get("starting_after"); after != "" {
			for i, id := range ids {
				if id == after {
					start = i + 1
				}
			}
		}
		end := min(start+limit, len(ids))
		var items []string
		for _, id := range ids[start:end] {
			items = append(items, fmt.Sprintf(`{"object":%q,"id":%q}`, object, id))
		}
		fmt.Fprintf(w, `{"object":"list","data":[%s],"has_more":%t}`, strings.Join(items, ","), end < len(ids))
		return true
	})
}

func TestListAllAcrossPages(t *testing.T) {
	ctx := context.Background()
	ids := []string{"x_1", "x_2", "x_3", "x_4", "x_5"}
	collect := func(seq func(func(string, error) bool)) []string {
		var got []string
		for id, err := range seq {
			require.NoError(t, err)
			got = append(got, id)
		}
		return got
	}
	t.Run("passes", func(t *testing.T) {
		f := newFake(t)
		pagingFake(t, f, "/v1/passes", ids, "pass")
		c := newTestClient(t, f)
		got := collect(func(yield func(string, error) bool) {
			for p, err := range c.Passes.ListAll(ctx, &PassListParams{TemplateID: "tmpl_xxx", Limit: 2}) {
				if !yield(p.ID, err) {
					return
				}
			}
		})
		assert.Equal(t, ids, got)
		calls := f.Requests()
		require.Len(t, calls, 3)
		assert.Equal(t, "limit=2&template_id=tmpl_xxx", calls[0].RawQuery)
		assert.Equal(t, "limit=2&starting_after=x_2&template_id=tmpl_xxx", calls[1].RawQuery)
		assert.Equal(t, "limit=2&starting_after=x_4&template_id=tmpl_xxx", calls[2].RawQuery)
	})
	t.Run("templates", func(t *testing.T) {
		f := newFake(t)
		pagingFake(t, f, "/v1/templates", ids, "template")
		c := newTestClient(t, f)
		got := collect(func(yield func(string, error) bool) {
			for tm, err := range c.Templates.ListAll(ctx, nil) {
				if !yield(tm.ID, err) {
					return
				}
			}
		})
		assert.Equal(t, ids, got)
	})
	t.Run("events", func(t *testing.T) {
		f := newFake(t)
		pagingFake(t, f, "/v1/events", ids, "pass_event")
		c := newTestClient(t, f)
		got := collect(func(yield func(string, error) bool) {
			for e, err := range c.Events.ListAll(ctx, &EventListParams{Limit: 2}) {
				if !yield(e.ID, err) {
					return
				}
			}
		})
		assert.Equal(t, ids, got)
	})
	t.Run("events for pass", func(t *testing.T) {
		f := newFake(t)
		pagingFake(t, f, "/v1/passes/pass_xxx/events", ids, "pass_event")
		c := newTestClient(t, f)
		got := collect(func(yield func(string, error) bool) {
			for e, err := range c.Events.ListAllForPass(ctx, "pass_xxx", nil) {
				if !yield(e.ID, err) {
					return
				}
			}
		})
		assert.Equal(t, ids, got)
		for e, err := range c.Events.ListAllForPass(ctx, "", nil) {
			require.Error(t, err)
			assert.Empty(t, e.ID)
		}
	})
	t.Run("webhooks", func(t *testing.T) {
		f := newFake(t)
		pagingFake(t, f, "/v1/webhooks", ids, "webhook")
		c := newTestClient(t, f)
		got := collect(func(yield func(string, error) bool) {
			for w, err := range c.Webhooks.ListAll(ctx) {
				if !yield(w.ID, err) {
					return
				}
			}
		})
		assert.Equal(t, ids, got)
	})
}

func TestListAllStopsOnServerIgnoringCursor(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		_, _ = io.WriteString(w, `{"object":"list","data":[{"object":"pass","id":"pass_1"}],"has_more":true}`)
		return true
	})
	c := newTestClient(t, f)
	var err error
	for _, e := range c.Passes.ListAll(context.Background(), nil) {
		if e != nil {
			err = e
		}
	}
	require.ErrorIs(t, err, client.ErrPaginationStuck)
	assert.Len(t, f.Requests(), 2)
}

func TestListAllStopsOnError(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 1 {
			_, _ = io.WriteString(w, `{"object":"list","data":[{"object":"pass","id":"pass_1"}],"has_more":true}`)
			return true
		}
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"error":{"type":"not_found_error","message":"gone"}}`)
		return true
	})
	c := newTestClient(t, f)
	var ids []string
	var last error
	for p, err := range c.Passes.ListAll(context.Background(), nil) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{"pass_1"}, ids)
	assert.True(t, errors.Is(last, client.ErrNotFound))
}

func TestResponseMetadata(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.Header().Set("X-RateLimit-Limit", "100")
		w.Header().Set("X-RateLimit-Remaining", "99")
		return false
	})
	c := newTestClient(t, f)
	_, resp, err := c.Passes.Get(context.Background(), "pass_xxx")
	require.NoError(t, err)
	assert.Equal(t, 100, resp.RateLimit.Limit)
	assert.Equal(t, 99, resp.RateLimit.Remaining)
	assert.Equal(t, "req_1", resp.RequestID)
	assert.Equal(t, 1, resp.Attempts)
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{`{"error":{"type":"api_error","code":null,"message":"m","param":null}}`,
		`{"error":{"code":{"x":1}}}`, `{"error":"x"}`, `[]`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := &client.APIError{StatusCode: 400, Body: body}
		decodeError(e)
		_ = e.Error()
	})
}

func FuzzPassUnmarshal(f *testing.F) {
	f.Add([]byte(passJSON))
	f.Add([]byte(voidedPassJSON))
	f.Add([]byte(`{"voided_at":"not a time"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Pass
		if err := json.Unmarshal(b, &p); err == nil && !json.Valid(p.Raw) {
			t.Fatalf("raw is not JSON: %q", p.Raw)
		}
	})
}
