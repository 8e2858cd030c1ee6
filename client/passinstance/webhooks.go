package passinstance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
	"github.com/passforge/passforge/internal/secret"
)

// Webhook event types in Passinstance's reference. Other types pass
// through as plain strings.
const (
	// EventPassCreated is sent when a pass is created.
	EventPassCreated = "pass.created"
	// EventPassUpdated is sent when a pass is updated.
	EventPassUpdated = "pass.updated"
	// EventPassVoided is sent when a pass is voided.
	EventPassVoided = "pass.voided"
	// EventTemplateCreated is sent when a template is created.
	EventTemplateCreated = "template.created"
)

// Webhook is a webhook subscription: a receiver URL and the events sent
// to it.
type Webhook struct {
	// ID is the subscription's id.
	ID string `json:"id"`
	// URL is the HTTPS receiver (url).
	URL string `json:"url"`
	// Events are the subscribed event types (events).
	Events []string `json:"events"`
	// Raw is the whole JSON object as received. It may hold the secret
	// when the server echoes it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (w *Webhook) UnmarshalJSON(b []byte) error {
	type plain Webhook
	return provider.UnmarshalRaw(b, (*plain)(w), &w.Raw)
}

// Format prints the webhook with the secret in Raw redacted, for every verb.
func (w Webhook) Format(f fmt.State, verb rune) { provider.Format(f, verb, w.redacted()) }

// LogValue implements slog.LogValuer: a log record shows the webhook with its secret redacted.
func (w Webhook) LogValue() slog.Value { return provider.LogValue(w.redacted()) }

// redacted returns a copy of w, as a type without methods, whose secret is redacted.
func (w Webhook) redacted() any {
	type webhook Webhook
	c := webhook(w)
	c.Raw = provider.RedactMembers(w.Raw, "secret")
	return c
}

// WebhookCreateParams are the body of POST /webhooks.
type WebhookCreateParams struct {
	// URL is the HTTPS receiver (url). Required.
	URL string `json:"url"`
	// Events are the event types to send, such as EventPassCreated
	// (events). At least one is required.
	Events []string `json:"events"`
	// Secret is the subscriber's webhook signing secret (secret). It is
	// never included in errors.
	Secret string `json:"secret,omitempty"`
	// Extra holds members these fields do not name, added to the body as
	// they are.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the typed fields and Extra.
func (p WebhookCreateParams) MarshalJSON() ([]byte, error) {
	type plain WebhookCreateParams
	return withExtra(plain(p), nil, p.Extra)
}

// Format prints the parameters with Secret redacted, for every verb.
func (p WebhookCreateParams) Format(f fmt.State, verb rune) { provider.Format(f, verb, p.redacted()) }

// LogValue implements slog.LogValuer: a log record shows the parameters with Secret redacted.
func (p WebhookCreateParams) LogValue() slog.Value { return provider.LogValue(p.redacted()) }

// redacted returns a copy of p, as a type without methods, whose secret is redacted.
func (p WebhookCreateParams) redacted() any {
	type params WebhookCreateParams
	c := params(p)
	if c.Secret != "" {
		c.Secret = secret.Redacted
	}
	return c
}

// validate checks the receiver URL and events.
func (p *WebhookCreateParams) validate() error {
	u, err := url.Parse(p.URL)
	switch {
	case p.URL == "":
		return errors.New("url is required")
	case err != nil || !u.IsAbs() || u.Host == "":
		return fmt.Errorf("url %q is not an absolute URL", p.URL)
	case u.Scheme != "https":
		return fmt.Errorf("url %q is not HTTPS; Passinstance delivers to HTTPS receivers", p.URL)
	case len(p.Events) == 0:
		return errors.New("events is empty")
	}
	for i, e := range p.Events {
		if strings.TrimSpace(e) == "" {
			return fmt.Errorf("events[%d] is empty", i)
		}
	}
	return nil
}

// WebhooksService creates and lists webhook subscriptions (/webhooks).
type WebhooksService struct{ c *Client }

// Create registers a receiver for events (POST /webhooks). Deliveries
// can repeat: store event ids and process duplicates safely. Create is
// retried only when the request never reached the server or was refused
// unprocessed (429, 503).
func (s *WebhooksService) Create(ctx context.Context, params *WebhookCreateParams) (*Webhook, *client.Response, error) {
	if params == nil {
		return nil, nil, errors.New("passinstance: create webhook: no parameters")
	}
	if err := params.validate(); err != nil {
		return nil, nil, fmt.Errorf("passinstance: create webhook: %w", err)
	}
	return send[Webhook](ctx, s.c, "create webhook", http.MethodPost, "/webhooks", params, "webhook")
}

// List returns one page of webhook subscriptions (GET /webhooks).
func (s *WebhooksService) List(ctx context.Context, params *ListParams) (*Page[Webhook], *client.Response, error) {
	return list[Webhook](ctx, s.c, "list webhooks", "/webhooks", "webhooks", params)
}

// ListAll iterates over every webhook subscription, fetching pages
// lazily.
func (s *WebhooksService) ListAll(ctx context.Context, params *ListParams) iter.Seq2[Webhook, error] {
	return listAll(ctx, s.c, "list webhooks", "/webhooks", "webhooks", params, func(w Webhook) string { return w.ID })
}
