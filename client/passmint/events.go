package passmint

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// EventType is the kind of a pass lifecycle event.
type EventType string

// Pass event types. Unknown types are kept as they are.
const (
	EventCreated    EventType = "created"
	EventURLViewed  EventType = "url_viewed"
	EventDownloaded EventType = "downloaded"
	EventInstalled  EventType = "installed"
	EventUpdated    EventType = "updated"
	EventRemoved    EventType = "removed"
	EventVoided     EventType = "voided"
)

// PassEvent is one lifecycle event of a pass ("object": "pass_event").
type PassEvent struct {
	// Object is always "pass_event".
	Object string `json:"object"`
	// ID is the unique identifier (evt_xxx).
	ID string `json:"id"`
	// PassID is the pass this event belongs to.
	PassID string `json:"pass_id"`
	// Type is the event type.
	Type EventType `json:"type"`
	// Metadata is additional event data.
	Metadata map[string]any `json:"metadata"`
	// CreatedAt is when the event happened.
	CreatedAt time.Time `json:"created_at"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (e *PassEvent) UnmarshalJSON(b []byte) error {
	type plain PassEvent
	return provider.UnmarshalRaw(b, (*plain)(e), &e.Raw)
}

// EventListParams tune the event lists. A nil *EventListParams uses
// Passmint's defaults.
type EventListParams struct {
	// Limit is the page size, 1 to 200. If zero, Passmint's default (100).
	Limit int
	// StartingAfter is the id of the last event of the previous page; see
	// PassesService.ListAll.
	StartingAfter string
}

// EventsService lists pass lifecycle events (/v1/events and
// /v1/passes/:id/events).
type EventsService struct{ c *Client }

// List returns recent events across all passes (GET /v1/events).
func (s *EventsService) List(ctx context.Context, params *EventListParams) (*List[PassEvent], *client.Response, error) {
	return s.list(ctx, "/v1/events", "list events", params)
}

// ListForPass returns the events of one pass (GET /v1/passes/:id/events).
func (s *EventsService) ListForPass(ctx context.Context, passID string, params *EventListParams) (*List[PassEvent], *client.Response, error) {
	path, err := idPath("/v1/passes", "pass", passID, "events")
	if err != nil {
		return nil, nil, err
	}
	return s.list(ctx, path, "list pass events", params)
}

// ListAll iterates over recent events across all passes.
func (s *EventsService) ListAll(ctx context.Context, params *EventListParams) iter.Seq2[PassEvent, error] {
	return s.all(ctx, "/v1/events", "list events", params)
}

// ListAllForPass iterates over every event of one pass.
func (s *EventsService) ListAllForPass(ctx context.Context, passID string, params *EventListParams) iter.Seq2[PassEvent, error] {
	path, err := idPath("/v1/passes", "pass", passID, "events")
	if err != nil {
		return func(yield func(PassEvent, error) bool) { yield(PassEvent{}, err) }
	}
	return s.all(ctx, path, "list pass events", params)
}

// list fetches one page of events from path.
func (s *EventsService) list(ctx context.Context, path, op string, params *EventListParams) (*List[PassEvent], *client.Response, error) {
	q := url.Values{}
	if params != nil {
		if err := pageQuery(q, params.Limit, 200, params.StartingAfter); err != nil {
			return nil, nil, err
		}
	}
	return send[List[PassEvent]](ctx, s.c, op, &client.Request{Path: path, Query: q})
}

// all iterates over the events of path.
func (s *EventsService) all(ctx context.Context, path, op string, params *EventListParams) iter.Seq2[PassEvent, error] {
	var p EventListParams
	if params != nil {
		p = *params
	}
	return listAll(ctx, p.StartingAfter, func(ctx context.Context, after string) (*List[PassEvent], error) {
		p.StartingAfter = after
		l, _, err := s.list(ctx, path, op, &p)
		return l, err
	}, func(e PassEvent) string { return e.ID })
}
