package passlite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Event types a PassLite webhook delivers.
const (
	// EventPassCreated is a new pass being issued.
	EventPassCreated = "pass.created"
	// EventPassUpdated is a pass being updated.
	EventPassUpdated = "pass.updated"
	// EventPassRedeemed is a pass being redeemed.
	EventPassRedeemed = "pass.redeemed"
	// EventPassVoided is a pass being voided.
	EventPassVoided = "pass.voided"
	// EventPassScanned is a pass's QR code being scanned.
	EventPassScanned = "pass.scanned"
	// EventPassInstalled is a pass being added to a wallet.
	EventPassInstalled = "pass.installed"
	// EventPassUninstalled is a pass being removed from a wallet.
	EventPassUninstalled = "pass.uninstalled"
)

// Webhook is a webhook endpoint of a business. PassLite's reference does
// not list the fields of its webhook object; the usual ones are typed and
// Raw holds the whole object.
type Webhook struct {
	// ID is the webhook id, used to delete it ("id").
	ID string `json:"id"`
	// URL is the HTTPS endpoint deliveries go to ("url").
	URL string `json:"url"`
	// Events are the subscribed event types ("events").
	Events []string `json:"events"`
	// Secret is the HMAC-SHA256 key of the X-PassLite-Signature header
	// ("secret"), when PassLite returns it. Do not log it.
	Secret string `json:"secret,omitempty"`
	// CreatedAt is the creation time ("created_at"); nil when absent.
	CreatedAt *time.Time `json:"created_at"`
	// Raw is the whole JSON object as received; it may contain the secret.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the typed fields and keeps the raw object.
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

// WebhookCreateParams are the body of POST /businesses/{business_id}/webhooks.
type WebhookCreateParams struct {
	// URL is the HTTPS endpoint to deliver to ("url"). Required.
	URL string
	// Events are the event types to subscribe to ("events"), such as
	// EventPassCreated. If empty, none is sent and PassLite's default
	// applies.
	Events []string
	// Extra holds fields the reference does not list, sent as given. A
	// key that is also a field above is an error.
	Extra map[string]any
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string
}

// body validates p and returns the JSON object to send.
func (p *WebhookCreateParams) body() (map[string]any, error) {
	if p == nil || strings.TrimSpace(p.URL) == "" {
		return nil, errors.New("url is required")
	}
	u, err := url.Parse(p.URL)
	if err != nil || !u.IsAbs() || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("url %q is not an absolute http(s) URL", p.URL)
	}
	m := map[string]any{"url": p.URL}
	if len(p.Events) > 0 {
		for i, e := range p.Events {
			if strings.TrimSpace(e) == "" {
				return nil, fmt.Errorf("events[%d] is empty", i)
			}
		}
		m["events"] = p.Events
	}
	for k, v := range p.Extra {
		if _, dup := m[k]; dup || k == "events" {
			return nil, fmt.Errorf("key %q of Extra collides with a typed field", k)
		}
		m[k] = v
	}
	return m, nil
}

// WebhooksService manages webhook endpoints
// (/businesses/{business_id}/webhooks). The Free plan allows one webhook
// and Pro twenty; more is a *PlanError.
type WebhooksService struct{ c *Client }

// Create registers a webhook endpoint
// (POST /businesses/{business_id}/webhooks).
func (s *WebhooksService) Create(ctx context.Context, businessID string, params *WebhookCreateParams) (*Webhook, *client.Response, error) {
	const op = "create webhook"
	body, err := params.body()
	if err != nil {
		return nil, nil, fmt.Errorf("passlite: %s: %w", op, err)
	}
	path, err := businessPath(businessID, "webhooks")
	if err != nil {
		return nil, nil, err
	}
	return doObject[Webhook](ctx, s.c, call{op: op, req: &client.Request{
		Method: http.MethodPost, Path: path, Body: body, IdempotencyKey: params.IdempotencyKey,
	}})
}

// List returns the webhook endpoints of a business
// (GET /businesses/{business_id}/webhooks). The reference does not show
// the response; a JSON array and an object wrapping the array in "data",
// "webhooks", "items" or "results" are accepted.
func (s *WebhooksService) List(ctx context.Context, businessID string) ([]Webhook, *client.Response, error) {
	const op = "list webhooks"
	path, err := businessPath(businessID, "webhooks")
	if err != nil {
		return nil, nil, err
	}
	var raw json.RawMessage
	resp, err := s.c.do(ctx, call{op: op, req: &client.Request{Path: path}}, &raw)
	if err != nil {
		return nil, resp, err
	}
	hooks, err := decodeList[Webhook](raw, "data", "webhooks", "items", "results")
	if err != nil {
		return nil, resp, fmt.Errorf("passlite: %s: %w", op, err)
	}
	return hooks, resp, nil
}

// Delete removes a webhook endpoint
// (DELETE /businesses/{business_id}/webhooks/{id}). It is not retried once
// it may have been processed (it is after 429 and 503).
func (s *WebhooksService) Delete(ctx context.Context, businessID, id string) (*client.Response, error) {
	wid, err := segment("webhook id", id)
	if err != nil {
		return nil, err
	}
	path, err := businessPath(businessID, "webhooks", wid)
	if err != nil {
		return nil, err
	}
	return s.c.do(ctx, call{op: "delete webhook", req: &client.Request{Method: http.MethodDelete, Path: path}}, nil)
}

// decodeList decodes a JSON array of T, or an object holding that array
// under the first of keys present. An empty body is an empty list.
func decodeList[T any](raw json.RawMessage, keys ...string) ([]T, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return []T{}, nil
	}
	if raw[0] == '{' {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, fmt.Errorf("decoding response: %w", err)
		}
		found := false
		for _, k := range keys {
			if v, ok := obj[k]; ok {
				raw, found = bytes.TrimSpace(v), true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("decoding response: object has none of the list keys %s", strings.Join(keys, ", "))
		}
	}
	out := []T{}
	if string(raw) == "null" {
		return out, nil
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("decoding response: %w", err)
	}
	return out, nil
}
