package passinstance

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// PushNotification is a push sent to the wallets holding passes: a wallet
// update and, with a message, a customer-facing notification. The
// reference names the resource without its members; the ones below are
// typed and everything else is in Raw (see Lookup).
type PushNotification struct {
	// ID is the notification's id.
	ID string `json:"id"`
	// PassID is the pass the notification went to (passId), if one.
	PassID string `json:"passId"`
	// TemplateID is the template whose passes it went to (templateId),
	// if any.
	TemplateID string `json:"templateId"`
	// Message is the customer-facing text (message).
	Message string `json:"message"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the named fields and keeps the raw object.
func (n *PushNotification) UnmarshalJSON(b []byte) error {
	type plain PushNotification
	return provider.UnmarshalRaw(b, (*plain)(n), &n.Raw)
}

// PushNotificationParams are the body of POST /push-notifications. Empty
// members are left out; at least one member must be set.
type PushNotificationParams struct {
	// PassID is the pass to notify (passId).
	PassID string `json:"passId,omitempty"`
	// TemplateID notifies the passes of a template (templateId).
	TemplateID string `json:"templateId,omitempty"`
	// Message is the customer-facing text (message); without it the push
	// only makes wallets fetch the updated pass.
	Message string `json:"message,omitempty"`
	// Extra holds members these fields do not name, such as a list of
	// pass ids, added to the body as they are.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the typed fields and Extra.
func (p PushNotificationParams) MarshalJSON() ([]byte, error) {
	type plain PushNotificationParams
	return withExtra(plain(p), nil, p.Extra)
}

// PushNotificationsService sends and lists push notifications
// (/push-notifications).
type PushNotificationsService struct{ c *Client }

// Send sends a push notification (POST /push-notifications). It is
// retried only when the request never reached the server or was refused
// unprocessed (429, 503), so a holder is never notified twice by a retry.
func (s *PushNotificationsService) Send(ctx context.Context, params *PushNotificationParams) (*PushNotification, *client.Response, error) {
	body, err := requireBody("send push notification", params)
	if err != nil {
		return nil, nil, err
	}
	return send[PushNotification](ctx, s.c, "send push notification", http.MethodPost, "/push-notifications", body, "notification")
}

// List returns one page of sent notifications (GET /push-notifications).
func (s *PushNotificationsService) List(ctx context.Context, params *ListParams) (*Page[PushNotification], *client.Response, error) {
	return list[PushNotification](ctx, s.c, "list push notifications", "/push-notifications", "notifications", params)
}

// ListAll iterates over every sent notification, fetching pages lazily.
func (s *PushNotificationsService) ListAll(ctx context.Context, params *ListParams) iter.Seq2[PushNotification, error] {
	return listAll(ctx, s.c, "list push notifications", "/push-notifications", "notifications", params,
		func(n PushNotification) string { return n.ID })
}
