package passmint

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"strconv"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/jsonscalar"
	"github.com/passforge/passforge/client/internal/provider"
)

// DefaultBaseURL is Passmint's API host; operation paths start with /v1.
const DefaultBaseURL = "https://api.passmint.com"

// IdempotencyHeader is the header Passmint reads idempotency keys from. The
// client sends a fresh key with every POST and PATCH call and reuses it on
// retries; Passmint replays the cached response for 24 hours.
const IdempotencyHeader = "Idempotency-Key"

// Mode is the environment an API key works in, from its prefix.
type Mode string

// Modes of a Passmint key and of the objects it creates ("mode" on a pass).
const (
	// ModeTest is the mode of pmk_test_ keys.
	ModeTest Mode = "test"
	// ModeLive is the mode of pmk_live_ keys.
	ModeLive Mode = "live"
)

// ModeFromKey returns the mode of a Passmint API key: test for pmk_test_
// keys and live for pmk_live_ keys. The error never contains the key.
func ModeFromKey(apiKey string) (Mode, error) {
	mode, err := provider.ModeFromKey(apiKey, []provider.KeyPrefix[Mode]{
		{Prefix: "pmk_test_", Mode: ModeTest},
		{Prefix: "pmk_live_", Mode: ModeLive},
	})
	if err != nil {
		return "", fmt.Errorf("passmint: %w", err)
	}
	return mode, nil
}

// Client talks to the Passmint REST API. Each resource has a service:
// c.Passes.Issue(ctx, ...), c.Templates.List(ctx, ...). A Client is safe
// for concurrent use.
type Client struct {
	// Passes issues, lists, retrieves, updates and voids passes.
	Passes *PassesService
	// Templates creates, lists, retrieves, updates and archives templates.
	Templates *TemplatesService
	// Events lists pass lifecycle events.
	Events *EventsService
	// Webhooks manages webhook endpoints and lists their deliveries.
	Webhooks *WebhooksService

	core *client.Client
	mode Mode
}

// New returns a Client authenticated with apiKey (a pmk_test_ or pmk_live_
// key sent as a bearer token). opts are applied after Passmint's defaults
// (base URL DefaultBaseURL, Idempotency-Key header, Passmint's error
// envelope), so client.WithBaseURL points the client at a fake server and
// client.WithRetryPolicy, client.WithLogger and the others tune it.
func New(apiKey string, opts ...client.Option) (*Client, error) {
	mode, err := ModeFromKey(apiKey)
	if err != nil {
		return nil, err
	}
	base := []client.Option{
		client.WithBaseURL(DefaultBaseURL),
		client.WithBearerToken(apiKey),
		client.WithIdempotencyHeader(IdempotencyHeader),
		client.WithErrorDecoder(decodeError),
		client.WithUserAgent("passforge-passmint"),
	}
	core, err := client.New(append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("passmint: %w", err)
	}
	c := &Client{core: core, mode: mode}
	c.Passes = &PassesService{c: c}
	c.Templates = &TemplatesService{c: c}
	c.Events = &EventsService{c: c}
	c.Webhooks = &WebhooksService{c: c}
	return c, nil
}

// Mode returns the mode of the client's API key.
func (c *Client) Mode() Mode { return c.mode }

// Error types of Passmint's error envelope
// {"error": {"type", "code", "message", "param"}}.
const (
	// ErrorTypeAuthentication is an invalid or missing API key (401).
	ErrorTypeAuthentication = "authentication_error"
	// ErrorTypeInvalidRequest is a malformed or invalid request body (400).
	ErrorTypeInvalidRequest = "invalid_request_error"
	// ErrorTypeNotFound is a resource that does not exist (404).
	ErrorTypeNotFound = "not_found_error"
	// ErrorTypeBilling is an account billing issue (402).
	ErrorTypeBilling = "billing_error"
	// ErrorTypeIdempotency is an idempotency key reused with a different
	// body (409).
	ErrorTypeIdempotency = "idempotency_error"
	// ErrorTypeAPI is an internal server error (500).
	ErrorTypeAPI = "api_error"
)

// errorKinds maps Passmint error types to the client sentinels, so
// errors.Is works even when a status is unusual.
var errorKinds = map[string]error{
	ErrorTypeAuthentication: client.ErrUnauthorized,
	ErrorTypeInvalidRequest: client.ErrValidation,
	ErrorTypeNotFound:       client.ErrNotFound,
	ErrorTypeBilling:        client.ErrPaymentRequired,
	ErrorTypeIdempotency:    client.ErrIdempotencyConflict,
	ErrorTypeAPI:            client.ErrServer,
}

// decodeError reads Passmint's error envelope into e; other bodies fall
// back to client.DecodeGenericError.
func decodeError(e *client.APIError) {
	var env struct {
		Error *struct {
			Type    string          `json:"type"`
			Code    json.RawMessage `json:"code"`
			Message string          `json:"message"`
			Param   string          `json:"param"`
		} `json:"error"`
	}
	if json.Unmarshal(e.Body, &env) != nil || env.Error == nil {
		client.DecodeGenericError(e)
		return
	}
	e.Type, e.Message, e.Param = env.Error.Type, env.Error.Message, env.Error.Param
	e.Code = jsonscalar.Text(env.Error.Code)
	e.Kind = errorKinds[e.Type]
}

// DeletedObject is the response of deleting a webhook or archiving a
// template: {"id": ..., "deleted": true}.
type DeletedObject struct {
	// ID is the id of the deleted or archived object.
	ID string `json:"id"`
	// Deleted is true when the operation succeeded.
	Deleted bool `json:"deleted"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (d *DeletedObject) UnmarshalJSON(b []byte) error {
	type plain DeletedObject
	return provider.UnmarshalRaw(b, (*plain)(d), &d.Raw)
}

// List is Passmint's list envelope {"object": "list", "data": [...],
// "has_more": false}.
type List[T any] struct {
	// Object is always "list".
	Object string `json:"object"`
	// Data holds the page's items.
	Data []T `json:"data"`
	// HasMore reports whether more items follow this page.
	HasMore bool `json:"has_more"`
}

// idPath joins a collection path and an escaped id, rejecting empty ids.
func idPath(collection, what, id string, rest ...string) (string, error) {
	seg, err := provider.Segment(what+" id", id)
	if err != nil {
		return "", fmt.Errorf("passmint: %w", err)
	}
	p := collection + "/" + seg
	for _, r := range rest {
		p += "/" + r
	}
	return p, nil
}

// pageQuery validates a page size and adds it and the cursor to q; zero
// values are not sent.
func pageQuery(q url.Values, limit, max int, startingAfter string) error {
	if limit < 0 || limit > max {
		return fmt.Errorf("passmint: limit %d is outside 1..%d", limit, max)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if startingAfter != "" {
		q.Set("starting_after", startingAfter)
	}
	return nil
}

// send sends req, decodes the response into a new T and prefixes a
// failure with the operation name op.
func send[T any](ctx context.Context, c *Client, op string, req *client.Request) (*T, *client.Response, error) {
	var v T
	resp, err := c.core.Do(ctx, req, &v)
	if err != nil {
		return nil, resp, wrap(op, err)
	}
	return &v, resp, nil
}

// listAll iterates over a list whose pages page fetches lazily, starting
// after the cursor start; each next page starts after the id of the
// previous page's last item, Passmint's starting_after convention.
func listAll[T any](ctx context.Context, start string, page func(ctx context.Context, startingAfter string) (*List[T], error), id func(T) string) iter.Seq2[T, error] {
	return client.Cursor(ctx, &client.PageOptions{StartCursor: start},
		func(ctx context.Context, cursor string) (client.CursorPage[T], error) {
			l, err := page(ctx, cursor)
			if err != nil {
				return client.CursorPage[T]{}, err
			}
			cp := client.CursorPage[T]{Items: l.Data, HasMore: l.HasMore}
			if len(l.Data) > 0 {
				cp.NextCursor = id(l.Data[len(l.Data)-1])
			}
			return cp, nil
		})
}

// wrap prefixes client errors with the operation name while keeping
// *client.APIError reachable with errors.As.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("passmint: %s: %w", op, err)
}
