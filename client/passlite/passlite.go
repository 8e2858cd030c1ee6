package passlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// DefaultBaseURL is PassLite's API base; operation paths are relative to it.
const DefaultBaseURL = "https://api.passlite.io/api/v1"

// APIKeyHeader is the header PassLite reads API keys from.
const APIKeyHeader = "X-API-Key"

// IdempotencyHeader is the header PassLite reads idempotency keys from. It
// is supported on every POST and PATCH endpoint; the client sends a fresh
// key with each such call and reuses it on retries, and PassLite returns
// the original response for a repeated key for 24 hours.
const IdempotencyHeader = "Idempotency-Key"

// MaxBulkPasses is the most passes one bulk issue request may carry.
const MaxBulkPasses = 500

// Mode is the environment an API key works in, from its prefix.
type Mode string

// Modes of a PassLite API key.
const (
	// ModeLive is the mode of pb_live_ (production) keys.
	ModeLive Mode = "live"
	// ModeTest is the mode of pb_test_ (sandbox) keys.
	ModeTest Mode = "test"
	// ModeUnknown is the mode of a client authenticated with a bearer
	// token, whose environment PassLite does not reveal in the token.
	ModeUnknown Mode = ""
)

// ModeFromKey returns the mode of a PassLite API key: live for pb_live_
// keys and test for pb_test_ keys. The error never contains the key.
func ModeFromKey(apiKey string) (Mode, error) {
	mode, err := provider.ModeFromKey(apiKey, []provider.KeyPrefix[Mode]{
		{Prefix: "pb_live_", Mode: ModeLive},
		{Prefix: "pb_test_", Mode: ModeTest},
	})
	if err != nil {
		return ModeUnknown, fmt.Errorf("passlite: %w", err)
	}
	return mode, nil
}

// Client talks to the PassLite REST API. Each resource has a service:
// c.Passes.Issue(ctx, businessID, ...), c.Webhooks.List(ctx, businessID).
// A Client is safe for concurrent use.
type Client struct {
	// Businesses reads the authenticated business (GET /businesses/me).
	Businesses *BusinessesService
	// Passes issues, reads, updates and acts on passes, one at a time or
	// in bulk, and looks them up by email or external id.
	Passes *PassesService
	// Webhooks creates, lists and deletes webhook endpoints.
	Webhooks *WebhooksService
	// Customers sends magic login links and reads a customer's passes
	// (the /public/customer endpoints).
	Customers *CustomersService

	core *client.Client
	mode Mode
}

// New returns a Client authenticated with apiKey, a pb_live_ or pb_test_
// key sent in the X-API-Key header. opts are applied after PassLite's
// defaults (base URL DefaultBaseURL, Idempotency-Key header, PassLite's
// error envelope), so client.WithBaseURL points the client at a fake server
// and client.WithRetryPolicy, client.WithLogger and the others tune it.
func New(apiKey string, opts ...client.Option) (*Client, error) {
	mode, err := ModeFromKey(apiKey)
	if err != nil {
		return nil, err
	}
	return newClient(mode, client.WithAPIKey(APIKeyHeader, apiKey), opts)
}

// NewBearer returns a Client authenticated with a JWT access token from
// PassLite's /auth/login, sent as "Authorization: Bearer <token>". Options
// are applied as in New. Mode reports ModeUnknown for such a client.
func NewBearer(token string, opts ...client.Option) (*Client, error) {
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("passlite: bearer token is empty")
	}
	return newClient(ModeUnknown, client.WithBearerToken(token), opts)
}

// newClient builds the core with PassLite's defaults and the caller's
// options after them.
func newClient(mode Mode, auth client.Option, opts []client.Option) (*Client, error) {
	base := []client.Option{
		client.WithBaseURL(DefaultBaseURL),
		auth,
		client.WithIdempotencyHeader(IdempotencyHeader),
		client.WithErrorDecoder(decodeError),
		client.WithUserAgent("passforge-passlite"),
	}
	core, err := client.New(append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("passlite: %w", err)
	}
	c := &Client{core: core, mode: mode}
	c.Businesses = &BusinessesService{c: c}
	c.Passes = &PassesService{c: c}
	c.Webhooks = &WebhooksService{c: c}
	c.Customers = &CustomersService{c: c}
	return c, nil
}

// Mode returns the mode of the client's API key, or ModeUnknown for a
// client created with NewBearer.
func (c *Client) Mode() Mode { return c.mode }

// call describes one operation for Client.do.
type call struct {
	op      string // "issue pass", used in errors
	req     *client.Request
	checkIn bool // a 429 may be a scan cooldown
}

// do sends one operation and turns its failure into the package's errors:
// a *PlanError for 402, a *CooldownError for a blocked check-in, otherwise
// the core's error prefixed with the operation.
func (c *Client) do(ctx context.Context, cl call, v any) (*client.Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("passlite: %s: nil context.Context", cl.op)
	}
	resp, err := c.core.Do(ctx, cl.req, v)
	if err == nil {
		return resp, nil
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.StatusCode == 402:
			return resp, newPlanError(cl.op, apiErr)
		case cl.checkIn && isCooldown(apiErr):
			return resp, newCooldownError(cl.op, apiErr)
		}
	}
	return resp, fmt.Errorf("passlite: %s: %w", cl.op, err)
}

// doObject sends one operation with Client.do and decodes the answer
// into a new T.
func doObject[T any](ctx context.Context, c *Client, cl call) (*T, *client.Response, error) {
	var v T
	resp, err := c.do(ctx, cl, &v)
	if err != nil {
		return nil, resp, err
	}
	return &v, resp, nil
}

// businessPath returns /businesses/{businessID} followed by the escaped
// segments; every segment must be non-empty and not "." or "..".
func businessPath(businessID string, segs ...string) (string, error) {
	p, err := segment("business id", businessID)
	if err != nil {
		return "", err
	}
	path := "/businesses/" + p
	for _, s := range segs {
		path += "/" + s
	}
	return path, nil
}

// segment escapes one path segment naming what, rejecting values that are
// empty or would change the path.
func segment(what, v string) (string, error) {
	s, err := provider.Segment(what, v)
	if err != nil {
		return "", fmt.Errorf("passlite: %w", err)
	}
	return s, nil
}
