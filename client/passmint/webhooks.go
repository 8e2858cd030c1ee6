package passmint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Webhook event types a Passmint webhook can subscribe to.
const (
	WebhookEventPassCreated    = "pass.created"
	WebhookEventPassUpdated    = "pass.updated"
	WebhookEventPassURLViewed  = "pass.url_viewed"
	WebhookEventPassDownloaded = "pass.downloaded"
	WebhookEventPassInstalled  = "pass.installed"
	WebhookEventPassRemoved    = "pass.removed"
	WebhookEventPassVoided     = "pass.voided"
	// WebhookEventAll subscribes to every event type.
	WebhookEventAll = "*"
)

// Webhook is a registered webhook endpoint ("object": "webhook").
type Webhook struct {
	// Object is always "webhook".
	Object string `json:"object"`
	// ID is the unique identifier (whk_xxx).
	ID string `json:"id"`
	// URL is the delivery URL.
	URL string `json:"url"`
	// Events are the subscribed event types.
	Events []string `json:"events"`
	// Description is the optional description; empty when null.
	Description string `json:"description"`
	// Enabled reports whether the webhook is active.
	Enabled bool `json:"enabled"`
	// Secret is the signing secret (whsec_xxx). Passmint returns it only in
	// the response of Create; store it then.
	Secret string `json:"secret,omitempty"`
	// CreatedAt is the creation time.
	CreatedAt time.Time `json:"created_at"`
	// Raw is the whole JSON object as received. After Create it contains
	// the secret: do not log it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (w *Webhook) UnmarshalJSON(b []byte) error {
	type plain Webhook
	return provider.UnmarshalRaw(b, (*plain)(w), &w.Raw)
}

// Format prints the webhook with Secret, and the secret in Raw, redacted, for every verb.
func (w Webhook) Format(f fmt.State, verb rune) { provider.Format(f, verb, w.redacted()) }

// LogValue implements slog.LogValuer: a log record shows the webhook with its secret redacted.
func (w Webhook) LogValue() slog.Value { return provider.LogValue(w.redacted()) }

// redacted returns a copy of w, as a type without methods, whose secret is redacted.
func (w Webhook) redacted() any {
	type webhook Webhook
	c := webhook(w)
	provider.RedactSecret(&c.Secret, &c.Raw)
	return c
}

// WebhookDelivery is one delivery attempt record of a webhook
// ("object": "webhook_delivery").
type WebhookDelivery struct {
	// Object is always "webhook_delivery".
	Object string `json:"object"`
	// ID is the unique identifier (whd_xxx).
	ID string `json:"id"`
	// WebhookID is the parent webhook (whk_xxx).
	WebhookID string `json:"webhook_id"`
	// EventType is the event type that triggered the delivery.
	EventType string `json:"event_type"`
	// Status is one of pending, delivered, failed, dead.
	Status string `json:"status"`
	// Attempts is the number of delivery attempts.
	Attempts int `json:"attempts"`
	// LastAttemptAt is the time of the last attempt; nil when null.
	LastAttemptAt *time.Time `json:"last_attempt_at"`
	// NextAttemptAt is the time of the next retry; nil when null.
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	// ResponseStatus is the HTTP status your server returned; nil when null.
	ResponseStatus *int `json:"response_status"`
	// ResponseBody is the body your server returned; nil when null.
	ResponseBody *string `json:"response_body"`
	// CreatedAt is the creation time.
	CreatedAt time.Time `json:"created_at"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (d *WebhookDelivery) UnmarshalJSON(b []byte) error {
	type plain WebhookDelivery
	return provider.UnmarshalRaw(b, (*plain)(d), &d.Raw)
}

// Delivery statuses of a WebhookDelivery.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
	DeliveryDead      = "dead"
)

// WebhookCreateParams are the fields of POST /v1/webhooks.
type WebhookCreateParams struct {
	// URL is the URL to deliver events to. Required.
	URL string `json:"url"`
	// Events are the event types to subscribe to (the WebhookEvent
	// constants, or WebhookEventAll). Required, non-empty.
	Events []string `json:"events"`
	// Description is an optional description.
	Description string `json:"description,omitempty"`
	// Enabled says whether the webhook is active. If nil, Passmint's
	// default (true).
	Enabled *bool `json:"enabled,omitempty"`
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string `json:"-"`
}

// WebhookUpdateParams are the fields of PATCH /v1/webhooks/:id; all are
// optional and nil fields are not sent.
type WebhookUpdateParams struct {
	// URL is the updated delivery URL.
	URL *string `json:"url,omitempty"`
	// Events are the updated event subscriptions.
	Events []string `json:"events,omitempty"`
	// Description is the updated description.
	Description *string `json:"description,omitempty"`
	// Enabled enables or disables the webhook.
	Enabled *bool `json:"enabled,omitempty"`
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string `json:"-"`
}

// WebhooksService manages webhook endpoints (/v1/webhooks).
type WebhooksService struct{ c *Client }

// Create registers a webhook endpoint (POST /v1/webhooks) with an
// idempotency key. The returned Webhook's Secret is shown only this once.
func (s *WebhooksService) Create(ctx context.Context, params *WebhookCreateParams) (*Webhook, *client.Response, error) {
	if params == nil || params.URL == "" {
		return nil, nil, errors.New("passmint: create webhook: url is required")
	}
	if len(params.Events) == 0 {
		return nil, nil, errors.New("passmint: create webhook: events must be a non-empty array")
	}
	return send[Webhook](ctx, s.c, "create webhook", &client.Request{
		Method: http.MethodPost, Path: "/v1/webhooks", Body: params, IdempotencyKey: params.IdempotencyKey,
	})
}

// List returns the account's webhooks (GET /v1/webhooks).
func (s *WebhooksService) List(ctx context.Context) (*List[Webhook], *client.Response, error) {
	return s.list(ctx, "")
}

// list fetches one page of webhooks, starting after the given id.
func (s *WebhooksService) list(ctx context.Context, startingAfter string) (*List[Webhook], *client.Response, error) {
	req := &client.Request{Path: "/v1/webhooks"}
	if startingAfter != "" {
		req.Query = map[string][]string{"starting_after": {startingAfter}}
	}
	return send[List[Webhook]](ctx, s.c, "list webhooks", req)
}

// ListAll iterates over every webhook; if a page reports has_more, the
// next is requested with starting_after as PassesService.ListAll does.
func (s *WebhooksService) ListAll(ctx context.Context) iter.Seq2[Webhook, error] {
	return listAll(ctx, "", func(ctx context.Context, after string) (*List[Webhook], error) {
		l, _, err := s.list(ctx, after)
		return l, err
	}, func(w Webhook) string { return w.ID })
}

// Get retrieves a webhook by id (GET /v1/webhooks/:id); the secret is not
// included.
func (s *WebhooksService) Get(ctx context.Context, id string) (*Webhook, *client.Response, error) {
	path, err := idPath("/v1/webhooks", "webhook", id)
	if err != nil {
		return nil, nil, err
	}
	return send[Webhook](ctx, s.c, "retrieve webhook", &client.Request{Path: path})
}

// Update changes a webhook's URL, events, description or enabled status
// (PATCH /v1/webhooks/:id) with an idempotency key.
func (s *WebhooksService) Update(ctx context.Context, id string, params *WebhookUpdateParams) (*Webhook, *client.Response, error) {
	path, err := idPath("/v1/webhooks", "webhook", id)
	if err != nil {
		return nil, nil, err
	}
	if params == nil {
		params = &WebhookUpdateParams{}
	}
	if params.Events != nil && len(params.Events) == 0 {
		return nil, nil, errors.New("passmint: update webhook: events must not be an empty array")
	}
	return send[Webhook](ctx, s.c, "update webhook", &client.Request{
		Method: http.MethodPatch, Path: path, Body: params, IdempotencyKey: params.IdempotencyKey,
	})
}

// Delete permanently deletes a webhook and its delivery history
// (DELETE /v1/webhooks/:id).
func (s *WebhooksService) Delete(ctx context.Context, id string) (*DeletedObject, *client.Response, error) {
	path, err := idPath("/v1/webhooks", "webhook", id)
	if err != nil {
		return nil, nil, err
	}
	return send[DeletedObject](ctx, s.c, "delete webhook", &client.Request{Method: http.MethodDelete, Path: path})
}

// Deliveries returns the last 100 delivery attempts of a webhook
// (GET /v1/webhooks/:id/deliveries).
func (s *WebhooksService) Deliveries(ctx context.Context, id string) (*List[WebhookDelivery], *client.Response, error) {
	path, err := idPath("/v1/webhooks", "webhook", id, "deliveries")
	if err != nil {
		return nil, nil, err
	}
	return send[List[WebhookDelivery]](ctx, s.c, "list webhook deliveries", &client.Request{Path: path})
}
