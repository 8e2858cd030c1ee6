package passinstance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Base URLs of the Passinstance API; operation paths such as /passes are
// appended to them.
const (
	// ProductionBaseURL is the production API, the default.
	ProductionBaseURL = "https://api.passinstance.com/api/v1"
	// StagingBaseURL is the staging API, for validating an integration
	// before switching to production.
	StagingBaseURL = "https://staging-api.passinstance.com/api/v1"
)

// APIKeyHeader is the header of API-key authentication.
const APIKeyHeader = "X-API-Key"

// WithStaging points a Client at StagingBaseURL. Pass it to New or
// NewBearer; client.WithBaseURL sets any other URL.
func WithStaging() client.Option { return client.WithBaseURL(StagingBaseURL) }

// Client talks to the Passinstance REST API. Each resource has a service:
// c.Passes.Create(ctx, ...), c.Templates.List(ctx, ...). A Client is safe
// for concurrent use.
type Client struct {
	// Passes creates, lists, retrieves, updates, voids and deletes passes.
	Passes *PassesService
	// Templates creates, lists and retrieves templates.
	Templates *TemplatesService
	// Webhooks creates and lists webhook subscriptions.
	Webhooks *WebhooksService
	// PushNotifications sends and lists push notifications.
	PushNotifications *PushNotificationsService
	// Bundles creates and lists bundles of related passes.
	Bundles *BundlesService
	// Batches starts batch operations and reports their status.
	Batches *BatchesService

	core *client.Client
}

// New returns a Client that authenticates with an API key in the
// X-API-Key header, the mode Passinstance recommends for
// service-to-service connectors. opts are applied after Passinstance's
// defaults (ProductionBaseURL, Passinstance's error body), so WithStaging
// or client.WithBaseURL choose the environment and client.WithRetryPolicy,
// client.WithLogger and the others tune the client.
func New(apiKey string, opts ...client.Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, errors.New("passinstance: API key is empty")
	}
	return newClient(client.WithAPIKey(APIKeyHeader, apiKey), opts)
}

// NewBearer returns a Client that authenticates with "Authorization:
// Bearer <token>", the mode for user-context operations from trusted
// backend services. opts are applied as in New.
func NewBearer(token string, opts ...client.Option) (*Client, error) {
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("passinstance: bearer token is empty")
	}
	return newClient(client.WithBearerToken(token), opts)
}

// newClient builds the core client with Passinstance's defaults first.
func newClient(auth client.Option, opts []client.Option) (*Client, error) {
	base := []client.Option{
		client.WithBaseURL(ProductionBaseURL),
		auth,
		client.WithErrorDecoder(decodeError),
		client.WithUserAgent("passforge-passinstance"),
	}
	core, err := client.New(append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("passinstance: %w", err)
	}
	c := &Client{core: core}
	c.Passes = &PassesService{c: c}
	c.Templates = &TemplatesService{c: c}
	c.Webhooks = &WebhooksService{c: c}
	c.PushNotifications = &PushNotificationsService{c: c}
	c.Bundles = &BundlesService{c: c}
	c.Batches = &BatchesService{c: c}
	return c, nil
}

// BaseURL returns the base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.core.BaseURL().String() }

// decodeError reads Passinstance's error body, such as
// {"error": "Too Many Requests", "message": "Retry after the indicated
// delay"}: the error string becomes APIError.Type and the message
// APIError.Message. A validation body with an "errors" list names the
// first offending field in APIError.Param.
func decodeError(e *client.APIError) {
	client.DecodeGenericError(e)
	if e.Param != "" {
		return
	}
	var env struct {
		Errors []struct {
			Field   string `json:"field"`
			Path    string `json:"path"`
			Param   string `json:"param"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(e.Body, &env) != nil || len(env.Errors) == 0 {
		return
	}
	first := env.Errors[0]
	e.Param = firstNonEmpty(first.Field, first.Path, first.Param)
	if e.Message == "" {
		e.Message = first.Message
	}
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// idPath joins a collection path and an escaped id, rejecting empty and
// dot ids.
func idPath(collection, what, id string) (string, error) {
	seg, err := provider.Segment(what+" id", id)
	if err != nil {
		return "", fmt.Errorf("passinstance: %w", err)
	}
	return collection + "/" + seg, nil
}

// wrap prefixes client errors with the operation name while keeping
// *client.APIError reachable with errors.As.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("passinstance: %s: %w", op, err)
}

// withExtra marshals v (a struct whose Extra field is tagged json:"-"),
// adds the typed members of typed and then the members of extra; a key
// of extra that is already set is an error.
func withExtra(v any, typed, extra map[string]any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(typed)+len(extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	add := func(k string, x any, what string) error {
		if _, dup := m[k]; dup {
			return fmt.Errorf("passinstance: %s[%q] duplicates a typed field", what, k)
		}
		raw, err := json.Marshal(x)
		if err != nil {
			return fmt.Errorf("passinstance: %s[%q]: %w", what, k, err)
		}
		m[k] = raw
		return nil
	}
	for k, x := range typed {
		if err := add(k, x, "field"); err != nil {
			return nil, err
		}
	}
	for k, x := range extra {
		if err := add(k, x, "Extra"); err != nil {
			return nil, err
		}
	}
	return json.Marshal(m)
}

// Lookup decodes the member key of the JSON object raw (the Raw field of
// a Passinstance object) into v, for fields this package does not name.
// It reports whether the member exists.
func Lookup(raw json.RawMessage, key string, v any) (bool, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return false, fmt.Errorf("passinstance: lookup %q: %w", key, err)
	}
	b, ok := m[key]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return true, fmt.Errorf("passinstance: lookup %q: %w", key, err)
	}
	return true, nil
}

// unwrapObject returns the object of a single-object response. The
// reference documents JSON responses without their shape, so the object
// may come bare ({"id": ...}), under "data", or under the resource's name
// ({"pass": {...}}); an object with an "id" member is taken as it is.
func unwrapObject(body []byte, name string) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	if _, ok := m["id"]; ok {
		return body
	}
	for _, k := range []string{"data", name} {
		if v := bytes.TrimSpace(m[k]); len(v) > 0 && v[0] == '{' {
			return v
		}
	}
	return body
}

// decodeObject decodes a single-object response body into v.
func decodeObject(body []byte, name string, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("empty response body, want a %s object", name)
	}
	if err := json.Unmarshal(unwrapObject(body, name), v); err != nil {
		return fmt.Errorf("decoding the %s: %w", name, err)
	}
	return nil
}

// timeRFC3339 formats t for a request body: ISO 8601 with whole seconds
// and zone.
func timeRFC3339(t time.Time) string { return t.Format(time.RFC3339) }
