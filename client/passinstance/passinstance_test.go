package passinstance

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

const (
	testKey   = "pi_key_0123456789abcdef"
	testToken = "eyJhbGciOiJIUzI1NiJ9.e30.sig"
)

// Objects the fake answers with. The pass is the reference's create
// example with an id and one undocumented member.
const (
	passJSON = `{"id":"pass_123","templateId":"tpl_abcdef1234567890","serialNumber":"ORDER-1001",
"fields":{"memberName":{"label":"Member","value":"Jane Doe"},"tier":{"label":"Tier","value":"Gold"},"points":{"value":1200}},
"barcodeFormat":"qr","barcodeMessage":"ORDER-1001-GOLD","downloadUrl":"https://passinstance.com/d/pass_123"}`
	templateJSON = `{"id":"tpl_abcdef1234567890","name":"Gold members","passType":"storeCard","organizationName":"Bistro",
"description":"Membership","backgroundColor":"rgb(0,0,0)","foregroundColor":"rgb(255,255,255)","labelColor":"rgb(200,200,200)",
"passTypeIdentifier":"pass.com.example.bistro","teamIdentifier":"A1B2C3D4E5"}`
	webhookJSON      = `{"id":"wh_1","url":"https://your-app.example/webhooks/passinstance","events":["pass.created","pass.updated","pass.voided"]}`
	notificationJSON = `{"id":"pn_1","passId":"pass_123","message":"Your tier is now Gold","status":"sent"}`
	bundleJSON       = `{"id":"bnd_1","name":"Order 1001","passIds":["pass_123","pass_456"]}`
	batchJSON        = `{"id":"batch_1","status":"processing","total":2,"succeeded":1}`
)

// fake is an httptest Passinstance written from the reference: the 17
// routes, bearer or X-API-Key auth, JSON answers and the documented error
// body. It records every request.
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
	if r.Header.Get("X-API-Key") != testKey && r.Header.Get("Authorization") != "Bearer "+testToken {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"Unauthorized","message":"Missing or invalid credentials"}`)
		return
	}
	route := r.Method + " " + r.URL.EscapedPath()
	status, resp := http.StatusOK, ""
	switch route {
	case "POST /batch":
		status, resp = http.StatusAccepted, batchJSON
	case "GET /batch/batch_1":
		resp = batchJSON
	case "GET /bundles":
		resp = `[` + bundleJSON + `]`
	case "POST /bundles":
		status, resp = http.StatusCreated, bundleJSON
	case "GET /passes":
		resp = `{"data":[` + passJSON + `],"pagination":{"page":1,"limit":20,"total":1,"totalPages":1}}`
	case "POST /passes":
		status, resp = http.StatusCreated, passJSON
	case "DELETE /passes/pass_123":
		status = http.StatusNoContent
	case "GET /passes/pass_123", "PUT /passes/pass_123":
		resp = passJSON
	case "POST /passes/pass_123/void":
		resp = `{"data":` + strings.Replace(passJSON, `"id":"pass_123"`, `"id":"pass_123","status":"voided"`, 1) + `}`
	case "GET /push-notifications":
		resp = `{"notifications":[` + notificationJSON + `],"hasMore":false}`
	case "POST /push-notifications":
		status, resp = http.StatusCreated, notificationJSON
	case "GET /templates":
		resp = `{"data":[` + templateJSON + `]}`
	case "POST /templates":
		status, resp = http.StatusCreated, `{"template":`+templateJSON+`}`
	case "GET /templates/tpl_abcdef1234567890":
		resp = templateJSON
	case "GET /webhooks":
		resp = `{"items":[` + webhookJSON + `],"meta":{"page":1,"totalPages":1}}`
	case "POST /webhooks":
		status, resp = http.StatusCreated, webhookJSON
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"Not Found","message":"No route `+route+`"}`)
		return
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, resp)
}

// testNow is the fake clock's time.
var testNow = time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)

func newTestClient(t *testing.T, f *fake, opts ...client.Option) *Client {
	t.Helper()
	c, err := New(testKey, append([]client.Option{client.WithBaseURL(f.URL), client.WithClock(clienttest.NoSleep{At: testNow})}, opts...)...)
	require.NoError(t, err)
	return c
}

func TestNew(t *testing.T) {
	c, err := New(testKey)
	require.NoError(t, err)
	assert.Equal(t, ProductionBaseURL, c.BaseURL())
	c, err = NewBearer(testToken, WithStaging())
	require.NoError(t, err)
	assert.Equal(t, StagingBaseURL, c.BaseURL())

	_, err = New(" ")
	assert.EqualError(t, err, "passinstance: API key is empty")
	_, err = NewBearer("")
	assert.EqualError(t, err, "passinstance: bearer token is empty")
	_, err = New("secret key")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret key")
	assert.True(t, strings.HasPrefix(err.Error(), "passinstance: "))
	_, err = New(testKey, client.WithBaseURL("not a url"))
	require.Error(t, err)
}

func TestAuthModes(t *testing.T) {
	f := newFake(t)
	ctx := context.Background()

	key := newTestClient(t, f)
	_, _, err := key.Passes.Get(ctx, "pass_123")
	require.NoError(t, err)
	got := f.Last(t)
	assert.Equal(t, testKey, got.Header.Get("X-API-Key"))
	assert.Empty(t, got.Header.Get("Authorization"))

	bearer, err := NewBearer(testToken, client.WithBaseURL(f.URL))
	require.NoError(t, err)
	_, _, err = bearer.Passes.Get(ctx, "pass_123")
	require.NoError(t, err)
	got = f.Last(t)
	assert.Equal(t, "Bearer "+testToken, got.Header.Get("Authorization"))
	assert.Empty(t, got.Header.Get("X-API-Key"))

	wrong, err := NewBearer("wrong-token", client.WithBaseURL(f.URL))
	require.NoError(t, err)
	_, _, err = wrong.Passes.Get(ctx, "pass_123")
	require.ErrorIs(t, err, client.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong-token")
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Unauthorized", apiErr.Type)
	assert.Equal(t, "Missing or invalid credentials", apiErr.Message)
}

func TestEveryOperation(t *testing.T) {
	ctx := context.Background()
	relevant := time.Date(2026, 6, 1, 18, 30, 0, 0, time.UTC)
	expires := time.Date(2026, 12, 31, 23, 59, 59, 0, time.FixedZone("", 2*3600))
	voided := false
	tests := []struct {
		name   string
		do     func(c *Client) (any, *client.Response, error)
		method string
		path   string
		query  string
		body   string // JSON; "" for none
		status int
		check  func(t *testing.T, v any)
	}{
		{
			name: "create batch operation",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Batches.Create(ctx, &BatchCreateParams{Operation: "create", Items: []any{
					PassCreateParams{TemplateID: "tpl_abcdef1234567890", SerialNumber: "ORDER-1001"},
					PassCreateParams{TemplateID: "tpl_abcdef1234567890", SerialNumber: "ORDER-1002"},
				}})
			},
			method: "POST", path: "/batch", status: http.StatusAccepted,
			body: `{"operation":"create","items":[{"templateId":"tpl_abcdef1234567890","serialNumber":"ORDER-1001"},
				{"templateId":"tpl_abcdef1234567890","serialNumber":"ORDER-1002"}]}`,
			check: func(t *testing.T, v any) {
				b := v.(*Batch)
				assert.Equal(t, "batch_1", b.ID)
				assert.Equal(t, "processing", b.Status)
				var total int
				ok, err := Lookup(b.Raw, "total", &total)
				require.NoError(t, err)
				assert.True(t, ok)
				assert.Equal(t, 2, total)
			},
		},
		{
			name:   "get batch operation status",
			do:     func(c *Client) (any, *client.Response, error) { return c.Batches.Get(ctx, "batch_1") },
			method: "GET", path: "/batch/batch_1",
			check: func(t *testing.T, v any) { assert.Equal(t, "processing", v.(*Batch).Status) },
		},
		{
			name:   "get all bundles",
			do:     func(c *Client) (any, *client.Response, error) { return c.Bundles.List(ctx, nil) },
			method: "GET", path: "/bundles",
			check: func(t *testing.T, v any) {
				p := v.(*Page[Bundle])
				require.Len(t, p.Items, 1)
				assert.Equal(t, []string{"pass_123", "pass_456"}, p.Items[0].PassIDs)
				assert.False(t, p.HasMore)
			},
		},
		{
			name: "create a bundle",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Bundles.Create(ctx, &BundleCreateParams{Name: "Order 1001", PassIDs: []string{"pass_123", "pass_456"}})
			},
			method: "POST", path: "/bundles", status: http.StatusCreated,
			body: `{"name":"Order 1001","passIds":["pass_123","pass_456"]}`,
			check: func(t *testing.T, v any) {
				b := v.(*Bundle)
				assert.Equal(t, "bnd_1", b.ID)
				assert.Equal(t, "Order 1001", b.Name)
			},
		},
		{
			name: "get all passes",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.List(ctx, &ListParams{Page: 1, Limit: 20, Filter: map[string][]string{"templateId": {"tpl_abcdef1234567890"}}})
			},
			method: "GET", path: "/passes", query: "limit=20&page=1&templateId=tpl_abcdef1234567890",
			check: func(t *testing.T, v any) {
				p := v.(*Page[Pass])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "pass_123", p.Items[0].ID)
				assert.Equal(t, 1, p.Page)
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, 1, p.Total)
				assert.Equal(t, 1, p.TotalPages)
				assert.False(t, p.HasMore)
				assert.NotEmpty(t, p.Raw)
			},
		},
		{
			name: "create a new pass",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Create(ctx, &PassCreateParams{
					TemplateID:   "tpl_abcdef1234567890",
					SerialNumber: "ORDER-1001",
					Fields: map[string]FieldValue{
						"memberName": {Label: "Member", Value: "Jane Doe"},
						"tier":       {Label: "Tier", Value: "Gold"},
					},
					BarcodeFormat:  BarcodeQR,
					BarcodeMessage: "ORDER-1001-GOLD",
					RelevantDate:   relevant,
					ExpirationDate: expires,
					Extra:          map[string]any{"locale": "en"},
				})
			},
			method: "POST", path: "/passes", status: http.StatusCreated,
			// The reference's create example, with dates and an extra member.
			body: `{
"templateId": "tpl_abcdef1234567890",
"serialNumber": "ORDER-1001",
"fields": {
"memberName": { "label": "Member", "value": "Jane Doe" },
"tier": { "label": "Tier", "value": "Gold" }
},
"barcodeFormat": "qr",
"barcodeMessage": "ORDER-1001-GOLD",
"relevantDate": "2026-06-01T18:30:00Z",
"expirationDate": "2026-12-31T23:59:59+02:00",
"locale": "en"
}`,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, "pass_123", p.ID)
				assert.Equal(t, "tpl_abcdef1234567890", p.TemplateID)
				assert.Equal(t, "ORDER-1001", p.SerialNumber)
				assert.Equal(t, FieldValue{Label: "Member", Value: "Jane Doe"}, p.Fields["memberName"])
				assert.Equal(t, FieldValue{Label: "Tier", Value: "Gold"}, p.Fields["tier"])
				assert.Equal(t, FieldValue{Value: "1200"}, p.Fields["points"], "numbers are kept as text")
				assert.Equal(t, BarcodeQR, p.BarcodeFormat)
				assert.Equal(t, "ORDER-1001-GOLD", p.BarcodeMessage)
				var dl string
				ok, err := Lookup(p.Raw, "downloadUrl", &dl)
				require.NoError(t, err)
				assert.True(t, ok)
				assert.Equal(t, "https://passinstance.com/d/pass_123", dl)
			},
		},
		{
			name: "delete a pass",
			do: func(c *Client) (any, *client.Response, error) {
				resp, err := c.Passes.Delete(ctx, "pass_123")
				return nil, resp, err
			},
			method: "DELETE", path: "/passes/pass_123", status: http.StatusNoContent,
		},
		{
			name:   "get a specific pass",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Get(ctx, "pass_123") },
			method: "GET", path: "/passes/pass_123",
			check: func(t *testing.T, v any) { assert.Equal(t, "ORDER-1001", v.(*Pass).SerialNumber) },
		},
		{
			name: "update a pass",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Update(ctx, "pass_123", &PassUpdateParams{
					Fields:         map[string]FieldValue{"tier": {Label: "Tier", Value: "Platinum"}},
					BarcodeMessage: "ORDER-1001-PLATINUM",
					Voided:         &voided,
					ExpirationDate: expires,
				})
			},
			method: "PUT", path: "/passes/pass_123",
			body: `{"fields":{"tier":{"label":"Tier","value":"Platinum"}},"barcodeMessage":"ORDER-1001-PLATINUM",
				"voided":false,"expirationDate":"2026-12-31T23:59:59+02:00"}`,
			check: func(t *testing.T, v any) { assert.Equal(t, "pass_123", v.(*Pass).ID) },
		},
		{
			name:   "void a pass",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Void(ctx, "pass_123") },
			method: "POST", path: "/passes/pass_123/void",
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				require.NotNil(t, p)
				assert.Equal(t, "pass_123", p.ID)
				var status string
				_, err := Lookup(p.Raw, "status", &status)
				require.NoError(t, err)
				assert.Equal(t, "voided", status, "the object under data is unwrapped")
			},
		},
		{
			name:   "get all notifications",
			do:     func(c *Client) (any, *client.Response, error) { return c.PushNotifications.List(ctx, nil) },
			method: "GET", path: "/push-notifications",
			check: func(t *testing.T, v any) {
				p := v.(*Page[PushNotification])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "Your tier is now Gold", p.Items[0].Message)
				assert.Equal(t, "pass_123", p.Items[0].PassID)
			},
		},
		{
			name: "send a push notification",
			do: func(c *Client) (any, *client.Response, error) {
				return c.PushNotifications.Send(ctx, &PushNotificationParams{PassID: "pass_123", Message: "Your tier is now Gold"})
			},
			method: "POST", path: "/push-notifications", status: http.StatusCreated,
			body:  `{"passId":"pass_123","message":"Your tier is now Gold"}`,
			check: func(t *testing.T, v any) { assert.Equal(t, "pn_1", v.(*PushNotification).ID) },
		},
		{
			name:   "get all templates",
			do:     func(c *Client) (any, *client.Response, error) { return c.Templates.List(ctx, &ListParams{Limit: 50}) },
			method: "GET", path: "/templates", query: "limit=50",
			check: func(t *testing.T, v any) {
				p := v.(*Page[Template])
				require.Len(t, p.Items, 1)
				assert.False(t, p.HasMore, "a page shorter than the limit is the last")
			},
		},
		{
			name: "create a new template",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Templates.Create(ctx, &TemplateCreateParams{
					Name: "Gold members", PassType: PassTypeStoreCard, OrganizationName: "Bistro", Description: "Membership",
					BackgroundColor: "rgb(0,0,0)", ForegroundColor: "rgb(255,255,255)", LabelColor: "rgb(200,200,200)",
					PassTypeIdentifier: "pass.com.example.bistro", TeamIdentifier: "A1B2C3D4E5",
					Extra: map[string]any{"fields": []map[string]string{{"key": "tier"}}},
				})
			},
			method: "POST", path: "/templates", status: http.StatusCreated,
			body: `{"name":"Gold members","passType":"storeCard","organizationName":"Bistro","description":"Membership",
				"backgroundColor":"rgb(0,0,0)","foregroundColor":"rgb(255,255,255)","labelColor":"rgb(200,200,200)",
				"passTypeIdentifier":"pass.com.example.bistro","teamIdentifier":"A1B2C3D4E5","fields":[{"key":"tier"}]}`,
			check: func(t *testing.T, v any) {
				tm := v.(*Template)
				assert.Equal(t, "tpl_abcdef1234567890", tm.ID, "the object under the resource name is unwrapped")
				assert.Equal(t, PassTypeStoreCard, tm.PassType)
				assert.Equal(t, "pass.com.example.bistro", tm.PassTypeIdentifier)
				assert.Equal(t, "A1B2C3D4E5", tm.TeamIdentifier)
				assert.Equal(t, "rgb(200,200,200)", tm.LabelColor)
			},
		},
		{
			name:   "get a specific template",
			do:     func(c *Client) (any, *client.Response, error) { return c.Templates.Get(ctx, "tpl_abcdef1234567890") },
			method: "GET", path: "/templates/tpl_abcdef1234567890",
			check: func(t *testing.T, v any) {
				tm := v.(*Template)
				assert.Equal(t, "Gold members", tm.Name)
				assert.Equal(t, "Bistro", tm.OrganizationName)
				assert.Equal(t, "Membership", tm.Description)
				assert.Equal(t, "rgb(0,0,0)", tm.BackgroundColor)
				assert.Equal(t, "rgb(255,255,255)", tm.ForegroundColor)
				assert.JSONEq(t, templateJSON, string(tm.Raw))
			},
		},
		{
			name:   "get all webhooks",
			do:     func(c *Client) (any, *client.Response, error) { return c.Webhooks.List(ctx, nil) },
			method: "GET", path: "/webhooks",
			check: func(t *testing.T, v any) {
				p := v.(*Page[Webhook])
				require.Len(t, p.Items, 1)
				assert.Equal(t, 1, p.TotalPages)
				assert.Equal(t, []string{EventPassCreated, EventPassUpdated, EventPassVoided}, p.Items[0].Events)
			},
		},
		{
			name: "create a webhook",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Webhooks.Create(ctx, &WebhookCreateParams{
					URL:    "https://your-app.example/webhooks/passinstance",
					Events: []string{EventPassCreated, EventPassUpdated, EventPassVoided},
					Secret: "whsec_subscriber_chosen",
				})
			},
			method: "POST", path: "/webhooks", status: http.StatusCreated,
			// The reference's webhook example.
			body: `{"url": "https://your-app.example/webhooks/passinstance",
"events": ["pass.created", "pass.updated", "pass.voided"], "secret": "whsec_subscriber_chosen"}`,
			check: func(t *testing.T, v any) {
				w := v.(*Webhook)
				assert.Equal(t, "wh_1", w.ID)
				assert.Equal(t, "https://your-app.example/webhooks/passinstance", w.URL)
			},
		},
	}
	require.Len(t, tests, 17, "the reference documents 17 operations")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			c := newTestClient(t, f)
			v, resp, err := tt.do(c)
			require.NoError(t, err)
			require.NotNil(t, resp)
			want := tt.status
			if want == 0 {
				want = http.StatusOK
			}
			assert.Equal(t, want, resp.StatusCode)
			assert.Equal(t, "req_1", resp.RequestID)
			assert.Equal(t, 1, resp.Attempts)

			calls := f.Requests()
			require.Len(t, calls, 1)
			clienttest.Want{
				Method: tt.method, Path: tt.path, RawQuery: tt.query, JSON: tt.body,
				Header: map[string]string{
					"X-API-Key":  testKey,
					"Accept":     "application/json",
					"User-Agent": "passforge-passinstance",
					// Passinstance documents no idempotency key.
					"Idempotency-Key": "",
				},
			}.Assert(t, calls[0])
			if tt.check != nil {
				tt.check(t, v)
			}
		})
	}
}

func TestVoidWithoutBody(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.WriteHeader(http.StatusNoContent)
		return true
	})
	p, resp, err := newTestClient(t, f).Passes.Void(context.Background(), "pass_123")
	require.NoError(t, err)
	assert.Nil(t, p)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    map[string]string
		body      string
		wantType  string
		wantMsg   string
		wantParam string
		sentinel  error
		retried   bool
	}{
		{"401", 401, nil, `{"error":"Unauthorized","message":"Invalid API key"}`, "Unauthorized", "Invalid API key", "", client.ErrUnauthorized, false},
		{"403", 403, nil, `{"error":"Forbidden","message":"Key lacks the passes scope"}`, "Forbidden", "Key lacks the passes scope", "", client.ErrForbidden, false},
		{"404", 404, nil, `{"error":"Not Found","message":"Pass not found"}`, "Not Found", "Pass not found", "", client.ErrNotFound, false},
		{"422 with errors", 422, nil, `{"error":"Unprocessable Entity","message":"Validation failed","errors":[{"field":"templateId","message":"is required"}]}`,
			"Unprocessable Entity", "Validation failed", "templateId", client.ErrValidation, false},
		{"422 only errors", 422, nil, `{"errors":[{"path":"fields.tier.value","message":"too long"}]}`,
			"", "too long", "fields.tier.value", client.ErrValidation, false},
		{"429", 429, map[string]string{"Retry-After": "1"}, `{"error":"Too Many Requests","message":"Retry after the indicated delay"}`,
			"Too Many Requests", "Retry after the indicated delay", "", client.ErrRateLimited, true},
		{"500", 500, nil, `{"error":"Internal Server Error","message":"boom"}`, "Internal Server Error", "boom", "", client.ErrServer, true},
		{"503 html", 503, nil, `<html>down</html>`, "", "Service Unavailable", "", client.ErrServer, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
				return true
			})
			c := newTestClient(t, f, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 3}))
			_, resp, err := c.Passes.Get(context.Background(), "pass_123")
			require.Error(t, err)
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.wantType, apiErr.Type)
			assert.Equal(t, tt.wantMsg, apiErr.Message)
			assert.Equal(t, tt.wantParam, apiErr.Param)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.True(t, strings.HasPrefix(err.Error(), "passinstance: get pass: "), err.Error())
			assert.NotContains(t, err.Error(), testKey)
			want := 1
			if tt.retried {
				want = 3
			}
			assert.Equal(t, want, resp.Attempts, "GET is retried on 429 and 5xx only")

			// Writes carry no idempotency key: they are sent again only after 429 and 503, which say
			// the request was not processed (Passinstance asks clients to retry them).
			before := len(f.Requests())
			_, resp, err = c.Passes.Create(context.Background(), &PassCreateParams{TemplateID: "tpl_abcdef1234567890"})
			require.ErrorIs(t, err, tt.sentinel)
			wantPosts := 1
			if tt.status == 429 || tt.status == 503 {
				wantPosts = 3
			}
			assert.Equal(t, wantPosts, resp.Attempts)
			assert.Len(t, f.Requests(), before+wantPosts)
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Run("seconds then success", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n > 1 {
				return false
			}
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"error":"Too Many Requests","message":"Retry after the indicated delay"}`)
			return true
		})
		var waits []time.Duration
		c := newTestClient(t, f, client.WithRetryHook(func(_ context.Context, e client.RetryEvent) { waits = append(waits, e.Wait) }))
		p, resp, err := c.Passes.Get(context.Background(), "pass_123")
		require.NoError(t, err)
		assert.Equal(t, "pass_123", p.ID)
		assert.Equal(t, 2, resp.Attempts)
		assert.Equal(t, []time.Duration{3 * time.Second}, waits)
	})
	t.Run("HTTP date", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n > 1 {
				return false
			}
			w.Header().Set("Retry-After", testNow.Add(5*time.Second).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		})
		var waits []time.Duration
		c := newTestClient(t, f, client.WithRetryHook(func(_ context.Context, e client.RetryEvent) { waits = append(waits, e.Wait) }))
		_, resp, err := c.Templates.Get(context.Background(), "tpl_abcdef1234567890")
		require.NoError(t, err)
		assert.Equal(t, 2, resp.Attempts)
		assert.Equal(t, []time.Duration{5 * time.Second}, waits)
	})
	t.Run("cancelled during backoff", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.WriteHeader(http.StatusBadGateway)
			return true
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := newTestClient(t, f, client.WithRetryHook(func(context.Context, client.RetryEvent) { cancel() }))
		_, _, err := c.Batches.Get(ctx, "batch_1")
		require.ErrorIs(t, err, context.Canceled)
		assert.True(t, strings.HasPrefix(err.Error(), "passinstance: get batch: "), err.Error())
		assert.Len(t, f.Requests(), 1)
	})
	t.Run("too long becomes a RateLimitError", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"error":"Too Many Requests","message":"Retry after the indicated delay"}`)
			return true
		})
		_, _, err := newTestClient(t, f).Passes.List(context.Background(), nil)
		var rl *client.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, time.Hour, rl.RetryAfter)
		assert.ErrorIs(t, err, client.ErrRateLimited)
		assert.Len(t, f.Requests(), 1)
	})
}

func TestInputChecks(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	ctx := context.Background()
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"create pass nil", func() error { _, _, err := c.Passes.Create(ctx, nil); return err }, "templateId is required"},
		{"create pass no template", func() error { _, _, err := c.Passes.Create(ctx, &PassCreateParams{SerialNumber: "x"}); return err }, "templateId is required"},
		{"create pass empty field key", func() error {
			_, _, err := c.Passes.Create(ctx, &PassCreateParams{TemplateID: "t", Fields: map[string]FieldValue{"": {}}})
			return err
		}, "fields has an empty key"},
		{"create pass extra duplicates", func() error {
			_, _, err := c.Passes.Create(ctx, &PassCreateParams{TemplateID: "t", Extra: map[string]any{"templateId": "u"}})
			return err
		}, `Extra["templateId"] duplicates a typed field`},
		{"create pass extra duplicates date", func() error {
			_, _, err := c.Passes.Create(ctx, &PassCreateParams{TemplateID: "t", RelevantDate: time.Unix(1, 0),
				Extra: map[string]any{"relevantDate": "x"}})
			return err
		}, `Extra["relevantDate"] duplicates a typed field`},
		{"update nil", func() error { _, _, err := c.Passes.Update(ctx, "pass_123", nil); return err }, "update pass: no parameters"},
		{"update empty", func() error { _, _, err := c.Passes.Update(ctx, "pass_123", &PassUpdateParams{}); return err }, "nothing to update"},
		{"update empty field key", func() error {
			_, _, err := c.Passes.Update(ctx, "pass_123", &PassUpdateParams{Fields: map[string]FieldValue{" ": {}}})
			return err
		}, "fields has an empty key"},
		{"get empty id", func() error { _, _, err := c.Passes.Get(ctx, ""); return err }, "pass id is empty"},
		{"get dot id", func() error { _, _, err := c.Passes.Get(ctx, ".."); return err }, `pass id ".." is not valid`},
		{"void empty id", func() error { _, _, err := c.Passes.Void(ctx, " "); return err }, "pass id is empty"},
		{"delete empty id", func() error { _, err := c.Passes.Delete(ctx, ""); return err }, "pass id is empty"},
		{"update empty id", func() error {
			_, _, err := c.Passes.Update(ctx, "", &PassUpdateParams{BarcodeMessage: "x"})
			return err
		}, "pass id is empty"},
		{"template empty id", func() error { _, _, err := c.Templates.Get(ctx, ""); return err }, "template id is empty"},
		{"batch empty id", func() error { _, _, err := c.Batches.Get(ctx, ""); return err }, "batch id is empty"},
		{"template nil", func() error { _, _, err := c.Templates.Create(ctx, nil); return err }, "create template: no parameters"},
		{"template empty", func() error { _, _, err := c.Templates.Create(ctx, &TemplateCreateParams{}); return err }, "the request body would be empty"},
		{"bundle empty", func() error { _, _, err := c.Bundles.Create(ctx, &BundleCreateParams{}); return err }, "the request body would be empty"},
		{"batch nil", func() error { _, _, err := c.Batches.Create(ctx, nil); return err }, "create batch: no parameters"},
		{"push empty", func() error { _, _, err := c.PushNotifications.Send(ctx, &PushNotificationParams{}); return err }, "the request body would be empty"},
		{"push bad extra", func() error {
			_, _, err := c.PushNotifications.Send(ctx, &PushNotificationParams{Extra: map[string]any{"f": func() {}}})
			return err
		}, `Extra["f"]`},
		{"webhook nil", func() error { _, _, err := c.Webhooks.Create(ctx, nil); return err }, "create webhook: no parameters"},
		{"webhook no url", func() error {
			_, _, err := c.Webhooks.Create(ctx, &WebhookCreateParams{Events: []string{EventPassCreated}})
			return err
		}, "url is required"},
		{"webhook relative", func() error {
			_, _, err := c.Webhooks.Create(ctx, &WebhookCreateParams{URL: "/hooks", Events: []string{EventPassCreated}})
			return err
		}, `url "/hooks" is not an absolute URL`},
		{"webhook http", func() error {
			_, _, err := c.Webhooks.Create(ctx, &WebhookCreateParams{URL: "http://example.com/h", Events: []string{EventPassCreated}})
			return err
		}, "is not HTTPS"},
		{"webhook no events", func() error {
			_, _, err := c.Webhooks.Create(ctx, &WebhookCreateParams{URL: "https://example.com/h"})
			return err
		}, "events is empty"},
		{"webhook blank event", func() error {
			_, _, err := c.Webhooks.Create(ctx, &WebhookCreateParams{URL: "https://example.com/h", Events: []string{"pass.created", ""}})
			return err
		}, "events[1] is empty"},
		{"list negative page", func() error { _, _, err := c.Passes.List(ctx, &ListParams{Page: -1}); return err }, "page -1 is negative"},
		{"list big limit", func() error { _, _, err := c.Bundles.List(ctx, &ListParams{Limit: MaxLimit + 1}); return err }, "limit 1001 is outside 1..1000"},
		{"list filter page", func() error {
			_, _, err := c.Webhooks.List(ctx, &ListParams{Filter: map[string][]string{"page": {"2"}}})
			return err
		}, `Filter["page"]: use ListParams.Page and Limit`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "passinstance: "), err.Error())
		})
	}
	assert.Empty(t, f.Requests(), "nothing invalid is sent")
}

func TestWebhookSecretNotInErrors(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = io.WriteString(w, `{"error":"Unprocessable Entity","message":"url is not reachable"}`)
		return true
	})
	_, _, err := newTestClient(t, f).Webhooks.Create(context.Background(), &WebhookCreateParams{
		URL: "https://example.com/h", Events: []string{EventPassCreated}, Secret: "whsec_do_not_leak",
	})
	require.ErrorIs(t, err, client.ErrValidation)
	assert.NotContains(t, err.Error(), "whsec_do_not_leak")
}

func TestObjectShapes(t *testing.T) {
	tests := []struct {
		name, body, wantID, wantErr string
	}{
		{"bare", `{"id":"pass_1","serialNumber":"S"}`, "pass_1", ""},
		{"data", `{"success":true,"data":{"id":"pass_1"}}`, "pass_1", ""},
		{"named", `{"pass":{"id":"pass_1"}}`, "pass_1", ""},
		{"bare without id", `{"serialNumber":"S"}`, "", ""},
		{"empty", ``, "", "empty response body, want a pass object"},
		{"array", `[{"id":"pass_1"}]`, "", "decoding the pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
				_, _ = io.WriteString(w, tt.body)
				return true
			})
			p, _, err := newTestClient(t, f).Passes.Get(context.Background(), "pass_1")
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantID, p.ID)
		})
	}
}

func TestFieldValueDecoding(t *testing.T) {
	tests := []struct {
		in   string
		want FieldValue
		err  bool
	}{
		{`{"label":"L","value":"v"}`, FieldValue{Label: "L", Value: "v"}, false},
		{`{"value":12.5}`, FieldValue{Value: "12.5"}, false},
		{`{"value":true}`, FieldValue{Value: "true"}, false},
		{`{"value":null}`, FieldValue{}, false},
		{`{"label":"L"}`, FieldValue{Label: "L"}, false},
		{`{"value":{"a":1}}`, FieldValue{}, true},
		{`"text"`, FieldValue{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var f FieldValue
			err := json.Unmarshal([]byte(tt.in), &f)
			if tt.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, f)
		})
	}
}

func TestLookup(t *testing.T) {
	raw := json.RawMessage(`{"a":1,"b":"x"}`)
	var n int
	ok, err := Lookup(raw, "a", &n)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 1, n)
	ok, err = Lookup(raw, "missing", &n)
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = Lookup(raw, "b", &n)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `passinstance: lookup "b"`)
	_, err = Lookup(json.RawMessage(`[]`), "a", &n)
	require.Error(t, err)
}

func TestRequestEncodingErrors(t *testing.T) {
	_, err := json.Marshal(WebhookCreateParams{URL: "u", Extra: map[string]any{"url": "v"}})
	require.Error(t, err)
	_, err = json.Marshal(BundleCreateParams{Name: "n", Extra: map[string]any{"x": make(chan int)}})
	require.Error(t, err)
	b, err := json.Marshal(BatchCreateParams{Extra: map[string]any{"mode": "async"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"mode":"async"}`, string(b))
}

func TestDeleteErrorIsWrapped(t *testing.T) {
	f := newFake(t)
	_, err := newTestClient(t, f).Passes.Delete(context.Background(), "pass_missing")
	require.ErrorIs(t, err, client.ErrNotFound)
	assert.True(t, strings.HasPrefix(err.Error(), "passinstance: delete pass: "))
	var apiErr *client.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "/passes/pass_missing", apiErr.Path)
}
